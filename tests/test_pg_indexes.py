"""Schema step 10: the worklist/results indexes exist on PostgreSQL (and none on the DuckDB file)."""

from __future__ import annotations

from conftest import ENGINES
from pg_helpers import raw_connection, target_of

from cobranca import open_db
from cobranca.store import SCHEMA_VERSION, pg_indexes

ENGINES = ENGINES

_NAMES = {s.split(" IF NOT EXISTS ")[1].split()[0] for s in pg_indexes.INDEXES}


def _indexes(db) -> set[str]:
    with raw_connection(target_of(db)) as con:
        if db.engine == "postgres":
            return {r[0] for r in con.execute("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
                                              ).fetchall()}
        return {r[0] for r in con.execute("SELECT index_name FROM duckdb_indexes()").fetchall()}


def test_step_10_creates_the_query_indexes_on_postgres_only(db_path):
    db = open_db(db_path)
    assert db.schema_version() == SCHEMA_VERSION >= 10
    found = _indexes(db)
    if db.engine == "postgres":
        assert _NAMES <= found
    else:
        assert not (_NAMES & found)


def test_the_worklist_page_can_read_contacts_through_the_index(pg_url):
    """On PostgreSQL a page's last contacts can come from contacts_by_receivable, not a scan of every contact."""
    db = open_db(pg_url)
    db.schema_version()  # migrated
    with raw_connection(target_of(db)) as con:
        con.execute("SET enable_seqscan = off")  # a tiny table: make the planner show what it can use
        plan = "\n".join(r[0] for r in con.execute(
            "EXPLAIN SELECT receivable_id, max(created_at) FROM contacts WHERE receivable_id IN (1, 2, 3) "
            "AND created_at < now() GROUP BY receivable_id").fetchall())
    assert "contacts_by_receivable" in plan
