"""The one store contract over two engines: sessions (units of work), transactions and the schema check.

`Store(target)` picks the engine: a `postgresql://` URL is PostgreSQL (engine_postgres.py), anything else a
DuckDB file (engine_duckdb.py). `session()` takes one connection (DuckDB: opens the file under its lock;
PostgreSQL: borrows one from the process's pool) and every store call inside it reuses it; `transaction()`
is one transaction, joined by nested ones.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..core.errors import InputError
from ..core.text import cut
from . import schema

DEFAULT_WAIT_SECONDS = 30.0
_URL_SCHEMES = ("postgresql://", "postgres://")


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


def is_url(target: str | Path) -> bool:
    """True for a PostgreSQL URL (postgresql://…), false for a file path."""
    return isinstance(target, str) and target.strip().lower().startswith(_URL_SCHEMES)


def _engine_for(target: str | Path, wait_seconds: float):
    if is_url(target):
        from .engine_postgres import PostgresEngine  # psycopg is imported only when PostgreSQL is used

        return PostgresEngine(str(target).strip(), wait_seconds)
    from .engine_duckdb import DuckDBEngine

    return DuckDBEngine(target, wait_seconds)


class Store:
    """A database (DuckDB file or PostgreSQL URL), one connection per unit of work."""

    def __init__(self, target: str | Path, wait_seconds: float | None = None):
        self.wait_seconds = wait_seconds if wait_seconds is not None else wait_seconds_from_env()
        self.engine = _engine_for(target, self.wait_seconds)
        self._schema_checked = False
        self._local = threading.local()

    @property
    def path(self) -> Path | None:
        """The DuckDB file; None on PostgreSQL (use `label` to name the database in messages)."""
        return getattr(self.engine, "path", None)

    @property
    def label(self) -> str:
        """The database as messages may show it (a PostgreSQL URL without its password)."""
        return self.engine.label

    @property
    def opens(self) -> int:
        """Connections taken by this object (DuckDB: file opens; PostgreSQL: pool checkouts)."""
        return self.engine.opens

    @property
    def lock_file(self) -> Path:
        """DuckDB: the sidecar file every process locks before opening the database (see locking.py)."""
        return self.engine.lock_file

    def busy_error(self):
        return self.engine.busy_error()

    def run_lock(self, name: str):
        """A lock only one process holds at a time (run_lock.RunLock): a file lock on DuckDB, an advisory lock on
        PostgreSQL."""
        return self.engine.run_lock(name)

    @contextmanager
    def session(self) -> Iterator:
        """One connection (schema up to date) for everything inside; nested sessions reuse it."""
        active = getattr(self._local, "con", None)
        if active is not None:
            yield active
            return
        # The first session also refuses an existing database without our schema (never initialised silently).
        with self.engine.connect(first=not self._schema_checked) as con:
            self._local.con, self._local.in_transaction = con, False
            try:
                if not self._schema_checked:
                    schema.migrate(con, self.label, self.engine)
                    self._schema_checked = True
                yield con
            finally:
                self._local.con = None

    @contextmanager
    def transaction(self) -> Iterator:
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
