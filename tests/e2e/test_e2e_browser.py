"""End to end in a real Chromium: `cobranca dashboard` (Voila) on a known database, driven by Playwright.

The worklist is an HTML table: rows are clicked by their `data-row` and the selection is read back
from the side panel that mirrors it. Screenshots of the main states go to artifacts/screenshots/.
"""

from __future__ import annotations

import re
import sys
import time
from datetime import timedelta
from io import BytesIO
from urllib.parse import unquote

import pytest
from support.browser import (
    Dashboard,
    _plain,
    _start,
    playwright_api,
)
from support.e2e_helpers import FILTER_1_10, XSS_NAME
from support.known import clock_today

from benchmarks.browser import stop_server
from benchmarks.measure import free_port
from cobranca.core import formatting as fmt

pytestmark = pytest.mark.browser


def test_page_loads_and_filter_switch(dash, server):
    assert "Gerenciamento de cobranças" in dash.text(".cobranca-title")
    assert "CompuFour Cobranças" in dash.text(".cobranca-company")
    assert f"posição de {fmt.day(clock_today())}" in dash.text(".cobranca-title")
    switch = dash.choose_filter(FILTER_1_10)
    dash.wait_text(".cobranca-count", r"Mostrando 3 de 3")
    dash.wait_text(".cobranca-kpi-receivables", r"3")
    dash.shot("01-lista-vencidas-1-a-10")
    print(f"\nprimeira renderização {dash.load_seconds:.2f} s; troca de filtro {switch:.2f} s")
    assert dash.dialogs == []


def test_whatsapp_opens_wa_me_records_on_confirmation_and_cancel_asks(dash, server):
    from cobranca import open_db

    db = open_db(server["db_path"])
    expected = db.worklists.rows(FILTER_1_10).iloc[0]
    assert expected["document"] == "144"
    dash.choose_filter(FILTER_1_10)
    dash.wait_text(".cobranca-count", r"Mostrando 3 de 3")
    dash.click_row(0, "144")
    dash.wait_text(".cobranca-history", "Nenhum contato registrado")
    dash.click("cobranca-action-contact")
    playwright_api.expect(dash.page.locator(".cobranca-contact-panel")).to_be_visible()
    message = dash.page.locator(".cobranca-contact-message textarea")
    playwright_api.expect(message).to_have_value(re.compile(re.escape(fmt.brl(expected["updated_amount"]))))
    assert dash.page.locator(".cobranca-contact-to input").input_value() == "(49) 99912-3456"
    record = dash.page.locator("button.cobranca-contact-record")
    playwright_api.expect(record).to_be_disabled()  # nothing to record before WhatsApp was opened
    dash.shot("02-registrar-contato")

    link = dash.page.locator("a.cobranca-whatsapp-link")
    assert link.get_attribute("target") == "_blank" and "noopener" in link.get_attribute("rel")
    dash.context.route("https://wa.me/**", lambda route: route.fulfill(status=200, body="WhatsApp (teste)"))
    with dash.page.expect_popup() as popup_info:  # "Enviar pelo WhatsApp": wa.me in a new tab
        link.click()
    popup = popup_info.value
    popup.wait_for_load_state()
    href = link.get_attribute("href")
    assert href.startswith("https://wa.me/5549999123456?text=")
    assert fmt.brl(expected["updated_amount"]) in unquote(href.split("?text=", 1)[1])
    assert popup.url.startswith("https://wa.me/5549999123456?text=")  # the tab the analyst sends from
    popup.close()
    assert db.contacts.history("144", "1").empty  # opening WhatsApp records nothing
    dash.wait_text(".cobranca-kpi-contacted_today", r"^\s*Contatados hoje\s*0\s*$")
    playwright_api.expect(record).to_be_enabled()
    record.click()
    dash.wait_text(".cobranca-kpi-contacted_today", r"^\s*Contatados hoje\s*1\s*$")
    dash.wait_text(".cobranca-history-table", "WhatsApp")
    assert "SUPERVISOR" in dash.text(".cobranca-history-table")
    assert db.contacts.history("144", "1").iloc[0]["channel"] == "WhatsApp"
    dash.shot("03-whatsapp-registrado-e-historico")
    dash.click_row(1, "200/A")  # move the selection away to see the row's own colour
    playwright_api.expect(dash.row("144")).to_have_class(re.compile(r"\bcontacted\b"))
    assert not dash.contacted("666")
    green = dash.row("144").locator("td").first.evaluate("td => getComputedStyle(td).backgroundColor")
    assert green == "rgb(200, 247, 197)"  # CONTACTED_COLOUR
    dash.shot("04-linha-verde-contatada")

    dash.click_row(0, "144")
    dash.wait_text(".cobranca-history-table", "WhatsApp")
    dash.click("cobranca-action-cancel")
    dash.wait_text(".cobranca-cancel-confirm", "Cancelar o contato por WhatsApp")
    dash.shot("05-cancelar-pergunta")
    dash.click("cobranca-cancel-confirm-yes")
    dash.wait_text(".cobranca-history", "Nenhum contato registrado")
    dash.wait_text(".cobranca-kpi-contacted_today", r"^\s*Contatados hoje\s*0\s*$")
    playwright_api.expect(dash.page.locator("button.cobranca-action-cancel")).to_be_disabled()
    dash.click_row(1, "200/A")
    playwright_api.expect(dash.row("144")).not_to_have_class(re.compile(r"\bcontacted\b"))
    assert dash.dialogs == []


