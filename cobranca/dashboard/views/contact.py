"""Registrar contato (channel, destination, prefilled message, Enviar) and Registrar comentário panels."""

from __future__ import annotations

from datetime import date

import ipywidgets as widgets

from ...filters import CHANNELS
from ...phones import normalize_mobile
from ..alerts import guarded
from ..state import text_of
from .base import RowPanel, button, esc, show, table_html
from .pix import PixView

MESSAGE_CHANNELS = ("WhatsApp", "SMS", "E-mail")
PHONE_CHANNELS = ("WhatsApp", "SMS", "Telefone")


def _link(href: str, text: str, css: str, new_tab: bool = True) -> str:
    target = ' target="_blank" rel="noopener noreferrer"' if new_tab else ""
    return f'<a class="{css}" href="{esc(href)}"{target}>{esc(text)}</a>'


class ContactPanel(RowPanel):
    """The seed's contact screen for the selected receivable; closes when another row is selected."""

    css_class = "cobranca-contact-panel"

    def __init__(self, state, alerts, **kwargs):
        super().__init__(state, alerts, **kwargs)
        style = {"description_width": "120px"}
        self.info = widgets.HTML()
        self.pix = PixView()
        self.channel = widgets.Dropdown(description="Forma de contato", options=list(CHANNELS), style=style)
        self.to = widgets.Text(description="Fone", style=style, layout=widgets.Layout(width="420px"))
        self.phone_warning = widgets.HTML()
        self.subject = widgets.Text(description="Assunto", style=style, layout=widgets.Layout(width="95%"))
        self.message = widgets.Textarea(description="Mensagem", style=style, rows=9, layout=widgets.Layout(width="95%"))
        self.observation = widgets.Textarea(description="Observação", style=style, rows=2,
                                            layout=widgets.Layout(width="95%"))
        self.send_button = button("Enviar", "cobranca-contact-send", style="primary")
        self.close_button = button("Fechar", "cobranca-contact-close")
        self.result = widgets.HTML()
        self.confirm_email = button("Registrar e-mail enviado", "cobranca-contact-confirm-email", style="success")
        show(self.confirm_email, False)
        for widget, css in ((self.channel, "channel"), (self.to, "to"), (self.subject, "subject"),
                            (self.message, "message"), (self.observation, "observation"),
                            (self.phone_warning, "phone-warning"), (self.result, "result")):
            widget.add_class(f"cobranca-contact-{css}")
        self._pending_email: tuple[str, str, str] | None = None
        self.channel.observe(self.on_channel, "value")
        self.to.observe(self._check_phone, "value")
        self.send_button.on_click(self.on_send)
        self.close_button.on_click(lambda _: self.close_panel())
        self.confirm_email.on_click(self.on_confirm_email)
        self.children = [
            widgets.HTML("<b>Registrar contato</b>"), self.info, self.pix, self.channel, self.to, self.phone_warning,
            self.subject, self.message, self.observation,
            widgets.HBox([self.send_button, self.close_button, self.confirm_email]), self.result,
        ]

    # -- opening and prefilling ---------------------------------------------------------------
    def open_for_selection(self) -> None:
        row = self.state.require_selection()
        self.key = (row["document"], row["installment"])
        self.state.db.take_lease(int(row["customer_id"]), self.state.responsible or None)  # "em atendimento por"
        pairs = self.state.describe_row(row)
        self.info.value = table_html([label for label, _ in pairs], [[value for _, value in pairs]],
                                     "cobranca-contact-receivable")
        self.pix.show_row(self.state, row)
        self.result.value = ""
        show(self.confirm_email, False)
        self._pending_email = None
        channel = self.state.current_filter.channel
        if self.channel.value == channel:
            self._prefill(channel)
        else:
            self.channel.value = channel  # prefills through on_channel
        show(self, True)

    @guarded
    def on_channel(self, change) -> None:
        if self.key is not None:
            self._prefill(change["new"])

    def _prefill(self, channel: str) -> None:
        row = self.state.require_selection()
        is_email = channel == "E-mail"
        self.to.description = "E-mail" if is_email else ("Fone" if channel in PHONE_CHANNELS else "Destino")
        if is_email:
            self.to.value = text_of(row["email"])
        elif channel in PHONE_CHANNELS:
            self.to.value = text_of(row["mobile"]) or (text_of(row["phone"]) if channel == "Telefone" else "")
        else:
            self.to.value = ""
        rendered = self.state.message_for(channel, row)
        self.subject.value = (rendered.subject or "") if rendered and is_email else ""
        self.message.value = rendered.body if rendered else ""
        show(self.subject, is_email)
        show(self.message, channel in MESSAGE_CHANNELS)
        show(self.observation, channel not in MESSAGE_CHANNELS)
        self.observation.value = ""
        self.send_button.description = "Enviar" if channel in MESSAGE_CHANNELS else "Registrar"
        show(self.send_button, True)
        self.result.value = ""
        show(self.confirm_email, False)
        self._check_phone()

    def _check_phone(self, _change=None) -> None:
        if self.channel.value not in ("WhatsApp", "SMS"):
            self.phone_warning.value = ""
            return
        warning = normalize_mobile(self.to.value).warning
        self.phone_warning.value = (
            f'<span class="cobranca-phone-warning" style="color:#8a5300">Atenção: {esc(warning)}</span>'
            if warning else ""
        )

    # -- sending ------------------------------------------------------------------------------
    @guarded
    def on_send(self, _button) -> None:
        channel = self.channel.value
        if self.state.selected_key != self.key:
            self.close_panel()
            return
        if channel == "WhatsApp":
            result = self.state.send_whatsapp(self.to.value, self.message.value)
            warning = (f'<div style="color:#8a5300">Atenção: {esc(result.warning)}</div>' if result.warning else "")
            self.result.value = (
                f"<div>{esc(result.summary)}</div>{warning}"
                + _link(result.link, "Abrir o WhatsApp Web com a mensagem", "cobranca-whatsapp-link")
            )
            self.alerts.success(result.summary)
        elif channel == "E-mail" and self.state.smtp_ready():
            result = self.state.send_email(self.to.value, self.subject.value, self.message.value)
            self.result.value = f"<div>{esc(result.summary)}</div>"
            self.alerts.success(result.summary)
        elif channel == "E-mail":
            link = self.state.email_link(self.to.value, self.subject.value, self.message.value)
            self._pending_email = (self.to.value, self.subject.value, self.message.value)
            self.result.value = (
                "<div>Servidor de e-mail (SMTP) não configurado: abra a mensagem no seu programa de e-mail, "
                "envie e confirme aqui para registrar o contato.</div>"
                + _link(link, "Abrir no programa de e-mail", "cobranca-mailto-link", new_tab=False)
            )
            show(self.confirm_email, True)
        else:
            message = self.message.value if channel in MESSAGE_CHANNELS else ""
            result = self.state.register_contact(channel, to=self.to.value, message=message,
                                                 observation=self.observation.value)
            self.result.value = f"<div>{esc(result.summary)}</div>"
            self.alerts.success(result.summary)
        # Sent (or handed to the e-mail program): a second click would log the contact twice.
        show(self.send_button, False)
        self._warn_other_day()

    @guarded
    def on_confirm_email(self, _button) -> None:
        if self._pending_email is None:
            return
        to, subject, body = self._pending_email
        result = self.state.register_contact("E-mail", to=to, message=f"{subject}\n\n{body}")
        self._pending_email = None
        show(self.confirm_email, False)
        self.result.value = f"<div>{esc(result.summary)}</div>"
        self.alerts.success(result.summary)

    def _warn_other_day(self) -> None:
        if self.state.as_of != date.today():
            self.alerts.info("Contato registrado com a data de hoje; a lista está em outra data de referência, "
                             "por isso a linha não fica verde.")


