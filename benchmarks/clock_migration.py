"""Schema step 5 (timestamps to UTC) on a version 4 file with many contacts: `python -m benchmarks.clock_migration`.

Prints a table: the upgrade (open_db on the old file: every TIMESTAMP column converted through DuckDB's ICU
time zones) against a baseline measured in the same run on a copy of the same file — one plain UPDATE shifting
the same contacts columns by a fixed interval, the cheapest conceivable rewrite.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

import duckdb


def build_v4_file(path: Path, contacts: int) -> None:
    """A version 4 file (the current schema's tables, schema_version 4) with `contacts` contacts on 1000 receivables."""
    from cobranca import open_db
    from cobranca.store import schema

    saved = schema.SCHEMA_VERSION
    schema.SCHEMA_VERSION = 4
    try:
        open_db(path).filters.all()
    finally:
        schema.SCHEMA_VERSION = saved
    with duckdb.connect(str(path)) as con:
        con.execute("""INSERT INTO customers SELECT i, 'code:' || i, i::VARCHAR, 'Cliente ' || i, NULL, NULL, NULL,
                       NULL, TIMESTAMP '2026-11-30 10:00' FROM range(1000) t(i)""")
        con.execute("""INSERT INTO receivables SELECT i, 'D' || i, '1', i, NULL, DATE '2026-11-01', DATE '2026-11-03',
                       100, 0, NULL, NULL, TIMESTAMP '2026-11-30 10:00' FROM range(1000) t(i)""")
        con.execute("""INSERT INTO contacts SELECT i, i % 1000, 'D' || (i % 1000), '1', 'Telefone', 'ANA', NULL, NULL,
                        NULL, TIMESTAMP '2026-01-01 08:00' + to_seconds(i * 17 % 30000000),
                        CASE WHEN i % 50 = 0 THEN TIMESTAMP '2026-11-30 12:00' END, NULL
                        FROM range(?) t(i)""", [int(contacts)])


def upgrade_seconds(path: Path) -> float:
    from cobranca import open_db

    started = time.perf_counter()
    open_db(path).schema_version()
    return time.perf_counter() - started


def baseline_seconds(path: Path) -> float:
    started = time.perf_counter()
    with duckdb.connect(str(path)) as con:
        con.execute("UPDATE contacts SET created_at = created_at + INTERVAL 3 HOUR, "
                    "cancelled_at = cancelled_at + INTERVAL 3 HOUR")
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.clock_migration", description=__doc__)
    parser.add_argument("--contacts", type=int, default=200_000)
    args = parser.parse_args(argv)
    os.environ.setdefault("COBRANCA_LEGACY_TZ", "America/Sao_Paulo")  # a non-UTC old server: every row converts
    with tempfile.TemporaryDirectory(prefix="cobranca-clock-") as tmp:
        old, copy = Path(tmp) / "v4.duckdb", Path(tmp) / "copy.duckdb"
        build_v4_file(old, args.contacts)
        shutil.copy(old, copy)
        base = baseline_seconds(copy)
        upgrade = upgrade_seconds(old)
        with duckdb.connect(str(old)) as con:
            converted = con.execute("SELECT min(created_at) FROM contacts").fetchone()[0]
    print(f"\nschema step 5 — {args.contacts:,} contacts (old server zone {os.environ['COBRANCA_LEGACY_TZ']})\n")
    print(f"{'case':44}{'seconds':>10}{'vs':>8}")
    print(f"{'baseline: UPDATE contacts + interval':44}{base:>10.2f}{'1.0×':>8}")
    print(f"{'open_db: step 5, every column through ICU':44}{upgrade:>10.2f}{upgrade / base:>7.1f}×")
    print(f"\ncheck: the oldest contact, 08:00 in São Paulo, is stored as {converted:%H:%M} UTC "
          f"({'OK' if converted.hour == 11 else 'DIFF'})")
    return 0 if converted.hour == 11 else 1


if __name__ == "__main__":
    raise SystemExit(main())