def test_filter_create_edit_delete(dash):
    page = dash.page
    dash.click("cobranca-filter-add")
    page.fill(".cobranca-filter-description input", "Atraso médio")
    page.fill(".cobranca-filter-min-days input", "30")
    page.fill(".cobranca-filter-max-days input", "5")
    page.locator(".cobranca-filter-max-days input").press("Tab")
    dash.click("cobranca-filter-save")
    dash.wait_text(".cobranca-filter-error", "Intervalo inválido")
    dash.shot("06-filtro-erro-inline")
    assert page.locator(".cobranca-filter-form").is_visible()
    page.fill(".cobranca-filter-min-days input", "11")
    page.fill(".cobranca-filter-max-days input", "200")
    page.locator(".cobranca-filter-max-days input").press("Tab")
    page.select_option(".cobranca-filter-channel select", label="Telefone")
    dash.click("cobranca-filter-save")
    dash.wait_text(".cobranca-alerts", "Filtro 'Atraso médio' gravado")
    dash.wait_text(".cobranca-count", r"Mostrando 2 de 2")  # Maria (20 dias) e Padaria (100 dias)
    assert _plain(page.locator(".cobranca-filter-dropdown select option:checked").inner_text()) == "Atraso médio"

    dash.click("cobranca-filter-edit")
    playwright_api.expect(page.locator(".cobranca-filter-description input")).to_have_value("Atraso médio")
    page.fill(".cobranca-filter-max-days input", "50")
    page.locator(".cobranca-filter-max-days input").press("Tab")
    dash.click("cobranca-filter-save")
    dash.wait_text(".cobranca-count", r"Mostrando 1 de 1")
    dash.shot("07-filtro-alterado")

    dash.click("cobranca-filter-delete")
    dash.wait_text(".cobranca-filter-confirm", "Excluir o filtro")
    dash.click("cobranca-filter-confirm-yes")
    dash.wait_text(".cobranca-alerts", "excluído")
    options = [_plain(o) for o in page.locator(".cobranca-filter-dropdown select option").all_inner_texts()]
    assert FILTER_1_10 in options
    assert "Atraso médio" not in options
    assert dash.dialogs == []


def test_print_downloads_a_pdf_that_opens(dash, tmp_path):
    from pypdf import PdfReader

    dash.choose_filter(FILTER_1_10)
    dash.wait_text(".cobranca-count", r"Mostrando 3 de 3")
    dash.click("cobranca-action-print")
    link = dash.page.locator("a.cobranca-download-pdf")
    playwright_api.expect(link).to_be_visible()
    with dash.page.expect_download() as download_info:
        link.click()
    target = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(target)
    assert target.suffix == ".pdf"
    data = target.read_bytes()
    assert data.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)
    assert "CompuFour Software" in text
    dash.shot("08-pdf-pronto")


