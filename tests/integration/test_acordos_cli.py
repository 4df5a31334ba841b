"""`cobranca acordo ...` on a real DuckDB file and on PostgreSQL: JSON shapes (money as strings, ISO dates), --yes, errors, Pix."""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest
from support.known import ENGINES

from cobranca.pix import brcode as pix

pytestmark = pytest.mark.usefixtures("company_today")  # today = 08/06/2020
ENGINES = ENGINES  # every test here runs on a DuckDB file and on PostgreSQL (see conftest.py)


def test_simular_prints_the_json_of_the_issue_and_stores_nothing(run, db):
    before = db.receivables.counts()
    code, out, err = run("acordo", "simular", "4", "--parcelas", "3", "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert {k: data[k] for k in ("total_original", "discount", "total")} == {
        "total_original": "1299.99", "discount": "44.94", "total": "1255.05"}
    assert data["entry"] == {"due_date": "2020-06-08", "amount": "188.26"}
    assert data["installments"] == [{"number": 1, "due_date": "2020-07-08", "amount": "355.60"},
                                    {"number": 2, "due_date": "2020-08-10", "amount": "355.60"},
                                    {"number": 3, "due_date": "2020-09-08", "amount": "355.59"}]
    assert db.receivables.counts() == before


def test_simular_with_chosen_documents_discounts_and_dates(run):
    code, out, _ = run("acordo", "simular", "1", "--parcelas", "1", "--documentos", "145/1", "--entrada", "100,00",
                       "--primeiro-vencimento", "2026-02-17", "--desconto-juros", "0", "--format", "json")
    assert code == 0
    data = json.loads(out)
    # 145: balance 200,00, 19 days: fine 4,00, interest 200 × 19 / 3000 = 1,27 -> 205,27; no discount up to 30 days
    assert (data["total_original"], data["discount"], data["total"]) == ("205.27", "0.00", "205.27")
    assert [r["document"] for r in data["receivables"]] == ["145"]
    assert data["entry"] == {"due_date": "2020-06-08", "amount": "100.00"}
    assert data["installments"] == [{"number": 1, "due_date": "2026-02-18", "amount": "105.27"}]  # Carnival Tuesday


def test_criar_needs_yes_then_prints_the_agreement_with_its_pix(run, db):
    code, out, _ = run("acordo", "criar", "4", "--parcelas", "2")
    assert code == 0 and "Confirme com --yes" in out and db.agreements.list(check=False) == []
    assert run("settings", "set", "pix_key", "11.222.333/0001-81")[0] == 0
    assert run("settings", "set", "pix_city", "São Paulo")[0] == 0
    code, out, err = run("acordo", "criar", "4", "--parcelas", "2", "--yes", "--format", "json")
    assert (code, err) == (0, "")
    made = json.loads(out)
    assert (made["id"], made["status"], made["created_by"], made["total"]) == (1, "active", "SUPERVISOR", "1255.05")
    decoded = pix.decode(made["entry"]["pix"])
    assert (str(decoded.amount), made["entry"]["amount"], made["entry"]["pix_amount"]) == ("188.26",) * 3
    assert decoded.txid == pix.txid_for_receivable("ACORDO-1", "0")
    assert [p["number"] for p in made["installments"]] == [1, 2]
    code, out, _ = run("acordo", "listar", "--format", "json")
    assert [a["id"] for a in json.loads(out)] == [1]
    code, out, _ = run("acordo", "mostrar", "1")
    assert "Acordo nº 1 — Padaria Pão Quente — Em dia" in out and "Pix copia e cola (R$ 188,26)" in out
    code, out, _ = run("worklist", "--include-paused", "--format", "json")
    statuses = {(r["document"], r["status"]) for r in json.loads(out)}
    assert ("402", "agreement") in statuses


