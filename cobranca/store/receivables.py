"""Receivables and their customers: the upsert of an import, look-ups by document, counts."""

from __future__ import annotations

import contextlib
from datetime import date, datetime
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..core import clock
from ..core.calendar import NATIONAL, BankCalendar, days_to_payable
from . import bank_payments, payments, staging
from .frames import analyze, count_rows, to_frame
from .staging import KEEPABLE  # noqa: F401 - re-exported (the importer names what a file left out)

_CUSTOMER_COLUMNS = ("customer_key", "customer_code", "customer", "tax_id", "mobile", "phone", "email")
RECEIVABLE_COLUMNS = (
    *_CUSTOMER_COLUMNS, "document", "installment", "issue_date", "due_date", "payable_until",
    "amount", "paid_amount", "paid_date", "description",
)
_DATE_COLUMNS = ("issue_date", "due_date", "payable_until", "paid_date")
OPTIONAL_COLUMNS = ("nosso_numero",)  # NULL when the rows lack it (the stored value is kept)


def _text_array(values: pd.Series) -> pa.Array:
    """Text with every missing or empty cell as NULL (never the text 'None' or 'nan')."""
    array = pa.array(values.astype("string"), type=pa.string(), from_pandas=True)
    return pc.if_else(pc.equal(pc.utf8_trim_whitespace(array), ""), pa.scalar(None, pa.string()), array)


def as_arrow(rows: pd.DataFrame | pa.Table) -> pa.Table:
    """The rows to upsert as an Arrow table with RECEIVABLE_COLUMNS (vectorised: 1M rows in about a second).

    A DataFrame may hold amounts as canonical text ('1234.56') or Decimals and dates as `date`, ISO text or None;
    DuckDB casts text to DECIMAL(18,2) exactly. An Arrow table is taken as it is.
    """
    names = rows.column_names if isinstance(rows, pa.Table) else list(rows.columns)
    missing = [c for c in RECEIVABLE_COLUMNS if c not in names]
    if missing:
        raise ValueError(f"upsert_receivables: missing columns {missing}")
    if isinstance(rows, pa.Table):
        return _with_optional(rows, rows.select(list(RECEIVABLE_COLUMNS)))
    arrays = []
    for column in RECEIVABLE_COLUMNS:
        values = rows[column].reset_index(drop=True)
        if column in _DATE_COLUMNS:
            arrays.append(pa.array(pd.to_datetime(values, format="mixed"), from_pandas=True))
        else:
            arrays.append(_text_array(values))
    table = pa.Table.from_arrays(arrays, names=list(RECEIVABLE_COLUMNS))
    for column in OPTIONAL_COLUMNS:
        if column in names:
            table = table.append_column(column, _text_array(rows[column].reset_index(drop=True)))
    return _with_optional(table, table)


def _with_optional(rows: pa.Table, table: pa.Table) -> pa.Table:
    """`table` plus OPTIONAL_COLUMNS, taken from `rows` when present, else NULL."""
    for column in OPTIONAL_COLUMNS:
        if column in table.column_names:
            continue
        values = rows[column] if column in rows.column_names else pa.nulls(table.num_rows, pa.string())
        table = table.append_column(column, values.cast(pa.string()))
    return table


def _calendar_offsets(con: duckdb.DuckDBPyConnection, source: str, calendar: BankCalendar) -> dict:
    """Parameters ($first, $offsets) of PAYABLE_SQL for the due dates of the table `source`."""
    low, high = con.execute(f"SELECT min(CAST(due_date AS DATE)), max(CAST(due_date AS DATE)) FROM {source}"  # noqa: S608
                            ).fetchall()[0]
    if low is None:
        return {"first": date(2000, 1, 1), "offsets": [0]}
    return {"first": low, "offsets": days_to_payable(calendar, low, high)}


# A due date's payable-until date by list position in the calendar's offsets (one pass, no join).
PAYABLE_SQL = "CAST(due_date AS DATE) + ($offsets)[date_diff('day', $first, CAST(due_date AS DATE)) + 1]"


def recompute_payable_until(con: duckdb.DuckDBPyConnection, calendar: BankCalendar) -> int:
    """Set every stored payable-until date from `calendar` (after a calendar setting change or an upgrade);
    returns how many changed. Inside the caller's transaction."""
    params = _calendar_offsets(con, "receivables", calendar)
    return con.execute(
        f"UPDATE receivables SET payable_until = {PAYABLE_SQL} WHERE payable_until <> {PAYABLE_SQL}",  # noqa: S608
        params).fetchall()[0][0]


def upsert(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame | pa.Table,
           now: datetime | None = None, tz: ZoneInfo | None = None, keep=(),
           calendar: BankCalendar = NATIONAL) -> dict[str, int]:
    """Insert or update receivables (and their customers) on (document, installment) inside the caller's transaction.

    `keep`: columns of KEEPABLE the file did not carry; an existing receivable keeps their stored values (a new
    one gets them empty, paid 0). Empty contact cells keep the stored value. A missing payable-until date (the
    importer sends none) is computed from `calendar`, the company's bank calendar. A changed paid amount or paid
    date is kept as a payment event and the totals by aging bucket as a snapshot (payments.py), in the same
    transaction. Returns counts of inserted and updated receivables.
    """
    src = staging.with_payable_until(as_arrow(rows), calendar)
    src = src.append_column("row_order", pa.array(range(src.num_rows), type=pa.int64()))
    now = now or clock.stored(tz)  # `now`: the import's moment as stored naive UTC (tests and replays give it)
    con.register("import_src", src)
    try:
        staging.stage(con, keep)
        counts = _write_staged(con, now, src, keep)
    except BaseException:
        # The transaction is aborted: it runs nothing more, and its rollback drops `staged`; the Arrow table is
        # let go if the connection still can (the error raised is the upsert's own).
        for name in ("staged_customers", "import_src"):
            with contextlib.suppress(Exception):
                con.unregister(name)
        raise
    staging.unstage(con)
    con.unregister("import_src")
    payments.snapshot_aging(con, now, clock.shown(now, tz or ZoneInfo(clock.DEFAULT_TIMEZONE)).date())
    return counts


