"""`cobranca results`, `cobranca customer` and `cobranca carteira` (exit codes, pt-BR, JSON/CSV)."""

from __future__ import annotations

import json

from support.known import ENGINES

ENGINES = ENGINES  # every test here runs on a DuckDB file and on PostgreSQL (see conftest.py)

def test_results_json_has_the_hand_computed_figures(book, run):
    code, out, err = run.on(book, "results", "--from", "01/06/2020", "--to", "2020-06-30", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert (data["dso_days"], data["cei_percent"]) == ("65.7", "58.3")
    assert (data["avg_days_late_settled"], data["avg_days_late_open"]) == ("26.0", "19.6")
    assert data["recovered_after_contact"] == {"receivables": 2, "amount": "1050.00"}
    assert data["recovered_by_channel"] == [{"channel": "WhatsApp", "receivables": 1, "recovered": "1000.00"},
                                            {"channel": "E-mail", "receivables": 1, "recovered": "50.00"}]
    assert data["promises"] == {"kept": 1, "broken": 1, "kept_rate": "0.5000"}
    assert [a["bucket"] for a in data["aging"]] == ["a vencer", "1-30", "31-60", "61-90", ">90"]


def test_results_table_and_csv_in_portuguese(book, run):
    code, out, err = run.on(book, "results", "--from", "2020-06-01", "--to", "2020-06-30")
    assert code == 0, err
    assert "65,7 dias" in out and "58,3%" in out and "2 contas, R$ 1.050,00" in out and "50,0% (1 de 2)" in out
    assert "Recuperado por analista" in out and "Ana" in out
    code, out, err = run.on(book, "results", "--from", "2020-06-01", "--to", "2020-06-30", "--format", "csv")
    assert code == 0 and out.splitlines()[0] == "indicador;valor"
    code, out, err = run.on(book, "results", "--from", "2020-06-30", "--to", "2020-06-01")
    assert code == 2 and "Período inválido" in err


def test_customer_command_and_contact_for_all(db, run):
    code, out, err = run("customer", "CompuFour Software", "--as-of", "2020-06-08")
    assert code == 0, err
    assert "Total atualizado: R$ 1.227,60" in out and "Mensagem (WhatsApp)" in out
    code, out, err = run("customer", "1", "--contact", "Telefone", "--observation", "acordo", "--by", "Ana")
    assert code == 0 and "2 contas" in out
    code, out, err = run("customer", "1", "--as-of", "2020-06-08", "--format", "json")
    data = json.loads(out)
    assert data["total"] == "1227.60" and [h["observation"] for h in data["history"]] == ["acordo", "acordo"]
    code, out, err = run("customer", "Ninguém")
    assert code != 0 and "não encontrado" in err


def test_carteira_split_list_and_worklist_mine(db, run, monkeypatch):
    code, out, err = run("carteira", "split", "Ana", "Bia")
    assert code == 0, err
    assert out.splitlines() == ["Ana: 2 clientes", "Bia: 2 clientes"]  # 4 customers with open receivables (Quitado is paid)
    code, out, err = run("carteira", "list", "--format", "json")
    assert sorted({r["analyst"] for r in json.loads(out)}) == ["Ana", "Bia"]
    monkeypatch.setenv("COBRANCA_USER", "Bia")
    code, out, err = run("worklist", "--as-of", "2020-06-08", "--mine", "--format", "json")
    assert code == 0, err
    assert {r["assigned_to"] for r in json.loads(out)} == {"Bia"}
    code, out, err = run("carteira", "assign", "--customer", "4", "Caio")
    assert code == 0 and "Padaria Pão Quente na carteira de Caio" in out


def test_filters_add_mine(db, run, monkeypatch):
    code, out, err = run("filters", "add", "Minha carteira", "--min-days", "0", "--mine")
    assert code == 0 and "da minha carteira" in out
    run("carteira", "assign", "--customer", "1", "Ana")
    monkeypatch.setenv("COBRANCA_USER", "Ana")
    code, out, err = run("worklist", "--filter", "Minha carteira", "--as-of", "2020-06-08", "--format", "json")
    assert sorted(r["document"] for r in json.loads(out)) == ["144", "145"]


def test_hostile_analyst_names_are_data(db, run):
    code, out, err = run("carteira", "assign", "--customer", "1", "=HYPERLINK(\"http://x\")")
    assert code == 0, err
    code, out, err = run("carteira", "list", "--format", "csv")
    assert "'=HYPERLINK" in out  # neutralised for spreadsheets
    code, out, err = run("carteira", "assign", "--customer", "1", "   ")
    assert code == 2 and "nome do analista" in err
