"""PostgreSQL query plans: schema step 10's indexes (none on the DuckDB file), statistics fresh after bulk writes."""

from __future__ import annotations

from support.known import ENGINES
from support.pg_helpers import raw_connection, target_of

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


def test_bulk_writes_leave_fresh_statistics(pg_url):
    """Right after an import (and bulk contacts) the planner knows the tables' sizes: without ANALYZE it took the
    new tables for empty and planned nested loops that made a 3k-row worklist take 25 s instead of 25 ms."""
    import pandas as pd

    db = open_db(pg_url)
    db.receivables.import_bytes(b"Cliente;Documento;Vencimento;Valor\n" + b"".join(
        f"Cliente {i};D{i};01/06/2026;10,00\n".encode() for i in range(50)), "contas.csv")
    db.contacts.add_many(pd.DataFrame({"document": ["D1", "D2"], "installment": ["1", "1"], "channel": "Telefone",
                                  "responsible": "ANA", "destination": None, "message": None, "observation": "x",
                                  "created_at": pd.Timestamp("2026-06-02 10:00")}))
    with raw_connection(pg_url) as con:
        rows = dict(con.execute("SELECT relname, last_analyze IS NOT NULL FROM pg_stat_user_tables "
                                "WHERE relname IN ('receivables', 'customers', 'contacts')").fetchall())
    assert rows == {"receivables": True, "customers": True, "contacts": True}
