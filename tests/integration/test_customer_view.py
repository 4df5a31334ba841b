"""The customer view: open receivables with total, every history entry across documents, one message for all,
and one contact recorded against each receivable in one transaction."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal as D

import pandas as pd
import pytest
from support.known import AS_OF, ENGINES, receivables_frame

from cobranca.contacting.guard import ContactBlockedError
from cobranca.core.errors import AmbiguousError, NotFoundError

ENGINES = ENGINES  # every test here runs on a DuckDB file and on PostgreSQL (see conftest.py)

def test_view_of_a_customer_with_two_documents(db, company_today):
    db.contacts.register_one("144", channel="Telefone", observation="<b>ligou</b>", by="Ana", at=datetime(2020, 6, 3, 9))
    db.contacts.comment("145", "pediu 2a via", by="Bia", at=datetime(2020, 6, 4, 9))
    db.promises.register("144", due="2020-06-12", amount="500.00", by="Ana", at=datetime(2020, 6, 8, 9))
    view = db.customers.view("1", AS_OF)
    assert view["customer"]["name"] == "CompuFour Software"
    rows = view["receivables"]
    assert list(rows["document"]) == ["145", "144"]  # by due date
    # 145: balance 200.00, 19 days: fine 2% = 4.00, interest 1%/30 x 19 = 1.27 -> 205.27
    # 144: balance 1000.00, 7 days: fine 20.00, interest 2.33 -> 1022.33 (promised: paused, still listed)
    assert list(rows["updated_amount"]) == [D("205.27"), D("1022.33")]
    assert list(rows["days_overdue"]) == [19, 7]
    assert view["total"] == D("1227.60") and view["balance"] == D("1200.00")
    history = view["history"]
    assert list(history["document"]) == ["144", "145", "144"]  # newest first across documents
    assert list(history["kind"]) == ["promise", "contact", "contact"]
    assert history.iloc[2]["observation"] == "<b>ligou</b>"


def test_find_by_code_tax_id_or_exact_name_and_ambiguous(db):
    frame = receivables_frame()
    frame.loc[frame["customer_code"] == "2", "tax_id"] = "11222333000181"
    twin = frame[frame["customer_code"] == "3"].assign(customer_key="code:33", customer_code="33", document="999")
    db.receivables.upsert(pd.concat([frame, twin], ignore_index=True))
    assert db.customers.view("11.222.333/0001-81", AS_OF)["customer"]["code"] == "2"
    assert db.customers.view("josé da silva açougue", AS_OF)["customer"]["code"] == "2"
    with pytest.raises(AmbiguousError, match="2 clientes") as caught:
        db.customers.view("Maria Souza ME", AS_OF)
    assert "código 3" in str(caught.value) and "código 33" in str(caught.value)
    with pytest.raises(NotFoundError):
        db.customers.view("Ninguém", AS_OF)


def test_one_message_for_every_open_receivable(db):
    message = db.customers.message("1", "WhatsApp", AS_OF, by="Ana")
    assert "145" in message.body and "144" in message.body and "R$ 1.227,60" in message.body
    email = db.customers.message("1", "E-mail", AS_OF, by="Ana")
    assert email.subject and "R$ 1.227,60" in email.body


def test_contact_recorded_on_each_receivable_in_one_transaction(db):
    opens = db.store.opens
    ids = db.customers.register_contact("1", "Telefone", observation="acordo verbal", by="Ana")
    assert db.store.opens == opens + 1 and len(ids) == 2
    history = db.customers.view("1", AS_OF)["history"]
    assert sorted(history["document"]) == ["144", "145"] and set(history["observation"]) == {"acordo verbal"}
    only = db.customers.view("1", AS_OF)["receivables"]
    one = int(only.loc[only["document"] == "144", "receivable_id"].iloc[0])
    db.customers.register_contact("1", "Telefone", receivable_ids=[one], by="Ana")
    assert db.receivables.counts()["contacts"] == 3


def test_a_refused_contact_records_nothing(db):
    db.policy.opt_out("1", reason="pediu")
    with pytest.raises(ContactBlockedError):
        db.customers.register_contact("1", "WhatsApp", by="Ana")
    assert db.receivables.counts()["contacts"] == 0


def test_message_carries_the_pix_of_the_total_when_pix_exists(db):
    import re

    db.settings.set("pix_key", "11222333000181")
    db.settings.set("pix_city", "Chapecó")
    body = db.customers.message("1", "WhatsApp", AS_OF).body
    code = re.search(r"^000201.*$", body, re.MULTILINE).group(0)  # the code has spaces (the name)
    # the code's amount is the total of both receivables: 205,27 + 1.022,33 = 1.227,60 (decoded, CRC checked)
    from cobranca.pix.brcode import decode

    assert decode(code).amount == D("1227.60") and "R$ 1.227,60" in body
