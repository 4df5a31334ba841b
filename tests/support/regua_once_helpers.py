"""Exactly-once régua tests: many e-mail customers, SMTP handlers that act mid-run, a CLI run in its own process."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections import Counter
from datetime import date, timedelta

from cobranca import open_db
from support.known import receivables_frame
from support.smtp_helpers import Recorder

D = date(2020, 6, 8)  # a Monday
CLOCK = "2020-06-08T10:00:00-03:00"


def customer_rows(count: int, day: date = D) -> list[tuple]:
    """`count` customers with an e-mail and one receivable 12 days overdue (the +10 e-mail step)."""
    due = day - timedelta(days=12)
    return [(str(100 + i), f"Cliente Número {i:02d}", f"(11) 9{i:04d}-1234", f"cliente{i:02d}@example.com",
             f"N{i:02d}", "1", due, "100.00", "0") for i in range(count)]


def many_db(path, count: int):
    db = open_db(path)
    db.receivables.upsert(receivables_frame(customer_rows(count)))
    return db


def pay(db, rows: list[tuple]) -> None:
    """The customers of `rows` paid in full (a re-import with the paid amount)."""
    db.receivables.upsert(receivables_frame([(*r[:8], r[7]) for r in rows]))


def cli_run(path, *extra, timeout=300, **env) -> subprocess.Popen:
    """`cobranca regua run --yes` in its own process on the test clock."""
    environ = {**os.environ, "COBRANCA_NOW": CLOCK, "COBRANCA_USER": "ROBO", **env}
    return subprocess.Popen([sys.executable, "-m", "cobranca", "--db", str(path), "regua", "run", "--yes", *extra],
                            env=environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


class Slow(Recorder):
    """Takes `delay` seconds over each message, keeps it, then calls `on_message(rcpts, count)` before replying."""

    def __init__(self, delay: float = 0.0, on_message=None):
        super().__init__()
        self.delay, self.on_message = delay, on_message
        self.rcpt_calls: list[str] = []
        self.temporary: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.rcpt_calls.append(address)
        if address in self.temporary:
            return "451 4.7.1 Tente mais tarde"
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        reply = await super().handle_DATA(server, session, envelope)  # the server has it...
        if self.on_message is not None:  # ...and the client has not heard "250" yet
            self.on_message(list(envelope.rcpt_tos), len(self.messages))
        return reply


def figures(server, db) -> dict:
    """E-mails the server accepted, 'sent' entries in the step log, and duplicates of each."""
    rcpts = [r for _, rs, _ in server.messages for r in rs]
    log = db.regua.log(date(2000, 1, 1), date(2100, 1, 1), limit=1_000_000)
    sent = log[log["outcome"] == "sent"]
    pairs = Counter(zip(log["receivable_id"], log["step_name"], strict=True))
    return {"e-mails": len(rcpts), "customers mailed twice": sum(1 for n in Counter(rcpts).values() if n > 1),
            "recorded sent": len(sent), "duplicate log pairs": sum(n - 1 for n in pairs.values()),
            "uncertain": int((log["outcome"] == "uncertain").sum())}
