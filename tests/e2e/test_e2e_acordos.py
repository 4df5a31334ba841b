"""End to end in Chromium: the "Acordo" section of `cobranca dashboard` — change N and the totals follow, then
"Fechar acordo" records the agreement another process can read."""

from __future__ import annotations

import pytest
from support.browser import Dashboard
from support.known import ENGINES

from cobranca import open_db

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")
SERVER_ENGINES = ENGINES  # once on a server over a DuckDB file, once over PostgreSQL (e2e/conftest.py)


def test_simulate_change_n_and_close_an_agreement(browser, server):
    dash = Dashboard(browser, server["url"])
    try:
        page = dash.page
        dash.choose_filter("(Todas as vencidas e vencendo hoje)")
        dash.click_row(0, "402")  # Padaria Pão Quente, the most overdue
        page.locator(".cobranca-more").get_by_text("Acordo", exact=True).click()
        dash.wait_text(".cobranca-acordo-header", "Acordo com Padaria Pão Quente")
        summary = dash.wait_text(".cobranca-acordo-summary", "Parcela 3")
        assert "Parcela 4" not in summary
        expected = open_db(server["db_path"]).agreements.simulate("4", 5)[1]
        field = page.locator(".cobranca-acordo-parcelas input")
        field.fill("5")
        field.press("Enter")
        summary = dash.wait_text(".cobranca-acordo-summary", "Parcela 5")
        brl = lambda v: f"R$ {v:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")  # noqa: E731
        assert f"total do acordo {brl(expected.total)}" in summary
        assert brl(expected.installments[-1].amount) in summary
        dash.shot("30-acordo-simulado")
        dash.click("cobranca-acordo-fechar")
        dash.wait_text(".cobranca-alerts", "Acordo nº 1 fechado")
        dash.wait_text(".cobranca-acordo-existing", "Em dia")
        dash.shot("31-acordo-fechado")
        made = open_db(server["db_path"]).agreements.show(1)
        assert (len(made["installments"]), made["total"]) == (5, expected.total)
        assert dash.dialogs == []
    finally:
        dash.close()
