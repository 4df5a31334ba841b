"""The dashboard's widgets without a browser: build the app on a real database, click, and check the state.

Contacts are recorded at the real clock, so these tests use today as the as-of day and the known
receivables of `e2e_helpers` (due dates counted back from today).
"""

from __future__ import annotations

import base64
import io
import logging
import os
import re
import socket
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote

import ipywidgets as widgets
import nbformat
import openpyxl
import pandas as pd
import pytest
from nbclient import NotebookClient
from pypdf import PdfReader
from support.e2e_helpers import FILTER_1_10, XSS_NAME
from support.known import ENGINES, clock_today
from support.pg_helpers import target_of
from support.smtp_helpers import configure

from benchmarks.measure import free_port
from cobranca.cli import serve
from cobranca.core import formatting as fmt
from cobranca.core.errors import InputError
from cobranca.dashboard import build_app, grid
from cobranca.dashboard.alerts import Alerts, guarded
from cobranca.dashboard.app import CobrancaApp
from cobranca.importer.headers import FIELDS

ENGINES = ENGINES  # every test here taking db/db_path runs on a DuckDB file and on PostgreSQL

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def analyst(monkeypatch):
    """The analyst's name, as `cobranca dashboard` users set it (tests of the unnamed case delete it)."""
    monkeypatch.setenv("COBRANCA_USER", "SUPERVISOR")


@pytest.fixture
def app(known_db) -> CobrancaApp:
    board = build_app(known_db)
    assert isinstance(board, CobrancaApp)
    choose(board, FILTER_1_10)
    return board


def choose(app: CobrancaApp, description: str) -> None:
    app.filters.dropdown.label = description


def click_row(app: CobrancaApp, document: str) -> int:
    """What the browser sends (ipyevents) when a row of the table is clicked, for the row of `document`."""
    cells = app.worklist.cells
    position = int(cells.index[cells["Documento/Parcela"].str.startswith(f"{document} / ")][0])
    assert f'data-row="{position}"' in app.worklist.table.value  # on the page shown
    app.worklist.on_event({"event": "click", "target": {"tagName": "TD", "className": f"r{position} num"}})
    return position


def click_header(app: CobrancaApp, column: str) -> None:
    index = grid.COLUMNS.index(column)
    app.worklist.on_event({"event": "click", "target": {"tagName": "TH", "className": f"h{index}"}})


def press(app: CobrancaApp, key: str) -> None:
    app.worklist.on_event({"event": "keyup", "key": key, "target": {"tagName": "DIV", "className": ""}})


def grid_cell(app: CobrancaApp, column: str, position: int):
    return app.worklist.cell(column, position)


def link_href(html_text: str, css: str) -> str:
    match = re.search(rf'class="{css}[^"]*"[^>]*href="([^"]+)"', html_text) or re.search(
        rf'<a class="[^"]*{css}[^"]*"[^>]*?href="([^"]+)"', html_text)
    assert match, html_text
    return match.group(1).replace("&amp;", "&")


def download(app: CobrancaApp, kind: str) -> bytes:
    href = re.search(r'href="data:[^;]+;base64,([^"]+)"', app.outputs.downloads.value)
    assert href and f"cobranca-download-{kind}" in app.outputs.downloads.value
    return base64.b64decode(href.group(1))


def send_whatsapp(app: CobrancaApp) -> str:
    """What the analyst does: click "Enviar pelo WhatsApp" (the link), then "Registrar envio"; returns the link."""
    href = link_href(app.contact.whatsapp.value, "cobranca-whatsapp-link")
    app.contact.on_whatsapp_opened({"type": "click", "target": {"tagName": "A", "className": "cobranca-whatsapp-link"}})
    app.contact.record_whatsapp.click()
    return href


