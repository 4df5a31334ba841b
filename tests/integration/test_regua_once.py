"""The régua sends each step exactly once: overlapping runs, changes made mid-run, kill -9 at delivery, a busy
database after delivery, permanent refusals, `--now`, and output that names nobody."""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import time
from datetime import date

import duckdb
import psycopg
import pytest
from support.known import ENGINES
from support.pg_helpers import raw_connection
from support.regua_helpers import NOW, regua_db, rows_around
from support.regua_once_helpers import CLOCK, Slow, cli_run, customer_rows, figures, many_db, pay
from support.smtp_helpers import configure

from cobranca import open_db
from cobranca.cli import main
from cobranca.core.errors import InputError
from cobranca.store import run_lock
from cobranca.workflows.regua_run import run

ENGINES = ENGINES  # every test here runs on a DuckDB file and on PostgreSQL (see conftest.py)

pytestmark = [pytest.mark.smtp_handler.with_args(Slow), pytest.mark.company_now(CLOCK)]  # the fixtures of conftest.py


@pytest.fixture
def robot(company_today, monkeypatch):
    """The scheduled run's clock (CLOCK) and user."""
    monkeypatch.setenv("COBRANCA_USER", "ROBO")


def test_two_overlapping_runs_send_each_email_once(db_path, smtp_server):
    count = 12
    db = many_db(db_path, count)
    configure(db, smtp_server.port)
    smtp_server.delay = 0.3  # a slow server: the first run is still sending when the second starts
    first = cli_run(db_path)
    time.sleep(0.5)
    second = cli_run(db_path)
    outs = [p.communicate(timeout=300) for p in (first, second)]
    assert [p.returncode for p in (first, second)] == [0, 0], outs
    numbers = figures(smtp_server, db)
    print(f"\noverlapping runs, {count} customers: {numbers}")
    assert numbers["e-mails"] == count and numbers["customers mailed twice"] == 0
    assert numbers["recorded sent"] == count and numbers["duplicate log pairs"] == 0
    # Whichever process took the lock first sent everything (on a loaded machine the second may start first).
    idle = [o for o, _ in outs if "Outra execução da régua está em andamento" in o or "0 e-mails enviados" in o]
    assert len(idle) == 1, outs


def test_a_second_run_waits_briefly_then_says_so_and_does_nothing(db_path, smtp_server, robot, monkeypatch, capsys):
    db = regua_db(db_path)
    configure(db, smtp_server.port)
    monkeypatch.setattr("cobranca.workflows.regua_run.LOCK_WAIT_SECONDS", 0.3)
    with db.regua.run_lock():
        started = time.monotonic()
        assert main(["--db", str(db_path), "regua", "run", "--yes"]) == run_lock.EXIT_BUSY == 0
        assert 0.3 <= time.monotonic() - started < 5
        assert "Outra execução da régua está em andamento" in capsys.readouterr().out
        with pytest.raises(run_lock.RunBusyError):
            run(db, dry_run=False, lock_wait=0.1)
        assert len(run(db).plan.emails) == 3  # a dry run needs no lock
    assert smtp_server.messages == [] and db.regua.log(date(2020, 6, 8)).empty


def _change(kind: str, path, rows: list[tuple]) -> None:
    db = open_db(path)
    for row in rows:
        if kind == "opt-out":
            db.policy.opt_out(row[1], reason="pediu durante a execução")
        elif kind == "dispute":
            db.promises.open_dispute(row[4], reason="valor errado")
        elif kind == "promise":
            db.promises.register(row[4], due="2020-06-10")
    if kind == "payment":
        pay(db, rows)
    if kind == "hours":  # the company narrows its contact hours: 10:00 is now outside them
        db.settings.set("contact_hours", "seg-sex 14:00-18:00")


@pytest.mark.parametrize("kind", ["opt-out", "dispute", "promise", "payment", "hours"])
def test_a_change_recorded_while_the_run_sends_stops_the_next_messages(db_path, smtp_server, robot, kind):
    count = 4
    rows = customer_rows(count)
    db = many_db(db_path, count)
    configure(db, smtp_server.port)
    changed: list[str] = []

    def meanwhile(rcpts, number):
        if number == 1:  # while the first e-mail is being delivered, every other customer changes
            others = [r for r in rows if r[3] not in rcpts]
            _change(kind, db_path, others)
            changed.extend(r[3] for r in others)

    smtp_server.on_message = meanwhile
    proc = cli_run(db_path)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, out + err
    numbers = figures(smtp_server, db)
    print(f"\nmid-run {kind}, {count} customers: {numbers}")
    assert len(changed) == count - 1
    assert numbers["e-mails"] == 1 and not set(changed) & {r for _, rs, _ in smtp_server.messages for r in rs}
    assert numbers["recorded sent"] == 1
    if kind == "hours":
        assert f"{count - 1} deixados para a próxima execução" in out and "Envio bloqueado" in out
    else:
        assert f"{count - 1} contas paradas na conferência antes do envio" in out
    log = db.regua.log(date(2020, 6, 8))
    assert list(log["outcome"]) == ["sent"]  # the stopped ones left nothing in the log: the next run looks again


