"""EXPLAIN ANALYZE of the worklist, results and aging queries on PostgreSQL: `python -m benchmarks.pg_explain`.

Builds a database of N synthetic receivables with ~1 contact each (the benchmarks' data), then runs each default
worklist page (grid rows and totals), the 30-day results summary and the aging with every statement the store sends printed with
its plan and timings (EXPLAIN (ANALYZE, BUFFERS)). docs/storage-postgres.md quotes a run.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from benchmarks.engines import TODAY, Server, add_contacts
from benchmarks.pg_spy import StatementSpy
from benchmarks.synthetic import synthetic_frame, write_csv
from cobranca import open_db
from cobranca.receivables.filters import DEFAULT_FILTERS
from cobranca.store import pg_connection


class _Explained(StatementSpy):
    """While active, every query of the store (benchmarks/pg_spy.py) also prints its plan (statements over
    `min_ms`)."""

    def __init__(self, min_ms: float):
        super().__init__(self._explain)
        self.min_ms = min_ms

    def _explain(self, con, sql, params) -> None:
        text = pg_connection.translate(sql)
        if not text.lstrip().upper().startswith(("SELECT", "WITH")):
            return
        cursor = con.raw.cursor()
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + text, pg_connection._params(params))
        plan = [r[0] for r in cursor.fetchall()]
        total = float(plan[-1].split(":")[1].split()[0]) if plan[-1].startswith("Execution") else 0.0
        if total >= self.min_ms:
            print("\n".join(plan) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.pg_explain", description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--min-ms", type=float, default=5.0, help="print plans of statements at least this slow")
    parser.add_argument("--pg", help="PostgreSQL server URL (a role that may CREATE DATABASE); default: throwaway")
    parser.add_argument("--url", help="explain this existing database (today's lists) instead of building one")
    args = parser.parse_args(argv)
    if args.url:
        _explain(open_db(args.url), None, args.min_ms)
        return 0
    server = Server(args.pg)
    try:
        with tempfile.TemporaryDirectory(prefix="cobranca-explain-") as tmp:
            url = server.database("explain")
            db = open_db(url)
            start = time.perf_counter()
            db.receivables.import_file(write_csv(synthetic_frame(args.rows, TODAY), Path(tmp) / "contas.csv"))
            contacts = add_contacts(url)
            print(f"-- {args.rows:,} receivables, {contacts:,} contacts loaded in {time.perf_counter() - start:.1f} s\n")
        _explain(db, TODAY, args.min_ms)
    finally:
        server.stop()
    return 0


def _explain(db, today, min_ms: float) -> None:
    """Every default worklist's page (grid of 5,000 and totals), the 30-day results summary and the aging."""
    day = today or db.today()
    with _Explained(min_ms):
        for spec in DEFAULT_FILTERS:
            flt = db.filters.get(spec["description"])
            print(f"-- worklist page '{flt.description}'")
            db.worklists.page(flt, day, limit=5000)
        print("-- results summary, 30 days")
        db.results.summary(day - timedelta(days=29), day)
        print("-- aging")
        db.results.aging(day)


if __name__ == "__main__":
    raise SystemExit(main())
