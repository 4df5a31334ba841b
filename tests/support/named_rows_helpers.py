"""Data for the named-rows tests (tests/integration/test_named_rows*.py): the clock, ids, events of others."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from cobranca.store import promises

TODAY = date(2020, 6, 8)
AT = datetime(2020, 6, 8, 12, 0)  # stored (naive UTC)


@pytest.fixture(autouse=True)
def _clock(monkeypatch):
    monkeypatch.setenv("COBRANCA_NOW", "2020-06-08T10:00:00")


def _ids(db, *documents) -> list[int]:
    return [int(db.receivables.find(doc, "1")["receivable_id"]) for doc in documents]


def _other_events(db, count: int) -> None:
    """Promises, disputes and opt-outs of receivables and customers the reads below do not name."""
    with db.store.transaction() as con:
        for i in range(count):
            promises.add_receivable_event(con, -1 - i, "promise", "ANA", AT, promise_date=TODAY)
            promises.add_receivable_event(con, -1 - i, "dispute", "ANA", AT)
            promises.add_customer_event(con, -1 - i, "optout", "ANA", AT)
