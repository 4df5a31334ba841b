"""Known data for the dashboard tests: receivables due a fixed number of days before today.

The dashboard records contacts at the real clock, so its tests use today as the as-of day and
due dates relative to it (at least 6 days back, so weekends and holidays never move the days overdue).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from cobranca import open_db
from support.known import clock_today, receivables_frame

XSS_NAME = "<img src=x onerror=alert(1)>"
FILTER_1_10 = "Vencidas de 1 a 10 dias"


def known_rows(today: date | None = None) -> list[tuple]:
    """(code, customer, mobile, email, document, installment, due, amount, paid), as conftest takes them."""
    today = today or clock_today()
    back = lambda days: today - timedelta(days=days)  # noqa: E731
    return [
        ("1", "CompuFour Software", "(49) 99912-3456", "financeiro@compufour.com.br", "144", "1", back(9), "1000.00", "0"),
        ("2", "José da Silva Açougue", "11987654321", "jose@example.com", "200/A", "1", back(8), "89.90", "0"),
        ("6", XSS_NAME, "11911112222", None, "666", "1", back(6), "66.60", "0"),
        ("3", "Maria Souza ME", "+55 21 99876-5432", None, "301", "1", back(20), "500.00", "0"),
        ("4", "Padaria Pão Quente", None, "padaria@example.com", "402", "1", back(100), "1234.56", "0"),
        ("5", "Quitado Ltda", "11911112222", None, "500", "1", back(7), "100.00", "100.00"),
    ]


def build_known_db(path: Path):
    """A fresh database at `path` holding `known_rows()`; returns the Cobranca."""
    db = open_db(path)
    db.receivables.upsert(receivables_frame(known_rows()))
    db.settings.set("company_name", "CompuFour Cobranças")
    return db