# -- building --------------------------------------------------------------------------------
def test_app_shows_the_first_filter_and_switches(known_db):
    app = build_app(known_db)
    assert app.state.current_filter.description == "Vencendo hoje"
    assert app.state.total == 0 and "Nenhuma conta" in app.worklist.count.value
    assert "CompuFour Cobranças" in app.header.title.value and fmt.day(clock_today()) in app.header.title.value
    assert app.header.as_of.value == clock_today()
    choose(app, FILTER_1_10)
    assert app.state.total == 3
    assert list(app.worklist.cells["Documento/Parcela"]) == ["144 / 1", "200/A / 1", "666 / 1"]
    assert app.kpis.values == {"receivables": 3, "customers": 3, "balance": Decimal("1156.50"),
                               "updated_amount": Decimal("1183.00"), "contacted_today": 0}
    assert "R$ 1.183,00" in app.kpis.cards.value
    assert "Mostrando 3 de 3" in app.worklist.count.value


def test_grid_carries_sortable_keys_and_colour_flag(app):
    cells = app.worklist.cells.iloc[0]
    assert cells["Saldo"] == 100000 and cells["Valor atualizado"] == 102300  # centavos, drawn as R$ 1.023,00
    assert cells["Vencimento"] == (clock_today() - timedelta(days=9)).isoformat()
    assert cells["Dias de atraso"] == 9 and cells["Contatado hoje"] == "Não"
    assert cells["Celular"] == "(49) 99912-3456"


def test_a_big_worklist_shows_the_first_rows_and_says_so(known_db, monkeypatch):
    monkeypatch.setattr(grid, "MAX_GRID_ROWS", 2)
    app = build_app(known_db)
    choose(app, "(Todas as vencidas e vencendo hoje)")
    assert app.state.total == 5 and len(app.worklist.cells) == 2
    assert list(app.worklist.cells["Dias de atraso"]) == [100, 20]  # the most overdue first
    assert "Mostrando 2 de 5 contas" in app.worklist.count.value
    assert app.kpis.values["receivables"] == 5  # KPIs cover the whole worklist


def test_date_change_reloads_and_an_empty_date_warns(app):
    app.header.as_of.value = clock_today() - timedelta(days=30)  # nothing was overdue yet
    assert app.state.as_of == clock_today() - timedelta(days=30)
    assert app.state.total == 0 and fmt.day(app.state.as_of) in app.header.title.value
    app.header.as_of.value = None
    assert app.alerts.kind == "warning" and "data de referência" in app.alerts.text
    assert app.state.as_of == clock_today() - timedelta(days=30)