def test_kill_9_at_the_moment_smtp_accepts_leaves_an_uncertain_entry_never_resent(db_path, smtp_server):
    count = 5
    db = many_db(db_path, count)
    configure(db, smtp_server.port)
    procs: list = []

    def kill_on_second(rcpts, number):
        if number == 2:
            os.kill(procs[0].pid, signal.SIGKILL)
            procs[0].wait(30)

    smtp_server.on_message = kill_on_second
    procs.append(cli_run(db_path))
    procs[0].communicate(timeout=300)
    assert procs[0].returncode == -signal.SIGKILL
    killed = smtp_server.messages[1][1]  # the server has the message; the run died before it heard "250"
    smtp_server.on_message = None

    again = cli_run(db_path)
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, out + err
    numbers = figures(smtp_server, db)
    print(f"\nkill -9 at delivery, {count} customers: {numbers}")
    assert numbers["customers mailed twice"] == 0 and numbers["e-mails"] == count
    assert numbers["recorded sent"] == count - 1 and numbers["uncertain"] == 1
    assert "envio incerto" in out and "1 envio incerto da execução anterior" in out
    [entry] = db.regua.uncertain()
    assert f"cliente{entry['document'][1:]}@example.com" == killed[0]
    assert entry["receivable_id"] in set(db.regua.open_tasks(date(2020, 6, 8))["receivable_id"])  # for the analyst
    third = cli_run(db_path)
    assert "0 e-mails enviados" in third.communicate(timeout=300)[0]
    assert figures(smtp_server, db)["e-mails"] == count


def _hold_the_database(path, go, holding, release_after):
    db = open_db(path, wait_seconds=60)
    go.wait(120)
    with db.session():
        holding.set()
        time.sleep(release_after)


def test_a_busy_database_after_delivery_is_retried_and_the_send_recorded(db_path, smtp_server, robot):
    db = regua_db(db_path)
    configure(db, smtp_server.port)
    ctx = mp.get_context("spawn")
    go, holding = ctx.Event(), ctx.Event()
    holders = [ctx.Process(target=_hold_the_database, args=(db_path, go, holding, 3.0))]
    holders[0].start()  # started (Python imported) before the run: the SMTP conversation must not wait for it

    def busy_on_first(rcpts, number):
        if number == 1:  # another process takes the database while the server accepts the message
            go.set()
            assert holding.wait(4)

    smtp_server.on_message = busy_on_first
    impatient = open_db(db_path, wait_seconds=0.3)  # COBRANCA_LOCK_WAIT=0.3: the holder keeps it 10 times longer
    report = run(impatient, dry_run=False)
    holders[0].join(30)
    assert len(report.sent) == 3 and report.unrecorded == [] and report.failed == [], (
        [reason for _, reason in report.failed], report.summary())
    log = db.regua.log(date(2020, 6, 8))
    assert sorted(log[log["outcome"] == "sent"]["document"]) == ["A1", "A2", "A3", "B1", "E1"]
    assert len(run(db, dry_run=False).sent) == 0 and len(smtp_server.messages) == 3


def test_a_permanent_refusal_becomes_a_task_a_temporary_one_is_retried(db_path, smtp_server, robot):
    db = regua_db(db_path)
    configure(db, smtp_server.port)
    smtp_server.refuse = {"eps@example.com"}  # 550: the mailbox does not exist
    smtp_server.temporary = {"contas@beta.com.br"}  # 451: try later
    report = run(db, dry_run=False)
    assert [i.customer for i in report.sent] == ["Alfa Comércio"]
    assert [i.customer for i, _ in report.refused] == ["Épsilon Serviços"]
    assert [i.customer for i, _ in report.failed] == ["Beta Ltda"]
    log = db.regua.log(date(2020, 6, 8)).set_index("document")
    assert log.loc["E1", "outcome"] == "task" and log.loc["E1", "channel"] == "Telefone"
    assert "recusado de vez" in log.loc["E1", "detail"] and "eps@example.com" not in log.loc["E1", "detail"]
    assert log.loc["B1", "outcome"] == "failed"
    assert db.receivables.find("E1")["receivable_id"] in set(db.regua.open_tasks(date(2020, 6, 8))["receivable_id"])
    smtp_server.temporary = set()
    again = run(db, dry_run=False)
    assert [i.customer for i in again.sent] == ["Beta Ltda"] and again.refused == []
    assert smtp_server.rcpt_calls.count("eps@example.com") == 1  # never tried again
    assert smtp_server.rcpt_calls.count("contas@beta.com.br") == 2
    assert db.regua.log(date(2020, 6, 8)).set_index("document").loc["B1", "outcome"] == "sent"


