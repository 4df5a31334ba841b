"""The dashboard's conversation panel without a browser: promise, dispute, resolve, do not contact, badges, KPIs."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from support.e2e_helpers import FILTER_1_10
from support.known import ENGINES, clock_today

from cobranca.contacting.guard import ContactBlockedError
from cobranca.dashboard import build_app
from cobranca.dashboard.app import CobrancaApp
from cobranca.store import promises as promise_records

ENGINES = ENGINES  # every test here taking db/db_path runs on a DuckDB file and on PostgreSQL

HOSTILE = "<img src=x onerror=alert(1)>"


pytestmark = pytest.mark.usefixtures("company_today")  # the one test clock (conftest.py)


def record_whatsapp(app: CobrancaApp, phone: str, text: str):
    """The dashboard's WhatsApp "send" ("Registrar envio" after the wa.me link)."""
    return app.state.contact.record_whatsapp(phone, text)


def documents(app: CobrancaApp) -> list[str]:
    return [cell.split(" / ")[0] for cell in app.worklist.grid.data["Documento/Parcela"]]


def select(app: CobrancaApp, document: str) -> None:
    app.state.select_key(document, "1")


def backdated_promise(db, document: str, due: date) -> None:
    """A promise made a week ago for `due` (the facade refuses past dates, as it should)."""
    with db.session() as _, db.store.transaction() as con:
        rec = db.receivables.find(document)
        row = db.worklists.row(document)
        promise_records.add_receivable_event(con, int(rec["receivable_id"]), "promise", "ANA",
                                             datetime.combine(due - timedelta(days=7), datetime.min.time()),
                                             "prometeu", due, row["updated_amount"], row["balance"])


def test_promise_from_the_panel_takes_the_row_out_of_the_list(app, known_db):
    assert documents(app) == ["144", "200/A", "666"]
    select(app, "144")
    panel = app.conversation
    assert not panel.promise_button.disabled and panel.resolve_button.disabled
    assert "Em aberto" in panel.status.value
    panel.open_form("promise")
    panel.due.value = clock_today() + timedelta(days=3)
    panel.text.value = HOSTILE
    panel.on_confirm(panel.confirm)
    assert app.alerts.kind == "success", app.alerts.text
    assert documents(app) == ["200/A", "666"] and app.state.selected is None
    assert "cobranca-kpi-promises_active" in app.kpis.cards.value
    assert app.state.promise_kpis()["active"] == 1
    history = known_db.contacts.history("144")
    assert history.iloc[0]["channel"] == "Promessa" and HOSTILE in history.iloc[0]["observation"]


def test_a_past_date_is_refused_on_screen_and_nothing_changes(app):
    select(app, "144")
    app.conversation.open_form("promise")
    app.conversation.due.value = clock_today() - timedelta(days=1)
    app.conversation.on_confirm(app.conversation.confirm)
    assert app.alerts.kind == "error" and "já passou" in app.alerts.text
    assert documents(app) == ["144", "200/A", "666"]


def test_broken_promise_has_a_badge_and_comes_first(known_db):
    backdated_promise(known_db, "666", clock_today() - timedelta(days=2))
    app = build_app(known_db)
    app.filters.dropdown.label = FILTER_1_10
    assert documents(app)[0] == "666"
    assert app.worklist.grid.data.iloc[0]["Situação"] == "Promessa quebrada"
    assert app.worklist.grid.data.iloc[1]["Situação"] == ""
    select(app, "666")
    assert "Promessa quebrada" in app.conversation.status.value
    kpis = app.state.promise_kpis()
    assert (kpis["broken_open"], kpis["fulfilment_rate"]) == (1, 0)
    assert 'title="Taxa de cumprimento: 0,0 % (0 de 1)"' in app.kpis.cards.value
    assert '<span class="cobranca-kpi-note">0 de 1</span>' in app.kpis.cards.value