def test_database_that_cannot_be_opened_shows_a_message_not_a_traceback(tmp_path):
    bad = tmp_path / "ruim.duckdb"
    bad.write_bytes(b"isto nao e um banco duckdb" * 100)
    page = build_app(bad)
    assert not isinstance(page, CobrancaApp)
    alerts = page.children[0]
    assert alerts.kind == "error" and f"O arquivo {bad} não é um banco DuckDB" in alerts.text  # a named cause
    assert "Traceback" not in alerts.text and "IOException" not in alerts.text
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
    assert "Atraso médio" not in [f.description for f in known_db.filters.all()]

    fill_form(app, min_days=11, max_days=200, channel="Telefone", min_balance="100,00")
    filters.form.save.click()
    assert filters.form.layout.display == "none" and filters.form.error.value == ""
    saved = known_db.filters.get("Atraso médio")
    assert (saved.min_days, saved.max_days, saved.channel, saved.min_balance) == (11, 200, "Telefone", Decimal("100.00"))
    assert app.state.filter_id == saved.id and filters.dropdown.value == saved.id
    assert set(app.state.worklist["document"]) == {"301", "402"}
    assert "gravado" in app.alerts.text

    filters.edit_button.click()
    assert filters.form.description.value == "Atraso médio" and filters.form.min_balance.value == "100,00"
    fill_form(app, max_days=50)
    filters.form.save.click()
    assert list(app.state.worklist["document"]) == ["301"]
    assert known_db.filters.get("Atraso médio").max_days == 50

    filters.delete_button.click()
    assert filters.confirm.layout.display is None and "Atraso médio" in filters.confirm_text.value
    filters.confirm_no.click()
    assert "Atraso médio" in [f.description for f in known_db.filters.all()]
    filters.delete_button.click()
    filters.confirm_yes.click()
    assert "Atraso médio" not in [f.description for f in known_db.filters.all()]
    assert app.state.filter_id == known_db.filters.all()[0].id
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
    known_db.contacts.register_one("144", "1", "Telefone", observation="Cliente prometeu pagar sexta", by="ANA")
    app.state.reload()
    assert app.actions.contact_button.disabled
    click_row(app, "144")
    assert app.state.selected_key == ("144", "1")
    assert 'data-document="144"' in app.side.selection.value
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
    assert "Aqui é SUPERVISOR" in panel.message.value
    assert panel.phone_warning.value == ""
    panel.message.value += "\nObrigado!"

    href = link_href(panel.whatsapp.value, "cobranca-whatsapp-link")  # "Enviar" is a link: wa.me in a new tab
    assert href.startswith("https://wa.me/5549999123456?text=")
    text = unquote(href.split("?text=", 1)[1])
    assert "R$ 1.023,00" in text and text.endswith("Obrigado!")
    assert 'target="_blank" rel="noopener noreferrer"' in panel.whatsapp.value
    assert panel.record_whatsapp.disabled  # nothing to record before the analyst opened WhatsApp
    panel.record_whatsapp.click()
    assert known_db.contacts.history("144", "1").empty and app.kpis.values["contacted_today"] == 0

    send_whatsapp(app)
    assert app.alerts.kind == "success"
    assert panel.record_whatsapp.layout.display == "none"  # no second record by a double click
    row = app.state.worklist.iloc[position]
    assert bool(row["contacted_today"]) and row["last_contact_channel"] == "WhatsApp"
    assert grid_cell(app, "Contatado hoje", position) == "Sim"
    assert grid_cell(app, "Forma", position) == "WhatsApp"
    assert app.kpis.values["contacted_today"] == 1
    assert app.history.rows[0][1] == "WhatsApp" and app.history.rows[0][4] == "(49) 99912-3456"  # stored E.164, shown national
    assert known_db.contacts.history("144", "1").iloc[0]["message"].endswith("Obrigado!")
    panel.on_record_whatsapp(panel.record_whatsapp)
    assert app.alerts.kind == "error" and len(known_db.contacts.history("144", "1")) == 1


def test_whatsapp_records_what_the_link_carried(app, known_db):
    click_row(app, "144")
    app.actions.contact_button.click()
    app.contact.message.value = "Primeira versão"
    app.contact.on_whatsapp_opened({"type": "click", "target": {"className": "cobranca-whatsapp-link"}})
    app.contact.message.value = "Editada depois de abrir o WhatsApp"
    app.contact.record_whatsapp.click()
    assert known_db.contacts.history("144", "1").iloc[0]["message"] == "Primeira versão"


def test_whatsapp_to_a_landline_warns_and_a_bad_number_is_refused(app, known_db):
    click_row(app, "200/A")
    app.actions.contact_button.click()
    app.contact.to.value = "(11) 3333-4444"
    assert "fixo" in app.contact.phone_warning.value
    send_whatsapp(app)
    assert "fixo" in app.contact.result.value  # recorded, with the warning shown
    app.contact.to.value = "123"
    assert "cobranca-whatsapp-link" not in app.contact.whatsapp.value  # no link to a bad number
    assert "inválido" in app.contact.whatsapp.value
    assert len(known_db.contacts.history("200/A", "1")) == 1


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
    entry = known_db.contacts.history("666", "1").iloc[0]
    assert (entry["channel"], entry["observation"], entry["destination"]) == ("Telefone", "Atendeu, paga amanhã",
                                                                             "+5511911112222")  # E.164, as from the CLI
    assert grid_cell(app, "Contatado hoje", position) == "Sim"


def test_email_without_smtp_offers_mailto_and_records_on_confirmation(app, known_db):
    click_row(app, "144")
    app.actions.contact_button.click()
    app.contact.channel.value = "E-mail"
    app.contact.send_button.click()
    href = link_href(app.contact.result.value, "cobranca-mailto-link")
    assert href.startswith("mailto:financeiro@compufour.com.br?subject=")
    assert known_db.contacts.history("144", "1").empty  # not before the analyst confirms
    app.contact.confirm_email.click()
    entry = known_db.contacts.history("144", "1").iloc[0]
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
    assert known_db.contacts.history("144", "1").iloc[0]["channel"] == "E-mail"
    assert grid_cell(app, "Contatado hoje", position) == "Sim"


