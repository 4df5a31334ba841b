"""Receivables around one day for régua tests: each customer lands on a known step of the default cadence."""

from __future__ import annotations

from datetime import date, timedelta

from cobranca import open_db
from support.known import receivables_frame

D = date(2020, 6, 8)  # a Monday
NOW = "2020-06-08T10:00"


def rows_around(day: date = D) -> list[tuple]:
    """(customer_code, customer, mobile, email, document, installment, due_date, amount, paid)."""
    def due(offset: int) -> date:
        return day - timedelta(days=offset)  # `offset` days relative to the due date on `day`

    return [
        ("1", "Alfa Comércio", "(49) 99912-3456", "financeiro@alfa.com.br", "A1", "1", due(-3), "100.00", "0"),
        ("1", "Alfa Comércio", "(49) 99912-3456", "financeiro@alfa.com.br", "A2", "1", due(0), "200.00", "0"),
        ("1", "Alfa Comércio", "(49) 99912-3456", "financeiro@alfa.com.br", "A3", "1", due(12), "300.00", "0"),
        ("2", "Beta Ltda", None, "contas@beta.com.br", "B1", "1", due(-1), "150.00", "0"),
        ("3", "Gama ME", "11987654321", None, "C1", "1", due(5), "80.00", "0"),
        ("3", "Gama ME", "11987654321", None, "C2", "1", due(0), "90.00", "0"),
        ("4", "Delta SA", None, "delta@example.com", "D1", "1", due(40), "1000.00", "0"),
        ("5", "Épsilon Serviços", None, "eps@example.com", "E1", "1", due(11), "500.00", "0"),
        ("6", "Quitada Ltda", None, "quitada@example.com", "F1", "1", due(0), "70.00", "70.00"),
        ("7", "Futuro Ltda", None, "futuro@example.com", "G1", "1", due(-20), "60.00", "0"),
    ]


def regua_db(path, day: date = D):
    db = open_db(path)
    db.receivables.upsert(receivables_frame(rows_around(day)))
    return db


def recipients(server) -> list[str]:
    return [rcpt for _, rcpts, _ in server.messages for rcpt in rcpts]


def body_of(message) -> str:
    part = message.get_body(preferencelist=("plain",))
    return part.get_content()
