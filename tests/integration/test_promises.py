"""Promises to pay and disputes on a real DuckDB file: pause, break, keep (by dates and re-import), replace, undo."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal as D

import pandas as pd
import pytest
from support.known import AS_OF, ENGINES, receivables_frame

from cobranca.core.errors import InputError
from cobranca.promises.status import Promise, promise_outcomes, receivable_status

MONDAY_10H = "2020-06-08T10:00:00-03:00"  # "today" for the company: the seed's as-of day


pytestmark = pytest.mark.usefixtures("company_today")  # the one test clock (conftest.py)


ENGINES = ENGINES  # every test here runs on a DuckDB file and on PostgreSQL (see conftest.py)

def keys(frame) -> list[tuple[str, str]]:
    return list(zip(frame["document"], frame["installment"], strict=True))


def row_of(frame, document: str, installment: str = "1") -> dict:
    match = frame[(frame["document"] == document) & (frame["installment"] == installment)]
    assert len(match) == 1, keys(frame)
    return match.iloc[0].to_dict()


def reimport(db, document: str, paid: str, paid_date: date | None = None) -> None:
    frame = receivables_frame()
    frame.loc[frame["document"] == document, "paid_amount"] = paid
    frame.loc[frame["document"] == document, "paid_date"] = paid_date
    db.receivables.upsert(frame)


def test_a_promise_pauses_until_its_date_then_breaks_and_sorts_first(db):
    entry = db.promises.register("144", due="2020-06-12", note="paga na sexta", by="ANA")
    assert entry["amount"] == D("1022.33")  # default: the updated amount today
    for day in (AS_OF, date(2020, 6, 12)):  # paused through the promised date itself
        assert ("144", "1") not in keys(db.worklists.rows(None, day))
    paused = row_of(db.worklists.rows(None, AS_OF, include_paused=True), "144")
    assert paused["status"] == "promised" and paused["promise_date"] == date(2020, 6, 12)
    after = db.worklists.rows(None, date(2020, 6, 13))
    first = after.iloc[0].to_dict()
    assert (first["document"], first["status"]) == ("144", "promise_broken")  # before 402 (100 days overdue)
    assert after.iloc[1]["document"] == "402" and after.iloc[1]["days_overdue"] > first["days_overdue"]
    assert set(after["status"][1:]) == {"open"}
    assert db.promises.kpis(date(2020, 6, 13)) == {"active": 0, "broken_open": 1, "kept": 0, "broken": 1,
                                                   "fulfilment_rate": D("0")}


def test_paid_in_full_by_the_date_keeps_the_promise(db):
    db.promises.register("144", due="2020-06-12")
    reimport(db, "144", "1000.00", date(2020, 6, 11))
    assert ("144", "1") not in keys(db.worklists.rows(None, date(2020, 6, 15), include_paused=True))
    kpis = db.promises.kpis(date(2020, 6, 15))
    assert (kpis["kept"], kpis["broken"], kpis["fulfilment_rate"]) == (1, 0, D("1"))


def test_a_partial_promise_is_kept_by_a_reimport_reducing_the_balance_enough(db):
    db.promises.register("144", due="2020-06-12", amount="300,00")
    reimport(db, "144", "300.00")  # no payment date in the export: counts as on time
    back = row_of(db.worklists.rows(None, date(2020, 6, 15)), "144")
    assert back["status"] == "open" and back["balance"] == D("700.00")
    assert db.promises.kpis(date(2020, 6, 15))["kept"] == 1


@pytest.mark.parametrize(("paid", "paid_date"), [("299.99", None), ("300.00", date(2020, 6, 13))])
def test_too_little_or_too_late_breaks_the_promise(db, paid, paid_date):
    db.promises.register("144", due="2020-06-12", amount="300,00")
    reimport(db, "144", paid, paid_date)
    assert row_of(db.worklists.rows(None, date(2020, 6, 15)), "144")["status"] == "promise_broken"


def test_a_new_promise_replaces_the_active_one_and_both_stay_in_history(db):
    db.promises.register("144", due="2020-06-10", note="primeira", at=datetime(2020, 6, 8, 10, 0))
    db.promises.register("144", due="2020-06-19", amount="500", note="segunda", at=datetime(2020, 6, 9, 10, 0))
    row = row_of(db.worklists.rows(None, date(2020, 6, 15), include_paused=True), "144")
    assert row["status"] == "promised" and row["promise_date"] == date(2020, 6, 19)
    history = db.contacts.history("144")
    promises = history[history["kind"] == "promise"]
    assert list(promises["channel"]) == ["Promessa", "Promessa"]
    assert "R$ 500,00 até 19/06/2020" in promises.iloc[0]["observation"]
    assert "primeira" in promises.iloc[1]["observation"]
    # the first was replaced before its date: neither kept nor broken
    assert db.promises.kpis(date(2020, 6, 15))["broken"] == 0


def test_promise_date_and_amount_are_checked(db):
    with pytest.raises(InputError, match="já passou"):
        db.promises.register("144", due="2020-06-07")
    for bad in ("0", "-5", "abc"):
        with pytest.raises(InputError, match="Valor da promessa inválido"):
            db.promises.register("144", due="2020-06-12", amount=bad)
    with pytest.raises(InputError, match="quitado"):
        db.promises.register("500", due="2020-06-12")
    assert db.contacts.history("144").empty


def test_dispute_pauses_until_resolved(db):
    db.promises.open_dispute("402", reason="Mercadoria devolvida")
    assert ("402", "1") not in keys(db.worklists.rows(None, AS_OF))
    assert row_of(db.worklists.rows(None, AS_OF, include_paused=True), "402")["status"] == "disputed"
    with pytest.raises(InputError, match="já está contestado"):
        db.promises.open_dispute("402", reason="de novo")
    with pytest.raises(InputError, match="motivo"):
        db.promises.open_dispute("144", reason="  ")
    db.promises.resolve_dispute("402", note="Nota de crédito emitida")
    assert row_of(db.worklists.rows(None, AS_OF), "402")["status"] == "open"
    with pytest.raises(InputError, match="não tem contestação em aberto"):
        db.promises.resolve_dispute("402")
    assert list(db.contacts.history("402")["channel"]) == ["Contestação resolvida", "Contestação"]


def test_a_dispute_wins_over_a_promise(db):
    db.promises.register("144", due="2020-06-12")
    db.promises.open_dispute("144", reason="valor errado")
    assert row_of(db.worklists.rows(None, date(2020, 6, 20), include_paused=True), "144")["status"] == "disputed"


def test_cancel_last_cancels_the_newest_entry_whatever_its_kind(db):
    db.contacts.register_one("144", channel="Telefone", observation="ligou", at=None)
    db.promises.register("144", due="2020-06-12")
    assert db.contacts.last_entry("144")["kind"] == "promise"
    cancelled = db.contacts.cancel_last("144", by="SUPERVISOR")
    assert cancelled["kind"] == "promise" and cancelled["channel"] == "Promessa"
    assert row_of(db.worklists.rows(None, AS_OF), "144")["status"] == "open"  # back in the worklist
    assert list(db.contacts.history("144")["kind"]) == ["contact"]
    audit = db.contacts.history("144", include_cancelled=True)
    kept = audit[audit["kind"] == "promise"].iloc[0]
    assert kept["cancelled_by"] == "SUPERVISOR" and not pd.isna(kept["cancelled_at"])
    assert db.contacts.cancel_last("144")["kind"] == "contact"
    with pytest.raises(InputError, match="Não há contato a cancelar"):
        db.contacts.cancel_last("144")


def test_default_promise_filters(db):
    names = [f.description for f in db.filters.all()]
    # then the régua's "Tarefas de hoje" and the acordos' "Acordos quebrados" (schema step 9)
    assert names[-4:] == ["Promessas quebradas", "Promessas para hoje", "Tarefas de hoje", "Acordos quebrados"]
    db.promises.register("144", due="2020-06-08")
    db.promises.register("402", due="2020-06-10")
    assert keys(db.worklists.rows("Promessas para hoje", AS_OF)) == [("144", "1")]
    assert keys(db.worklists.rows("Promessas quebradas", AS_OF)) == []
    assert keys(db.worklists.rows("Promessas quebradas", date(2020, 6, 11))) == [("402", "1"), ("144", "1")]
    assert keys(db.worklists.rows("Promessas para hoje", date(2020, 6, 10))) == [("402", "1")]
    totals = db.worklists.totals("Promessas quebradas", date(2020, 6, 11))
    assert totals["receivables"] == 2


CASES = [  # document, its balance before, promised amount, paid by the re-import (on top of what was paid), paid on
    ("144", D("1000.00"), "300.00", "0", None),
    ("145", D("200.00"), "200.00", "200.00", date(2020, 6, 10)),
    ("301", D("500.00"), "500.00", "100.00", None),
    ("402", D("1234.56"), "100.00", "100.00", date(2020, 6, 11)),
    ("200/A", D("89.90"), "50.00", "50.00", date(2020, 6, 9)),
]


def test_sql_status_agrees_with_the_pure_rule(db):
    """Promise, payment and day combined: the worklist's status (SQL) equals receivable_status (Python)."""
    for document, _before, promised, _paid, _on in CASES:
        db.promises.register(document, installment="1", due="2020-06-10", amount=promised)
    frame = receivables_frame()
    for document, _before, _promised, paid, paid_on in CASES:
        mask = (frame["document"] == document) & (frame["installment"] == "1")
        frame.loc[mask, "paid_amount"] = str(D(frame.loc[mask, "paid_amount"].iloc[0]) + D(paid))
        frame.loc[mask, "paid_date"] = paid_on
    db.receivables.upsert(frame)
    seen = set()
    for day in (date(2020, 6, 9), date(2020, 6, 10), date(2020, 6, 11), date(2020, 6, 12)):
        rows = db.worklists.rows(None, day, include_paused=True)
        for document, before, promised, paid, paid_on in CASES:
            balance = before - D(paid)
            expected = receivable_status(False, Promise(date(2020, 6, 10), D(promised), before), balance, day, paid_on)
            match = rows[(rows["document"] == document) & (rows["installment"] == "1")]
            if balance == 0:  # settled: in no worklist
                assert match.empty
                continue
            assert match.iloc[0]["status"] == expected, (document, day)
            seen.add(expected)
    assert seen == {"promised", "promise_broken", "open"}