def test_email_to_a_dead_server_records_nothing_and_says_so(known_db):
    port = free_port()  # closed again: nothing listens there
    for key, value in {"smtp_host": "127.0.0.1", "smtp_port": str(port), "smtp_security": "none",
                       "smtp_sender": "cobranca@compufour.com.br", "smtp_timeout_seconds": "2"}.items():
        known_db.settings.set(key, value)
    app = build_app(known_db)
    choose(app, FILTER_1_10)
    click_row(app, "144")
    app.actions.contact_button.click()
    app.contact.channel.value = "E-mail"
    app.contact.send_button.click()
    assert app.alerts.kind == "error" and app.alerts.text
    assert known_db.contacts.history("144", "1").empty
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
    send_whatsapp(app)  # to 11987654321
    assert grid_cell(app, "Contatado hoje", position) == "Sim" and len(app.history.rows) == 2
    assert app.actions.cancel_button.description == "Cancelar último contato"
    app.actions.cancel_button.click()  # asks first, saying what it cancels
    assert "Cancelar o contato por WhatsApp" in app.actions.confirm_text.value
    assert len(app.history.rows) == 2
    app.actions.confirm_no.click()
    assert app.actions.confirm.layout.display == "none" and len(known_db.contacts.history("200/A", "1")) == 2
    app.actions.cancel_button.click()
    app.actions.confirm_yes.click()
    assert [r[1] for r in app.history.rows] == ["Nenhum"]
    assert grid_cell(app, "Contatado hoje", position) == "Não" and grid_cell(app, "Forma", position) == ""
    assert app.kpis.values["contacted_today"] == 0
    assert "Contato por WhatsApp de" in app.alerts.text and "cancelado" in app.alerts.text
    assert app.actions.cancel_button.description == "Cancelar último comentário"
    app.actions.cancel_button.click()
    assert "Cancelar o comentário" in app.actions.confirm_text.value and "Visualizou" in app.actions.confirm_text.value
    app.actions.confirm_yes.click()
    assert app.history.rows == [] and app.actions.cancel_button.disabled  # nothing left to cancel
    app.actions.on_cancel(app.actions.cancel_button)
    assert app.alerts.kind == "warning" and "Não há contato" in app.alerts.text


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
    app.outputs.print_button.click()
    data = download(app, "pdf")
    assert data.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "CompuFour Software" in text and "José da Silva Açougue" in text
    assert f'download="cobrancas-{clock_today().isoformat()}.pdf"' in app.outputs.downloads.value


def test_export_csv_and_xlsx_parse_back(app):
    app.outputs.csv_button.click()
    frame = pd.read_csv(io.BytesIO(download(app, "csv")), sep=";", encoding="utf-8-sig", dtype=str)
    assert list(frame["Documento"]) == ["144", "200/A", "666"]
    assert list(frame["Valor atualizado"]) == ["1023,00", "91,94", "68,06"]
    assert frame.loc[2, "Cliente"] == XSS_NAME  # text stays text

    app.outputs.xlsx_button.click()
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
    send_whatsapp(app)
    assert bytes(app.charts.contacts_image.value) != before  # redrawn with today's contact


