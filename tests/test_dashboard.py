"""The dashboard's widgets without a browser: build the app on a real database, click, and check the state.

Contacts are recorded at the real clock, so these tests use today as the as-of day and the known
receivables of `e2e_helpers` (due dates counted back from today).
"""

from __future__ import annotations

import base64
import io
import logging
import re
import socket
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote

import ipywidgets as widgets
import nbformat
import openpyxl
import pandas as pd
import pytest
from e2e_helpers import FILTER_1_10, XSS_NAME, build_known_db
from nbclient import NotebookClient
from pypdf import PdfReader
from smtp_helpers import configure, free_port

from cobranca import formatting as fmt
from cobranca.cli import serve
from cobranca.dashboard import build_app, grid
from cobranca.dashboard.alerts import Alerts, guarded
from cobranca.dashboard.app import CobrancaApp
from cobranca.errors import InputError
from cobranca.headers import FIELDS

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def known_db(tmp_path):
    return build_known_db(tmp_path / "painel.duckdb")


@pytest.fixture
def app(known_db) -> CobrancaApp:
    board = build_app(known_db)
    assert isinstance(board, CobrancaApp)
    choose(board, FILTER_1_10)
    return board


def choose(app: CobrancaApp, description: str) -> None:
    app.filters.dropdown.label = description


def click_row(app: CobrancaApp, document: str) -> int:
    """What the grid sends when a row is clicked (its dataset row), for the row of `document`."""
    cells = app.worklist.grid.data
    position = int(cells.index[cells["Documento/Parcela"].str.startswith(f"{document} / ")][0])
    app.worklist.on_click({"region": "body", "column": "Cliente", "column_index": 0, "row": position,
                           "primary_key_row": position, "cell_value": cells.iloc[position]["Cliente"]})
    return position


def grid_cell(app: CobrancaApp, column: str, position: int):
    return app.worklist.grid.get_cell_value_by_index(column, position)


def link_href(html_text: str, css: str) -> str:
    match = re.search(rf'class="{css}[^"]*"[^>]*href="([^"]+)"', html_text) or re.search(
        rf'<a class="[^"]*{css}[^"]*"[^>]*?href="([^"]+)"', html_text)
    assert match, html_text
    return match.group(1).replace("&amp;", "&")


def download(app: CobrancaApp, kind: str) -> bytes:
    href = re.search(r'href="data:[^;]+;base64,([^"]+)"', app.actions.downloads.value)
    assert href and f"cobranca-download-{kind}" in app.actions.downloads.value
    return base64.b64decode(href.group(1))


# -- building --------------------------------------------------------------------------------
def test_app_shows_the_first_filter_and_switches(known_db):
    app = build_app(known_db)
    assert app.state.current_filter.description == "Vencendo hoje"
    assert app.state.total == 0 and "Nenhuma conta" in app.worklist.count.value
    assert "CompuFour Cobranças" in app.header.title.value and fmt.day(date.today()) in app.header.title.value
    assert app.header.as_of.value == date.today()
    choose(app, FILTER_1_10)
    assert app.state.total == 3
    assert list(app.worklist.grid.data["Documento/Parcela"]) == ["144 / 1", "200/A / 1", "666 / 1"]
    assert app.kpis.values == {"receivables": 3, "customers": 3, "balance": Decimal("1156.50"),
                               "updated_amount": Decimal("1183.00"), "contacted_today": 0}
    assert "R$ 1.183,00" in app.kpis.cards.value
    assert "Mostrando 3 de 3" in app.worklist.count.value


def test_grid_carries_sortable_keys_and_colour_flag(app):
    cells = app.worklist.grid.data.iloc[0]
    assert cells["Saldo"] == 100000 and cells["Valor atualizado"] == 102300  # centavos, drawn as R$ 1.023,00
    assert cells["Vencimento"] == (date.today() - timedelta(days=9)).isoformat()
    assert cells["Dias de atraso"] == 9 and cells["Contatado hoje"] == "Não"
    assert cells["Celular"] == "(49) 99912-3456"


