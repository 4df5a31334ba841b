"""Whether a message may go out now: the customer's do-not-contact request and the legal contact hours."""

from __future__ import annotations

from datetime import datetime

from ..core import clock
from ..core.errors import InputError
from .hours import ContactHours

MESSAGE_CHANNELS = frozenset({"WhatsApp", "SMS", "E-mail"})  # phone, letter and in person stay allowed


class ContactBlockedError(InputError):
    """A message to this customer is not allowed (opt-out, or outside legal hours); nothing was sent or recorded."""


def is_message_channel(channel: str) -> bool:
    return channel in MESSAGE_CHANNELS


def opt_out_message(customer: str, reason: str | None) -> str:
    why = f" (motivo: {reason})" if reason else ""
    return (f"O cliente {customer} pediu para não receber mensagens{why}: WhatsApp, SMS e e-mail estão bloqueados "
            "e nada foi enviado nem registrado. Telefone, carta e contato presencial ainda podem ser registrados; "
            "se o cliente voltar a aceitar mensagens, use 'Contatar de novo' (cobranca optin).")


def check_message(channel: str, customer: str, opted_out: bool, opt_out_reason: str | None,
                  hours: ContactHours | None, at: datetime | None = None) -> None:
    """ContactBlockedError when a message on `channel` may not go out; other channels always pass.

    `hours` None skips the legal-hours check (recording a message the analyst already sent).
    """
    if not is_message_channel(channel):
        return
    if opted_out:
        raise ContactBlockedError(opt_out_message(customer, opt_out_reason))
    if hours is not None:
        refusal = hours.refusal(at or clock.now(hours.tz))
        if refusal:
            raise ContactBlockedError(refusal)
