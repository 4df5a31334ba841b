"""A database of receivables with nosso números for the baixa tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pandas as pd

from cobranca import open_db
from cobranca.core.calendar import payable_until
from support.pg_helpers import raw_connection, target_of


def frame(rows: list[tuple]) -> pd.DataFrame:
    """rows: (customer, document, installment, due, amount, paid, nosso_numero[, tax_id])."""
    out = []
    for row in rows:
        customer, document, installment, due, amount, paid, nosso = row[:7]
        out.append({"customer_key": f"name:{customer.lower()}", "customer_code": None, "customer": customer,
                    "tax_id": row[7] if len(row) > 7 else None, "mobile": None, "phone": None, "email": None,
                    "document": document, "installment": installment, "issue_date": None, "due_date": due,
                    "payable_until": payable_until(due), "amount": amount, "paid_amount": paid, "paid_date": None,
                    "description": None, "nosso_numero": nosso})
    return pd.DataFrame(out)


def make_db(path, rows: list[tuple]):
    db = open_db(path)
    db.receivables.upsert(frame(rows))
    return db


def balances(db) -> dict[tuple[str, str], Decimal]:
    with raw_connection(target_of(db)) as con:
        rows = con.execute("SELECT document, installment, amount - paid_amount FROM receivables").fetchall()
    return {(d, i): Decimal(b) for d, i, b in rows}


def count(db, table: str) -> int:
    with raw_connection(target_of(db)) as con:
        return con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]  # noqa: S608 - test constants


D0 = date(2013, 6, 20)
