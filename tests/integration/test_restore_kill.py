"""SIGKILL at any point of a real `cobranca restore` leaves the target absent or whole, and a retry succeeds."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import duckdb
import pytest

from cobranca.store import catalog
from cobranca.workflows.backup import PAUSE_ENV, backup

pytestmark = pytest.mark.slow
POINTS = ("locked", "imported", "verified", "synced", "replaced")


def _restore(folder, target, pause=None) -> subprocess.Popen:
    env = {**os.environ, "COBRANCA_LOCK_WAIT": "20"}
    env.pop(PAUSE_ENV, None)
    if pause:
        env[PAUSE_ENV] = f"restore:{pause}"
    return subprocess.Popen([sys.executable, "-m", "cobranca", "--db", str(target), "restore", str(folder)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _state(target, expected) -> str:
    """'absent' or 'whole'; anything else fails the test."""
    if not target.exists():
        return "absent"
    with duckdb.connect(str(target), read_only=True) as con:
        counts = catalog.row_counts(con)
    assert counts == expected, f"partial target: {counts}"
    return "whole"


def _retry_until_whole(folder, target, expected) -> None:
    if _state(target, expected) == "absent":
        proc = _restore(folder, target)
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert "restaurado" in out
    assert _state(target, expected) == "whole"


@pytest.fixture
def backed_up(db, tmp_path):
    for n in range(20):
        db.contacts.register_one("144", channel="Telefone", observation=f"ligação {n}")
    folder, _ = backup(db, tmp_path / "bk")
    with duckdb.connect(str(db.path), read_only=True) as con:
        return folder, catalog.row_counts(con)


@pytest.mark.parametrize("point", POINTS)
def test_sigkill_at_each_step_of_a_restore(backed_up, tmp_path, point):
    folder, expected = backed_up
    target = tmp_path / "restaurado.duckdb"
    proc = _restore(folder, target, pause=point)
    line = proc.stderr.readline()
    assert line.strip() == f"pausa: {point}", line + proc.stderr.read()
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert _state(target, expected) == ("whole" if point == "replaced" else "absent")
    _retry_until_whole(folder, target, expected)
    assert not any("restaurando" in p.name for p in tmp_path.iterdir())


def test_sigkill_after_random_delays_never_leaves_a_partial_target(db, tmp_path):
    with duckdb.connect(str(db.path)) as con:  # enough rows for the import to take a while
        con.execute("""INSERT INTO contacts (id, receivable_id, document, installment, channel, responsible,
                                             observation, created_at)
                       SELECT nextval('contact_ids'), 1, '144', '1', 'Telefone', 'ANA', 'ligação ' || i,
                              TIMESTAMP '2020-06-08 12:00:00' + i * INTERVAL 1 SECOND FROM range(300000) t(i)""")
        expected = catalog.row_counts(con)
    folder, _ = backup(db, tmp_path / "bk")
    probe = _restore(folder, tmp_path / "medida.duckdb", pause="announce")
    assert probe.stderr.readline().strip() == "pausa: locked"
    started = time.monotonic()
    assert probe.wait(timeout=120) == 0
    window = time.monotonic() - started  # from holding the lock to the end: the import, checks, sync, rename
    rng = random.Random(18)
    seen = []
    for attempt in range(12):
        target = tmp_path / f"restaurado{attempt}.duckdb"
        proc = _restore(folder, target, pause="announce")
        assert proc.stderr.readline().strip() == "pausa: locked"
        time.sleep(rng.uniform(0, 1.1) * window)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        seen.append(_state(target, expected))
        _retry_until_whole(folder, target, expected)
    print(f"restore window {window:.2f} s, killed at random: {seen}")
