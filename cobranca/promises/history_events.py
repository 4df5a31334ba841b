"""How promises, disputes and do-not-contact requests read in a receivable's history (label and observation)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ..core import formatting as fmt

PROMISE, DISPUTE, RESOLVE = "promise", "dispute", "resolve"  # receivable events
OPT_OUT, OPT_IN = "optout", "optin"  # customer events
PAYMENT = "payment"  # a payment read from a bank file or statement (cobranca/baixa)
CONTACT = "contact"  # an ordinary contact or comment

KIND_LABELS = {
    PROMISE: "Promessa",
    DISPUTE: "Contestação",
    RESOLVE: "Contestação resolvida",
    OPT_OUT: "Não contatar",
    OPT_IN: "Contatar de novo",
    PAYMENT: "Pagamento",
}


def describe(kind: str, note: str | None, promise_date: date | None = None, amount: Decimal | None = None) -> str:
    """The observation shown for an event: what was agreed, then the analyst's note (plain text)."""
    note = "" if fmt.is_missing(note) else str(note).strip()
    if kind == PROMISE:
        head = f"Promessa de pagamento de {fmt.brl(amount)} até {fmt.day(promise_date)}."
    elif kind == DISPUTE:
        head = "Contestação:"
    elif kind == RESOLVE:
        head = "Contestação resolvida."
    elif kind == OPT_OUT:
        head = "Cliente pediu para não receber mensagens (WhatsApp, SMS, e-mail):"
    elif kind == OPT_IN:
        head = "Cliente voltou a aceitar mensagens."
    elif kind == PAYMENT:  # `promise_date` holds the payment's day, `amount` what was paid
        head = f"Pagamento de {fmt.brl(amount)} em {fmt.day(promise_date)} —"
    else:
        return note
    return f"{head} {note}".strip()
