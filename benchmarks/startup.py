"""CLI start-up: `cobranca --help` and `cobranca worklist --format json` beside `python -c "import duckdb"`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

from benchmarks.measure import pct


def _wall(argv: list[str], runs: int, env: dict | None = None) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)
        out.append(time.perf_counter() - start)
    return out


def bench_startup(fx, runs: int) -> list[dict]:
    runs = max(runs, 3)
    cli = shutil.which("cobranca") or os.path.join(os.path.dirname(sys.executable), "cobranca")
    env = {**os.environ, "COBRANCA_DB": str(fx.db)}
    base = _wall([sys.executable, "-c", "import duckdb"], runs)
    helped = _wall([cli, "--help"], runs)
    worklist = _wall([cli, "worklist", "--filter", "Vencendo hoje", "--format", "json"], runs, env)
    floor = pct(base, 0.5)
    return [
        {"case": "start-up", "engine": 'python -c "import duckdb"', "p50": floor, "vs": "1.00× duckdb"},
        {"case": "start-up", "engine": "cobranca --help", "p50": pct(helped, 0.5),
         "vs": f"{pct(helped, 0.5) / floor:.2f}× duckdb"},
        {"case": "start-up", "engine": "worklist 'Vencendo hoje' json", "p50": pct(worklist, 0.5),
         "vs": f"{pct(worklist, 0.5) / floor:.2f}× duckdb"},
    ]
