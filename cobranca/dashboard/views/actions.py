"""Row actions in the side panel: Registrar contato, Registrar comentário, Cancelar último (confirmed); and
"Próximo cliente" (its button sits on the list's toolbar)."""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd

from ...core.formatting import moment
from ..alerts import guarded
from ..state import text_of
from ..state.claims import NOBODY_LEFT
from .base import Pane, button, esc, show


def _when(value) -> str:
    return moment(pd.Timestamp(value).to_pydatetime())


class ActionsView(Pane):
    """The selected row's buttons; "Cancelar último" says what it cancels and asks first."""

    css_class = "cobranca-actions"

    def __init__(self, state, alerts, contact_panel, comment_panel, **kwargs):
        super().__init__(state, alerts, **kwargs)
        self.contact_panel = contact_panel
        self.comment_panel = comment_panel
        self.contact_button = button("Registrar contato", "cobranca-action-contact", style="primary",
                                     tooltip="Registrar contato (Enter na lista)")
        self.comment_button = button("Registrar comentário", "cobranca-action-comment")
        self.cancel_button = button("Cancelar último", "cobranca-action-cancel",
                                    tooltip="Cancelar o último contato ou comentário desta conta")
        self.confirm_text = widgets.HTML()
        self.confirm_yes = button("Sim, cancelar", "cobranca-cancel-confirm-yes", style="danger")
        self.confirm_no = button("Não", "cobranca-cancel-confirm-no")
        self.confirm = widgets.VBox([self.confirm_text, widgets.HBox([self.confirm_yes, self.confirm_no])],
                                    layout=widgets.Layout(display="none"))
        self.confirm.add_class("cobranca-cancel-confirm")
        self.contact_button.on_click(self.on_contact)
        self.comment_button.on_click(self.on_comment)
        self.cancel_button.on_click(self.on_cancel)
        self.confirm_yes.on_click(self.on_confirm_cancel)
        self.confirm_no.on_click(lambda _: show(self.confirm, False))
        state.observe(self.render, ["selected", "revision", "generation", "as_of"])
        self.render()
        self.children = [widgets.HBox([self.contact_button, self.comment_button]), widgets.HBox([self.cancel_button]),
                         self.confirm]

    def render(self, _change=None) -> None:
        none = self.state.selected is None
        blocked = self.state.contact.sending_blocked()
        self.contact_button.disabled = none or bool(blocked)
        self.contact_button.tooltip = blocked or "Registrar contato (Enter na lista)"
        self.comment_button.disabled = none
        last = self.state.contact.last_entry()
        self.cancel_button.disabled = last is None
        self.cancel_button.description = ("Cancelar último comentário"
                                          if last is not None and last["channel"] == "Nenhum" else "Cancelar último contato")
        show(self.confirm, False)

    @guarded
    def on_contact(self, _button=None) -> None:
        blocked = self.state.contact.sending_blocked()
        if blocked:
            self.alerts.warning(blocked)
            return
        self.comment_panel.close_panel()
        self.contact_panel.open_for_selection()

    def next_customer(self) -> None:
        """"Próximo cliente": claim the next free customer, select its first row and open its contact form."""
        if self.state.claims.next_customer() is None:
            self.alerts.warning(NOBODY_LEFT)
            return
        self.comment_panel.close_panel()
        self.contact_panel.open_for_selection(claimed=True)

    @guarded
    def on_comment(self, _button) -> None:
        self.contact_panel.close_panel()
        self.comment_panel.open_for_selection()

    @guarded
    def on_cancel(self, _button) -> None:
        last = self.state.contact.last_entry()
        if last is None:
            self.alerts.warning("Não há contato nem comentário a cancelar nesta conta.")
            return
        what = "o comentário" if last["channel"] == "Nenhum" else f"o contato por {esc(last['channel'])}"
        text = esc(text_of(last["observation"]) or text_of(last["message"]))
        detail = f" — “{text[:80]}{'…' if len(text) > 80 else ''}”" if text else ""
        self.confirm_text.value = (f'<div class="cobranca-cancel-question">Cancelar {what} de '
                                   f"{esc(_when(last['created_at']))} ({esc(text_of(last['responsible']))}){detail}? "
                                   "Ele continua guardado, marcado como cancelado.</div>")
        show(self.confirm, True)

    @guarded
    def on_confirm_cancel(self, _button) -> None:
        show(self.confirm, False)
        cancelled = self.state.contact.cancel_last_contact()
        kind = "Comentário" if cancelled["channel"] == "Nenhum" else f"Contato por {cancelled['channel']}"
        self.alerts.success(f"{kind} de {_when(cancelled['created_at'])} cancelado.")
