"""Facade: backups — a consistent Parquet copy of every table (the workflow in workflows/backup.py drives it)."""

from __future__ import annotations

from pathlib import Path

from ..store import catalog


class Backups:
    """`db.backups`: export_tables."""

    def __init__(self, db):
        self.db = db

    def export_tables(self, directory: Path) -> dict[str, int]:
        """A consistent Parquet copy of every table (see store/catalog.py); returns row counts."""
        with self.db._con() as con:
            return catalog.export_database(con, directory)
