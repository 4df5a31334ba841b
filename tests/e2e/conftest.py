"""Fixtures of the browser tests: Debian's Chromium, the dashboard server on a database, one tab of it."""

from __future__ import annotations

import os

import pytest
from support.browser import CHROMIUM, CHROMIUM_ARGS, Dashboard, playwright_api, require_chromium, serve_dashboard
from support.e2e_helpers import build_known_db


def pytest_generate_tests(metafunc):
    """Modules that set `SERVER_ENGINES = known.ENGINES` run their tests once per engine, on a server of each."""
    engines = getattr(metafunc.module, "SERVER_ENGINES", None)
    if engines and "server_engine" in metafunc.fixturenames:
        metafunc.parametrize("server_engine", engines, scope="module")


@pytest.fixture(scope="module")
def server_engine():
    """The engine of the module's dashboard server: 'duckdb' unless the module sets SERVER_ENGINES."""
    return "duckdb"


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright, one per test module (never a downloaded browser)."""
    with playwright_api.sync_playwright() as pw:
        # A Brazilian analyst's browser: LANG makes Chromium draw date fields as dd/mm/aaaa (with chromium-l10n).
        env = {**os.environ, "LANG": "pt_BR.UTF-8", "LANGUAGE": "pt_BR"}
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, "--lang=pt-BR"], env=env)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def server(request, tmp_path_factory, server_engine):
    """`cobranca dashboard` (Voila) on a free port over a database of its own, stopped after the module.

    The database is a DuckDB file, or a PostgreSQL database of the test cluster when `server_engine` is
    'postgres'. It holds the known receivables (`build_known_db`) unless the module defines
    `seed_dashboard(db_path)`, which fills it and returns its Cobranca. Yields {"url", "db_path", "folder", "db"}
    (db_path: the file, or the URL)."""
    require_chromium()
    folder = tmp_path_factory.mktemp(request.module.__name__.removeprefix("test_"))
    if server_engine == "postgres":
        db_path = request.getfixturevalue("pg_cluster").database()
    else:
        db_path = folder / "cobranca.duckdb"
    db = getattr(request.module, "seed_dashboard", build_known_db)(db_path)
    with serve_dashboard(folder, db_path) as url:
        yield {"url": url, "db_path": db_path, "folder": folder, "db": db}


@pytest.fixture
def dash(browser, server):
    """One tab (one kernel) of the module's dashboard, closed after the test."""
    board = Dashboard(browser, server["url"])
    yield board
    board.close()