def import_csv(rows: list[dict]) -> bytes:
    header = [f.header for f in FIELDS]
    lines = [";".join(header)] + [";".join(str(r.get(h, "")) for h in header) for r in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def csv_row(**values) -> dict:
    base = {"Código Cliente": "90", "Cliente": "Nova Loja", "Documento": "9001", "Parcela": "1",
            "Vencimento": fmt.day(clock_today() - timedelta(days=7)), "Valor": "1.500,00", "Celular": "(11) 98765-4321"}
    return {**base, **values}


def test_import_with_errors_shows_the_report_and_changes_nothing(app, known_db):
    before = known_db.receivables.counts()
    data = import_csv([csv_row(), csv_row(Documento="9002", Valor="<b>abc</b>")])
    app.importer.run_import(data, "contas.csv", skip_invalid=False)
    assert known_db.receivables.counts() == before
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
    assert "1 conta nova" in app.importer.report.value
    assert "9001" in set(app.state.worklist["document"])
    assert steps and app.importer.progress.value == app.importer.progress.max
    assert app.alerts.kind == "success"


def test_import_of_valid_rows_lists_every_skipped_line_with_its_reason(app):
    rows = [csv_row()] + [csv_row(Documento=f"B{i}", Valor="abc") for i in range(30)]
    app.importer.run_import(import_csv(rows), "contas.csv", skip_invalid=True)
    report = app.importer.report.value
    assert "30 linhas ignoradas" in report and "linhas-ignoradas.csv" in report
    for line in range(3, 33):
        assert f"linha {line}, coluna Valor: &#x27;abc&#x27; não é um valor monetário válido" in report


def test_import_button_without_a_file_says_what_to_do(app):
    app.importer.import_button.click()
    assert "Escolha um arquivo" in app.importer.report.value


# -- escaping, decorator, two tabs -----------------------------------------------------------
def test_html_in_customer_names_is_escaped_everywhere(app):
    click_row(app, "666")
    escaped = "&lt;img src=x onerror=alert(1)&gt;"
    assert escaped in app.side.selection.value and XSS_NAME not in app.side.selection.value
    assert XSS_NAME not in app.side.info.value
    app.actions.contact_button.click()
    assert f"Olá, {XSS_NAME}!" in app.contact.message.value  # plain text in a textarea
    assert app.worklist.cells.loc[2, "Cliente"] == XSS_NAME
    assert XSS_NAME not in app.worklist.table.value and "&lt;img src=x onerror=alert(1)&gt;" in app.worklist.table.value


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


def test_unexpected_errors_log_module_paths_and_the_traceback_only_in_debug(caplog, monkeypatch):
    pane, button = _Pane(), widgets.Button(description="Gravar")
    monkeypatch.delenv("COBRANCA_DEBUG", raising=False)
    with caplog.at_level(logging.ERROR, logger="cobranca.dashboard"):
        pane.breaks(button)
    assert "test_dashboard._Pane.breaks" in caplog.text  # module.qualname of the handler
    assert "cobranca/dashboard/alerts.py:" in caplog.text and "Traceback" not in caplog.text  # package path
    assert "Maria Souza ME" not in caplog.text
    caplog.clear()
    monkeypatch.setenv("COBRANCA_DEBUG", "1")
    with caplog.at_level(logging.ERROR, logger="cobranca.dashboard"):
        pane.breaks(button)
    assert "Traceback" in caplog.text and "Maria Souza ME" in caplog.text  # asked for: everything


def test_two_tabs_see_each_other_after_atualizar(known_db):
    first, second = build_app(known_db), build_app(known_db)
    for board in (first, second):
        choose(board, FILTER_1_10)
    click_row(first, "144")
    first.actions.contact_button.click()
    send_whatsapp(first)
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
def test_notebook_builds_the_app_before_the_request_and_reads_data_after(known_db, monkeypatch, tmp_path):
    monkeypatch.setenv("COBRANCA_DB", target_of(known_db))
    nb = nbformat.read(ROOT / "notebooks" / "cobranca.ipynb", as_version=4)
    assert [c.source for c in nb.cells] == [c.replace("\n\napp = ", "\n\n# Imports and the widget tree only: a "
                                                       "preheated kernel runs this before any page is requested.\n"
                                                       "app = ") if i == 0 else c
                                            for i, c in enumerate(_notebook_cells_with_comments())]
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for cell in nb.cells for o in cell.outputs]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in nb.cells[0].outputs)


def _notebook_cells_with_comments() -> list[str]:
    """serve.NOTEBOOK_CELLS as written in the notebook (which adds comments)."""
    first, second = serve.NOTEBOOK_CELLS
    second = second.replace("wait_for_request()\n", "wait_for_request()  # a preheated kernel waits here for its "
                            "page's request (no-op otherwise)\n").replace(
        "start_app(app);", 'start_app(app);  # "today" and the data are read now, never at preheat time')
    return [first, second]


