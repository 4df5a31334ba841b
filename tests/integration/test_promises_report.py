"""The PDF report shows each receivable's status and promise date, and promises/disputes in its history table."""

from __future__ import annotations

import io
import subprocess
from datetime import date, datetime

import pdfplumber
import pytest

from cobranca.receivables.filters import MAX_DAYS, Filter
from cobranca.report.pdf import build_report

HOSTILE = "<b>negrito</b> & <img src=x onerror=alert(1)>"


pytestmark = pytest.mark.usefixtures("company_today")  # the one test clock (conftest.py)


def text_of(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


def test_report_prints_status_promise_date_and_events(db, tmp_path):
    db.contacts.register_one("144", channel="Telefone", observation="ligou", by="ANA", at=datetime(2020, 6, 8, 9, 0))
    db.promises.register("144", due="2020-06-10", note=HOSTILE, by="ANA", at=datetime(2020, 6, 8, 9, 5))
    db.promises.open_dispute("402", reason="Mercadoria devolvida", by="BIA", at=datetime(2020, 6, 8, 9, 10))
    db.policy.opt_out("1", reason="Pediu por e-mail", by="BIA", at=datetime(2020, 6, 8, 9, 20))
    everything = Filter(description="Todas, inclusive pausadas", min_days=0, max_days=MAX_DAYS, status="all")
    pdf = build_report(db, everything, date(2020, 6, 11))
    text = text_of(pdf)
    assert "Situação: Promessa quebrada" in text and "Promessa até: 10/06/2020" in text
    assert "Situação: Contestada" in text
    assert "Mensagens: não contatar" in text
    assert "Promessa de pagamento de R$ 1.022,33 até 10/06/2020." in text
    assert HOSTILE in text.replace("\n", " ")  # markup printed literally, not interpreted
    assert "Contestação: Mercadoria devolvida" in text
    assert "Não contatar" in text and "Pediu por e-mail" in text
    (tmp_path / "promises.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(tmp_path / "promises.pdf"),
                    str(tmp_path / "page")], check=True, timeout=60)
    assert (tmp_path / "page-1.png").stat().st_size > 0


def test_default_report_leaves_paused_receivables_out(db):
    db.promises.register("144", due="2020-06-10")
    text = text_of(build_report(db, None, date(2020, 6, 8)))
    assert "Documento: 144" not in text.replace("\n", " ") and "Situação:" not in text
