"""An agreement's debt counts once in the results, the worklist and the customer view (DuckDB and PostgreSQL).

The book: customer Z owes receivable 900 (R$ 1.000,00, issued 12/09/2019, due 12/10/2019). On 08/06/2020 it is
240 days late: fine 2 % = R$ 20,00, interest 1000 × 1 % × 240 ÷ 30 = R$ 80,00, updated R$ 1.100,00. It is
renegotiated without discount into an entry of R$ 550,00 due 08/06/2020 and one installment of R$ 550,00 due
08/07/2020 (ACORDO-1/0 and ACORDO-1/1). While the agreement holds, those two carry the debt; 900 is paused.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal as D

import pandas as pd
import pytest
from support.known import ENGINES

from cobranca import open_db
from cobranca.core import clock
from cobranca.core.calendar import payable_until
from cobranca.receivables.filters import MAX_DAYS, Filter

ENGINES = ENGINES  # every test here runs on a DuckDB file and on PostgreSQL (see conftest.py)
BUCKETS = ("a vencer", "1-30", "31-60", "61-90", ">90")


def _row(document: str, installment: str, issue: date, due: date, amount: str, paid: str = "0.00",
         paid_date: date | None = None) -> dict:
    return {"customer_key": "code:Z", "customer_code": "Z", "customer": "Zeta Ltda", "tax_id": None,
            "mobile": "11987654321", "phone": None, "email": "fin@zeta.example", "document": document,
            "installment": installment, "issue_date": issue, "due_date": due, "payable_until": payable_until(due),
            "amount": amount, "paid_amount": paid, "paid_date": paid_date, "description": None}


ORIGINAL = ("900", "1", date(2019, 9, 12), date(2019, 10, 12), "1000.00")
ENTRY = ("ACORDO-1", "0", date(2020, 6, 8), date(2020, 6, 8), "550.00")
INSTALLMENT = ("ACORDO-1", "1", date(2020, 6, 8), date(2020, 7, 8), "550.00")


def _clock(monkeypatch, moment: str) -> None:
    monkeypatch.setenv("COBRANCA_NOW", moment)
    monkeypatch.delenv(clock.ANCHOR_ENV, raising=False)


def _import(db, rows: list[dict], at: datetime) -> None:
    db.receivables.upsert(pd.DataFrame(rows), at=at)


@pytest.fixture
def zeta(db_path, monkeypatch):
    """The book above, the agreement made on 08/06/2020 10:00; `promise_due` (default 15/06) of R$ 1.000,00 made
    on 01/06 for 900 before it."""
    def build(promise_due: str = "2020-06-15"):
        _clock(monkeypatch, "2020-06-01T09:00:00-03:00")
        db = open_db(db_path)
        _import(db, [_row(*ORIGINAL)], datetime(2020, 6, 1, 9))
        _clock(monkeypatch, "2020-06-01T10:00:00-03:00")
        db.promises.register("900", due=promise_due, amount="1000.00", by="Ana", at=datetime(2020, 6, 1, 10))
        _clock(monkeypatch, "2020-06-08T10:00:00-03:00")
        made = db.agreements.create("Z", installments=1, entry=D("550.00"), interest_discount=D("0"),
                                    fine_discount=D("0"), by="Ana")
        assert (made["total_original"], made["total"], made["entry"]["amount"]) == (
            D("1100.00"), D("1100.00"), D("550.00"))
        assert [(p["due_date"], p["amount"]) for p in made["installments"]] == [(date(2020, 7, 8), D("550.00"))]
        return db
    return build


def _aging(db, day: date) -> dict:
    frame = db.results.aging(day)
    return {r.bucket: (r.receivables, r.balance) for r in frame.itertuples()}


def _pay_both(db, monkeypatch) -> None:
    """The ERP brings the entry paid on 08/06 (import of 09/06) and the installment paid on 08/07 (import of
    09/07); the ERP still shows 900 open. On 31/07 the agreement is checked: kept, 900 settled by it."""
    _clock(monkeypatch, "2020-06-09T09:00:00-03:00")
    _import(db, [_row(*ORIGINAL), _row(*ENTRY, "550.00", date(2020, 6, 8)), _row(*INSTALLMENT)],
            datetime(2020, 6, 9, 9))
    _clock(monkeypatch, "2020-07-09T09:00:00-03:00")
    _import(db, [_row(*ORIGINAL), _row(*ENTRY, "550.00", date(2020, 6, 8)),
                 _row(*INSTALLMENT, "550.00", date(2020, 7, 8))], datetime(2020, 7, 9, 9))
    _clock(monkeypatch, "2020-07-31T10:00:00-03:00")
    assert db.agreements.check() == {"kept": [1], "broken": []}


def test_aging_counts_the_installments_not_the_paused_original(zeta):
    db = zeta()
    aging = _aging(db, date(2020, 6, 8))
    # entry due today (0 days) and installment due 08/07: both "a vencer"; 900 is held by the agreement
    assert aging["a vencer"] == (2, D("1100.00"))
    assert aging[">90"] == (0, D("0.00"))


def test_receivables_at_a_day_and_the_dso_count_the_debt_once(zeta):
    db = zeta()
    dso = db.results.dso(date(2020, 6, 8))
    assert dso["receivables"] == D("1100.00")  # not 1.000 + 1.100
    # sales: 900's R$ 1.000,00 (12/09/2019) and the R$ 100,00 of charges the agreement added (08/06/2020);
    # the installments themselves are not new sales
    assert sum(w.sales for w in dso["windows"]) == D("1100.00")
    before = db.results.dso(date(2020, 6, 7))  # the day before the agreement: only 900
    assert before["receivables"] == D("1000.00")


def test_cei_of_a_kept_agreement_is_full_collection(zeta, monkeypatch):
    db = zeta()
    _pay_both(db, monkeypatch)
    cei = db.results.cei(date(2020, 6, 1), date(2020, 7, 31))
    # B = 900 on 31/05 = 1000; S = the agreement's charges 100; E = 0 (installments paid, 900 settled by the
    # agreement); Ec = 0. (1000 + 100 - 0) / (1000 + 100 - 0) x 100 = 100.0
    assert (cei["beginning"], cei["sales"], cei["ending"], cei["ending_current"]) == (
        D("1000.00"), D("100.00"), D("0.00"), D("0.00"))
    assert cei["cei"] == D("100.0")
    assert _aging(db, date(2020, 7, 31)) == {b: (0, D("0.00")) for b in BUCKETS}


def test_each_real_payment_is_recovered_once_even_when_the_erp_settles_the_original(zeta, monkeypatch):
    db = zeta()
    _pay_both(db, monkeypatch)
    june_july = (date(2020, 6, 1), date(2020, 7, 31))
    assert db.results.summary(*june_july)["payments"] == {"receivables": 2, "recovered": D("1100.00")}
    # the ERP then marks 900 paid (it replaced it by the agreement's installments): no new money came in
    _import(db, [_row(*ORIGINAL, "1000.00", date(2020, 7, 31)), _row(*ENTRY, "550.00", date(2020, 6, 8)),
                 _row(*INSTALLMENT, "550.00", date(2020, 7, 8))], datetime(2020, 7, 31, 11))
    assert db.results.summary(*june_july)["payments"] == {"receivables": 2, "recovered": D("1100.00")}
    late = db.results.days_late(*june_july)
    assert (late["settled"], late["settled_count"]) == (D("0.0"), 2)  # both paid on their due dates; 900 is not


def test_a_broken_agreement_brings_the_original_back_once(zeta, monkeypatch):
    db = zeta()
    _clock(monkeypatch, "2020-06-14T10:00:00-03:00")  # entry 6 days late, nothing paid: broken
    assert db.agreements.check() == {"kept": [], "broken": [1]}
    aging = _aging(db, date(2020, 6, 14))
    assert aging[">90"] == (1, D("1000.00"))
    assert aging["a vencer"] == (0, D("0.00"))  # the installments were written off
    assert db.results.dso(date(2020, 6, 14))["receivables"] == D("1000.00")
    # on a day the agreement held (before the break) the installments carried the debt
    assert db.results.dso(date(2020, 6, 10))["receivables"] == D("1100.00")


def test_a_promise_replaced_by_an_agreement_is_neither_kept_nor_broken(zeta):
    db = zeta()  # promise for 15/06 made 01/06; agreement on 08/06, before its date
    assert db.results.promise_kept_rate(date(2020, 6, 1), date(2020, 6, 30)) == {
        "kept": 0, "broken": 0, "rate": None}
    kpis = db.promises.kpis(date(2020, 6, 30))
    assert (kpis["active"], kpis["broken_open"], kpis["kept"], kpis["broken"]) == (0, 0, 0, 0)


def test_a_promise_already_broken_when_the_agreement_came_stays_broken(zeta):
    db = zeta(promise_due="2020-06-05")  # its date passed three days before the agreement
    assert db.results.promise_kept_rate(date(2020, 6, 1), date(2020, 6, 30)) == {
        "kept": 0, "broken": 1, "rate": D("0.0000")}
    assert db.promises.kpis(date(2020, 6, 30))["broken"] == 1


def test_the_worklist_and_the_customer_view_show_the_debt_once(zeta):
    db = zeta()
    due = Filter(description="Vencidas e de hoje", min_days=0, max_days=MAX_DAYS)
    totals = db.worklists.totals(due, date(2020, 6, 8), include_paused=True)
    # the entry (due today) and 900 listed "Em acordo": its balance is carried by the agreement, not added again
    assert totals["balance"] == D("550.00")
    view = db.customers.view("Z", date(2020, 6, 8))
    assert view["balance"] == D("1100.00")
    assert view["total"] == D("1100.00")
    body = db.customers.message("Z", "E-mail", date(2020, 6, 8)).body
    assert "R$ 1.100,00" in body and "R$ 2.200,00" not in body  # 900 (updated 1.100,00) is not added again


def test_the_results_pdf_shows_the_debt_once(zeta):
    import io

    from pypdf import PdfReader

    from cobranca.report.pdf import render_report

    db = zeta()
    rendered = render_report(db, None, date(2020, 6, 8), responsible="Ana",
                             results=(date(2020, 6, 1), date(2020, 6, 8)))
    last = PdfReader(io.BytesIO(rendered.pdf)).pages[-1].extract_text()
    assert "Resultados da cobrança" in last
    assert "R$ 1.100,00" in last  # the aging's "a vencer": the entry and the installment
    assert "R$ 2.100,00" not in last and "R$ 1.000,00" not in last  # 900 is not added, nor shown over 90 days
