"""Promises, disputes and opt-outs: the worklist and the promise KPIs before and after ~10 % of receivables have one."""

from __future__ import annotations

import shutil
from datetime import timedelta

from benchmarks.measure import pct, peak_rss_mb, timed
from cobranca import open_db

FILTER = "Vencidas há mais de 30 dias"


def _add_events(db, today) -> dict[str, int]:
    """Every 10th open receivable promised (half due yesterday: broken; half next week), every 100th disputed,
    every 100th customer opted out — written straight into the event tables in one transaction."""
    yesterday, next_week, made = today - timedelta(days=1), today + timedelta(days=7), today - timedelta(days=10)
    with db.session(), db.store.transaction() as con:
        con.execute(
            """INSERT INTO receivable_events
               SELECT nextval('receivable_event_ids'), id, 'promise', CASE WHEN id % 20 = 0 THEN ? ELSE ? END,
                      amount - paid_amount, amount - paid_amount, 'bench', 'BENCH', ?, NULL, NULL
               FROM receivables WHERE amount > paid_amount AND id % 10 = 0""", [yesterday, next_week, made])
        con.execute(
            """INSERT INTO receivable_events
               SELECT nextval('receivable_event_ids'), id, 'dispute', NULL, NULL, NULL, 'bench', 'BENCH', ?, NULL, NULL
               FROM receivables WHERE amount > paid_amount AND id % 100 = 1""", [made])
        con.execute(
            """INSERT INTO customer_events
               SELECT nextval('customer_event_ids'), id, 'optout', 'bench', 'BENCH', ?, NULL, NULL
               FROM customers WHERE id % 100 = 2""", [made])
        counts = con.execute("""SELECT count(*) FILTER (WHERE kind = 'promise'), count(*) FILTER (WHERE kind = 'dispute')
                                FROM receivable_events""").fetchall()[0]
    return {"promises": counts[0], "disputes": counts[1]}


def bench_promises(fx, runs: int) -> list[dict]:
    path = fx.work / f"promises-{fx.size}.duckdb"
    shutil.copy(fx.db, path)
    db = open_db(path)
    runs = max(runs, 5)
    before = timed(lambda: db.worklists.rows(FILTER, fx.today), runs)
    rows_before = len(db.worklists.rows(FILTER, fx.today))
    added = _add_events(db, fx.today)
    after = timed(lambda: db.worklists.rows(FILTER, fx.today), runs)
    worklist = db.worklists.rows(FILTER, fx.today)
    broken = timed(lambda: db.worklists.rows("Promessas quebradas", fx.today), runs)
    kpis = timed(lambda: db.promises.kpis(fx.today), runs)
    k = db.promises.kpis(fx.today)
    paused = int((db.worklists.rows(FILTER, fx.today, include_paused=True)["status"].isin(["promised", "disputed"])).sum())
    # check: the paused rows are exactly those missing from the default worklist, and broken ones sort first
    first = worklist["status"].tolist()
    ordered = first == sorted(first, key=lambda s: s != "promise_broken")
    ok = rows_before - len(worklist) == paused and ordered and k["broken_open"] > 0
    base = pct(before, 0.5)
    return [
        {"case": f"worklist '{FILTER}' ({rows_before:,})", "engine": "no promises", "p50": base,
         "p99": pct(before, 0.99), "vs": "1.00× none"},
        {"case": f"  + {added['promises']:,} promises, {added['disputes']:,} disputes", "engine": "status in SQL",
         "p50": pct(after, 0.5), "p99": pct(after, 0.99), "vs": f"{pct(after, 0.5) / base:.2f}× none",
         "check": "ok" if ok else "DIFF"},
        {"case": f"worklist 'Promessas quebradas' ({k['broken_open']:,})", "engine": "status in SQL",
         "p50": pct(broken, 0.5), "p99": pct(broken, 0.99), "vs": f"{pct(broken, 0.5) / base:.2f}× none"},
        {"case": "promise KPIs (all promises)", "engine": "one SQL query", "p50": pct(kpis, 0.5),
         "p99": pct(kpis, 0.99), "vs": f"{pct(kpis, 0.5) / base:.2f}× none", "rss": peak_rss_mb()},
    ]
