"""Whether a message may go out now: the customer's do-not-contact request and the legal contact hours."""

from __future__ import annotations

import os
from datetime import datetime
from zoneinfo import ZoneInfo

from .contact_hours import ContactHours
from .errors import InputError

MESSAGE_CHANNELS = frozenset({"WhatsApp", "SMS", "E-mail"})  # phone, letter and in person stay allowed
CLOCK_ENV = "COBRANCA_NOW"


class ContactBlockedError(InputError):
    """A message to this customer is not allowed (opt-out, or outside legal hours); nothing was sent or recorded."""


def clock(tz: ZoneInfo) -> datetime:
    """Now in `tz`. COBRANCA_NOW (ISO 8601 with offset) stands in for the machine clock in these checks (tests)."""
    fixed = os.environ.get(CLOCK_ENV, "").strip()
    if fixed:
        try:
            moment = datetime.fromisoformat(fixed)
        except ValueError as exc:
            raise InputError(f"{CLOCK_ENV}='{fixed}' não é uma data e hora ISO (ex.: 2026-11-30T10:00:00-03:00).") from exc
        return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment.astimezone(tz)
    return datetime.now(tz)


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
        refusal = hours.refusal(at or clock(hours.tz))
        if refusal:
            raise ContactBlockedError(refusal)
