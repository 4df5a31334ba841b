"""What one action costs the database: units of work per régua e-mail, statements per registered contact."""

from __future__ import annotations

from datetime import date, datetime

import psycopg
import pytest
from support.known import ENGINES, receivables_frame
from support.regua_once_helpers import customer_rows, many_db
from support.smtp_helpers import configure

from cobranca.contacting.guard import ContactBlockedError
from cobranca.store import regua_claims
from cobranca.workflows.regua_run import run

ENGINES = ENGINES  # every test here runs on a DuckDB file and on PostgreSQL (see conftest.py)
NOW = datetime(2020, 6, 8, 10, 0)  # company time, inside the legal hours


def send(db):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COBRANCA_NOW", NOW.isoformat())
        return run(db, dry_run=False)


@pytest.fixture
def statements(monkeypatch):
    """Every statement sent to PostgreSQL by this process (a spy: each one still runs)."""
    sent: list[str] = []
    execute = psycopg.Cursor.execute

    def counting(self, query, params=None, **kwargs):
        sent.append(" ".join(str(query).split()))
        return execute(self, query, params, **kwargs)

    monkeypatch.setattr(psycopg.Cursor, "execute", counting)
    return sent


def _grown_run(db, customers: int, statements: list) -> tuple[int, int]:
    """(opens, statements) of a sending run after the base grew to `customers` (the new ones are due)."""
    db.receivables.upsert(receivables_frame(customer_rows(customers)))
    opens, count = db.store.opens, len(statements)
    send(db)
    return db.store.opens - opens, len(statements) - count


def test_a_regua_run_takes_one_unit_of_work_per_email(db_path, smtp_server, engine, statements):
    db = many_db(db_path, 2)
    configure(db, smtp_server.port)
    assert len(send(db).sent) == 2  # warm: the runs measured below have the same fixed cost
    four = _grown_run(db, 6, statements)
    eight = _grown_run(db, 14, statements)
    assert eight[0] - four[0] == 4  # 4 e-mails more, 4 opens more: one unit of work each (it was 2)
    if engine == "postgres":  # BEGIN, settle (contacts and log in one statement), settings, re-check, claim, COMMIT
        assert (eight[1] - four[1]) / 4 <= 6, statements[-30:]
    assert len(smtp_server.messages) == 14
    log = db.regua.log(date(2020, 6, 8))
    assert (log["outcome"] == "sent").sum() == 14 and log["contact_id"].notna().all()
    assert db.receivables.counts()["contacts"] == 14


def test_a_delivered_email_is_recorded_when_the_next_claim_fails(db_path, smtp_server, monkeypatch):
    db = many_db(db_path, 3)
    configure(db, smtp_server.port)
    claim, calls = regua_claims.claim, []

    def second_fails(con, *args):
        calls.append(1)
        if len(calls) == 2:  # the transaction that also records the first e-mail's result
            raise RuntimeError("falha simulada no segundo pedido")
        return claim(con, *args)

    monkeypatch.setattr(regua_claims, "claim", second_fails)
    with pytest.raises(RuntimeError, match="falha simulada"):
        send(db)
    assert len(smtp_server.messages) == 1
    log = db.regua.log(date(2020, 6, 8))
    assert list(log["outcome"]) == ["sent"] and log["contact_id"].notna().all()
    assert db.receivables.counts()["contacts"] == 1
    monkeypatch.setattr(regua_claims, "claim", claim)
    assert len(send(db).sent) == 2 and len(smtp_server.messages) == 3  # the next run sends the other two, once


@pytest.mark.parametrize(("channel", "most"), [("Telefone", 1), ("WhatsApp", 1)])
def test_registering_one_contact_costs_one_statement_the_opt_out_read_inside_it(db, engine, statements, channel,
                                                                                 most):
    db.contacts.register_one("144", "1", channel="Telefone", observation="aquece a conexão")
    before, opens = len(statements), db.store.opens
    new_id = db.contacts.register_one("144", "1", channel=channel, to="(49) 99912-3456", observation="ligou")
    assert db.store.opens - opens == 1
    if engine == "postgres":  # the INSERT … SELECT … RETURNING id (a message: with the opt-out in its WHERE)
        assert len(statements) - before == most, statements[before:]
    history = db.contacts.history("144", "1")
    assert history.iloc[0]["id"] == new_id and history.iloc[0]["channel"] == channel
    assert history.iloc[0]["destination"] == "+5549999123456"


def test_an_opt_out_still_refuses_a_message_contact(db, engine):
    customer = db.receivables.find("144", "1")["customer_id"]
    db.policy.opt_out(customer, reason="pediu")
    before = db.receivables.counts()["contacts"]
    with pytest.raises(ContactBlockedError, match="não"):
        db.contacts.register_one("144", "1", channel="WhatsApp", to="(49) 99912-3456")
    assert db.receivables.counts()["contacts"] == before
    db.contacts.register_one("144", "1", channel="Telefone", observation="ligação permitida")
    assert db.receivables.counts()["contacts"] == before + 1


def test_a_customer_who_opted_in_again_is_messaged_in_one_statement(db, engine, statements):
    customer = db.receivables.find("144", "1")["customer_id"]
    db.policy.opt_out(customer, reason="pediu")
    db.policy.opt_in(customer, note="voltou a aceitar")
    before = len(statements)
    new_id = db.contacts.register_one("144", "1", channel="WhatsApp", to="(49) 99912-3456")
    if engine == "postgres":
        assert len(statements) - before == 1, statements[before:]
    assert db.contacts.history("144", "1").iloc[0]["id"] == new_id


def test_another_customers_opt_out_does_not_stop_this_one(db):
    other = db.receivables.find("402", "1")["customer_id"]
    assert other != db.receivables.find("144", "1")["customer_id"]
    db.policy.opt_out(other, reason="pediu")
    new_id = db.contacts.register_one("144", "1", channel="SMS", to="(49) 99912-3456")
    assert db.contacts.history("144", "1").iloc[0]["id"] == new_id
