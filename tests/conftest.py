"""The fixtures every test folder shares: the clock, the databases (DuckDB file or PostgreSQL), the CLI, SMTP.

Browser and dashboard-server fixtures are in e2e/conftest.py; the known data and helpers in support/.
"""

from __future__ import annotations

import os
from datetime import datetime

import pytest
from support import pg_helpers
from support.e2e_helpers import build_known_db
from support.known import AS_OF, COMPANY_NOW, receivables_frame
from support.smtp_helpers import Recorder, serving

from cobranca import open_db
from cobranca.core import clock

# Legal contact hours are checked against this moment (a Monday, 10:00 in São Paulo), not the machine clock,
# so that tests sending messages pass on Sundays and at night; subprocesses (CLI, Voila) inherit it.
os.environ.setdefault("COBRANCA_NOW", "2026-11-30T10:00:00-03:00")


@pytest.fixture
def company_today(request, monkeypatch):
    """The company's clock started at COMPANY_NOW (AS_OF, a Monday at 10:00 in São Paulo, inside the legal hours),
    or at the instant of the test's or module's `@pytest.mark.company_now("2026-11-30T22:30:00-03:00")`;
    returns that instant's day."""
    marker = request.node.get_closest_marker("company_now")
    moment = marker.args[0] if marker else COMPANY_NOW
    monkeypatch.setenv(clock.CLOCK_ENV, moment)
    monkeypatch.delenv(clock.ANCHOR_ENV, raising=False)  # the clock starts at `moment` now, not when an earlier test read it
    return AS_OF if moment == COMPANY_NOW else datetime.fromisoformat(moment).date()


def pytest_generate_tests(metafunc):
    """Tests of files that declare ENGINES run once per engine (the `engine` fixture); others on DuckDB only."""
    engines = getattr(metafunc.module, "ENGINES", None)
    if engines and "engine" in metafunc.fixturenames and not metafunc.definition.get_closest_marker("duckdb_only"):
        metafunc.parametrize("engine", engines)


@pytest.fixture
def engine():
    """The engine of the test's database: 'duckdb' unless the file runs on both (see ENGINES)."""
    return "duckdb"


@pytest.fixture(scope="session")
def pg_cluster():
    """A throwaway PostgreSQL 15 cluster for this test process (see support/pg_helpers.py), stopped at the end."""
    if not pg_helpers.available():
        pytest.fail(f"PostgreSQL não encontrado em {pg_helpers.PG_BIN}: rode `make test` (instala o postgresql).")
    cluster = pg_helpers.Cluster().start()
    yield cluster
    from cobranca.store import engine_postgres

    engine_postgres.close_pools()
    cluster.stop()


@pytest.fixture
def pg_url(pg_cluster):
    """A fresh, empty PostgreSQL database of the test cluster (URL with the password); its pools closed after
    the test (each database has its own pool: kept open, hundreds of tests would exhaust the server's clients)."""
    yield pg_cluster.database()
    from cobranca.store import engine_postgres

    engine_postgres.close_pools()


@pytest.fixture
def db_path(engine, request, tmp_path):
    """Where the test's database lives: a DuckDB file, or a PostgreSQL URL when the test runs on `postgres`."""
    if engine == "postgres":
        return request.getfixturevalue("pg_url")
    return tmp_path / "cobranca.duckdb"


@pytest.fixture
def db(db_path):
    """A fresh database holding KNOWN_RECEIVABLES (a file may override `db` with another book; `run` uses it)."""
    cob = open_db(db_path)
    cob.receivables.upsert(receivables_frame())
    return cob


@pytest.fixture
def known_db(db_path):
    """The dashboard's known database: `known_rows()` due some days before the clock's today (support/e2e_helpers)."""
    return build_known_db(db_path)


class CliRunner:
    """`cobranca ARGS` in this process; each call returns (exit code, stdout, stderr), a usage error (argparse's
    SystemExit) its exit code too. `run(...)` works on the test's `db`, `run.on(other, ...)` on another."""

    def __init__(self, request, capsys):
        self.request, self.capsys = request, capsys

    def __call__(self, *args):
        return self.on(self.request.getfixturevalue("db"), *args)

    def on(self, db, *args):
        from cobranca.cli import main

        try:
            code = main(["--db", pg_helpers.target_of(db), *args])
        except SystemExit as exc:
            code = exc.code
        out, err = self.capsys.readouterr()
        return code, out, err


@pytest.fixture
def run(request, capsys, monkeypatch):
    """The CLI as SUPERVISOR: `run("worklist")` on the test's `db`, `run.on(book, "results", ...)` on another."""
    monkeypatch.setenv("COBRANCA_USER", "SUPERVISOR")
    if "book" not in request.fixturenames:  # the results book lives at db's path: then `db` is never built
        request.getfixturevalue("db")  # built before the test, at the clock the test starts with
    return CliRunner(request, capsys)


@pytest.fixture
def smtp_server(request):
    """A real SMTP server on a free loopback port (aiosmtpd) keeping every message it accepts (`.messages`);
    its handler is a `Recorder`, or the class of the test's or module's `@pytest.mark.smtp_handler.with_args(Slow)` (a class alone would be decorated)."""
    marker = request.node.get_closest_marker("smtp_handler")
    with serving((marker.args[0] if marker else Recorder)()) as handler:
        yield handler
