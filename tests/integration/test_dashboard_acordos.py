"""The dashboard's "Acordo" section without a browser: the simulator follows N, "Fechar acordo" records it."""

from __future__ import annotations

import base64
import io
import re

import pypdf
import pytest
from support.e2e_helpers import build_known_db
from support.known import ENGINES

from cobranca.dashboard import build_app
from cobranca.dashboard.badges import badge, badge_column

pytestmark = pytest.mark.usefixtures("company_today")  # the one test clock (conftest.py)
ENGINES = ENGINES  # the app runs on a DuckDB file and on PostgreSQL (see conftest.py)


@pytest.fixture
def app(db_path):
    db = build_known_db(db_path)
    board = build_app(db)
    board.state.responsible = "Ana"
    board.filters.dropdown.label = "(Todas as vencidas e vencendo hoje)"
    board.state.select_key("402", "1")  # Padaria Pão Quente, 100 days overdue
    board.more.selected_index = list(board.more.titles).index("Acordo")
    return board


def test_the_simulator_follows_the_number_of_installments(app):
    view = app.agreement
    assert "Acordo com Padaria Pão Quente" in view.header.value
    assert "Parcela 3" in view.summary.value and "Parcela 4" not in view.summary.value
    view.count.value = 5
    assert "Parcela 5" in view.summary.value
    view.count.value = 11  # above the band's maximum (10): said in place, nothing recorded
    assert "11 parcelas é mais que o máximo da política" in view.summary.value
    view.interest.value = "abc"
    assert "Desconto de juros &#x27;abc&#x27; não é um número" in view.summary.value  # escaped text


def test_a_bad_term_typed_before_choosing_another_customer_is_said_in_place(app):
    view = app.agreement
    view.entry.value = "muito"
    assert "Entrada &#x27;muito&#x27;" in view.summary.value
    app.state.select_key("144", "1")  # the section opens the next customer with the same terms typed
    assert "Entrada &#x27;muito&#x27;" in view.summary.value and app.alerts.kind != "error"
    view.entry.value = ""
    assert "Total original" in view.summary.value


def test_fechar_acordo_records_it_and_pauses_the_originals(app):
    view = app.agreement
    view.count.value = 2
    expected_total = app.state.db.agreements.simulate("4", 2)[1].total
    view.on_close()
    made = app.state.db.agreements.show(1)
    assert (made["created_by"], made["total"], len(made["installments"])) == ("Ana", expected_total, 2)
    assert "<td>1</td><td>Em dia</td>" in view.existing.value
    assert "<td>Ana</td><td>1</td><td>0</td><td>0</td><td>1</td><td>R$ 0,00</td>" in view.results.value
    after = view.after.value
    pdf = base64.b64decode(re.search(r'href="data:application/pdf;base64,([^"]+)"', after).group(1))
    assert "Termo de acordo e confissão de dívida nº 1" in pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert 'download="acordo-1-erp.csv"' in after
    assert "resumo do acordo nº 1" in after and "Padaria Pão Quente" in after  # no mobile: no WhatsApp link
    assert "Acordo nº 1 fechado com Padaria Pão Quente" in view.header.value  # 402 left the list
    app.state.select_key("ACORDO-1", "0")  # the entry, due today, is in the list: the same customer
    assert "não tem contas vencidas" in view.summary.value  # everything of the customer is in the agreement
    paused = app.state.db.worklists.rows(None, include_paused=True)
    assert set(paused.loc[paused["document"] == "402", "status"]) == {"agreement"}


def test_badges_say_em_acordo_and_acordo_quebrado():
    assert badge({"status": "agreement"}) == "Em acordo"
    assert badge({"status": "agreement_broken", "do_not_contact": True}) == "Acordo quebrado · Não contatar"
    import pandas as pd
    frame = pd.DataFrame({"status": ["agreement", "agreement_broken", "open"], "promise_date": [None] * 3,
                          "do_not_contact": [False] * 3})
    assert badge_column(frame) == ["Em acordo", "Acordo quebrado", ""]


def test_the_policy_editor_saves_and_refuses_bad_values(app):
    editor = app.agreement.policy
    assert [c.value for c in editor.cells[2]] == ["80", "50", "15", "10", "50,00"]  # 91–180 days
    editor.cells[2][0].value = "60"
    editor.on_save()
    assert app.state.db.agreements.policy()[2].max_interest_discount == 60
    editor.cells[1][3].value = "muitas"
    editor.on_save()
    assert "Faixa 31 a 90 dias, Parcelas máx.: &#x27;muitas&#x27; não é um número inteiro." in app.alerts.message.value
    assert app.state.db.agreements.policy()[1].max_installments == 6  # nothing saved


def test_after_closing_the_whatsapp_link_or_why_there_is_none(app):
    app.state.select_key("144", "1")  # CompuFour Software, with a mobile
    app.agreement.count.value = 1
    app.agreement.on_close()
    assert "https://wa.me/5549999123456?text=" in app.agreement.after.value
    app.state.db.policy.opt_out("2", reason="pediu")
    app.state.select_key("200/A", "1")  # José da Silva Açougue opted out: the agreement, but no message
    app.agreement.count.value = 0
    app.agreement.on_close()
    after = app.agreement.after.value
    assert "wa.me" not in after and "cobranca-acordo-sem-mensagem" in after
    assert app.state.db.agreements.show(2)["status"] == "active"
