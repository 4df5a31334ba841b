"""Portfolios (carteira: the analyst responsible for each customer) and leases ("em atendimento por X").

A lease is a row with an expiry, one per (customer, analyst): it tells other tabs who has the customer's
contact form open. Nothing is locked; an expired lease is simply ignored.
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import pandas as pd

from .frames import to_frame

# Joined to the worklist's page: the responsible analyst and who else holds a lease now (comma-separated;
# the analyst looking, $viewer, is left out).
ASSIGNED_SQL = "SELECT customer_id, analyst AS assigned_to FROM portfolio"
LEASED_SQL = """SELECT customer_id, string_agg(analyst, ', ' ORDER BY started_at) AS in_service_by
    FROM leases WHERE expires_at > $now AND analyst IS DISTINCT FROM $viewer GROUP BY customer_id"""
# LEASED_SQL for the customers of named receivables ($ids) only (store/named_rows.py).
LEASED_OF_IDS_SQL = LEASED_SQL.replace(
    "WHERE expires_at > $now",
    "WHERE customer_id IN (SELECT customer_id FROM receivables WHERE id IN (SELECT unnest(CAST($ids AS BIGINT[])))) "
    "AND expires_at > $now")
MINE_CONDITION = "AND customer_id IN (SELECT customer_id FROM portfolio WHERE analyst = $analyst)"


def assign(con: duckdb.DuckDBPyConnection, pairs: list[tuple[int, str]], by: str, at: datetime) -> int:
    """Make each (customer_id, analyst) the customer's responsible analyst (replacing any other)."""
    if not pairs:
        return 0
    frame = pd.DataFrame(pairs, columns=["customer_id", "analyst"]).astype({"customer_id": "int64"})
    con.register("new_assignments", frame)
    try:
        con.execute(
            """INSERT INTO portfolio SELECT customer_id, analyst, $by, $at FROM new_assignments
               ON CONFLICT (customer_id) DO UPDATE SET analyst = excluded.analyst,
                   assigned_by = excluded.assigned_by, assigned_at = excluded.assigned_at""",
            {"by": by, "at": at},
        )
    finally:
        con.unregister("new_assignments")
    return len(frame)


def unassign(con: duckdb.DuckDBPyConnection, customer_ids: list[int]) -> None:
    con.execute("DELETE FROM portfolio WHERE customer_id IN (SELECT unnest(CAST($ids AS BIGINT[])))",
                {"ids": [int(i) for i in customer_ids]})


def listing(con: duckdb.DuckDBPyConnection, analyst: str | None = None) -> pd.DataFrame:
    """Assigned customers with their open balance, by analyst then customer name."""
    return to_frame(con.sql(
        """SELECT p.analyst, c.id AS customer_id, c.code AS customer_code, c.name AS customer,
                  count(r.id) AS open_receivables,
                  CAST(coalesce(sum(r.amount - r.paid_amount), 0) AS DECIMAL(38,2)) AS balance,
                  p.assigned_by, p.assigned_at
           FROM portfolio p JOIN customers c ON c.id = p.customer_id
           LEFT JOIN receivables r ON r.customer_id = c.id AND r.amount > r.paid_amount
           WHERE $analyst IS NULL OR p.analyst = $analyst
           GROUP BY p.analyst, c.id, c.code, c.name, p.assigned_by, p.assigned_at
           ORDER BY p.analyst, c.name, c.id""",
        params={"analyst": analyst},
    ))


def analyst_of(con: duckdb.DuckDBPyConnection, customer_id: int) -> str | None:
    row = con.execute("SELECT analyst FROM portfolio WHERE customer_id = ?", [customer_id]).fetchall()
    return row[0][0] if row else None


def take_lease(con: duckdb.DuckDBPyConnection, customer_id: int, analyst: str, at: datetime,
               expires_at: datetime) -> None:
    """Start or renew `analyst`'s lease on the customer."""
    con.execute(
        """INSERT INTO leases VALUES (?, ?, ?, ?) ON CONFLICT (customer_id, analyst)
           DO UPDATE SET started_at = excluded.started_at, expires_at = excluded.expires_at""",
        [customer_id, analyst, at, expires_at],
    )


def release_lease(con: duckdb.DuckDBPyConnection, customer_id: int, analyst: str) -> None:
    con.execute("DELETE FROM leases WHERE customer_id = ? AND analyst = ?", [customer_id, analyst])


def active_leases(con: duckdb.DuckDBPyConnection, customer_id: int, now: datetime) -> list[dict]:
    rows = con.execute(
        """SELECT analyst, started_at, expires_at FROM leases WHERE customer_id = ? AND expires_at > ?
           ORDER BY started_at""", [customer_id, now]).fetchall()
    return [dict(zip(("analyst", "started_at", "expires_at"), r, strict=True)) for r in rows]


def receivable_ids_of_customer(con: duckdb.DuckDBPyConnection, customer_id: int, open_only: bool) -> list[int]:
    """Receivable ids of a customer (open only, or every one), by due date."""
    rows = con.execute(
        """SELECT id FROM receivables WHERE customer_id = ? AND (NOT ? OR amount > paid_amount + agreement_credit)
           ORDER BY due_date, document, installment""", [customer_id, open_only]).fetchall()
    return [r[0] for r in rows]
