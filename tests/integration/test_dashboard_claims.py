"""The dashboard's claims without a browser, on both engines: "Próximo cliente" hands each analyst a customer of
their own and opens its contact form; the form refuses a customer another analyst serves; a registered contact,
"Fechar" or the next customer give the claim back."""

from __future__ import annotations

import asyncio

import pytest
from support.known import ENGINES
from support.pg_helpers import target_of

from cobranca import open_db
from cobranca.core import clock
from cobranca.dashboard import build_app
from cobranca.dashboard.app import CobrancaApp
from cobranca.dashboard.state.claims import RENEW_SECONDS, kernel_timer

pytestmark = pytest.mark.usefixtures("company_today")  # the one test clock (conftest.py)
ENGINES = ENGINES  # every test here taking db/db_path runs on a DuckDB file and on PostgreSQL
ALL = "(Todas as vencidas e vencendo hoje)"  # Padaria 402, Maria 301, CompuFour 144, José 200/A, 666


def board(db, analyst: str) -> CobrancaApp:
    app = build_app(db)
    app.state.responsible = analyst
    app.filters.dropdown.label = ALL
    return app


def press_next(app: CobrancaApp) -> None:
    app.worklist.next_customer.click()


def lessees(db, code: str) -> list[str]:
    return [lease["analyst"] for lease in db.portfolio.leases(db.customers.find(code)["id"])]


def selected_document(app: CobrancaApp) -> str | None:
    row = app.state.selected_row
    return None if row is None else row["document"]


def test_next_customer_claims_selects_and_opens_the_contact_form(known_db):
    ana = board(known_db, "Ana")
    bia = board(open_db(target_of(known_db)), "Bia")
    press_next(ana)
    assert selected_document(ana) == "402"  # Padaria, the most overdue
    assert ana.contact.key == ("402", "1") and ana.contact.layout.display is None  # the form is open
    assert "Padaria Pão Quente" in ana.contact.title.value
    assert lessees(known_db, "4") == ["Ana"]
    press_next(bia)  # another server, same list: Padaria is Ana's
    assert selected_document(bia) == "301" and bia.contact.key == ("301", "1")  # Maria, the next one
    press_next(ana)  # Ana moves on: the next free one is CompuFour, and Padaria is free again
    assert selected_document(ana) == "144"
    assert lessees(known_db, "4") == [] and lessees(known_db, "1") == ["Ana"] and lessees(known_db, "3") == ["Bia"]
    assert ana.alerts.kind != "error" and bia.alerts.kind != "error"


def test_nobody_left_and_no_name_say_so(known_db):
    ana = board(known_db, "Ana")
    ana.state.select_key("144", "1")
    others = open_db(target_of(known_db))
    for code, analyst in (("4", "Bia"), ("3", "Caio"), ("1", "Duda"), ("2", "Edu"), ("6", "Fabi")):
        others.portfolio.claim(others.customers.find(code)["id"], analyst)  # five analysts, five customers
    press_next(ana)
    assert (ana.alerts.kind, ana.alerts.text) == ("warning", "Nenhum cliente livre neste filtro.")
    assert selected_document(ana) == "144" and ana.contact.key is None  # nothing moved
    nobody = board(open_db(target_of(known_db)), "")
    press_next(nobody)
    assert nobody.alerts.kind == "error" and "Responsável" in nobody.alerts.text
    assert nobody.state.selected_row is None and nobody.contact.key is None


def test_the_contact_form_refuses_a_customer_another_analyst_serves(known_db):
    ana, bia = board(known_db, "Ana"), board(open_db(target_of(known_db)), "Bia")
    press_next(bia)  # Bia serves Padaria
    ana.state.select_key("402", "1")
    ana.actions.contact_button.click()
    assert ana.alerts.kind == "warning" and ana.alerts.text.startswith("Em atendimento por Bia até ")
    assert ana.contact.key is None and ana.contact.layout.display == "none"
    assert lessees(known_db, "4") == ["Bia"]  # the refused claim wrote nothing
    ana.state.select_key("301", "1")
    ana.actions.contact_button.click()  # Maria is free: the form opens and Ana now serves her
    assert ana.contact.key == ("301", "1") and lessees(known_db, "3") == ["Ana"]


