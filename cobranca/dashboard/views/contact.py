"""Registrar contato (channel, destination, prefilled message) and Registrar comentário, in the side panel.

WhatsApp as in the seed: "Enviar pelo WhatsApp" is a real link (wa.me, new tab) that opens the chat with
the message typed in; the contact is recorded only when the analyst then clicks "Registrar envio"
(enabled once the link was clicked), like the e-mail `mailto:` path. Nothing is recorded before the
analyst had a chance to send.
"""

from __future__ import annotations

import ipywidgets as widgets
from ipyevents import Event

from ...core.errors import InputError
from ...core.phones import normalize_mobile, shown_phone
from ...receivables.filters import CHANNELS
from ..alerts import guarded
from ..state import text_of
from .base import RowPanel, bar, button, dialog, esc, show
from .pix import PixView

MESSAGE_CHANNELS = ("WhatsApp", "SMS", "E-mail")
PHONE_CHANNELS = ("WhatsApp", "SMS", "Telefone")
NO_NAME = "Informe seu nome no campo “Responsável”, no alto da página, para preencher a mensagem."


def _link(href: str, text: str, css: str, new_tab: bool = True) -> str:
    target = ' target="_blank" rel="noopener noreferrer"' if new_tab else ""
    return f'<a class="{css}" href="{esc(href)}"{target}>{esc(text)}</a>'


def _title(action: str, row: dict) -> str:
    """A dialog's title naming the account it works on (the dialog covers the side panel)."""
    return (f'<div class="cobranca-side-title">{esc(action)} — {esc(text_of(row["customer"]))} '
            f'<span class="cobranca-muted">· documento {esc(row["document"])} / {esc(row["installment"])}</span></div>')


