"""The "Baixas" section of the dashboard (widgets, no browser): preview writes nothing, confirm settles and the row
leaves the list, the review list is resolved by choosing the receivable, the KPI "Pagos hoje"."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D

from support.baixa_helpers import balances
from support.bank_files import cnab400
from support.e2e_helpers import FILTER_1_10, build_known_db
from support.known import ENGINES

from cobranca.dashboard import build_app

ENGINES = ENGINES  # runs on a DuckDB file and on PostgreSQL (see conftest.py)


def _file(today: date) -> bytes:
    day = today - timedelta(days=1)
    return cnab400("237", [dict(document="144/1", day=day, paid="1000.00", fee="2.00"),
                           dict(document="NADA", day=day, paid="50.00"),
                           dict(code="02", document="301", day=day)])


def _upload(view, name: str, data: bytes) -> None:
    view.upload.value = ({"name": name, "type": "", "size": len(data), "content": memoryview(data),
                          "last_modified": datetime(2026, 12, 7, tzinfo=UTC)},)


def test_preview_confirm_review_and_paid_today(db_path, monkeypatch):
    monkeypatch.setenv("COBRANCA_USER", "SUPERVISOR")
    db = build_known_db(db_path)
    app = build_app(db)
    app.filters.dropdown.label = FILTER_1_10
    app.more.selected_index = 5
    view = app.baixa
    assert "Pagos hoje:</b> 0" in view.paid_today.value
    _upload(view, "retorno.ret", _file(db.today()))  # the company's day, the one clock
    view.on_preview()
    assert "Pré-visualização: nada foi gravado" in view.preview.value and "Quitadas: 1" in view.preview.value
    assert "A revisar: 1" in view.preview.value and "Não são pagamento: 1" in view.preview.value
    assert balances(db)[("144", "1")] == 1000 and "144" in set(app.state.worklist["document"])
    view.on_confirm()
    assert balances(db)[("144", "1")] == 0
    assert "144" not in set(app.state.worklist["document"])  # the settled row leaves the list at once
    assert "Pagos hoje:</b> 1 (R$ 1.000,00)" in view.paid_today.value
    assert "Pagos hoje" in app.kpis.cards.value and "R$ 1.000,00" in app.kpis.cards.value
    assert "NADA" in view.review.value
    view.document.value = "200/A"
    view.on_resolve()
    assert balances(db)[("200/A", "1")] == D("39.90") and "Nenhum pagamento a revisar" in view.review.value


def test_paid_today_stays_on_the_kpis_after_a_contact(tmp_path, monkeypatch):
    """A contact re-reads the totals of the list; the KPI "Pagos hoje" (bank files) must not fall back to 0."""
    monkeypatch.setenv("COBRANCA_USER", "SUPERVISOR")
    db = build_known_db(tmp_path / "b.duckdb")
    db.baixa.apply([("retorno.ret", _file(db.today()))], by="SUPERVISOR")
    app = build_app(db)
    app.filters.dropdown.label = FILTER_1_10
    assert "1 · R$ 1.000,00" in app.kpis.cards.value
    app.state.select(0)
    done = app.state.contact.register_contact("Telefone", observation="ligou")
    assert done.summary == "Contato por Telefone registrado." and bool(app.state.worklist.loc[0, "contacted_today"])
    assert "1 · R$ 1.000,00" in app.kpis.cards.value
