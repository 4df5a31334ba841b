"""Claiming a customer exclusively ("em atendimento por X"): at most one analyst's unexpired lease per claim.

A claim is a lease (store/portfolio.py's table) taken only when no other analyst holds one that has not expired.
It must be atomic across processes. On DuckDB the caller's write transaction already holds the file lock, so
reading then writing is enough. On PostgreSQL the claimer first locks the customer's row with
`FOR UPDATE SKIP LOCKED` (a customer another transaction is claiming right now is skipped, never waited for),
then reads the leases again in a new statement — READ COMMITTED gives it a fresh snapshot, so every claim
committed before the row lock was granted is seen — and only then writes its lease; the row lock is held until
commit, so no claim on the same customer can be in flight meanwhile.
"""

from __future__ import annotations

from datetime import datetime

from .contacts import COUNTS_AS_CONTACT
from .frames import engine_of
from .portfolio import take_lease

# The next customer of `ids` (in that order) nobody serves, the claimer included (it wants a new one); on
# PostgreSQL its row is locked, skipping the rows other transactions hold. `$skip`: found taken meanwhile.
_CANDIDATE = {
    "duckdb": """SELECT c.id FROM customers c
                 WHERE list_contains(CAST($ids AS BIGINT[]), c.id)
                   AND NOT list_contains(CAST($skip AS BIGINT[]), c.id)
                   AND NOT EXISTS (SELECT 1 FROM leases l WHERE l.customer_id = c.id AND l.expires_at > $now){fresh}
                 ORDER BY list_position(CAST($ids AS BIGINT[]), c.id) LIMIT 1""",
    "postgres": """SELECT c.id FROM customers c JOIN unnest(CAST($ids AS BIGINT[])) WITH ORDINALITY
                          AS wanted (id, pos) ON wanted.id = c.id
                   WHERE c.id NOT IN (SELECT unnest(CAST($skip AS BIGINT[])))
                     AND NOT EXISTS (SELECT 1 FROM leases l WHERE l.customer_id = c.id AND l.expires_at > $now){fresh}
                   ORDER BY wanted.pos LIMIT 1 FOR UPDATE OF c SKIP LOCKED""",
}
# A customer contacted in [$day_start, $day_end) (a company day, stored UTC): "the next one" skips it when asked.
_CONTACTED = ("SELECT 1 FROM contacts ct JOIN receivables r ON r.id = ct.receivable_id "  # noqa: S608 - constants
              "WHERE r.customer_id = {id} AND " + COUNTS_AS_CONTACT
              + " AND ct.created_at >= $day_start AND ct.created_at < $day_end")
_NOT_CONTACTED = " AND NOT EXISTS (" + _CONTACTED.format(id="c.id") + ")"
_LOCK_ONE = {
    "duckdb": "SELECT id FROM customers WHERE id = ?",
    "postgres": "SELECT id FROM customers WHERE id = ? FOR UPDATE",
}


def holders(con, customer_id: int, now: datetime, but: str | None = None) -> list[tuple[str, datetime]]:
    """(analyst, expires_at) of the unexpired leases on the customer (but `but`'s), oldest first."""
    return [tuple(r) for r in con.execute(
        """SELECT analyst, expires_at FROM leases WHERE customer_id = ? AND expires_at > ?
               AND analyst IS DISTINCT FROM ? ORDER BY started_at, analyst""", [customer_id, now, but]).fetchall()]


def claim(con, customer_id: int, analyst: str, now: datetime, expires_at: datetime) -> list[tuple[str, datetime]]:
    """Take `analyst`'s lease on the customer unless another analyst holds one; returns those holders ([] when
    claimed). Waits for a transaction claiming the same customer right now, then sees its lease."""
    con.execute(_LOCK_ONE[engine_of(con)], [customer_id]).fetchall()
    taken = holders(con, customer_id, now, but=analyst)
    if not taken:
        take_lease(con, customer_id, analyst, now, expires_at)
    return taken


def claim_next(con, customer_ids: list[int], analyst: str, now: datetime, expires_at: datetime,
               uncontacted: tuple[datetime, datetime] | None = None) -> int | None:
    """Claim the first of `customer_ids` nobody serves (skipping those being claimed elsewhere right now); its id,
    or None when every one is taken. With `uncontacted` (a day's stored [start, end)), customers with a contact
    that day are skipped too, judged on the same fresh snapshot as the leases."""
    sql = _CANDIDATE[engine_of(con)].replace("{fresh}", _NOT_CONTACTED if uncontacted else "")
    day = {"day_start": uncontacted[0], "day_end": uncontacted[1]} if uncontacted else {}
    skip: list[int] = []
    ids = [int(i) for i in customer_ids]
    while True:
        row = con.execute(sql, {"ids": ids, "skip": skip, "now": now, **day}).fetchone()
        if row is None:
            return None
        if not holders(con, row[0], now) and not (uncontacted and _contacted(con, row[0], day)):
            take_lease(con, row[0], analyst, now, expires_at)  # checked on a fresh snapshot, the row locked
            return row[0]
        skip.append(row[0])


def _contacted(con, customer_id: int, day: dict) -> bool:
    return con.execute(_CONTACTED.format(id="$customer"), {"customer": customer_id, **day}).fetchone() is not None
