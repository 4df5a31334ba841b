"""Agreements (acordos): the policy bands, each agreement with its originals and its schedule (schema step 9).

The schedule's entry and installments are receivables of their own (document ACORDO-<id>, installment 0 for the
entry, 1..N), so the worklist, Pix and payments treat them as any other. `receivables.agreement_credit` is what an
agreement wrote off a receivable: a kept agreement settles its originals, a broken one credits them with what was
paid (oldest first) and cancels its open installments. A re-import never touches that column.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

import duckdb

from ..acordos.policy import DEFAULT_POLICY, Band
from ..receivables.filters import MAX_DAYS, Filter
from . import catalog
from . import filters as filter_records
from .contacts import COMMENT_CHANNEL, company_day

DOCUMENT_PREFIX = "ACORDO-"
BROKEN_FILTER = {"description": "Acordos quebrados", "min_days": 0, "max_days": MAX_DAYS, "channel": "Telefone",
                 "status": "agreement_broken"}
_BAND_COLUMNS = ("min_days", "max_days", "max_interest_discount", "max_fine_discount", "min_entry_percent",
                 "max_installments", "min_installment")


def _defaults(con: duckdb.DuckDBPyConnection) -> None:
    """The default policy and the "Acordos quebrados" filter (a user filter of that name is kept)."""
    replace_policy(con, DEFAULT_POLICY)
    taken = {row[0].lower() for row in con.execute("SELECT description FROM filters").fetchall()}
    if BROKEN_FILTER["description"].lower() not in taken:
        filter_records.insert(con, Filter(**BROKEN_FILTER).validated())


# Schema step 9 (see schema.py): additive.
SCHEMA_STEP = [
    "ALTER TABLE receivables ADD COLUMN agreement_credit DECIMAL(18,2) NOT NULL DEFAULT 0",
    """CREATE TABLE agreement_policy (
        min_days INTEGER NOT NULL, max_days INTEGER NOT NULL, max_interest_discount DECIMAL(7,4) NOT NULL,
        max_fine_discount DECIMAL(7,4) NOT NULL, min_entry_percent DECIMAL(7,4) NOT NULL,
        max_installments INTEGER NOT NULL, min_installment DECIMAL(18,2) NOT NULL)""",
    "CREATE SEQUENCE agreement_ids",
    """CREATE TABLE agreements (
        id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL, status VARCHAR NOT NULL, as_of DATE NOT NULL,
        total_original DECIMAL(18,2) NOT NULL, discount DECIMAL(18,2) NOT NULL, total DECIMAL(18,2) NOT NULL,
        interest_discount_percent DECIMAL(7,4) NOT NULL, fine_discount_percent DECIMAL(7,4) NOT NULL,
        created_by VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL,
        ended_at TIMESTAMP, ended_by VARCHAR, end_reason VARCHAR, paid_at_end DECIMAL(18,2))""",
    """CREATE TABLE agreement_originals (
        agreement_id BIGINT NOT NULL, receivable_id BIGINT NOT NULL, position INTEGER NOT NULL,
        days_overdue INTEGER NOT NULL, balance DECIMAL(18,2) NOT NULL, fine DECIMAL(18,2) NOT NULL,
        interest DECIMAL(18,2) NOT NULL, interest_discount DECIMAL(18,2) NOT NULL,
        fine_discount DECIMAL(18,2) NOT NULL, credited DECIMAL(18,2))""",
    """CREATE TABLE agreement_installments (
        agreement_id BIGINT NOT NULL, number INTEGER NOT NULL, receivable_id BIGINT NOT NULL,
        due_date DATE NOT NULL, amount DECIMAL(18,2) NOT NULL)""",
    _defaults,
]


# What the results count of an agreement, in SQL (the rule is receivables/rules.owed): an original is held (adds
# nothing) while its agreement is active, the installments carry the debt; credits count from the day written.
HELD_NOW = ("r.id IN (SELECT o.receivable_id FROM agreement_originals o JOIN agreements a ON a.id = o.agreement_id "
            "WHERE a.status = 'active')")
_ENDED_ON = company_day("a.ended_at")
# Originals held on $day: their agreement was made by then and had not ended yet.
HELD_ON_CTE = f""", held_on AS (
    SELECT DISTINCT o.receivable_id FROM agreement_originals o JOIN agreements a ON a.id = o.agreement_id
    WHERE a.as_of <= $day AND (a.ended_at IS NULL OR {_ENDED_ON} > $day)
)"""  # noqa: S608 - constants
# The company day an agreement credit was written (its agreement's end); none: the ERP's copy replaced at import.
CREDIT_ON_CTE = f""", credit_on AS (
    SELECT receivable_id, max(ended_on) AS credited_on FROM (
        SELECT o.receivable_id, {_ENDED_ON} AS ended_on FROM agreement_originals o
        JOIN agreements a ON a.id = o.agreement_id WHERE a.ended_at IS NOT NULL
        UNION ALL
        SELECT i.receivable_id, {_ENDED_ON} FROM agreement_installments i
        JOIN agreements a ON a.id = i.agreement_id WHERE a.ended_at IS NOT NULL) ended
    GROUP BY receivable_id
)"""  # noqa: S608 - constants
# Sales: an agreement's payments are not new sales; the charges it added to the originals' balances are (so that
# B + S - E stays what was collected). $prefix = DOCUMENT_PREFIX.
SALES_SQL = """SELECT coalesce(r.issue_date, r.due_date) AS day, r.amount FROM receivables r
    WHERE NOT starts_with(r.document, $prefix) AND r.id NOT IN (SELECT receivable_id FROM agreement_installments)
    UNION ALL
    SELECT a.as_of, CAST(a.total - o.balance AS DECIMAL(18,2)) FROM agreements a
    JOIN (SELECT agreement_id, sum(balance) AS balance FROM agreement_originals GROUP BY agreement_id) o
      ON o.agreement_id = a.id"""


def policy(con: duckdb.DuckDBPyConnection) -> list[Band]:
    rows = con.execute(f"SELECT {', '.join(_BAND_COLUMNS)} FROM agreement_policy ORDER BY min_days").fetchall()  # noqa: S608
    return [Band(*row) for row in rows]


def replace_policy(con: duckdb.DuckDBPyConnection, bands: Sequence[Band]) -> None:
    """The whole policy at once (inside the caller's transaction)."""
    con.execute("DELETE FROM agreement_policy")
    con.executemany("INSERT INTO agreement_policy VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [[getattr(b, c) for c in _BAND_COLUMNS] for b in bands])


def next_id(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("SELECT nextval('agreement_ids')").fetchall()[0][0]


def insert_agreement(con: duckdb.DuckDBPyConnection, agreement_id: int, customer_id: int, head: dict,
                     originals: list[dict], by: str, at: datetime) -> None:
    """The agreement row and its originals (dicts with the columns of agreement_originals but agreement_id)."""
    con.execute(
        "INSERT INTO agreements VALUES (?, ?, 'active', ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, NULL)",
        [agreement_id, customer_id, head["as_of"], head["total_original"], head["discount"], head["total"],
         head["interest_discount_percent"], head["fine_discount_percent"], by, at])
    con.executemany(
        "INSERT INTO agreement_originals VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
        [[agreement_id, o["receivable_id"], o["position"], o["days_overdue"], o["balance"], o["fine"],
          o["interest"], o["interest_discount"], o["fine_discount"]] for o in originals])


def insert_installment(con: duckdb.DuckDBPyConnection, agreement_id: int, customer_id: int, number: int,
                       due: date, amount: Decimal, description: str, at: datetime, issued: date) -> int:
    """One payment of the schedule as a receivable of its own; returns the receivable's id."""
    receivable_id = con.execute("SELECT nextval('receivable_ids')").fetchall()[0][0]
    con.execute(
        """INSERT INTO receivables (id, document, installment, customer_id, issue_date, due_date, payable_until,
               amount, paid_amount, paid_date, description, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, NULL, ?, ?)""",
        [receivable_id, f"{DOCUMENT_PREFIX}{agreement_id}", str(number), customer_id, issued, due, due, amount,
         description, at])
    con.execute("INSERT INTO agreement_installments VALUES (?, ?, ?, ?, ?)",
                [agreement_id, number, receivable_id, due, amount])
    return receivable_id


_HEAD = ("id", "customer_id", "status", "as_of", "total_original", "discount", "total",
         "interest_discount_percent", "fine_discount_percent", "created_by", "created_at", "ended_at", "ended_by",
         "end_reason", "paid_at_end")


def heads(con: duckdb.DuckDBPyConnection, agreement_id: int | None = None, status: str | None = None,
          customer_id: int | None = None) -> list[dict]:
    """Agreements with their customer's code, name and CPF/CNPJ, newest first."""
    rows = con.execute(
        f"""SELECT {', '.join('a.' + c for c in _HEAD)}, c.code, c.name, c.tax_id
            FROM agreements a JOIN customers c ON c.id = a.customer_id
            WHERE ($id IS NULL OR a.id = $id) AND ($status IS NULL OR a.status = $status)
              AND ($customer IS NULL OR a.customer_id = $customer)
            ORDER BY a.id DESC""",  # noqa: S608 - constant column names
        {"id": agreement_id, "status": status, "customer": customer_id}).fetchall()
    return [dict(zip((*_HEAD, "customer_code", "customer", "tax_id"), row, strict=True)) for row in rows]


def schedule(con: duckdb.DuckDBPyConnection, agreement_ids: list[int]) -> list[dict]:
    """Every payment of the agreements: number, due date, amount, paid, what is still owed (0 once cancelled)."""
    rows = con.execute(
        """SELECT i.agreement_id, i.number, i.receivable_id, r.document, r.installment, i.due_date, i.amount,
                  CAST(least(r.paid_amount, r.amount) AS DECIMAL(18,2)) AS paid,
                  CAST(greatest(r.amount - r.paid_amount - r.agreement_credit, 0) AS DECIMAL(18,2)) AS balance,
                  r.paid_date
           FROM agreement_installments i JOIN receivables r ON r.id = i.receivable_id
           WHERE i.agreement_id IN (SELECT unnest(CAST($ids AS BIGINT[]))) ORDER BY i.agreement_id, i.number""",
        {"ids": [int(i) for i in agreement_ids]}).fetchall()
    keys = ("agreement_id", "number", "receivable_id", "document", "installment", "due_date", "amount", "paid",
            "balance", "paid_date")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def originals(con: duckdb.DuckDBPyConnection, agreement_ids: list[int]) -> list[dict]:
    """The original receivables of the agreements, oldest first, with what they owed then and owe now."""
    rows = con.execute(
        """SELECT o.agreement_id, o.receivable_id, r.document, r.installment, r.due_date, o.days_overdue, o.balance,
                  o.fine, o.interest, o.interest_discount, o.fine_discount, o.credited,
                  CAST(greatest(r.amount - r.paid_amount - r.agreement_credit, 0) AS DECIMAL(18,2)) AS balance_now,
                  r.amount, r.paid_amount, r.issue_date
           FROM agreement_originals o JOIN receivables r ON r.id = o.receivable_id
           WHERE o.agreement_id IN (SELECT unnest(CAST($ids AS BIGINT[]))) ORDER BY o.agreement_id, o.position""",
        {"ids": [int(i) for i in agreement_ids]}).fetchall()
    keys = ("agreement_id", "receivable_id", "document", "installment", "due_date", "days_overdue", "balance",
            "fine", "interest", "interest_discount", "fine_discount", "credited", "balance_now", "amount",
            "paid_amount", "issue_date")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def in_active_agreement(con: duckdb.DuckDBPyConnection, receivable_ids: list[int]) -> list[int]:
    """Which of the receivables are already originals of an active agreement."""
    rows = con.execute(
        """SELECT DISTINCT o.receivable_id FROM agreement_originals o JOIN agreements a ON a.id = o.agreement_id
           WHERE a.status = 'active' AND o.receivable_id IN (SELECT unnest(CAST($ids AS BIGINT[])))""",
        {"ids": [int(i) for i in receivable_ids]}).fetchall()
    return [r[0] for r in rows]


def any_active(con: duckdb.DuckDBPyConnection) -> bool:
    return con.execute("SELECT count(*) FROM agreements WHERE status = 'active'").fetchall()[0][0] > 0


def installment_receivables(con: duckdb.DuckDBPyConnection) -> list[int]:
    return [r[0] for r in con.execute("SELECT receivable_id FROM agreement_installments").fetchall()]


def credit(con: duckdb.DuckDBPyConnection, receivable_id: int, amount: Decimal) -> None:
    """Write `amount` off the receivable's balance (never below zero, never twice: callers credit once)."""
    con.execute("UPDATE receivables SET agreement_credit = agreement_credit + ? WHERE id = ?", [amount, receivable_id])


def mark_credited(con: duckdb.DuckDBPyConnection, agreement_id: int, receivable_id: int, amount: Decimal) -> None:
    con.execute("UPDATE agreement_originals SET credited = ? WHERE agreement_id = ? AND receivable_id = ?",
                [amount, agreement_id, receivable_id])


def end(con: duckdb.DuckDBPyConnection, agreement_id: int, status: str, by: str, at: datetime,
        reason: str | None, paid: Decimal) -> bool:
    """Close an active agreement; False (nothing changed) when another process already closed it."""
    changed = con.execute(
        """UPDATE agreements SET status = ?, ended_at = ?, ended_by = ?, end_reason = ?, paid_at_end = ?
           WHERE id = ? AND status = 'active' RETURNING id""",
        [status, at, by, reason, paid, agreement_id]).fetchall()
    return bool(changed)


def figures(con: duckdb.DuckDBPyConnection, start: datetime, end: datetime) -> list[dict]:
    """Per analyst (who created them), agreements created in [start, end): count, kept, broken (or cancelled),
    active, original and agreed totals, discount, and what was paid on their schedules so far."""
    rows = con.execute(
        """WITH paid AS (
               SELECT i.agreement_id, CAST(sum(least(r.paid_amount, r.amount)) AS DECIMAL(18,2)) AS paid
               FROM agreement_installments i JOIN receivables r ON r.id = i.receivable_id GROUP BY i.agreement_id)
           SELECT a.created_by, count(*), count(*) FILTER (WHERE a.status = 'kept'),
                  count(*) FILTER (WHERE a.status IN ('broken', 'cancelled')), count(*) FILTER (WHERE a.status = 'active'),
                  CAST(sum(a.total_original) AS DECIMAL(18,2)), CAST(sum(a.total) AS DECIMAL(18,2)),
                  CAST(sum(a.discount) AS DECIMAL(18,2)), CAST(coalesce(sum(p.paid), 0) AS DECIMAL(18,2))
           FROM agreements a LEFT JOIN paid p ON p.agreement_id = a.id
           WHERE a.created_at >= $start AND a.created_at < $end
           GROUP BY a.created_by ORDER BY a.created_by""", {"start": start, "end": end}).fetchall()
    keys = ("analyst", "agreements", "kept", "broken", "active", "total_original", "total", "discount", "recovered")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def note(con: duckdb.DuckDBPyConnection, receivable_ids: list[int], text: str, by: str, at: datetime) -> None:
    """The same history entry (a comment, channel Nenhum: not a contact) on each receivable, in one statement."""
    con.execute(
        """INSERT INTO contacts
           SELECT nextval('contact_ids'), r.id, r.document, r.installment, $channel, $by, NULL, NULL, $text, $at,
                  NULL, NULL
           FROM receivables r WHERE r.id IN (SELECT unnest(CAST($ids AS BIGINT[]))) ORDER BY r.id""",
        {"channel": COMMENT_CHANNEL, "by": by, "text": text, "at": at, "ids": [int(i) for i in receivable_ids]})


def contact_of(con: duckdb.DuckDBPyConnection, customer_id: int) -> tuple[str | None, str | None]:
    """The customer's mobile and e-mail."""
    rows = con.execute("SELECT mobile, email FROM customers WHERE id = ?", [customer_id]).fetchall()
    return (rows[0][0], rows[0][1]) if rows else (None, None)


# An active agreement's unpaid payment, still our ACORDO-<n> receivable, and a receivable of the same customer that
# this import inserted (id > $newest, the largest id before it) brought with the same due date and amount under the ERP's own document: one to one.
_ERP_MATCHES = """
WITH ours AS (
    SELECT i.agreement_id, i.number, i.receivable_id, i.due_date, i.amount, a.customer_id
    FROM agreement_installments i JOIN agreements a ON a.id = i.agreement_id
    JOIN receivables r ON r.id = i.receivable_id
    WHERE a.status = 'active' AND starts_with(r.document, $prefix) AND r.paid_amount = 0 AND r.agreement_credit = 0
), erp AS (
    SELECT r.id, r.customer_id, r.due_date, r.amount FROM receivables r
    WHERE r.id > $newest AND NOT starts_with(r.document, $prefix)
      AND r.id NOT IN (SELECT receivable_id FROM agreement_installments)
      AND r.id NOT IN (SELECT receivable_id FROM agreement_originals)
), pairs AS (
    SELECT o.agreement_id, o.number, o.receivable_id AS ours_id, e.id AS erp_id,
           count(*) OVER (PARTITION BY o.receivable_id) AS per_ours, count(*) OVER (PARTITION BY e.id) AS per_erp
    FROM ours o JOIN erp e ON e.customer_id = o.customer_id AND e.due_date = o.due_date AND e.amount = o.amount
)
SELECT agreement_id, number, ours_id, erp_id FROM pairs WHERE per_ours = 1 AND per_erp = 1
"""


def newest_receivable(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("SELECT coalesce(max(id), 0) FROM receivables").fetchall()[0][0]


def link_erp_installments(con: duckdb.DuckDBPyConnection, newest: int) -> int:
    """Payments of active agreements that the ERP re-imported under its own documents follow the ERP's rows:
    the schedule points to them and our ACORDO-<n> copy is written off (not duplicated). Returns how many."""
    has_table = catalog.has_table(con, "agreements")
    if not has_table or not any_active(con):  # a file written before schema step 9 (tests of old files)
        return 0
    pairs = con.execute(_ERP_MATCHES, {"prefix": DOCUMENT_PREFIX, "newest": newest}).fetchall()
    for agreement_id, number, ours_id, erp_id in pairs:
        con.execute("UPDATE agreement_installments SET receivable_id = ? WHERE agreement_id = ? AND number = ?",
                    [erp_id, agreement_id, number])
        con.execute("UPDATE receivables SET agreement_credit = amount - paid_amount WHERE id = ?", [ours_id])
    return len(pairs)
