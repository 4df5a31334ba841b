"""Two servers, one PostgreSQL database (issue 22): two Voila processes on different ports stand for two machines.

A contact registered in a tab of server A shows in a tab of server B after "Atualizar" (row green, history), a
lease taken on one is shown on the other ("Em atendimento por …"), "Próximo cliente" pressed by analyst A on one
and by B on the other hands them different customers, and two `cobranca regua run --yes` processes
against the same database send each e-mail once.
"""

from __future__ import annotations

import re

import pytest
from support.browser import Dashboard, require_chromium, serve_dashboard
from support.e2e_helpers import FILTER_1_10, build_known_db
from support.pg_helpers import PASSWORD
from support.regua_once_helpers import Slow, cli_run, figures, many_db
from support.smtp_helpers import configure, serving
from test_e2e_claims import as_analyst, two_analysts_take_the_next_customer

from cobranca import open_db

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect


@pytest.fixture(scope="module")
def servers(pg_cluster, tmp_path_factory):
    """Server A (analyst ANA) and server B (analyst BIA), two processes on one PostgreSQL database."""
    require_chromium()
    folder = tmp_path_factory.mktemp("two-servers")
    url = pg_cluster.database()
    build_known_db(url)
    with serve_dashboard(folder, url, user="ANA") as a, serve_dashboard(folder, url, user="BIA") as b:
        assert a != b
        yield {"a": a, "b": b, "db": url, "folder": folder}


def test_both_servers_name_the_database_without_its_password(servers):
    logs = [path.read_text() for path in servers["folder"].glob("server-*.log")]
    assert len(logs) == 2 and all("(banco: postgresql://postgres:***@127.0.0.1:" in log for log in logs), logs
    assert not any(PASSWORD in log for log in logs)


def _ready(board: Dashboard) -> Dashboard:
    board.choose_filter(FILTER_1_10)
    board.wait_text(".cobranca-count", r"Mostrando 3 de 3")
    return board


def _refresh(board: Dashboard) -> None:
    board.click("cobranca-refresh")
    board.wait_text(".cobranca-alerts", "Lista atualizada")


def _register_whatsapp(board: Dashboard, position: int, document: str) -> None:
    """Open the row's contact form (which claims the customer), open WhatsApp (stubbed at wa.me) and record it
    (which gives the claim back)."""
    board.click_row(position, document)
    board.click("cobranca-action-contact")
    expect(board.page.locator(".cobranca-contact-panel")).to_be_visible()
    board.context.route("https://wa.me/**", lambda route: route.fulfill(status=200, body="WhatsApp (teste)"))
    with board.page.expect_popup() as popup:
        board.page.locator("a.cobranca-whatsapp-link").click()
    popup.value.close()
    record = board.page.locator("button.cobranca-contact-record")
    expect(record).to_be_enabled()
    record.click()
    board.wait_text(".cobranca-history-table", "WhatsApp")


def test_a_contact_and_a_lease_on_server_a_show_on_server_b_after_refresh(browser, servers):
    tab_a, tab_b = _ready(Dashboard(browser, servers["a"])), _ready(Dashboard(browser, servers["b"]))
    try:
        _register_whatsapp(tab_a, 0, "144")
        assert "ANA" in tab_a.text(".cobranca-history-table")
        assert not tab_b.contacted("144")  # B has not re-read the list yet
        _refresh(tab_b)
        expect(tab_b.row("144")).to_have_class(re.compile(r"\bcontacted\b"))
        expect(tab_b.row("144")).not_to_contain_text("Em atendimento")  # registering gave A's claim back
        expect(tab_b.page.locator(".cobranca-kpi-contacted_today")).to_contain_text("1")
        tab_b.click_row(0, "144")
        history = tab_b.wait_text(".cobranca-history-table", "WhatsApp")
        assert "ANA" in history
        tab_b.shot("40-servidor-b-ve-o-contato-do-a")

        tab_b.click_row(1, "200/A")  # B opens José's contact form: a lease A sees after its refresh
        tab_b.click("cobranca-action-contact")
        expect(tab_b.page.locator(".cobranca-contact-panel")).to_be_visible()
        _refresh(tab_a)
        expect(tab_a.row("200/A")).to_contain_text("Em atendimento por BIA")
        expect(tab_a.row("144")).not_to_contain_text("Em atendimento")  # given back when A registered the contact
        tab_a.shot("41-servidor-a-ve-o-atendimento-do-b")
        assert tab_a.dialogs == [] and tab_b.dialogs == []
    finally:
        tab_a.close()
        tab_b.close()
    stored = open_db(servers["db"]).contacts.history("144", "1")
    assert list(stored["channel"]) == ["WhatsApp"] and list(stored["responsible"]) == ["ANA"]


def test_next_customer_on_two_servers_gives_each_analyst_their_own(browser, servers):
    tab_a = as_analyst(Dashboard(browser, servers["a"]), "ANA")
    tab_b = as_analyst(Dashboard(browser, servers["b"]), "BIA")
    try:
        two_analysts_take_the_next_customer(tab_a, tab_b, servers["db"], "52-proximo-cliente-dois-servidores")
    finally:
        tab_a.close()
        tab_b.close()


def test_two_regua_runs_on_one_postgresql_send_each_email_once(pg_cluster):
    count = 10
    url = pg_cluster.database()

    with serving(Slow(delay=0.2)) as server:
        db = many_db(url, count)
        configure(db, server.port)
        runs = [cli_run(url), cli_run(url)]  # started together: one sends, the other waits or finds it done
        outs = [p.communicate(timeout=300) for p in runs]
        assert [p.returncode for p in runs] == [0, 0], outs
        numbers = figures(server, db)
    assert numbers["e-mails"] == count and numbers["customers mailed twice"] == 0, numbers
    assert numbers["recorded sent"] == count and numbers["duplicate log pairs"] == 0, numbers
