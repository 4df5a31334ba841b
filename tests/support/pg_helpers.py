"""A throwaway PostgreSQL 15 cluster for the tests: initdb in a temporary folder, a free port on 127.0.0.1 only.

PostgreSQL refuses to run as root, so when the tests run as root the server commands run as the `postgres`
user (runuser). Each pytest-xdist worker starts its own cluster (a second or two, only when a test asks for
PostgreSQL) and stops it at the end of the session; each test gets its own database.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from benchmarks.measure import free_port

PG_BIN = Path(os.environ.get("COBRANCA_PG_BIN", "/usr/lib/postgresql/15/bin"))
SUPERUSER, PASSWORD = "postgres", "s3cr3t-pw"  # the password tests check never shows up anywhere
_counter = itertools.count(1)


def available() -> bool:
    return (PG_BIN / "initdb").exists()


def _as_server_user(args: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


class Cluster:
    """One running server; `database()` creates a fresh database and returns its URL."""

    def __init__(self):
        self.root = Path(tempfile.mkdtemp(prefix="cobranca-pg-"))
        self.data = self.root / "data"
        self.port = 0
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        os.chmod(self.root, 0o700)

    def _run(self, *args: str, timeout: float = 60) -> None:
        subprocess.run(_as_server_user(list(args)), check=True, capture_output=True, timeout=timeout,
                       cwd=self.root)

    def start(self) -> Cluster:
        pwfile = self.root / "pw"
        pwfile.write_text(PASSWORD + "\n")
        if os.geteuid() == 0:
            shutil.chown(pwfile, "postgres", "postgres")
        self._run(str(PG_BIN / "initdb"), "-D", str(self.data), "-U", SUPERUSER, f"--pwfile={pwfile}",
                  "--auth-host=scram-sha-256", "--auth-local=trust", "--encoding=UTF8", "--locale=C.UTF-8")
        pwfile.unlink()
        for attempt in range(5):  # a port found free may be taken by another worker before the server binds it
            self.port = free_port()
            options = (f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.root} "
                       "-c fsync=on -c max_connections=200 -c shared_buffers=32MB")
            try:
                self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "server.log"),
                          "-o", options, "-w", "-t", "60", "start")
                return self
            except subprocess.CalledProcessError:
                if attempt == 4:
                    raise
                time.sleep(0.2)
        return self

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}:{PASSWORD}@127.0.0.1:{self.port}/{dbname}"

    def database(self) -> str:
        """A new empty database; its URL (with the password)."""
        import psycopg

        name = f"t{os.getpid()}_{next(_counter)}"
        with psycopg.connect(self.url(), autocommit=True) as con:
            con.execute(f'CREATE DATABASE "{name}"')  # a generated name, never user text
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


@contextmanager
def raw_connection(target):
    """A plain connection to a test database outside the store: duckdb on a file, psycopg (autocommit) on a URL,
    answering DuckDB's `execute(sql, params).fetchall()` with `?` placeholders on both."""
    if isinstance(target, str) and target.startswith("postgresql://"):
        import psycopg

        from cobranca.store.pg_connection import PgConnection

        with psycopg.connect(target, autocommit=True, cursor_factory=psycopg.ClientCursor) as con:
            yield PgConnection(con)
        return
    import duckdb

    with duckdb.connect(str(target)) as con:
        yield con


def column_names(con, table: str) -> list[str]:
    """The columns of `table` in the connection's current schema (both engines)."""
    rows = con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                       "AND table_schema = current_schema() ORDER BY ordinal_position", [table]).fetchall()
    return [r[0] for r in rows]


def target_of(db) -> str:
    """What to pass as --db to reach the same database as the facade `db` (the file, or the URL with password)."""
    return str(db.path) if db.path is not None else db.store.engine.url
