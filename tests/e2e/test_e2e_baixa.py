"""End to end in a real Chromium: the "Baixas" section — upload a return file, preview, confirm, the row leaves
the list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from support.bank_files import cnab400
from support.browser import Dashboard, playwright_api
from support.known import ENGINES

from cobranca import open_db

pytestmark = pytest.mark.browser
SERVER_ENGINES = ENGINES  # once on a server over a DuckDB file, once over PostgreSQL (e2e/conftest.py)


def test_upload_preview_confirm_and_the_row_leaves_the_list(browser, server):
    dash = Dashboard(browser, server["url"])
    try:
        page = dash.page
        dash.choose_filter("(Todas as vencidas e vencendo hoje)")
        playwright_api.expect(dash.row("144")).to_be_visible()
        page.get_by_text("Baixas", exact=True).click()
        day = server["db"].today() - timedelta(days=1)  # the company's day, from the one clock
        data = cnab400("237", [dict(document="144/1", day=day, paid="1000.00", fee="2.00"),
                               dict(document="NADA", day=day, paid="5.00")])
        with page.expect_file_chooser() as chooser:  # the FileUpload's <input type=file> is not in the page
            page.locator("button.cobranca-baixa-upload").click()
        chooser.value.set_files(files=[{"name": "retorno.ret", "mimeType": "text/plain", "buffer": data}])
        playwright_api.expect(page.locator("button.cobranca-baixa-upload")).to_contain_text("(1)")
        dash.click("cobranca-baixa-preview")
        preview = dash.wait_text(".cobranca-baixa-report", "Pré-visualização")
        assert "Quitadas: 1" in preview and "A revisar: 1" in preview and "144 / 1" in preview
        assert open_db(server["db_path"]).baixa.review_list().empty  # the preview wrote nothing
        dash.shot("baixa-preview")
        dash.click("cobranca-baixa-confirm")
        dash.wait_text(".cobranca-baixa-report", "Baixa aplicada")
        playwright_api.expect(page.locator(".cobranca-grid tr", has_text="144 / ")).to_have_count(0)
        dash.wait_text(".cobranca-baixa-today", r"Pagos hoje: 1 \(R\$ 1\.000,00\)")
        assert "NADA" in dash.text(".cobranca-baixa-review")
        dash.shot("baixa-confirmada")
        assert dash.dialogs == []
    finally:
        dash.close()
