"""`cobranca db copy` on N receivables (~1 contact each): time and peak RSS, streaming vs whole tables.

`python -m benchmarks.db_copy [--rows 200000] [--pg URL]`. Each copy runs in a fresh process (its own peak RSS):
DuckDB file → DuckDB file, DuckDB file → PostgreSQL and PostgreSQL → DuckDB file, once with the shipped batches
(store/transfer.BATCH_ROWS rows at a time) and once with one batch per table (what the copy did before: each table
read whole into memory). Baselines measured in the same run: a process that only opens the source and reads its
totals (RSS), and the source file's size.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from benchmarks.engines import TODAY, Server, _timed_import, add_contacts
from benchmarks.measure import peak_rss_mb, run_isolated
from benchmarks.synthetic import synthetic_frame, write_csv
from cobranca import open_db
from cobranca.store import transfer

WHOLE = 0  # batch_rows meaning: each table read whole, as the copy did before streaming


def _whole_table(con, table: str, batch_rows: int = 0):
    """The copy before streaming: the table as one Arrow table (`con.sql(…).to_arrow_table()`)."""
    names = ", ".join(transfer.quoted(c) for c, _t in transfer.columns(con, table))
    yield con.sql(f"SELECT {names} FROM {transfer.quoted(table)}").to_arrow_table()  # noqa: S608 - catalogue


def _peak_mb() -> float:
    """This process's peak resident memory since it started (VmHWM: unlike ru_maxrss, not carried over from the
    parent that forked it)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return peak_rss_mb()


def _open_only(source: str) -> tuple[float, float]:
    """(seconds, peak RSS MB) of opening the source and reading its counts and sums (the floor of any copy)."""
    start = time.perf_counter()
    db = open_db(source)
    with db.store.session() as con:
        transfer.totals(con)
    return time.perf_counter() - start, _peak_mb()


def _copy(source: str, target: str, batch_rows: int) -> tuple[float, float, int]:
    """(seconds, peak RSS MB, rows copied) of one `copy_to` to an empty target in this (fresh) process."""
    if batch_rows == WHOLE:
        transfer.read_batches = _whole_table  # this process only (a fresh one per copy)
    start = time.perf_counter()
    _label, copied = open_db(source).transfer.copy_to(target, batch_rows=batch_rows or transfer.BATCH_ROWS)
    return time.perf_counter() - start, _peak_mb(), sum(t.rows for t in copied)


def bench(work: Path, rows: int, server: Server) -> list[dict]:
    csv, source = work / f"copy-{rows}.csv", work / "origem.duckdb"
    write_csv(synthetic_frame(rows, TODAY), csv)
    _timed_import(source, csv)
    add_contacts(source)
    size_mb = source.stat().st_size / 2**20
    pg = server.database("copy")
    run_isolated(_copy, str(source), pg, transfer.BATCH_ROWS)  # the PostgreSQL source of the third pair
    open_s, open_rss = run_isolated(_open_only, str(source))
    out = [{"case": "open source + totals (base)", "seconds": open_s, "rss": open_rss, "vs": "1.00×",
            "note": f"file {size_mb:,.0f} MB"}]
    targets = {"DuckDB": lambda n: str(work / f"destino-{n}.duckdb"), "PostgreSQL": server.database}
    pairs = [("DuckDB → DuckDB", str(source), "DuckDB"), ("DuckDB → PostgreSQL", str(source), "PostgreSQL"),
             ("PostgreSQL → DuckDB", pg, "DuckDB")]
    for k, (label, src, kind) in enumerate(pairs):  # every copy into a new, empty target
        before = run_isolated(_copy, src, targets[kind](f"w{k}"), WHOLE)
        after = run_isolated(_copy, src, targets[kind](f"b{k}"), transfer.BATCH_ROWS)
        for name, (seconds, rss, copied) in (("whole tables (before)", before), ("batches (after)", after)):
            out.append({"case": f"{label}: {name}", "seconds": seconds, "rss": rss,
                        "vs": f"{rss / open_rss:.2f}×", "note": f"{copied:,} rows, {seconds / before[0]:.2f}× time"})
    return out


def _print(rows: list[dict]) -> None:
    print(f"{'case':<44} {'seconds':>9} {'peak RSS MB':>12} {'RSS vs base':>12}  note")
    for r in rows:
        print(f"{r['case']:<44} {r['seconds']:>9.2f} {r['rss']:>12,.0f} {r['vs']:>12}  {r['note']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.db_copy", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=200_000, help="receivables of the source database")
    parser.add_argument("--pg", help="PostgreSQL server URL (a role that may CREATE DATABASE); default: throwaway")
    args = parser.parse_args(argv)
    load = os.getloadavg()
    server = Server(args.pg)
    try:
        with tempfile.TemporaryDirectory(prefix="cobranca-copy-") as tmp:
            rows = bench(Path(tmp), args.rows, server)
    finally:
        server.stop()
    _print(rows)
    print(f"\nbatch {transfer.BATCH_ROWS:,} rows; load average before {load[0]:.1f}, after {os.getloadavg()[0]:.1f} "
          f"({os.cpu_count()} cores)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
