"""End to end in Chromium: the Resultados pane and the customer view of `cobranca dashboard`, with screenshots;
a lease taken by another process shows as "Em atendimento por Ana" after refresh, and the page's own lease
is seen by that process."""

from __future__ import annotations

from datetime import timedelta

import pytest
from support.browser import Dashboard
from support.e2e_helpers import build_known_db, known_rows
from support.known import clock_now, clock_today, receivables_frame

from cobranca import open_db

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")


def seed_dashboard(db_path):
    """The known database with two contacts and 144 paid today (the `server` of e2e/conftest.py)."""
    db = build_known_db(db_path)
    db.contacts.register_one("144", channel="WhatsApp", by="Ana", at=clock_now() - timedelta(days=2))
    db.contacts.register_one("301", channel="Telefone", by="Bia", at=clock_now() - timedelta(days=1))
    paid = receivables_frame(known_rows())
    paid.loc[paid["document"] == "144", ["paid_amount", "paid_date"]] = ["1000.00", clock_today()]
    db.receivables.upsert(paid)
    return db




def test_results_pane_and_customer_view(browser, server):
    dash = Dashboard(browser, server["url"])
    try:
        page = dash.page
        dash.choose_filter("(Todas as vencidas e vencendo hoje)")
        page.locator(".cobranca-more").get_by_text("Resultados", exact=True).click()
        for css in ("aging", "trend", "recovered", "contacts"):
            page.wait_for_function(f"document.querySelector('img.cobranca-results-{css}')?.naturalWidth > 100")
        text = dash.wait_text(".cobranca-results-indicators", "Recuperado até 7 dias após contato")
        assert "1 conta, R$ 1.000,00" in text  # 144 paid today, WhatsApp by Ana two days before
        dash.shot("20-resultados")
        page.locator(".cobranca-results").screenshot(path=str(dash.shot("20-resultados").parent / "20-painel.png"))
        page.locator(".cobranca-more").get_by_text("Resultados", exact=True).click()  # close it

        other = open_db(server["db_path"], analyst="Ana")
        customer = other.customers.find("3")["id"]  # Maria Souza ME (301)
        other.portfolio.take_lease(customer)  # Ana, in another process, opens Maria's contact form
        dash.click("cobranca-refresh")
        dash.wait_text(".cobranca-alerts", "Lista atualizada")
        dash.click_row(1, "301")
        page.locator(".cobranca-more").get_by_text("Cliente", exact=True).click()  # the section, not the column
        header = dash.wait_text(".cobranca-customer-header", "Maria Souza ME")
        assert "Em atendimento por Ana" in header
        dash.wait_text(".cobranca-customer-receivables", "Total")
        dash.wait_text(".cobranca-customer-history", "Telefone")
        dash.shot("21-cliente")
        page.locator(".cobranca-customer").screenshot(path=str(dash.shot("21-cliente").parent / "21-painel.png"))
        rows = other.worklists.rows(None)
        assert set(rows.loc[rows["document"] == "301", "in_service_by"]) == {"SUPERVISOR"}  # the page's lease
        assert dash.dialogs == []
    finally:
        dash.close()
