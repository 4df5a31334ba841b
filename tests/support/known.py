"""The tests' known data and clock: the seed's receivables, the company's test day, the engines to run on."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pandas as pd

from cobranca.core import clock
from cobranca.core.calendar import payable_until

AS_OF = date(2020, 6, 8)  # the seed's example day: a Monday
COMPANY_NOW = "2020-06-08T10:00:00-03:00"  # the default instant of `company_today`: AS_OF, 10:00 in São Paulo
COMPANY_TZ = ZoneInfo(clock.DEFAULT_TIMEZONE)
ENGINES = ("duckdb", "postgres")  # a test file sets `ENGINES = known.ENGINES` to run on both


def clock_today() -> date:
    """The company's today by the one clock (COBRANCA_NOW), as the product reads it — not the server's date."""
    return clock.today(COMPANY_TZ)


def clock_now() -> datetime:
    """The company's now by the one clock, naive (the facade reads naive moments as company time)."""
    return clock.now(COMPANY_TZ).replace(tzinfo=None)


# (customer_code, customer, mobile, email, document, installment, due_date, amount, paid_amount)
KNOWN_RECEIVABLES = [
    ("1", "CompuFour Software", "(49) 99912-3456", "financeiro@compufour.com.br", "144", "1", date(2020, 6, 1), "1000.00", "0"),
    ("1", "CompuFour Software", "(49) 99912-3456", "financeiro@compufour.com.br", "145", "1", date(2020, 5, 20), "250.50", "50.50"),
    ("2", "José da Silva Açougue", "11987654321", "jose@example.com", "200/A", "1", date(2020, 6, 5), "89.90", "0"),
    ("2", "José da Silva Açougue", "11987654321", "jose@example.com", "200/A", "2", date(2020, 7, 5), "89.90", "0"),
    ("3", "Maria Souza ME", "+55 21 99876-5432", None, "301", "1", date(2020, 6, 8), "500.00", "0"),
    ("4", "Padaria Pão Quente", None, "padaria@example.com", "402", "1", date(2020, 3, 1), "1234.56", "0"),
    ("5", "Quitado Ltda", "11911112222", None, "500", "1", date(2020, 6, 1), "100.00", "100.00"),
]


def receivables_frame(rows=KNOWN_RECEIVABLES) -> pd.DataFrame:
    """Rows in the shape `Store.upsert_receivables` takes."""
    records = []
    for code, name, mobile, email, doc, inst, due, amount, paid in rows:
        records.append({
            "customer_key": f"code:{code}", "customer_code": code, "customer": name, "tax_id": None,
            "mobile": mobile, "phone": None, "email": email, "document": doc, "installment": inst,
            "issue_date": None, "due_date": due, "payable_until": payable_until(due), "amount": amount,
            "paid_amount": paid, "paid_date": None, "description": f"Venda {doc}",
        })
    return pd.DataFrame(records)