class CommentPanel(RowPanel):
    """Registrar comentário: free text logged with channel 'Nenhum' (seed: 'Visualizou e não respondeu')."""

    css_class = "cobranca-comment-panel"

    def __init__(self, state, alerts, **kwargs):
        super().__init__(state, alerts, **kwargs)
        self.title = widgets.HTML()
        self.text = widgets.Textarea(placeholder="Ex.: Visualizou e não respondeu.", rows=3,
                                     layout=widgets.Layout(width="95%"))
        self.text.add_class("cobranca-comment-text")
        self.save_button = button("Gravar comentário", "cobranca-comment-save", style="primary")
        self.cancel_button = button("Cancelar", "cobranca-comment-cancel")
        self.save_button.on_click(self.on_save)
        self.cancel_button.on_click(lambda _: self.close_panel())
        self.children = [self.title, self.text, widgets.HBox([self.save_button, self.cancel_button])]

    def open_for_selection(self) -> None:
        row = self.state.require_selection()
        self.key = (row["document"], row["installment"])
        self.title.value = (f"<b>Registrar comentário</b> — {esc(row['document'])} / {esc(row['installment'])}, "
                            f"{esc(text_of(row['customer']))}")
        self.text.value = ""
        show(self, True)

    @guarded
    def on_save(self, _button) -> None:
        self.state.register_comment(self.text.value)
        self.close_panel()
        self.alerts.success("Comentário registrado.")
