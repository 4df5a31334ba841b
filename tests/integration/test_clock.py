"""The one clock on a server in UTC at 22:30 in São Paulo (01:30 UTC the next day): today is still the 7th
everywhere, every time shown or exported is company time, and entries of every writer order as they happened."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from support.pix_helpers import enable_pix
from support.regua_helpers import regua_db
from support.smtp_helpers import configure

from cobranca.core import clock
from cobranca.report.export import to_csv_bytes, to_xlsx_bytes
from cobranca.workflows import regua_run

DAY = date(2026, 11, 30)  # a Monday in the past (a sending run refuses a clock ahead of the machine)
NIGHT = "2026-11-30T22:30:00-03:00"  # 01:30 UTC on 1 December
ROOT = Path(__file__).resolve().parents[2]


pytestmark = pytest.mark.company_now(NIGHT)  # `company_today` of conftest.py


@pytest.fixture
def utc_server(monkeypatch, company_today):
    """This process on a server whose clock is UTC, at 22:30 in São Paulo."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def night_db(utc_server, tmp_path):
    return regua_db(tmp_path / "noite.duckdb", DAY)


def test_the_clock_stores_utc_and_shows_company_time(utc_server):
    tz = clock.ZoneInfo("America/Sao_Paulo")
    stored = clock.stored(tz)
    assert stored.date() == date(2026, 12, 1) and (stored.hour, stored.minute) == (1, 30)
    assert clock.today(tz) == DAY
    assert clock.shown(stored, tz).strftime("%d/%m/%Y %H:%M") == "30/11/2026 22:30"


def test_worklists_due_today_interest_and_pix_belong_to_the_company_day(night_db):
    assert night_db.today() == DAY
    default, on_7th, on_8th = night_db.worklists.rows(), night_db.worklists.rows(as_of=DAY), night_db.worklists.rows(as_of=DAY + timedelta(1))
    amounts = lambda f: dict(zip(f["document"], f["updated_amount"], strict=True))  # noqa: E731
    assert amounts(default) == amounts(on_7th) != amounts(on_8th)
    delta = default.set_index("document").loc["D1"]
    assert delta["days_overdue"] == 40  # not 41: interest counts to the 7th
    assert set(night_db.worklists.rows("Vencendo hoje")["document"]) == {"A2", "C2"}  # due on the 7th, not the 8th
    enable_pix(night_db)
    charge, row = night_db.pix.for_receivable("D1")
    assert charge.valid_until == DAY and charge.amount == row["updated_amount"] == delta["updated_amount"]


def test_a_contact_made_now_shows_22_30_in_history_list_and_exports(night_db):
    night_db.contacts.register_one("D1", channel="Telefone", observation="ligou")
    entry = night_db.contacts.history("D1").iloc[0]
    assert entry["created_at"].strftime("%d/%m/%Y %H:%M") == "30/11/2026 22:30"
    row = night_db.worklists.rows().set_index("document").loc["D1"]
    assert row["last_contact_at"].strftime("%d/%m/%Y %H:%M") == "30/11/2026 22:30" and row["contacted_today"]
    assert night_db.worklists.totals()["contacted_today"] == 1
    assert ("D1", "1") in night_db.contacts.contacted_on(DAY) and not night_db.contacts.contacted_on(DAY + timedelta(1))
    frame = night_db.worklists.rows()[["document", "last_contact_at"]]
    assert "30/11/2026 22:30" in to_csv_bytes(frame).decode("utf-8-sig")
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(frame))).active
    shown = [c.value for c in sheet["B"] if isinstance(c.value, datetime)]
    assert [v.strftime("%d/%m/%Y %H:%M") for v in shown] == ["30/11/2026 22:30"]
    day = night_db.contacts.per_day(DAY, DAY)
    assert list(day["contacts"]) == [1] and [d.date() if hasattr(d, "date") else d for d in day["day"]] == [DAY]
    assert night_db.contacts.cancel_last("D1")["created_at"].strftime("%H:%M") == "22:30"  # the confirmation


