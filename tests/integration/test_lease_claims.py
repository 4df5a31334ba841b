"""Claiming a customer ("em atendimento por X") alone, on both engines: exactly one of several racing processes
gets it, the others are told who; "the next free customer" hands every customer to exactly one analyst."""

from __future__ import annotations

import json
import multiprocessing as mp
import subprocess
import sys
from datetime import datetime, timedelta

import pytest
from support.known import AS_OF, ENGINES
from support.pg_helpers import target_of

from cobranca import open_db

ENGINES = ENGINES  # every test here runs on a DuckDB file and on PostgreSQL (see conftest.py)
pytestmark = pytest.mark.usefixtures("company_today")  # 08/06/2020 10:00 in São Paulo


def test_a_claim_is_refused_while_another_analyst_serves_the_customer(db):
    padaria = db.customers.find("4")["id"]
    ana = db.portfolio.claim(padaria, "Ana")
    assert (ana["claimed"], ana["analyst"], ana["message"]) == (True, "Ana", None)
    started = datetime(2020, 6, 8, 10)  # the test clock starts there and runs
    assert timedelta(minutes=5) <= ana["expires_at"] - started < timedelta(minutes=6)  # shown in company time
    bia = db.portfolio.claim(padaria, "Bia")
    assert (bia["claimed"], bia["analyst"], bia["expires_at"]) == (False, "Ana", ana["expires_at"])
    assert bia["message"] == f"Em atendimento por Ana até {ana['expires_at']:%d/%m/%Y %H:%M:%S}."
    assert [lease["analyst"] for lease in db.portfolio.leases(padaria)] == ["Ana"]  # Bia's refused claim wrote nothing
    assert db.portfolio.claim(padaria, "Ana")["claimed"]  # Ana renews her own
    db.portfolio.release_lease(padaria, "Ana")
    assert db.portfolio.claim(padaria, "Bia")["claimed"]


def test_an_expired_lease_does_not_hold_the_customer(db):
    padaria = db.customers.find("4")["id"]
    db.portfolio.take_lease(padaria, "Ana", at=db.now().replace(tzinfo=None) - timedelta(minutes=6))
    assert db.portfolio.claim(padaria, "Bia")["claimed"]


def test_the_next_customer_is_the_most_overdue_nobody_serves(db):
    order = db.portfolio.filter_customers(None, AS_OF)
    assert len(order) == 4
    db.portfolio.take_lease(order[0], "Caio")  # Caio has the first one's contact form open
    first = db.portfolio.claim_next(None, "Ana", as_of=AS_OF)
    second = db.portfolio.claim_next(None, "Bia", as_of=AS_OF)
    assert (first["customer_id"], second["customer_id"]) == (order[1], order[2])
    assert db.portfolio.claim_next(None, "Ana", as_of=AS_OF)["customer_id"] == order[3]  # a new one for her
    assert db.portfolio.claim_next(None, "Duda", as_of=AS_OF) is None  # everyone is being served


def test_the_next_customer_among_given_ids_skips_those_contacted_today(db):
    order = db.portfolio.filter_customers(None, AS_OF)  # Padaria, CompuFour, José, Maria
    db.contacts.register_one("402", channel="Telefone", by="Caio")  # Padaria was called today
    db.contacts.comment("145", "não atendeu", installment="1", by="Caio")  # a comment is not a contact
    among = list(reversed(order))  # the dashboard's own order
    assert db.portfolio.claim_next(analyst="Ana", among=among)["customer_id"] == order[3]
    bia = [db.portfolio.claim_next(analyst="Bia", among=order, skip_contacted_today=True) for _ in range(3)]
    assert [c and c["customer_id"] for c in bia] == [order[1], order[2], None]  # Padaria called, Maria Ana's
    assert db.portfolio.claim_next(analyst="Duda", among=order)["customer_id"] == order[0]  # asked not to skip


def _claim_one(target, customer_id, analyst, barrier, results):
    db = open_db(target, wait_seconds=120)
    barrier.wait()
    results.put((analyst, db.portfolio.claim(customer_id, analyst)))


def _run(target, workers) -> list:
    ctx = mp.get_context("spawn")
    barrier, results = ctx.Barrier(len(workers)), ctx.Queue()
    procs = [ctx.Process(target=fn, args=(target, *args, barrier, results)) for fn, args in workers]
    for p in procs:
        p.start()
    out = [results.get(timeout=300) for _ in procs]
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0] * len(procs)
    return out


def test_processes_racing_for_one_customer_exactly_one_gets_it(db):
    padaria = db.customers.find("4")["id"]
    analysts = ["Ana", "Bia", "Caio", "Duda"]
    got = dict(_run(target_of(db), [(_claim_one, (padaria, name)) for name in analysts]))
    winners = [name for name, claim in got.items() if claim["claimed"]]
    assert len(winners) == 1, got
    (winner,) = winners
    for name in set(analysts) - {winner}:
        assert got[name]["message"].startswith(f"Em atendimento por {winner} até "), got[name]
    assert [lease["analyst"] for lease in db.portfolio.leases(padaria)] == [winner]


def _claim_until_none(target, analyst, barrier, results):
    db = open_db(target, wait_seconds=120)
    barrier.wait()
    mine = []
    while (claim := db.portfolio.claim_next(None, analyst, as_of=AS_OF)) is not None:
        mine.append(claim["customer_id"])
    results.put((analyst, mine))


def test_processes_taking_the_next_free_customer_each_get_different_ones(db):
    order = db.portfolio.filter_customers(None, AS_OF)
    got = dict(_run(target_of(db), [(_claim_until_none, (name,)) for name in ("Ana", "Bia", "Caio")]))
    claimed = [cid for mine in got.values() for cid in mine]
    assert sorted(claimed) == sorted(order), got  # every customer to exactly one analyst
    for name, mine in got.items():
        assert all(lease["analyst"] == name for cid in mine for lease in db.portfolio.leases(cid))


def test_cli_atender_claims_a_customer_or_says_who_serves_it(run):
    code, out, _ = run("carteira", "atender", "--customer", "4", "--analyst", "Ana")
    assert code == 0 and out.startswith("Cliente Padaria Pão Quente (código 4) em atendimento por Ana até 08/06/2020 ")
    code, out, err = run("carteira", "atender", "--customer", "4", "--analyst", "Bia")
    assert code == 1 and out == "" and err.startswith("Cliente Padaria Pão Quente: Em atendimento por Ana até ")
    code, out, _ = run("carteira", "atender", "--format", "json")  # the next free one, for COBRANCA_USER
    claim = json.loads(out)
    assert code == 0 and claim["claimed"] and claim["analyst"] == "SUPERVISOR" and claim["customer_code"] != "4"


def test_cli_atender_in_racing_processes_gives_the_customer_to_one(db):
    command = [sys.executable, "-m", "cobranca", "--db", target_of(db), "carteira", "atender", "--customer", "1"]
    procs = [subprocess.Popen([*command, "--analyst", name], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for name in ("Ana", "Bia", "Caio")]
    outs = [p.communicate(timeout=300) for p in procs]
    assert sorted(p.returncode for p in procs) == [0, 1, 1], outs
    (winner,) = [lease["analyst"] for lease in db.portfolio.leases(db.customers.find("1")["id"])]
    assert all(f"Em atendimento por {winner} até " in err for (_, err), p in zip(outs, procs, strict=True)
               if p.returncode == 1)
