"""Promises to pay, disputes (receivable_events) and do-not-contact requests (customer_events).

Both tables are append-only logs like contacts: an entry is never deleted, "Cancelar último" marks it
cancelled. The current state is the newest entry not cancelled: the active promise, whether a dispute is
open (dispute after resolve), whether the customer opted out (optout after optin).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import duckdb
import pandas as pd

from ..core.clock import DEFAULT_TIMEZONE
from ..promises import status as promise_rules
from ..receivables.filters import PROMISE_FILTERS, Filter
from ..receivables.rules import balance_sql
from . import filters as filter_records
from . import opt_outs
from . import regua as regua_records
from .frames import to_frame

RECEIVABLE_KINDS = ("promise", "dispute", "resolve")
CUSTOMER_KINDS = ("optout", "optin")
TABLES = ("receivable_events", "customer_events")


def _promise_filters(con: duckdb.DuckDBPyConnection) -> None:
    """The default filters of promises; a user filter already called so is kept as it is."""
    taken = {row[0].lower() for row in con.execute("SELECT description FROM filters").fetchall()}
    for spec in PROMISE_FILTERS:
        if spec["description"].lower() not in taken:
            filter_records.insert(con, Filter(**spec).validated())


# Schema step 2 (see schema.py): additive, an older file upgrades on open.
SCHEMA_STEP = [
    "CREATE SEQUENCE receivable_event_ids",
    """CREATE TABLE receivable_events (
        id BIGINT NOT NULL, receivable_id BIGINT NOT NULL, kind VARCHAR NOT NULL, promise_date DATE,
        amount DECIMAL(18,2), balance_before DECIMAL(18,2), note VARCHAR, responsible VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL, cancelled_at TIMESTAMP, cancelled_by VARCHAR)""",
    "CREATE SEQUENCE customer_event_ids",
    """CREATE TABLE customer_events (
        id BIGINT NOT NULL, customer_id BIGINT NOT NULL, kind VARCHAR NOT NULL, note VARCHAR,
        responsible VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL, cancelled_at TIMESTAMP, cancelled_by VARCHAR)""",
    "ALTER TABLE filters ADD COLUMN status VARCHAR",
    _promise_filters,
]

_BALANCE_NOW = balance_sql("r.amount", "r.paid_amount", "r.agreement_credit")
# The worklist's status, in SQL: the promise's outcome is promises/status.promise_outcome's SQL twin.
_PROMISE_OUTCOME = promise_rules.promise_outcome_sql("pr.promise_date", "pr.promised", "pr.balance_before",
                                                     "ch.balance", "ch.paid_date")
# `charges` is the worklist's receivables with their charges; the result replaces it as `charged`.
STATUS_CTE = """, promise AS (
    SELECT receivable_id, arg_max(promise_date, id) AS promise_date, arg_max(amount, id) AS promised,
           arg_max(balance_before, id) AS balance_before, max(created_at) AS promised_at
    FROM receivable_events WHERE kind = 'promise' AND cancelled_at IS NULL GROUP BY receivable_id
), dispute AS (
    SELECT receivable_id, arg_max(kind, id) = 'dispute' AS disputed
    FROM receivable_events WHERE kind IN ('dispute', 'resolve') AND cancelled_at IS NULL GROUP BY receivable_id
), agreed AS (
    SELECT o.receivable_id, arg_max(a.status, a.id) AS agreement_status, arg_max(a.ended_at, a.id) AS ended_at
    FROM agreement_originals o JOIN agreements a ON a.id = o.agreement_id GROUP BY o.receivable_id
), stated AS (
    SELECT ch.*, pr.promise_date,
           CASE WHEN coalesce(di.disputed, FALSE) THEN 'disputed'
                WHEN ag.agreement_status = 'active' THEN 'agreement'
                WHEN ag.agreement_status IN ('broken', 'cancelled')
                     AND (pr.receivable_id IS NULL OR pr.promised_at <= ag.ended_at) THEN 'agreement_broken'
                WHEN pr.receivable_id IS NULL THEN 'open'
                ELSE CASE """ + _PROMISE_OUTCOME + """ WHEN 'pending' THEN 'promised' WHEN 'broken'
                     THEN 'promise_broken' ELSE 'open' END END AS status
    FROM charges ch
    LEFT JOIN promise pr ON pr.receivable_id = ch.receivable_id
    LEFT JOIN dispute di ON di.receivable_id = ch.receivable_id
    LEFT JOIN agreed ag ON ag.receivable_id = ch.receivable_id
), charged AS (
    SELECT * FROM stated WHERE TRUE {status_conditions}
)"""  # noqa: S608 - the rules' constant fragments

# Customers who asked not to be messaged (joined to the worklist's page).
OPTED_OUT_SQL = """SELECT customer_id, arg_max(kind, id) = 'optout' AS opted_out, arg_max(note, id) AS note
    FROM customer_events WHERE cancelled_at IS NULL GROUP BY customer_id"""

# The same texts for named receivables ($ids) only: each aggregate reads the events of those receivables (or of
# their customers), so a per-customer read costs the same whatever the size of the tables (store/named_rows.py).
OF_IDS = "(SELECT unnest(CAST($ids AS BIGINT[])))"
CUSTOMERS_OF_IDS = f"(SELECT customer_id FROM receivables WHERE id IN {OF_IDS})"  # noqa: S608 - constants
STATUS_CTE_OF_IDS = (STATUS_CTE
                     .replace("cancelled_at IS NULL GROUP BY receivable_id",
                              f"cancelled_at IS NULL AND receivable_id IN {OF_IDS} GROUP BY receivable_id")
                     .replace("a.id = o.agreement_id GROUP BY",
                              f"a.id = o.agreement_id WHERE o.receivable_id IN {OF_IDS} GROUP BY"))
OPTED_OUT_OF_IDS_SQL = OPTED_OUT_SQL.replace(
    "cancelled_at IS NULL GROUP BY", f"cancelled_at IS NULL AND customer_id IN {CUSTOMERS_OF_IDS} GROUP BY")
assert STATUS_CTE_OF_IDS.count(OF_IDS) == 3 and OPTED_OUT_OF_IDS_SQL != OPTED_OUT_SQL

BROKEN_FIRST = "(status IN ('agreement_broken', 'promise_broken')) DESC, "

# Filter.status (or include_paused) -> the fixed SQL fragment that selects by status.
STATUS_CONDITIONS = {
    None: f"AND NOT {promise_rules.is_paused_sql('status')}",
    "all": "",
    "promise_broken": "AND status = 'promise_broken'",
    "promise_today": "AND status = 'promised' AND promise_date = $as_of",
    "promised": "AND status = 'promised'",
    "disputed": "AND status = 'disputed'",
    "agreement": "AND status = 'agreement'",  # acordos (store/agreements.py)
    "agreement_broken": "AND status = 'agreement_broken'",
    "regua_tasks": regua_records.OPEN_TASKS_CONDITION,
}


def add_receivable_event(con: duckdb.DuckDBPyConnection, receivable_id: int, kind: str, responsible: str,
                         created_at: datetime, note: str | None = None, promise_date: date | None = None,
                         amount: Decimal | None = None, balance_before: Decimal | None = None) -> int:
    """Append a promise, dispute or resolution; returns its id."""
    if kind not in RECEIVABLE_KINDS:
        raise ValueError(f"unknown receivable event {kind!r}")
    new_id = con.execute("SELECT nextval('receivable_event_ids')").fetchall()[0][0]
    con.execute(
        "INSERT INTO receivable_events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
        [new_id, receivable_id, kind, promise_date, amount, balance_before, note, responsible, created_at],
    )
    return new_id


def add_customer_event(con: duckdb.DuckDBPyConnection, customer_id: int, kind: str, responsible: str,
                       created_at: datetime, note: str | None = None) -> int:
    """Append an opt-out or opt-in of a customer; returns its id."""
    if kind not in CUSTOMER_KINDS:
        raise ValueError(f"unknown customer event {kind!r}")
    new_id = con.execute("SELECT nextval('customer_event_ids')").fetchall()[0][0]
    con.execute("INSERT INTO customer_events VALUES (?, ?, ?, ?, ?, ?, NULL, NULL)",
                [new_id, customer_id, kind, note, responsible, created_at])
    return new_id


def dispute_open(con: duckdb.DuckDBPyConnection, receivable_id: int) -> bool:
    row = con.execute(
        """SELECT kind FROM receivable_events WHERE receivable_id = ? AND kind IN ('dispute', 'resolve')
           AND cancelled_at IS NULL ORDER BY id DESC LIMIT 1""", [receivable_id]).fetchall()
    return bool(row) and row[0][0] == "dispute"


def opt_out_state(con: duckdb.DuckDBPyConnection, customer_id: int) -> tuple[bool, str | None]:
    """(opted out?, the reason given) from the customer's newest opt-out/opt-in not cancelled."""
    row = con.execute(opt_outs.STATE_SQL, [customer_id]).fetchall()
    return (bool(row) and row[0][0] == "optout", row[0][1] if row else None)


