"""A small book computed by hand for the results tests (June 2020); the arithmetic is in test_results.py.

R1 issued 10/04, due 10/05, R$ 1.000,00: WhatsApp by Ana on 01/06; paid in full on 05/06 (ERP date).
R2 issued 15/05, due 15/06, R$ 600,00: Telefone by Bia and a comment on 16/06; promise of 600 for 18/06 (broken).
R3 issued 10/06, due 10/07, R$ 400,00: first seen by the second import.
R4 issued 01/03, due 01/04, R$ 200,00: Telefone by Bia on 02/06, E-mail by Ana on 15/06; promise of 50 for 25/06;
   R$ 50,00 paid, seen by the import of 20/06 (the ERP gives no paid date).
Imports on 01/06 09:00 and 20/06 09:00.
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from cobranca import open_db

BOOK = {  # document: (customer code, name, tax id, issue, due, amount)
    "R1": ("A", "Alfa Comércio", "11222333000181", date(2020, 4, 10), date(2020, 5, 10), "1000.00"),
    "R2": ("A", "Alfa Comércio", "11222333000181", date(2020, 5, 15), date(2020, 6, 15), "600.00"),
    "R3": ("B", "Beta Serviços", None, date(2020, 6, 10), date(2020, 7, 10), "400.00"),
    "R4": ("B", "Beta Serviços", None, date(2020, 3, 1), date(2020, 4, 1), "200.00"),
}


def book_frame(documents, paid: dict | None = None) -> pd.DataFrame:
    """Rows for upsert_receivables; `paid` maps a document to (paid amount, paid date or None)."""
    paid = paid or {}
    rows = []
    for doc in documents:
        code, name, tax_id, issue, due, amount = BOOK[doc]
        paid_amount, paid_date = paid.get(doc, ("0.00", None))
        rows.append({
            "customer_key": f"code:{code}", "customer_code": code, "customer": name, "tax_id": tax_id,
            "mobile": "11987654321", "phone": None, "email": "fin@example.com", "document": doc, "installment": "1",
            "issue_date": issue, "due_date": due, "payable_until": due, "amount": amount,
            "paid_amount": paid_amount, "paid_date": paid_date, "description": None,
        })
    return pd.DataFrame(rows)


def build_book(path, monkeypatch):
    """The database of the module docstring; returns the facade."""
    db = open_db(path)
    db.receivables.upsert(book_frame(["R1", "R2", "R4"]), at=datetime(2020, 6, 1, 9))
    db.contacts.register_one("R1", channel="WhatsApp", by="Ana", at=datetime(2020, 6, 1, 10))
    db.contacts.register_one("R4", channel="Telefone", by="Bia", at=datetime(2020, 6, 2, 10))
    db.contacts.register_one("R4", channel="E-mail", by="Ana", at=datetime(2020, 6, 15, 10))
    db.contacts.register_one("R2", channel="Telefone", by="Bia", at=datetime(2020, 6, 16, 11))
    db.contacts.comment("R2", "cliente pediu boleto novo", by="Bia", at=datetime(2020, 6, 16, 11, 5))
    monkeypatch.setenv("COBRANCA_NOW", "2020-06-15T10:00:00-03:00")
    db.promises.register("R4", due="2020-06-25", amount="50.00", by="Ana", at=datetime(2020, 6, 15, 10, 1))
    monkeypatch.setenv("COBRANCA_NOW", "2020-06-16T11:00:00-03:00")
    db.promises.register("R2", due="2020-06-18", amount="600.00", by="Bia", at=datetime(2020, 6, 16, 11, 1))
    db.receivables.upsert(
        book_frame(["R1", "R2", "R3", "R4"], {"R1": ("1000.00", date(2020, 6, 5)), "R4": ("50.00", None)}),
        at=datetime(2020, 6, 20, 9),
    )
    return db
