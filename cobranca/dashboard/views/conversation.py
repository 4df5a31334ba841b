"""The selected account's conversation state: Promessa, Contestação, Resolver, Não contatar, and the notices
that say before the analyst writes why a message would be refused (do not contact, legal hours)."""

from __future__ import annotations

import ipywidgets as widgets

from ..alerts import guarded
from .base import Pane, bar, button, dialog, esc, show

_PROMPTS = {
    "promise": ("Promessa de pagamento", "Observação (opcional)", "Registrar promessa"),
    "dispute": ("Contestação", "Motivo da contestação (obrigatório)", "Registrar contestação"),
    "resolve": ("Resolver contestação", "Como foi resolvida (opcional)", "Resolver"),
    "optout": ("Não contatar", "Motivo do pedido (obrigatório)", "Marcar não contatar"),
    "optin": ("Contatar de novo", "Observação (opcional)", "Permitir mensagens"),
}


class ConversationPanel(Pane):
    """Status line, notices, four buttons and one small form that each button opens."""

    css_class = "cobranca-conversation"

    def __init__(self, state, alerts, **kwargs):
        super().__init__(state, alerts, **kwargs)
        self.status = widgets.HTML()
        self.status.add_class("cobranca-conversation-status")
        self.notices = widgets.HTML()
        self.notices.add_class("cobranca-conversation-notices")
        self.promise_button = button("Promessa", "cobranca-action-promise")
        self.dispute_button = button("Contestação", "cobranca-action-dispute")
        self.resolve_button = button("Resolver", "cobranca-action-resolve")
        self.optout_button = button("Não contatar", "cobranca-action-optout")
        self.mode = ""
        self.title = widgets.HTML()
        self.due = widgets.DatePicker(description="Data prometida", style={"description_width": "110px"})
        self.due.add_class("cobranca-promise-date")
        self.amount = widgets.Text(continuous_update=False, description="Valor (R$)", placeholder="padrão: valor atualizado",
                                   style={"description_width": "110px"})
        self.amount.add_class("cobranca-promise-amount")
        self.text = widgets.Textarea(continuous_update=False, layout=widgets.Layout(width="100%", height="72px"))
        self.text.add_class("cobranca-conversation-text")
        self.confirm = button("Registrar", "cobranca-conversation-confirm", style="primary")
        self.cancel = button("Cancelar", "cobranca-conversation-cancel")
        self.promise_fields = widgets.VBox([self.due, self.amount])
        self.form = widgets.VBox([self.title, self.promise_fields, self.text,
                                  bar([self.confirm, self.cancel], "cobranca-dialog-buttons")])
        self.form.add_class("cobranca-conversation-form")
        dialog(self.form)
        show(self.form, False)
        for widget, mode in ((self.promise_button, "promise"), (self.dispute_button, "dispute"),
                             (self.resolve_button, "resolve"), (self.optout_button, "optout")):
            widget.on_click(lambda _b, mode=mode: self.open_form(mode))
        self.confirm.on_click(self.on_confirm)
        self.cancel.on_click(lambda _b: self.close_form())
        # After a full reload: "generation" where the state announces it (the row's position is set by then),
        # else "worklist".
        reloaded = "generation" if state.has_trait("generation") else "worklist"
        state.observe(self.render, ["selected", reloaded, "revision"])
        self.render()
        self.children = [
            widgets.HBox([self.status, self.promise_button, self.dispute_button, self.resolve_button,
                          self.optout_button], layout=widgets.Layout(flex_flow="row wrap", align_items="center")),
            self.notices, self.form,
        ]

    def render(self, _change=None) -> None:
        row = self.state.selected_row
        for widget in (self.promise_button, self.dispute_button, self.resolve_button, self.optout_button):
            widget.disabled = row is None
        if row is None:
            self.status.value = ""
            self.notices.value = ""
            self.close_form()
            return
        status = str(row.get("status") or "open")
        self.resolve_button.disabled = status != "disputed"
        self.dispute_button.disabled = status == "disputed"
        blocked = bool(row.get("do_not_contact"))
        self.optout_button.description = "Contatar de novo" if blocked else "Não contatar"
        self.status.value = (f'<span class="cobranca-conversation-label">Situação: '
                             f"<b>{esc(self.state.conversation.status(row))}</b></span>&nbsp;")
        try:
            notices = self.state.conversation.message_notices(row)
        except Exception:  # a notice must never break the panel; the send itself is still checked
            notices = []
        self.notices.value = "".join(
            f'<div class="cobranca-notice" style="color:#8a1c1c;background:#fdecea;padding:4px 8px;'
            f'margin:2px 0;border-radius:4px">{esc(text)}</div>' for text in notices)

    def open_form(self, mode: str) -> None:
        if mode == "optout" and bool((self.state.selected_row or {}).get("do_not_contact")):
            mode = "optin"
        self.mode = mode
        title, placeholder, action = _PROMPTS[mode]
        row = self.state.selected_row or {}
        who = (f' — {esc(row.get("customer", ""))} <span class="cobranca-muted">· documento '
               f'{esc(row.get("document", ""))} / {esc(row.get("installment", ""))}</span>') if row else ""
        self.title.value = f'<div class="cobranca-side-title">{esc(title)}{who}</div>'
        self.text.placeholder = placeholder
        self.text.value = ""
        self.amount.value = ""
        self.due.value = None
        self.confirm.description = action
        show(self.promise_fields, mode == "promise")
        show(self.form, True)

    def close_form(self) -> None:
        self.mode = ""
        show(self.form, False)

    @guarded
    def on_confirm(self, _button) -> None:
        text = self.text.value
        if self.mode == "promise":
            done = self.state.conversation.register_promise(self.due.value, self.amount.value, text)
        elif self.mode == "dispute":
            done = self.state.conversation.register_dispute(text)
        elif self.mode == "resolve":
            done = self.state.conversation.resolve_dispute(text)
        elif self.mode in ("optout", "optin"):
            done = self.state.conversation.set_do_not_contact(self.mode == "optout", text)
        else:
            return
        self.close_form()
        self.alerts.success(done)
