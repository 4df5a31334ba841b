"""Overdue rules: balance, days overdue, fine, interest, updated amount, aging. Pure functions, no I/O.

- balance = amount - paid_amount; a balance of 0 is settled and never in a worklist.
- days overdue = as-of date - due date in calendar days (negative while not yet due).
- A due date on a day off of the bank's calendar (Saturday, Sunday, national holiday, Carnival Monday and
  Tuesday, the company's local holidays: calendar_br.py) may be paid up to the next business day without
  charges (payable_until, stored at import): until then days overdue is 0; after it, days count from the
  original due date.
- Charges apply only when days overdue > grace_days (default 0), and then count from the due date.
- fine = fine_percent % of the balance; interest = monthly_interest_percent % / 30 per day,
  simple, pro rata die. Each is rounded half up to the cent (see `money.py`);
  updated amount = balance + fine + interest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..core.calendar import payable_until
from ..core.money import round_cents

AGING_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0 (vence hoje)", 0, 0),
    ("1–30", 1, 30),
    ("31–60", 31, 60),
    ("61–90", 61, 90),
    (">90", 91, None),
)


@dataclass(frozen=True)
class ChargeRules:
    """The settings that decide the charges on an overdue balance."""

    fine_percent: Decimal = Decimal("2")
    monthly_interest_percent: Decimal = Decimal("1")
    grace_days: int = 0


@dataclass(frozen=True)
class Charges:
    """What an open receivable costs on a given day."""

    balance: Decimal
    days_overdue: int
    fine: Decimal
    interest: Decimal

    @property
    def updated_amount(self) -> Decimal:
        return self.balance + self.fine + self.interest


def balance(amount: Decimal, paid_amount: Decimal) -> Decimal:
    """What is still owed."""
    return Decimal(amount) - Decimal(paid_amount or 0)


def days_overdue(due: date, as_of: date, until: date | None = None) -> int:
    """Calendar days late, 0 while inside the next-business-day tolerance, negative if not yet due."""
    if as_of < due:
        return (as_of - due).days
    if as_of <= (until or payable_until(due)):
        return 0
    return (as_of - due).days


def fine(balance_: Decimal, days: int, rules: ChargeRules) -> Decimal:
    """One-off fine once past the grace days."""
    if days <= rules.grace_days or balance_ <= 0:
        return Decimal("0.00")
    return round_cents(balance_ * rules.fine_percent / 100)


def interest(balance_: Decimal, days: int, rules: ChargeRules) -> Decimal:
    """Simple daily interest (monthly rate / 30) for every day overdue, once past the grace days."""
    if days <= rules.grace_days or balance_ <= 0:
        return Decimal("0.00")
    return round_cents(balance_ * rules.monthly_interest_percent * days / 3000)


def charges(amount: Decimal, paid_amount: Decimal, due: date, as_of: date, rules: ChargeRules,
            until: date | None = None) -> Charges:
    """Balance, days overdue, fine and interest of one receivable on `as_of` (`until`: its stored payable-until
    date; default the national bank calendar's)."""
    owed = balance(amount, paid_amount)
    days = days_overdue(due, as_of, until)
    return Charges(owed, days, fine(owed, days, rules), interest(owed, days, rules))


def aging_bucket(days: int) -> str | None:
    """Label of the aging bucket of `days` overdue (None when not yet due)."""
    for label, low, high in AGING_BUCKETS:
        if days >= low and (high is None or days <= high):
            return label
    return None