def test_registering_or_closing_gives_the_customer_back_and_next_skips_the_contacted(known_db):
    ana, bia = board(known_db, "Ana"), board(open_db(target_of(known_db)), "Bia")  # Bia's list read now
    press_next(ana)  # Padaria
    ana.contact.channel.value = "Telefone"
    ana.contact.observation.value = "vai pagar sexta"
    ana.contact.send_button.click()
    assert "Contato por Telefone registrado" in ana.contact.result.value
    assert lessees(known_db, "4") == []  # registered: free for the team again
    press_next(ana)  # Padaria was called today: Maria is next
    assert selected_document(ana) == "301" and lessees(known_db, "3") == ["Ana"]
    ana.contact.close_button.click()
    assert lessees(known_db, "3") == []
    press_next(bia)  # Bia's page still shows Padaria uncontacted, but the claim reads today's contacts afresh
    assert selected_document(bia) == "301"


def test_selecting_another_row_gives_the_claim_back(known_db):
    ana = board(known_db, "Ana")
    press_next(ana)
    ana.state.select_key("301", "1")  # the form closes when the selection moves
    assert ana.contact.key is None and lessees(known_db, "4") == []


def test_the_form_closes_on_screen_only_once_the_claim_is_given_back(known_db):
    ana = board(known_db, "Ana")
    press_next(ana)
    seen = []  # who serves Padaria at the moment the browser is told to hide the form
    ana.contact.layout.observe(lambda _change: seen.append(lessees(known_db, "4")), "display")
    ana.contact.close_button.click()
    assert seen == [[]]


class Timers:
    """The renewals a page scheduled, fired by the test (the kernel's event loop stands in)."""

    def __init__(self):
        self.pending: list[list] = []  # [seconds, callback, cancelled]

    def __call__(self, seconds, callback):
        entry = [seconds, callback, False]
        self.pending.append(entry)
        return type("Handle", (), {"cancel": lambda _self: entry.__setitem__(2, True)})()

    def live(self) -> list[list]:
        return [entry for entry in self.pending if not entry[2]]

    def fire(self) -> None:
        (entry,) = self.live()
        entry[2] = True
        entry[1]()


def at_minutes(monkeypatch, minutes: int) -> None:
    """The company clock `minutes` after the test's start (COMPANY_NOW, 10:00)."""
    monkeypatch.setenv(clock.CLOCK_ENV, f"2020-06-08T10:{minutes:02d}:00-03:00")


def test_a_long_call_keeps_the_claim_renewed_and_closing_stops_the_renewals(known_db, monkeypatch):
    ana, bia = board(known_db, "Ana"), board(open_db(target_of(known_db)), "Bia")
    ana.state.claims.timer = timers = Timers()
    press_next(ana)  # Padaria, claimed at 10:00 until 10:05
    assert [entry[0] for entry in timers.live()] == [RENEW_SECONDS]
    at_minutes(monkeypatch, 4)
    timers.fire()  # renewed at 10:04, until 10:09
    at_minutes(monkeypatch, 7)  # the first lease would have ended at 10:05
    bia.state.select_key("402", "1")
    bia.actions.contact_button.click()
    assert bia.alerts.kind == "warning" and bia.alerts.text.startswith("Em atendimento por Ana até 08/06/2020 10:09")
    assert len(timers.live()) == 1  # the next renewal is waiting
    ana.contact.close_button.click()
    assert timers.live() == [] and lessees(known_db, "4") == []


def test_a_claim_lost_while_the_form_was_open_is_said_and_no_longer_renewed(known_db, monkeypatch):
    ana, bia = board(known_db, "Ana"), board(open_db(target_of(known_db)), "Bia")
    ana.state.claims.timer = timers = Timers()
    press_next(ana)  # until 10:05; the renewal did not run (the kernel was busy, the laptop slept)
    at_minutes(monkeypatch, 6)
    bia.state.select_key("402", "1")
    bia.actions.contact_button.click()  # expired: Bia serves Padaria now
    assert lessees(known_db, "4") == ["Bia"]
    timers.fire()
    assert ana.alerts.kind == "warning" and "passou para Bia" in ana.alerts.text
    assert ana.state.claims.held is None and timers.live() == []
    assert lessees(known_db, "4") == ["Bia"]  # Ana's late renewal took nothing from Bia
    assert ana.contact.key == ("402", "1")  # Ana may still log the call she is making


def test_the_kernel_timer_runs_the_renewal_on_the_running_event_loop():
    ran = []

    async def page():
        handle = kernel_timer(0.01, lambda: ran.append("renewed"))
        await asyncio.sleep(0.05)
        return handle

    assert asyncio.run(page()) is not None and ran == ["renewed"]
    assert kernel_timer(0.01, lambda: ran.append("again")) is None  # no loop (a script): nothing scheduled
