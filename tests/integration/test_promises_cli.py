"""`cobranca promise | dispute | resolve | optout | optin` and `worklist --include-paused` (exit codes, pt-BR, JSON)."""

from __future__ import annotations

import json

import pytest
from support.known import ENGINES, receivables_frame
from support.pg_helpers import target_of

from cobranca.cli import main

pytestmark = pytest.mark.usefixtures("company_today")  # the one test clock (conftest.py)


ENGINES = ENGINES  # every test here runs on a DuckDB file and on PostgreSQL (see conftest.py)

def worklist_json(run, *extra, as_of="2020-06-08"):
    code, out, err = run("worklist", "--as-of", as_of, "--format", "json", *extra)
    assert code == 0, err
    return {r["document"]: r for r in json.loads(out)}


def test_promise_pauses_and_include_paused_shows_it(run):
    code, out, err = run("promise", "144", "--date", "12/06/2020", "--note", "sexta", "--by", "ANA")
    assert code == 0, err
    assert "R$ 1.022,33 até 12/06/2020" in out
    assert "144" not in worklist_json(run)
    row = worklist_json(run, "--include-paused")["144"]
    assert (row["status"], row["promise_date"], row["do_not_contact"]) == ("promised", "2020-06-12", False)
    broken = worklist_json(run, as_of="2020-06-13")
    assert next(iter(broken)) == "144" and broken["144"]["status"] == "promise_broken"
    code, out, err = run("worklist", "--filter", "Promessas quebradas", "--as-of", "2020-06-13")
    assert code == 0 and "Promessa quebrada" in out and "1 conta." in err
    code, out, err = run("history", "144", "--format", "json")
    entry = json.loads(out)[0]
    assert code == 0 and (entry["channel"], entry["responsible"], entry["kind"]) == ("Promessa", "ANA", "promise")
    assert entry["observation"] == "Promessa de pagamento de R$ 1.022,33 até 12/06/2020. sexta"


@pytest.mark.parametrize(("args", "message"), [
    (("promise", "144", "--date", "2020-06-07"), "já passou"),
    (("promise", "144", "--date", "31/02/2020"), "não é uma data válida"),
    (("promise", "144", "--date", "2020-06-12", "--amount", "-3"), "Valor da promessa inválido"),
    (("promise", "144"), "--date"),
    (("promise", "999", "--date", "2020-06-12"), "não encontrado"),
    (("promise", "200/A", "--date", "2020-06-12"), "--installment"),
    (("dispute", "144"), "--reason"),
    (("resolve", "144"), "não tem contestação em aberto"),
    (("optin", "1"), "não está marcado"),
    (("optout", "Ninguém", "--reason", "x"), "não encontrado"),
])
def test_bad_input_exits_2_with_a_pt_br_message(run, args, message):
    code, out, err = run(*args)
    assert code == 2 and message in err, (out, err)


def test_dispute_and_resolve(run):
    code, out, err = run("dispute", "402", "--reason", "Mercadoria com defeito")
    assert code == 0 and "Contestação registrada" in out, err
    assert worklist_json(run, "--include-paused")["402"]["status"] == "disputed"
    assert "402" not in worklist_json(run)
    code, out, err = run("resolve", "402", "--note", "trocada")
    assert code == 0, err
    assert worklist_json(run)["402"]["status"] == "open"
    code, out, err = run("undo", "402")
    assert code == 0 and "Contestação resolvida" in out, err
    assert "402" not in worklist_json(run)  # the dispute is open again


def test_optout_by_code_tax_id_or_name_and_ambiguous_names(run, db):
    rows = receivables_frame()
    rows.loc[rows["customer_code"] == "3", "tax_id"] = "11222333000181"
    rows.loc[rows["customer_code"] == "4", "customer"] = "Maria Souza ME"
    db.receivables.upsert(rows)
    code, out, err = run("optout", "Maria Souza ME", "--reason", "x")
    assert code == 2 and "2 clientes" in err and "código 3" in err and "código 4" in err
    code, out, err = run("optout", "11.222.333/0001-81", "--reason", "pediu")
    assert code == 0 and "Maria Souza ME" in out, err
    assert worklist_json(run)["301"]["do_not_contact"] is True
    code, out, err = run("optin", "3")
    assert code == 0, err
    assert worklist_json(run)["301"]["do_not_contact"] is False


def test_hostile_reason_is_printed_as_given(run):
    hostile = "<img src=x onerror=alert(1)>\"; DROP TABLE contacts; --"
    code, out, err = run("dispute", "144", "--reason", hostile)
    assert code == 0, err
    code, out, err = run("history", "144", "--format", "json")
    assert json.loads(out)[0]["observation"] == f"Contestação: {hostile}"


@pytest.mark.parametrize("argv", [
    ["promise", "144", "--date", "2020-06-12"],
    ["dispute", "144", "--reason", "valor errado"],
    ["optout", "1", "--reason", "LGPD"],
    ["worklist", "--include-paused", "--as-of", "2020-06-08", "--format", "json"],
], ids=lambda a: a[0])
@pytest.mark.duckdb_only  # counts file opens (PostgreSQL's checkouts: test_units_of_work.py)
def test_each_new_command_opens_the_database_once(db, argv, monkeypatch, capsys):
    from cobranca.store import engine_duckdb

    opened = []
    real_connect = engine_duckdb.duckdb.connect
    monkeypatch.setattr(engine_duckdb.duckdb, "connect", lambda path, *a, **k: opened.append(path) or real_connect(path, *a, **k))
    assert main(["--db", target_of(db), *argv]) == 0, capsys.readouterr().err
    assert len(opened) == 1


def test_filters_take_a_status(run):
    code, out, err = run("filters", "add", "Contestadas", "--min-days", "0", "--status", "disputed")
    assert code == 0 and "contestadas" in out, err
    code, out, err = run("filters", "add", "X", "--status", "quebrada")
    assert code == 2 and "Situação de filtro desconhecida" in err
    run("dispute", "402", "--reason", "defeito")
    code, out, err = run("worklist", "--filter", "Contestadas", "--as-of", "2020-06-08", "--format", "json")
    assert [r["document"] for r in json.loads(out)] == ["402"]
    code, out, err = run("filters", "list", "--format", "json")
    assert {f["description"]: f["status"] for f in json.loads(out)}["Promessas para hoje"] == "promise_today"