def customer_of_receivable(con: duckdb.DuckDBPyConnection, receivable_id: int) -> dict:
    row = con.execute(
        """SELECT c.id, c.name FROM receivables r JOIN customers c ON c.id = r.customer_id WHERE r.id = ?""",
        [receivable_id]).fetchall()[0]
    return {"id": row[0], "name": row[1]}


def find_customers(con: duckdb.DuckDBPyConnection, text: str, digits: str | None) -> list[dict]:
    """Customers whose code is `text`, whose CPF/CNPJ digits are `digits`, or whose name is `text` (any case)."""
    rows = con.execute(
        """SELECT id, code, name, tax_id FROM customers
           WHERE code = $text OR ($digits IS NOT NULL AND tax_id = $digits)
              OR lower(strip_accents(name)) = lower(strip_accents($text))
           ORDER BY name, id LIMIT 20""",
        {"text": text, "digits": digits},
    ).fetchall()
    return [dict(zip(("id", "code", "name", "tax_id"), r, strict=True)) for r in rows]


def customer_by_id(con: duckdb.DuckDBPyConnection, customer_id: int) -> dict | None:
    rows = con.execute("SELECT id, code, name, tax_id FROM customers WHERE id = ?", [customer_id]).fetchall()
    return dict(zip(("id", "code", "name", "tax_id"), rows[0], strict=True)) if rows else None