ENGLISH = {"sort", "ascending", "descending", "filter", "select", "all", "clear", "copy", "save", "selection",
           "columns", "value", "condition", "apply", "cancel", "upload", "loading", "close", "submit", "none",
           "yes", "no", "true", "false", "search", "next", "previous", "error", "warning", "nan", "reset", "by"}


def _english_words(page) -> set[str]:
    words = re.findall(r"[A-Za-zÀ-ÿ]+", page.locator("body").inner_text())
    return {w for w in words if w.lower() in ENGLISH}


def test_grid_controls_are_pt_br_sort_by_header_and_select_the_clicked_row(dash):
    dash.choose_filter(FILTER_1_10)
    dash.wait_text(".cobranca-count", r"Mostrando 3 de 3")
    page = dash.page
    page.locator(".cobranca-grid th", has_text="Cliente").first.click()
    dash.wait_text(".cobranca-sort", "Ordem: Cliente \\(crescente\\)")
    dash.click_row(0, "666")  # "<img ..." sorts before "CompuFour": first on screen, third in the data
    dash.click_row(1, "144")
    dash.shot("09-grade-ordenada-por-cliente")
    page.locator(".cobranca-grid th", has_text="Valor atualizado").first.click()  # Saldo: behind "Colunas"
    dash.wait_text(".cobranca-sort", "Ordem: Valor atualizado \\(crescente\\)")
    playwright_api.expect(page.locator(".cobranca-grid tbody tr").first).to_contain_text("666 / ")
    page.locator(".cobranca-grid tbody tr td").nth(2).click(button="right")  # no English context menu either
    page.wait_for_timeout(300)
    dash.shot("13-sem-ingles-na-pagina")
    assert _english_words(page) == set()


def test_keyboard_moves_the_selection_and_enter_opens_the_contact_form(dash):
    dash.choose_filter(FILTER_1_10)
    dash.wait_text(".cobranca-count", r"Mostrando 3 de 3")
    dash.click_row(0, "144")
    dash.page.locator(".cobranca-grid").hover()
    dash.page.keyboard.press("ArrowDown")  # the mouse rests over the table
    dash.expect_selected("200/A")
    dash.page.keyboard.press("ArrowDown")
    dash.expect_selected("666")
    dash.page.keyboard.press("ArrowUp")
    dash.expect_selected("200/A")
    dash.page.keyboard.press("Enter")
    playwright_api.expect(dash.page.locator(".cobranca-contact-panel")).to_be_visible()
    dash.wait_text(".cobranca-contact-panel", "Registrar contato")
    dash.shot("14-teclado-enter")


def test_layout_keeps_the_grid_in_place_beside_the_side_panel(dash):
    dash.choose_filter(FILTER_1_10)
    dash.wait_text(".cobranca-count", r"Mostrando 3 de 3")
    page_box = ("() => { const r = document.querySelector('.cobranca-grid').getBoundingClientRect();"
                " const app = document.querySelector('.cobranca-app').getBoundingClientRect();"
                " return [r.left - app.left, r.top - app.top, r.width, r.height]; }")  # in the page (Voila scrolls a div)
    before = dash.page.evaluate(page_box)
    dash.click_row(0, "144")
    dash.click("cobranca-action-contact")
    playwright_api.expect(dash.page.locator(".cobranca-contact-panel")).to_be_visible()
    dash.click("cobranca-action-print")
    playwright_api.expect(dash.page.locator("a.cobranca-download-pdf")).to_be_visible(timeout=60_000)
    assert dash.page.evaluate(page_box) == before  # nothing pushed the grid nor moved it under the mouse
    after = dash.grid_box()
    side = dash.page.locator(".cobranca-side").first.bounding_box()
    assert side["x"] >= after["x"] + after["width"] - 1  # the panel is beside the grid, not above it
    assert after["height"] >= 300 and after["width"] >= 600  # the grid uses the free space
    for css in ("cobranca-action-contact", "cobranca-action-comment", "cobranca-action-cancel",
                "cobranca-contact-close", "cobranca-action-print"):
        cut = dash.page.evaluate(
            "(css) => { const b = document.querySelector('button.' + css); return b.scrollWidth > b.clientWidth + 1; }",
            css)
        assert not cut, css  # no "Fec…"
    dash.shot("15-layout-painel-lateral")


