"""CLI and input hardening: pt-BR messages and documented exit codes at the limits, clean stored text."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date, timedelta

import duckdb
import pytest
from support.known import receivables_frame

from benchmarks.synthetic import synthetic_frame, write_csv
from cobranca import open_db
from cobranca.cli import main
from cobranca.core.errors import InputError

ENGLISH = re.compile(r"usage:|\bargument\b|\barguments\b|expected|\binvalid\b|required|unrecognized|choose from|"
                     r"show this help|positional|\boptions\b|\berror\b|not allowed|ambiguous|could match|"
                     r"one of the|ignored|Exception|Error\b|Traceback")


def cli(*args) -> tuple[int, str, str]:
    """A real `cobranca` process; (exit code, stdout, stderr)."""
    done = subprocess.run([sys.executable, "-m", "cobranca", *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "COBRANCA_DEBUG": ""})
    return done.returncode, done.stdout, done.stderr


def usage_error(capsys, *args) -> str:
    with pytest.raises(SystemExit) as stop:
        main(list(args))
    assert stop.value.code == 2
    return capsys.readouterr().err


# -- DECIMAL limits, dates, --db ------------------------------------------------------------------

def test_an_open_balance_beyond_decimal_18_2_is_a_pt_br_error(db_path, tmp_path):
    frame = synthetic_frame(3, date(2026, 11, 30))
    frame["amount"] = "9.999.999.999.999.999,99"  # each fits DECIMAL(18,2); their sum does not
    frame["paid_amount"] = "0,00"
    csv = write_csv(frame, tmp_path / "contas.csv")
    code, _, err = cli("--db", str(db_path), "import", str(csv))
    assert code == 2, err
    assert "limite" in err and "Nada foi importado" in err and not ENGLISH.search(err)
    assert open_db(db_path).receivables.counts()["receivables"] == 0  # all or nothing


def test_totals_are_summed_beyond_decimal_18_2(db, run):
    with duckdb.connect(str(db.path)) as con:  # two receivables of 9 quadrillion: 18 between them
        con.execute("UPDATE receivables SET amount = 9000000000000000.00, paid_amount = 0 WHERE document IN ('144', '145')")
    assert run("carteira", "assign", "ANA", "--customer", "1")[0] == 0
    code, out, err = run("carteira", "list", "--format", "json")
    assert code == 0, err
    assert "18000000000000000" in out
    for args in (("results", "--to", "2020-06-08"), ("worklist", "--as-of", "2020-06-08"), ("customer", "1")):
        code, out, err = run(*args)
        assert code == 0, (args, err)


@pytest.mark.parametrize("args", [
    ("worklist", "--as-of", "0001-01-01"), ("worklist", "--as-of", "9999-12-31"), ("worklist", "--as-of", "1899-12-31"),
    ("regua", "preview", "144", "--now", "9999-12-31T23:59"), ("regua", "run", "--now", "0001-01-01T00:00"),
    ("promise", "144", "--date", "9999-12-31"), ("results", "--to", "0001-01-01"), ("results", "--from", "31/12/9999"),
])
def test_dates_out_of_range_are_bad_input(run, args):
    code, _, err = run(*args)
    assert code == 2, err
    assert "1900" in err and "2100" in err or "promessa" in err
    assert not ENGLISH.search(err)


def test_dates_inside_the_range_work(run):
    assert run("worklist", "--as-of", "1900-01-01")[0] == 0
    assert run("worklist", "--as-of", "31/12/2100")[0] == 0


def test_a_folder_as_db_is_bad_input(tmp_path):
    code, _, err = cli("--db", str(tmp_path), "worklist")
    assert code == 2
    assert str(tmp_path) in err and "pasta" in err and not ENGLISH.search(err)
    code, _, err = cli("--db", str(tmp_path), "restore", str(tmp_path))
    assert code == 2 and not ENGLISH.search(err)


def test_a_file_that_is_not_duckdb_is_bad_input(tmp_path, capsys):
    text = tmp_path / "notas.duckdb"
    text.write_text("texto", encoding="utf-8")
    assert main(["--db", str(text), "worklist"]) == 2
    err = capsys.readouterr().err
    assert "não é um banco DuckDB" in err and not ENGLISH.search(err)
    assert text.read_text(encoding="utf-8") == "texto"


# -- argparse in pt-BR ----------------------------------------------------------------------------

@pytest.mark.parametrize("args, words", [
    (("worklist", "--filter"), "espera um valor"),
    (("worklist", "--min-days", "x"), "número inteiro inválido: 'x'"),
    (("restore",), "obrigatório"),
    (("nada",), "comando inválido: 'nada'"),
    (("worklist", "--zzz"), "não reconhecido"),
    (("worklist", "--format", "xml"), "opção inválida: 'xml' (escolha entre 'table', 'csv', 'json')"),
    (("worklist", "--filter", "a", "--due-today"), "não pode ser usado com"),
    (("worklist", "--m", "1"), "ambígua"),
    (("regua", "preview"), "obrigatório"),
    ((), "obrigatório"),
])
def test_argparse_errors_are_pt_br(capsys, args, words):
    err = usage_error(capsys, *args)
    assert words in err and "uso: cobranca" in err
    assert not ENGLISH.search(err), err


@pytest.mark.parametrize("args", [("--help",), ("worklist", "--help"), ("regua", "--help"), ("regua", "run", "--help"),
                                  ("restore", "--help"), ("filters", "add", "--help")])
def test_help_is_pt_br(capsys, args):
    with pytest.raises(SystemExit) as stop:
        main(list(args))
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert "mostra esta ajuda e sai" in out and "opções:" in out
    assert not ENGLISH.search(out.replace("--help", "")), out


def test_real_process_usage_error_is_pt_br():
    code, _, err = cli("worklist", "--min-days")
    assert code == 2 and "espera um valor" in err and not ENGLISH.search(err)


# -- closed pipe ----------------------------------------------------------------------------------

def test_a_closed_pipe_exits_quietly(db):
    db.receivables.upsert(receivables_frame())
    proc = subprocess.Popen([sys.executable, "-m", "cobranca", "--db", str(db.path), "worklist", "--as-of", "2020-06-08",
                             "--format", "json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # like `| head -0`: nobody reads what is written
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141
    assert err == ""


# -- stored text, destinations, promises ----------------------------------------------------------

def test_control_characters_are_stripped_from_stored_text(db):
    db.promises.register("144", due=date(2026, 12, 10), note="paga\x1b[31m na\x00 sexta\r\nsem falta\x07\t!")
    assert db.contacts.history("144").iloc[0]["observation"].endswith(" paga[31m na sexta\nsem falta\t!")
    step = db.regua.add_step("Lem\x1bbre\nte", days=-9, channel="E-mail", subject="Vence\x08 logo", body="Olá\x00")
    assert (step.name, step.subject, step.body) == ("Lembre te", "Vence logo", "Olá")
    db.settings.set("pix_name", "Compu\x1bFour\x00 Ltda")
    assert db.settings.all()["pix_name"] == "CompuFour Ltda"
    db.filters.add(description="Gran\x1bdes\u202e", min_days=1, max_days=60)
    assert "Grandes" in [f.description for f in db.filters.all()]
    db.contacts.comment("144", "um\x0cdois")
    assert db.contacts.history("144").iloc[0]["observation"] == "umdois"


@pytest.mark.parametrize("to", ["ana@example.com\r\nBcc: x@example.com", "ana@example.com\n", "(11) 98765\r\n-4321",
                                "+55 11 98765-4321\x00"])
def test_line_breaks_and_control_characters_are_refused_in_destinations(db, to):
    channel = "E-mail" if "@" in to else "WhatsApp"
    with pytest.raises(InputError, match="destino"):
        db.contacts.register_one("144", channel=channel, to=to)
    assert db.contacts.history("144").empty


def test_cli_contact_to_with_crlf_is_bad_input(run, db):
    code, _, err = run("contact", "144", "--channel", "E-mail", "--to", "ana@example.com\r\nBcc: x@example.com")
    assert code == 2 and "destino" in err
    assert db.contacts.history("144").empty


def test_promise_dates_are_at_most_a_year_ahead(db):
    today = db.today()
    year_ahead = today.replace(year=today.year + 1)
    assert db.promises.register("144", due=year_ahead)["promise_date"] == year_ahead
    with pytest.raises(InputError, match="no máximo um ano"):
        db.promises.register("144", due=year_ahead + timedelta(days=1))


def test_long_bad_values_are_cut_in_error_messages(run):
    huge = "x" * 100_000
    for args in (("worklist", "--as-of", huge), ("history", huge), ("contact", "144", "--channel", huge),
                 ("settings", "set", "grace_days", huge), ("filters", "add", "Y", "--min-balance", huge)):
        code, out, err = run(*args)
        assert code == 2, err
        assert len(err) < 600 and "xxxxxxxxxx…" in err, (args, len(err))
