"""The dashboard's "Régua de cobrança" pane: steps editor, today's plan, preview, log, the tasks grid filter."""

from __future__ import annotations

import pytest
from support.regua_helpers import D, regua_db
from support.smtp_helpers import configure

from cobranca.dashboard.app import CobrancaApp
from cobranca.workflows.regua_run import run


@pytest.fixture
def board(db_path, company_today):
    db = regua_db(db_path)
    db.receivables.upsert(_hostile(db))
    app = CobrancaApp(db, as_of=D)
    app.more.selected_index = 2  # open the section: it loads then
    return app


def _hostile(db):
    from support.known import receivables_frame

    return receivables_frame([("9", "<img src=x onerror=alert(1)>", None, "x@example.com", "H1", "1",
                               D, "10.00", "0")])


def test_the_section_loads_steps_and_log_when_opened(board):
    pane = board.regua
    assert pane.loaded and "Lembrete 3 dias antes" in pane.steps_table.value
    assert "Nada registrado" in pane.log_table.value


def test_plan_of_today_lists_emails_tasks_and_skipped_as_text(board):
    board.state.db.promises.open_dispute("B1", reason="<b>errado</b>")
    board.regua.plan_button.click()
    html = board.regua.plan.value
    assert "A enviar por e-mail</b> (3)" in html and "Alfa Comércio" in html  # Alfa, Épsilon, the hostile one
    assert "Tarefas</b> (3)" in html and "Ignoradas</b> (1)" in html and "contestada" in html
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_steps_editor_adds_edits_refuses_and_deletes(board):
    pane = board.regua
    pane.choose.value = "(nova etapa)"
    pane.name.value, pane.days.value, pane.channel.value = "Carta 60", 60, "Carta"
    pane.save.click()
    assert "Carta 60" in pane.steps_table.value and pane.choose.value == "Carta 60"
    pane.body.value = "{{ nome }}"
    pane.save.click()
    assert "campo desconhecido: &#x27;nome&#x27;" in pane.error.value
    pane.body.value = "Enviar carta a {{ cliente }}: {{ total }}."
    pane.save.click()
    assert pane.error.value == "" and board.state.db.regua.step("Carta 60").body.startswith("Enviar carta")
    pane.delete.click()
    assert "Carta 60" not in pane.steps_table.value


def test_preview_of_the_selected_row_and_the_tasks_filter(board, smtp_server, monkeypatch):
    board.state.filter_id = 0  # every due or overdue receivable
    board.state.select_key("A2", "1")
    board.regua.preview_button.click()
    assert "Segundo aviso 10 dias após" in board.regua.preview.value and "Documento A1" in board.regua.preview.value
    configure(board.state.db, smtp_server.port)
    monkeypatch.setenv("COBRANCA_NOW", "2020-06-08T10:00")  # only the real clock sends
    run(board.state.db, dry_run=False)
    board.regua.refresh()
    assert "enviado" in board.regua.log_table.value and "tarefa criada" in board.regua.log_table.value
    assert ">nan<" not in board.regua.log_table.value  # an empty observation is empty
    board.regua.tasks_button.click()
    assert board.state.current_filter.description == "Tarefas de hoje"
    assert sorted(board.state.worklist["document"]) == ["C1", "C2", "D1"]


def test_hostile_step_names_and_texts_are_shown_as_text(board):
    pane = board.regua
    pane.choose.value = "(nova etapa)"
    pane.name.value, pane.days.value, pane.channel.value = "<script>alert(1)</script>", 45, "Telefone"
    pane.body.value = "Ligar para {{ cliente }}"
    pane.save.click()
    assert "<script>" not in pane.steps_table.value and "&lt;script&gt;alert(1)&lt;/script&gt;" in pane.steps_table.value
    board.state.filter_id = 0
    board.state.select_key("H1", "1")
    pane.preview_button.click()
    assert "<img" not in pane.preview.value and "&lt;img src=x onerror=alert(1)&gt;" in pane.preview.value
