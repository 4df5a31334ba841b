"""The load half of benchmarks/engines.py: register contact from 1, 4 and 16 processes at once, and a régua run
into a loopback SMTP server, on both engines, each beside its baseline measured in the same run."""

from __future__ import annotations

import multiprocessing as mp
import time
from datetime import timedelta
from pathlib import Path

import duckdb

from benchmarks import regua as regua_bench
from benchmarks.measure import free_port, pct, peak_rss_mb
from cobranca import open_db


# -- register contact, N processes -------------------------------------------------------------------
def _register(target: str, keys: list[tuple[str, str]], start_at: float) -> list[float]:
    db = open_db(target)
    db.schema_version()  # connected (PostgreSQL: pool open) before the start
    time.sleep(max(0.0, start_at - time.time()))
    samples = []
    for i, (document, installment) in enumerate(keys):
        started = time.perf_counter()
        db.contacts.register_one(document, installment, channel="Telefone", observation=f"bench {i}")
        samples.append(time.perf_counter() - started)
    return samples


def _bare_insert(url: str, count: int, start_at: float) -> list[float]:
    """`INSERT … COMMIT` of one row on a pooled connection: PostgreSQL's own cost of a durable write."""
    from psycopg_pool import ConnectionPool

    with ConnectionPool(url, min_size=1, max_size=1, open=True) as pool:
        with pool.connection() as con:
            con.execute("CREATE TABLE IF NOT EXISTS bench_bare (id BIGINT, note TEXT, at TIMESTAMP)")
        time.sleep(max(0.0, start_at - time.time()))
        samples = []
        for i in range(count):
            started = time.perf_counter()
            with pool.connection() as con:  # one transaction, committed when the block ends
                con.execute("INSERT INTO bench_bare VALUES (%s, %s, now())", [i, f"b{i}"])
            samples.append(time.perf_counter() - started)
        return samples


def _bare_open(path: str, count: int, start_at: float) -> list[float]:
    time.sleep(max(0.0, start_at - time.time()))
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        duckdb.connect(path).close()
        samples.append(time.perf_counter() - started)
    return samples


def _at_once(worker, args_per_process: list[tuple]) -> list[float]:
    """Run `worker(*args, start_at)` in one fresh process each, all starting together; every sample."""
    ctx = mp.get_context("spawn")
    start_at = time.time() + 3 + 0.3 * len(args_per_process)  # every process imported and connected by then
    with ctx.Pool(len(args_per_process)) as pool:
        results = pool.starmap(worker, [(*args, start_at) for args in args_per_process])
    return [s for samples in results for s in samples]


def _keys(target, processes: int, count: int) -> list[list[tuple[str, str]]]:
    """Distinct open receivables for each process (no two processes write the same one)."""
    frame = open_db(target).receivables.keys()
    keys = list(zip(frame["document"], frame["installment"], strict=True))[: processes * count]
    return [keys[i::processes] for i in range(processes)]


def bench_contacts(targets: dict, processes, count: int) -> list[dict]:
    out = []
    duck_open = _at_once(_bare_open, [(str(targets["duckdb"]), count)])
    bare = {n: _at_once(_bare_insert, [(targets["postgres"], count)] * n) for n in processes}
    base = {"duckdb": pct(duck_open, 0.5), "postgres": pct(bare[1] if 1 in bare else bare[min(bare)], 0.5)}
    for n in processes:
        for engine, label in (("postgres", "PostgreSQL"), ("duckdb", "DuckDB file")):
            samples = _at_once(_register, [(str(targets[engine]), keys, ) for keys in _keys(targets[engine], n, count)])
            p50, p99 = pct(samples, 0.5), pct(samples, 0.99)
            unit = "insert" if engine == "postgres" else "open"
            out.append({"case": f"register contact, {n} process(es)" if engine == "postgres" else "",
                        "engine": label, "p50": p50, "p99": p99, "rate": f"p99/p50 {p99 / p50:.1f}",
                        "vs": f"{p50 / base[engine]:.2f}× {unit}"})
        out.append({"case": "", "engine": f"bare INSERT…COMMIT (pool), {n}", "p50": pct(bare[n], 0.5),
                    "p99": pct(bare[n], 0.99)})
    out.append({"case": "", "engine": "bare duckdb.connect+close, 1", "p50": base["duckdb"],
                "p99": pct(duck_open, 0.99), "rss": peak_rss_mb()})
    return out


