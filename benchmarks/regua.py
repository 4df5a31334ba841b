"""Régua de cobrança: a run over 10,000 due receivables of 2,000 customers into a loopback SMTP server.

Baseline in the same run: the same number of messages sent with bare smtplib (one connection per message, as
cobranca.contacting.mailer does), so the ratio shows what planning, rendering and recording cost on top of SMTP itself.
"""

from __future__ import annotations

import os
import smtplib
import subprocess
import sys
import time
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.measure import free_port, pct, peak_rss_mb
from cobranca import open_db
from cobranca.core.calendar import payable_until

RECEIVABLES, CUSTOMERS = 10_000, 2_000
NOW = datetime(2026, 11, 30, 10, 0)  # a Monday inside the legal hours
EMAIL_DAYS = [*range(-3, 3), *range(10, 30)]  # days relative to the due date that fall on an e-mail step


def _frame(receivables: int, customers: int) -> pd.DataFrame:
    rng = np.random.default_rng(12)
    customer = np.arange(receivables) % customers
    days = np.array(EMAIL_DAYS)[rng.integers(0, len(EMAIL_DAYS), receivables)]
    due = [NOW.date() - timedelta(days=int(d)) for d in days]
    return pd.DataFrame({
        "customer_key": [f"code:{c}" for c in customer], "customer_code": customer.astype(str),
        "customer": [f"Cliente Régua {c:05d} Ltda" for c in customer], "tax_id": None, "mobile": None,
        "phone": None, "email": [f"cliente{c}@exemplo.com.br" for c in customer],
        "document": [f"RG{i:07d}" for i in range(receivables)], "installment": "1", "issue_date": None,
        "due_date": due, "payable_until": [payable_until(d) for d in due],
        "amount": [f"{100 + i % 900}.{i % 100:02d}" for i in range(receivables)], "paid_amount": "0",
        "paid_date": None, "description": "Venda a prazo",
    })


def _server(port: int) -> subprocess.Popen:
    """aiosmtpd in its own process (a sink), so its memory and CPU are not the run's."""
    proc = subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
                             "-c", "aiosmtpd.handlers.Sink"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            smtplib.SMTP("127.0.0.1", port, timeout=2).quit()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the loopback SMTP server did not start")


def _bare_smtplib(port: int, count: int) -> float:
    """Seconds to send `count` small messages with smtplib alone, one connection each."""
    start = time.perf_counter()
    for i in range(count):
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = "a@exemplo.com.br", f"c{i}@exemplo.com.br", "Lembrete"
        message.set_content("Constam em aberto as contas abaixo.\n" * 10)
        with smtplib.SMTP("127.0.0.1", port, timeout=15) as client:
            client.send_message(message)
    return time.perf_counter() - start


def _sending(db, moment: datetime):
    """A sending run with the clock at `moment` (company time): only the real clock may send, never --now."""
    saved = os.environ.get("COBRANCA_NOW")
    os.environ["COBRANCA_NOW"] = moment.isoformat()
    try:
        from cobranca.workflows.regua_run import run

        return run(db, dry_run=False)
    finally:
        os.environ.pop("COBRANCA_NOW") if saved is None else os.environ.__setitem__("COBRANCA_NOW", saved)


def bench_regua(fx, runs: int) -> list[dict]:
    from cobranca.workflows.regua_run import plan

    # the smoke run (--check-only, runs == 1) checks the same things on a tenth of the data
    receivables, customers = (RECEIVABLES, CUSTOMERS) if runs > 1 else (RECEIVABLES // 10, CUSTOMERS // 10)
    path = Path(fx.work) / "regua.duckdb"
    path.unlink(missing_ok=True)
    db = open_db(path)
    db.receivables.upsert(_frame(receivables, customers))
    port = free_port()
    server = _server(port)
    try:
        for key, value in {"smtp_host": "127.0.0.1", "smtp_port": str(port), "smtp_security": "none",
                           "smtp_sender": "cobranca@exemplo.com.br"}.items():
            db.settings.set(key, value)
        plans = []
        for _ in range(max(1, min(runs, 3))):
            start = time.perf_counter()
            dry = plan(db, NOW)
            plans.append(time.perf_counter() - start)
        planned = len(dry.plan.emails)
        start = time.perf_counter()
        report = _sending(db, NOW)
        elapsed = time.perf_counter() - start
        again = _sending(db, NOW + timedelta(minutes=30))
        baseline = _bare_smtplib(port, len(report.sent))
    finally:
        server.terminate()
        server.wait(10)
    counts = db.receivables.counts()
    ok = (planned == customers and len(report.sent) == customers and not report.failed
          and counts["contacts"] == receivables and not again.sent and not again.plan.emails)
    rate, base_rate = len(report.sent) / elapsed, len(report.sent) / baseline
    return [
        {"case": f"régua plan {receivables:,} due / {customers:,} cust.", "engine": "dry run (read + plan + render)",
         "p50": pct(plans, 0.5), "rate": f"{receivables / pct(plans, 0.5):,.0f} rows/s"},
        {"case": f"régua run {receivables:,} due / {customers:,} cust.", "engine": "cobranca regua run --yes",
         "p50": elapsed, "rate": f"{rate:,.0f} msg/s", "vs": f"{base_rate / rate:.2f}× slower",
         "rss": peak_rss_mb(), "check": "ok" if ok else "DIFF"},
        {"case": f"send {len(report.sent):,} messages", "engine": "bare smtplib (baseline)", "p50": baseline,
         "rate": f"{base_rate:,.0f} msg/s", "vs": "1.00×"},
    ]
