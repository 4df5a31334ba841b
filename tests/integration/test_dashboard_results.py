"""The dashboard's Resultados pane and customer view without a browser; leases between two tabs."""

from __future__ import annotations

import pytest
from support.e2e_helpers import FILTER_1_10, XSS_NAME
from support.known import ENGINES, clock_today
from support.pg_helpers import target_of

from cobranca.dashboard import build_app
from cobranca.dashboard.app import CobrancaApp

pytestmark = pytest.mark.usefixtures("company_today")  # the one test clock (conftest.py)


ENGINES = ENGINES  # every test here taking db/db_path runs on a DuckDB file and on PostgreSQL

def board(db, analyst: str) -> CobrancaApp:
    app = build_app(db)
    app.state.responsible = analyst
    app.filters.dropdown.label = FILTER_1_10
    return app


def open_section(app: CobrancaApp, title: str) -> None:
    app.more.selected_index = list(app.more.titles).index(title)


def test_results_pane_draws_its_charts_in_portuguese(known_db):
    app = board(known_db, "Ana")
    app.state.select_key("144", "1")
    app.contact.open_for_selection()
    known_db.contacts.register_one("144", channel="Telefone", by="Ana")
    open_section(app, "Resultados")
    pane = app.results
    assert all(image.value[:4] == b"\x89PNG" for image in pane.images)
    assert "DSO (prazo médio de recebimento)" in pane.indicators.value and "CEI" in pane.indicators.value
    assert "Recuperado por analista" in pane.tables.value


def test_customer_view_lists_the_customer_and_records_on_every_receivable(known_db):
    known_db.receivables.upsert(__import__("support.known").known.receivables_frame([
        ("1", "CompuFour Software", "(49) 99912-3456", "financeiro@compufour.com.br", "145", "1",
         clock_today(), "250.00", "0")]))
    app = board(known_db, "Ana")
    app.state.select_key("144", "1")
    open_section(app, "Cliente")
    view = app.customer
    assert "CompuFour Software" in view.header.value
    assert "144" in view.receivables.value and "145" in view.receivables.value and "Total" in view.receivables.value
    assert "Total atualizado" in view.message.value
    view.channel.value = "Telefone"
    view.observation.value = "acordo para as duas"
    view.on_register()
    history = known_db.customers.view("1")["history"]
    assert sorted(history["document"]) == ["144", "145"]
    assert "acordo para as duas" in view.history.value
    assert ">nan<" not in view.history.value  # an entry without observation shows an empty cell


def test_hostile_customer_name_is_text(known_db):
    app = board(known_db, "Ana")
    app.state.select_key("666", "1")
    open_section(app, "Cliente")
    assert XSS_NAME not in app.customer.header.value and "&lt;img" in app.customer.header.value


def test_other_tab_sees_em_atendimento_after_refresh(known_db):
    from cobranca import open_db

    tab_a = board(known_db, "Ana")
    tab_b = board(open_db(target_of(known_db)), "Bia")
    tab_a.state.select_key("144", "1")
    tab_a.contact.open_for_selection()  # Ana opens the contact form of CompuFour
    tab_b.state.reload()
    rows = tab_b.worklist.grid.data
    badge = rows.loc[rows["Documento/Parcela"] == "144 / 1", "Situação"].iloc[0]
    assert badge == "Em atendimento por Ana"
    tab_a.state.reload()  # Ana does not see her own lease
    rows = tab_a.worklist.grid.data
    assert rows.loc[rows["Documento/Parcela"] == "144 / 1", "Situação"].iloc[0] == ""


def test_minha_carteira_in_the_filter_form(known_db):
    app = board(known_db, "Ana")
    known_db.portfolio.assign("2", "Ana")
    form = app.filters.form
    form.load(None)
    form.description.value = "Minha carteira"
    form.min_days.value, form.max_days.value = 0, 36500
    form.mine.value = True
    app.state.filter_editor.save(form.fields())
    assert app.state.current_filter.mine
    assert list(app.state.worklist["document"]) == ["200/A"]  # José, assigned to Ana
    app.state.responsible = "Bia"
    app.state.reload()
    assert app.state.worklist.empty


def test_hostile_analyst_shown_as_text(known_db):
    evil = "<img src=x onerror=alert(2)>"
    known_db.portfolio.assign("1", evil)
    known_db.contacts.register_one("144", channel="Telefone", by=evil)
    app = board(known_db, "Ana")
    app.state.select_key("144", "1")
    open_section(app, "Cliente")
    assert evil not in app.customer.header.value and evil not in app.customer.history.value
    assert "&lt;img src=x" in app.customer.history.value


def test_badge_column_agrees_with_badge_for_leases():
    import pandas as pd

    from cobranca.dashboard.badges import badge, badge_column

    frame = pd.DataFrame({
        "status": ["open", "promise_broken", "open", "disputed"],
        "promise_date": [None, None, None, None],
        "do_not_contact": [False, False, True, False],
        "in_service_by": [None, "Ana", "Ana, Bia", None],
    })
    assert badge_column(frame) == [badge(r) for r in frame.to_dict("records")] == [
        "", "Promessa quebrada · Em atendimento por Ana", "Não contatar · Em atendimento por Ana, Bia", "Contestada"]
