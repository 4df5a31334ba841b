"""Benchmarks side by side in one run: `python -m benchmarks --size N` prints a table (see README)."""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date
from pathlib import Path

SECTIONS = ("import", "worklist", "contacts", "pdf", "dashboard", "startup", "pix", "promises", "regua",
            "results", "browser", "engines")
NEEDS_FIXTURE = SECTIONS[:-2]  # every section but the browser's and the engines' uses the synthetic database
ONLY_WHEN_NAMED = ("browser", "engines")  # Chromium; a PostgreSQL server (benchmarks/engines.py)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--size", type=int, default=10_000, help="receivables to generate (10000, 100000, 1000000)")
    parser.add_argument("--runs", type=int, default=5, help="repetitions of the fast measurements (median)")
    parser.add_argument("--only", nargs="*", choices=SECTIONS, help="run only these sections")
    parser.add_argument("--workdir", help="folder for the generated files (default: a temporary folder)")
    parser.add_argument("--browser-db", nargs="+", metavar="DB",
                        help="browser section: serve these databases (paths or postgresql:// URLs, one after the "
                             "other, beside one bare page) instead of `cobranca demo --rows 20000`")
    parser.add_argument("--check-only", action="store_true", help="correctness checks only, fewest runs (smoke)")
    args = parser.parse_args(argv)
    from benchmarks.cases import prepare, run_sections

    with tempfile.TemporaryDirectory(prefix="cobranca-bench-") as tmp:
        work = Path(args.workdir or tmp)
        work.mkdir(parents=True, exist_ok=True)
        today = date(2026, 11, 30)
        started = time.perf_counter()
        sections = args.only or [s for s in SECTIONS if s not in ONLY_WHEN_NAMED]
        runs = 1 if args.check_only else args.runs
        rows = []
        fixture_sections = [s for s in sections if s in NEEDS_FIXTURE]
        if fixture_sections:
            fixture = prepare(work, args.size, today, build_db=any(s != "import" for s in fixture_sections))
            rows += run_sections(fixture, fixture_sections, runs)
        if "browser" in sections:
            from benchmarks.browser import bench_browser

            rows += bench_browser(str(work), runs, args.browser_db)
        if "engines" in sections:  # both engines side by side; the smoke run keeps every part small
            from benchmarks.engines import bench_engines

            small = dict(processes=(1, 2), count=5, regua_customers=20) if args.check_only else {}
            rows += bench_engines(work, args.size, max(runs, 2), **small)
        print_table(rows, args.size, time.perf_counter() - started, _title(args, sections))
    failed = [r["case"] for r in rows if r.get("check") == "DIFF"]
    if failed:
        print(f"\nFAILED correctness checks: {failed}")
    return 1 if failed else 0


def _title(args, sections: list[str]) -> str | None:
    """What the table measured: the generated size, or the databases the browser served instead."""
    if not args.browser_db:
        return None
    served = f"databases {', '.join(args.browser_db)}"
    if any(s != "browser" for s in sections):
        return f"{args.size:,} receivables; browser on {served}"
    return served


def print_table(rows: list[dict], size: int = 0, elapsed: float | None = None, title: str | None = None) -> None:
    spent = "" if elapsed is None else f" — {elapsed:.0f} s in all"
    print(f"\ncobranca benchmarks — {title or f'{size:,} receivables'}{spent}\n")
    header = ("case", "engine", "p50", "p99", "rate", "vs", "peak RSS", "check")
    widths = (34, 26, 10, 10, 16, 10, 10, 6)
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        cells = (r["case"], r["engine"], _secs(r.get("p50")), _secs(r.get("p99")), r.get("rate", ""),
                 r.get("vs", ""), f"{r['rss']:.0f} MB" if r.get("rss") else "", r.get("check", ""))
        print("  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)))


def _secs(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


if __name__ == "__main__":
    raise SystemExit(main())
