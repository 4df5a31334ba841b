"""The staged records of a baixa run, decided set-wise in SQL where the answer needs no running balance.

One query gives each staged record (table `staged_bank_records`, in run order `run_row`) its outcome when it is:
already applied or repeated in the run (duplicate), not a payment, or — the common case — a payment whose
nosso número names exactly one receivable that no other record of the run names (settled or partial by
settle_sql). Every other record gets NULL and is decided in order by matching.plan.
"""

from __future__ import annotations

import contextlib

import duckdb
import pyarrow as pa

from ..baixa.settle import CREDIT_SQL, DUPLICATE, NOT_PAYMENT, REVIEW, settle_sql
from ..baixa.table import nosso_keys

STAGED = "staged_bank_records"
_SETTLE = settle_sql("balance", "credit")


def unregister(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Drop a registered table; after a failed statement the transaction is aborted and the error that matters
    is the one already raised (the registration dies with the connection)."""
    with contextlib.suppress(duckdb.Error):
        con.unregister(name)


def receivable_keys(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """(id, nosso_key) of every receivable with a nosso número, in the form records are compared in."""
    found = con.sql("SELECT id, nosso_numero FROM receivables WHERE nosso_numero IS NOT NULL").to_arrow_table()
    return pa.table({"id": found.column("id"), "nosso_key": nosso_keys(found.column("nosso_numero").combine_chunks())})


def decide(con: duckdb.DuckDBPyConnection, direct: bool) -> pa.Table:
    """(run_row, status, receivable_id, applied, excess, reason, document, installment) of every staged record,
    in run order; status NULL for those left to matching.plan. `direct`: match by nosso número set-wise."""
    con.register("receivable_nosso_keys", receivable_keys(con) if direct else
                 pa.table({"id": pa.array([], pa.int64()), "nosso_key": pa.array([], pa.string())}))
    try:
        found = con.sql(f"""
            WITH firsts AS (SELECT record_key, min(run_row) AS first FROM {STAGED} GROUP BY record_key),
            naming AS (SELECT nosso_key, count(*) AS n FROM {STAGED} GROUP BY nosso_key),
            s AS (
                SELECT x.run_row, x.record_key, x.nosso_key, x.nosso_numero, x.is_payment, x.description, x.source,
                       {CREDIT_SQL} AS credit, x.run_row > f.first AS later, m.n AS naming
                FROM {STAGED} x JOIN firsts f USING (record_key) JOIN naming m USING (nosso_key)),
            titles AS (
                SELECT k.nosso_key, count(*) AS n, min(k.id) AS id FROM receivable_nosso_keys k
                WHERE k.nosso_key <> '' GROUP BY k.nosso_key),
            t AS (
                SELECT titles.nosso_key, r.id, r.document, r.installment,
                       CAST(r.amount - r.paid_amount AS DECIMAL(18,2)) AS balance
                FROM titles JOIN receivables r ON r.id = titles.id WHERE titles.n = 1),
            d AS (
                SELECT s.*, s.later OR b.record_key IS NOT NULL AS repeated, t.id AS target, t.document,
                       t.installment, t.balance
                FROM s LEFT JOIN bank_records b ON b.record_key = s.record_key
                       LEFT JOIN t ON t.nosso_key = s.nosso_key AND s.naming = 1)
            SELECT run_row,
                   CASE WHEN repeated THEN '{DUPLICATE}' WHEN NOT is_payment THEN '{NOT_PAYMENT}'
                        WHEN credit <= 0 AND source <> 'ofx' THEN '{REVIEW}'
                        WHEN target IS NOT NULL AND balance > 0 THEN {_SETTLE['status']} END AS status,
                   CASE WHEN NOT repeated AND is_payment AND credit > 0 AND balance > 0 THEN target END
                       AS receivable_id,
                   CAST(CASE WHEN NOT repeated AND is_payment AND credit > 0 AND balance > 0
                             THEN {_SETTLE['applied']} ELSE 0 END AS DECIMAL(18,2)) AS applied,
                   CAST(CASE WHEN NOT repeated AND is_payment AND credit > 0 AND balance > 0
                             THEN {_SETTLE['excess']} ELSE 0 END AS DECIMAL(18,2)) AS excess,
                   CASE WHEN repeated THEN 'registro já aplicado antes' WHEN NOT is_payment THEN description
                        WHEN credit <= 0 AND source <> 'ofx' THEN 'liquidação sem valor pago'
                        WHEN target IS NOT NULL AND balance > 0 THEN 'nosso número ' || nosso_numero END AS reason,
                   document, installment
            FROM d ORDER BY run_row""").to_arrow_table()  # noqa: S608 - constant fragments
    finally:
        unregister(con, "receivable_nosso_keys")
    return found
