"""End to end in a real Chromium: the "Régua de cobrança" section shows today's plan, and a run made by another
process (the scheduled `cobranca regua run --yes`) while the page is open shows in its log and in the grid's
"Tarefas de hoje"."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from support.browser import ROOT, Dashboard
from support.known import clock_today
from support.regua_helpers import regua_db
from support.smtp_helpers import configure

pytestmark = pytest.mark.browser


def seed_dashboard(db_path):
    """Receivables around today, the dashboard's day (the `server` of e2e/conftest.py)."""
    db = regua_db(db_path, clock_today())
    db.settings.set("contact_hours", "livre")  # the run below happens whenever the suite runs
    return db




def test_plan_then_a_scheduled_run_shows_in_the_log(browser, server, smtp_server):
    dash = Dashboard(browser, server["url"])
    try:
        page = dash.page
        page.get_by_text("Régua de cobrança", exact=True).click()
        page.wait_for_selector(".cobranca-regua-steps")
        page.click(".cobranca-regua-plan")
        emails = page.wait_for_selector(".cobranca-regua-emails")
        assert "Alfa Comércio" in emails.inner_text() and "Segundo aviso 10 dias após" in emails.inner_text()
        assert "sem e-mail cadastrado" in page.inner_text(".cobranca-regua-todo")
        dash.shot("regua-plan")

        configure(server["db"], smtp_server.port)
        env = {**os.environ, "COBRANCA_USER": "ROBO"}  # COBRANCA_NOW: the suite's running clock, in the past
        done = subprocess.run([sys.executable, "-m", "cobranca", "--db", str(server["db"].path), "regua", "run",
                               "--yes"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
        assert len(smtp_server.messages) == 3

        page.click(".cobranca-regua-plan")
        page.wait_for_function("document.querySelector('.cobranca-regua-emails') === null")
        page.get_by_text("Régua de cobrança", exact=True).click()  # close and open again: the log is re-read
        page.get_by_text("Régua de cobrança", exact=True).click()
        page.wait_for_selector(".cobranca-regua-log")
        log = page.inner_text(".cobranca-regua-log")
        assert log.count("enviado") == 5 and log.count("tarefa criada") == 3
        page.click(".cobranca-regua-tasks")
        dash.wait_text(".cobranca-filter-dropdown select option:checked", r"Tarefas\s+de\s+hoje")  # nbsp
        dash.wait_text(".cobranca-count", r"Mostrando 3 de 3")  # C1, C2 (no e-mail) and D1 (phone step)
        dash.shot("regua-after-run")
    finally:
        dash.close()