def test_promise_kpis_in_sql_agree_with_the_pure_outcomes(db):
    """Replaced, kept, broken and pending promises: SQL counts equal promise_outcomes over the same rows."""
    db.promises.register("144", due="2020-06-09", at=datetime(2020, 6, 8, 9))
    db.promises.register("144", due="2020-06-12", at=datetime(2020, 6, 8, 10))      # replaced before its date
    db.promises.register("145", due="2020-06-08", amount="50", at=datetime(2020, 6, 8, 9))
    db.promises.register("301", due="2020-06-08", at=datetime(2020, 6, 8, 9))
    db.promises.register("402", due="2020-06-09", amount="100", at=datetime(2020, 6, 8, 9))
    frame = receivables_frame()
    frame.loc[frame["document"] == "145", "paid_amount"] = "100.50"  # 50 more: kept
    frame.loc[frame["document"] == "301", "paid_amount"] = "500.00"  # paid in full
    frame.loc[frame["document"] == "301", "paid_date"] = date(2020, 6, 9)  # …a day late: broken
    db.receivables.upsert(frame)
    with db.session(), db.store.session() as con:
        from cobranca.store import promises as promise_records

        rows = promise_records.promises_with_balances(con)
    for day in (date(2020, 6, 8), date(2020, 6, 10), date(2020, 6, 13)):
        expected = {"active": 0, "broken_open": 0, "kept": 0, "broken": 0}
        for _, group in rows.groupby("receivable_id"):
            records = group.to_dict("records")
            promises = [Promise(r["promise_date"], r["amount"], r["balance_before"], r["made_on"]) for r in records]
            last = records[-1]
            paid_on = None if pd.isna(last["paid_date"]) else last["paid_date"]
            outcomes = promise_outcomes(promises, last["balance"], day, paid_on)
            expected["kept"] += outcomes.count("kept")
            expected["broken"] += outcomes.count("broken")
            expected["active"] += outcomes[-1] == "pending"
            expected["broken_open"] += outcomes[-1] == "broken" and last["balance"] > 0
        kpis = db.promises.kpis(day)
        assert {k: kpis[k] for k in expected} == expected, day
    assert db.promises.kpis(date(2020, 6, 13)) == {"active": 0, "broken_open": 2, "kept": 1, "broken": 3,
                                                   "fulfilment_rate": D("0.2500")}


def test_hostile_notes_are_stored_and_shown_as_text(db):
    hostile = "<img src=x onerror=alert(1)> =HYPERLINK(\"http://x\") '; DROP TABLE receivables; --"
    db.promises.register("144", due="2020-06-12", note=hostile)
    db.promises.open_dispute("402", reason=hostile)
    assert hostile in db.contacts.history("144").iloc[0]["observation"]
    assert db.contacts.history("402").iloc[0]["observation"] == f"Contestação: {hostile}"
    assert db.receivables.counts()["receivables"] == 7
