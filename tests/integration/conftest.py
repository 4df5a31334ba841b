"""Fixtures of the integration tests beyond the shared ones: the dashboard in-process, the results book, the
régua's database."""

from __future__ import annotations

import pytest
from support.e2e_helpers import FILTER_1_10
from support.regua_helpers import regua_db
from support.results_fixture import build_book


@pytest.fixture
def app(known_db):
    """The dashboard (no browser) on the known database, ANA answering, on "Vencidas de 1 a 10 dias"."""
    from cobranca.dashboard import build_app

    board = build_app(known_db)
    board.state.responsible = "ANA"
    board.filters.dropdown.label = FILTER_1_10
    return board


@pytest.fixture
def book(db_path, monkeypatch):
    """The hand-computed book of the results tests (support/results_fixture.py), on the test's engine."""
    return build_book(db_path, monkeypatch)


@pytest.fixture
def rdb(db_path):
    """Receivables around 08/06/2020, each customer on a known step of the default régua (support/regua_helpers)."""
    return regua_db(db_path)