class ContactPanel(RowPanel):
    """The seed's contact screen for the selected receivable; closes when another row is selected."""

    css_class = "cobranca-contact-panel"

    def __init__(self, state, alerts, **kwargs):
        super().__init__(state, alerts, **kwargs)
        style = {"description_width": "125px"}
        def wide():  # one Layout per widget: show()/hide set display on it
            return widgets.Layout(width="100%")

        self.pix = PixView()  # the selected row's Pix QR code and copia-e-cola (when Pix is set up)
        self.channel = widgets.Dropdown(description="Forma de contato", options=list(CHANNELS), style=style,
                                        layout=wide())
        self.to = widgets.Text(description="Fone", style=style, layout=wide())
        self.phone_warning = widgets.HTML()
        self.subject = widgets.Text(continuous_update=False, description="Assunto", style=style, layout=wide())
        self.message = widgets.Textarea(description="Mensagem", style=style, rows=9, layout=wide())  # the default, whole
        self.observation = widgets.Textarea(continuous_update=False, description="Observação", style=style, rows=2, layout=wide())
        self.send_button = button("Enviar", "cobranca-contact-send", style="primary")
        self.whatsapp = widgets.HTML()  # the "Enviar pelo WhatsApp" link, kept in step with phone and message
        self.whatsapp.add_class("cobranca-whatsapp")
        self.whatsapp_clicks = Event(source=self.whatsapp, watched_events=["click"])
        self.record_whatsapp = button("Registrar envio", "cobranca-contact-record", style="success",
                                      tooltip="Depois de enviar no WhatsApp, registre o contato")
        self.close_button = button("Fechar", "cobranca-contact-close")
        self.result = widgets.HTML()
        self.confirm_email = button("Registrar e-mail enviado", "cobranca-contact-confirm-email", style="success")
        show(self.confirm_email, False)
        for widget, css in ((self.channel, "channel"), (self.to, "to"), (self.subject, "subject"),
                            (self.message, "message"), (self.observation, "observation"),
                            (self.phone_warning, "phone-warning"), (self.result, "result")):
            widget.add_class(f"cobranca-contact-{css}")
        self._pending_email: tuple[str, str, str] | None = None
        self._pending_whatsapp: tuple[str, str] | None = None
        self.customer_id: int | None = None  # the customer the form was opened on (and claimed)
        self.channel.observe(self.on_channel, "value")
        self.to.observe(self._inputs_changed, "value")
        self.message.observe(self._inputs_changed, "value")
        self.send_button.on_click(self.on_send)
        self.whatsapp_clicks.on_dom_event(self.on_whatsapp_opened)
        self.record_whatsapp.on_click(self.on_record_whatsapp)
        self.close_button.on_click(lambda _: self.close_panel())
        self.confirm_email.on_click(self.on_confirm_email)
        state.observe(self._name_known, "responsible")
        state.claims.on_lost.append(self.alerts.warning)  # the form stays open: the call may still be logged
        state.observe(lambda _: self.close_panel(), "as_of")
        self.title = widgets.HTML('<div class="cobranca-side-title">Registrar contato</div>')
        self.why = widgets.HTML()  # why "Enviar pelo WhatsApp" is off, in one line beside it
        self.why.add_class("cobranca-whatsapp-why")
        self.children = [
            self.title, self.pix, self.channel, self.to, self.phone_warning, self.subject, self.message,
            self.observation,
            bar([self.send_button, self.whatsapp, self.record_whatsapp, self.confirm_email, self.close_button],
                "cobranca-dialog-buttons"),
            self.why, self.result,
        ]
        dialog(self)

    # -- opening and prefilling ---------------------------------------------------------------
    def open_for_selection(self, claimed: bool = False) -> bool:
        """Open the form on the selected row, its customer claimed for the analyst (unless `claimed` already);
        False, with the reason in the alerts, when another analyst serves that customer."""
        if not claimed:
            refused = self.state.claims.take_selected()
            if refused:
                self.close_panel()
                self.alerts.warning(f"{refused} Escolha outro cliente ou use “Próximo cliente”.")
                return False
        row = self.state.require_selection()
        self.key = (row["document"], row["installment"])
        self.customer_id = int(row["customer_id"])
        self.pix.show_row(self.state.contact, row)
        self.title.value = _title("Registrar contato", row)
        self.result.value = ""
        channel = self.state.current_filter.channel
        if self.channel.value == channel:
            self._prefill(channel)
        else:
            self.channel.value = channel  # prefills through on_channel
        show(self, True)
        return True

    def close_panel(self) -> None:
        """Give the form's customer back, then close it ("Fechar", another row, another day): once the browser
        hides the form, the other analysts may take that customer."""
        was_open, self.key = self.key is not None, None
        if was_open:
            self._release()
        show(self, False)

    @guarded
    def _release(self) -> None:
        self.state.claims.release(self.customer_id)

    @guarded
    def on_channel(self, change) -> None:
        if self.key is not None:
            self._prefill(change["new"])

    def _name_known(self, _change) -> None:
        if self.key is not None and not self.message.value.strip():
            self._prefill(self.channel.value)

    def _prefill(self, channel: str) -> None:
        row = self.state.require_selection()
        is_email = channel == "E-mail"
        self.to.description = "E-mail" if is_email else ("Fone" if channel in PHONE_CHANNELS else "Destino")
        if is_email:
            self.to.value = text_of(row["email"])
        elif channel in PHONE_CHANNELS:
            phone = text_of(row["mobile"]) or (text_of(row["phone"]) if channel == "Telefone" else "")
            self.to.value = shown_phone(phone)  # as people write it: (11) 98765-4321
        else:
            self.to.value = ""
        rendered = self.state.contact.message_for(channel, row)
        self.subject.value = (rendered.subject or "") if rendered and is_email else ""
        self.message.value = rendered.body if rendered else ""
        self.message.placeholder = NO_NAME if channel in MESSAGE_CHANNELS and not self.state.responsible else ""
        show(self.subject, is_email)
        show(self.message, channel in MESSAGE_CHANNELS)
        show(self.observation, channel not in MESSAGE_CHANNELS)
        self.observation.value = ""
        self.send_button.description = "Enviar" if channel in MESSAGE_CHANNELS else "Registrar"
        is_whatsapp = channel == "WhatsApp"
        show(self.send_button, not is_whatsapp)
        show(self.whatsapp, is_whatsapp)
        show(self.record_whatsapp, is_whatsapp)
        self.record_whatsapp.disabled = True
        self._pending_whatsapp = None
        self._pending_email = None
        self.result.value = ""
        show(self.confirm_email, False)
        self._inputs_changed()

    def _inputs_changed(self, _change=None) -> None:
        """Phone warning and the WhatsApp link follow what is typed."""
        channel = self.channel.value
        warning = normalize_mobile(self.to.value).warning if channel in ("WhatsApp", "SMS") else None
        self.phone_warning.value = (
            f'<span class="cobranca-phone-warning">Atenção: {esc(warning)}</span>' if warning else ""
        )
        if channel == "WhatsApp" and self.key is not None:
            self.whatsapp.value, why = self._whatsapp_html()
            self.why.value = f"<div>{esc(why)}</div>" if why else ""
        else:
            self.why.value = ""

    def _whatsapp_html(self) -> tuple[str, str]:
        """The link (or the greyed button) and, when greyed, why — shown in one line under it."""
        off = '<span class="cobranca-whatsapp-off" title="{why}">Enviar pelo WhatsApp</span>'
        if not self.message.value.strip():
            reason = NO_NAME if not self.state.responsible else "Escreva a mensagem."
            return off.format(why=esc(reason)), reason
        brief = self.state.conversation.sending_brief()
        if brief:
            return off.format(why=esc(brief)), brief
        try:
            link, _warning = self.state.contact.whatsapp_link(self.to.value, self.message.value)
        except InputError as exc:
            return off.format(why=esc(exc)), str(exc)
        return _link(link, "Enviar pelo WhatsApp", "cobranca-whatsapp-link"), ""

    # -- sending ------------------------------------------------------------------------------
    @guarded
    def on_whatsapp_opened(self, event: dict) -> None:
        """The analyst clicked the wa.me link: what it carried can now be recorded."""
        if self.key is None or self.channel.value != "WhatsApp" or "cobranca-whatsapp-link" not in str(
                event.get("target", {}).get("className", "")):
            return
        self._pending_whatsapp = (self.to.value, self.message.value)
        self.record_whatsapp.disabled = False
        show(self.record_whatsapp, True)
        self.result.value = ('<div class="cobranca-hint">WhatsApp aberto em outra aba. Depois de enviar a mensagem, '
                             "clique em “Registrar envio”.</div>")

    @guarded
    def on_record_whatsapp(self, _button) -> None:
        if self._pending_whatsapp is None:
            raise InputError("Clique primeiro em “Enviar pelo WhatsApp” e envie a mensagem.")
        if self.state.selected_key != self.key:
            self.close_panel()
            return
        to, message = self._pending_whatsapp
        result = self.state.contact.record_whatsapp(to, message)
        self._pending_whatsapp = None
        show(self.record_whatsapp, False)  # recorded: a second click must not log it twice
        warning = f'<div class="cobranca-phone-warning">Atenção: {esc(result.warning)}</div>' if result.warning else ""
        self.result.value = f'<div class="cobranca-done">{esc(result.summary)}</div>{warning}'
        self.alerts.success(result.summary)

    @guarded
    def on_send(self, _button) -> None:
        channel = self.channel.value
        if self.state.selected_key != self.key:
            self.close_panel()
            return
        if channel == "E-mail" and self.state.contact.smtp_ready():
            result = self.state.contact.send_email(self.to.value, self.subject.value, self.message.value)
            self.result.value = f'<div class="cobranca-done">{esc(result.summary)}</div>'
            self.alerts.success(result.summary)
        elif channel == "E-mail":
            link = self.state.contact.email_link(self.to.value, self.subject.value, self.message.value)
            self._pending_email = (self.to.value, self.subject.value, self.message.value)
            self.result.value = (
                '<div class="cobranca-hint">Servidor de e-mail (SMTP) não configurado: abra a mensagem no seu '
                "programa de e-mail, envie e confirme aqui para registrar o contato.</div>"
                + _link(link, "Abrir no programa de e-mail", "cobranca-mailto-link", new_tab=False)
            )
            show(self.confirm_email, True)
        else:
            message = self.message.value if channel in MESSAGE_CHANNELS else ""
            result = self.state.contact.register_contact(channel, to=self.to.value, message=message,
                                                 observation=self.observation.value)
            self.result.value = f'<div class="cobranca-done">{esc(result.summary)}</div>'
            self.alerts.success(result.summary)
        # Sent (or handed to the e-mail program): a second click would log the contact twice.
        show(self.send_button, False)

    @guarded
    def on_confirm_email(self, _button) -> None:
        if self._pending_email is None:
            return
        to, subject, body = self._pending_email
        result = self.state.contact.register_contact("E-mail", to=to, message=f"{subject}\n\n{body}")
        self._pending_email = None
        show(self.confirm_email, False)
        self.result.value = f'<div class="cobranca-done">{esc(result.summary)}</div>'
        self.alerts.success(result.summary)


