"""Charts (matplotlib PNGs): balance and count by aging bucket; contacts per day over the last 30 days."""

from __future__ import annotations

import ipywidgets as widgets

from ..alerts import guarded
from .base import LazyPane


class ChartsView(LazyPane):
    """Drawn only while visible (`active`), redrawn when the worklist or a contact changes."""

    css_class = "cobranca-charts"

    def __init__(self, state, alerts, **kwargs):
        super().__init__(state, alerts, **kwargs)
        self.aging_image = widgets.Image(format="png", layout=widgets.Layout(max_width="640px"))
        self.contacts_image = widgets.Image(format="png", layout=widgets.Layout(max_width="900px"))
        self.aging_image.add_class("cobranca-chart-aging")
        self.contacts_image.add_class("cobranca-chart-contacts")
        self.status = widgets.HTML()
        state.observe(self._changed, ["generation", "revision"])
        self.children = [self.status, self.aging_image, self.contacts_image]

    @guarded
    def render(self) -> None:
        self.status.value = "<small>Desenhando os gráficos…</small>"
        try:
            from ...report import charts  # matplotlib takes ~1 s to import: only when the section is opened

            self.aging_image.value = charts.figure_png(charts.aging_chart(self.state.charts.aging()), dpi=100)
            per_day, since, until = self.state.charts.contacts_per_day()
            self.contacts_image.value = charts.figure_png(charts.contacts_chart(per_day, since, until), dpi=100)
            self.stale = False
        finally:
            self.status.value = ""
