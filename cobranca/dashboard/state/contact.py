"""The contact state of the selected row: prefilled messages, WhatsApp / e-mail / SMS, contacts, comments.

A contact registered gives back the page's claim on the customer (state/claims.py)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ...contacting import mailer
from ...contacting.templates import channel_family, render_for_receivable
from ...contacting.whatsapp import whatsapp_link
from ...core import formatting as fmt
from ...core.errors import InputError
from ...core.phones import normalize_mobile, shown_phone
from ...pix import charge as pix_charge
from ...workflows import messaging
from .feature import Feature
from .worklist import text_of


@dataclass(frozen=True)
class ContactResult:
    """What the contact panel shows after a send or a registration: a pt-BR summary, maybe a warning."""

    contact_id: int | None
    summary: str
    link: str | None = None
    warning: str | None = None


class ContactState(Feature):
    """Every write re-reads the selected row, its history and the totals in the same unit of work."""

    # -- guards -------------------------------------------------------------------------------
    def sending_blocked(self) -> str | None:
        """Why no message may go out now (pt-BR), or None."""
        app = self.app
        if app.analysis_mode:
            return (f"Modo de análise: a lista está calculada para {fmt.day(app.as_of)}, não para hoje. "
                    "Mensagens e contatos levam sempre os valores de hoje: volte para a data de hoje para "
                    "enviar ou registrar contatos (comentários continuam permitidos).")
        return None

    def _check_can_send(self) -> None:
        reason = self.sending_blocked()
        if reason:
            raise InputError(reason)

    def _check_responsible(self) -> None:
        if not self.app.responsible.strip():
            raise InputError("Informe seu nome (campo “Responsável”, no alto da página) antes de registrar.")

    # -- messages -----------------------------------------------------------------------------
    def message_for(self, channel: str, row: dict | None = None):
        """The prefilled message (subject, body) for `channel`; None for channels without a template
        and while the analyst's name is unknown (a message never goes out signed by nobody)."""
        try:
            channel_family(channel)
        except InputError:
            return None
        app = self.app
        if not app.responsible.strip():
            return None
        return render_for_receivable(row or app.require_selection(), channel, app.settings, app.responsible,
                                     app.as_of)

    def pix_problem(self) -> str | None:
        """Why the Pix code cannot be made ('' when Pix is simply not in use), or None when it can."""
        settings = self.app.settings
        problem = pix_charge.missing_settings(settings)
        if not problem:
            return None
        return problem if str(settings.get("pix_key") or "").strip() else ""

    def pix_for(self, row: dict) -> pix_charge.PixCharge | None:
        """The Pix code of a row's updated amount (valid on the as-of day), or None without Pix settings."""
        app = self.app
        return pix_charge.for_row(row, app.settings, app.as_of) if pix_charge.enabled(app.settings) else None

    def smtp_ready(self) -> bool:
        return bool(mailer.smtp_configured(self.app.settings))

    def whatsapp_link(self, phone_text: str, message: str) -> tuple[str, str | None]:
        """The wa.me link that opens the chat with `message` typed in, and a warning about the number."""
        self._check_can_send()
        notices = self.app.conversation.message_notices(self.app.require_selection())  # no db open
        if notices:
            raise InputError(notices[0])
        link = whatsapp_link(phone_text, message)
        return link, normalize_mobile(phone_text).warning

    def record_whatsapp(self, phone_text: str, message: str) -> ContactResult:
        """Record a WhatsApp message the analyst confirms having sent ("Registrar envio")."""
        self._check_can_send()
        self._check_responsible()
        app = self.app
        row = app.require_selection()
        check = normalize_mobile(phone_text)
        with app.unit():
            contact_id = messaging.record_whatsapp(self.db, row["document"], row["installment"], phone_text,
                                                   message, by=app.responsible)
            app.claims.release(int(row["customer_id"]))
            app.refresh_selected()
        return ContactResult(contact_id, f"Envio por WhatsApp registrado para {shown_phone(check.e164 or phone_text)}.",
                             warning=check.warning)

    def send_email(self, to: str, subject: str, body: str) -> ContactResult:
        """Send through the configured SMTP server, then record (nothing is recorded when sending fails)."""
        self._check_can_send()
        self._check_responsible()
        app = self.app
        row = app.require_selection()
        charge = self.pix_for(row)
        with app.unit():
            contact_id = messaging.send_email(self.db, row["document"], row["installment"], to, subject, body,
                                              by=app.responsible, pix=charge.code if charge else "")
            app.claims.release(int(row["customer_id"]))
            app.refresh_selected()
        return ContactResult(contact_id, f"E-mail enviado para {to} e contato registrado.")

    def email_link(self, to: str, subject: str, body: str) -> str:
        """A mailto: link for the analyst's own e-mail program (no SMTP configured)."""
        self._check_can_send()
        self.db.policy.check(self.app.require_selection(), "E-mail")  # do not contact, legal hours
        return mailer.mailto_link(to, subject, body)

    def register_contact(self, channel: str, to: str = "", message: str = "", observation: str = "") -> ContactResult:
        """Record a contact made outside the dashboard (phone call, letter, visit, an e-mail sent by hand)."""
        self._check_can_send()  # a call or a visit also quotes the figures on screen: today's only
        self._check_responsible()
        app = self.app
        row = app.require_selection()
        with app.unit():
            if channel == "SMS":  # "Enviar" on SMS: the message goes out now (do not contact, legal hours)
                self.db.policy.check(row, channel)
            contact_id = self.db.contacts.register_one(
                row["document"], row["installment"], channel, to=to or None, message=message or None,
                observation=observation or None, by=app.responsible,
            )
            app.claims.release(int(row["customer_id"]))
            app.refresh_selected()
        return ContactResult(contact_id, f"Contato por {channel} registrado.")

    def register_comment(self, text: str) -> int:
        self._check_responsible()
        app = self.app
        row = app.require_selection()
        with app.unit():
            contact_id = self.db.contacts.comment(row["document"], text, installment=row["installment"],
                                                  by=app.responsible)
            app.refresh_selected()
        return contact_id

    def last_entry(self) -> dict | None:
        """The newest history entry of the selected row (what "Cancelar último" would cancel), or None."""
        app = self.app
        if app.selected is None or app.history is None or app.history.empty:
            return None
        return app.history.iloc[0].to_dict()

    def cancel_last_contact(self) -> dict:
        app = self.app
        row = app.require_selection()
        with app.unit():
            cancelled = self.db.contacts.cancel_last(row["document"], row["installment"], by=self.by)
            if cancelled.get("kind", "contact") != "contact":
                app.reload()  # a promise, dispute or opt-out undone: the row's status (and place) changes
            else:
                app.refresh_selected()
        return cancelled


def describe_row(row: dict) -> list[tuple[str, str]]:
    """(label, value) pairs of a receivable for the side panel."""
    return [
        ("Cliente", text_of(row["customer"])),
        ("Documento", f"{row['document']} / parcela {row['installment']}"),
        ("Vencimento", fmt.day(row["due_date"])),
        ("Dias de atraso", str(int(row["days_overdue"]))),
        ("Saldo", fmt.brl(Decimal(row["balance"]))),
        ("Multa + juros", f"{fmt.brl(Decimal(row['fine']))} + {fmt.brl(Decimal(row['interest']))}"),
        ("Valor atualizado", fmt.brl(Decimal(row["updated_amount"]))),
    ]
