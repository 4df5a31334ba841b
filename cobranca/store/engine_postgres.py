"""The PostgreSQL engine: a connection pool per process, transactions instead of the file lock.

A dashboard kernel keeps its pooled connections, so an action pays no connect. The URL is libpq's
(`postgresql://user:password@host:port/dbname?sslmode=require&…`, every parameter honoured); messages show it
without the password (`label`). A server that cannot be reached is a pt-BR StoreUnavailableError naming host
and port. Connections run in autocommit, like DuckDB's: `Store.transaction()` issues BEGIN/COMMIT itself.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg.conninfo import conninfo_to_dict
from psycopg_pool import ConnectionPool, PoolTimeout

from ..core.errors import StoreBusyError, StoreUnavailableError
from . import catalog, pg_dialect
from .pg_connection import PgConnection

POOL_MAX = int(os.environ.get("COBRANCA_PG_POOL_MAX", "8"))
CONNECT_TIMEOUT = 10  # seconds, for one connection attempt
_MIGRATION_LOCK = 0x636F6272  # pg_advisory_xact_lock key while the schema is upgraded ("cobr")

_PG_ADVICE = "Informe em --db (ou COBRANCA_DB) um banco vazio ou um banco do cobranca."

_pools: dict[tuple[int, str], ConnectionPool] = {}  # (pid, url) -> pool; a forked child makes its own
_pools_guard = threading.Lock()

# Per session, on every pooled connection. JIT: the worklists and results are interactive queries whose compile
# time dwarfs what it saves (4.8 s of a 5.4 s worklist of 125k rows at 200k receivables; docs/storage-postgres.md).
SESSION_SETTINGS = ("SET jit = off",)


def _configure(raw: psycopg.Connection) -> None:
    for statement in SESSION_SETTINGS:
        raw.execute(statement)


def close_pools() -> None:
    """Close this process's pools (tests, before their server stops)."""
    with _pools_guard:
        for key in [k for k in _pools if k[0] == os.getpid()]:
            _pools.pop(key).close()


def redact(url: str) -> str:
    """The URL without its password (user, host, port, database and parameters kept)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    user = netloc[0].split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc[1]}"))


def _where(url: str) -> str:
    try:
        info = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        info = {}
    return f"{info.get('host') or 'localhost'}:{info.get('port') or 5432}"


def _without_secret(text: str, url: str) -> str:
    password = urlsplit(url).password
    return text.replace(password, "***") if password else text


class PostgresEngine:
    """A PostgreSQL database: `connect()` borrows a pooled connection for one unit of work."""

    name = "postgres"

    def __init__(self, url: str, wait_seconds: float):
        self.url = url
        self.wait_seconds = wait_seconds
        self.opens = 0  # pool checkouts by this object

    @property
    def label(self) -> str:
        return redact(self.url)

    def _unavailable(self, exc: BaseException) -> StoreUnavailableError:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        return StoreUnavailableError(
            f"Não foi possível conectar ao PostgreSQL em {_where(self.url)} ({self.label}): "
            f"{_without_secret(reason, self.url)}. Verifique se o servidor está no ar, o endereço, a porta, "
            "o usuário e a senha em COBRANCA_DB (ou --db)."
        )

    def _pool(self) -> ConnectionPool:
        key = (os.getpid(), self.url)
        with _pools_guard:
            pool = _pools.get(key)
            if pool is None:
                try:  # one direct attempt first: an unreachable server is an error now, not a pool timeout later
                    psycopg.connect(self.url, connect_timeout=CONNECT_TIMEOUT).close()
                except psycopg.Error as exc:
                    raise self._unavailable(exc) from None
                pool = ConnectionPool(
                    self.url, min_size=1, max_size=POOL_MAX, open=True, name="cobranca", configure=_configure,
                    kwargs={"autocommit": True, "cursor_factory": psycopg.ClientCursor,
                            "connect_timeout": CONNECT_TIMEOUT},
                )
                _pools[key] = pool
            return pool

    @contextmanager
    def connect(self, first: bool = False) -> Iterator[PgConnection]:
        """A pooled connection for one unit of work (`first`: the schema check happens in before_migrations)."""
        try:
            borrowed = self._pool().connection(timeout=self.wait_seconds)
            raw = borrowed.__enter__()
        except PoolTimeout as exc:
            raise StoreBusyError(
                f"Nenhuma conexão livre com o PostgreSQL em {_where(self.url)} há mais de {self.wait_seconds:g} s "
                "(muitas abas ou processos ao mesmo tempo). Tente novamente em instantes."
            ) from exc
        except psycopg.OperationalError as exc:
            raise self._unavailable(exc) from None
        self.opens += 1
        con = PgConnection(raw)
        try:
            yield con
        except BaseException as exc:
            borrowed.__exit__(type(exc), exc, exc.__traceback__)
            raise
        else:
            borrowed.__exit__(None, None, None)

    @property
    def lock_file(self):
        raise NotImplementedError("PostgreSQL has no lock file: transactions and advisory locks instead")

    def busy_error(self) -> StoreBusyError:
        return StoreBusyError(f"O PostgreSQL em {_where(self.url)} está ocupado. Tente novamente em instantes.")

    def run_lock(self, name: str):
        """The advisory lock that lets one holder of `name` (the régua run) work at a time across servers."""
        from .pg_run_lock import AdvisoryRunLock

        return AdvisoryRunLock(self.url, name, self._unavailable, CONNECT_TIMEOUT)

    def before_migrations(self, con: PgConnection) -> None:
        """Inside the migration's transaction: one process at a time upgrades; a database with other tables and
        no schema of ours is refused (an empty one is initialised); DuckDB's functions exist."""
        con.raw.execute("SELECT pg_advisory_xact_lock(%s)", [_MIGRATION_LOCK])
        if not catalog.has_schema(con) and catalog.tables(con):
            catalog.require_schema(con, f"O banco PostgreSQL {self.label}", _PG_ADVICE)
        found = con.raw.execute("SELECT count(*) FROM pg_proc WHERE proname = %s", [pg_dialect.SHIMS_MARKER])
        if found.fetchone()[0] == 0:
            for statement in pg_dialect.SHIMS:
                con.raw.execute(statement)
