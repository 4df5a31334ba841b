"""A 10k smoke run of the benchmarks: every section runs and the side-by-side results agree."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_benchmarks_10k_smoke(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--size", "10000", "--check-only", "--workdir", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    table = run.stdout
    for case in ("import 10,000 rows", "worklist 'Vencidas de 1 a 10 dias'", "register contact",
                 "PDF 1,000 receivables", "dashboard: switch to", "régua run", "results summary (30 days)"):
        assert case in table
    assert table.count(" ok ") >= 5 and "DIFF" not in table


@pytest.mark.slow
def test_engines_smoke(tmp_path):
    """benchmarks/engines.py on a throwaway PostgreSQL and a DuckDB file: every case runs, both engines agree."""
    run = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--only", "engines", "--size", "2000", "--check-only",
         "--workdir", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    table = run.stdout
    for case in ("import 2,000 rows", "× CTAS", "× COPY", "worklist 'Vencidas há mais de 30 dias'",
                 "results summary (30 days)", "register contact, 2 process(es)", "bare INSERT…COMMIT (pool), 1",
                 "bare duckdb.connect+close", "régua run, 20 customers", "× smtplib"):
        assert case in table, case
    assert table.count(" ok ") >= 8 and "DIFF" not in table
