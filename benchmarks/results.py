"""Results at the benchmark size: a re-import that pays 10% of the open receivables (payment events captured
in the upsert), then `db.results.summary` of 30 days beside the worklist totals of the same file."""

from __future__ import annotations

import shutil
from datetime import date, timedelta

import numpy as np

from benchmarks.measure import pct, peak_rss_mb, run_isolated, timed
from benchmarks.synthetic import synthetic_frame, write_csv
from cobranca import open_db


def _reimport(db_path: str, csv: str) -> tuple[float, float, int, float]:
    import time

    import duckdb

    from cobranca.store import payments

    spent = {"capture": 0.0}

    def timer(fn):
        def timed_call(*args):
            start = time.perf_counter()
            try:
                return fn(*args)
            finally:
                spent["capture"] += time.perf_counter() - start
        return timed_call

    payments.record_changes = timer(payments.record_changes)  # this process only: the capture's share
    payments.snapshot_aging = timer(payments.snapshot_aging)
    db = open_db(db_path)
    db.schema_version()
    start = time.perf_counter()
    db.receivables.import_file(csv)
    seconds = time.perf_counter() - start
    with duckdb.connect(db_path) as con:
        events = con.execute("SELECT count(*) FROM payment_events").fetchall()[0][0]
    return seconds, spent["capture"], events, peak_rss_mb()


def _summaries(db_path: str, runs: int, today: date) -> tuple[list[float], list[float], dict, float]:
    db = open_db(db_path)
    db.schema_version()
    since = today - timedelta(days=29)
    totals = timed(lambda: db.worklists.totals(None, today), runs)
    results = timed(lambda: db.results.summary(since, today), runs)
    summary = db.results.summary(since, today)
    figures = {"dso": summary["dso"]["dso"], "cei": summary["cei"]["cei"],
               "recovered": sum(summary["recovered_total"]["recovered"]) if len(summary["recovered_total"]) else 0,
               "payments": summary["payments"]["receivables"]}
    return results, totals, figures, peak_rss_mb()


def bench_results(fx, runs: int) -> list[dict]:
    path = fx.work / f"results-{fx.size}.duckdb"
    shutil.copyfile(fx.db, path)
    frame = synthetic_frame(fx.size, fx.today)
    rng = np.random.default_rng(11)
    unpaid = np.flatnonzero((frame["paid_amount"] == "0,00").to_numpy())
    paid = rng.choice(unpaid, size=len(unpaid) // 10, replace=False)
    frame.loc[paid, "paid_amount"] = frame.loc[paid, "amount"]
    frame.loc[paid, "paid_date"] = [(fx.today - timedelta(days=int(d))).strftime("%d/%m/%Y")
                                    for d in rng.integers(0, 30, len(paid))]
    csv = write_csv(frame, fx.work / f"contas-{fx.size}-pagas.csv")
    seconds, capture, events, import_rss = run_isolated(_reimport, str(path), str(csv))
    results, totals, figures, rss = run_isolated(_summaries, str(path), max(runs, 3), fx.today)
    base = pct(totals, 0.5)
    return [
        {"case": f"re-import, {len(paid):,} paid", "engine": "upsert + payment events", "p50": seconds,
         "rate": f"{events:,} events", "check": "ok" if events == len(paid) else "DIFF", "rss": import_rss},
        {"case": "  of which events + aging snapshot", "engine": "in the upsert's transaction", "p50": capture,
         "vs": f"{capture / seconds:.1%} of import"},
        {"case": "worklist totals (baseline)", "engine": "SQL, all overdue", "p50": base, "p99": pct(totals, 0.99),
         "vs": "1.00×"},
        {"case": "results summary (30 days)", "engine": "SQL sums + formulas", "p50": pct(results, 0.5),
         "p99": pct(results, 0.99), "vs": f"{pct(results, 0.5) / base:.2f}×",
         "rate": f"DSO {figures['dso']} CEI {figures['cei']}", "rss": rss,
         "check": "ok" if figures["payments"] == len(paid) else "DIFF"},
    ]