# A re-import rewrites only the rows whose values changed (the daily file repeats almost every row): on PostgreSQL
# an unchanged row then gets no new row version and no index entries (8 s -> 2 s for 200k rows), and `updated_at`
# is the moment of the import that last changed the row.
_RECEIVABLE_CHANGED = " OR ".join(
    f"receivables.{c} IS DISTINCT FROM excluded.{c}" for c in (
        "customer_id", "issue_date", "due_date", "payable_until", "amount", "paid_amount", "paid_date", "description"))
_CUSTOMER_CHANGED = " OR ".join(
    ["customers.name IS DISTINCT FROM excluded.name"] + [
        f"(excluded.{c} IS NOT NULL AND customers.{c} IS DISTINCT FROM excluded.{c})"
        for c in ("code", "tax_id", "mobile", "phone", "email")])


def _write_staged(con: duckdb.DuckDBPyConnection, now: datetime, src: pa.Table, keep) -> dict[str, int]:
    """Payment events, customers and receivables from `staged` (staging.py), in the caller's transaction."""
    updated = con.execute(
        "SELECT count(*) FROM staged s JOIN receivables r USING (document, installment)"
    ).fetchone()[0]
    payments.record_changes(con, now)  # before the update below overwrites what was paid
    staging.stage_customers(con, src, keep)
    known = con.execute("SELECT count(*) FROM staged_customers s JOIN customers c ON c.key = s.customer_key"
                        ).fetchone()[0]
    con.execute(
        """INSERT INTO customers (id, key, code, name, tax_id, mobile, phone, email, updated_at)
           SELECT nextval('customer_ids'), customer_key, code, name, tax_id, mobile, phone, email, ?
           FROM staged_customers""" + ("" if not known else """
           ON CONFLICT (key) DO UPDATE SET
               code = coalesce(excluded.code, customers.code), name = excluded.name,
               tax_id = coalesce(excluded.tax_id, customers.tax_id),
               mobile = coalesce(excluded.mobile, customers.mobile),
               phone = coalesce(excluded.phone, customers.phone),
               email = coalesce(excluded.email, customers.email),
               updated_at = excluded.updated_at
           WHERE """ + _CUSTOMER_CHANGED),  # noqa: S608 - constants
        [now],
    )
    staging.unstage_customers(con, keep)
    con.execute(
        """INSERT INTO receivables (id, document, installment, customer_id, issue_date, due_date,
               payable_until, amount, paid_amount, paid_date, description, updated_at)
           SELECT nextval('receivable_ids'), s.document, s.installment, c.id, s.issue_date, s.due_date,
                  s.payable_until, s.amount, s.paid_amount, s.paid_date, s.description, ?
           FROM staged s JOIN customers c ON c.key = s.customer_key""" + ("" if not updated else """
           ON CONFLICT (document, installment) DO UPDATE SET
               customer_id = excluded.customer_id, issue_date = excluded.issue_date,
               due_date = excluded.due_date, payable_until = excluded.payable_until,
               amount = excluded.amount, paid_amount = excluded.paid_amount,
               paid_date = excluded.paid_date, description = excluded.description,
               updated_at = excluded.updated_at
           WHERE """ + _RECEIVABLE_CHANGED),  # noqa: S608 - constants
        [now],
    )
    bank_payments.keep_nosso_numero(con)
    analyze(con, "receivables", "customers")
    return {"inserted": src.num_rows - updated, "updated": updated}


def counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {table: count_rows(con, table) for table in ("customers", "receivables", "contacts", "filters")}


_OF_DOCUMENT = ("receivable_id", "document", "installment", "customer_id", "customer", "due_date", "balance")


def of_document(con: duckdb.DuckDBPyConnection, document: str) -> list[dict]:
    """Every installment of `document` (keys _OF_DOCUMENT), in installment order; plain dicts, no DataFrame."""
    rows = con.execute(
        """SELECT r.id, r.document, r.installment, r.customer_id, c.name, r.due_date,
                  CAST(r.amount - r.paid_amount AS DECIMAL(18,2))
           FROM receivables r JOIN customers c ON c.id = r.customer_id
           WHERE r.document = ? ORDER BY r.installment""",
        [document],
    ).fetchall()
    return [dict(zip(_OF_DOCUMENT, row, strict=True)) for row in rows]


def similar_documents(con: duckdb.DuckDBPyConnection, document: str, limit: int = 5) -> list[str]:
    rows = con.execute(
        """SELECT DISTINCT document FROM receivables
           WHERE contains(lower(document), lower(?)) ORDER BY document LIMIT ?""",
        [document, limit],
    ).fetchall()
    return [r[0] for r in rows]


def keys(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """(document, installment, receivable_id) of every receivable (used to check re-import and benchmarks)."""
    return to_frame(con.sql(
        "SELECT document, installment, id AS receivable_id FROM receivables ORDER BY document, installment"
    ))


def id_of(con: duckdb.DuckDBPyConnection, document: str, installment: str) -> int | None:
    found = con.execute(
        "SELECT id FROM receivables WHERE document = ? AND installment = ?", [document, installment]
    ).fetchone()
    return None if found is None else found[0]
