"""Contacts of the selected receivable, newest first (Data/Hora, Forma Contato, Responsável, Observação)."""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd

from ...core.formatting import moment
from ..state import text_of
from .base import Pane, esc

HEADER = ["Data/Hora", "Forma", "Responsável", "Observação"]  # as in the seed; the destination goes under Forma


NOTE_CHARS = 120  # a sent message is long: its start here, all of it on hover (and in the PDF)


def _short(text: str) -> str:
    return text if len(text) <= NOTE_CHARS else text[:NOTE_CHARS].rstrip() + "…"


class HistoryView(Pane):
    """The last section of the side panel, as the history pane of the seed's screen."""

    css_class = "cobranca-history"

    def __init__(self, state, alerts, **kwargs):
        super().__init__(state, alerts, **kwargs)
        self.title = widgets.HTML()
        self.table = widgets.HTML()
        self.table.add_class("cobranca-history-table")
        self.rows: list[list[str]] = []
        state.observe(self.render, ["selected", "revision", "generation"])
        self.render()
        self.children = [self.title, self.table]

    def render(self, _change=None) -> None:
        row = self.state.selected_row
        if row is None:
            self.title.value = '<div class="cobranca-side-title">Contatos realizados</div>'
            self.table.value = '<span class="cobranca-muted">Selecione uma conta para ver os contatos.</span>'
            self.rows = []
            return
        self.title.value = (f'<div class="cobranca-side-title">Contatos realizados <span class="cobranca-muted">— '
                            f"documento {esc(row['document'])} / {esc(row['installment'])}</span></div>")
        history = self.state.history
        self.rows = [
            [moment(pd.Timestamp(h["created_at"]).to_pydatetime()), text_of(h["channel"]),
             text_of(h["responsible"]), text_of(h["observation"]) or text_of(h["message"]),
             text_of(h["destination"])]
            for h in history.to_dict("records")
        ]
        if not self.rows:
            self.table.value = '<span class="cobranca-muted">Nenhum contato registrado para esta conta.</span>'
        else:
            head = "".join(f"<th>{esc(h)}</th>" for h in HEADER)
            body = "".join(
                f"<tr><td>{esc(when)}</td><td>{esc(channel)}"
                + (f'<br><span class="cobranca-muted">{esc(to)}</span>' if to else "")
                + f'</td><td>{esc(who)}</td><td title="{esc(note)}">{esc(_short(note))}</td></tr>'
                for when, channel, who, note, to in self.rows
            )
            self.table.value = (f'<table class="cobranca-table cobranca-history-entries"><thead><tr>{head}</tr></thead>'
                                f"<tbody>{body}</tbody></table>")
