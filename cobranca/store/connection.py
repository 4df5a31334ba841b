"""Opening the DuckDB file: the inter-process lock, retries, sessions (units of work) and transactions.

Voila runs one kernel process per browser tab and DuckDB lets one process at a time hold a file, so no
connection outlives a unit of work. `session()` opens the file once (under the `flock` of locking.py) and
every store call inside it reuses that connection; `transaction()` is one transaction, joined by nested ones.
"""

from __future__ import annotations

import os
import random
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from ..core.errors import InputError, StoreBusyError
from ..core.text import cut
from . import catalog, schema
from .locking import exclusive

DEFAULT_WAIT_SECONDS = 30.0
_LOCK_MARKERS = ("could not set lock", "conflicting lock", "lock on file", "resource temporarily unavailable")


def wait_seconds_from_env() -> float:
    """COBRANCA_LOCK_WAIT (seconds, > 0 and ≤ 3600), else 30; a bad value is a pt-BR InputError."""
    text = os.environ.get("COBRANCA_LOCK_WAIT", "").strip()
    if not text:
        return DEFAULT_WAIT_SECONDS
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        value = float("nan")
    if not 0 < value <= 3600:  # also false for NaN
        raise InputError(
            f"COBRANCA_LOCK_WAIT inválido: '{cut(text)}'. Use um número de segundos maior que 0 e até 3600 (ex.: 30)."
        )
    return value


def _is_lock_error(exc: Exception) -> bool:
    return any(marker in str(exc).lower() for marker in _LOCK_MARKERS)


class Store:
    """A DuckDB file, opened once per unit of work."""

    def __init__(self, path: str | Path, wait_seconds: float | None = None):
        self.path = Path(path)
        self.wait_seconds = wait_seconds if wait_seconds is not None else wait_seconds_from_env()
        self.opens = 0  # real opens of the file by this object (tests assert one per user action)
        self._schema_checked = False
        self._local = threading.local()

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
    def session(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """One open connection (schema up to date) for everything inside; nested sessions reuse it."""
        active = getattr(self._local, "con", None)
        if active is not None:
            yield active
            return
        self._check_path()
        with exclusive(self.lock_file, self.wait_seconds, self.busy_error):
            existed = not self._schema_checked and self._existing_file()
            con = self._open()
            self._local.con, self._local.in_transaction = con, False
            try:
                if not self._schema_checked:
                    if existed:  # only a new (or empty) file is initialised; an existing one must already be ours
                        catalog.require_schema(con, self.path)
                    schema.migrate(con, self.path)
                    self._schema_checked = True
                yield con
            finally:
                self._local.con = None
                con.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """One transaction: committed on success, rolled back on any error; a nested one joins the outer."""
        with self.session() as con:
            if self._local.in_transaction:
                yield con
                return
            con.execute("BEGIN TRANSACTION")
            self._local.in_transaction = True
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            finally:
                self._local.in_transaction = False
            con.execute("COMMIT")

    def schema_version(self) -> int:
        with self.session() as con:
            return schema.current_version(con)
