"""Exactly-once figures of the régua on `cobranca demo --rows N`: e-mails sent / recorded / duplicates.

    python -m benchmarks.regua_once [--rows 3000]

Three attacks, each on a fresh copy of the same demo database, with `regua run --yes` in its own process and a
loopback aiosmtpd server in this one: two overlapping runs; opt-outs recorded by another process while the run is
sending; kill -9 of the run while the server accepts a message, then a second run. The baseline is the plan: how
many e-mails one run should send.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import duckdb
from aiosmtpd.controller import Controller

from benchmarks.measure import free_port
from cobranca import open_db
from cobranca.workflows.regua_run import plan

ENV = {**{k: v for k, v in os.environ.items() if k != "COBRANCA_NOW"}, "COBRANCA_USER": "regua"}  # the real clock


class Server:
    """Accepts everything, optionally slowly; calls `on_message(rcpts, count)` after keeping each message."""

    def __init__(self, delay: float = 0.0, on_message=None):
        self.delay, self.on_message, self.rcpts = delay, on_message, []

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            import asyncio

            await asyncio.sleep(self.delay)
        self.rcpts.extend(envelope.rcpt_tos)
        if self.on_message is not None:
            self.on_message(list(envelope.rcpt_tos), len(self.rcpts))
        return "250 OK"


def _cli_run(path: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "cobranca", "--db", str(path), "regua", "run", "--yes"],
                            env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _figures(path: Path, rcpts: list[str], expected: Counter) -> dict:
    """E-mails accepted, extra ones beyond the plan's per address (several customers may share one), e-mails
    recorded (customers with 'sent' entries), duplicate (receivable, step) log pairs, 'envio incerto' entries."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        recorded, dups, uncertain = con.execute(
            """SELECT (SELECT count(DISTINCT r.customer_id) FROM regua_log l JOIN receivables r ON r.id = l.receivable_id
                       WHERE l.outcome = 'sent'),
                      (SELECT count(*) - count(DISTINCT (receivable_id, step_id)) FROM regua_log),
                      (SELECT count(*) FROM regua_log WHERE outcome = 'uncertain')""").fetchone()
    finally:
        con.close()
    extra = sum(max(0, n - expected.get(address, 0)) for address, n in Counter(rcpts).items())
    return {"sent": len(rcpts), "twice": extra, "recorded": recorded, "dup pairs": dups, "uncertain": uncertain}


def _with_server(handler, path: Path, work, expected: Counter) -> dict:
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        db = open_db(path)
        for key, value in {"smtp_host": "127.0.0.1", "smtp_port": str(controller.port), "smtp_security": "none",
                           "smtp_sender": "cobranca@exemplo.com.br", "smtp_timeout_seconds": "120"}.items():
            db.settings.set(key, value)
        extra = work()
    finally:
        controller.stop()
    return {**_figures(path, handler.rcpts, expected), **extra}


def overlapping(path: Path, expected: Counter) -> dict:
    def work():
        first = _cli_run(path)
        time.sleep(1.0)
        second = _cli_run(path)
        outs = [p.communicate(timeout=1800)[0] for p in (first, second)]
        return {"note": "2nd: " + ("waited, then busy" if "Outra execução" in outs[1] else outs[1].splitlines()[-1][:60])}

    return _with_server(Server(delay=0.02), path, work, expected)


def opt_out_mid_run(path: Path, expected: Counter, count: int = 30) -> dict:
    planned = plan(open_db(path)).plan.emails
    victims = {item.to: item.customer_id for item in planned[len(planned) // 2:][:count]}
    opted: dict[str, float] = {}

    def meanwhile(rcpts, number):
        if number == 1:  # while the first e-mail is being accepted, another process records the opt-outs
            db = open_db(path)
            for to, customer_id in victims.items():
                db.policy.opt_out(customer_id, reason="pediu durante a execução")
                opted[to] = time.time()

    handler = Server(on_message=meanwhile)

    def work():
        _cli_run(path).communicate(timeout=1800)
        after = sum(1 for r in handler.rcpts[1:] if r in victims)
        return {"note": f"{len(opted)} opt-outs mid-run, {after} of them mailed after"}

    return _with_server(handler, path, work, expected)


def kill_at_delivery(path: Path, expected: Counter, at: int = 10) -> dict:
    procs: list[subprocess.Popen] = []

    def kill(rcpts, number):
        if number == at:
            os.kill(procs[0].pid, signal.SIGKILL)
            procs[0].wait(60)

    handler = Server(on_message=kill)

    def work():
        procs.append(_cli_run(path))
        procs[0].communicate(timeout=1800)
        handler.on_message = None
        _cli_run(path).communicate(timeout=1800)
        return {"note": f"kill -9 at message {at}, then a second run"}

    return _with_server(handler, path, work, expected)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=3000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        seed = Path(folder) / "demo.duckdb"
        subprocess.run([sys.executable, "-m", "cobranca", "--db", str(seed), "demo", "--rows", str(args.rows)],
                       env=ENV, check=True, capture_output=True)
        open_db(seed).settings.set("contact_hours", "livre")  # the figures must not depend on the hour they run at
        planned = plan(open_db(seed)).plan.emails
        expected = Counter(address for item in planned for address in item.to.split(", "))
        print(f"cobranca demo --rows {args.rows}: one run should send {len(planned)} e-mail(s) to "
              f"{len(expected)} address(es) (the baseline)")
        print(f"{'attack':<28} {'sent':>5} {'twice':>6} {'recorded':>9} {'dup pairs':>10} {'uncertain':>10}  note")
        for name, attack in (("two overlapping runs", overlapping), ("opt-outs during the run", opt_out_mid_run),
                             ("kill -9 at delivery", kill_at_delivery)):
            path = Path(folder) / f"{attack.__name__}.duckdb"
            shutil.copy(seed, path)
            row = attack(path, expected)
            print(f"{name:<28} {row['sent']:>5} {row['twice']:>6} {row['recorded']:>9} {row['dup pairs']:>10} "
                  f"{row['uncertain']:>10}  {row['note']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
