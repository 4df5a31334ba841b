"""Do-not-contact and legal hours block every messaging path (API, bulk, CLI) and record nothing."""

from __future__ import annotations

import pytest
from support.known import AS_OF, ENGINES
from support.smtp_helpers import configure

from cobranca.contacting.guard import ContactBlockedError
from cobranca.core.errors import AmbiguousError, NotFoundError
from cobranca.workflows import messaging

MONDAY_10H = "2020-06-08T10:00:00-03:00"
SUNDAY_10H = "2020-06-07T10:00:00-03:00"
MONDAY_20H_UTC = "2020-06-08T23:00:00+00:00"  # 20:00 in São Paulo


pytestmark = pytest.mark.usefixtures("company_today")  # the one test clock (conftest.py)


ENGINES = ENGINES  # every test here runs on a DuckDB file and on PostgreSQL (see conftest.py)

def contacts(db) -> int:
    return db.receivables.counts()["contacts"]


def test_customer_lookup_by_code_tax_id_or_exact_name(db):
    assert db.customers.find("1")["name"] == "CompuFour Software"
    assert db.customers.find("josé da silva açougue")["code"] == "2"
    with pytest.raises(NotFoundError, match="não encontrado"):
        db.customers.find("CompuFour")  # not exact
    frame = db.worklists.rows(None, AS_OF)
    assert len(frame)
    rows = __import__("support.known").known.receivables_frame()
    rows.loc[rows["customer_code"] == "3", "tax_id"] = "11222333000181"
    rows.loc[rows["customer_code"] == "4", "customer"] = "Maria Souza ME"  # a namesake
    db.receivables.upsert(rows)
    assert db.customers.find("11.222.333/0001-81")["code"] == "3"
    with pytest.raises(AmbiguousError) as err:
        db.customers.find("Maria Souza ME")
    assert "código 3" in str(err.value) and "código 4" in str(err.value)


def test_opt_out_blocks_messages_and_records_nothing_but_allows_phone(db, smtp_server):
    configure(db, smtp_server.port)
    db.policy.opt_out("1", reason="Pediu por telefone", by="ANA")
    before = contacts(db)
    for channel in ("WhatsApp", "SMS", "E-mail"):
        with pytest.raises(ContactBlockedError, match="pediu para não receber mensagens"):
            db.contacts.register_one("144", channel=channel, to="x", message="Olá")
    with pytest.raises(ContactBlockedError, match="Pediu por telefone"):
        messaging.send_email(db, "144", None, "financeiro@compufour.com.br", "Cobrança", "Olá")
    with pytest.raises(ContactBlockedError):
        messaging.record_whatsapp(db, "144", None, "(49) 99912-3456", "Olá")
    assert smtp_server.messages == [] and contacts(db) == before
    report = messaging.bulk_email(db, None, AS_OF, dry_run=False)
    assert "CompuFour Software" not in [p.customer for p in report.sent]
    assert any(name == "CompuFour Software" and "não receber mensagens" in why for name, why in report.skipped)
    assert all(m[1] != ["financeiro@compufour.com.br"] for m in smtp_server.messages)
    for channel in ("Telefone", "Carta", "Presencial"):
        db.contacts.register_one("144", channel=channel, observation="o cliente ligou")
    db.contacts.comment("144", "anotação")
    assert row_of(db, "144")["do_not_contact"] is True
    db.policy.opt_in("CompuFour Software")
    assert row_of(db, "144")["do_not_contact"] is False
    messaging.record_whatsapp(db, "144", None, "(49) 99912-3456", "Olá")
    kinds = list(db.contacts.history("144")["channel"])
    assert kinds[:2] == ["WhatsApp", "Contatar de novo"] and "Não contatar" in kinds


def row_of(db, document):
    frame = db.worklists.rows(None, AS_OF, include_paused=True)
    return frame[frame["document"] == document].iloc[0].to_dict()


def test_opt_out_needs_a_reason_and_is_not_doubled(db):
    with pytest.raises(Exception, match="motivo"):
        db.policy.opt_out("1", reason="")
    db.policy.opt_out("1", reason="LGPD")
    with pytest.raises(Exception, match="já está marcado"):
        db.policy.opt_out("1", reason="de novo")
    with pytest.raises(Exception, match="não está marcado"):
        db.policy.opt_in("2")


def test_cancel_last_undoes_an_opt_out(db):
    db.policy.opt_out("1", reason="engano")
    assert db.contacts.cancel_last("145")["kind"] == "optout"  # any receivable of the customer
    db.contacts.register_one("144", channel="WhatsApp", to="+5549999123456", message="Olá")


