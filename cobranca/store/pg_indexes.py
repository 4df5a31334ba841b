"""Schema step 10: the PostgreSQL indexes of the worklist, results and customer queries (none on DuckDB).

DuckDB skips row groups by their min/max (zone maps) and rewrites every ART index at each checkpoint (see the
note on `contacts` in schema.py), so the file gets none; PostgreSQL without them reads every contact of the
table for each worklist page. EXPLAIN ANALYZE of each query: docs/storage-postgres.md.
"""

from __future__ import annotations

from .frames import engine_of

INDEXES = (
    # worklists of a few days' range (3k / 20k of 1M rows): open receivables by due date
    "CREATE INDEX IF NOT EXISTS receivables_open_by_due ON receivables (due_date) "
    "WHERE amount > paid_amount + agreement_credit",
    "CREATE INDEX IF NOT EXISTS receivables_by_customer ON receivables (customer_id)",  # a customer's accounts
    # the last contact of a page's receivables; the newest contact before a payment (results, LATERAL)
    "CREATE INDEX IF NOT EXISTS contacts_by_receivable ON contacts (receivable_id, created_at)",
    "CREATE INDEX IF NOT EXISTS contacts_by_moment ON contacts (created_at)",  # contacted today, per analyst and day
    "CREATE INDEX IF NOT EXISTS payment_events_by_receivable ON payment_events (receivable_id)",
)


def _create(con) -> None:
    if engine_of(con) != "postgres":
        return
    for statement in INDEXES:
        con.execute(statement)


SCHEMA_STEP = [_create]

# Schema step 13: the per-customer reads (the régua's re-check, a customer's accounts) take the events of the
# receivables and customers they name (store/named_rows.py) by these, whatever the size of the tables.
EVENT_INDEXES = (
    "CREATE INDEX IF NOT EXISTS receivable_events_by_receivable ON receivable_events (receivable_id)",
    "CREATE INDEX IF NOT EXISTS customer_events_by_customer ON customer_events (customer_id)",
    "CREATE INDEX IF NOT EXISTS agreement_originals_by_receivable ON agreement_originals (receivable_id)",
)


def _create_event_indexes(con) -> None:
    if engine_of(con) == "postgres":
        for statement in EVENT_INDEXES:
            con.execute(statement)


EVENT_STEP = [_create_event_indexes]
