"""Régua runs against a real SMTP server on loopback (aiosmtpd), the clock set with --now."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from aiosmtpd.controller import Controller
from support.known import ENGINES
from support.pg_helpers import target_of
from support.regua_helpers import NOW, body_of, recipients, regua_db
from support.smtp_helpers import Recorder, configure

from benchmarks.measure import free_port
from cobranca.cli import main
from cobranca.regua.plan import OUTSIDE_HOURS
from cobranca.workflows.regua_run import run

ENGINES = ENGINES  # every test here runs on a DuckDB file and on PostgreSQL (see conftest.py)
pytestmark = pytest.mark.company_now("2020-06-08T09:00:00-03:00")  # `rdb`'s clock: promises are dated against it

@pytest.fixture
def rdb(company_today, rdb, smtp_server, monkeypatch):
    """The régua's database (integration/conftest.py) mailing as ROBO through the loopback server."""
    monkeypatch.setenv("COBRANCA_USER", "ROBO")
    configure(rdb, smtp_server.port)
    return rdb


def cli(db, *args):
    return main(["--db", target_of(db), "regua", *args])


def send(db, moment: datetime, **kwargs):
    """A sending run with the real clock set to `moment` (company time): only the real clock may send."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COBRANCA_NOW", moment.isoformat())
        return run(db, dry_run=False, **kwargs)


def test_a_dry_run_sends_and_records_nothing(rdb, smtp_server, capsys):
    assert cli(rdb, "run", "--now", NOW, "--verbose") == 0
    out = capsys.readouterr().out
    assert smtp_server.messages == []
    assert "Simulação" in out and "3 e-mails seriam enviados" in out
    assert "e-mail (seria enviado): Alfa Comércio <financeiro@alfa.com.br> — A3/1, A2/1, A1/1" in out
    assert rdb.regua.log(date(2020, 6, 1), date(2020, 6, 30)).empty
    assert rdb.receivables.counts()["contacts"] == 0


def test_one_email_per_customer_then_a_second_run_sends_nothing(rdb, smtp_server, capsys, monkeypatch):
    monkeypatch.setenv("COBRANCA_NOW", NOW)
    assert cli(rdb, "run", "--yes") == 0
    out = capsys.readouterr().out
    assert "3 e-mails enviados e registrados, 0 falhas" in out
    assert sorted(recipients(smtp_server)) == ["contas@beta.com.br", "eps@example.com", "financeiro@alfa.com.br"]
    alfa = next(m for _, rcpts, m in smtp_server.messages if rcpts == ["financeiro@alfa.com.br"])
    text = body_of(alfa)
    for doc in ("A1", "A2", "A3"):
        assert f"Documento {doc}, parcela 1" in text
    assert "Não identificamos o pagamento" in text  # the firmest step's text (+10) covers all three
    assert "R$ 607,20" in alfa["Subject"]  # 100 + 200 + 300, A3 with fine 6,00 and interest 1,20 (12 days)
    history = rdb.contacts.history("A1")
    assert list(history["channel"]) == ["E-mail"] and history.iloc[0]["responsible"] == "ROBO"
    log = rdb.regua.log(date(2020, 6, 8))
    assert sorted(log[log["outcome"] == "sent"]["document"]) == ["A1", "A2", "A3", "B1", "E1"]
    assert sorted(log[log["outcome"] == "task"]["document"]) == ["C1", "C2", "D1"]
    assert log[log["outcome"] == "sent"]["contact_id"].notna().all()

    monkeypatch.setenv("COBRANCA_NOW", "2020-06-08T15:30")
    assert cli(rdb, "run", "--yes") == 0
    assert "0 e-mails enviados" in capsys.readouterr().out
    assert len(smtp_server.messages) == 3
    assert len(rdb.regua.log(date(2020, 6, 8))) == 8


def test_an_interrupted_run_completes_next_time_without_duplicates(rdb):
    first = Recorder()
    controller = Controller(first, hostname="127.0.0.1", port=free_port())
    controller.start()
    configure(rdb, controller.port)

    def server_dies(sent, total):
        if sent == 1:
            controller.stop()

    report = send(rdb, datetime(2020, 6, 8, 10), progress=server_dies)
    assert len(first.messages) == 1 and len(report.sent) == 1 and len(report.failed) == 2
    assert "conexão recusada" in report.failed[0][1]
    assert rdb.receivables.counts()["contacts"] == len(report.sent[0].rows)  # failures recorded no contact

    second = Recorder()
    controller = Controller(second, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        configure(rdb, controller.port)
        again = send(rdb, datetime(2020, 6, 8, 11))
    finally:
        controller.stop()
    assert len(again.sent) == 2 and again.failed == []
    everyone = recipients(first) + recipients(second)
    assert sorted(everyone) == ["contas@beta.com.br", "eps@example.com", "financeiro@alfa.com.br"]
    assert again.plan.tasks == []  # tasks were created by the first run


def test_exit_1_when_a_send_fails(rdb, capsys):
    configure(rdb, free_port())  # nobody listens there
    assert cli(rdb, "run", "--yes") == 1
    out = capsys.readouterr().out
    assert "3 falhas" in out and "conexão recusada" in out
    assert rdb.receivables.counts()["contacts"] == 0
    log = rdb.regua.log(date(2020, 6, 8))
    assert set(log["outcome"]) == {"failed", "task"}


def test_skip_reasons_promise_dispute_opt_out(rdb, smtp_server, monkeypatch):
    rdb.promises.register("E1", due="2020-06-10")
    rdb.promises.open_dispute("B1", reason="valor cobrado errado")
    rdb.policy.opt_out("Alfa Comércio", reason="pediu por telefone")
    report = send(rdb, datetime(2020, 6, 8, 10))
    assert report.sent == [] and smtp_server.messages == []
    reasons = {s.row["document"]: s.reason for s in report.plan.skipped}
    assert reasons == {"E1": "promised", "B1": "disputed", "A1": "do_not_contact", "A2": "do_not_contact",
                       "A3": "do_not_contact"}
    assert "F1" not in str(report.lines())  # settled: never planned
    # the day after the promised date the promise is broken and the e-mail goes out
    monkeypatch.setenv("COBRANCA_NOW", "2020-06-11T09:00:00-03:00")
    later = send(rdb, datetime(2020, 6, 11, 10))
    assert [i.customer for i in later.sent] == ["Épsilon Serviços"]


@pytest.mark.parametrize(("now", "sends"), [
    ("2020-06-08T19:59", True), ("2020-06-08T20:00", False), ("2020-06-08T07:59", False),
    ("2020-06-13T13:59", True), ("2020-06-13T14:00", False),  # Saturday
    ("2020-06-14T10:00", False),  # Sunday
    ("2020-09-07T10:00", False),  # Independência, a Monday
])
def test_legal_hours_at_the_edges(db_path, smtp_server, now, sends):
    moment = datetime.fromisoformat(now)
    db = regua_db(db_path, moment.date())
    configure(db, smtp_server.port)
    report = send(db, moment)
    assert bool(smtp_server.messages) is sends
    if not sends:
        assert {s.reason for s in report.plan.skipped} == {OUTSIDE_HOURS}
        assert "Próximo horário permitido" in report.summary()
        assert len(report.plan.tasks) == 3  # tasks are for the analyst: created anyway
    else:
        assert len(report.sent) == 3


def test_catch_up_after_missed_days_sends_only_the_step_due_now(rdb, smtp_server):
    first = send(rdb, datetime(2020, 6, 8, 10))
    a3 = next(i for i in first.sent if i.customer == "Alfa Comércio")
    assert [s.name for r, s in zip(a3.rows, a3.steps, strict=True) if r["document"] == "A3"] == [
        "Segundo aviso 10 dias após"]  # due 12 days ago, never reminded: only the step due now, not -3, 0, +3
    assert not any(r["document"] == "A3" for t in first.plan.tasks for r in t.rows)
    later = send(rdb, datetime(2020, 6, 18, 10))  # nine days without runs
    assert [(i.customer, [d for d, _ in i.keys]) for i in later.sent] == [("Alfa Comércio", ["A2"])]
    a1_tasks = [t for t in later.plan.tasks if ("A1", "1") in t.keys]
    assert [(t.channel, t.step.name) for t in a1_tasks] == [("WhatsApp", "WhatsApp 3 dias após")]
    log = rdb.regua.log(date(2020, 6, 1), date(2020, 6, 30))
    assert sorted(log[log["document"] == "A1"]["step_name"]) == ["Lembrete 3 dias antes", "WhatsApp 3 dias após"]
    assert len(log[log["document"] == "A3"]) == 1


def test_customers_without_email_get_a_task_that_a_contact_closes(rdb, smtp_server):
    report = send(rdb, datetime(2020, 6, 8, 10))
    gama = [t for t in report.plan.tasks if t.customer == "Gama ME"]
    assert {(t.channel, t.to, t.keys[0][0]) for t in gama} == {("WhatsApp", "11987654321", "C1"),
                                                              ("WhatsApp", "11987654321", "C2")}
    assert "sem e-mail" in next(t.note for t in gama if t.keys == [("C2", "1")])
    open_ids = set(rdb.regua.open_tasks(date(2020, 6, 8))["receivable_id"])
    c2 = rdb.receivables.find("C2")["receivable_id"]
    assert c2 in open_ids and len(open_ids) == 3
    rdb.contacts.register_one("C2", channel="WhatsApp", to="11987654321", message="Olá", at=datetime(2020, 6, 8, 11))
    assert c2 not in set(rdb.regua.open_tasks(date(2020, 6, 8))["receivable_id"])


def test_tasks_of_today_is_a_grid_filter(rdb, smtp_server):
    assert rdb.worklists.rows("Tarefas de hoje", date(2020, 6, 8)).empty
    send(rdb, datetime(2020, 6, 8, 10))
    assert sorted(rdb.worklists.rows("Tarefas de hoje", date(2020, 6, 8))["document"]) == ["C1", "C2", "D1"]
    rdb.contacts.register_one("D1", channel="Telefone", observation="prometeu ligar", at=datetime(2020, 6, 8, 11))
    assert sorted(rdb.worklists.rows("Tarefas de hoje", date(2020, 6, 8))["document"]) == ["C1", "C2"]


def test_with_pix_each_email_carries_the_customers_total_as_a_qr(rdb, smtp_server):
    from decimal import Decimal

    from support.pix_helpers import enable_pix, qr_texts

    from cobranca.pix import brcode as pix

    enable_pix(rdb)
    send(rdb, datetime(2020, 6, 8, 10))
    alfa = next(m for _, rcpts, m in smtp_server.messages if rcpts == ["financeiro@alfa.com.br"])
    image = next(p for p in alfa.walk() if p.get_content_type() == "image/png")
    [code] = qr_texts(image.get_content())
    assert pix.decode(code).amount == Decimal("607.20")  # A1 + A2 + A3, updated on the run's day
    assert code in body_of(alfa)