def test_a_big_worklist_shows_the_first_rows_and_says_so(known_db, monkeypatch):
    monkeypatch.setattr(grid, "MAX_GRID_ROWS", 2)
    app = build_app(known_db)
    choose(app, "(Todas as vencidas e vencendo hoje)")
    assert app.state.total == 5 and len(app.worklist.grid.data) == 2
    assert list(app.worklist.grid.data["Dias de atraso"]) == [100, 20]  # the most overdue first
    assert "Mostrando 2 de 5 contas" in app.worklist.count.value
    assert app.kpis.values["receivables"] == 5  # KPIs cover the whole worklist


def test_date_change_reloads_and_an_empty_date_warns(app):
    app.header.as_of.value = date.today() - timedelta(days=30)  # nothing was overdue yet
    assert app.state.as_of == date.today() - timedelta(days=30)
    assert app.state.total == 0 and fmt.day(app.state.as_of) in app.header.title.value
    app.header.as_of.value = None
    assert app.alerts.kind == "warning" and "data de referência" in app.alerts.text
    assert app.state.as_of == date.today() - timedelta(days=30)


def test_database_that_cannot_be_opened_shows_a_message_not_a_traceback(tmp_path):
    bad = tmp_path / "ruim.duckdb"
    bad.write_bytes(b"isto nao e um banco duckdb" * 100)
    page = build_app(bad)
    assert not isinstance(page, CobrancaApp)
    alerts = page.children[0]
    assert alerts.kind == "error" and alerts.text.startswith("Erro inesperado ao abrir o painel")
    retry = page.children[1]
    assert retry.description == "Tentar novamente"


# -- filters ---------------------------------------------------------------------------------
def fill_form(app, **values) -> None:
    form = app.filters.form
    for name, value in values.items():
        getattr(form, name).value = value


def test_filter_create_with_inline_validation_then_edit_and_delete(app, known_db):
    filters = app.filters
    filters.add_button.click()
    assert filters.form.layout.display is None and "Incluir filtro" in filters.form.title.value
    fill_form(app, description="Atraso médio", min_days=30, max_days=5)
    filters.form.save.click()
    assert "Intervalo inválido" in filters.form.error.value
    assert filters.form.layout.display is None  # stays open with the message under it
    assert "Atraso médio" not in [f.description for f in known_db.filters()]

    fill_form(app, min_days=11, max_days=200, channel="Telefone", min_balance="100,00")
    filters.form.save.click()
    assert filters.form.layout.display == "none" and filters.form.error.value == ""
    saved = known_db.get_filter("Atraso médio")
    assert (saved.min_days, saved.max_days, saved.channel, saved.min_balance) == (11, 200, "Telefone", Decimal("100.00"))
    assert app.state.filter_id == saved.id and filters.dropdown.value == saved.id
    assert set(app.state.worklist["document"]) == {"301", "402"}
    assert "gravado" in app.alerts.text

    filters.edit_button.click()
    assert filters.form.description.value == "Atraso médio" and filters.form.min_balance.value == "100,00"
    fill_form(app, max_days=50)
    filters.form.save.click()
    assert list(app.state.worklist["document"]) == ["301"]
    assert known_db.get_filter("Atraso médio").max_days == 50

    filters.delete_button.click()
    assert filters.confirm.layout.display is None and "Atraso médio" in filters.confirm_text.value
    filters.confirm_no.click()
    assert "Atraso médio" in [f.description for f in known_db.filters()]
    filters.delete_button.click()
    filters.confirm_yes.click()
    assert "Atraso médio" not in [f.description for f in known_db.filters()]
    assert app.state.filter_id == known_db.filters()[0].id
    assert "Atraso médio" not in [label for label, _ in filters.dropdown.options]


def test_duplicate_filter_name_is_refused_inline(app):
    app.filters.add_button.click()
    fill_form(app, description=FILTER_1_10.upper(), min_days=1, max_days=2)
    app.filters.form.save.click()
    assert "Já existe um filtro" in app.filters.form.error.value


def test_all_overdue_option_cannot_be_edited(app):
    choose(app, "(Todas as vencidas e vencendo hoje)")
    assert app.filters.edit_button.disabled and app.filters.delete_button.disabled
    app.filters.on_edit(app.filters.edit_button)
    assert app.alerts.kind == "error" and "Escolha um filtro salvo" in app.alerts.text


