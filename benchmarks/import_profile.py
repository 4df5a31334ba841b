"""Where an import's time goes, stage by stage, on the DuckDB file and on PostgreSQL (`python -m benchmarks.import_profile`).

Each statement of the upsert is timed through a connection proxy; read+validate is the import minus its upsert,
commit is the upsert's transaction minus its statements. A second import of the same file (all updates) is
profiled too: that is the daily re-import. `--without-pg-indexes` drops the step-10 indexes of `receivables` first
(a diagnostic only: how much of PostgreSQL's insert is their maintenance; the product always keeps them).
"""

from __future__ import annotations

import argparse
import os
import re
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from benchmarks.engines import TODAY, Server, _duckdb_ctas, _pg_copy
from benchmarks.synthetic import synthetic_frame, write_csv
from cobranca import open_db
from cobranca.store import receivables as records


class _Timed:
    """A connection whose execute/register/executemany calls are timed under a label of their SQL."""

    def __init__(self, con, times: dict):
        self._con, self._times = con, times

    def __getattr__(self, name):
        return getattr(self._con, name)

    def _run(self, label: str, call, *args):
        start = time.perf_counter()
        try:
            return call(*args)
        finally:
            self._times[label] += time.perf_counter() - start

    def execute(self, sql, *args):
        return self._run(_label(sql), self._con.execute, sql, *args)

    def executemany(self, sql, *args):
        return self._run(_label(sql), self._con.executemany, sql, *args)

    def register(self, name, data):
        return self._run(f"register {name}", self._con.register, name, data)


def _label(sql: str) -> str:
    words = re.sub(r"\s+", " ", sql.strip())
    match = re.match(r"(INSERT INTO \w+|CREATE (?:OR REPLACE )?TEMP (?:VIEW|TABLE) \w+|ANALYZE \w+|SELECT count\(\*\)"
                     r" FROM staged|\w+ \w+)", words)
    return match.group(1) if match else words[:30]


def profile(target, csv: Path, drop_indexes: bool = False) -> tuple[dict, float]:
    db = open_db(target)
    db.schema_version()
    if drop_indexes and db.store.path is None:
        with db.store.session() as con:
            for name in ("receivables_open_by_due", "receivables_by_customer"):
                con.execute(f"DROP INDEX IF EXISTS {name}")  # noqa: S608 - our index names
    times: dict = defaultdict(float)
    upsert = records.upsert

    def timed(con, *args, **kwargs):
        return upsert(_Timed(con, times), *args, **kwargs)

    facade_upsert, spans = db.receivables.upsert, []

    def timed_facade(*args, **kwargs):
        start = time.perf_counter()
        try:
            return facade_upsert(*args, **kwargs)
        finally:
            spans.append(time.perf_counter() - start)

    records.upsert, db.receivables.upsert = timed, timed_facade
    try:
        start = time.perf_counter()
        db.receivables.import_file(csv)
        total = time.perf_counter() - start
    finally:
        records.upsert = upsert
    out = {"read + validate (in-memory DuckDB)": total - spans[0]}
    out.update(sorted(times.items(), key=lambda kv: -kv[1]))
    out["transaction open + commit + rest"] = spans[0] - sum(times.values())
    return out, total


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.import_profile", description=__doc__)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--engine", choices=["duckdb", "postgres", "both"], default="both")
    parser.add_argument("--pg", help="PostgreSQL server URL (default: a throwaway cluster)")
    parser.add_argument("--without-pg-indexes", action="store_true",
                        help="diagnostic: drop the step-10 indexes of receivables before importing (PostgreSQL)")
    args = parser.parse_args(argv)
    load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="cobranca-profile-") as tmp:
        work = Path(tmp)
        csv = work / "profile.csv"
        write_csv(synthetic_frame(args.rows, TODAY), csv)
        server = Server(args.pg) if args.engine != "duckdb" else None
        try:
            targets = {}
            if args.engine in ("duckdb", "both"):
                targets["DuckDB file"] = work / "profile.duckdb"
            if server:
                targets["PostgreSQL"] = server.database("profile")
            base = {"DuckDB file": ("read_csv CTAS", lambda: _duckdb_ctas(csv, work)[0]),
                    "PostgreSQL": ("bare COPY csv", lambda: _pg_copy(csv, server.database("copy"))[0])}
            for engine, target in targets.items():
                name, run_base = base[engine]
                seconds = run_base()
                print(f"\n{engine}: {name} (base) {seconds:.3f} s")
                for run in ("first import (inserts)", "re-import (updates)"):
                    stages, total = profile(target, csv, args.without_pg_indexes)
                    print(f"\n{engine}, {run}, {args.rows:,} rows: {total:.2f} s = {total / seconds:.2f}× base")
                    for label, spent in stages.items():
                        print(f"  {label:<45} {spent:8.3f} s  {spent / total:6.1%}")
        finally:
            if server:
                server.stop()
    print(f"\nload average before {load[0]:.1f}, after {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
