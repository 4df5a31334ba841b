"""Wall time of a fixed subset of the test suite: one process (`-p no:xdist`) against `-n 2 --dist loadfile`.

A script a person runs, not a test (issue 19 item 5: the suite's wall time at most 0.6× today's serial run, on
the same machine, in one run). Each configuration runs `--rounds` times, interleaved, with the load average
printed before each run; the ratio is to the serial run of the same round. `--before REF` adds the same files as
they were at REF (say `main` before the split, extracted with `git archive`), serially, to show what the shared
fixtures changed on their own.

    .venv/bin/python benchmarks/test_wall_time.py [--rounds 2] [--before REF] [--files a.py b.py ...]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# unit, integration (DuckDB and PostgreSQL, SMTP loopback, CLI, PDF, the dashboard in-process) and one e2e file
SUBSET = [
    "test_contact_hours.py", "test_regua_plan.py", "test_results_formulas.py", "test_baixa_cnab.py",
    "test_promise_status.py",
    "test_promises.py", "test_results.py", "test_regua_run.py", "test_mailer.py", "test_import_engine.py",
    "test_dashboard_promises.py",
    "test_e2e_acordos.py",
]


def locate(root: Path, name: str) -> str:
    """`name`'s path under root/tests (flat before the split, in unit/integration/e2e after)."""
    hits = sorted((root / "tests").rglob(name))
    if len(hits) != 1:
        sys.exit(f"{name}: {len(hits)} files under {root / 'tests'}")
    return str(hits[0].relative_to(root))


def extract(ref: str, into: Path) -> Path:
    """The tree of `ref` in a temporary folder (its own cobranca package and tests, this virtualenv)."""
    archive = subprocess.run(["git", "archive", ref], cwd=ROOT, capture_output=True, check=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def run_pytest(root: Path, files: list[str], parallel: bool) -> tuple[float, str]:
    mode = ["-n", "2", "--dist", "loadfile"] if parallel else ["-p", "no:xdist"]
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *mode, *files]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=root, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    tail = [line for line in done.stdout.splitlines() if re.search(r"\d+ (passed|failed|error)", line)]
    return seconds, re.sub(r"=+", "", tail[-1]).strip() if tail else f"exit {done.returncode}"


def load() -> str:
    return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--before", metavar="REF", help="also run the files as they were at REF, serially")
    parser.add_argument("--files", nargs="+", default=SUBSET)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="wall-time-") as scratch:
        configs = [("serial (-p no:xdist)", ROOT, False), ("-n 2 --dist loadfile", ROOT, True)]
        if args.before:
            configs.insert(0, (f"{args.before}, serial", extract(args.before, Path(scratch)), False))
        located = {root: [locate(root, name) for name in args.files] for _, root, _ in configs}
        print(f"{len(args.files)} test files, {os.cpu_count()} CPUs, {args.rounds} rounds, interleaved\n")
        rows = []
        for round_no in range(1, args.rounds + 1):
            for label, root, parallel in configs:
                before = load()
                print(f"round {round_no} {label}: uptime load {before} ...", flush=True)
                seconds, summary = run_pytest(root, located[root], parallel)
                print(f"    {seconds:.1f} s: {summary}", flush=True)
                rows.append((round_no, label, before, seconds, summary))
        report(rows, configs)
    return 0


def report(rows, configs) -> None:
    serial = {r[0]: r[3] for r in rows if r[1] == "serial (-p no:xdist)"}
    print(f"\n{'round':<6}{'configuration':<24}{'load 1/5/15 min before':<25}{'wall s':>9}{'vs serial':>11}  result")
    for round_no, label, before, seconds, summary in rows:
        print(f"{round_no:<6}{label:<24}{before:<25}{seconds:>9.1f}{seconds / serial[round_no]:>10.2f}×  {summary}")
    print()
    base = statistics.median(serial.values())
    for label, _, _ in configs:
        times = [r[3] for r in rows if r[1] == label]
        print(f"median {label:<28}{statistics.median(times):>9.1f} s {statistics.median(times) / base:>6.2f}× serial")


if __name__ == "__main__":
    raise SystemExit(main())
