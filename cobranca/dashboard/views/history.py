"""Contacts of the selected receivable, newest first (Data/Hora, Forma Contato, Responsável, Observação)."""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd

from ...formatting import moment
from ..state import text_of
from .base import Pane, esc, table_html

HEADER = ["Data/Hora", "Forma Contato", "Responsável", "Observação", "Destino"]


class HistoryView(Pane):
    """The pane under the grid, as in the seed's screen."""

    css_class = "cobranca-history"

    def __init__(self, state, alerts, **kwargs):
        super().__init__(state, alerts, **kwargs)
        self.title = widgets.HTML()
        self.table = widgets.HTML()
        self.table.add_class("cobranca-history-table")
        self.rows: list[list[str]] = []
        state.observe(self.render, "history")
        self.render()
        self.children = [self.title, self.table]

    def render(self, _change=None) -> None:
        row = self.state.selected_row
        if row is None:
            self.title.value = "<b>Contatos realizados</b>"
            self.table.value = "<small>Selecione uma conta para ver os contatos.</small>"
            self.rows = []
            return
        self.title.value = (f"<b>Contatos realizados</b> — {esc(text_of(row['customer']))}, documento "
                            f"{esc(row['document'])} / {esc(row['installment'])}")
        history = self.state.history
        self.rows = [
            [moment(pd.Timestamp(h["created_at"]).to_pydatetime()), text_of(h["channel"]),
             text_of(h["responsible"]), text_of(h["observation"]), text_of(h["destination"])]
            for h in history.to_dict("records")
        ]
        if not self.rows:
            self.table.value = "<small>Nenhum contato registrado para esta conta.</small>"
        else:
            self.table.value = table_html(HEADER, self.rows, "cobranca-history-entries")