# -- selection, contacts, history ------------------------------------------------------------
def test_selecting_a_row_mirrors_it_and_shows_its_history(app, known_db):
    known_db.register_contact("144", "1", "Telefone", observation="Cliente prometeu pagar sexta", by="ANA")
    app.state.reload()
    assert app.actions.contact_button.disabled
    click_row(app, "144")
    assert app.state.selected_key == ("144", "1")
    assert 'data-document="144"' in app.worklist.selection.value
    assert not app.actions.contact_button.disabled
    assert app.history.rows[0][1:4] == ["Telefone", "ANA", "Cliente prometeu pagar sexta"]
    assert "Cliente prometeu pagar sexta" in app.history.table.value


def test_whatsapp_contact_link_green_row_and_kpi(app, known_db):
    position = click_row(app, "144")
    app.actions.contact_button.click()
    panel = app.contact
    assert panel.layout.display is None and panel.channel.value == "WhatsApp"  # the filter's default
    assert panel.to.value == "(49) 99912-3456"
    assert "R$ 1.023,00" in panel.message.value and "CompuFour Software" in panel.message.value
    assert panel.phone_warning.value == ""
    panel.message.value += "\nObrigado!"
    panel.send_button.click()

    href = link_href(panel.result.value, "cobranca-whatsapp-link")
    assert href.startswith("https://wa.me/5549999123456?text=")
    text = unquote(href.split("?text=", 1)[1])
    assert "R$ 1.023,00" in text and text.endswith("Obrigado!")
    assert 'target="_blank" rel="noopener noreferrer"' in panel.result.value
    assert panel.send_button.layout.display == "none"  # no second record by a double click
    row = app.state.worklist.iloc[position]
    assert bool(row["contacted_today"]) and row["last_contact_channel"] == "WhatsApp"
    assert grid_cell(app, "Contatado hoje", position) == "Sim"
    assert grid_cell(app, "Forma", position) == "WhatsApp"
    assert app.kpis.values["contacted_today"] == 1
    assert app.history.rows[0][1] == "WhatsApp" and app.history.rows[0][4] == "+5549999123456"
    assert known_db.history("144", "1").iloc[0]["message"].endswith("Obrigado!")
    assert app.alerts.kind == "success"


def test_whatsapp_to_a_landline_warns_and_a_bad_number_is_refused(app, known_db):
    click_row(app, "200/A")
    app.actions.contact_button.click()
    app.contact.to.value = "(11) 3333-4444"
    assert "fixo" in app.contact.phone_warning.value
    app.contact.send_button.click()
    assert "fixo" in app.contact.result.value  # recorded, with the warning shown
    app.contact.to.value = "123"
    app.contact.send_button.click()
    assert app.alerts.kind == "error" and "Telefone inválido" in app.alerts.text
    assert len(known_db.history("200/A", "1")) == 1


def test_channel_change_rerenders_message_and_destination(app):
    click_row(app, "144")
    app.actions.contact_button.click()
    app.contact.channel.value = "E-mail"
    assert app.contact.to.description == "E-mail" and app.contact.to.value == "financeiro@compufour.com.br"
    assert app.contact.subject.layout.display is None and "144" in app.contact.subject.value
    assert app.contact.message.value.startswith("Prezado(a) CompuFour Software")
    app.contact.channel.value = "Telefone"
    assert app.contact.message.layout.display == "none" and app.contact.observation.layout.display is None
    assert app.contact.send_button.description == "Registrar"


def test_phone_call_is_recorded_with_the_observation(app, known_db):
    position = click_row(app, "666")
    app.actions.contact_button.click()
    app.contact.channel.value = "Telefone"
    app.contact.observation.value = "Atendeu, paga amanhã"
    app.contact.send_button.click()
    entry = known_db.history("666", "1").iloc[0]
    assert (entry["channel"], entry["observation"], entry["destination"]) == ("Telefone", "Atendeu, paga amanhã",
                                                                             "+5511911112222")  # stored as E.164, like every phone
    assert grid_cell(app, "Contatado hoje", position) == "Sim"


