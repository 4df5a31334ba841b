"""Contact registration latency, one process and two at once, beside the floor of this design: a bare open."""

from __future__ import annotations

import multiprocessing as mp
import time

import duckdb

from benchmarks.measure import pct, peak_rss_mb
from cobranca import open_db


def _register_loop(path: str, keys: list[tuple[str, str]], barrier) -> list[float]:
    db = open_db(path, wait_seconds=60)
    db.schema_version()  # the first open of a process also checks the schema: not part of a click
    if barrier is not None:
        barrier.wait()
    out = []
    for document, installment in keys:
        start = time.perf_counter()
        db.contacts.register_one(document, installment, channel="Telefone", observation="bench")
        out.append(time.perf_counter() - start)
    return out


def _register_child(conn, path, keys, barrier) -> None:
    conn.send(_register_loop(path, keys, barrier))
    conn.close()


def _bare_connects(path: str, count: int) -> tuple[list[float], list[float]]:
    """duckdb.connect()+close() of an in-memory database and of the benchmark file (no query)."""
    memory, file = [], []
    for _ in range(count):
        start = time.perf_counter()
        duckdb.connect().close()
        memory.append(time.perf_counter() - start)
        start = time.perf_counter()
        duckdb.connect(path).close()
        file.append(time.perf_counter() - start)
    return memory, file


def bench_contacts(fx, runs: int) -> list[dict]:
    keys = list(open_db(fx.db).receivables.keys().head(400)[["document", "installment"]].itertuples(index=False,
                                                                                                   name=None))
    count = 200 if runs > 1 else 20
    memory, file = _bare_connects(str(fx.db), count)
    alone = _register_loop(str(fx.db), keys[:count], None)
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(2)
    pipes = [ctx.Pipe(duplex=False) for _ in range(2)]
    procs = [ctx.Process(target=_register_child, args=(child, str(fx.db), chunk, barrier))
             for (_, child), chunk in zip(pipes, (keys[:count], keys[-count:]), strict=True)]
    for proc in procs:
        proc.start()
    parts = [parent.recv() for parent, _ in pipes]
    for proc in procs:
        proc.join()
    both = parts[0] + parts[1]
    floor = pct(file, 0.5)
    return [
        {"case": f"bare duckdb.connect()+close ({count})", "engine": "in-memory database",
         "p50": pct(memory, 0.5), "p99": pct(memory, 0.99)},
        {"case": f"bare duckdb.connect()+close ({count})", "engine": "the benchmark file",
         "p50": floor, "p99": pct(file, 0.99), "vs": "1.00× open"},
        {"case": f"register contact ({count})", "engine": "1 process", "p50": pct(alone, 0.5),
         "p99": pct(alone, 0.99), "vs": f"{pct(alone, 0.5) / floor:.2f}× open",
         "rate": f"p99/p50 {pct(alone, 0.99) / pct(alone, 0.5):.1f}"},
        {"case": f"register contact (2×{count})", "engine": "2 processes at once", "p50": pct(both, 0.5),
         "p99": pct(both, 0.99), "vs": f"{pct(both, 0.5) / floor:.2f}× open",
         "rate": f"p99/p50 {pct(both, 0.99) / pct(both, 0.5):.1f}", "rss": peak_rss_mb()},
    ]
