"""The DuckDB engine: one file, opened per unit of work under the inter-process `flock` of locking.py.

Voila runs one kernel process per browser tab and DuckDB lets one process at a time hold a file, so no
connection outlives a unit of work. The store modules' SQL is written in DuckDB's dialect (see
docs/storage-postgres.md); this engine runs it as it is.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from ..errors import StoreBusyError
from ..locking import exclusive

_LOCK_MARKERS = ("could not set lock", "conflicting lock", "lock on file", "resource temporarily unavailable")


def _is_lock_error(exc: Exception) -> bool:
    return any(marker in str(exc).lower() for marker in _LOCK_MARKERS)


class DuckDBEngine:
    """A DuckDB file: `connect()` yields a connection held under the file lock until the block ends."""

    name = "duckdb"

    def __init__(self, path: str | Path, wait_seconds: float):
        self.path = Path(path)
        self.wait_seconds = wait_seconds
        self.opens = 0  # real opens of the file (tests assert one per user action)

    @property
    def label(self) -> str:
        """How messages name the database (a file path)."""
        return str(self.path)

    def _busy(self) -> StoreBusyError:
        return StoreBusyError(
            f"O banco de dados {self.path.name} está ocupado por outro processo há mais de "
            f"{self.wait_seconds:g} s (outra aba ou uma importação em andamento). Tente novamente em instantes."
        )

    def _open(self) -> duckdb.DuckDBPyConnection:
        """Connect, retrying while another program (not a cobranca process: see locking.py) holds the file."""
        deadline = time.monotonic() + self.wait_seconds
        delay = 0.002
        while True:
            try:
                con = duckdb.connect(str(self.path))
                con.execute("SET enable_progress_bar = false")  # no DuckDB bar in CLI output or kernel logs
                self.opens += 1
                return con
            except duckdb.Error as exc:
                if not _is_lock_error(exc):
                    raise
                if time.monotonic() >= deadline:
                    raise self._busy() from exc
                time.sleep(delay * (0.5 + random.random()))
                delay = min(delay * 2, 0.05)

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        lock_file = self.path.with_name(self.path.name + ".lock")
        with exclusive(lock_file, self.wait_seconds, self._busy):
            con = self._open()
            try:
                yield con
            finally:
                con.close()

    def before_migrations(self, con: duckdb.DuckDBPyConnection) -> None:
        """Nothing to do: the file lock already keeps other processes out while the schema is upgraded."""
