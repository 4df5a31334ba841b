"""`baixa` on real DuckDB files and PostgreSQL: real return files settle exactly the liquidated titles, partial and over-payment,
fees, idempotence, dry runs, refusals that write nothing, the review list, the ERP re-import and the results."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.baixa_helpers import balances, count, frame, make_db
from support.bank_files import cnab240, cnab400
from support.known import ENGINES
from support.pg_helpers import raw_connection, target_of

from cobranca.baixa.records import BankFileError

ENGINES = ENGINES  # every test taking db/db_path runs on a DuckDB file and on PostgreSQL (see conftest.py)
FIXTURES = Path(__file__).parents[1] / "fixtures" / "bank"
ITAU = [("Bia", "X1", "1", date(2013, 6, 20), "389.75", "0", "109/00231327-0"),
        ("Caio", "X2", "1", date(2013, 6, 20), "565.00", "0", "00123442"),
        ("Duda", "X3", "1", date(2013, 6, 20), "395.41", "0", "211842"),
        ("Edu", "X4", "1", date(2013, 6, 20), "600.00", "0", "109/00237636-5"),
        ("Fábio", "X5", "1", date(2013, 6, 20), "50.00", "0", None)]


@pytest.fixture
def itau(db_path):
    return make_db(db_path, ITAU)


def test_real_itau_return_settles_exactly_the_liquidated_titles(itau):
    report = itau.baixa.apply([FIXTURES / "itau_cnab400.ret"])
    got = balances(itau)
    assert got[("X1", "1")] == D("0.00") and got[("X3", "1")] == D("0.00")  # 06 liquidação normal
    assert got[("X2", "1")] == D("565.00")  # 25 alegações do pagador: reported, never a payment
    assert got[("X4", "1")] == D("54.40")  # 600,00 − (344,00 paid + 201,60 discount granted): partial
    assert got[("X5", "1")] == D("50.00")
    assert [o.receivable_id is not None for o in report.outcomes("settled")] == [True, True]
    (partial,) = report.outcomes("partial")
    assert partial.applied == D("545.60") and partial.excess == D("0.00")
    x3 = next(o for o in report.outcomes("settled") if o.record.line == 4)
    assert (x3.applied, x3.excess) == (D("395.41"), D("0.01"))  # the juros paid are charges received
    open_docs = set(itau.worklists.rows(as_of=date(2013, 7, 1))["document"])
    assert open_docs == {"X2", "X4", "X5"}  # the settled ones leave the worklist at once


def test_each_payment_is_a_history_entry_and_a_payment_event(itau):
    itau.baixa.apply([FIXTURES / "itau_cnab400.ret"])
    entries = itau.contacts.history("X3")
    (payment,) = entries[entries["kind"] == "payment"].to_dict("records")
    assert payment["channel"] == "Pagamento"
    assert payment["observation"].startswith("Pagamento de R$ 395,42 em 20/06/2013 — Itaú, retorno CNAB 400")
    assert "Tarifa do banco (custo da empresa): R$ 3,33" in payment["observation"]
    assert count(itau, "payment_events") == 3
    assert itau.contacts.last_entry("X3") is None  # "Cancelar último" never undoes a bank payment


def test_applying_the_same_file_again_changes_nothing(itau):
    itau.baixa.apply([FIXTURES / "itau_cnab400.ret"])
    before = (balances(itau), count(itau, "bank_records"), count(itau, "payment_events"),
              count(itau, "receivable_events"))
    again = itau.baixa.apply([FIXTURES / "itau_cnab400.ret", FIXTURES / "itau_cnab400.ret"])
    assert len(again.outcomes("duplicate")) == 8 and not again.outcomes("settled")
    assert (balances(itau), count(itau, "bank_records"), count(itau, "payment_events"),
            count(itau, "receivable_events")) == before


def test_dry_run_reports_and_writes_nothing(itau):
    before = balances(itau)
    report = itau.baixa.apply([FIXTURES / "itau_cnab400.ret"], dry_run=True)
    assert len(report.outcomes("settled")) == 2 and report.dry_run
    assert balances(itau) == before and count(itau, "bank_records") == 0 and count(itau, "bank_files") == 0


def test_real_bradesco_registration_then_liquidation_and_unknown_titles_to_review(db_path):
    db = make_db(db_path, [("Ana", "15", "1", date(2012, 4, 12), "5.00", "0", "09/00000000009-7")])
    report = db.baixa.apply([FIXTURES / "bradesco_cnab400.ret"])
    assert balances(db)[("15", "1")] == D("0.00")
    assert [o.record.occurrence for o in report.outcomes("not_payment")] == ["02"]
    review = db.baixa.review_list()
    assert len(review) == 5 and set(review["paid"]) == {D("0.02")}  # never dropped, never guessed
    assert review["reason"].iloc[0] == "nenhuma conta com nosso número 9/00000000018-6"


def test_real_caixa_discount_granted_settles_and_the_fee_is_never_debt(db_path):
    db = make_db(db_path, [("Gil", "C1", "1", date(2014, 1, 10), "80.00", "0", "24/0000000111378897"),
                           ("Hugo", "C2", "1", date(2014, 1, 2), "80.00", "0", "111369979")])
    db.baixa.apply([FIXTURES / "caixa_cnab240.ret"])
    assert balances(db) == {("C1", "1"): D("0.00"), ("C2", "1"): D("0.00")}
    paid = db.baixa.payments()
    assert list(paid["paid"]) == [D("80.00"), D("70.00")] and list(paid["fee"]) == [D("1.25"), D("1.25")]
    assert list(paid["discount"]) == [D("0.00"), D("10.00")]
    assert list(paid["applied"]) == [D("80.00"), D("80.00")]  # C1 paid 70 + 10 discount: 80 of the balance
    assert balances(db)[("C1", "1")] == 0
    assert len(db.baixa.review_list()) == 7


def test_real_bb_and_santander_cnab240_settle_by_nosso_numero(db_path):
    db = make_db(db_path, [("Ivo", "B1", "1", date(2011, 3, 23), "40.00", "0", "32948600000000196"),
                           ("Jó", "S1", "1", date(2014, 6, 4), "10.00", "0", "104-0")])
    report = db.baixa.apply([FIXTURES / "bb_cnab240.ret", FIXTURES / "santander_cnab240.ret"])
    assert balances(db) == {("B1", "1"): D("0.00"), ("S1", "1"): D("0.00")}
    santander = next(o for o in report.outcomes("settled") if o.record.bank == "033")
    assert (santander.applied, santander.excess) == (D("10.00"), D("1.00"))  # paid 11,00 on 10,00


@pytest.mark.parametrize("writer,bank", [(cnab400, b) for b in ("001", "033", "041", "104", "237", "341", "748",
                                                                 "756")] + [(cnab240, b) for b in ("001", "104")])
def test_partial_and_over_payment_of_every_bank(db_path, writer, bank):
    db = make_db(db_path, [("Ana", "P1", "1", date(2026, 11, 30), "100.00", "0", "101"),
                           ("Bia", "P2", "1", date(2026, 11, 30), "100.00", "0", "102")])
    day = date(2026, 12, 4)
    data = writer(bank, [dict(nosso="101", dv="1", day=day, face="100.00", paid="60.00", fee="1.50"),
                         dict(nosso="102", dv="2", day=day, face="100.00", paid="104.00", interest="4.00")])
    report = db.baixa.apply([(f"{bank}.ret", data)])
    assert balances(db) == {("P1", "1"): D("40.00"), ("P2", "1"): D("0.00")}
    (over,) = report.outcomes("settled")
    assert (over.applied, over.excess) == (D("100.00"), D("4.00"))
    db.baixa.apply([(f"{bank}-again.ret", writer(bank, [dict(nosso="101", dv="1", day=date(2026, 12, 5),
                                                       face="100.00", paid="40.00")]))])
    assert balances(db)[("P1", "1")] == D("0.00")


def test_seu_numero_matches_a_receivable_without_nosso_numero(db_path):
    db = make_db(db_path, [("Ana", "00123", "1", date(2026, 11, 30), "100.00", "0", None),
                           ("Ana", "00123", "2", date(2026, 12, 30), "100.00", "0", None),
                           ("Bia", "777", "1", date(2026, 11, 30), "50.00", "0", None),
                           ("Caio", "D1", "1", date(2026, 11, 30), "10.00", "0", "55"),
                           ("Duda", "D2", "1", date(2026, 11, 30), "10.00", "0", "0055")])
    day = date(2026, 12, 4)
    data = cnab400("237", [dict(document="123", day=day, paid="10.00"), dict(document="123/2", day=day,
                           paid="100.00"), dict(document="000777", day=day, paid="50.00"),
                           dict(nosso="55", dv="0", day=day, paid="10.00")])
    report = db.baixa.apply([("seu.ret", data)])
    got = balances(db)
    assert got[("00123", "2")] == 0 and got[("777", "1")] == 0 and got[("00123", "1")] == D("100.00")
    reasons = [o.reason for o in report.outcomes("review")]
    assert reasons == ["2 contas com seu número 123", "2 contas com nosso número 00000000055-0"]  # never guessed


def test_the_review_list_is_resolved_by_choosing_the_receivable(db_path):
    db = make_db(db_path, [("Ana", "R1", "1", date(2026, 11, 30), "100.00", "0", None)])
    db.baixa.apply([("x.ret", cnab400("341", [dict(nosso="999", dv="1", carteira="109", day=date(2026, 12, 4),
                                              paid="30.00")]))])
    (item,) = db.baixa.review_list().to_dict("records")
    done = db.baixa.resolve(item["id"], "R1")
    assert (done.status, done.applied) == ("partial", D("30.00"))
    assert balances(db)[("R1", "1")] == D("70.00") and db.baixa.review_list().empty
    with pytest.raises(Exception, match="não está na lista a revisar"):
        db.baixa.resolve(item["id"], "R1")
    assert list(db.baixa.payments()["document"]) == ["R1"]


def test_an_erp_reimport_behind_the_bank_never_reopens_and_one_ahead_wins(db_path):
    rows = [("Ana", "E1", "1", date(2026, 11, 30), "100.00", "0", "11"),
            ("Bia", "E2", "1", date(2026, 11, 30), "100.00", "0", "12")]
    db = make_db(db_path, rows)
    day = date(2026, 12, 4)
    db.baixa.apply([("e.ret", cnab400("237", [dict(nosso="11", dv="0", day=day, paid="100.00"),
                                         dict(nosso="12", dv="0", day=day, paid="40.00")]))])
    events = count(db, "payment_events")
    db.receivables.upsert(frame(rows))  # the ERP has not caught up: paid 0 on both
    assert balances(db) == {("E1", "1"): D("0.00"), ("E2", "1"): D("60.00")}
    assert count(db, "payment_events") == events  # no reversal recorded
    ahead = [rows[0], ("Bia", "E2", "1", date(2026, 11, 30), "100.00", "70.00", None)]
    db.receivables.upsert(frame(ahead))  # the ERP shows more paid on E2: it wins (and the nosso número stays)
    assert balances(db)[("E2", "1")] == D("30.00")
    assert db.receivables.find("E2")["receivable_id"] and count(db, "payment_events") == events + 1


def test_results_count_a_bank_payment_after_a_contact(db_path, monkeypatch):
    db = make_db(db_path, [("Ana", "K1", "1", date(2026, 11, 20), "100.00", "0", "11")])
    from datetime import datetime
    db.contacts.register_one("K1", channel="Telefone", observation="cobrado", at=datetime(2026, 11, 28, 10))
    db.baixa.apply([("k.ret", cnab400("341", [dict(nosso="11", dv="0", carteira="109", day=date(2026, 11, 29),
                                              paid="100.00")]))])
    recovered = db.results.recovered_after_contact(date(2026, 11, 1), date(2026, 11, 30))
    assert D(str(recovered["recovered"].sum())) == D("100.00")


def test_export_for_the_erp_is_formula_safe(db_path):
    db = make_db(db_path, [("Ana", "=HYPERLINK(\"x\")", "1", date(2026, 11, 30), "100.00", "0", "11")])
    db.baixa.apply([("x.ret", cnab400("237", [dict(nosso="11", dv="0", day=date(2026, 12, 4), paid="100.00",
                                              fee="2.50")]))])
    text = db.baixa.payments_csv().decode("utf-8-sig")
    header, row = text.splitlines()[:2]
    assert header == ("Documento;Parcela;Data Pagamento;Valor Pago;Desconto;Encargos Recebidos;Valor Baixado;"
                      "Tarifa;Banco;Nosso Número;Origem")
    assert row.startswith("\"'=HYPERLINK(\"\"x\"\")\";1;04/12/2026;100,00;0,00;0,00;100,00;2,50;237;")


def test_cli_baixa_json_and_a_truncated_file_refused_whole(run, db, tmp_path):
    db.receivables.upsert(frame([("Ana", "J1", "1", date(2026, 11, 30), "100.00", "0", "11")]))
    good = tmp_path / "good.ret"
    good.write_bytes(cnab400("237", [dict(nosso="11", dv="0", day=date(2026, 12, 4), paid="100.00"),
                                     dict(code="02", nosso="12", dv="0", day=date(2026, 12, 4))]))
    bad = tmp_path / "bad.ret"
    lines = cnab400("237", [dict(nosso="11", dv="0", day=date(2026, 12, 4), paid="1.00")]).split(b"\r\n")
    bad.write_bytes(b"\r\n".join([lines[0], lines[1][:200], lines[2]]))
    code, out, err = run("baixa", str(good), str(bad))
    assert code == 2 and "bad.ret" in err and "linha 2" in err and "200 posições" in err
    assert count(db, "bank_records") == 0 and balances(db)[("J1", "1")] == D("100.00")
    code, out, err = run("baixa", str(good), "--format", "json")
    result = json.loads(out)
    assert code == 0 and [i["document"] for i in result["settled"]] == ["J1"]
    assert [i["occurrence"] for i in result["not_payment"]] == ["02"] and result["review"] == []
    assert result["partial"] == [] and result["already_applied"] == 0
    code, out, err = run("baixa", str(good), "--format", "json")
    assert json.loads(out)["already_applied"] == 2


def test_a_malformed_file_raises_before_anything_is_written(itau):
    with pytest.raises(BankFileError):
        itau.baixa.apply([FIXTURES / "itau_cnab400.ret", ("x.ret", b"0" * 10)])
    assert count(itau, "bank_records") == 0


FILES = [("a.ret", cnab400("237", [dict(nosso="11", dv="0", day=date(2026, 12, 1), paid="60.00"),
                                   dict(nosso="12", dv="0", day=date(2026, 12, 1), paid="100.00")])),
         ("b.ret", cnab400("237", [dict(nosso="11", dv="0", day=date(2026, 12, 2), paid="60.00"),
                                   dict(nosso="13", dv="0", day=date(2026, 12, 2), paid="30.00")])),
         ("c.ret", cnab240("001", [dict(nosso="13", day=date(2026, 12, 3), paid="30.00"),
                                   dict(code="09", nosso="12", day=date(2026, 12, 3))]))]
ROWS = [("Ana", "H1", "1", date(2026, 11, 30), "100.00", "0", "11"),
        ("Bia", "H2", "1", date(2026, 11, 30), "100.00", "0", "12"),
        ("Caio", "H3", "1", date(2026, 11, 30), "100.00", "0", "13")]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(range(len(FILES))), min_size=1, max_size=6), st.booleans())
def test_any_sequence_of_the_same_files_ends_in_the_same_balances(tmp_path_factory, order, together):
    db = make_db(tmp_path_factory.mktemp("p") / "p.duckdb", ROWS)
    if together:
        db.baixa.apply([FILES[i] for i in order])
    else:
        for i in order:
            db.baixa.apply([FILES[i]])
    for i in range(len(FILES)):  # whatever was applied before, the end state has every file applied once
        db.baixa.apply([FILES[i]])
    assert balances(db) == {("H1", "1"): D("0.00"), ("H2", "1"): D("0.00"), ("H3", "1"): D("40.00")}


def test_regua_run_warns_when_no_payment_file_was_applied_since_its_last_run(db, capsys):
    from cobranca.cli import main

    def run_regua() -> str:
        main(["--db", target_of(db), "regua", "run", "--now", "2020-06-08T10:00"])
        return capsys.readouterr().err

    assert "nenhum arquivo de retorno do banco ou extrato foi aplicado; rode 'cobranca baixa'" in run_regua()
    db.baixa.apply([("d.ret", cnab400("237", [dict(nosso="1", dv="0", day=date(2020, 6, 5), paid="1.00")]))])
    assert "nenhum arquivo de retorno" not in run_regua()
    with raw_connection(target_of(db)) as con:  # a run logged after the last file (what `regua run --yes` writes)
        con.execute("""INSERT INTO regua_log VALUES (nextval('regua_log_ids'), 1, 1, 'Vence hoje', DATE '2099-01-01',
                       'task', 'Telefone', NULL, NULL, TIMESTAMP '2099-01-01 13:00')""")
    assert "desde a última execução da régua (01/01/2099 10:00:00)" in run_regua()


def test_cli_review_list_resolve_and_export(run, db, tmp_path):
    data = cnab400("237", [dict(document="NADA", day=date(2026, 12, 4), paid="30.00")])
    (tmp_path / "r.ret").write_bytes(data)
    assert run("baixa", str(tmp_path / "r.ret"))[0] == 0
    code, out, _ = run("baixa", "--revisar")
    assert code == 0 and "r.ret linha 2: NADA R$ 30,00 em 04/12/2026 — nenhuma conta com seu número NADA" in out
    record_id = out.split()[0].lstrip("#")
    code, out, _ = run("baixa", "--resolver", record_id, "--documento", "301")
    assert code == 0 and "R$ 30,00 (pagamento parcial)" in out
    assert balances(db)[("301", "1")] == D("470.00")
    assert run("baixa", "--revisar")[1].startswith("Nenhum pagamento a revisar")
    code, out, _ = run("baixa", "--exportar", str(tmp_path / "p.csv"))
    assert code == 0 and (tmp_path / "p.csv").read_bytes().decode("utf-8-sig").splitlines()[1].startswith("301;1;")


def test_a_receivable_paid_at_the_bank_leaves_the_regua_at_once(db_path):
    from datetime import datetime

    from support.regua_helpers import regua_db

    from cobranca.workflows.regua_run import run

    db = regua_db(db_path)

    def planned() -> set[str]:
        plan = run(db, datetime(2020, 6, 8, 10), dry_run=True).plan
        return {r["document"] for item in plan.emails + plan.tasks for r in item.rows}

    assert "A2" in planned()
    db.baixa.apply([("a2.ret", cnab400("341", [dict(document="A2", day=date(2020, 6, 8), paid="200.00")]))])
    assert "A2" not in planned() and "A1" in planned()


def test_two_processes_applying_the_same_file_at_once_pay_it_once(db_path, tmp_path):
    import os
    import subprocess
    import sys

    db = make_db(db_path, [("Ana", f"M{i}", "1", date(2026, 11, 30), "100.00", "0", str(100 + i)) for i in range(50)])
    path = tmp_path / "m.ret"
    path.write_bytes(cnab400("237", [dict(nosso=str(100 + i), dv="0", day=date(2026, 12, 4), paid="60.00")
                                     for i in range(50)]))
    command = [sys.executable, "-m", "cobranca", "--db", str(db_path), "baixa", str(path), "--format", "json"]
    env = {**os.environ, "COBRANCA_USER": "ROBO"}
    procs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) for _ in range(2)]
    results = [json.loads(p.communicate(timeout=300)[0]) for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert sorted(len(r["partial"]) for r in results) == [0, 50]  # one applied it, the other found it applied
    assert set(balances(db).values()) == {D("40.00")} and count(db, "payment_events") == 50


def test_the_store_refuses_a_second_copy_of_a_kept_record(itau):
    itau.baixa.apply([FIXTURES / "itau_cnab400.ret"])  # whatever a writer does, a record (hence a payment) is kept once
    with raw_connection(target_of(itau)) as con, pytest.raises(Exception, match="(?i)duplicate key"):
        con.execute("INSERT INTO bank_records SELECT * FROM bank_records LIMIT 1")
    assert count(itau, "bank_records") == 4