def test_regua_entries_contacts_and_opt_outs_order_as_they_happened(night_db, smtp_server):
    configure(night_db, smtp_server.port)
    night_db.settings.set("contact_hours", "livre")  # 22:30: the run may send in this test
    night_db.contacts.register_one("E1", channel="Telefone", observation="ligou antes da régua")
    night_db.contacts.register_one("C1", channel="Telefone", observation="ligou antes da tarefa")
    report = regua_run.run(night_db, dry_run=False, by="robô")
    assert report.sent and report.tasks_created
    assert list(night_db.contacts.history("E1")["channel"][:2]) == ["E-mail", "Telefone"]  # the run came after the call
    tasks = night_db.regua.open_tasks(DAY)
    c1 = night_db.receivables.find("C1")["receivable_id"]
    assert c1 in set(tasks["receivable_id"])  # a call made before the task does not count as done
    assert tasks["created_at"].dt.strftime("%d/%m/%Y %H:%M").eq("30/11/2026 22:30").all()
    log = night_db.regua.log(DAY)
    assert log["created_at"].dt.strftime("%d/%m/%Y %H:%M").eq("30/11/2026 22:30").all()
    night_db.policy.opt_out("5", reason="pediu por telefone")  # Épsilon Serviços, after its e-mail
    history = night_db.contacts.history("E1")
    assert list(history["kind"][:2]) == ["optout", "contact"] and history.iloc[1]["channel"] == "E-mail"
    night_db.contacts.register_one("C1", channel="WhatsApp", to="11987654321", observation="tarefa feita")
    assert c1 not in set(night_db.regua.open_tasks(DAY)["receivable_id"])


def test_the_cli_on_a_utc_server_works_on_the_companys_day(night_db):
    env = {**os.environ, "TZ": "UTC", "COBRANCA_NOW": NIGHT, "COBRANCA_USER": "ANA"}
    env.pop("COBRANCA_NOW_ANCHOR", None)  # the subprocess starts its own clock at 22:30

    def cli(*args):
        done = subprocess.run([sys.executable, "-m", "cobranca", *args, "--db", str(night_db.path)], env=env,
                              cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return done.stdout

    rows = {r["document"]: r for r in json.loads(cli("worklist", "--format", "json", "--min-days", "0"))}
    assert rows["D1"]["days_overdue"] == 40 and {"A2", "C2"} <= set(rows)
    cli("contact", "D1", "--channel", "Telefone", "--observation", "ligou")
    history = json.loads(cli("history", "D1", "--format", "json"))
    assert str(history[0]["created_at"]).replace("T", " ").startswith("2026-11-30 22:30")
    assert "30/11/2026 22:30" in cli("history", "D1")


def test_the_pdf_says_generated_at_22_30_and_lists_the_call_at_22_30(night_db):
    import pdfplumber

    from cobranca.report.pdf import build_report

    night_db.contacts.register_one("D1", channel="Telefone", observation="ligou")
    pdf = build_report(night_db, None, night_db.today())
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        text = "\n".join(page.extract_text() or "" for page in doc.pages)
    assert "Gerado em 30/11/2026 22:3" in text and "01/12/2026" not in text
    assert text.count("30/11/2026 22:3") >= 3  # summary, footer, the call in the history


def test_cobranca_now_starts_a_running_clock_that_subprocesses_share(monkeypatch):
    monkeypatch.setenv("COBRANCA_NOW", NIGHT)
    monkeypatch.delenv(clock.ANCHOR_ENV, raising=False)
    tz = clock.ZoneInfo("America/Sao_Paulo")
    first = clock.now(tz)
    time.sleep(0.05)
    second = clock.now(tz)
    assert datetime.fromisoformat(NIGHT) <= first < second < first + timedelta(seconds=5)  # writes stay ordered
    code = "from zoneinfo import ZoneInfo; from cobranca.core import clock; print(clock.now(ZoneInfo('UTC')).isoformat())"
    child = subprocess.run([sys.executable, "-c", code], env=dict(os.environ), capture_output=True, text=True,
                           timeout=60, check=True)
    assert datetime.fromisoformat(child.stdout.strip()) > second  # the child's clock runs on from the same start
    monkeypatch.setenv("COBRANCA_NOW", "2020-06-08T10:00:00-03:00")  # another start, its own run
    assert clock.now(tz) < datetime.fromisoformat("2020-06-08T10:00:05-03:00")
    monkeypatch.setenv("COBRANCA_NOW", NIGHT)
    assert clock.now(tz) > second  # back to the first start: its clock went on, never backwards
