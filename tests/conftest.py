"""Shared fixtures: real DuckDB files in temporary folders, built from known receivables."""

from __future__ import annotations

import os

import pytest
from support import pg_helpers
from support.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: F401 - until the split: flat files import them here
from support.known import (  # noqa: F401 - until the split: flat files import these from conftest
    AS_OF,
    COMPANY_NOW,
    COMPANY_TZ,
    ENGINES,
    KNOWN_RECEIVABLES,
    clock_now,
    clock_today,
    receivables_frame,
)
from support.smtp_helpers import smtp_server  # noqa: F401 - a fixture every test file may use

from cobranca import open_db
from cobranca.core import clock

# Legal contact hours are checked against this moment (a Monday, 10:00 in São Paulo), not the machine clock,
# so that tests sending messages pass on Sundays and at night; subprocesses (CLI, Voila) inherit it.
os.environ.setdefault("COBRANCA_NOW", "2026-11-30T10:00:00-03:00")


@pytest.fixture
def company_today(monkeypatch):
    """The company's clock at COMPANY_NOW (AS_OF, a Monday at 10:00 in São Paulo, inside the legal hours)."""
    monkeypatch.setenv(clock.CLOCK_ENV, COMPANY_NOW)
    return AS_OF



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
    """A throwaway PostgreSQL 15 cluster for this test process (see pg_helpers.py), stopped at the end."""
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
    """A fresh database holding KNOWN_RECEIVABLES."""
    cob = open_db(db_path)
    cob.upsert_receivables(receivables_frame())
    return cob


@pytest.fixture
def run(db, capsys, monkeypatch):
    """`cobranca ARGS` on the known database in this process; returns (exit code, stdout, stderr)."""
    from cobranca.cli import main

    monkeypatch.setenv("COBRANCA_USER", "SUPERVISOR")

    def invoke(*args):
        code = main(["--db", pg_helpers.target_of(db), *args])
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright, one per test module (never a downloaded browser)."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
