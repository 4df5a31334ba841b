"""Shared fixtures: real DuckDB files in temporary folders, built from known receivables."""

from __future__ import annotations

import os
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pandas as pd
import pg_helpers
import pytest
from smtp_helpers import smtp_server  # noqa: F401 - a fixture every test file may use

from cobranca import open_db
from cobranca.core import clock
from cobranca.core.calendar import payable_until

# Legal contact hours are checked against this moment (a Monday, 10:00 in São Paulo), not the machine clock,
# so that tests sending messages pass on Sundays and at night; subprocesses (CLI, Voila) inherit it.
os.environ.setdefault("COBRANCA_NOW", "2026-11-30T10:00:00-03:00")

AS_OF = date(2020, 6, 8)  # the seed's example day: a Monday
COMPANY_NOW = "2020-06-08T10:00:00-03:00"  # the one test clock of `company_today`: AS_OF, 10:00 in São Paulo
COMPANY_TZ = ZoneInfo(clock.DEFAULT_TIMEZONE)


def clock_today() -> date:
    """The company's today by the one clock (COBRANCA_NOW), as the product reads it — not the server's date."""
    return clock.today(COMPANY_TZ)


def clock_now() -> datetime:
    """The company's now by the one clock, naive (the facade reads naive moments as company time)."""
    return clock.now(COMPANY_TZ).replace(tzinfo=None)


@pytest.fixture
def company_today(monkeypatch):
    """The company's clock at COMPANY_NOW (AS_OF, a Monday at 10:00 in São Paulo, inside the legal hours)."""
    monkeypatch.setenv(clock.CLOCK_ENV, COMPANY_NOW)
    return AS_OF

# (customer_code, customer, mobile, email, document, installment, due_date, amount, paid_amount)
KNOWN_RECEIVABLES = [
    ("1", "CompuFour Software", "(49) 99912-3456", "financeiro@compufour.com.br", "144", "1", date(2020, 6, 1), "1000.00", "0"),
    ("1", "CompuFour Software", "(49) 99912-3456", "financeiro@compufour.com.br", "145", "1", date(2020, 5, 20), "250.50", "50.50"),
    ("2", "José da Silva Açougue", "11987654321", "jose@example.com", "200/A", "1", date(2020, 6, 5), "89.90", "0"),
    ("2", "José da Silva Açougue", "11987654321", "jose@example.com", "200/A", "2", date(2020, 7, 5), "89.90", "0"),
    ("3", "Maria Souza ME", "+55 21 99876-5432", None, "301", "1", date(2020, 6, 8), "500.00", "0"),
    ("4", "Padaria Pão Quente", None, "padaria@example.com", "402", "1", date(2020, 3, 1), "1234.56", "0"),
    ("5", "Quitado Ltda", "11911112222", None, "500", "1", date(2020, 6, 1), "100.00", "100.00"),
]


def receivables_frame(rows=KNOWN_RECEIVABLES) -> pd.DataFrame:
    """Rows in the shape `Store.upsert_receivables` takes."""
    records = []
    for code, name, mobile, email, doc, inst, due, amount, paid in rows:
        records.append({
            "customer_key": f"code:{code}", "customer_code": code, "customer": name, "tax_id": None,
            "mobile": mobile, "phone": None, "email": email, "document": doc, "installment": inst,
            "issue_date": None, "due_date": due, "payable_until": payable_until(due), "amount": amount,
            "paid_amount": paid, "paid_date": None, "description": f"Venda {doc}",
        })
    return pd.DataFrame(records)


ENGINES = ("duckdb", "postgres")  # a test file sets `ENGINES = conftest.ENGINES` to run on both


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


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright, one per test module (never a downloaded browser)."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as pw:
        # A Brazilian analyst's browser: LANG makes Chromium draw date fields as dd/mm/aaaa (with chromium-l10n).
        env = {**os.environ, "LANG": "pt_BR.UTF-8", "LANGUAGE": "pt_BR"}
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, "--lang=pt-BR"], env=env)
        yield chromium
        chromium.close()
