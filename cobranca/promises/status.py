"""Pure rules of a receivable's collection state: promises to pay (pending, kept, broken) and disputes.

The store's SQL of a promise's outcome and of the paused statuses is written here, beside each Python rule
(`*_sql`); tests/test_rule_twins.py runs both on generated cases, on DuckDB and on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

OPEN = "open"
PROMISED = "promised"
PROMISE_BROKEN = "promise_broken"
DISPUTED = "disputed"
AGREEMENT, AGREEMENT_BROKEN = "agreement", "agreement_broken"  # originals of an agreement (cobranca/acordos/)
STATUSES = (OPEN, PROMISED, PROMISE_BROKEN, DISPUTED, AGREEMENT, AGREEMENT_BROKEN)
PAUSED = (PROMISED, DISPUTED, AGREEMENT)  # left out of default worklists

STATUS_LABELS = {
    OPEN: "Em aberto",
    PROMISED: "Promessa",
    PROMISE_BROKEN: "Promessa quebrada",
    DISPUTED: "Contestada",
    AGREEMENT: "Em acordo",
    AGREEMENT_BROKEN: "Acordo quebrado",
}

PENDING = "pending"
KEPT = "kept"
BROKEN = "broken"
REPLACED = "replaced"  # replaced by a new promise before its date: neither kept nor broken


@dataclass(frozen=True)
class Promise:
    """A promise to pay `amount` by `due` (inclusive), made when the balance was `balance_before`."""

    due: date
    amount: Decimal
    balance_before: Decimal
    made_on: date | None = None


def paid_enough(promise: Promise, balance_now: Decimal) -> bool:
    """Settled, or the balance went down by at least the promised amount since the promise."""
    return balance_now <= 0 or promise.balance_before - balance_now >= promise.amount


def paid_enough_sql(amount: str, balance_before: str, balance_now: str) -> str:
    """SQL twin of `paid_enough` (the arguments are SQL expressions)."""
    return f"({balance_now} <= 0 OR {balance_before} - {balance_now} >= {amount})"


def promise_outcome(promise: Promise, balance_now: Decimal, as_of: date, paid_date: date | None = None) -> str:
    """PENDING up to and including its date, then KEPT or BROKEN.

    Kept as soon as enough was paid, unless the ERP's payment date is after the promised date
    (a late payment does not keep a promise). A missing payment date counts as on time.
    """
    if paid_enough(promise, balance_now) and (paid_date is None or paid_date <= promise.due):
        return KEPT
    if as_of <= promise.due:
        return PENDING
    return BROKEN


def promise_outcome_sql(due: str, amount: str, balance_before: str, balance_now: str, paid_date: str,
                        as_of: str = "$as_of") -> str:
    """SQL twin of `promise_outcome`: 'kept', 'pending' or 'broken'."""
    return (f"CASE WHEN {paid_enough_sql(amount, balance_before, balance_now)} "
            f"AND ({paid_date} IS NULL OR {paid_date} <= {due}) THEN '{KEPT}' "
            f"WHEN {as_of} <= {due} THEN '{PENDING}' ELSE '{BROKEN}' END")


def replaced_outcome(promise: Promise, newer: Promise | Agreed, as_of: date) -> str:
    """A promise replaced by `newer`, judged on the day of the replacement with the balance then."""
    if paid_enough(promise, newer.balance_before):
        return KEPT
    return BROKEN if (newer.made_on or as_of) > promise.due else REPLACED


def replaced_outcome_sql(due: str, amount: str, balance_before: str, newer_balance_before: str,
                         newer_made_on: str) -> str:
    """SQL twin of `replaced_outcome` (`newer_made_on` never NULL here: the store knows every promise's day)."""
    return (f"CASE WHEN {paid_enough_sql(amount, balance_before, newer_balance_before)} THEN '{KEPT}' "
            f"WHEN {newer_made_on} > {due} THEN '{BROKEN}' ELSE '{REPLACED}' END")


@dataclass(frozen=True)
class Agreed:
    """An agreement (acordo) that took the receivable over on `made_on`, when its balance was `balance_before`."""

    balance_before: Decimal
    made_on: date


def promise_outcomes(promises: Sequence[Promise | Agreed], balance_now: Decimal, as_of: date,
                     paid_date: date | None = None) -> list[str]:
    """Outcome of each promise of one receivable, oldest first (one per Promise; Agreed items are not judged).

    A promise replaced by a newer one, or by an agreement, is judged on the day of the replacement with the
    balance then (the newer one's `balance_before`): kept if enough had been paid, broken if its date had
    passed, otherwise REPLACED. The last one is judged on `as_of` with the current balance.
    """
    outcomes = []
    for item, newer in zip(promises, [*promises[1:], None], strict=False):
        if isinstance(item, Promise):
            outcomes.append(replaced_outcome(item, newer, as_of) if newer is not None
                            else promise_outcome(item, balance_now, as_of, paid_date))
    return outcomes


def receivable_status(disputed: bool, promise: Promise | None, balance_now: Decimal, as_of: date,
                      paid_date: date | None = None) -> str:
    """DISPUTED over everything; then the active promise: PROMISED while pending, PROMISE_BROKEN once broken."""
    if disputed:
        return DISPUTED
    if promise is None:
        return OPEN
    outcome = promise_outcome(promise, balance_now, as_of, paid_date)
    return {PENDING: PROMISED, BROKEN: PROMISE_BROKEN}.get(outcome, OPEN)


def is_paused(status: str) -> bool:
    """Left out of default worklists (promise not yet due, disputed, in an active agreement)."""
    return status in PAUSED


def is_paused_sql(status: str) -> str:
    """SQL twin of `is_paused` over the SQL expression `status`."""
    quoted = ", ".join(f"'{paused}'" for paused in PAUSED)
    return f"{status} IN ({quoted})"


def fulfilment_rate(kept: int, broken: int) -> Decimal | None:
    """kept ÷ (kept + broken) as a fraction with 4 decimals; None when no promise has come due yet."""
    judged = kept + broken
    if judged == 0:
        return None
    return (Decimal(kept) / Decimal(judged)).quantize(Decimal("0.0001"))


def latest_promise_date(today: date) -> date:
    """The farthest date a promise may name: one year from today (28/02 when today is 29/02)."""
    try:
        return today.replace(year=today.year + 1)
    except ValueError:
        return today.replace(year=today.year + 1, day=28)


def check_promise_date(due: date, today: date) -> None:
    """ValueError (pt-BR) for a promise date in the past or more than a year ahead."""
    if due < today:
        raise ValueError(f"a data da promessa ({due:%d/%m/%Y}) já passou; use hoje ({today:%d/%m/%Y}) ou depois")
    latest = latest_promise_date(today)
    if due > latest:
        raise ValueError(f"a data da promessa ({due:%d/%m/%Y}) está longe demais; use no máximo um ano à frente "
                         f"(até {latest:%d/%m/%Y})")