def history(con: duckdb.DuckDBPyConnection, receivable_ids: list[int], include_cancelled: bool = False) -> pd.DataFrame:
    """Events of the given receivables and of their customers, raw (history_events.py words them), newest first."""
    return to_frame(con.sql(
        """WITH wanted AS (SELECT r.id, r.document, r.installment, r.customer_id FROM receivables r
                           WHERE r.id IN (SELECT unnest(CAST($ids AS BIGINT[]))))
           SELECT e.id, w.id AS receivable_id, w.document, w.installment, e.created_at, e.kind, e.responsible,
                  e.note, e.promise_date, e.amount, e.cancelled_at, e.cancelled_by
           FROM receivable_events e JOIN wanted w ON w.id = e.receivable_id
           WHERE $all OR e.cancelled_at IS NULL
           UNION ALL
           SELECT e.id, w.id, w.document, w.installment, e.created_at, e.kind, e.responsible, e.note,
                  NULL, NULL, e.cancelled_at, e.cancelled_by
           FROM customer_events e JOIN wanted w ON w.customer_id = e.customer_id
           WHERE $all OR e.cancelled_at IS NULL
           ORDER BY created_at DESC, id DESC""",
        params={"ids": [int(i) for i in receivable_ids], "all": include_cancelled},
    ))


def last_event(con: duckdb.DuckDBPyConnection, receivable_id: int) -> dict | None:
    """The newest event not cancelled of the receivable or of its customer: table, id, kind, created_at."""
    row = con.execute(
        """SELECT * FROM (
               SELECT 'receivable_events' AS tbl, id, kind, created_at FROM receivable_events
               WHERE receivable_id = $id AND cancelled_at IS NULL AND kind <> 'payment'  -- "Cancelar último" never undoes a bank payment
               UNION ALL
               SELECT 'customer_events', e.id, e.kind, e.created_at FROM customer_events e
               WHERE e.customer_id = (SELECT customer_id FROM receivables WHERE id = $id) AND e.cancelled_at IS NULL
           ) AS newest ORDER BY created_at DESC, id DESC LIMIT 1""",
        {"id": receivable_id},
    ).fetchall()
    return dict(zip(("table", "id", "kind", "created_at"), row[0], strict=True)) if row else None