def test_serve_refuses_a_busy_port_and_builds_voila_arguments(monkeypatch):
    monkeypatch.delenv("JUPYTER_PATH", raising=False)
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
    # a `python -m voila` child started with these arguments finds the page's template ("cobranca")
    assert str(serve.TEMPLATES) in os.environ["JUPYTER_PATH"].split(os.pathsep)
    assert (serve.TEMPLATES / "voila" / "templates" / "cobranca" / "index.html.j2").exists()
    config = (ROOT / "voila" / "voila.json").read_text()
    assert '"cull_idle_timeout"' in config and '"cull_connected": false' in config


# -- preheating, analysis mode, the analyst's name -------------------------------------------
def test_a_preheated_page_reads_today_and_the_data_when_requested_not_when_built(known_db):
    """Voila preheating builds the page long before anyone opens it: nothing it shows may be that old."""
    from cobranca.dashboard import start_app

    days = iter([clock_today() - timedelta(days=1), clock_today()])  # built "yesterday", opened today
    day = {"today": next(days)}
    page = CobrancaApp(known_db, start=False, clock=lambda: day["today"])
    assert not page.state.started and page.state.as_of is None
    assert "Carregando" in page.worklist.count.value and page.kpis.values["receivables"] == 0
    known_db.contacts.register_one("144", "1", "Telefone", observation="feito em outra aba", by="ANA")  # after the build
    day["today"] = next(days)
    start_app(page)
    assert page.state.as_of == clock_today() and fmt.day(clock_today()) in page.header.title.value
    choose(page, FILTER_1_10)
    assert page.kpis.values["contacted_today"] == 1 and grid_cell(page, "Contatado hoje", 0) == "Sim"
    assert not page.state.analysis_mode


def test_a_past_reference_date_is_analysis_mode_and_blocks_sending(app, known_db):
    click_row(app, "144")
    app.actions.contact_button.click()
    assert app.contact.layout.display is None
    app.header.as_of.value = clock_today() - timedelta(days=2)
    assert app.state.analysis_mode and app.header.banner_row.layout.display is None
    assert "Modo de análise" in app.header.banner.value
    assert app.contact.layout.display == "none"  # the open form closed with the date change
    click_row(app, "144")
    assert app.actions.contact_button.disabled and "hoje" in app.actions.contact_button.tooltip
    app.actions.on_contact(app.actions.contact_button)
    assert app.alerts.kind == "warning" and "Modo de análise" in app.alerts.text
    with pytest.raises(InputError, match="Modo de análise"):
        app.state.contact.whatsapp_link("(49) 99912-3456", "Olá")
    with pytest.raises(InputError, match="Modo de análise"):
        app.state.contact.register_contact("Telefone", observation="ligação")
    assert known_db.contacts.history("144", "1").empty
    app.actions.comment_button.click()  # comments are not messages: allowed
    app.comment.text.value = "Analisando atrasos de anteontem."
    app.comment.save_button.click()
    assert len(known_db.contacts.history("144", "1")) == 1
    app.header.today_button.click()
    assert not app.state.analysis_mode and app.header.banner_row.layout.display == "none"
    assert not app.actions.contact_button.disabled


def test_without_cobranca_user_the_page_asks_the_name_and_never_signs_as_root(known_db, monkeypatch):
    monkeypatch.delenv("COBRANCA_USER")
    app = build_app(known_db)
    choose(app, FILTER_1_10)
    assert app.state.responsible == "" and "cobranca-missing" in app.header.responsible._dom_classes
    click_row(app, "144")
    app.actions.contact_button.click()
    assert app.contact.message.value == "" and "Informe seu nome" in app.contact.message.placeholder
    assert "cobranca-whatsapp-link" not in app.contact.whatsapp.value
    app.contact.channel.value = "Telefone"
    app.contact.send_button.click()
    assert app.alerts.kind == "error" and "Informe seu nome" in app.alerts.text
    assert known_db.contacts.history("144", "1").empty
    app.header.responsible.value = "  Ana   Paula "
    assert app.state.responsible == "Ana Paula" and "cobranca-missing" not in app.header.responsible._dom_classes
    app.contact.channel.value = "WhatsApp"
    assert "Aqui é Ana Paula" in app.contact.message.value and "root" not in app.contact.message.value
    send_whatsapp(app)
    assert known_db.contacts.history("144", "1").iloc[0]["responsible"] == "Ana Paula"