# -- régua run ----------------------------------------------------------------------------------------
_OTHER_EVENTS = (
    "INSERT INTO receivable_events SELECT nextval('receivable_event_ids'), -1 - i, '{kind}', DATE '2026-12-30', "
    "NULL, NULL, NULL, 'BENCH', TIMESTAMP '2026-11-01 12:00:00', NULL, NULL FROM range({n}) AS t(i)",
    "INSERT INTO customer_events SELECT nextval('customer_event_ids'), -1 - i, 'optout', NULL, 'BENCH', "
    "TIMESTAMP '2026-11-01 12:00:00', NULL, NULL FROM range({n}) AS t(i)",
)


def _other_events(db, count: int) -> None:
    """A promise and a dispute for each of `count` other receivables, an opt-out for `count` other customers:
    what a per-message read must not pay for (it used to aggregate every event)."""
    if not count:
        return
    with db.store.transaction() as con:
        for kind in ("promise", "dispute"):
            con.execute(_OTHER_EVENTS[0].replace("{kind}", kind).replace("{n}", str(int(count))))
        con.execute(_OTHER_EVENTS[1].replace("{n}", str(int(count))))
        if getattr(con, "engine", None) == "postgres":
            con.execute("ANALYZE")


def _regua_on(target, port: int, customers: int, others: int = 0) -> tuple[float, int, bool]:
    """(seconds of the sending run, e-mails sent, checks passed) of a régua run over 5 receivables per customer,
    beside `others` other receivables' events."""
    db = open_db(target)
    db.receivables.upsert(regua_bench._frame(customers * 5, customers))
    _other_events(db, others)
    for key, value in {"smtp_host": "127.0.0.1", "smtp_port": str(port), "smtp_security": "none",
                       "smtp_sender": "cobranca@exemplo.com.br"}.items():
        db.settings.set(key, value)
    start = time.perf_counter()
    report = regua_bench._sending(db, regua_bench.NOW)
    elapsed = time.perf_counter() - start
    again = regua_bench._sending(db, regua_bench.NOW + timedelta(minutes=30))
    ok = len(report.sent) == customers and not report.failed and not again.sent
    return elapsed, len(report.sent), ok


def bench_regua(work: Path, server, customers: int, others: int = 0) -> list[dict]:
    """The run on a fresh database, and (`others` > 0) again beside the events of `others` other receivables."""
    port = free_port()
    smtp = regua_bench._server(port)
    cases = [0, others] if others else [0]
    try:
        runs = {}
        for n in cases:
            path = work / f"regua-engines-{n}.duckdb"
            path.unlink(missing_ok=True)
            runs[n] = {"postgres": _regua_on(server.database("regua"), port, customers, n),
                       "duckdb": _regua_on(path, port, customers, n)}
        bare = regua_bench._bare_smtplib(port, customers)
    finally:
        smtp.terminate()
        smtp.wait(10)
    bare_rate = customers / bare
    out = []
    for n in cases:
        for engine, label in (("postgres", "PostgreSQL"), ("duckdb", "DuckDB file")):
            elapsed, sent, ok = runs[n][engine]
            rate = sent / elapsed
            case = f"régua run, {customers:,} customers" + (f", {n:,} others' events ×3" if n else "")
            out.append({"case": case if engine == "postgres" else "", "engine": label, "p50": elapsed,
                        "rate": f"{rate:,.1f} msg/s", "vs": f"{rate / bare_rate:.2f}× smtplib",
                        "check": "ok" if ok else "DIFF"})
    out.append({"case": "", "engine": "plain smtplib, same count", "p50": bare, "rate": f"{bare_rate:,.1f} msg/s",
                "rss": peak_rss_mb()})
    return out
