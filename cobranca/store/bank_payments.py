"""Bank records (CNAB return files, OFX credits), the payments they made and the review list; schema step 8.

Every record read is kept once (unique `record_key`), whatever it said, so re-applying a file changes nothing.
A payment raises the receivable's paid amount, appends a payment event (counted by the results) and a
'payment' history entry, all in the caller's transaction.
"""

from __future__ import annotations

from datetime import date, datetime

import duckdb
import pandas as pd
import pyarrow as pa

from . import catalog
from .frames import to_frame

SCHEMA_STEP = [
    "ALTER TABLE receivables ADD COLUMN nosso_numero VARCHAR",
    "CREATE SEQUENCE bank_file_ids",
    """CREATE TABLE bank_files (
        id BIGINT PRIMARY KEY, name VARCHAR NOT NULL, source VARCHAR NOT NULL, bank VARCHAR NOT NULL,
        applied_at TIMESTAMP NOT NULL, records INTEGER NOT NULL, new_records INTEGER NOT NULL,
        applied_by VARCHAR NOT NULL)""",
    "CREATE SEQUENCE bank_record_ids",
    """CREATE TABLE bank_records (
        id BIGINT NOT NULL, record_key VARCHAR NOT NULL UNIQUE, file_id BIGINT NOT NULL, source VARCHAR NOT NULL,
        bank VARCHAR NOT NULL, line INTEGER NOT NULL, occurrence VARCHAR NOT NULL, description VARCHAR,
        is_payment BOOLEAN NOT NULL, nosso_numero VARCHAR, document VARCHAR, occurred_on DATE, credited_on DATE,
        face_amount DECIMAL(18,2) NOT NULL, paid DECIMAL(18,2) NOT NULL, interest DECIMAL(18,2) NOT NULL,
        discount DECIMAL(18,2) NOT NULL, rebate DECIMAL(18,2) NOT NULL, fee DECIMAL(18,2) NOT NULL,
        payer_name VARCHAR, payer_tax_id VARCHAR, txid VARCHAR, fitid VARCHAR,
        status VARCHAR NOT NULL, receivable_id BIGINT, applied DECIMAL(18,2) NOT NULL,
        excess DECIMAL(18,2) NOT NULL, reason VARCHAR, recorded_at TIMESTAMP NOT NULL,
        resolved_at TIMESTAMP, resolved_by VARCHAR)""",
]
TABLES = ("bank_files", "bank_records")
APPLIED = ("settled", "partial")
RECORD_COLUMNS = (
    "record_key", "source", "bank", "line", "occurrence", "description", "is_payment", "nosso_numero", "document",
    "occurred_on", "credited_on", "face_amount", "paid", "interest", "discount", "rebate", "fee", "payer_name",
    "payer_tax_id", "txid", "fitid", "status", "receivable_id", "applied", "excess", "reason", "note",
)


def has_schema(con: duckdb.DuckDBPyConnection) -> bool:
    """False only for a file held at an older schema on purpose (tests writing a previous version's file)."""
    return catalog.has_table(con, "bank_records")


def open_receivables(con: duckdb.DuckDBPyConnection, ids: list[int] | None = None) -> list[tuple]:
    """(id, document, installment, nosso_numero, balance, due_date, customer, tax_id) of every receivable, or
    only of `ids` and those without a nosso número."""
    return con.execute(
        """SELECT r.id, r.document, r.installment, r.nosso_numero, CAST(r.amount - r.paid_amount AS DECIMAL(18,2)),
                  r.due_date, c.name, c.tax_id
           FROM receivables r JOIN customers c ON c.id = r.customer_id
           WHERE $all OR r.nosso_numero IS NULL OR r.id IN (SELECT unnest(CAST($ids AS BIGINT[])))""",
        {"all": ids is None, "ids": ids or []}).fetchall()


def known_keys(con: duckdb.DuckDBPyConnection, keys: list[str]) -> set[str]:
    rows = con.execute("SELECT record_key FROM bank_records "
                       "WHERE record_key IN (SELECT unnest(CAST($keys AS VARCHAR[])))", {"keys": keys}).fetchall()
    return {r[0] for r in rows}