def cancel_event(con: duckdb.DuckDBPyConnection, table: str, event_id: int, by: str, at: datetime) -> None:
    """Mark one event cancelled; nothing is deleted."""
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}")
    con.execute(f"UPDATE {table} SET cancelled_at = ?, cancelled_by = ? WHERE id = ?",  # noqa: S608 - checked
                [at, by, event_id])


# Each receivable's promises (not cancelled) and the agreements that took it over, in the order they were made:
# a promise followed by either is judged on that day (promises/status.promise_outcomes).
_CHAIN = """WITH chain AS (
    SELECT e.receivable_id, e.id, 'promise' AS kind, e.promise_date, e.amount, e.balance_before, e.created_at
    FROM receivable_events e WHERE e.kind = 'promise' AND e.cancelled_at IS NULL
    UNION ALL
    SELECT o.receivable_id, o.agreement_id, 'agreement', NULL, NULL, o.balance, a.created_at
    FROM agreement_originals o JOIN agreements a ON a.id = o.agreement_id
    WHERE o.receivable_id IN (SELECT receivable_id FROM receivable_events WHERE kind = 'promise')
), p AS (
    SELECT c.receivable_id, c.id, c.kind, c.promise_date, c.amount, c.balance_before,
           CAST(timezone($tz, timezone('UTC', c.created_at)) AS DATE) AS made_on,
           lead(c.balance_before) OVER w AS next_balance,
           lead(CAST(timezone($tz, timezone('UTC', c.created_at)) AS DATE)) OVER w AS next_made_on,
           row_number() OVER w AS seq, """ + _BALANCE_NOW + """ AS balance, r.paid_date
    FROM chain c JOIN receivables r ON r.id = c.receivable_id
    WINDOW w AS (PARTITION BY c.receivable_id ORDER BY c.created_at, c.kind DESC, c.id)
)"""  # noqa: S608 - constants


def promises_with_balances(con: duckdb.DuckDBPyConnection, tz: str = DEFAULT_TIMEZONE) -> pd.DataFrame:
    """Every promise not cancelled and every agreement over a promised receivable (`kind` 'promise' or
    'agreement'), in the order made per receivable, with the receivable's balance and paid date now; `made_on` is
    the company-time day (time zone `tz`) it was made."""
    return to_frame(con.sql(
        _CHAIN + """SELECT receivable_id, id, kind, promise_date, amount, balance_before, made_on, balance, paid_date
        FROM p ORDER BY receivable_id, seq""", params={"tz": tz}))  # noqa: S608 - constants


# Outcome of every promise, in SQL: promises/status.promise_outcomes' twins (replaced_outcome_sql for a promise
# replaced by a newer one or by an agreement, judged with the newer one's balance_before and day;
# promise_outcome_sql for the last, with the receivable's balance and payment date now).
_OUTCOME = ("CASE WHEN next_made_on IS NOT NULL THEN "
            + promise_rules.replaced_outcome_sql("promise_date", "amount", "balance_before", "next_balance",
                                                 "next_made_on")
            + " ELSE " + promise_rules.promise_outcome_sql("promise_date", "amount", "balance_before", "balance",
                                                           "paid_date") + " END")
_OUTCOMES_SQL = _CHAIN + f""", judged AS (
    SELECT *, next_made_on IS NULL AS newest, {_OUTCOME} AS outcome FROM p WHERE kind = 'promise'
)
SELECT count(*) FILTER (WHERE newest AND outcome = 'pending') AS active,
       count(*) FILTER (WHERE newest AND outcome = 'broken' AND balance > 0) AS broken_open,
       count(*) FILTER (WHERE outcome = 'kept') AS kept,
       count(*) FILTER (WHERE outcome = 'broken') AS broken
FROM judged
"""  # noqa: S608 - the rules' constant fragments


def promise_counts(con: duckdb.DuckDBPyConnection, as_of: date, tz: str = DEFAULT_TIMEZONE) -> dict[str, int]:
    """active (newest promise pending), broken_open (newest broken, still owed), kept and broken ever."""
    row = con.execute(_OUTCOMES_SQL, {"as_of": as_of, "tz": tz}).fetchall()[0]
    return dict(zip(("active", "broken_open", "kept", "broken"), (int(v) for v in row), strict=True))
