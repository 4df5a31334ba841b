"""End to end in a real Chromium, the dashboard's process in UTC at 22:30 in São Paulo (01:30 UTC the next day):
the title's day, the history, the list's "Último contato" and a contact recorded from the page show company time."""

from __future__ import annotations

import re
from datetime import date

import pytest
from support.browser import Dashboard, playwright_api, require_chromium, serve_dashboard
from support.e2e_helpers import FILTER_1_10, build_known_db

from cobranca import open_db

NIGHT = "2026-12-07T22:30:00-03:00"
DAY = date(2026, 12, 7)

pytestmark = [pytest.mark.browser, pytest.mark.company_now(NIGHT)]  # `company_today` of conftest.py


@pytest.fixture
def night_server(tmp_path, monkeypatch, company_today):
    """The dashboard process with TZ=UTC and the clock at 22:30 in São Paulo; a call already made at 22:30."""
    require_chromium()
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.delenv("COBRANCA_NOW_ANCHOR", raising=False)
    db_path = tmp_path / "noite.duckdb"
    db = build_known_db(db_path)
    db.settings.set("contact_hours", "livre")  # 22:30: the page may record messages in this test
    db.contacts.register_one("144", channel="Telefone", by="Ana", observation="ligou às 22h30")
    with serve_dashboard(tmp_path, db_path) as url:
        yield {"url": url, "db_path": db_path}


def _record_whatsapp(dash: Dashboard) -> None:
    dash.click("cobranca-action-contact")
    playwright_api.expect(dash.page.locator(".cobranca-contact-panel")).to_be_visible()
    dash.context.route("https://wa.me/**", lambda route: route.fulfill(status=200, body="WhatsApp (teste)"))
    with dash.page.expect_popup() as popup:
        dash.page.locator("a.cobranca-whatsapp-link").click()
    popup.value.close()
    record = dash.page.locator("button.cobranca-contact-record")
    playwright_api.expect(record).to_be_enabled()
    record.click()


def test_history_list_and_new_contacts_show_company_time(browser, night_server):
    dash = Dashboard(browser, night_server["url"])
    try:
        assert "posição de 07/12/2026" in dash.text(".cobranca-title")  # not 08/12, the server's date
        dash.choose_filter(FILTER_1_10)
        dash.wait_text(".cobranca-count", r"Mostrando 3 de 3")
        row = dash.row("144")
        playwright_api.expect(row).to_contain_text(re.compile(r"07/12/2026 22:3\d"))  # "Último contato"
        row.locator("td").first.click()
        dash.expect_selected("144")
        text = dash.wait_text(".cobranca-history-table", r"ligou às 22h30")
        assert re.search(r"07/12/2026 22:3\d", text) and "08/12/2026" not in text and "01:3" not in text
        dash.wait_text(".cobranca-kpi-contacted_today", r"^\s*Contatados hoje\s*1\s*$")  # the call was today
        _record_whatsapp(dash)  # written by the dashboard's process, whose clock is UTC
        text = dash.wait_text(".cobranca-history-table", "WhatsApp")
        assert len(re.findall(r"07/12/2026 22:3\d", text)) == 2 and "08/12/2026" not in text
        dash.click("cobranca-action-cancel")
        confirm = dash.wait_text(".cobranca-cancel-confirm", "Cancelar o contato por WhatsApp")
        assert re.search(r"07/12/2026 22:3\d", confirm) and "08/12/2026" not in confirm
        dash.shot("clock-22h30-utc-server")
    finally:
        dash.close()
    history = open_db(night_server["db_path"]).contacts.history("144")
    assert list(history["channel"]) == ["WhatsApp", "Telefone"]
    assert all(t.date() == DAY and t.hour == 22 for t in history["created_at"])  # read back in company time


def _download(dash: Dashboard, action: str, kind: str, target):
    dash.click(action)
    link = dash.page.locator(f"a.cobranca-download-{kind}")
    playwright_api.expect(link).to_be_visible(timeout=60_000)
    with dash.page.expect_download() as download_info:
        link.click()
    download_info.value.save_as(target)
    return target


def test_the_pdf_and_the_exports_made_by_the_page_show_company_time(browser, night_server, tmp_path):
    """Imprimir and Exportar in the UTC process: "Gerado em" and "Último contato" at 22:30 of the 7th."""
    from io import BytesIO

    import openpyxl
    from pypdf import PdfReader

    dash = Dashboard(browser, night_server["url"])
    try:
        dash.choose_filter(FILTER_1_10)
        dash.wait_text(".cobranca-count", r"Mostrando 3 de 3")
        pdf = _download(dash, "cobranca-action-print", "pdf", tmp_path / "lista.pdf").read_bytes()
        text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
        assert re.search(r"Gerado em 07/12/2026 22:3\d", text) and "08/12/2026" not in text
        csv = _download(dash, "cobranca-action-csv", "csv", tmp_path / "lista.csv").read_text(encoding="utf-8-sig")
        line = next(line for line in csv.splitlines() if ";144;" in f";{line};")
        assert re.search(r"07/12/2026 22:3\d", line) and "08/12/2026" not in csv and " 01:3" not in csv
        xlsx = _download(dash, "cobranca-action-xlsx", "xlsx", tmp_path / "lista.xlsx").read_bytes()
        header, *rows = openpyxl.load_workbook(BytesIO(xlsx)).active.iter_rows(values_only=True)
        column = header.index("Último contato")
        moments = [row[column] for row in rows if row[column] is not None]
        assert len(moments) == 1 and moments[0].date() == DAY and moments[0].hour == 22
    finally:
        dash.close()