def test_email_without_smtp_offers_mailto_and_records_on_confirmation(app, known_db):
    click_row(app, "144")
    app.actions.contact_button.click()
    app.contact.channel.value = "E-mail"
    app.contact.send_button.click()
    href = link_href(app.contact.result.value, "cobranca-mailto-link")
    assert href.startswith("mailto:financeiro@compufour.com.br?subject=")
    assert known_db.history("144", "1").empty  # not before the analyst confirms
    app.contact.confirm_email.click()
    entry = known_db.history("144", "1").iloc[0]
    assert entry["channel"] == "E-mail" and "R$ 1.023,00" in entry["message"]
    assert app.kpis.values["contacted_today"] == 1


def test_email_with_smtp_is_sent_for_real_and_recorded(known_db, smtp_server):
    configure(known_db, smtp_server.port)
    app = build_app(known_db)
    choose(app, FILTER_1_10)
    position = click_row(app, "144")
    app.actions.contact_button.click()
    app.contact.channel.value = "E-mail"
    app.contact.send_button.click()
    assert app.alerts.kind == "success", app.alerts.text
    (_sender, recipients, message), = smtp_server.messages
    assert recipients == ["financeiro@compufour.com.br"]
    assert message["To"] == "financeiro@compufour.com.br" and "R$ 1.023,00" in message.get_body().get_content()
    assert known_db.history("144", "1").iloc[0]["channel"] == "E-mail"
    assert grid_cell(app, "Contatado hoje", position) == "Sim"


def test_email_to_a_dead_server_records_nothing_and_says_so(known_db):
    port = free_port()  # closed again: nothing listens there
    for key, value in {"smtp_host": "127.0.0.1", "smtp_port": str(port), "smtp_security": "none",
                       "smtp_sender": "cobranca@compufour.com.br", "smtp_timeout_seconds": "2"}.items():
        known_db.set_setting(key, value)
    app = build_app(known_db)
    choose(app, FILTER_1_10)
    click_row(app, "144")
    app.actions.contact_button.click()
    app.contact.channel.value = "E-mail"
    app.contact.send_button.click()
    assert app.alerts.kind == "error" and app.alerts.text
    assert known_db.history("144", "1").empty
    assert not app.contact.send_button.disabled  # the decorator gave the button back


def test_comment_then_cancel_last_contact(app, known_db):
    position = click_row(app, "200/A")
    app.actions.comment_button.click()
    app.comment.save_button.click()
    assert app.alerts.kind == "error" and "Digite o comentário" in app.alerts.text
    app.comment.text.value = "Visualizou e não respondeu."
    app.comment.save_button.click()
    assert app.history.rows[0][1:4] == ["Nenhum", app.state.responsible, "Visualizou e não respondeu."]
    assert grid_cell(app, "Contatado hoje", position) == "Não"  # a comment is not a contact
    assert app.comment.layout.display == "none"

    app.actions.contact_button.click()
    app.contact.send_button.click()  # WhatsApp to 11987654321
    assert grid_cell(app, "Contatado hoje", position) == "Sim" and len(app.history.rows) == 2
    app.actions.cancel_button.click()
    assert [r[1] for r in app.history.rows] == ["Nenhum"]
    assert grid_cell(app, "Contatado hoje", position) == "Não" and grid_cell(app, "Forma", position) == ""
    assert app.kpis.values["contacted_today"] == 0
    assert "Último contato cancelado: WhatsApp" in app.alerts.text
    app.actions.cancel_button.click()
    app.actions.cancel_button.click()
    assert app.alerts.kind == "error" and "Não há contato a cancelar" in app.alerts.text


def test_actions_need_a_selection(app):
    app.actions.on_contact(app.actions.contact_button)
    assert app.alerts.kind == "error" and "Selecione uma conta" in app.alerts.text


def test_panel_closes_when_another_row_is_selected(app):
    click_row(app, "144")
    app.actions.contact_button.click()
    click_row(app, "666")
    assert app.contact.layout.display == "none"


