"""Restore cost: `python -m benchmarks.restore --size N` prints the atomic, verified restore beside a bare
IMPORT DATABASE of the same backup into a new file (the baseline, measured in the same run)."""

from __future__ import annotations

import argparse
import tempfile
from datetime import date
from pathlib import Path

import duckdb

from benchmarks.measure import pct, timed
from benchmarks.synthetic import synthetic_frame, write_csv
from cobranca import open_db
from cobranca.workflows.backup import backup, restore


def _bare_import(folder: Path, target: Path) -> None:
    with duckdb.connect(str(target)) as con:
        con.execute(f"IMPORT DATABASE '{folder}'")


def _fresh(work: Path, name: str):
    counter = iter(range(1_000_000))

    def path() -> Path:
        return work / f"{name}-{next(counter)}.duckdb"
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.restore", description=__doc__)
    parser.add_argument("--size", type=int, default=100_000, help="receivables of the backed-up database")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="cobranca-bench-restore-") as tmp:
        work = Path(tmp)
        db = open_db(work / "source.duckdb")
        db.receivables.import_file(write_csv(synthetic_frame(args.size, date(2026, 11, 30)), work / "contas.csv"))
        folder, counts = backup(db, work / "bk")
        bare_target, ours_target = _fresh(work, "bare"), _fresh(work, "restored")
        bare = timed(lambda: _bare_import(folder, bare_target()), args.runs)
        ours = timed(lambda: restore(folder, ours_target()), args.runs)
    rows = sum(counts.values())
    print(f"{'case':<52} {'p50 s':>8} {'max s':>8} {'vs':>8}")
    print(f"{f'bare IMPORT DATABASE ({rows:,} rows)':<52} {pct(bare, 0.5):>8.2f} {max(bare):>8.2f} {'1.00×':>8}")
    print(f"{'restore: temp file, verify, migrate, fsync, rename':<52} {pct(ours, 0.5):>8.2f} {max(ours):>8.2f} "
          f"{pct(ours, 0.5) / pct(bare, 0.5):>7.2f}×")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
