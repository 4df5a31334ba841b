"""Overdue rules: balance, days overdue, fine, interest, updated amount — in Python and in SQL, side by side.

- balance = amount - paid_amount - agreement credit; a balance of 0 is settled and never in a worklist.
- owed (what a receivable adds to the open portfolio: results, totals) = the balance, never below 0, and 0 while
  an active agreement holds it (the agreement's own installments carry that debt: counted once).
- a payment counts up to what the receivable still owed apart from its agreement credit (an ERP settling an
  original the agreement already settled brings no new money).
- days overdue = as-of date - due date in calendar days (negative while not yet due).
- A due date on a day off of the bank's calendar (Saturday, Sunday, national holiday, Carnival Monday and
  Tuesday, the company's local holidays: calendar_br.py) may be paid up to the next business day without
  charges (payable_until, stored at import): until then days overdue is 0; after it, days count from the
  original due date.
- Charges apply only when days overdue > grace_days (default 0), and then count from the due date.
- fine = fine_percent % of the balance; interest = monthly_interest_percent % / 30 per day,
  simple, pro rata die. Each is rounded half up to the cent (see `money.py`);
  updated amount = balance + fine + interest.

Each rule's SQL twin (the store's worklist uses only these) sits under its Python function; the test
tests/test_rule_twins.py runs both on generated cases, on DuckDB and on PostgreSQL, to the cent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from ..core.calendar import payable_until
from ..core.errors import InputError
from ..core.money import round_cents


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


def balance(amount: Decimal, paid_amount: Decimal, credit: Decimal = Decimal(0)) -> Decimal:
    """What is still owed (`credit`: what an agreement already took over)."""
    return Decimal(amount) - Decimal(paid_amount or 0) - Decimal(credit or 0)


def balance_sql(amount: str, paid_amount: str, credit: str) -> str:
    """SQL of `balance` on three columns, as DECIMAL(18,2)."""
    return f"CAST({amount} - {paid_amount} - {credit} AS DECIMAL(18,2))"


def owed(amount: Decimal, paid_amount: Decimal, credit: Decimal = Decimal(0), held: bool = False) -> Decimal:
    """What the receivable adds to the open portfolio: its balance (never below 0), 0 while an agreement holds it."""
    if held:
        return Decimal("0.00")
    return max(balance(amount, paid_amount, credit), Decimal("0.00"))


def owed_sql(amount: str, paid_amount: str, credit: str, held: str) -> str:
    """SQL of `owed`; `held` is a boolean SQL expression (store/agreements.py writes it)."""
    return (f"CASE WHEN {held} THEN CAST(0 AS DECIMAL(18,2)) "
            f"ELSE CAST(greatest({amount} - {paid_amount} - {credit}, 0) AS DECIMAL(18,2)) END")


def counted_payment(paid_before: Decimal, paid_after: Decimal, amount: Decimal, credit: Decimal = Decimal(0)) -> Decimal:
    """The part of a paid amount's growth that is new money: paid amounts count up to amount - agreement credit."""
    cap = max(Decimal(amount) - Decimal(credit or 0), Decimal(0))
    return max(min(Decimal(paid_after), cap) - min(Decimal(paid_before), cap), Decimal(0))


def counted_payment_sql(paid_before: str, paid_after: str, amount: str, credit: str) -> str:
    """SQL of `counted_payment`, as DECIMAL(18,2)."""
    cap = f"greatest({amount} - {credit}, 0)"
    return (f"CAST(greatest(least({paid_after}, {cap}) - least({paid_before}, {cap}), 0) AS DECIMAL(18,2))")


def days_overdue(due: date, as_of: date, until: date | None = None) -> int:
    """Calendar days late, 0 while inside the next-business-day tolerance, negative if not yet due."""
    if as_of < due:
        return (as_of - due).days
    if as_of <= (until or payable_until(due)):
        return 0
    return (as_of - due).days


def days_overdue_sql(due: str, until: str, as_of: str = "$as_of") -> str:
    """SQL of `days_overdue`: `due`, `until` (the stored payable_until) and `as_of` are SQL date expressions."""
    return (f"CASE WHEN {as_of} < {due} THEN date_diff('day', {due}, {as_of}) WHEN {as_of} <= {until} THEN 0 "
            f"ELSE date_diff('day', {due}, {as_of}) END")


TOLERANCE_MARGIN_DAYS = 15  # payable_until - due_date: far more than any run of weekend + holidays


