"""The "Resultados" pane: indicators of a period, aging today and over time, recovered after contact by channel
and analyst, contacts per analyst (matplotlib PNGs, pt-BR). Drawn only while its section is open."""

from __future__ import annotations

import ipywidgets as widgets

from ...core import formatting as fmt
from ..alerts import guarded
from .base import LazyPane, button, esc, table_html

_IMAGE = {"max_width": "560px"}


def indicators_html(rows: list[tuple[str, str]]) -> str:
    """The indicators' table, each term followed by its one-line explanation (DSO, CEI, …)."""
    from ...results.text import explanation

    body = "".join(
        f"<tr><td>{esc(label)}" + (f'<div class="cobranca-muted cobranca-explanation">{esc(explanation(label))}</div>'
                                  if explanation(label) else "") + f"</td><td>{esc(value)}</td></tr>"
        for label, value in rows)
    return (f'<table class="cobranca-table cobranca-results-table"><thead><tr><th>Indicador</th><th>Valor</th></tr>'
            f"</thead><tbody>{body}</tbody></table>")


class ResultsView(LazyPane):
    css_class = "cobranca-results"

    def __init__(self, state, alerts, **kwargs):
        super().__init__(state, alerts, **kwargs)
        style = {"description_width": "40px"}
        self.since = widgets.DatePicker(description="De", style=style)
        self.until = widgets.DatePicker(description="Até", style=style)
        self.since.add_class("cobranca-results-since")
        self.until.add_class("cobranca-results-until")
        self.refresh = button("Calcular", "cobranca-results-refresh", style="primary")
        self.refresh.on_click(lambda _b: self.render())
        self.indicators = widgets.HTML()
        self.indicators.add_class("cobranca-results-indicators")
        self.images = [widgets.Image(format="png", layout=widgets.Layout(**_IMAGE)) for _ in range(4)]
        for image, css in zip(self.images, ("aging", "trend", "recovered", "contacts"), strict=True):
            image.add_class(f"cobranca-results-{css}")
        self.tables = widgets.HTML()
        self.tables.add_class("cobranca-results-tables")
        state.observe(self._changed, ["worklist", "revision"])
        self.children = [
            widgets.HBox([self.since, self.until, self.refresh]), self.indicators,
            widgets.HBox(self.images[:2], layout=widgets.Layout(flex_flow="row wrap")),
            widgets.HBox(self.images[2:], layout=widgets.Layout(flex_flow="row wrap")),
            self.tables,
        ]


    @guarded
    def render(self) -> None:
        from ...report import (
            charts,
            results_charts,  # matplotlib: only when the section is opened
        )
        from ...results.text import indicator_rows

        outcome = self.state.results.summary(self.since.value, self.until.value)
        self.since.value, self.until.value = outcome["since"], outcome["until"]
        self.indicators.value = indicators_html(indicator_rows(outcome))
        figures = (
            results_charts.aging_today_chart(outcome["aging"], outcome["until"]),
            results_charts.aging_trend_chart(outcome["aging_trend"]),
            results_charts.recovered_chart(outcome["recovered_by_channel"], outcome["window_days"]),
            results_charts.contacts_per_analyst_chart(outcome["contacts_per_analyst"], outcome["since"],
                                                      outcome["until"]),
        )
        for image, fig in zip(self.images, figures, strict=True):
            image.value = charts.figure_png(fig, dpi=100)
        rows = [[r.grp, str(int(r.receivables)), fmt.brl(r.recovered)]
                for r in outcome["recovered_by_analyst"].itertuples(index=False)]
        self.tables.value = ("<b>Recuperado por analista</b>"
                             + table_html(["Analista", "Contas", "Recuperado"], rows or [["—", "0", fmt.brl(0)]],
                                          "cobranca-results-analysts"))
        self.stale = False
