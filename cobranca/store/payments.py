"""Payments seen by re-imports (payment_events) and the aging snapshot taken after each import.

The ERP export only says what is paid now; comparing each re-imported row with the stored one keeps the history
(paid amount and paid date before and after), so results do not depend on the ERP keeping it.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import duckdb

from ..core.errors import InputError
from ..core.formatting import brl
from ..receivables.bands import AGING_KEYS, aging_band_sql
from ..receivables.rules import owed_sql
from . import catalog
from .agreements import HELD_NOW

MAX_STORED = Decimal("9999999999999999.99")  # DECIMAL(18,2), the type of every stored amount



def _has_results_schema(con: duckdb.DuckDBPyConnection) -> bool:
    """False only for a file held at an older schema on purpose (tests writing a previous version's file)."""
    return bool(con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'payment_events' "
        "AND table_type = 'BASE TABLE'"
    ).fetchall()[0][0])


def record_changes(con: duckdb.DuckDBPyConnection, now: datetime) -> int:
    """Append a payment event for every staged row whose paid amount or paid date differs from the stored one.

    Runs inside the upsert's transaction, on its `staged` table, before the receivables are updated.
    """
    if not _has_results_schema(con):
        return 0
    before = con.execute("SELECT coalesce(max(id), 0) FROM payment_events").fetchall()[0][0]
    con.execute(
        """INSERT INTO payment_events
           SELECT nextval('payment_event_ids'), r.id, $now, r.paid_amount, s.paid_amount, r.paid_date, s.paid_date,
                  s.amount
           FROM staged s JOIN receivables r USING (document, installment)
           WHERE s.paid_amount IS DISTINCT FROM r.paid_amount OR s.paid_date IS DISTINCT FROM r.paid_date""",
        {"now": now},
    )
    return con.execute("SELECT count(*) FROM payment_events WHERE id > ?", [before]).fetchall()[0][0]


_AGING_NOW = """SELECT {bucket} AS bucket, count(*) AS receivables, CAST(sum(owed) AS DECIMAL(38,2)) AS balance
    FROM (SELECT r.due_date, {owed} AS owed FROM receivables r WHERE r.amount > r.paid_amount) r
    WHERE owed > 0 GROUP BY 1"""
_OWED_NOW = owed_sql("r.amount", "r.paid_amount", "r.agreement_credit", HELD_NOW)
_OWED_BEFORE_AGREEMENTS = owed_sql("r.amount", "r.paid_amount", "0", "FALSE")  # a file held before schema step 9


def aging(con: duckdb.DuckDBPyConnection, as_of: date) -> list[tuple[str, int, object]]:
    """(bucket, receivables, balance) of every open receivable on `as_of`; buckets without any are left out."""
    owed = _OWED_NOW if catalog.has_table(con, "agreements") else _OWED_BEFORE_AGREEMENTS
    sql = (_AGING_NOW.replace("{bucket}", aging_band_sql("date_diff('day', r.due_date, $as_of)"))
           .replace("{owed}", owed))
    return con.execute(sql, {"as_of": as_of}).fetchall()


def snapshot_aging(con: duckdb.DuckDBPyConnection, now: datetime, day: date | None = None) -> None:
    """Keep the totals by bucket of the whole portfolio on the import's (company) day (every bucket, zeros too)."""
    if not _has_results_schema(con):
        return
    day = day or now.date()
    found = {bucket: (count, balance) for bucket, count, balance in aging(con, day)}
    too_big = [bucket for bucket, (_, balance) in found.items() if balance > MAX_STORED]
    if too_big:
        raise InputError(
            f"O saldo em aberto da faixa de atraso {', '.join(too_big)} passa do limite que o banco guarda "
            f"({brl(MAX_STORED)}); confira os valores do arquivo. Nada foi importado.")
    con.executemany(
        "INSERT INTO aging_snapshots VALUES (?, ?, ?, ?, ?)",
        [[now, day, b, *found.get(b, (0, 0))] for b in AGING_KEYS],
    )
