"""On PostgreSQL, the rows of named receivables read only their events (EXPLAIN ANALYZE) through a statement
prepared once per pooled connection (store/named_rows.py)."""

from __future__ import annotations

from datetime import date

from support.named_rows_helpers import AT, TODAY, _clock, _ids, _other_events  # noqa: F401 - _clock: autouse

from cobranca.store import named_rows, worklist

ENGINES = ("postgres",)


def _scanned(plan: dict, table: str) -> int:
    """Rows the plan's scans of `table` returned (EXPLAIN ANALYZE, JSON)."""
    own = plan.get("Actual Rows", 0) * plan.get("Actual Loops", 1) if plan.get("Relation Name") == table else 0
    return own + sum(_scanned(child, table) for child in plan.get("Plans", []))


def test_a_named_read_reads_only_the_events_of_its_receivables(db, engine):
    _other_events(db, 3000)  # tables large enough that reading them whole costs more than the index
    ids = _ids(db, "144", "145")
    db.promises.register("144", "1", due=date(2020, 6, 20), by="ANA")
    query = worklist.Query(worklist.EVERYTHING, TODAY, db.settings.rules(), ids, now=AT)
    with db.store.session() as con:
        con.execute("ANALYZE")
        for text in (worklist._ROWS_SQL, named_rows.ROWS_OF_IDS_SQL):
            plan = con.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query.sql(text), query.row_params()).fetchone()
            scanned = {t: _scanned(plan[0][0]["Plan"], t) for t in ("receivable_events", "customer_events")}
            if text is worklist._ROWS_SQL:
                assert scanned["receivable_events"] >= 3000  # the whole-table form aggregates every event
        # only the named receivables' events (EXPLAIN rounds rows per loop, so "a few", not an exact count)
        assert scanned["receivable_events"] <= 3 and scanned["customer_events"] <= 3, scanned


def test_the_named_read_is_prepared_once_per_connection(db, engine):
    query = worklist.Query(worklist.EVERYTHING, TODAY, db.settings.rules(), _ids(db, "144"), now=AT)
    with db.store.session() as con:
        for _ in range(3):
            named_rows.records(con, query)
        found = con.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%receivable_events%'"
                            " AND statement LIKE '%unnest%'").fetchone()[0]
    assert found == 1