def test_past_reference_date_shows_analysis_mode_and_blocks_sending(dash):
    dash.choose_filter(FILTER_1_10)
    dash.wait_text(".cobranca-count", r"Mostrando 3 de 3")
    past = clock_today() - timedelta(days=3)  # the three rows are still 3 to 6 days overdue then
    dash.page.fill(".cobranca-as-of input", past.isoformat())
    dash.page.locator(".cobranca-as-of input").press("Tab")
    dash.wait_text(".cobranca-analysis", "Modo de análise")
    dash.wait_text(".cobranca-title", re.escape(fmt.day(past)))
    dash.wait_text(".cobranca-count", r"Mostrando 3 de 3")
    dash.click_row(0, "144")
    playwright_api.expect(dash.page.locator("button.cobranca-action-contact")).to_be_disabled()
    playwright_api.expect(dash.page.locator("button.cobranca-action-comment")).to_be_enabled()
    dash.shot("16-modo-de-analise")
    dash.click("cobranca-back-to-today")
    playwright_api.expect(dash.page.locator(".cobranca-analysis")).to_be_hidden()
    dash.wait_text(".cobranca-title", re.escape(fmt.day(clock_today())))
    playwright_api.expect(dash.page.locator("button.cobranca-action-contact")).to_be_enabled()


def test_search_filters_grid_counts_export_and_print_alike(dash, tmp_path):
    from pypdf import PdfReader

    dash.choose_filter(FILTER_1_10)
    dash.wait_text(".cobranca-count", r"Mostrando 3 de 3")
    dash.page.fill(".cobranca-search input", "silva")
    dash.page.locator(".cobranca-search input").press("Enter")
    dash.wait_text(".cobranca-count", r"Mostrando 1 de 1")
    dash.wait_text(".cobranca-kpi-receivables", r"^\s*Contas\s*1\s*$")
    dash.wait_text(".cobranca-filter-summary", "cliente contendo “silva”")
    dash.click("cobranca-action-csv")
    link = dash.page.locator("a.cobranca-download-csv")
    playwright_api.expect(link).to_be_visible(timeout=60_000)
    with dash.page.expect_download() as download_info:
        link.click()
    target = tmp_path / "lista.csv"
    download_info.value.save_as(target)
    lines = target.read_text(encoding="utf-8-sig").strip().splitlines()
    assert len(lines) == 2 and "José da Silva Açougue" in lines[1]
    dash.click("cobranca-action-print")
    pdf_link = dash.page.locator("a.cobranca-download-pdf")
    playwright_api.expect(pdf_link).to_be_visible(timeout=60_000)
    with dash.page.expect_download() as download_info:
        pdf_link.click()
    pdf = tmp_path / "lista.pdf"
    download_info.value.save_as(pdf)
    text = "\n".join(p.extract_text() for p in PdfReader(str(pdf)).pages)
    assert "José da Silva Açougue" in text and "CompuFour Software" not in text
    dash.shot("17-busca-contagem-exportacao")


def test_html_in_customer_name_is_shown_as_text(dash):
    dash.choose_filter(FILTER_1_10)
    dash.wait_text(".cobranca-count", r"Mostrando 3 de 3")
    dash.click_row(2, "666")
    assert dash.text(".cobranca-selected-customer") == XSS_NAME
    dash.wait_text(".cobranca-history", "documento 666 / 1")
    assert XSS_NAME in dash.text(".cobranca-grid")  # shown as text in the table too
    dash.click("cobranca-action-contact")
    playwright_api.expect(dash.page.locator(".cobranca-contact-message textarea")).to_have_value(
        re.compile(re.escape(f"Olá, {XSS_NAME}!")))
    assert dash.page.locator(".cobranca-app img[src='x']").count() == 0
    dash.page.wait_for_timeout(500)
    dash.shot("10-nome-com-html")
    assert dash.dialogs == []