def test_dispute_then_resolve_through_a_status_filter(app):
    select(app, "200/A")
    app.conversation.open_form("dispute")
    app.conversation.on_confirm(app.conversation.confirm)  # no reason
    assert app.alerts.kind == "error" and "motivo" in app.alerts.text
    app.conversation.text.value = HOSTILE
    app.conversation.on_confirm(app.conversation.confirm)
    assert "200/A" not in documents(app)
    form = app.filters.form
    form.load(None)
    form.description.value, form.min_days.value, form.max_days.value = "Contestadas", 0, 36500
    form.status.value = "disputed"
    app.filters.on_save(form.save)
    assert app.state.current_filter.status == "disputed", app.alerts.text
    form.load(app.state.current_filter)
    assert form.status.value == "disputed"
    assert documents(app) == ["200/A"]
    assert app.worklist.grid.data.iloc[0]["Situação"] == "Contestada"
    select(app, "200/A")
    assert not app.conversation.resolve_button.disabled and app.conversation.dispute_button.disabled
    assert "&lt;img" in app.history.table.value and HOSTILE not in app.history.table.value
    app.conversation.open_form("resolve")
    app.conversation.on_confirm(app.conversation.confirm)
    assert documents(app) == []


def test_do_not_contact_shows_a_notice_blocks_whatsapp_and_allows_the_phone(app, known_db):
    select(app, "144")
    app.conversation.open_form("optout")
    app.conversation.text.value = HOSTILE
    app.conversation.on_confirm(app.conversation.confirm)
    assert app.alerts.kind == "success"
    assert app.worklist.grid.data.iloc[0]["Situação"] == "Não contatar"
    select(app, "144")
    notices = app.conversation.notices.value
    assert "pediu para não receber mensagens" in notices and "&lt;img" in notices and HOSTILE not in notices
    assert app.conversation.optout_button.description == "Contatar de novo"
    before = known_db.receivables.counts()["contacts"]
    assert "Próximo horário" not in notices  # inside the window: only the opt-out
    with pytest.raises(ContactBlockedError, match="pediu para não receber mensagens"):
        record_whatsapp(app, "(49) 99912-3456", "Olá")
    assert known_db.receivables.counts()["contacts"] == before
    app.state.contact.register_contact("Telefone", observation="o cliente ligou")
    assert known_db.receivables.counts()["contacts"] == before + 1
    app.conversation.open_form("optout")  # now "Contatar de novo"
    assert app.conversation.mode == "optin"
    app.conversation.on_confirm(app.conversation.confirm)
    assert app.worklist.grid.data.iloc[0]["Situação"] == ""


def test_legal_hours_notice_is_shown_before_writing(app, monkeypatch):
    monkeypatch.setenv("COBRANCA_NOW", "2026-12-06T10:00:00-03:00")  # a Sunday
    select(app, "200/A")
    assert "Próximo horário permitido: 07/12/2026 às 08:00" in app.conversation.notices.value


def test_cancel_last_undoes_a_promise_and_the_row_comes_back(app):
    select(app, "144")
    app.state.conversation.register_promise(clock_today() + timedelta(days=2))
    assert "144" not in documents(app)
    app.state.filter_editor.save({"description": "Todas", "min_days": 0, "max_days": 36500, "status": "all"})
    select(app, "144")
    assert app.worklist.grid.data.loc[app.state.selected, "Situação"].startswith("Promessa ")
    cancelled = app.state.contact.cancel_last_contact()
    assert cancelled["kind"] == "promise"
    app.filters.dropdown.label = FILTER_1_10
    assert "144" in documents(app)


def test_sms_and_mailto_outside_legal_hours_are_refused_and_record_nothing(app, known_db, monkeypatch):
    # 21:00 of the list's own day (the one clock: a clock on another day would put the page in analysis mode)
    monkeypatch.setenv("COBRANCA_NOW", f"{clock_today().isoformat()}T21:00:00-03:00")
    select(app, "144")
    before = known_db.receivables.counts()["contacts"]
    for attempt in (lambda: app.state.contact.register_contact("SMS", to="(49) 99912-3456", message="Olá"),
                    lambda: app.state.contact.email_link("financeiro@compufour.com.br", "Cobrança", "Olá"),
                    lambda: record_whatsapp(app, "(49) 99912-3456", "Olá")):
        with pytest.raises(ContactBlockedError, match="fora do horário permitido"):
            attempt()
    app.state.contact.register_contact("Telefone", observation="ligou à noite")
    assert known_db.receivables.counts()["contacts"] == before + 1
