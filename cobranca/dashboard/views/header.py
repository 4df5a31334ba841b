"""Header: company name, as-of date, responsible and the Atualizar button."""

from __future__ import annotations

from datetime import date

import ipywidgets as widgets

from ...formatting import day
from ...settings import default_responsible
from ..alerts import guarded
from .base import Pane, button, esc


class HeaderView(Pane):
    """The top bar; changing the date reloads the worklist, Atualizar re-reads everything."""

    css_class = "cobranca-header"

    def __init__(self, state, alerts, **kwargs):
        super().__init__(state, alerts, **kwargs)
        self.opened_on = date.today()
        self.title = widgets.HTML()
        self.as_of = widgets.DatePicker(description="Data de referência", value=state.as_of,
                                        style={"description_width": "130px"},
                                        layout=widgets.Layout(width="290px"))
        self.as_of.add_class("cobranca-as-of")
        self.responsible = widgets.Text(description="Responsável", value=state.responsible,
                                        style={"description_width": "90px"}, layout=widgets.Layout(width="320px"))
        self.responsible.add_class("cobranca-responsible")
        self.refresh_button = button("Atualizar", "cobranca-refresh", tooltip="Reler a lista (contatos de outras abas)")
        self.as_of.observe(self.on_date, "value")
        self.responsible.observe(self.on_responsible, "value")
        self.refresh_button.on_click(self.on_refresh)
        state.observe(self._render_title, "settings")
        state.observe(self._sync_date, "as_of")
        self._render_title()
        self.children = [
            self.title,
            widgets.HBox([self.as_of, self.responsible, self.refresh_button],
                         layout=widgets.Layout(align_items="center", flex_flow="row wrap")),
        ]

    def _render_title(self, _change=None) -> None:
        company = self.state.settings.get("company_name") or ""
        # The date input follows the browser's language; the title always says the day in pt-BR.
        self.title.value = (
            f'<div class="cobranca-title"><span class="cobranca-company">{esc(company)}</span>'
            ' — Gerenciamento de cobranças'
            f' <span class="cobranca-title-date">— posição de {esc(day(self.state.as_of))}</span></div>'
        )

    def _sync_date(self, change) -> None:
        self._render_title()
        if self.as_of.value != change["new"]:
            self.as_of.value = change["new"]

    @guarded
    def on_date(self, change) -> None:
        if change["new"] is None:
            self.alerts.warning("Informe a data de referência (dd/mm/aaaa).")
            return
        self.state.as_of = change["new"]

    @guarded
    def on_responsible(self, change) -> None:
        self.state.responsible = (change["new"] or "").strip()[:100] or default_responsible()

    @guarded
    def on_refresh(self, _button) -> None:
        # A page left open overnight follows the calendar unless the analyst picked another day.
        if self.state.as_of == self.opened_on and date.today() != self.opened_on:
            self.opened_on = date.today()
            self.state.as_of = self.opened_on  # reloads
        else:
            self.state.reload()
        self.alerts.info(f"Lista atualizada: {self.state.total} conta(s).")
