"""`cobranca message` and `cobranca send`: rendered text, wa.me link, e-mail over a loopback SMTP server."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from support.known import ENGINES
from support.smtp_helpers import configure

from benchmarks.measure import free_port

ENGINES = ENGINES  # every test here runs on a DuckDB file and on PostgreSQL (see conftest.py)

AS_OF = "2020-06-08"




def test_message_whatsapp_prints_text_and_a_link_that_decodes_to_it(run):
    code, out, err = run("message", "144", "--as-of", AS_OF)
    assert code == 0, err
    text, link_line = out.rstrip("\n").rsplit("\n\n", 1)
    for figure in ("R$ 1.000,00", "R$ 20,00", "R$ 2,33", "R$ 1.022,33", "01/06/2020", "SUPERVISOR"):
        assert figure in text
    assert link_line.startswith("Link: https://wa.me/5549999123456?text=")
    link = urlsplit(link_line.removeprefix("Link: "))
    assert parse_qs(link.query)["text"] == [text]


def test_message_email_shows_subject_and_mailto_when_smtp_is_not_configured(run):
    code, out, err = run("message", "144", "--channel", "email", "--as-of", AS_OF)
    assert code == 0, err
    assert out.startswith("Para: financeiro@compufour.com.br\nAssunto: ")
    assert "R$ 1.022,33" in out
    assert "mailto:financeiro@compufour.com.br?subject=" in out


def test_message_for_a_receivable_not_yet_due(run):
    code, out, err = run("message", "200/A", "--installment", "2", "--channel", "sms", "--as-of", AS_OF)
    assert code == 0, err
    assert "05/07/2020" in out and "R$ 89,90" in out and "atraso" not in out
    assert "Para: +5511987654321" in out


def test_message_per_customer_has_the_total(run):
    code, out, err = run("message", "144", "--per-customer", "--as-of", AS_OF)
    assert code == 0, err
    assert "R$ 1.227,60" in out and "145/1" in out and "144/1" in out
    code, out, err = run("message", "144", "--per-customer", "--filter", "Vencidas de 1 a 10 dias", "--as-of", AS_OF)
    assert code == 0, err
    assert "Total atualizado: R$ 1.022,33" in out and "145/1" not in out


def test_message_without_mobile_warns_and_prints_no_link(run):
    code, out, err = run("message", "402", "--as-of", AS_OF)
    assert code == 0
    assert "R$ 1.299,99" in out and "wa.me" not in out
    assert "sem celular cadastrado" in err


def test_message_errors_are_pt_br_with_exit_2(run):
    code, _, err = run("message", "500", "--as-of", AS_OF)
    assert code == 2 and "quitado" in err
    code, _, err = run("message", "200/A", "--as-of", AS_OF)
    assert code == 2 and "--installment" in err
    code, _, err = run("message", "999", "--as-of", AS_OF)
    assert code == 2 and "não encontrado" in err


def test_settings_set_refuses_a_broken_template_and_accepts_a_good_one(run):
    code, _, err = run("settings", "set", "template_whatsapp", "Olá {{ nome }}")
    assert code == 2 and "campo desconhecido: 'nome'" in err
    code, _, err = run("settings", "set", "template_whatsapp", "{{ ''.__class__ }}")
    assert code == 2 and "não é permitido" in err
    code, _, err = run("settings", "set", "template_whatsapp", "{{ cliente }}: {{ valor_atualizado }}")
    assert code == 0, err
    code, out, _ = run("message", "144", "--as-of", AS_OF)
    assert out.startswith("CompuFour Software: R$ 1.022,33\n")


def test_send_one_email(run, db, smtp_server):
    configure(db, smtp_server.port)
    code, out, err = run("send", "144", "--channel", "email", "--as-of", AS_OF)
    assert code == 0, err
    assert "E-mail enviado para financeiro@compufour.com.br" in out
    assert len(smtp_server.messages) == 1
    received = smtp_server.messages[0][2]
    assert "R$ 1.022,33" in received.get_content()
    entry = db.contacts.history("144", "1").iloc[0]
    assert (entry["channel"], entry["responsible"]) == ("E-mail", "SUPERVISOR")


def test_send_one_email_to_another_address(run, db, smtp_server):
    configure(db, smtp_server.port)
    code, _, err = run("send", "402", "--channel", "email", "--to", "dono@padaria.com.br", "--as-of", AS_OF)
    assert code == 0, err
    assert smtp_server.messages[0][1] == ["dono@padaria.com.br"]


def test_send_failure_exits_1_and_records_nothing(run, db):
    configure(db, free_port())
    code, _, err = run("send", "144", "--channel", "email", "--as-of", AS_OF)
    assert code == 1 and "conexão recusada" in err
    assert db.contacts.history("144", "1").empty


def test_send_bulk_dry_run_then_yes_then_nothing_new(run, db, smtp_server):
    configure(db, smtp_server.port)
    flt = "Vencidas de 1 a 10 dias"
    code, out, err = run("send", "--filter", flt, "--channel", "email", "--as-of", AS_OF)
    assert code == 0, err
    assert "CompuFour Software" in out and "financeiro@compufour.com.br" in out and "R$ 1.022,33" in out
    assert "José da Silva Açougue" in out and "R$ 91,79" in out
    assert "Nada foi enviado" in out and "--yes" in out
    assert smtp_server.messages == []

    code, out, err = run("send", "--filter", flt, "--channel", "email", "--yes", "--as-of", AS_OF)
    assert code == 0, err
    assert "2 e-mails enviados" in out
    assert "Enviando" in err  # the tqdm bar
    assert sorted(r[0] for _, r, _ in smtp_server.messages) == ["financeiro@compufour.com.br", "jose@example.com"]

    code, out, err = run("send", "--filter", flt, "--channel", "email", "--yes", "--as-of", AS_OF)
    assert code == 0, err
    assert "0 e-mails enviados" in out and "já recebeu e-mail hoje" in out
    assert len(smtp_server.messages) == 2


def test_send_bulk_failure_exits_1_with_reasons(run, db):
    configure(db, free_port())
    code, out, _ = run("send", "--min-days", "0", "--channel", "email", "--yes", "--as-of", AS_OF)
    assert code == 1
    assert "conexão recusada" in out and "3 falhas" in out
    assert "ignorado: Maria Souza ME: sem e-mail cadastrado" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("send", "144", "--channel", "whatsapp"), "Só o e-mail é enviado"),
        (("send", "--channel", "email"), "Informe o DOCUMENTO"),
        (("send", "144", "--filter", "Vencendo hoje", "--channel", "email"), "não os dois"),
        (("send", "--filter", "Vencendo hoje", "--to", "a@example.com", "--channel", "email"), "--to"),
        (("send", "144", "--channel", "email"), "smtp_host"),
    ],
)
def test_send_usage_errors(run, args, message):
    code, _, err = run(*args)
    assert code == 2 and message in err
