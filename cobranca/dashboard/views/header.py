"""Header: company name, as-of date (with the analysis-mode banner), the analyst's name and Atualizar."""

from __future__ import annotations

import ipywidgets as widgets

from ...core.formatting import day
from ..alerts import guarded
from .base import Pane, button, esc, show


class HeaderView(Pane):
    """The top bar; changing the date reloads the worklist, Atualizar re-reads everything."""

    css_class = "cobranca-header"

    def __init__(self, state, alerts, **kwargs):
        super().__init__(state, alerts, **kwargs)
        self.title = widgets.HTML()
        self.as_of = widgets.DatePicker(description="Data de referência", style={"description_width": "130px"},
                                        layout=widgets.Layout(width="290px"))
        self.as_of.add_class("cobranca-as-of")
        self.responsible = widgets.Text(description="Responsável", value=state.responsible,
                                        placeholder="seu nome (vai nas mensagens)", continuous_update=False,
                                        style={"description_width": "90px"}, layout=widgets.Layout(width="330px"))
        self.responsible.add_class("cobranca-responsible")
        self.refresh_button = button("Atualizar", "cobranca-refresh", tooltip="Reler a lista (contatos de outras abas)")
        self.banner = widgets.HTML(layout=widgets.Layout(display="none"))
        self.banner.add_class("cobranca-analysis-banner")
        self.today_button = button("Voltar para hoje", "cobranca-back-to-today", style="warning")
        self.banner_row = widgets.HBox([self.banner, self.today_button],
                                       layout=widgets.Layout(display="none", align_items="center"))
        self.banner_row.add_class("cobranca-analysis")
        self.as_of.observe(self.on_date, "value")
        self.responsible.observe(self.on_responsible, "value")
        self.refresh_button.on_click(self.on_refresh)
        self.today_button.on_click(self.on_today)
        state.observe(self.render, ["settings", "as_of", "responsible"])
        self.render()
        self.children = [
            widgets.HBox([self.title, self.as_of, self.responsible, self.refresh_button],
                         layout=widgets.Layout(align_items="center", flex_flow="row wrap")),
            self.banner_row,
        ]

    def render(self, _change=None) -> None:
        state = self.state
        company = state.settings.get("company_name") or ""
        when = f" — posição de {esc(day(state.as_of))}" if state.as_of else ""
        # The date input follows the browser's language; the title always says the day in pt-BR.
        self.title.value = (
            f'<div class="cobranca-title"><span class="cobranca-company">{esc(company)}</span>'
            f' — Gerenciamento de cobranças<span class="cobranca-title-date">{when}</span></div>'
        )
        if state.as_of is not None and self.as_of.value != state.as_of:
            self.as_of.value = state.as_of
        if self.responsible.value != state.responsible:
            self.responsible.value = state.responsible
        missing = not state.responsible
        (self.responsible.add_class if missing else self.responsible.remove_class)("cobranca-missing")
        analysis = state.analysis_mode
        if analysis:
            self.banner.value = (
                f'<div class="cobranca-banner"><b>Modo de análise</b> — valores calculados para '
                f"{esc(day(state.as_of))}, não para hoje ({esc(day(state.clock()))}). Envio de mensagens e "
                "registro de contatos bloqueados: o cliente recebe sempre os valores de hoje.</div>"
            )
        show(self.banner, analysis)
        show(self.banner_row, analysis)

    @guarded
    def on_date(self, change) -> None:
        if change["new"] is None:
            self.alerts.warning("Informe a data de referência (dd/mm/aaaa).")
            return
        if self.state.started and change["new"] != self.state.as_of:
            self.state.as_of = change["new"]

    @guarded
    def on_today(self, _button) -> None:
        self.state.as_of = self.state.clock()

    @guarded
    def on_responsible(self, change) -> None:
        name = " ".join((change["new"] or "").split())[:100]
        self.state.responsible = name
        if name:
            self.alerts.success(f"Responsável: {name}.")

    @guarded
    def on_refresh(self, _button) -> None:
        state = self.state
        # A page left open overnight follows the calendar unless the analyst picked another day.
        if state.as_of == state.opened_on and state.clock() != state.opened_on:
            state.opened_on = state.clock()
            state.as_of = state.opened_on  # reloads
        else:
            state.reload()
        self.alerts.info(f"Lista atualizada: {state.total} conta(s).")
