"""The PostgreSQL COPY of an Arrow table (pg_connection.copy_rows): every value back exactly as it went in."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pyarrow as pa
import pytest
from support.pg_helpers import raw_connection

from cobranca.store.pg_connection import _csv_safe

TEXTS = ["plain", "", None, ' "quoted"; with; separators ', "line\nbreak\r\nand CR\r", "\\N", "\\.", "a\n\\.\nb",
         "=HYPERLINK(\"x\")", "José Açúcar ✓", "'); DROP TABLE t; --", " "]
ROWS = len(TEXTS)


def _table() -> pa.Table:
    amounts = [Decimal("1234.56"), Decimal("-0.01"), None, Decimal("9999999999999999.99"), Decimal("0.00")]
    days = [date(2020, 6, 1), None, date(1900, 1, 1), date(2099, 12, 31)]
    moments = [datetime(2026, 12, 7, 18, 30, 1, 123456), None, datetime(2000, 2, 29, 0, 0)]
    return pa.table({
        "text": pa.array(TEXTS, pa.string()),
        "amount": pa.array([amounts[i % len(amounts)] for i in range(ROWS)], pa.decimal128(18, 2)),
        "day": pa.array([days[i % len(days)] for i in range(ROWS)], pa.date32()),
        "moment": pa.array([moments[i % len(moments)] for i in range(ROWS)], pa.timestamp("us")),
        "flag": pa.array([[True, False, None][i % 3] for i in range(ROWS)], pa.bool_()),
        "number": pa.array([[1, None, -(2 ** 62)][i % 3] for i in range(ROWS)], pa.int64()),
        "row": pa.array(range(ROWS), pa.int64()),
    })


def test_a_registered_table_reads_back_value_for_value(pg_url):
    table = _table()
    assert all(_csv_safe(f.type) for f in table.schema)  # the CSV path is the one under test
    with raw_connection(pg_url) as con, con.raw.transaction():
        con.register("copied", table)
        back = con.sql("SELECT text, amount, day, moment, flag, number FROM copied ORDER BY row").fetchall()
    expected = list(zip(*(table.column(c).to_pylist() for c in ("text", "amount", "day", "moment", "flag",
                                                                 "number")), strict=True))
    assert back == expected
    assert [r[0] for r in back].count("") == 1 and [r[0] for r in back].count(None) == 1


def test_a_type_csv_cannot_carry_goes_in_as_binary(pg_url):
    labels = pa.array(["a", "", None, "a"], pa.string()).dictionary_encode()
    assert not _csv_safe(labels.type)
    with raw_connection(pg_url) as con, con.raw.transaction():
        con.register("copied", pa.table({"label": labels, "row": pa.array(range(4), pa.int64())}))
        assert con.sql("SELECT label FROM copied ORDER BY row").fetchall() == [("a",), ("",), (None,), ("a",)]


@pytest.mark.parametrize("rows", [0, 1, 250_001])
def test_a_table_longer_than_one_batch_arrives_whole(pg_url, rows):
    table = pa.table({"n": pa.array(range(rows), pa.int64()), "t": pa.array([str(i) for i in range(rows)])})
    with raw_connection(pg_url) as con, con.raw.transaction():
        con.register("copied", table)
        assert con.sql("SELECT count(*), coalesce(sum(n), 0), count(DISTINCT t) FROM copied").fetchall() == [
            (rows, sum(range(rows)), rows)]