# -- grid: pt-BR controls, search, keyboard ----------------------------------------------------
def test_display_frame_is_the_same_as_row_by_row(app):
    frame = grid.display_frame(app.state.shown)
    rows = pd.DataFrame([grid.display_row(r) for r in app.state.shown.to_dict("records")], columns=grid.COLUMNS)
    assert frame.reset_index(drop=True).astype(object).equals(rows.astype(object))


def test_search_box_drives_caption_kpis_export_and_print(app):
    app.worklist.search.value = "  jose  "
    assert app.state.search == "jose" and app.state.total == 1
    assert "Mostrando 1 de 1" in app.worklist.count.value and app.kpis.values["receivables"] == 1
    assert "cliente contendo “jose”" in app.filters.summary.value
    assert list(app.worklist.cells["Documento/Parcela"]) == ["200/A / 1"]
    app.outputs.csv_button.click()
    frame = pd.read_csv(io.BytesIO(download(app, "csv")), sep=";", encoding="utf-8-sig", dtype=str)
    assert list(frame["Documento"]) == ["200/A"]
    app.outputs.print_button.click()
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(download(app, "pdf"))).pages)
    assert "José da Silva Açougue" in text and "CompuFour Software" not in text
    app.worklist.clear_search.click()
    assert app.state.total == 3 and "Mostrando 3 de 3" in app.worklist.count.value


def test_header_click_sorts_and_arrow_keys_follow_the_screen_order(app):
    click_header(app, "Cliente")
    assert "Ordem: Cliente (crescente)" in app.worklist.sort_label.value
    rows = re.findall(r'data-row="(\d+)"', app.worklist.table.value)
    assert rows == ["2", "0", "1"]  # "<img ..." < "CompuFour" < "José", case-insensitive
    assert 'Cliente<span class="h0"> ▲</span>' in app.worklist.table.value
    press(app, "ArrowDown")
    assert app.state.selected_key == ("666", "1")  # first on screen
    press(app, "ArrowDown")
    assert app.state.selected_key == ("144", "1")
    assert '<tr class="selected" data-row="0">' in app.worklist.table.value
    press(app, "ArrowUp")
    assert app.state.selected_key == ("666", "1")
    press(app, "Enter")
    assert app.contact.layout.display is None and app.contact.key == ("666", "1")
    press(app, "Escape")
    assert app.state.selected is None
    click_header(app, "Cliente")
    assert 'Cliente<span class="h0"> ▼</span>' in app.worklist.table.value
    click_header(app, "Cliente")
    assert re.findall(r'data-row="(\d+)"', app.worklist.table.value) == ["0", "1", "2"]
    assert app.worklist.sort_label.value == ""


def test_table_text_is_pt_br_escaped_and_pages_long_lists(known_db, monkeypatch):
    from cobranca.dashboard import table

    monkeypatch.setattr(table, "PAGE_SIZE", 2)
    monkeypatch.setattr("cobranca.dashboard.views.worklist.PAGE_SIZE", 2)
    app = build_app(known_db)
    choose(app, FILTER_1_10)
    page = app.worklist.table.value
    assert "R$ 1.023,00" in page and fmt.day(clock_today() - timedelta(days=9)) in page
    assert "&lt;img src=x onerror=alert(1)&gt;" not in page  # row 3 is on page 2
    assert "Mostrando 1–2 de 3" in app.worklist.count.value and "Página 1 de 2" in app.worklist.count.value
    app.worklist.next_page.click()
    page = app.worklist.table.value
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and XSS_NAME not in page
    assert 'title="&lt;img src=x onerror=alert(1)&gt;"' in page  # full text on hover
    press(app, "ArrowUp")  # from nothing selected: the last row in screen order
    assert app.state.selected_key == ("666", "1")
    press(app, "ArrowUp")
    assert app.state.selected_key == ("200/A", "1") and "Página 1 de 2" in app.worklist.count.value