def test_cancelar_is_audited_and_listar_filters_by_status(run):
    run("acordo", "criar", "4", "--parcelas", "1", "--yes")
    code, out, err = run("acordo", "cancelar", "1", "--motivo", "cliente desistiu", "--format", "json")
    assert code == 0, err
    done = json.loads(out)
    assert (done["status"], done["ended_by"], done["end_reason"]) == ("cancelled", "SUPERVISOR", "cliente desistiu")
    assert json.loads(run("acordo", "listar", "--status", "active", "--format", "json")[1]) == []
    code, _, err = run("acordo", "cancelar", "1", "--motivo", "de novo")
    assert code == 2 and "já está cancelado" in err


def test_bad_input_is_a_clear_pt_br_error(run):
    code, _, err = run("acordo", "simular", "4", "--parcelas", "3", "--desconto-juros", "90")
    assert code == 2 and "Desconto de juros de 90% acima do máximo da política (80% para 91 a 180 dias" in err
    code, _, err = run("acordo", "simular", "4", "--parcelas", "3", "--entrada", "abc")
    assert code == 2 and "--entrada 'abc'" in err
    code, _, err = run("acordo", "simular", "4", "--parcelas", "3", "--documentos", "999/1")
    assert code == 2 and "O documento 999/1 não é uma conta em aberto do cliente Padaria Pão Quente" in err
    code, _, err = run("acordo", "mostrar", "7")
    assert code == 2 and "Acordo nº 7 não encontrado" in err


def test_politica_shows_and_edits_one_band(run):
    code, out, _ = run("acordo", "politica", "--format", "json")
    assert code == 0 and json.loads(out)[0] == {
        "min_days": 0, "max_days": 30, "max_interest_discount": "0", "max_fine_discount": "0",
        "min_entry_percent": "30", "max_installments": 3, "min_installment": "100.00"}
    code, out, err = run("acordo", "politica", "--faixa", "91", "--desconto-juros", "60", "--format", "json")
    assert code == 0, err
    assert json.loads(out)[2]["max_interest_discount"] == "60"
    code, _, err = run("acordo", "simular", "4", "--parcelas", "1", "--desconto-juros", "70")
    assert code == 2 and "máximo da política (60%" in err
    code, _, err = run("acordo", "politica", "--faixa", "92", "--parcelas", "3")
    assert code == 2 and "Nenhuma faixa começa em 92 dias" in err


def test_verificar_breaks_an_agreement_late_beyond_the_grace(run, db, monkeypatch):
    run("acordo", "criar", "4", "--parcelas", "1", "--yes")
    monkeypatch.setenv("COBRANCA_NOW", "2020-06-14T10:00:00-03:00")  # the entry is 6 days late
    code, out, _ = run("acordo", "verificar")
    assert code == 0 and "Acordos quebrados agora: 1" in out
    code, out, _ = run("worklist", "--filter", "Acordos quebrados", "--format", "json")
    assert [(r["document"], r["status"]) for r in json.loads(out)] == [("402", "agreement_broken")]


def test_exportar_writes_the_erp_csv_and_its_reimport_links_instead_of_duplicating(run, db, tmp_path):
    run("acordo", "criar", "4", "--parcelas", "2", "--yes")
    target = tmp_path / "acordo.csv"
    code, out, err = run("acordo", "exportar", "1", "-o", str(target))
    assert code == 0, err
    lines = target.read_bytes().decode("utf-8-sig").splitlines()
    assert lines[0] == ("Código Cliente;Cliente;CPF/CNPJ;Documento;Parcela;Emissão;Vencimento;Valor;Valor Pago;"
                        "Histórico;Situação no acordo;Acordo")
    assert lines[1] == "4;Padaria Pão Quente;;402;1;;01/03/2020;1234,56;0,00;Substituída pelo acordo nº 1;substituída;1"
    assert lines[2] == "4;Padaria Pão Quente;;ACORDO-1;0;08/06/2020;08/06/2020;188,26;0,00;Acordo nº 1: entrada;nova;1"
    assert len(lines) == 5  # 402, the entry and 2 installments
    before = db.receivables.counts()["receivables"]
    paid = target.read_bytes().decode("utf-8-sig").replace("188,26;0,00;Acordo", "188,26;188,26;Acordo")
    target.write_text(paid, encoding="utf-8")  # the ERP registered the agreement and got the entry paid
    db.receivables.import_file(target)
    assert db.receivables.counts()["receivables"] == before  # the same receivables, not new ones
    shown = db.agreements.show(1)
    assert (shown["entry"]["paid"], shown["entry"]["balance"]) == (D("188.26"), D("0.00"))
    assert shown["status"] == "active"