# -- print, export, charts, import -----------------------------------------------------------
def test_print_offers_the_pdf_of_the_worklist(app):
    app.actions.print_button.click()
    data = download(app, "pdf")
    assert data.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "CompuFour Software" in text and "José da Silva Açougue" in text
    assert f'download="cobrancas-{date.today().isoformat()}.pdf"' in app.actions.downloads.value


def test_export_csv_and_xlsx_parse_back(app):
    app.actions.csv_button.click()
    frame = pd.read_csv(io.BytesIO(download(app, "csv")), sep=";", encoding="utf-8-sig", dtype=str)
    assert list(frame["Documento"]) == ["144", "200/A", "666"]
    assert list(frame["Valor atualizado"]) == ["1023,00", "91,94", "68,06"]
    assert frame.loc[2, "Cliente"] == XSS_NAME  # text stays text

    app.actions.xlsx_button.click()
    sheet = openpyxl.load_workbook(io.BytesIO(download(app, "xlsx"))).active
    rows = list(sheet.values)
    header = list(rows[0])
    assert header[:4] == ["Cliente", "Código", "Documento", "Parcela"]
    saldo = header.index("Saldo")
    assert [Decimal(str(r[saldo])) for r in rows[1:]] == [Decimal("1000.00"), Decimal("89.90"), Decimal("66.60")]


def test_charts_are_drawn_when_opened(app, known_db):
    assert bytes(app.charts.aging_image.value) == b""  # not drawn while closed
    app.more.selected_index = 0
    assert bytes(app.charts.aging_image.value).startswith(b"\x89PNG")
    assert bytes(app.charts.contacts_image.value).startswith(b"\x89PNG")
    before = bytes(app.charts.contacts_image.value)
    click_row(app, "144")
    app.actions.contact_button.click()
    app.contact.send_button.click()
    assert bytes(app.charts.contacts_image.value) != before  # redrawn with today's contact


