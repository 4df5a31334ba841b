"""Measuring helpers: wall-clock runs, percentiles, peak RSS, one section per fresh process."""

from __future__ import annotations

import multiprocessing as mp
import resource
import socket
import time


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn, runs: int) -> list[float]:
    """Wall-clock seconds of `runs` calls of fn."""
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _child(conn, target, args):
    try:
        conn.send(("ok", target(*args)))
    except BaseException as exc:  # report, then let the parent raise
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def run_isolated(target, *args):
    """Run one section in a fresh (non-daemon) process so its peak RSS is its own; returns its result."""
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, target, args))
    proc.start()
    child.close()
    status, value = parent.recv()
    proc.join()
    if status != "ok":
        raise RuntimeError(f"{getattr(target, '__name__', target)} failed: {value}")
    return value


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now (the socket is closed again): for a loopback server, or to refuse."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]
