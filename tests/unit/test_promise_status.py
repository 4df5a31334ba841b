"""Pure rules of promises to pay and disputes: pending, kept, broken, replaced; the status of a receivable."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from cobranca.promises.status import (
    BROKEN,
    DISPUTED,
    KEPT,
    OPEN,
    PENDING,
    PROMISE_BROKEN,
    PROMISED,
    REPLACED,
    Promise,
    check_promise_date,
    fulfilment_rate,
    is_paused,
    promise_outcome,
    promise_outcomes,
    receivable_status,
)

FRIDAY = date(2026, 12, 4)
PROMISE = Promise(due=FRIDAY, amount=D("1022.33"), balance_before=D("1000.00"), made_on=date(2026, 11, 30))


@pytest.mark.parametrize(("balance", "as_of", "paid_date", "expected"), [
    (D("1000.00"), date(2026, 11, 30), None, PENDING),   # the day it was made
    (D("1000.00"), FRIDAY, None, PENDING),               # on its date: still paused
    (D("1000.00"), date(2026, 12, 5), None, BROKEN),     # the day after, still open
    (D("0.00"), date(2026, 12, 3), None, KEPT),          # paid before the date
    (D("0.00"), date(2026, 12, 7), date(2026, 12, 4), KEPT),   # paid on the date, seen after
    (D("0.00"), date(2026, 12, 9), date(2026, 12, 8), BROKEN),  # paid late: broken
    (D("500.00"), date(2026, 12, 7), None, BROKEN),      # partial payment below the promised amount
])
def test_outcome_by_dates_and_balance(balance, as_of, paid_date, expected):
    assert promise_outcome(PROMISE, balance, as_of, paid_date) == expected


def test_a_partial_promise_is_kept_by_paying_its_amount():
    partial = Promise(due=FRIDAY, amount=D("300.00"), balance_before=D("1000.00"))
    assert promise_outcome(partial, D("700.00"), date(2026, 12, 10)) == KEPT
    assert promise_outcome(partial, D("700.01"), date(2026, 12, 10)) == BROKEN


@pytest.mark.parametrize(("disputed", "promise", "balance", "as_of", "expected"), [
    (False, None, D("1000.00"), date(2026, 12, 1), OPEN),
    (False, PROMISE, D("1000.00"), date(2026, 12, 1), PROMISED),
    (False, PROMISE, D("1000.00"), date(2026, 12, 5), PROMISE_BROKEN),
    (False, PROMISE, D("200.00"), date(2026, 12, 5), PROMISE_BROKEN),
    (False, PROMISE, D("0.00"), date(2026, 12, 5), OPEN),
    (True, PROMISE, D("1000.00"), date(2026, 12, 5), DISPUTED),  # a dispute pauses whatever the promise
    (True, None, D("1000.00"), date(2026, 12, 5), DISPUTED),
])
def test_status_of_a_receivable(disputed, promise, balance, as_of, expected):
    assert receivable_status(disputed, promise, balance, as_of) == expected


def test_paused_statuses():
    assert is_paused(PROMISED) and is_paused(DISPUTED)
    assert not is_paused(OPEN) and not is_paused(PROMISE_BROKEN)


def test_replaced_promises_are_judged_on_the_day_they_were_replaced():
    first = Promise(due=date(2026, 12, 4), amount=D("1000.00"), balance_before=D("1000.00"), made_on=date(2026, 11, 30))
    # replaced on 2 Dec (before its date), nothing paid: neither kept nor broken
    early = Promise(due=date(2026, 12, 11), amount=D("1000.00"), balance_before=D("1000.00"), made_on=date(2026, 12, 2))
    # replaced on 7 Dec (after its date), nothing paid: broken
    late = Promise(due=date(2026, 12, 18), amount=D("1000.00"), balance_before=D("1000.00"), made_on=date(2026, 12, 7))
    assert promise_outcomes([first, early], D("1000.00"), date(2026, 12, 3)) == [REPLACED, PENDING]
    assert promise_outcomes([first, late], D("1000.00"), date(2026, 12, 8)) == [BROKEN, PENDING]
    # the newest is kept by a payment seen later
    assert promise_outcomes([first, late], D("0.00"), date(2026, 12, 20)) == [BROKEN, KEPT]
    assert promise_outcomes([], D("1.00"), date(2026, 12, 20)) == []


def test_fulfilment_rate():
    assert fulfilment_rate(0, 0) is None
    assert fulfilment_rate(3, 1) == D("0.7500")
    assert fulfilment_rate(1, 2) == D("0.3333")


def test_a_past_promise_date_is_refused():
    check_promise_date(date(2026, 11, 30), date(2026, 11, 30))
    with pytest.raises(ValueError, match="já passou"):
        check_promise_date(date(2026, 11, 29), date(2026, 11, 30))


def test_a_promise_followed_by_an_agreement_is_judged_on_the_agreement_day():
    from cobranca.promises.status import Agreed

    promise = Promise(date(2026, 12, 10), D("1000.00"), D("1000.00"), date(2026, 12, 1))
    before_its_date = Agreed(D("1000.00"), date(2026, 12, 5))
    after_its_date = Agreed(D("1000.00"), date(2026, 12, 12))
    paid_first = Agreed(D("0.00"), date(2026, 12, 12))
    assert promise_outcomes([promise, before_its_date], D("1000.00"), date(2026, 12, 31)) == [REPLACED]
    assert promise_outcomes([promise, after_its_date], D("1000.00"), date(2026, 12, 31)) == [BROKEN]
    assert promise_outcomes([promise, paid_first], D("1000.00"), date(2026, 12, 31)) == [KEPT]
    later = Promise(date(2027, 1, 10), D("100.00"), D("1000.00"), date(2026, 12, 20))
    assert promise_outcomes([promise, before_its_date, later], D("1000.00"), date(2026, 12, 31)) == [
        REPLACED, PENDING]