def import_csv(rows: list[dict]) -> bytes:
    header = [f.header for f in FIELDS]
    lines = [";".join(header)] + [";".join(str(r.get(h, "")) for h in header) for r in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def csv_row(**values) -> dict:
    base = {"Código Cliente": "90", "Cliente": "Nova Loja", "Documento": "9001", "Parcela": "1",
            "Vencimento": fmt.day(date.today() - timedelta(days=7)), "Valor": "1.500,00", "Celular": "(11) 98765-4321"}
    return {**base, **values}


def test_import_with_errors_shows_the_report_and_changes_nothing(app, known_db):
    before = known_db.counts()
    data = import_csv([csv_row(), csv_row(Documento="9002", Valor="<b>abc</b>")])
    app.importer.run_import(data, "contas.csv", skip_invalid=False)
    assert known_db.counts() == before
    report = app.importer.report.value
    assert "linha 3" in report and "&#x27;&lt;b&gt;abc&lt;/b&gt;&#x27;" in report  # escaped
    assert "<b>abc</b>" not in report
    assert app.alerts.kind == "error" and "não foi importado" in app.alerts.text
    assert app.importer.progress.layout.display == "none"


def test_import_of_valid_rows_reloads_the_list_and_reports_progress(app, known_db):
    steps = []
    app.importer.progress.observe(lambda change: steps.append(change["new"]), "value")
    data = import_csv([csv_row(), csv_row(Documento="9002", Valor="abc")])
    app.importer.run_import(data, "contas.csv", skip_invalid=True)
    assert "1 conta(s) nova(s)" in app.importer.report.value
    assert "9001" in set(app.state.worklist["document"])
    assert steps and app.importer.progress.value == app.importer.progress.max
    assert app.alerts.kind == "success"


def test_import_of_valid_rows_lists_every_skipped_line_with_its_reason(app):
    rows = [csv_row()] + [csv_row(Documento=f"B{i}", Valor="abc") for i in range(30)]
    app.importer.run_import(import_csv(rows), "contas.csv", skip_invalid=True)
    report = app.importer.report.value
    assert "30 linha(s) ignorada(s)" in report and "linhas-ignoradas.csv" in report
    for line in range(3, 33):
        assert f"linha {line}, coluna Valor: &#x27;abc&#x27; não é um valor monetário válido" in report


def test_import_button_without_a_file_says_what_to_do(app):
    app.importer.import_button.click()
    assert "Escolha um arquivo" in app.importer.report.value


# -- escaping, decorator, two tabs -----------------------------------------------------------
def test_html_in_customer_names_is_escaped_everywhere(app):
    click_row(app, "666")
    escaped = "&lt;img src=x onerror=alert(1)&gt;"
    for html_text in (app.worklist.selection.value, app.history.title.value):
        assert escaped in html_text and XSS_NAME not in html_text
    app.actions.contact_button.click()
    assert escaped in app.contact.info.value and XSS_NAME not in app.contact.info.value
    assert app.worklist.grid.data.loc[2, "Cliente"] == XSS_NAME  # the grid draws text on a canvas


class _Pane:
    def __init__(self):
        self.alerts = Alerts()

    @guarded
    def fails_for_the_user(self, button):
        assert button.disabled
        raise InputError("Informe a descrição do filtro.")

    @guarded
    def breaks(self, button):
        raise KeyError("Maria Souza ME")

    @guarded
    def works(self, button):
        return "ok"


def test_guarded_turns_errors_into_alerts_and_gives_the_button_back(caplog):
    pane, button = _Pane(), widgets.Button(description="Gravar")
    pane.fails_for_the_user(button)
    assert (pane.alerts.kind, pane.alerts.text) == ("error", "Informe a descrição do filtro.")
    assert not button.disabled
    with caplog.at_level(logging.ERROR, logger="cobranca.dashboard"):
        pane.breaks(button)
    assert pane.alerts.text.startswith("Erro inesperado: KeyError") and "Maria Souza ME" in pane.alerts.text
    assert "KeyError" in caplog.text and "Maria Souza ME" not in caplog.text  # no personal data in the log
    assert not button.disabled
    assert pane.works(button) == "ok"
    pane.alerts.error("<script>alert(1)</script>")
    assert "<script>" not in pane.alerts.message.value
    pane.alerts.close_button.click()
    assert pane.alerts.children == ()


def test_two_tabs_see_each_other_after_atualizar(known_db):
    first, second = build_app(known_db), build_app(known_db)
    for board in (first, second):
        choose(board, FILTER_1_10)
    click_row(first, "144")
    first.actions.contact_button.click()
    first.contact.send_button.click()
    assert second.kpis.values["contacted_today"] == 0
    second.header.refresh_button.click()
    assert second.kpis.values["contacted_today"] == 1
    assert grid_cell(second, "Contatado hoje", 0) == "Sim"
    assert "Lista atualizada" in second.alerts.text


def test_filter_deleted_in_another_tab_falls_back_on_refresh(known_db):
    first, second = build_app(known_db), build_app(known_db)
    choose(second, FILTER_1_10)
    choose(first, FILTER_1_10)
    first.filters.delete_button.click()
    first.filters.confirm_yes.click()
    second.header.refresh_button.click()
    assert second.state.current_filter.description == "Vencendo hoje"
    assert FILTER_1_10 not in [label for label, _ in second.filters.dropdown.options]


# -- notebook and server command -------------------------------------------------------------
def test_notebook_builds_the_app(known_db, monkeypatch, tmp_path):
    monkeypatch.setenv("COBRANCA_DB", str(known_db.path))
    nb = nbformat.read(ROOT / "notebooks" / "cobranca.ipynb", as_version=4)
    assert len(nb.cells) == 1 and "build_app()" in nb.cells[0].source
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = nb.cells[0].outputs
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)


def test_serve_refuses_a_busy_port_and_builds_voila_arguments():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(InputError, match="--port"):
            serve._check_port("127.0.0.1", port)
    argv = serve.voila_argv("127.0.0.1", 8866, open_browser=False)
    assert argv[0].endswith("cobranca.ipynb") and Path(argv[0]).exists()
    assert "--Voila.ip=127.0.0.1" in argv and "--Voila.open_browser=False" in argv
    assert any(a.startswith("--Voila.config_file_paths=") and "voila" in a for a in argv)
    config = (ROOT / "voila" / "voila.json").read_text()
    assert '"cull_idle_timeout"' in config and '"cull_connected": false' in config
