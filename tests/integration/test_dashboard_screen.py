"""The screen's messages without a browser (issue 21): empty search, success notices, the WhatsApp block's one line."""

from __future__ import annotations

import pytest
from support.known import clock_today

pytestmark = pytest.mark.usefixtures("company_today")  # the one test clock (conftest.py): a Monday, 10:00


def select(app, document: str) -> None:
    position = int(app.state.shown.index[app.state.shown["document"] == document][0])
    app.state.select(position)


def test_an_empty_search_says_the_search_found_nothing(app):
    assert "Mostrando 3 de 3 contas." in app.worklist.count.value
    app.worklist.search.value = "ninguém com este nome"
    assert "Nenhuma conta encontrada para a busca “ninguém com este nome”" in app.worklist.count.value
    app.worklist.search.value = ""
    app.filters.dropdown.label = "Vencendo hoje"
    assert "Nenhuma conta neste filtro." in app.worklist.count.value


def test_refresh_reports_success_not_a_warning(app):
    app.header.on_refresh(app.header.refresh_button)
    assert app.alerts.kind == "success" and app.alerts.text == "Lista atualizada: 3 contas."


def test_the_whatsapp_block_says_why_and_when_in_one_line(app, monkeypatch):
    # 21:00 of the list's own day, a Monday (a clock on another day would put the page in analysis mode)
    monkeypatch.setenv("COBRANCA_NOW", f"{clock_today().isoformat()}T21:00:00-03:00")
    select(app, "200/A")
    app.actions.on_contact()
    assert app.contact.channel.value == "WhatsApp" and "cobranca-whatsapp-off" in app.contact.whatsapp.value
    why = app.contact.why.value
    assert "Bloqueado agora: próximo horário 09/06 às 08:00 (seg–sex 08:00–20:00; sáb 08:00–14:00)." in why
    assert "seg 08:00" not in app.conversation.notices.value  # the schedule summarised there too
    assert "seg–sex 08:00–20:00; sáb 08:00–14:00" in app.conversation.notices.value


def test_inside_the_window_the_whatsapp_link_has_no_reason_line(app):
    select(app, "200/A")
    app.actions.on_contact()
    assert "cobranca-whatsapp-link" in app.contact.whatsapp.value and app.contact.why.value == ""


def test_phones_are_shown_in_national_format_in_the_panel_and_the_history(app):
    select(app, "200/A")  # stored as 11987654321
    assert "(11) 98765-4321" in app.side.info.value
    app.state.contact.record_whatsapp("11987654321", "Olá")
    assert "(11) 98765-4321" in app.history.table.value and "+5511987654321" not in app.history.table.value


def test_the_list_draws_the_decision_columns_and_the_chooser_adds_one(app):
    assert ">Saldo<" not in app.worklist.table.value and ">Valor atualizado<" in app.worklist.table.value
    app.worklist.chooser.boxes["Saldo"].value = True
    assert ">Saldo<" in app.worklist.table.value


def test_the_baixas_section_speaks_pt_br(app):
    """Singular/plural in the notice, the chosen files named beside "Escolher arquivos" (no "(0)")."""
    from datetime import UTC, datetime, timedelta

    from support.bank_files import cnab400

    from cobranca.core.formatting import file_size

    day = clock_today() - timedelta(days=1)
    data = cnab400("237", [dict(document="144/1", day=day, paid="1000.00"), dict(document="NADA", day=day, paid="5.00")])
    view = app.baixa
    app.more.selected_index = app.more.titles.index("Baixas")
    assert "nenhum arquivo escolhido" in view.chosen.value
    view.upload.value = ({"name": "retorno.ret", "type": "", "size": len(data), "content": memoryview(data),
                          "last_modified": datetime(2026, 12, 7, tzinfo=UTC)},)
    assert view.chosen.value == f"<b>retorno.ret</b> ({file_size(len(data))})"  # e.g. "1,6 KB"
    view.on_preview()
    view.on_confirm()
    assert app.alerts.kind == "success"
    assert app.alerts.text == "Baixa aplicada: 1 quitada, 0 parciais, 1 a revisar."
    assert "Pagos hoje:</b> 1 (R$ 1.000,00)" in view.paid_today.value


def test_the_contact_form_shows_the_phone_in_national_format(app):
    select(app, "200/A")  # stored as 11987654321
    app.actions.on_contact()
    assert app.contact.to.value == "(11) 98765-4321"
    assert "cobranca-whatsapp-link" in app.contact.whatsapp.value and "5511987654321" in app.contact.whatsapp.value