def test_two_tabs_see_each_other_after_refresh(browser, server, dash):
    other = Dashboard(browser, server["url"])
    try:
        for board in (dash, other):
            board.choose_filter(FILTER_1_10)
            board.wait_text(".cobranca-count", r"Mostrando 3 de 3")
        dash.click_row(1, "200/A")
        dash.click("cobranca-action-comment")
        dash.page.fill(".cobranca-comment-text textarea", "Visualizou e não respondeu.")
        dash.click("cobranca-comment-save")
        dash.wait_text(".cobranca-history-table", "Visualizou e não respondeu.")
        other.click_row(1, "200/A")
        other.wait_text(".cobranca-history", "Visualizou e não respondeu.")  # selection reads the history anew
        other.click("cobranca-refresh")
        other.wait_text(".cobranca-alerts", "Lista atualizada")
        other.wait_text(".cobranca-history-table", "Visualizou e não respondeu.")
    finally:
        other.close()


def test_charts_and_import_upload(dash, server):
    from cobranca import open_db

    page = dash.page
    dash.choose_filter("(Todas as vencidas e vencendo hoje)")
    dash.wait_text(".cobranca-count", r"Mostrando 5 de 5")
    page.get_by_text("Gráficos").click()
    for css in ("cobranca-chart-aging", "cobranca-chart-contacts"):
        page.wait_for_function(f"document.querySelector('img.{css}')?.naturalWidth > 100")
    dash.shot("11-graficos")
    page.get_by_text("Importar arquivo").click()
    header = "Cliente;Documento;Parcela;Vencimento;Valor\n"
    data = (header + "Nova Loja;9001;1;01/06/2020;1.500,00\nLoja;9002;1;31/02/2020;<b>abc</b>\n").encode()
    before = open_db(server["db_path"]).receivables.counts()
    with page.expect_file_chooser() as chooser:  # the FileUpload's <input type=file> is not in the page
        page.locator("button.cobranca-import-upload").click()
    chooser.value.set_files(files=[{"name": "contas.csv", "mimeType": "text/csv", "buffer": data}])
    playwright_api.expect(page.locator("button.cobranca-import-upload")).to_contain_text("(1)")
    dash.click("cobranca-import-run")
    report = dash.wait_text(".cobranca-import-report", "linha 3")
    assert "31/02/2020" in report and "'<b>abc</b>'" in report  # the bad value, shown as text
    assert open_db(server["db_path"]).receivables.counts() == before
    dash.shot("12-importacao-com-erros")
    assert dash.dialogs == []


def test_kernel_of_a_closed_tab_is_culled(browser, server):
    """Voila keeps a kernel per page load; the shipped culling settings stop it once its tab is gone.

    With preheating one more kernel waits in the pool for the next page (busy in `wait_for_request`,
    so never culled): a tab open means 2 kernels, and 1 once the tab's kernel was culled.
    """
    import psutil

    from cobranca.cli import serve

    port = free_port()
    fast_culling = ["--MappingKernelManager.cull_idle_timeout=3", "--MappingKernelManager.cull_interval=1"]
    command = [sys.executable, "-m", "voila", *serve.voila_argv("127.0.0.1", port, open_browser=False), *fast_culling]
    proc = _start(command, server["folder"], server["db_path"], port)
    try:
        def kernels() -> int:
            count = 0
            for child in psutil.Process(proc.pid).children(recursive=True):
                try:
                    count += "ipykernel" in " ".join(child.cmdline())
                except (psutil.NoSuchProcess, psutil.ZombieProcess):  # a kernel exiting right now
                    pass
            return count

        board = Dashboard(browser, f"http://127.0.0.1:{port}/")
        deadline = time.monotonic() + 60
        while kernels() < 2 and time.monotonic() < deadline:  # the pool refills after the page took its kernel
            time.sleep(0.5)
        board.page.wait_for_timeout(5000)  # idle for longer than the timeout, but connected
        assert kernels() == 2
        board.close()
        deadline = time.monotonic() + 30
        while kernels() > 1 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert kernels() == 1  # the pool's
    finally:
        stop_server(proc)