def test_now_with_yes_sends_nothing(db_path, smtp_server, robot, capsys):
    db = regua_db(db_path)
    configure(db, smtp_server.port)
    assert main(["--db", str(db_path), "regua", "run", "--yes", "--now", "2020-06-08T10:00"]) == 2
    assert "--now serve para simulação e prévia" in capsys.readouterr().err
    with pytest.raises(InputError, match="relógio real"):
        run(db, now=db.policy.hours().local(__import__("datetime").datetime(2020, 6, 8, 10)), dry_run=False)
    assert main(["--db", str(db_path), "regua", "run", "--now", "2020-06-08T10:00"]) == 0  # previews stay
    assert smtp_server.messages == [] and db.regua.log(date(2000, 1, 1), date(2100, 1, 1)).empty
    assert db.receivables.counts()["contacts"] == 0


def test_a_clock_in_the_future_sends_nothing(db_path, smtp_server, monkeypatch):
    db = regua_db(db_path)
    configure(db, smtp_server.port)
    monkeypatch.setenv("COBRANCA_NOW", "2099-12-07T10:00:00-03:00")  # a Monday: legal hours would allow it
    with pytest.raises(InputError, match="no futuro"):
        run(db, dry_run=False)
    assert smtp_server.messages == [] and db.regua.log(date(2000, 1, 1), date(2100, 1, 1)).empty


def test_run_output_carries_ids_not_names_emails_or_phones(db_path, smtp_server, robot, capsys):
    db = regua_db(db_path)
    configure(db, smtp_server.port)
    smtp_server.refuse = {"eps@example.com"}
    smtp_server.temporary = {"contas@beta.com.br"}
    assert main(["--db", str(db_path), "regua", "run"]) == 0
    dry = capsys.readouterr().out
    assert main(["--db", str(db_path), "regua", "run", "--yes"]) == 1  # Beta failed (451)
    out = capsys.readouterr().out
    assert "1 falha," in out and "1 recusado de vez pelo servidor" in out
    for text in (dry, out):
        for _, name, mobile, email, *_ in rows_around():
            assert name not in text and (email is None or email not in text)
            assert mobile is None or mobile not in text and "".join(c for c in mobile if c.isdigit()) not in text
        assert "cliente " in text and "A3/1" in text
    assert main(["--db", str(db_path), "regua", "run", "--verbose", "--now", NOW]) == 0
    assert "Beta Ltda <contas@beta.com.br>" in capsys.readouterr().out  # --verbose: for a person at a terminal


def test_the_step_log_holds_one_entry_per_receivable_and_step(db_path, monkeypatch):
    from cobranca.store import schema

    with monkeypatch.context() as patch:  # a file of the previous schema, with duplicates as two runs left them
        patch.setattr(schema, "SCHEMA_VERSION", 4)
        old = regua_db(db_path)
        assert old.schema_version() == 4
    rid = old.receivables.find("A1")["receivable_id"]
    with raw_connection(db_path) as con:
        step = con.execute("SELECT id, name FROM regua_steps ORDER BY days LIMIT 1").fetchone()
        for new_id, outcome, minute in ((1, "failed", 1), (2, "sent", 2), (3, "sent", 3), (4, "task", 4)):
            con.execute("INSERT INTO regua_log VALUES (?, ?, ?, ?, DATE '2020-06-08', ?, 'E-mail', NULL, NULL, "
                        "CAST(? AS TIMESTAMP))", [new_id, rid, step[0], step[1], outcome, f"2020-06-08 10:0{minute}:00"])
    db = open_db(db_path)
    assert db.schema_version() >= 7
    log = db.regua.log(date(2020, 6, 8))
    assert list(log["id"]) == [2]  # the earliest entry that counts as done
    with raw_connection(db_path) as con, pytest.raises((duckdb.ConstraintException, psycopg.errors.UniqueViolation)):
        con.execute("INSERT INTO regua_log VALUES (9, ?, ?, ?, DATE '2020-06-09', 'sent', 'E-mail', NULL, NULL, "
                    "TIMESTAMP '2020-06-09 10:00:00')", [rid, step[0], step[1]])
