"""The import's bulk path: the Arrow table read in place on DuckDB, one binary COPY on PostgreSQL; exact values."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pandas as pd
import pyarrow as pa
import pytest
from support.known import ENGINES
from support.pg_helpers import raw_connection, target_of

from cobranca import open_db
from cobranca.core.calendar import NATIONAL, payable_until
from cobranca.store import payments, staging

ENGINES = ENGINES

# Text a text-format COPY would have to escape (tab, line feed, backslash, \N, quotes) and an amount near the largest.
HOSTILE = "a\tb\nc \\N \\ \"aspas\" 'x'; ção ✓"
BIG = Decimal("9999999999999998.99")  # the open total (+ 0.05) stays within DECIMAL(18,2)


def _frame(n: int = 3):
    rows = [{
        "customer_key": f"code:{i % 2}", "customer_code": str(i % 2), "customer": f"Cliente {i % 2} {HOSTILE}",
        "tax_id": None, "mobile": None, "phone": None, "email": f"c{i}@example.com",
        "document": f"D{i}", "installment": "1", "issue_date": None, "due_date": date(2026, 2, 14 + i),
        "payable_until": None, "amount": BIG if i == 0 else Decimal("0.01") * (i + 1), "paid_amount": Decimal("0"),
        "paid_date": None, "description": HOSTILE if i else None,
    } for i in range(n)]
    return pd.DataFrame(rows)


def test_values_arrive_exact_through_the_bulk_path(db_path):
    db = open_db(db_path)
    counts = db.receivables.upsert(_frame())
    assert counts == {"inserted": 3, "updated": 0}
    with raw_connection(target_of(db)) as con:
        rows = con.execute("SELECT r.document, r.amount, r.description, r.due_date, r.payable_until, c.name "
                           "FROM receivables r JOIN customers c ON c.id = r.customer_id ORDER BY r.document").fetchall()
    assert [r[0] for r in rows] == ["D0", "D1", "D2"]
    assert [r[1] for r in rows] == [BIG, Decimal("0.02"), Decimal("0.03")]
    assert [r[2] for r in rows] == [None, HOSTILE, HOSTILE]
    assert [r[5] for r in rows] == [f"Cliente 0 {HOSTILE}", f"Cliente 1 {HOSTILE}", f"Cliente 0 {HOSTILE}"]
    # 14/02/2026 is a Saturday, 16-17/02 Carnival: payable until the next business day
    assert [r[4] for r in rows] == [payable_until(r[3]) for r in rows]
    assert rows[0][4] == date(2026, 2, 18)


def test_payable_until_in_arrow_equals_the_calendar_rule():
    due = [date(2026, 1, 1) + timedelta(days=d) for d in range(0, 400, 3)]
    table = pa.table({"due_date": pa.array(due, pa.date32()), "payable_until": pa.nulls(len(due), pa.date32())})
    out = staging.with_payable_until(table, NATIONAL)["payable_until"].to_pylist()
    assert out == [payable_until(d) for d in due]
    given = pa.table({"due_date": pa.array([date(2026, 2, 14)]), "payable_until": pa.array([date(2026, 2, 14)])})
    assert staging.with_payable_until(given, NATIONAL)["payable_until"].to_pylist() == [date(2026, 2, 14)]


def test_duckdb_stages_a_view_over_the_arrow_table_not_a_copy(tmp_path, monkeypatch):
    """The upsert's `staged` rows on the file are a view over the registered Arrow table (no staged copy)."""
    db = open_db(tmp_path / "c.duckdb")
    seen = []
    original = payments.record_changes

    def spy(con, now):
        seen.append(con.execute("SELECT table_type FROM information_schema.tables WHERE table_name = 'staged'"
                                ).fetchall())
        return original(con, now)

    monkeypatch.setattr(payments, "record_changes", spy)
    db.receivables.upsert(_frame())
    assert seen == [[("VIEW",)]]
    with db.store.session() as con:  # and nothing is left behind
        assert con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name IN "
                           "('staged', 'import_src')").fetchone()[0] == 0


def test_a_reimport_keeps_the_stored_columns_the_file_left_out(db_path):
    db = open_db(db_path)
    frame = _frame()
    frame.loc[1, "paid_amount"] = Decimal("0.01")
    db.receivables.upsert(frame)
    again = _frame()
    again["description"] = "nova"
    again["paid_amount"] = Decimal("0")
    assert db.receivables.upsert(again, keep=("paid_amount",)) == {"inserted": 0, "updated": 3}
    with raw_connection(target_of(db)) as con:
        rows = con.execute("SELECT document, paid_amount, description FROM receivables ORDER BY document").fetchall()
    assert rows == [("D0", Decimal("0.00"), "nova"), ("D1", Decimal("0.01"), "nova"), ("D2", Decimal("0.00"), "nova")]



def test_a_failing_upsert_reports_its_own_error_and_leaves_nothing(db_path):
    """An error inside the set-wise upsert is the error raised (not "transaction aborted" from the clean-up), nothing
    is written, and the next upsert works."""
    db = open_db(db_path)
    bad = _frame()
    bad["amount"] = ["1.00", "99999999999999999999999.00", "2.00"]  # beyond DECIMAL(18,2): the cast fails in SQL
    with pytest.raises(Exception) as info:
        db.receivables.upsert(bad)
    assert "abort" not in str(info.value).lower()
    assert "InFailedSqlTransaction" not in type(info.value).__name__
    assert db.receivables.counts()["receivables"] == 0
    assert db.receivables.upsert(_frame()) == {"inserted": 3, "updated": 0}