def test_legal_hours_refuse_sending_with_the_next_allowed_moment(db, smtp_server, monkeypatch):
    configure(db, smtp_server.port)
    before = contacts(db)
    for moment, nxt in ((SUNDAY_10H, "08/06/2020 às 08:00"), (MONDAY_20H_UTC, "09/06/2020 às 08:00")):
        monkeypatch.setenv("COBRANCA_NOW", moment)
        with pytest.raises(ContactBlockedError, match=f"Próximo horário permitido: {nxt}"):
            messaging.send_email(db, "144", None, "financeiro@compufour.com.br", "Cobrança", "Olá")
        with pytest.raises(ContactBlockedError, match="Próximo horário permitido"):
            messaging.record_whatsapp(db, "144", None, "(49) 99912-3456", "Olá")
        with pytest.raises(ContactBlockedError, match="Próximo horário permitido"):
            messaging.bulk_email(db, None, AS_OF, dry_run=False)
    assert smtp_server.messages == [] and contacts(db) == before
    db.contacts.register_one("144", channel="Telefone", observation="o cliente ligou no domingo")  # recording is fine
    db.settings.set("contact_hours", "livre")
    messaging.send_email(db, "144", None, "financeiro@compufour.com.br", "Cobrança", "Olá")
    assert len(smtp_server.messages) == 1


def test_cli_refuses_messages_to_an_opted_out_customer(run, db, smtp_server):
    configure(db, smtp_server.port)
    code, out, err = run("optout", "CompuFour Software", "--reason", "<b>LGPD</b>")
    assert code == 0 and "não contatar" in out, err
    code, out, err = run("optout", "Maria", "--reason", "x")
    assert code == 2 and "não encontrado" in err
    for args in (("contact", "144", "--channel", "whatsapp", "--to", "49999123456", "--message", "Olá"),
                 ("send", "144", "--channel", "email", "--as-of", "2020-06-08"),
                 ("message", "144", "--channel", "whatsapp", "--as-of", "2020-06-08")):
        code, out, err = run(*args)
        assert code == 2, (args, out)
        assert "pediu para não receber mensagens" in err and "<b>LGPD</b>" in err
    assert smtp_server.messages == []
    code, out, err = run("contact", "144", "--channel", "telefone", "--observation", "ligou")
    assert code == 0, err
    code, out, err = run("optin", "1")
    assert code == 0, err
    code, out, err = run("message", "144", "--channel", "whatsapp", "--as-of", "2020-06-08")
    assert code == 0 and "wa.me" in out, err


def test_cli_message_outside_legal_hours(run, monkeypatch):
    monkeypatch.setenv("COBRANCA_NOW", SUNDAY_10H)
    code, out, err = run("message", "144", "--channel", "whatsapp", "--as-of", "2020-06-08")
    assert code == 2 and "Próximo horário permitido: 08/06/2020 às 08:00" in err
    code, out, err = run("settings", "set", "contact_hours", "livre")
    assert code == 0 and "Atenção" in err
    code, out, err = run("settings", "show")
    assert code == 0 and "contact_hours = livre desliga" in err
    code, out, err = run("message", "144", "--channel", "whatsapp", "--as-of", "2020-06-08")
    assert code == 0, err
    code, out, err = run("settings", "set", "contact_hours", "seg-sex 8h-20h")
    assert code == 2 and "contact_hours" in err


def test_cli_bulk_send_skips_an_opted_out_customer_and_refuses_outside_hours(run, db, smtp_server, monkeypatch):
    configure(db, smtp_server.port)
    db.policy.opt_out("4", reason="pediu")  # Padaria Pão Quente (402, 100 days overdue)
    monkeypatch.setenv("COBRANCA_NOW", SUNDAY_10H)
    code, out, err = run("send", "--filter", "Vencidas há mais de 30 dias", "--channel", "email", "--yes",
                         "--as-of", "2020-06-08")
    assert code == 2 and "Próximo horário permitido" in err and smtp_server.messages == []
    monkeypatch.setenv("COBRANCA_NOW", MONDAY_10H)
    code, out, err = run("send", "--min-days", "0", "--channel", "email", "--yes", "--as-of", "2020-06-08")
    assert code == 0, err
    assert "Padaria Pão Quente: pediu para não receber mensagens" in out
    recipients = {address for _sender, rcpts, _msg in smtp_server.messages for address in rcpts}
    assert "padaria@example.com" not in recipients and "financeiro@compufour.com.br" in recipients
    assert list(db.contacts.history("402")["kind"]) == ["optout"]  # no e-mail contact recorded