def save(con: duckdb.DuckDBPyConnection, file: dict, rows: pa.Table, now: datetime, by: str) -> int:
    """Keep one file's new records (RECORD_COLUMNS; '' is stored as NULL) and apply its payments; returns the
    file's id."""
    file_id = con.execute("SELECT nextval('bank_file_ids')").fetchall()[0][0]
    con.execute("INSERT INTO bank_files VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [file_id, file["name"], file["source"], file["bank"], now, file["records"], rows.num_rows, by])
    con.register("new_bank_records", rows)
    try:
        con.execute(
            """INSERT INTO bank_records SELECT nextval('bank_record_ids'), record_key, $file, source, bank, line,
                    occurrence, nullif(description, ''), is_payment, nullif(nosso_numero, ''),
                    nullif(document, ''), occurred_on, credited_on, face_amount, paid, interest, discount, rebate,
                    fee, nullif(payer_name, ''), nullif(payer_tax_id, ''), nullif(txid, ''), nullif(fitid, ''),
                    status, receivable_id, applied, excess, nullif(reason, ''), $now, NULL, NULL
                FROM new_bank_records""",  # noqa: S608 - constant
            {"file": file_id, "now": now})
        _apply(con, "FROM new_bank_records WHERE status IN ('settled', 'partial')", now, by)
    finally:
        con.unregister("new_bank_records")
    return file_id


def _apply(con: duckdb.DuckDBPyConnection, source: str, now: datetime, by: str) -> None:
    """Raise paid amounts by the applied payments of `source`; payment events and history entries alike."""
    con.execute("DROP TABLE IF EXISTS paid_now")
    con.execute(
        f"""CREATE TEMP TABLE paid_now AS
            SELECT receivable_id, CAST(sum(applied) AS DECIMAL(18,2)) AS applied,
                   max(coalesce(occurred_on, credited_on)) AS paid_on {source} GROUP BY receivable_id""")
    con.execute(
        """INSERT INTO payment_events SELECT nextval('payment_event_ids'), r.id, $now, r.paid_amount,
               r.paid_amount + p.applied, r.paid_date, greatest(coalesce(r.paid_date, p.paid_on), p.paid_on), r.amount
           FROM paid_now p JOIN receivables r ON r.id = p.receivable_id""", {"now": now})
    con.execute(
        """UPDATE receivables SET paid_amount = receivables.paid_amount + p.applied,
               paid_date = greatest(coalesce(receivables.paid_date, p.paid_on), p.paid_on), updated_at = $now
           FROM paid_now p WHERE receivables.id = p.receivable_id""", {"now": now})
    con.execute(
        f"""INSERT INTO receivable_events SELECT nextval('receivable_event_ids'), receivable_id, 'payment',
                coalesce(occurred_on, credited_on), CAST(applied + excess AS DECIMAL(18,2)), NULL, note, $by, $now,
                NULL, NULL {source}""",  # noqa: S608 - constant fragments
        {"by": by, "now": now})
    con.execute("DROP TABLE paid_now")


def resolve(con: duckdb.DuckDBPyConnection, record_id: int, receivable_id: int, status: str, applied, excess,
            note: str, now: datetime, by: str) -> None:
    """Apply one review-list record to the receivable the user chose."""
    con.execute(
        """UPDATE bank_records SET status = $status, receivable_id = $rid, applied = $applied, excess = $excess,
               resolved_at = $now, resolved_by = $by WHERE id = $id AND status = 'review'""",
        {"status": status, "rid": receivable_id, "applied": applied, "excess": excess, "now": now, "by": by,
         "id": record_id})
    con.execute("DROP TABLE IF EXISTS resolved_now")
    con.execute("""CREATE TEMP TABLE resolved_now AS SELECT *, $note AS note FROM bank_records
                   WHERE id = $id AND status IN ('settled', 'partial')""", {"note": note, "id": record_id})
    _apply(con, "FROM resolved_now", now, by)
    con.execute("DROP TABLE resolved_now")


def dismiss(con: duckdb.DuckDBPyConnection, record_id: int, now: datetime, by: str) -> None:
    con.execute("UPDATE bank_records SET status = 'dismissed', resolved_at = ?, resolved_by = ? "
                "WHERE id = ? AND status = 'review'", [now, by, record_id])


def review_record(con: duckdb.DuckDBPyConnection, record_id: int) -> dict | None:
    frame = to_frame(con.sql("SELECT * FROM bank_records WHERE id = $id AND status = 'review'",
                             params={"id": record_id}))
    return None if frame.empty else frame.iloc[0].to_dict()


def review_list(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The payments nobody could match (or matched more than once), oldest first."""
    return to_frame(con.sql(
        """SELECT b.id, f.name AS file, b.line, b.bank, b.source, b.nosso_numero, b.document, b.occurred_on,
                  b.credited_on, b.paid, b.fee, b.payer_name, b.payer_tax_id, b.txid, b.reason
           FROM bank_records b JOIN bank_files f ON f.id = b.file_id
           WHERE b.status = 'review' ORDER BY b.id"""))


def payments(con: duckdb.DuckDBPyConnection, since: date | None = None, until: date | None = None) -> pd.DataFrame:
    """Payments recorded from bank files (for the ERP's own baixa), in the order they were applied."""
    return to_frame(con.sql(
        """SELECT r.document, r.installment, coalesce(b.occurred_on, b.credited_on) AS paid_on, b.paid,
                  CAST(b.discount + b.rebate AS DECIMAL(18,2)) AS discount, b.excess, b.applied, b.fee, b.bank,
                  b.nosso_numero, b.source
           FROM bank_records b JOIN receivables r ON r.id = b.receivable_id
           WHERE b.status IN ('settled', 'partial')
             AND ($since IS NULL OR coalesce(b.occurred_on, b.credited_on) >= $since)
             AND ($until IS NULL OR coalesce(b.occurred_on, b.credited_on) <= $until)
           ORDER BY b.id""", params={"since": since, "until": until}))


def paid_between(con: duckdb.DuckDBPyConnection, since: datetime, until: datetime) -> tuple[int, object]:
    """(payments, Σ amount) recorded from bank files in [since, until) (stored, naive UTC)."""
    return tuple(con.execute(
        """SELECT count(*), CAST(coalesce(sum(applied + excess), 0) AS DECIMAL(18,2)) FROM bank_records
           WHERE status IN ('settled', 'partial') AND coalesce(resolved_at, recorded_at) >= ?
             AND coalesce(resolved_at, recorded_at) < ?""", [since, until]).fetchall()[0])


def last_file_applied(con: duckdb.DuckDBPyConnection) -> datetime | None:
    if not has_schema(con):
        return None
    return con.execute("SELECT max(applied_at) FROM bank_files").fetchall()[0][0]


def last_regua_run(con: duckdb.DuckDBPyConnection) -> datetime | None:
    return con.execute("SELECT max(created_at) FROM regua_log").fetchall()[0][0]


# -- the ERP re-import (receivables.upsert) ---------------------------------------------------------
def with_bank_payments(staged_select: str) -> str:
    """The upsert's staged rows (`staged_select`) where an ERP file that has not caught up never reopens what the
    bank paid: the paid amount is the greater of the file's and the bank's (capped at the amount), so one showing
    more wins, and the paid date the later one."""
    behind = "b.paid IS NOT NULL AND s.paid_amount < least(s.amount, b.paid)"  # least() skips NULLs
    return f"""SELECT s.customer_key, s.customer_code, s.customer, s.tax_id, s.mobile, s.phone, s.email, s.document,
               s.installment, s.issue_date, s.due_date, s.payable_until, s.amount,
               CASE WHEN {behind} THEN least(s.amount, b.paid) ELSE s.paid_amount END AS paid_amount,
               CASE WHEN {behind} THEN coalesce(greatest(s.paid_date, b.paid_on), b.paid_on) ELSE s.paid_date END
                   AS paid_date,
               s.description, s.nosso_numero, s.row_order
        FROM ({staged_select}) s LEFT JOIN (
            SELECT r.document, r.installment, sum(x.applied) AS paid, max(coalesce(x.occurred_on, x.credited_on)) AS paid_on
            FROM bank_records x JOIN receivables r ON r.id = x.receivable_id
            WHERE x.status IN ('settled', 'partial') GROUP BY r.document, r.installment) b
        ON b.document = s.document AND b.installment = s.installment"""  # noqa: S608 - constants


def keep_nosso_numero(con: duckdb.DuckDBPyConnection) -> None:
    """Store the file's nosso número (a file without the column keeps the stored one)."""
    if not has_schema(con):
        return
    con.execute(
        """UPDATE receivables SET nosso_numero = s.nosso_numero FROM staged s
           WHERE s.nosso_numero IS NOT NULL AND receivables.document = s.document
             AND receivables.installment = s.installment
             AND receivables.nosso_numero IS DISTINCT FROM s.nosso_numero""")
