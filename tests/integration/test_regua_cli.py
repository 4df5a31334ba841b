"""`cobranca regua` steps CRUD and preview; migration of an older file; a run while another process writes."""

from __future__ import annotations

import asyncio
import json
import multiprocessing as mp
import time
from datetime import datetime

import pytest
from aiosmtpd.controller import Controller
from support.known import ENGINES
from support.pg_helpers import target_of
from support.regua_helpers import NOW, regua_db
from support.smtp_helpers import Recorder, configure

from benchmarks.measure import free_port
from cobranca import open_db
from cobranca.cli import main
from cobranca.store import SCHEMA_VERSION, schema
from cobranca.workflows.regua_run import run

ENGINES = ENGINES  # every test here runs on a DuckDB file and on PostgreSQL (see conftest.py)

def cli(db, *args):
    return main(["--db", target_of(db), "regua", *args])


def test_list_json_has_the_default_cadence(rdb, capsys):
    assert cli(rdb, "list", "--format", "json") == 0
    assert json.loads(capsys.readouterr().out) == [
        {"name": "Lembrete 3 dias antes", "days": -3, "channel": "E-mail"},
        {"name": "Vence hoje", "days": 0, "channel": "E-mail"},
        {"name": "WhatsApp 3 dias após", "days": 3, "channel": "WhatsApp"},
        {"name": "Segundo aviso 10 dias após", "days": 10, "channel": "E-mail"},
        {"name": "Ligação 30 dias após", "days": 30, "channel": "Telefone"},
    ]


def test_add_edit_delete_and_their_errors(rdb, capsys):
    assert cli(rdb, "add", "Carta 60", "--days", "60", "--channel", "carta") == 0
    assert cli(rdb, "add", "Último aviso", "--days", "45", "--channel", "email",
               "--subject", "Último aviso: {{ total }}", "--body", "{{ cliente }}, total {{ total }}.") == 0
    assert cli(rdb, "edit", "Carta 60", "--days", "90", "--name", "Carta 90") == 0
    capsys.readouterr()
    assert cli(rdb, "list") == 0
    out = capsys.readouterr().out
    assert "+90  Carta 90" in out and "+45  Último aviso" in out and "próprio (envio automático)" in out
    assert cli(rdb, "add", "vence hoje", "--days", "1", "--channel", "email") == 2
    assert "Já existe uma etapa chamada 'Vence hoje'" in capsys.readouterr().err
    assert cli(rdb, "add", "Outra", "--days", "0", "--channel", "email") == 2
    assert "já usa 0 dias" in capsys.readouterr().err
    assert cli(rdb, "add", "Ruim", "--days", "5", "--channel", "email", "--body", "{{ nome }}") == 2
    assert "campo desconhecido: 'nome'" in capsys.readouterr().err
    assert cli(rdb, "edit", "Nada", "--days", "5") == 2
    assert "Etapa 'Nada' não encontrada" in capsys.readouterr().err
    assert cli(rdb, "delete", "Carta 90") == 0
    assert [s.name for s in rdb.regua.steps()][-1] == "Último aviso"


def test_preview_shows_the_step_and_the_customers_message(rdb, capsys):
    assert cli(rdb, "preview", "A1", "--now", NOW) == 0
    out = capsys.readouterr().out
    assert "Etapa 'Segundo aviso 10 dias após' (e-mail) para Alfa Comércio, contas A3/1, A2/1, A1/1" in out
    assert "Assunto: Minha Empresa Ltda: contas em aberto, total atualizado R$ 607,20" in out
    assert cli(rdb, "preview", "G1", "--now", NOW) == 0
    assert "Nenhuma etapa ainda (-20 dias" in capsys.readouterr().out
    assert cli(rdb, "preview", "F1", "--now", NOW) == 0
    assert "quitada" in capsys.readouterr().out
    assert cli(rdb, "preview", "C2", "--now", NOW) == 0
    out = capsys.readouterr().out
    assert "(tarefa WhatsApp)" in out and "Olá, Gama ME!" in out
    assert cli(rdb, "run", "--now", NOW) == 0
    assert "smtp_host" in capsys.readouterr().err  # the dry run warns that nothing could be sent yet
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COBRANCA_NOW", NOW)
        assert cli(rdb, "run", "--yes") == 2
    assert "smtp_host" in capsys.readouterr().err and rdb.regua.log(datetime(2020, 6, 8).date()).empty
    assert cli(rdb, "run", "--now", "2020-06-08T25:00") == 2
    assert "--now '2020-06-08T25:00' inválido" in capsys.readouterr().err


def test_a_version_2_file_upgrades_with_the_default_cadence(db_path, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(schema, "SCHEMA_VERSION", 2)
        old = regua_db(db_path)
        old.contacts.register_one("A1", channel="Telefone", observation="ligou")
        assert old.schema_version() == 2
    db = open_db(db_path)
    assert db.schema_version() == SCHEMA_VERSION >= 3
    assert [s.days for s in db.regua.steps()] == [-3, 0, 3, 10, 30]
    assert list(db.contacts.history("A1")["observation"]) == ["ligou"]
    assert len(run(db, datetime(2020, 6, 8, 10)).plan.emails) == 3


class SlowRecorder(Recorder):
    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(0.4)
        return await super().handle_DATA(server, session, envelope)


def _register_meanwhile(path, ready, stop, done):
    db = open_db(path, wait_seconds=60)
    db.receivables.find("D1")
    ready.set()
    count = 0
    while not stop.is_set():
        db.contacts.register_one("D1", channel="Telefone", observation=f"ligação {count}")
        count += 1
        done.put(time.time())
        time.sleep(0.02)
    done.put(None)


def test_the_dashboard_keeps_writing_while_a_run_sends(rdb, monkeypatch):
    monkeypatch.setenv("COBRANCA_NOW", NOW)
    handler = SlowRecorder()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    configure(rdb, controller.port)
    ctx = mp.get_context("spawn")
    ready, stop, done = ctx.Event(), ctx.Event(), ctx.Queue()
    proc = ctx.Process(target=_register_meanwhile, args=(target_of(rdb), ready, stop, done))
    proc.start()
    sends: list[float] = []
    try:
        assert ready.wait(60)
        report = run(rdb, dry_run=False, progress=lambda *_: sends.append(time.time()))
    finally:
        stop.set()
        controller.stop()
    stamps = []
    while (stamp := done.get(timeout=60)) is not None:
        stamps.append(stamp)
    proc.join(30)
    assert proc.exitcode == 0 and len(report.sent) == 3 and len(handler.messages) == 3
    during = [t for t in stamps if sends[0] <= t <= sends[-1]]
    assert during, "no contact was registered by the other process while the run was sending"
    history = rdb.contacts.history("D1")
    assert (history["channel"] == "Telefone").sum() == len(stamps)  # every write of the other process is there
