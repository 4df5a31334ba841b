"""Both engines side by side in one run, on the same data: `python -m benchmarks.engines` (issue 22's table).

Import of N rows (ratio to DuckDB's own `read_csv` CTAS of the same file on the file, to a bare `COPY` of it on
PostgreSQL); the default worklists and the 30-day results summary on a database of those N rows with ~1 contact
per receivable (PostgreSQL ÷ the DuckDB file); register contact p50/p99 with 1, 4 and 16 processes beside a bare
`INSERT … COMMIT` on a pooled connection and a bare DuckDB open (engines_load.py); a régua run into a loopback SMTP
server as a ratio to plain smtplib. Every engine's answer is checked against the other's ("check" column).

The PostgreSQL server is `--pg URL` (a role that may CREATE DATABASE) or a throwaway cluster started like the
tests' (tests/support/pg_helpers.py). `python -m benchmarks --only engines --size N` runs it too.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import duckdb

from benchmarks.measure import pct, peak_rss_mb, timed
from benchmarks.synthetic import synthetic_frame, write_csv
from cobranca import open_db
from cobranca.receivables.filters import DEFAULT_FILTERS

TODAY = date(2026, 11, 30)
_AMOUNT_SQL = "CAST(replace(replace(CAST(\"Valor\" AS VARCHAR), '.', ''), ',', '.') AS DECIMAL(18,2))"


class Server:
    """A PostgreSQL server the run may create databases on: `--pg URL`, else a throwaway cluster."""

    def __init__(self, url: str | None):
        self.cluster, self._names = None, itertools.count(1)
        if url:
            self.url = url
            return
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
        from support import pg_helpers

        self.cluster = pg_helpers.Cluster().start()
        self.url = self.cluster.url()

    def database(self, label: str) -> str:
        import psycopg

        name = f"bench_{label}_{os.getpid()}_{next(self._names)}"
        with psycopg.connect(self.url, autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}"')  # generated names, never user text
            con.execute(f'CREATE DATABASE "{name}"')
        base, _, _ = self.url.rpartition("/")
        return f"{base}/{name}"

    def stop(self) -> None:
        from cobranca.store import engine_postgres

        engine_postgres.close_pools()
        if self.cluster is not None:
            self.cluster.stop()


# -- import --------------------------------------------------------------------------------------
def _timed_import(target, csv: Path) -> tuple[float, float, tuple]:
    """(seconds of the whole import, of which the final upsert, (rows, Σ amount) read back)."""
    db = open_db(target)
    db.schema_version()  # the empty database is created and migrated before the clock starts
    upsert, write = db.receivables.upsert, []

    def timed_upsert(table, **options):
        start = time.perf_counter()
        try:
            return upsert(table, **options)
        finally:
            write.append(time.perf_counter() - start)

    db.receivables.upsert = timed_upsert
    start = time.perf_counter()
    db.receivables.import_file(csv)
    total = time.perf_counter() - start
    with db.store.session() as con:
        check = tuple(con.execute("SELECT count(*), sum(amount) FROM receivables").fetchall()[0])
    return total, write[0], check


def _duckdb_ctas(csv: Path, work: Path) -> tuple[float, tuple]:
    target = work / "ctas.duckdb"
    target.unlink(missing_ok=True)
    with duckdb.connect(str(target)) as con:
        con.execute("SET enable_progress_bar = false")
        start = time.perf_counter()
        con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?)", [str(csv)])
        elapsed = time.perf_counter() - start
        check = tuple(con.execute(f"SELECT count(*), sum({_AMOUNT_SQL}) FROM t").fetchall()[0])  # noqa: S608
    target.unlink(missing_ok=True)
    return elapsed, check


def _pg_copy(csv: Path, url: str) -> tuple[float, tuple]:
    """A bare `COPY … FROM STDIN (FORMAT csv)` of the file into a table of text columns (what the file says)."""
    import psycopg

    header = csv.open(encoding="utf-8").readline().rstrip("\n").split(";")
    columns = ", ".join(f'"{name}" text' for name in header)  # the benchmark's own file
    with psycopg.connect(url, autocommit=True) as con:
        con.execute(f"CREATE TABLE t ({columns})")
        start = time.perf_counter()
        with con.transaction(), con.cursor().copy("COPY t FROM STDIN (FORMAT csv, HEADER true, DELIMITER ';')") as cp:
            with csv.open("rb") as stream:
                while chunk := stream.read(1 << 20):
                    cp.write(chunk)
        elapsed = time.perf_counter() - start
        row = con.execute("""SELECT count(*), sum(replace(replace("Valor", '.', ''), ',', '.')::numeric(18,2))
                             FROM t""").fetchone()
    return elapsed, tuple(row)


def bench_import(csv: Path, rows: int, work: Path, server: Server) -> tuple[list[dict], dict]:
    duck_path, pg_url = work / "engines.duckdb", server.database("main")
    duck_path.unlink(missing_ok=True)
    ctas, ctas_check = _duckdb_ctas(csv, work)
    duck, duck_write, duck_check = _timed_import(duck_path, csv)
    copy, copy_check = _pg_copy(csv, server.database("copy"))
    pg, pg_write, pg_check = _timed_import(pg_url, csv)
    duck_again, _, duck_again_check = _timed_import(duck_path, csv)  # the daily re-import: every row an update
    pg_again, _, pg_again_check = _timed_import(pg_url, csv)
    same = duck_check == pg_check == ctas_check == copy_check == duck_again_check == pg_again_check
    case = f"import {rows:,} rows"
    out = [
        {"case": case, "engine": "DuckDB file: cobranca import", "p50": duck, "rate": f"{rows / duck:,.0f} rows/s",
         "vs": f"{duck / ctas:.2f}× CTAS", "check": "ok" if same else "DIFF"},
        {"case": "  of which: final write", "engine": "DuckDB file: upsert", "p50": duck_write,
         "vs": f"{duck_write / ctas:.2f}× CTAS"},
        {"case": "  re-import (all updates)", "engine": "DuckDB file: cobranca import", "p50": duck_again,
         "vs": f"{duck_again / ctas:.2f}× CTAS"},
        {"case": "", "engine": "DuckDB read_csv CTAS (base)", "p50": ctas, "rate": f"{rows / ctas:,.0f} rows/s"},
        {"case": case, "engine": "PostgreSQL: cobranca import", "p50": pg, "rate": f"{rows / pg:,.0f} rows/s",
         "vs": f"{pg / copy:.2f}× COPY", "check": "ok" if same else "DIFF"},
        {"case": "  of which: final write", "engine": "PostgreSQL: COPY + upsert", "p50": pg_write,
         "vs": f"{pg_write / copy:.2f}× COPY"},
        {"case": "  re-import (all updates)", "engine": "PostgreSQL: cobranca import", "p50": pg_again,
         "vs": f"{pg_again / copy:.2f}× COPY"},
        {"case": "", "engine": "PostgreSQL bare COPY csv (base)", "p50": copy, "rate": f"{rows / copy:,.0f} rows/s"},
    ]
    return out, {"duckdb": duck_path, "postgres": pg_url}


def _load(csv: Path, work: Path, server: Server) -> dict:
    """The file imported once into a new DuckDB file and a new PostgreSQL database."""
    targets = {"duckdb": work / "engines.duckdb", "postgres": server.database("main")}
    targets["duckdb"].unlink(missing_ok=True)
    for target in targets.values():
        open_db(target).receivables.import_file(csv)
    return targets


# -- worklists and results -------------------------------------------------------------------------
def add_contacts(target, today: date = TODAY) -> int:
    """~1 contact per receivable over the last 60 days (the same picks on both engines)."""
    import numpy as np
    import pandas as pd

    db = open_db(target)
    keys = db.receivables.keys()
    picked = keys.sample(n=len(keys), replace=True, random_state=3).reset_index(drop=True)
    rng = np.random.default_rng(7)
    start = time.mktime((today - timedelta(days=59)).timetuple())

    picked["channel"] = np.array(["WhatsApp", "E-mail", "Telefone", "Nenhum"])[rng.integers(0, 4, len(picked))]
    picked["responsible"], picked["destination"], picked["message"] = "BENCH", None, None
    picked["observation"] = "contato sintético"
    picked["created_at"] = pd.to_datetime(start + rng.integers(0, 60 * 24 * 60, len(picked)) * 60, unit="s")
    return db.contacts.add_many(picked)


def _worklist_key(frame) -> list[tuple]:
    return sorted(zip(frame["document"], frame["installment"], frame["updated_amount"], frame["contacted_today"],
                      strict=True))


def bench_queries(targets: dict, runs: int) -> list[dict]:
    dbs = {engine: open_db(target) for engine, target in targets.items()}
    out = []
    for spec in DEFAULT_FILTERS:
        found, times = {}, {}
        for engine, db in dbs.items():
            with db.session():
                flt = db.filters.get(spec["description"])
                found[engine] = db.worklists.rows(flt, TODAY)
                times[engine] = timed(lambda db=db, flt=flt: db.worklists.rows(flt, TODAY), runs)
        same = _worklist_key(found["duckdb"]) == _worklist_key(found["postgres"])
        out += _pair(f"worklist '{spec['description']}' ({len(found['duckdb']):,})", times, same)
    since = TODAY - timedelta(days=29)
    summaries, times = {}, {}
    for engine, db in dbs.items():
        with db.session():
            summaries[engine] = db.results.summary(since, TODAY)
            times[engine] = timed(lambda db=db: db.results.summary(since, TODAY), runs)
    same = _figures(summaries["duckdb"]) == _figures(summaries["postgres"])
    out += _pair("results summary (30 days)", times, same)
    out[-1]["rss"] = peak_rss_mb()
    return out


def _figures(summary: dict) -> dict:
    """What the summary says, comparable across engines (its aging as text rows)."""
    import pandas as pd

    return {k: v.astype(str).values.tolist() if isinstance(v, pd.DataFrame) else str(v)
            for k, v in summary.items() if k != "aging_trend"}  # the trend: snapshots taken at each import's moment


def _pair(case: str, times: dict, same: bool) -> list[dict]:
    duck, pg = pct(times["duckdb"], 0.5), pct(times["postgres"], 0.5)
    return [
        {"case": case, "engine": "PostgreSQL", "p50": pg, "p99": pct(times["postgres"], 0.99),
         "vs": f"{pg / duck:.2f}× file", "check": "ok" if same else "DIFF"},
        {"case": "", "engine": "DuckDB file (base)", "p50": duck, "p99": pct(times["duckdb"], 0.99)},
    ]


# -- the run ---------------------------------------------------------------------------------------
def bench_engines(work: Path, rows: int, runs: int, processes=(1, 4, 16), count: int = 50,
                  regua_customers: int = 2000, pg: str | None = None, only: str | None = None) -> list[dict]:
    from benchmarks import engines_load

    server = Server(pg)
    try:
        if only == "regua":
            return engines_load.bench_regua(work, server, regua_customers, rows)
        csv = work / f"engines-{rows}.csv"
        if not csv.exists():
            write_csv(synthetic_frame(rows, TODAY), csv)
        if only == "queries":  # the same data, imported once per engine, without the import's timings
            out, targets = [], _load(csv, work, server)
        else:
            out, targets = bench_import(csv, rows, work, server)
        if only == "import":
            return out
        if only == "contacts":
            return out[:0] + engines_load.bench_contacts(targets, processes, count)
        for target in targets.values():
            add_contacts(target)
        out += bench_queries(targets, runs)
        if only == "queries":
            return out
        out += engines_load.bench_contacts(targets, processes, count)
        out += engines_load.bench_regua(work, server, regua_customers, rows)
    finally:
        server.stop()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.engines", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000, help="receivables imported and queried")
    parser.add_argument("--runs", type=int, default=5, help="repetitions of each query (median, p99)")
    parser.add_argument("--processes", type=int, nargs="*", default=[1, 4, 16], help="register contact: processes")
    parser.add_argument("--count", type=int, default=50, help="register contact: calls per process")
    parser.add_argument("--regua-customers", type=int, default=2000, help="régua run: customers (5 receivables each)")
    parser.add_argument("--pg", help="PostgreSQL server URL (a role that may CREATE DATABASE); default: throwaway")
    parser.add_argument("--only", choices=["import", "queries", "contacts", "regua"],
                        help="run only this part (import: the import rows; queries: worklists, results; contacts: "
                             "register contact after the import; regua: the régua run, also beside --rows other "
                             "receivables' events)")
    parser.add_argument("--workdir", help="folder for the generated files (default: a temporary folder)")
    args = parser.parse_args(argv)
    from benchmarks.__main__ import print_table

    with tempfile.TemporaryDirectory(prefix="cobranca-engines-") as tmp:
        work = Path(args.workdir or tmp)
        work.mkdir(parents=True, exist_ok=True)
        load = os.getloadavg()
        started = time.perf_counter()
        rows = bench_engines(work, args.rows, args.runs, tuple(args.processes), args.count, args.regua_customers,
                             args.pg, args.only)
        print_table(rows, args.rows, time.perf_counter() - started)
    print(f"\nload average before {load[0]:.1f}, after {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
    return 1 if any(r.get("check") == "DIFF" for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
