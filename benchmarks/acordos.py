"""Acordos: simulating and creating an agreement for a customer with 200 overdue receivables, beside the worklist
of the same rows, in one run. `python -m benchmarks.acordos [--others N] [--runs R]` prints a table."""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pandas as pd

from cobranca import open_db

from .measure import pct, timed

TODAY = date(2026, 11, 30)


def _frame(others: int) -> pd.DataFrame:
    """Customer 'BIG' with 200 receivables 31..230 days overdue, and `others` receivables of 1,000 other customers."""
    rows = []
    for i in range(200):
        rows.append(("BIG", f"B{i}", TODAY - timedelta(days=31 + i), f"{100 + i}.{i % 100:02d}"))
    for i in range(others):
        rows.append((f"C{i % 1000}", f"O{i}", TODAY - timedelta(days=1 + i % 400), f"{50 + i % 900}.25"))
    return pd.DataFrame([{
        "customer_key": f"code:{code}", "customer_code": code, "customer": f"Cliente {code}", "tax_id": None,
        "mobile": None, "phone": None, "email": None, "document": doc, "installment": "1", "issue_date": None,
        "due_date": due, "payable_until": due, "amount": amount, "paid_amount": "0", "paid_date": None,
        "description": None} for code, doc, due, amount in rows])


def bench(work: Path, others: int, runs: int) -> list[dict]:
    base = work / "acordos.duckdb"
    db = open_db(base)
    db.receivables.upsert(_frame(others))
    ids = [int(i) for i in db.worklists.rows(None)["receivable_id"]]
    big = db.customers.find("BIG")["id"]
    with db.session():
        mine = db.customers.receivables(big)[1]["receivable_id"].astype(int).tolist()
    rows_200 = timed(lambda: db.worklists.of_receivables(mine), runs)
    whole = timed(lambda: db.worklists.rows(None), runs)
    simulated = timed(lambda: db.agreements.simulate("BIG", 12), runs)
    _, sim = db.agreements.simulate("BIG", 12)
    expected = sum((Decimal(r["updated_amount"]) for r in db.worklists.of_receivables(mine).to_dict("records")), Decimal(0))
    copies = []
    for k in range(runs):
        copy = work / f"create-{k}.duckdb"
        shutil.copy(base, copy)
        copies.append(open_db(copy))
    made = iter(copies)
    created = timed(lambda: next(made).agreements.create("BIG", 12), runs)
    shown = copies[0].agreements.show(1, check=False)
    ok = (sim.total_original == expected and shown["total"] == sim.total and len(shown["originals"]) == 200
          and sum((p["amount"] for p in [shown["entry"], *shown["installments"]]), Decimal(0)) == sim.total)
    ref = pct(rows_200, 0.5)
    line = lambda case, engine, values, check="": {  # noqa: E731
        "case": case, "engine": engine, "p50": pct(values, 0.5), "p99": pct(values, 0.99),
        "vs": f"{pct(values, 0.5) / ref:.2f}×", "check": check}
    return [line("worklist rows of the 200 (baseline)", "worklist SQL by ids", rows_200),
            line(f"worklist, default filter ({len(ids):,})", "worklist SQL", whole),
            line("simulate (200 receivables, 12×)", "worklist rows + pure rules", simulated, "ok" if ok else "DIFF"),
            line("create (one transaction)", "simulate + 213 inserts", created)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.acordos", description=__doc__)
    parser.add_argument("--others", type=int, default=100_000, help="other customers' receivables in the file")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    os.environ.setdefault("COBRANCA_NOW", f"{TODAY.isoformat()}T10:00:00-03:00")
    with tempfile.TemporaryDirectory(prefix="cobranca-acordos-") as tmp:
        rows = bench(Path(tmp), args.others, args.runs)
    print(f"\nacordos — 200 receivables of one customer among {args.others:,} others — median of {args.runs}\n")
    print(f"{'case':40}  {'engine':28}  {'p50':>10}  {'p99':>10}  {'vs':>7}  check")
    for r in rows:
        print(f"{r['case']:40}  {r['engine']:28}  {r['p50'] * 1000:8.1f} ms  {r['p99'] * 1000:8.1f} ms  "
              f"{r['vs']:>7}  {r['check']}")
    return 1 if any(r["check"] == "DIFF" for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