def test_mensagem_has_the_summary_and_the_entry_pix_and_respects_opt_out(run, db):
    db.settings.set("pix_key", "11.222.333/0001-81")
    db.settings.set("pix_city", "São Paulo")
    run("acordo", "criar", "1", "--parcelas", "1", "--yes")  # CompuFour: 144 and 145, no discount up to 30 days
    code, out, err = run("acordo", "mensagem", "1")
    assert code == 0, err
    assert "Total do acordo: R$ 1.227,60 (desconto de R$ 0,00" in out  # 1.022,33 + 205,27
    assert "Entrada: R$ 368,28 com vencimento em 08/06/2020." in out  # 30 % of 1.227,60
    code_line = out.splitlines()[out.splitlines().index("Pague a entrada com Pix (R$ 368,28) — copia e cola:") + 1]
    assert str(pix.decode(code_line).amount) == "368.28"
    assert "https://wa.me/5549999123456?text=" in out
    code, out, _ = run("acordo", "mensagem", "1", "--canal", "email")
    assert "Para: financeiro@compufour.com.br" in out and "Assunto: Acordo nº 1 — Minha Empresa Ltda" in out
    db.policy.opt_out("1", reason="pediu")
    code, out, err = run("acordo", "mensagem", "1")
    assert code == 2 and "não" in err.lower() and out == ""


def test_mensagem_outside_the_legal_hours_is_refused_with_the_next_moment(run, monkeypatch):
    run("acordo", "criar", "4", "--parcelas", "1", "--yes")
    monkeypatch.setenv("COBRANCA_NOW", "2020-06-07T10:00:00-03:00")  # a Sunday
    code, out, err = run("acordo", "mensagem", "1")
    assert code == 2 and out == "" and "08/06/2020" in err


def test_an_erp_reimport_under_its_own_documents_is_linked_not_duplicated(run, db, tmp_path):
    run("acordo", "criar", "4", "--parcelas", "2", "--yes")
    made = db.agreements.show(1)
    erp = tmp_path / "erp.csv"  # the ERP registered the installments as its documents 9001/1 and 9001/2
    lines = ["Código Cliente;Cliente;Documento;Parcela;Vencimento;Valor;Valor Pago"]
    for p in made["installments"]:
        paid = f"{p['amount']}".replace(".", ",") if p["number"] == 1 else "0,00"
        lines.append(f"4;Padaria Pão Quente;9001;{p['number']};{p['due_date']:%d/%m/%Y};"
                     f"{str(p['amount']).replace('.', ',')};{paid}")
    erp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db.receivables.import_file(erp)
    shown = db.agreements.show(1)
    assert [(p["document"], p["installment"]) for p in shown["installments"]] == [("9001", "1"), ("9001", "2")]
    assert shown["installments"][0]["balance"] == D("0.00")  # the ERP's payment settles the installment
    code, out, _ = run("worklist", "--min-days", "0", "--max-days", "400", "--format", "json")
    documents = [(r["document"], r["installment"]) for r in json.loads(out)]
    assert ("ACORDO-1", "1") not in documents
    ours = [db.receivables.find("ACORDO-1", n)["receivable_id"] for n in ("1", "2")]
    assert db.worklists.of_receivables(ours).empty  # our copies are written off: each payment is owed once, as 9001
    assert ("ACORDO-1", "0") in documents  # the entry was not in the ERP file: still ours
