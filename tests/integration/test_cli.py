"""The `cobranca` command line: pt-BR messages, exit codes and the JSON worklist."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import date

import pytest
from support.known import ENGINES, receivables_frame
from support.pg_helpers import target_of

from cobranca.cli import main

ENGINES = ENGINES  # every test here runs on a DuckDB file and on PostgreSQL (see conftest.py)

JSON_KEYS = {"document", "installment", "customer", "due_date", "days_overdue", "balance", "fine", "interest",
             "updated_amount", "mobile", "email", "last_contact_at", "last_contact_channel", "contacted_today",
             "status", "promise_date", "do_not_contact", "assigned_to", "in_service_by"}


def run(db, *args):
    return main(["--db", target_of(db), *args])


def test_worklist_json_keys_and_values(db, capsys):
    assert run(db, "worklist", "--filter", "Vencidas de 1 a 10 dias", "--as-of", "2020-06-08", "--format", "json") == 0
    rows = json.loads(capsys.readouterr().out)
    assert [set(r) for r in rows] == [JSON_KEYS, JSON_KEYS]
    row = next(r for r in rows if r["document"] == "144")
    assert row["due_date"] == "2020-06-01" and row["days_overdue"] == 7
    assert (row["balance"], row["fine"], row["interest"], row["updated_amount"]) == ("1000.00", "20.00", "2.33", "1022.33")
    assert row["contacted_today"] is False and row["last_contact_at"] is None
    assert (row["status"], row["promise_date"], row["do_not_contact"]) == ("open", None, False)


def test_worklist_table_is_pt_br(db, capsys):
    assert run(db, "worklist", "--min-days", "1", "--max-days", "10", "--as-of", "08/06/2020") == 0
    out = capsys.readouterr().out
    assert "R$ 1.022,33" in out and "01/06/2020" in out and "CompuFour Software" in out


def test_worklist_csv_neutralises_formulas(db, capsys):
    hostile = receivables_frame([("66", "=HYPERLINK(\"http://x\";\"y\")", "+5511987654321", None, "666", "1",
                                  date(2020, 6, 8), "10.00", "0")])
    db.receivables.upsert(hostile)
    assert run(db, "worklist", "--due-today", "--as-of", "2020-06-08", "--format", "csv") == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out), delimiter=";"))
    assert rows[0][:2] == ["customer", "document"]
    cells = {r[1]: r for r in rows[1:]}
    assert cells["666"][0] == "'=HYPERLINK(\"http://x\";\"y\")"
    assert cells["301"][0] == "Maria Souza ME"


def test_contact_comment_history_undo(db, capsys):
    assert run(db, "contact", "144", "--channel", "whatsapp", "--to", "+5549999123456", "--message", "Olá", "--by", "ANA") == 0
    assert run(db, "comment", "144", "Visualizou e não respondeu.", "--by", "ANA") == 0
    capsys.readouterr()
    assert run(db, "history", "144", "--format", "json") == 0
    history = json.loads(capsys.readouterr().out)
    assert [h["channel"] for h in history] == ["Nenhum", "WhatsApp"]
    assert history[1]["destination"] == "+5549999123456" and history[0]["responsible"] == "ANA"
    assert run(db, "undo", "144") == 0
    assert "cancelado" in capsys.readouterr().out
    assert len(db.contacts.history("144")) == 1


def test_bad_input_exits_2_with_pt_br_message(db, capsys):
    assert run(db, "contact", "200/A", "--channel", "WhatsApp") == 2
    assert "2 parcelas em aberto" in capsys.readouterr().err
    assert run(db, "contact", "144", "--channel", "fax") == 2
    assert "Forma de contato desconhecida: 'fax'" in capsys.readouterr().err
    assert run(db, "worklist", "--as-of", "31/02/2020") == 2
    assert "não é uma data válida" in capsys.readouterr().err
    assert run(db, "worklist", "--filter", "nenhum") == 2
    assert run(db, "settings", "set", "grace_days", "-3") == 2
    assert "não pode ser negativo" in capsys.readouterr().err
    assert run(db, "filters", "add", "X", "--min-days", "9", "--max-days", "2") == 2
    with pytest.raises(SystemExit) as usage:
        run(db, "worklist", "--format", "xml")
    assert usage.value.code == 2
    assert "erro:" in capsys.readouterr().err


def test_filters_commands(db, capsys):
    assert run(db, "filters", "add", "Grandes", "--min-days", "1", "--max-days", "60", "--min-balance", "1.000,00", "--channel", "email") == 0
    assert run(db, "filters", "edit", "Grandes", "--max-days", "90", "--description", "Grandes devedores") == 0
    assert run(db, "filters", "list", "--format", "json") == 0
    listed = json.loads(capsys.readouterr().out.split("\n", 2)[-1])
    grand = next(f for f in listed if f["description"] == "Grandes devedores")
    assert (grand["max_days"], grand["min_balance"], grand["channel"]) == (90, "1000.00", "E-mail")
    assert run(db, "filters", "delete", "Grandes devedores") == 0
    assert [f.description for f in db.filters.all()].count("Grandes devedores") == 0


def test_settings_show_and_set_warns_above_cap(db, capsys):
    assert run(db, "settings", "set", "fine_percent", "3") == 0
    assert "Código de Defesa do Consumidor" in capsys.readouterr().err
    assert run(db, "settings", "show") == 0
    assert "fine_percent" in capsys.readouterr().out


def test_real_subprocess_exit_codes(db):
    env = {**os.environ, "COBRANCA_DB": target_of(db)}
    ok = subprocess.run([sys.executable, "-m", "cobranca", "worklist", "--format", "json", "--as-of", "2020-06-08"],
                        capture_output=True, text=True, env=env, timeout=120)
    assert ok.returncode == 0 and len(json.loads(ok.stdout)) == 5
    bad = subprocess.run([sys.executable, "-m", "cobranca", "history", "999"], capture_output=True, text=True,
                         env=env, timeout=120)
    assert bad.returncode == 2 and "Documento '999' não encontrado" in bad.stderr and "Traceback" not in bad.stderr
