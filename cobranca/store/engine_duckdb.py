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

from ..core.errors import InputError, StoreBusyError
from . import catalog, run_lock
from .locking import exclusive

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

    @property
    def lock_file(self) -> Path:
        """The sidecar file every process locks before opening the database (see locking.py)."""
        return self.path.with_name(self.path.name + ".lock")

    def busy_error(self) -> StoreBusyError:
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
                    unreadable = self._unreadable(exc)
                    if unreadable is not None:
                        raise unreadable from exc
                    raise
                if time.monotonic() >= deadline:
                    raise self.busy_error() from exc
                time.sleep(delay * (0.5 + random.random()))
                delay = min(delay * 2, 0.05)

    def _unreadable(self, exc: Exception) -> InputError | None:
        """A pt-BR error for a file DuckDB cannot open for a reason the user can fix, else None."""
        text = str(exc).lower()
        if "not a valid duckdb database file" in text:
            return InputError(f"O arquivo {self.path} não é um banco DuckDB. Informe outro arquivo de banco "
                              "(--db ou COBRANCA_DB; ex.: data/cobranca.duckdb).")
        return None

    def _check_path(self) -> None:
        if self.path.is_dir():
            raise InputError(f"{self.path} é uma pasta, não um arquivo de banco. Informe um arquivo em --db "
                             f"(ex.: {self.path / 'cobranca.duckdb'}).")

    def _existing_file(self) -> bool:
        """True if the file exists with content; an empty (0-byte) file is removed and counts as new."""
        if not self.path.exists():
            return False
        if self.path.stat().st_size == 0:
            self.path.unlink()
            return False
        return True

    @contextmanager
    def connect(self, first: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """The open file for one unit of work; `first`: an existing file must already be a cobranca database."""
        self._check_path()
        with exclusive(self.lock_file, self.wait_seconds, self.busy_error):
            existed = first and self._existing_file()  # under the lock: nobody is creating the file meanwhile
            con = self._open()
            try:
                if existed:  # only a new (or empty) file is initialised
                    catalog.require_schema(con, f"O arquivo {self.path}")
                yield con
            finally:
                con.close()

    def run_lock(self, name: str) -> run_lock.RunLock:
        """The `flock` on `<db>.<name>.lock` beside the file (the régua's: `<db>.regua.lock`)."""
        return run_lock.FileRunLock(self.path.with_name(f"{self.path.name}.{name}.lock"))

    def before_migrations(self, con: duckdb.DuckDBPyConnection) -> None:
        """Nothing to do: the file lock already keeps other processes out while the schema is upgraded."""