class CommentPanel(RowPanel):
    """Registrar comentário: free text logged with channel 'Nenhum' (seed: 'Visualizou e não respondeu')."""

    css_class = "cobranca-comment-panel"

    def __init__(self, state, alerts, **kwargs):
        super().__init__(state, alerts, **kwargs)
        self.title = widgets.HTML()
        self.text = widgets.Textarea(continuous_update=False, placeholder="Ex.: Visualizou e não respondeu.", rows=3,
                                     layout=widgets.Layout(width="100%"))
        self.text.add_class("cobranca-comment-text")
        self.save_button = button("Gravar comentário", "cobranca-comment-save", style="primary")
        self.cancel_button = button("Cancelar", "cobranca-comment-cancel")
        self.save_button.on_click(self.on_save)
        self.cancel_button.on_click(lambda _: self.close_panel())
        self.children = [self.title, self.text, bar([self.save_button, self.cancel_button], "cobranca-dialog-buttons")]
        dialog(self)

    def open_for_selection(self) -> None:
        row = self.state.require_selection()
        self.key = (row["document"], row["installment"])
        self.title.value = _title("Registrar comentário", row)
        self.text.value = ""
        show(self, True)

    @guarded
    def on_save(self, _button) -> None:
        self.state.contact.register_comment(self.text.value)
        self.close_panel()
        self.alerts.success("Comentário registrado.")
