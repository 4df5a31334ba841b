"""Reliability: several processes at once, SIGKILL in the middle of writes, re-import under load."""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import time
from datetime import date

import pytest
from support.known import ENGINES

from benchmarks.synthetic import synthetic_frame, write_csv
from cobranca import open_db

ENGINES = ENGINES  # the tests taking db_path run on a DuckDB file and on PostgreSQL (see conftest.py)
TODAY = date(2026, 11, 30)
pytestmark = pytest.mark.slow


def _register(path, worker, count, barrier, errors):
    try:
        db = open_db(path, wait_seconds=120)
        barrier.wait()
        for i in range(count):
            db.contacts.register_one("NF00000000", "1", channel="Telefone", observation=f"w{worker}-{i}", by=f"p{worker}")
    except Exception as exc:  # reported to the parent, which fails the test with it
        errors.put(f"worker {worker}: {type(exc).__name__}: {exc}")
        raise


def _reimport(path, csv, barrier, errors):
    try:
        db = open_db(path, wait_seconds=120)
        barrier.wait()
        report = db.receivables.import_file(csv)
        errors.put(f"import-ok {report.inserted} {report.updated}")
    except Exception as exc:
        errors.put(f"import: {type(exc).__name__}: {exc}")
        raise


def test_four_writers_and_a_reimport_lose_nothing(db_path, tmp_path):
    csv = write_csv(synthetic_frame(20_000, TODAY), tmp_path / "contas.csv")
    db = open_db(db_path)
    db.receivables.import_file(csv)
    ctx = mp.get_context("spawn")
    barrier, errors = ctx.Barrier(5), ctx.Queue()
    procs = [ctx.Process(target=_register, args=(db_path, w, 250, barrier, errors)) for w in range(4)]
    procs.append(ctx.Process(target=_reimport, args=(db_path, csv, barrier, errors)))
    for p in procs:
        p.start()
    for p in procs:
        p.join(600)
    messages = []
    while not errors.empty():
        messages.append(errors.get())
    assert [p.exitcode for p in procs] == [0] * 5, messages
    assert messages == ["import-ok 0 20000"]
    history = db.contacts.history("NF00000000", "1")
    assert len(history) == 1000
    assert set(history["observation"]) == {f"w{w}-{i}" for w in range(4) for i in range(250)}
    assert db.receivables.counts()["receivables"] == 20_000


def _register_forever(path, conn):
    db = open_db(path, wait_seconds=60)
    i = 0
    while True:
        contact_id = db.contacts.register_one("NF00000000", "1", channel="WhatsApp", observation=f"n{i}")
        conn.send(contact_id)  # only after the call returned: this contact must survive
        i += 1


def test_sigkill_during_contact_registrations_keeps_every_returned_contact(db_path, tmp_path):
    csv = write_csv(synthetic_frame(1_000, TODAY), tmp_path / "contas.csv")
    db = open_db(db_path)
    db.receivables.import_file(csv)
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_register_forever, args=(db_path, child))
    proc.start()
    returned = []
    deadline = time.monotonic() + 120
    while len(returned) < 60 and time.monotonic() < deadline:
        if parent.poll(1):
            returned.append(parent.recv())
    os.kill(proc.pid, signal.SIGKILL)
    proc.join(30)
    while parent.poll(0.2):
        returned.append(parent.recv())
    assert len(returned) >= 60
    stored = set(open_db(db_path).contacts.history("NF00000000", "1", include_cancelled=True)["id"])
    assert set(returned) <= stored
    assert len(stored) - len(returned) <= 1  # at most the one in flight when killed


def _import_then_signal(path, csv, started):
    started.set()
    open_db(path, wait_seconds=60).receivables.import_file(csv)


def test_sigkill_during_import_leaves_it_whole_or_absent(tmp_path):
    csv = write_csv(synthetic_frame(200_000, TODAY), tmp_path / "contas.csv")
    path = tmp_path / "c.duckdb"
    open_db(path).filters.all()
    ctx = mp.get_context("spawn")
    outcomes = []
    for delay in (0.5, 2.0, 4.0):
        started = ctx.Event()
        proc = ctx.Process(target=_import_then_signal, args=(path, csv, started))
        proc.start()
        assert started.wait(60)
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.join(30)
        count = open_db(path, wait_seconds=60).receivables.counts()["receivables"]
        assert count in (0, 200_000), f"partial import after SIGKILL at {delay}s: {count} rows"
        outcomes.append(count)
    db = open_db(path)
    assert len(db.filters.all()) == 8  # the database opens and works afterwards
    db.receivables.import_file(csv)
    assert db.receivables.counts()["receivables"] == 200_000
