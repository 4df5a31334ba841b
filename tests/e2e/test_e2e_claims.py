"""End to end in Chromium: "Próximo cliente" — two analysts in two tabs each get a customer of their own, the
contact form opens on it, and a customer the other analyst serves is refused ("Em atendimento por …").

It runs on a server over a DuckDB file and on one over PostgreSQL (SERVER_ENGINES); test_e2e_two_servers.py runs
the same steps on two servers sharing one PostgreSQL database (analyst A on one, B on the other).
"""

from __future__ import annotations

import re

import pytest
from support.browser import Dashboard, playwright_api
from support.known import ENGINES

from cobranca import open_db

pytestmark = pytest.mark.browser
expect = playwright_api.expect
SERVER_ENGINES = ENGINES  # once on a server over a DuckDB file, once over PostgreSQL (e2e/conftest.py)
ALL = "(Todas as vencidas e vencendo hoje)"


def as_analyst(board: Dashboard, name: str) -> Dashboard:
    """Type the analyst's name in "Responsável" and show every overdue receivable."""
    board.page.set_viewport_size({"width": 1366, "height": 768})  # the analyst's screen (docs/screen.md)
    field = board.page.locator(".cobranca-responsible input")
    if field.input_value() != name:  # a server started with COBRANCA_USER=name shows it already
        field.fill(name)
        field.press("Enter")
        board.wait_text(".cobranca-alerts", f"Responsável: {re.escape(name)}")
    board.choose_filter(ALL)
    board.wait_text(".cobranca-count", "Mostrando")
    return board


def next_free(target, analyst: str) -> str:
    """The customer "Próximo cliente" must hand `analyst` now, read through the facade: the list's first
    customer nobody else serves and nobody contacted today."""
    db = open_db(target)
    rows = db.worklists.rows(None)  # every overdue or due-today receivable, as ALL shows them
    for customer_id, rows_of in rows.groupby("customer_id", sort=False):
        held = [lease["analyst"] for lease in db.portfolio.leases(int(customer_id))]
        if not rows_of["contacted_today"].fillna(False).any() and not held:
            return str(rows_of.iloc[0]["customer"])
    raise AssertionError(f"nenhum cliente livre para {analyst}")


def press_next(board: Dashboard, customer: str) -> str:
    """Click "Próximo cliente"; wait for `customer`'s contact form; the document of the selected row."""
    board.click("cobranca-next-customer")
    form = board.page.locator(".cobranca-contact-panel")
    expect(form).to_be_visible()
    expect(form.locator(".cobranca-side-title")).to_contain_text(f"Registrar contato — {customer}")
    expect(board.page.locator(".cobranca-selected-customer")).to_have_text(customer)
    return board.page.locator(".cobranca-selected-key").get_attribute("data-document")


def close_form(board: Dashboard) -> None:
    board.click("cobranca-contact-close")
    expect(board.page.locator(".cobranca-contact-panel")).to_be_hidden()


def two_analysts_take_the_next_customer(tab_a: Dashboard, tab_b: Dashboard, target, shots: str) -> None:
    """A and B press "Próximo cliente" and get different customers; A cannot open B's; closing frees them."""
    db = open_db(target)
    first = next_free(target, "ANA")
    doc_a = press_next(tab_a, first)
    assert [lease["analyst"] for lease in db.portfolio.leases(db.customers.find(first)["id"])] == ["ANA"]
    tab_a.shot(f"{shots}-ana")
    second = next_free(target, "BIA")
    assert second != first
    doc_b = press_next(tab_b, second)
    tab_b.shot(f"{shots}-bia")
    tab_a.click("cobranca-refresh")  # A sees B's customer as taken, and opening it is refused
    tab_a.wait_text(".cobranca-alerts", "Lista atualizada")
    expect(tab_a.row(doc_b)).to_contain_text("Em atendimento por BIA")
    tab_a.row(doc_b).locator("td").first.click()
    tab_a.expect_selected(doc_b)
    tab_a.click("cobranca-action-contact")
    tab_a.wait_text(".cobranca-alerts", "Em atendimento por BIA até")
    expect(tab_a.page.locator(".cobranca-contact-panel")).to_be_hidden()
    tab_a.shot(f"{shots}-ana-recusado")
    close_form(tab_b)  # B gives the customer back: A may open it now
    tab_a.click("cobranca-action-contact")
    expect(tab_a.page.locator(".cobranca-contact-panel")).to_be_visible()
    close_form(tab_a)
    assert db.portfolio.leases(db.customers.find(second)["id"]) == []
    assert doc_a != doc_b and tab_a.dialogs == [] and tab_b.dialogs == []


def test_next_customer_gives_each_analyst_their_own(browser, server):
    tab_a = as_analyst(Dashboard(browser, server["url"]), "ANA")
    tab_b = as_analyst(Dashboard(browser, server["url"]), "BIA")
    try:
        two_analysts_take_the_next_customer(tab_a, tab_b, server["db_path"], f"50-proximo-cliente-{engine_of(server)}")
    finally:
        tab_a.close()
        tab_b.close()


def engine_of(server) -> str:
    return "postgres" if str(server["db_path"]).startswith("postgresql://") else "duckdb"
