"""The side panel: the selected account, its actions and forms, extra sections, and its history.

The grid never moves: everything about one account lives here. Features add their own section with
`SidePanel.add_section(widget)` (e.g. a Pix QR code or promise buttons); sections sit between the
forms and the history, in the order added.
"""

from __future__ import annotations

import ipywidgets as widgets

from ...core.phones import shown_phone
from ..state import describe_row, text_of
from .base import Pane, esc, show, table_html


class SidePanel(Pane):
    """Account card, row actions, contact/comment forms, extra sections, history."""

    css_class = "cobranca-side"

    def __init__(self, state, alerts, actions, contact, comment, history, **kwargs):
        super().__init__(state, alerts, **kwargs)
        self.actions, self.contact, self.comment, self.history = actions, contact, comment, history
        self.selection = widgets.HTML()
        self.selection.add_class("cobranca-selected")
        self.info = widgets.HTML()
        self.info.add_class("cobranca-account")
        self.sections = widgets.VBox()
        self.sections.add_class("cobranca-side-sections")
        state.observe(self.render, ["selected", "generation", "revision"])
        self.render()
        self.children = [self.selection, self.info, actions, contact, comment, self.sections, history]

    def add_section(self, widget: widgets.Widget) -> None:
        """Add a feature's section to the panel (shown for every selection; the widget decides what to draw)."""
        widget.add_class("cobranca-side-section")
        self.sections.children = (*self.sections.children, widget)

    def render(self, _change=None) -> None:
        row = self.state.selected_row
        if row is None:
            self.selection.value = ('<div class="cobranca-selected-none">Nenhuma conta selecionada: clique em uma '
                                    "linha (ou use ↑/↓ com o mouse sobre a lista).</div>")
            self.info.value = ""
            show(self.info, False)
            return
        contacted = bool(row.get("contacted_today"))
        badge = '<span class="cobranca-badge cobranca-badge-contacted">contatado hoje</span>' if contacted else ""
        self.selection.value = (
            f'<div class="cobranca-selected-head"><span class="cobranca-selected-customer">'
            f'{esc(text_of(row["customer"]))}</span> {badge}<br><span class="cobranca-muted">Documento</span> '
            f'<b class="cobranca-selected-key" data-document="{esc(row["document"])}" '
            f'data-installment="{esc(row["installment"])}">{esc(row["document"])} / {esc(row["installment"])}</b></div>'
        )
        pairs = describe_row(row)[2:]
        contacts = [("Celular", shown_phone(text_of(row.get("mobile")))), ("E-mail", text_of(row.get("email")))]
        body = [[label, value] for label, value in pairs + contacts if value]
        self.info.value = table_html([], body, "cobranca-account-table cobranca-contact-receivable")
        show(self.info, True)
