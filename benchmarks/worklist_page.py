"""A filter switch's reads on existing databases: `python -m benchmarks.worklist_page DB [DB …]`.

Times `db.worklists.page(filter, limit=5000)` (the grid's rows, the whole list's totals and the promise KPIs: what
the dashboard reads when the filter changes) per default filter on each database given (DuckDB paths or
postgresql:// URLs), prints p50 and the ratio to the first database, the statements one page sends (PostgreSQL),
and checks every database gives the same totals. Opening a database may migrate it: copy a file you must keep.
"""

from __future__ import annotations

import argparse
import os

from benchmarks.measure import pct, timed
from benchmarks.pg_spy import StatementSpy
from cobranca import open_db
from cobranca.receivables.filters import DEFAULT_FILTERS


class _Counted(StatementSpy):
    """While active, counts the statements PostgreSQL connections send (each parsed and planned)."""

    def __init__(self):
        super().__init__(self._one)
        self.count = 0

    def _one(self, _con, _sql, _params) -> None:
        self.count += 1


def _key(frame, totals) -> tuple:
    """What a page says, comparable across engines."""
    figures = tuple(str(totals[k]) for k in ("receivables", "customers", "balance", "updated_amount",
                                              "contacted_today"))
    days = tuple(map(tuple, totals["by_days"].astype(str).values.tolist()))
    return figures, days, tuple(frame["receivable_id"].head(50)), str(frame["updated_amount"].sum())


def bench_pages(targets: list[str], runs: int, limit: int) -> list[dict]:
    dbs = [open_db(t) for t in targets]
    for db in dbs:
        db.schema_version()  # migrate before the clock starts
    out = []
    for spec in DEFAULT_FILTERS:
        seen, times, statements = [], [], []
        for db in dbs:
            flt = db.filters.get(spec["description"])
            with _Counted() as counted:
                frame, totals = db.worklists.page(flt, limit=limit)
            seen.append(_key(frame, totals))
            statements.append(counted.count)
            times.append(timed(lambda db=db, flt=flt: db.worklists.page(flt, limit=limit), runs))
        base = pct(times[0], 0.5)
        same = all(k == seen[0] for k in seen)
        for index, (target, sample) in enumerate(zip(targets, times, strict=True)):
            p50 = pct(sample, 0.5)
            out.append({
                "case": f"{spec['description']} ({seen[0][0][0]} rows)" if index == 0 else "",
                "engine": ("PostgreSQL" if target.startswith("postgresql") else "DuckDB file")
                          + (f", {statements[index]} statements" if statements[index] else ""),
                "p50": p50, "p99": pct(sample, 0.99),
                "vs": "(base)" if index == 0 else f"{p50 / base:.2f}×",
                "check": "ok" if same else "DIFF"})
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.worklist_page", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("targets", nargs="+", help="databases: DuckDB paths or postgresql:// URLs (first = base)")
    parser.add_argument("--runs", type=int, default=3, help="repetitions of each page (median)")
    parser.add_argument("--limit", type=int, default=5000, help="rows the grid carries")
    args = parser.parse_args(argv)
    from benchmarks.__main__ import print_table

    load = os.getloadavg()
    rows = bench_pages(args.targets, args.runs, args.limit)
    print_table(rows, title=f"db.worklists.page(limit={args.limit}) on {', '.join(args.targets)}")
    print(f"\nload average before {load[0]:.1f}, after {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
    return 1 if any(r.get("check") == "DIFF" for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