def days_overdue_between_sql(due: str, until: str, low: int, high: int, as_of: date) -> tuple[str, dict[str, date]]:
    """SQL of `days_overdue_sql(due, until) BETWEEN low AND high` on plain column comparisons, and its parameters.

    The same rows, but a planner can estimate (and index) `due BETWEEN date AND date` from the column's statistics,
    where a CASE over two columns gets a blind guess (161 rows estimated of 125k on PostgreSQL: nested loops).
    One range per branch of the CASE: not yet due, inside the tolerance (0 days), late (`until` passed or unknown).
    Exact when `until` is at most TOLERANCE_MARGIN_DAYS after `due`, as the stored next business day always is.
    """
    low, high = int(low), int(high)
    parts, params = [], {}
    if low <= min(high, -1):  # not yet due: as_of - due in [low, min(high, -1)]
        params.update(dod_early_from=as_of + timedelta(days=-min(high, -1)), dod_early_to=as_of + timedelta(days=-low))
        parts.append(f"{due} BETWEEN $dod_early_from AND $dod_early_to")
    if low <= 0 <= high:  # due, but not past the next-business-day tolerance (never longer than the margin)
        params.update(dod_within_from=as_of - timedelta(days=TOLERANCE_MARGIN_DAYS))
        parts.append(f"({due} BETWEEN $dod_within_from AND $as_of AND {until} >= $as_of)")
    if max(low, 0) <= high:  # late (or due today without a tolerance): as_of - due in [max(low, 0), high]
        params.update(dod_late_from=as_of - timedelta(days=high), dod_late_to=as_of - timedelta(days=max(low, 0)))
        parts.append(f"({due} BETWEEN $dod_late_from AND $dod_late_to AND ({until} < $as_of OR {until} IS NULL))")
    return ("(" + " OR ".join(parts) + ")" if parts else "FALSE"), params


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


# The SQL twins count in integer cents (HUGEINT, so the largest DECIMAL(18,2) balance cannot overflow) and
# round half up as `round_cents` does: round(n / d) == (2n + d) // 2d for n >= 0. The percentages are bound as
# whole units of 1/10000 % ($fine_e4, $rate_e4: `sql_params`), so the SQL is exact.

def cents_sql(money: str) -> str:
    """A DECIMAL money expression as integer cents."""
    return f"CAST(CAST({money} AS DECIMAL(38,2)) * 100 AS HUGEINT)"


def money_sql(cents: str) -> str:
    """Integer cents back to DECIMAL(38,2)."""
    return f"CAST(CAST({cents} AS DECIMAL(38,0)) * 0.01 AS DECIMAL(38,2))"


def fine_cents_sql(balance_cents: str, days: str) -> str:
    """SQL of `fine`, in cents, of a balance in cents `days` overdue."""
    return (f"CASE WHEN {days} > $grace AND {balance_cents} > 0 "
            f"THEN ({balance_cents} * $fine_e4 * 2 + 1000000) // 2000000 ELSE 0 END")


def interest_cents_sql(balance_cents: str, days: str) -> str:
    """SQL of `interest`, in cents, of a balance in cents `days` overdue."""
    return (f"CASE WHEN {days} > $grace AND {balance_cents} > 0 "
            f"THEN ({balance_cents} * $rate_e4 * {days} * 2 + 30000000) // 60000000 ELSE 0 END")


def updated_cents_sql(balance_cents: str, fine_cents: str, interest_cents: str) -> str:
    """SQL of `Charges.updated_amount`, in cents."""
    return f"{balance_cents} + {fine_cents} + {interest_cents}"


def _e4(percent: Decimal) -> int:
    """A percentage in units of 1/10000 %, exact (percent settings have at most 4 decimals)."""
    scaled = Decimal(percent) * 10000
    if scaled != scaled.to_integral_value():
        raise InputError(f"Percentual com casas decimais demais: {percent} (máximo 4).")
    return int(scaled)


def sql_params(rules: ChargeRules) -> dict[str, int]:
    """The bound parameters of the charge SQL: $grace, $fine_e4, $rate_e4."""
    return {"grace": int(rules.grace_days), "fine_e4": _e4(rules.fine_percent),
            "rate_e4": _e4(rules.monthly_interest_percent)}


def charges(amount: Decimal, paid_amount: Decimal, due: date, as_of: date, rules: ChargeRules,
            until: date | None = None, credit: Decimal = Decimal(0)) -> Charges:
    """Balance, days overdue, fine and interest of one receivable on `as_of` (`until`: its stored payable-until
    date, default the national bank calendar's; `credit`: what an agreement took over)."""
    owed = balance(amount, paid_amount, credit)
    days = days_overdue(due, as_of, until)
    return Charges(owed, days, fine(owed, days, rules), interest(owed, days, rules))
