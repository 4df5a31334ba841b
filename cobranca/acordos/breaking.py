"""When an agreement breaks or is kept, and how what was paid goes back to the original receivables. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

ACTIVE, KEPT, BROKEN, CANCELLED = "active", "kept", "broken", "cancelled"
STATUS_LABELS = {ACTIVE: "Em dia", KEPT: "Cumprido", BROKEN: "Quebrado", CANCELLED: "Cancelado"}


@dataclass(frozen=True)
class Due:
    """One payment of the schedule as it stands: its due date, amount and what is still owed of it."""

    due_date: date
    amount: Decimal
    balance: Decimal

    @property
    def paid(self) -> Decimal:
        return self.amount - max(self.balance, Decimal(0))


def days_late(payment: Due, as_of: date) -> int:
    """Calendar days past the (business-day) due date while still owed; 0 when paid or not yet due."""
    if payment.balance <= 0:
        return 0
    return max(0, (as_of - payment.due_date).days)


def state(payments: Sequence[Due], as_of: date, grace_days: int) -> str:
    """KEPT when everything is paid; BROKEN when a payment is owed more than `grace_days` after its due date."""
    if all(p.balance <= 0 for p in payments):
        return KEPT
    if any(days_late(p, as_of) > grace_days for p in payments):
        return BROKEN
    return ACTIVE


def paid_total(payments: Sequence[Due]) -> Decimal:
    return sum((p.paid for p in payments), Decimal("0.00"))


def allocate(paid: Decimal, balances: Sequence[Decimal]) -> tuple[list[Decimal], Decimal]:
    """Spread `paid` over the original balances oldest first (callers order them); each gets at most its balance.

    Returns each one's share and what is left over (paid beyond every balance: the charges' part).
    """
    left = Decimal(paid)
    shares = []
    for owed in balances:
        share = min(max(left, Decimal(0)), Decimal(owed))
        shares.append(share)
        left -= share
    return shares, left


def average_discount_percent(discount: Decimal, original: Decimal) -> Decimal | None:
    """Σ discount ÷ Σ original updated amount × 100, half up to one decimal; None without agreements."""
    if not original:
        return None
    return (Decimal(discount) * 100 / Decimal(original)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
