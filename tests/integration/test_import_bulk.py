"""The import's bulk path: the Arrow table read in place on DuckDB, one binary COPY on PostgreSQL; exact values."""

from __future__ import annotations

from datetime import date, datetime, timedelta
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
        rows = con.execute("SELECT document, paid_amount, description FROM receivables ORDER BY document"  # noqa: S608
                           ).fetchall()
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


CHANGES = {  # a column of one row changed by a re-import, and what the stored receivable then says
    "issue_date": date(2026, 1, 2), "due_date": date(2026, 3, 2), "amount": Decimal("0.04"),
    "paid_amount": Decimal("0.01"), "paid_date": date(2026, 2, 20), "description": None,
}


@pytest.mark.parametrize("column", sorted(CHANGES))
def test_a_reimport_rewrites_only_the_rows_that_changed(db_path, column):
    """The daily re-import of an unchanged file writes nothing (no new row version, no index entry on
    PostgreSQL): only the changed receivable and customer get the new values and the import's moment."""
    db = open_db(db_path)
    first, second = datetime(2026, 2, 10, 9, 0), datetime(2026, 2, 11, 9, 0)
    db.receivables.upsert(_frame(), at=first)
    again = _frame()
    again.loc[1, column] = CHANGES[column]
    again.loc[2, "email"] = "novo@example.com"  # customer 0 (rows 0 and 2): its newest row's e-mail
    assert db.receivables.upsert(again, at=second) == {"inserted": 0, "updated": 3}
    with raw_connection(target_of(db)) as con:
        rows = con.execute(f"SELECT document, {column}, updated_at FROM receivables ORDER BY document"  # noqa: S608
                           ).fetchall()
        customers = con.execute("SELECT code, email, updated_at FROM customers ORDER BY code").fetchall()
    assert rows[1][1] == CHANGES[column]
    stamps = [r[2] for r in rows]
    assert stamps[0] == stamps[2] < stamps[1]
    assert [(c[0], c[1]) for c in customers] == [("0", "novo@example.com"), ("1", "c1@example.com")]
    assert customers[0][2] > customers[1][2]


def test_newest_customers_in_arrow_equal_duckdbs_max_by():
    """The customers' newest values computed in Arrow are DuckDB's max_by(column, row_order) of the same rows:
    the last row with a value wins, an empty cell never does."""
    import random

    import duckdb

    rng = random.Random(7)
    rows = 3000
    values = {c: [rng.choice([None, "a", "b", f"v{i}"]) for i in range(rows)] for c in staging.CUSTOMER_FIELDS}
    src = pa.table({"customer_key": [f"k{rng.randrange(400)}" for _ in range(rows)],
                    **{c: pa.array(v, pa.string()) for c, v in values.items()},
                    "row_order": pa.array(range(rows), pa.int64())})
    newest = ", ".join(f"max_by({c}, row_order) AS {n}" for c, n in staging.CUSTOMER_FIELDS.items())
    with duckdb.connect() as con:
        expected = con.execute(f"SELECT customer_key, {newest} FROM src GROUP BY ALL ORDER BY 1"  # noqa: S608
                               ).fetchall()
        con.register("got", staging.newest_customers(src))
        names = ", ".join(staging.CUSTOMER_FIELDS.values())
        assert con.execute(f"SELECT customer_key, {names} FROM got ORDER BY 1"  # noqa: S608
                           ).fetchall() == expected


def test_new_keys_are_inserted_plainly_and_known_ones_still_upserted(db_path):
    """A file of new keys only (a plain INSERT, no ON CONFLICT) next to stored rows, then a file mixing new and
    stored keys: the counts, the customers' newest values and every stored row are what the upsert gives."""
    db = open_db(db_path)
    assert db.receivables.upsert(_frame()) == {"inserted": 3, "updated": 0}
    fresh = _frame(5).iloc[3:].copy()  # D3, D4: customers code 1 and 0 already stored
    fresh["customer_key"] = ["code:9", "code:0"]
    fresh["customer_code"] = ["9", "0"]
    fresh["email"] = ["nove@example.com", "zero@example.com"]
    assert db.receivables.upsert(fresh) == {"inserted": 2, "updated": 0}
    mixed = _frame(6).iloc[[0, 5]].copy()  # D0 stored, D5 new
    mixed["description"] = "misto"
    assert db.receivables.upsert(mixed) == {"inserted": 1, "updated": 1}
    with raw_connection(target_of(db)) as con:
        rows = con.execute("SELECT r.document, c.code, r.description FROM receivables r "
                           "JOIN customers c ON c.id = r.customer_id ORDER BY r.document").fetchall()
        customers = con.execute("SELECT code, email FROM customers ORDER BY code").fetchall()
    assert rows == [("D0", "0", "misto"), ("D1", "1", HOSTILE), ("D2", "0", HOSTILE), ("D3", "9", HOSTILE),
                    ("D4", "0", HOSTILE), ("D5", "1", "misto")]
    assert customers == [("0", "c0@example.com"), ("1", "c5@example.com"), ("9", "nove@example.com")]