def test_selection_is_found_again_after_a_reload_or_cleared(app, known_db):
    click_row(app, "200/A")
    app.header.refresh_button.click()
    assert app.state.selected_key == ("200/A", "1")
    app.worklist.search.value = "compufour"
    assert app.state.selected is None and "Nenhuma conta selecionada" in app.side.selection.value


def test_side_panel_takes_extra_sections(app):
    extra = widgets.HTML("<b>Pix</b>")
    app.side.add_section(extra)
    assert app.side.sections.children == (app.conversation, extra) and "cobranca-side-section" in extra._dom_classes
    assert app.side.children.index(app.side.sections) < app.side.children.index(app.history)


def test_success_notices_fade_and_an_error_goes_once_an_action_works(app):
    app.actions.on_contact(app.actions.contact_button)
    assert app.alerts.kind == "error"
    assert not any(c.startswith("cobranca-fade") for c in app.alerts._dom_classes)  # errors stay
    click_row(app, "144")
    assert app.alerts.kind == "" and app.alerts.children == ()  # its cause is fixed
    app.alerts.success("Pronto.")
    first = [c for c in app.alerts._dom_classes if c.startswith("cobranca-fade")]
    app.alerts.success("Pronto de novo.")
    second = [c for c in app.alerts._dom_classes if c.startswith("cobranca-fade")]
    assert len(first) == len(second) == 1 and first != second  # a new notice restarts the fade


# -- one database open per action ------------------------------------------------------------
def test_every_dashboard_action_opens_the_database_once(app, known_db):
    store = known_db.store

    def opens(action) -> int:
        before = store.opens
        action()
        assert app.alerts.kind != "error", app.alerts.text
        return store.opens - before

    counted = {
        "filter switch": opens(lambda: choose(app, "Vencidas de 11 a 30 dias")),
        "back to 1-10": opens(lambda: choose(app, FILTER_1_10)),
        "search": opens(lambda: setattr(app.worklist.search, "value", "silva")),
        "clear search": opens(lambda: app.worklist.clear_search.click()),
        "row selection": opens(lambda: click_row(app, "144")),
        "keyboard ↓": opens(lambda: app.worklist.on_key({"event": "keyup", "key": "ArrowDown"})),
        "open contact form": opens(lambda: app.actions.contact_button.click()),
        "register contact": opens(lambda: send_whatsapp(app)),
        "comment": opens(lambda: (app.actions.comment_button.click(),
                                  setattr(app.comment.text, "value", "Visualizou."),
                                  app.comment.save_button.click())),
        "cancel": opens(lambda: (app.actions.cancel_button.click(), app.actions.confirm_yes.click())),
        "print": opens(lambda: app.outputs.print_button.click()),
        "export": opens(lambda: app.outputs.xlsx_button.click()),
        "refresh": opens(lambda: app.header.refresh_button.click()),
        "date change": opens(lambda: setattr(app.header.as_of, "value", clock_today() - timedelta(days=1))),
        "back to today": opens(lambda: app.header.today_button.click()),
    }
    fill_form(app, description="Grandes", min_days=1, max_days=60)
    counted["save filter"] = opens(lambda: (app.filters.add_button.click(),
                                            fill_form(app, description="Grandes", min_days=1, max_days=60),
                                            app.filters.form.save.click()))
    counted["delete filter"] = opens(lambda: (app.filters.delete_button.click(), app.filters.confirm_yes.click()))
    counted["import"] = opens(lambda: app.importer.run_import(import_csv([csv_row()]), "contas.csv", False))
    assert counted == {name: 1 for name in counted}  # opening the form takes the customer ("em atendimento")


def test_old_rows_are_dimmed_only_while_a_reload_runs(app):
    seen = []
    app.main.observe(lambda change: seen.append("cobranca-loading" in change["new"]), "_dom_classes")
    choose(app, "Vencidas de 11 a 30 dias")
    assert seen == [True, False] and "cobranca-loading" not in app.main._dom_classes
