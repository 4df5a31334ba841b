"""The bank's calendar at scale: recomputing every stored payable-until date (a holiday setting change, schema
step 6) beside a plain rewrite of the same column. `python -m benchmarks.calendar --rows 1000000`."""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date
from pathlib import Path

import duckdb

from benchmarks.measure import pct, timed
from cobranca.core.calendar import BankCalendar, parse_local_dates
from cobranca.store.receivables import recompute_payable_until


def _database(path: Path, rows: int) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute("""CREATE TABLE receivables AS SELECT i AS id, DATE '2020-01-01' + CAST(i % 2200 AS INTEGER)
                       AS due_date, DATE '2020-01-01' + CAST(i % 2200 AS INTEGER) AS payable_until
                       FROM range(?) t(i)""", [rows])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.calendar", description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    calendars = {"national + Carnival": BankCalendar(), "SP + own dates": BankCalendar(
        "SP", parse_local_dates("25/01, corpus christi"))}
    with tempfile.TemporaryDirectory(prefix="cobranca-bench-") as tmp:
        path = Path(tmp) / "calendar.duckdb"
        _database(path, args.rows)
        con = duckdb.connect(str(path))
        baseline = timed(lambda: con.execute("UPDATE receivables SET payable_until = due_date + 0"), args.runs)
        rows = [("rewrite the column (baseline)", pct(baseline, 0.5), "")]
        for name, calendar in calendars.items():
            times, changed = [], 0
            for _ in range(args.runs):
                con.execute("UPDATE receivables SET payable_until = due_date")  # (untimed) so every day off changes
                start = time.perf_counter()
                changed = recompute_payable_until(con, calendar)
                times.append(time.perf_counter() - start)
            rows.append((f"recompute: {name}", pct(times, 0.5), f"{changed:,} changed"))
        con.close()
    print(f"\npayable-until recompute — {args.rows:,} receivables, due dates over 6 years "
          f"({date(2020, 1, 1):%Y}-{date(2026, 1, 9):%Y})\n")
    print(f"{'case':40}  {'p50':>9}  {'vs':>8}  note")
    for case, seconds, note in rows:
        print(f"{case:40}  {seconds * 1000:7.0f} ms  {seconds / rows[0][1]:7.2f}×  {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
