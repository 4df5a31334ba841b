"""Register contact on PostgreSQL and on the DuckDB file, one process: `python -m benchmarks.postgres_contacts`.

Prints p50/p99 of `db.contacts.register_one` on each engine beside its baseline measured in the same run: on PostgreSQL a
bare `INSERT … COMMIT` on a pooled connection (issue 22's target: p50 ≤ 3× it), on the file a bare DuckDB open of
the same file. The PostgreSQL server is COBRANCA_BENCH_PG (a URL of an empty database) or, when unset, a throwaway
cluster started like the tests' (tests/support/pg_helpers.py; needs /usr/lib/postgresql/15/bin).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import duckdb

AS_OF = date(2026, 11, 30)


def _quantiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def _timed(action, count: int) -> list[float]:
    samples = []
    for i in range(count):
        started = time.perf_counter()
        action(i)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def _loaded(target, csv: Path):
    from cobranca import open_db

    db = open_db(target)
    db.receivables.import_file(csv)
    return db


def register_samples(target, csv: Path, count: int) -> list[float]:
    db = _loaded(target, csv)
    return _timed(lambda i: db.contacts.register_one("NF00000000", "1", channel="Telefone", observation=f"b{i}"), count)


def bare_insert_samples(url: str, count: int) -> list[float]:
    from psycopg_pool import ConnectionPool

    with ConnectionPool(url, min_size=1, max_size=1, open=True) as pool:
        with pool.connection() as con:
            con.execute("CREATE TABLE IF NOT EXISTS bench_bare (id BIGINT, note TEXT, at TIMESTAMP)")

        def insert(i: int) -> None:
            with pool.connection() as con:  # one transaction, committed when the block ends
                con.execute("INSERT INTO bench_bare VALUES (%s, %s, now())", [i, f"b{i}"])

        return _timed(insert, count)


def bare_open_samples(path: Path, count: int) -> list[float]:
    def open_close(_: int) -> None:
        duckdb.connect(str(path)).close()

    return _timed(open_close, count)


def _server(url: str | None):
    """(url, cluster or None): the given server, else a throwaway one."""
    if url:
        return url, None
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from support import pg_helpers

    cluster = pg_helpers.Cluster().start()
    return cluster.database(), cluster


def main(argv: list[str] | None = None) -> int:
    import os

    parser = argparse.ArgumentParser(prog="python -m benchmarks.postgres_contacts", description=__doc__)
    parser.add_argument("--rows", type=int, default=20_000, help="receivables in each database")
    parser.add_argument("--count", type=int, default=300, help="contacts registered per engine")
    args = parser.parse_args(argv)
    url, cluster = _server(os.environ.get("COBRANCA_BENCH_PG"))
    try:
        with tempfile.TemporaryDirectory() as tmp:
            from benchmarks.synthetic import synthetic_frame, write_csv

            path = Path(tmp) / "bench.duckdb"
            csv = write_csv(synthetic_frame(args.rows, AS_OF), Path(tmp) / "contas.csv")
            results = [
                ("PostgreSQL register_contact", register_samples(url, csv, args.count)),
                ("PostgreSQL bare INSERT…COMMIT (pool)", bare_insert_samples(url, args.count)),
                ("DuckDB register_contact", register_samples(path, csv, args.count)),
                ("DuckDB bare open+close", bare_open_samples(path, args.count)),
            ]
    finally:
        if cluster is not None:
            from cobranca.store import engine_postgres

            engine_postgres.close_pools()
            cluster.stop()
    print(f"register contact, {args.rows} receivables, {args.count} calls, 1 process (ms)")
    print(f"{'case':40} {'p50':>8} {'p99':>8} {'p50 / baseline':>15}")
    for index, (name, samples) in enumerate(results):
        p50, p99 = _quantiles(samples)
        base = _quantiles(results[index | 1][1])[0]  # each engine's baseline is the row after it
        ratio = "" if index % 2 else f"{p50 / base:.1f}×"
        print(f"{name:40} {p50:8.2f} {p99:8.2f} {ratio:>15}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
