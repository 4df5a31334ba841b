"""Agreements on a real DuckDB file and on PostgreSQL: create, pause the originals, follow the schedule, break, keep, cancel."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from support.known import AS_OF, ENGINES, receivables_frame
from support.pg_helpers import target_of

from cobranca import open_db
from cobranca.core.errors import InputError
from cobranca.receivables.rules import ChargeRules, charges

pytestmark = pytest.mark.usefixtures("company_today")  # today = 08/06/2020, a Monday
ENGINES = ENGINES  # every test here runs on a DuckDB file and on PostgreSQL (see conftest.py)


def keys(frame) -> list[tuple[str, str]]:
    return list(zip(frame["document"], frame["installment"], strict=True))


def row_of(frame, document: str, installment: str = "1") -> dict:
    match = frame[(frame["document"] == document) & (frame["installment"] == installment)]
    assert len(match) == 1, keys(frame)
    return match.iloc[0].to_dict()


def pay(db, document: str, installment: str, paid: str, customer_code: str = "4") -> None:
    """The ERP (or the bank) brings a payment of an agreement's payment: a re-import of that row."""
    with db.session():
        rec = db.receivables.find(document, installment)
        row = db.worklists.of_receivables([rec["receivable_id"]], AS_OF).iloc[0] if rec["balance"] > 0 else None
    frame = receivables_frame()
    frame = frame[frame["customer_code"] == customer_code].head(1).copy()
    frame["document"], frame["installment"], frame["paid_amount"] = document, installment, paid
    frame["amount"] = str(row["amount"]) if row is not None else paid
    frame["due_date"] = row["due_date"] if row is not None else AS_OF
    frame["payable_until"] = frame["due_date"]
    db.receivables.upsert(frame)


def test_creating_pauses_the_originals_and_follows_the_schedule_as_receivables(db):
    # 402: R$ 1.234,56 due 01/03/2020 -> 99 days: fine 24,69, interest 40,74, updated 1.299,99;
    # band 91–180: 80 % of the interest (32,59) and 50 % of the fine (12,35) -> total 1.255,05
    before = db.receivables.counts()["receivables"]
    _, sim = db.agreements.simulate("4", installments=3)
    assert db.receivables.counts()["receivables"] == before  # a simulation stores nothing
    made = db.agreements.create("4", installments=3, by="ANA")
    assert (made["id"], made["status"], made["created_by"]) == (1, "active", "ANA")
    assert (made["total_original"], made["discount"], made["total"]) == (D("1299.99"), D("44.94"), D("1255.05"))
    assert (made["entry"]["document"], made["entry"]["installment"], made["entry"]["amount"]) == (
        "ACORDO-1", "0", D("188.26"))
    assert [(p["due_date"], p["amount"]) for p in made["installments"]] == [
        (date(2020, 7, 8), D("355.60")), (date(2020, 8, 10), D("355.60")), (date(2020, 9, 8), D("355.59"))]
    assert sim.total == made["total"]
    assert ("402", "1") not in keys(db.worklists.rows(None, date(2020, 6, 9)))  # paused
    paused = row_of(db.worklists.rows(None, date(2020, 6, 9), include_paused=True), "402")
    assert paused["status"] == "agreement"
    entry = row_of(db.worklists.rows(None, date(2020, 6, 9)), "ACORDO-1", "0")  # the entry is followed, 1 day late
    assert (entry["balance"], entry["days_overdue"], entry["customer_code"]) == (D("188.26"), 1, "4")
    history = db.contacts.history("402")
    assert history.iloc[0]["observation"].startswith("Acordo nº 1: total R$ 1.255,05 (desconto R$ 44,94)")
    again = open_db(target_of(db)).agreements.show(1)  # a second process sees it
    assert again["total"] == D("1255.05") and len(again["installments"]) == 3


def test_the_same_receivable_cannot_be_in_two_active_agreements(db):
    db.agreements.create("4", installments=2)
    with pytest.raises(InputError, match="não tem contas vencidas"):
        db.agreements.create("4", installments=2)
    with pytest.raises(InputError, match="Já estão em um acordo ativo: 402/1"):
        db.agreements.create("4", installments=2, documents=[("402", "1")])


def test_one_day_over_the_grace_breaks_it_and_revokes_the_discount_exactly(db):
    db.agreements.create("4", installments=3)
    assert db.agreements.check(date(2020, 6, 13)) == {"kept": [], "broken": []}  # entry 5 days late: grace
    assert db.agreements.check(date(2020, 6, 14)) == {"kept": [], "broken": [1]}  # 6 days late
    assert db.agreements.check(date(2020, 6, 14)) == {"kept": [], "broken": []}  # once only
    back = db.worklists.rows(None, date(2020, 6, 14))
    first = back.iloc[0].to_dict()
    # 105 days on 14/06: the original charges, no discount: fine 24,69 + interest 1234,56 × 105 / 3000 = 43,21
    assert (first["document"], first["status"]) == ("402", "agreement_broken")
    assert (first["balance"], first["fine"], first["interest"], first["updated_amount"]) == (
        D("1234.56"), D("24.69"), D("43.21"), D("1302.46"))
    plain = charges(D("1234.56"), D(0), date(2020, 3, 1), date(2020, 6, 14), ChargeRules())
    assert first["updated_amount"] == plain.updated_amount
    assert not [k for k in keys(db.worklists.rows(None, date(2020, 6, 14), include_paused=True)) if k[0] == "ACORDO-1"]
    assert db.agreements.show(1)["status"] == "broken"
    assert "Acordos quebrados" in {f.description for f in db.filters.all()}
    assert keys(db.worklists.rows("Acordos quebrados", date(2020, 6, 14))) == [("402", "1")]


def test_a_partial_payment_is_credited_to_the_originals_oldest_first_when_it_breaks(db):
    db.receivables.upsert(receivables_frame().assign(customer_code="4", customer="Padaria Pão Quente",
                                                     customer_key="code:4").query("document == '145'"))
    # customer 4 now owes 402 (due 01/03, R$ 1.234,56) and 145 (due 20/05, balance R$ 200,00)
    made = db.agreements.create("4", installments=1, interest_discount=D(0), fine_discount=D(0))
    assert [o["document"] for o in made["originals"]] == ["402", "145"]
    assert made["installments"][0]["amount"] > D("1200.00")
    pay(db, "ACORDO-1", "0", str(made["entry"]["amount"]))
    pay(db, "ACORDO-1", "1", "1200.00")  # most of installment 1, not all of it
    assert db.agreements.check(date(2020, 7, 13)) == {"kept": [], "broken": []}
    assert db.agreements.check(date(2020, 7, 14)) == {"kept": [], "broken": [1]}
    paid = made["entry"]["amount"] + D("1200.00")
    shown = db.agreements.show(1)
    assert shown["paid_at_end"] == paid
    assert [o["credited"] for o in shown["originals"]] == [D("1234.56"), paid - D("1234.56")]
    back = db.worklists.rows(None, date(2020, 7, 14))
    assert ("402", "1") not in keys(back)  # the oldest was paid first, in full
    left = row_of(back, "145")
    assert left["balance"] == D("200.00") - (paid - D("1234.56"))
    assert left["status"] == "agreement_broken"


def test_paying_every_installment_keeps_it_and_settles_the_originals_even_after_a_reimport(db):
    made = db.agreements.create("4", installments=1)
    for p in [made["entry"], *made["installments"]]:
        pay(db, p["document"], p["installment"], str(p["amount"]))
    assert db.agreements.check(date(2020, 6, 9)) == {"kept": [1], "broken": []}
    assert ("402", "1") not in keys(db.worklists.rows(None, date(2020, 8, 1), include_paused=True))
    db.receivables.upsert(receivables_frame())  # the ERP still shows 402 unpaid: the agreement's credit stays
    assert ("402", "1") not in keys(db.worklists.rows(None, date(2020, 8, 1), include_paused=True))
    assert db.contacts.history("402").iloc[0]["observation"] == "Acordo nº 1 cumprido: conta quitada pelo acordo."


def test_cancelling_is_audited_and_has_the_effect_of_breaking(db):
    db.agreements.create("4", installments=2)
    with pytest.raises(InputError, match="Informe o motivo"):
        db.agreements.cancel(1, " ")
    done = db.agreements.cancel(1, "cliente desistiu", by="BIA")
    assert (done["status"], done["ended_by"], done["end_reason"], done["paid_at_end"]) == (
        "cancelled", "BIA", "cliente desistiu", D("0.00"))
    row = row_of(db.worklists.rows(None, AS_OF), "402")
    assert (row["status"], row["updated_amount"]) == ("agreement_broken", D("1299.99"))
    with pytest.raises(InputError, match="já está cancelado"):
        db.agreements.cancel(1, "de novo")


def test_an_opted_out_customer_can_still_make_an_agreement(db):
    db.policy.opt_out("4", reason="pediu por telefone")
    assert db.agreements.create("4", installments=1)["status"] == "active"


def test_the_policy_is_stored_and_limits_the_offer(db):
    bands = db.agreements.policy()
    assert [(b.min_days, b.max_days) for b in bands] == [(0, 30), (31, 90), (91, 180), (181, 36500)]
    from dataclasses import replace
    db.agreements.set_policy([replace(b, max_interest_discount=D(10)) if b.min_days == 91 else b for b in bands])
    with pytest.raises(InputError, match="acima do máximo da política"):
        db.agreements.simulate("4", installments=1, interest_discount=D(11))


def test_a_worklist_of_today_applies_the_break_first(db, monkeypatch):
    db.agreements.create("4", installments=1)
    assert ("402", "1") not in keys(db.worklists.rows(None, date(2020, 6, 14)))  # another reference day: nothing written
    assert db.agreements.show(1, check=False)["status"] == "active"
    monkeypatch.setenv("COBRANCA_NOW", "2020-06-14T10:00:00-03:00")
    row = row_of(db.worklists.rows(), "402")  # today: the entry is 6 days late
    assert row["status"] == "agreement_broken"
    assert db.agreements.show(1, check=False)["status"] == "broken"


def test_results_per_analyst_to_the_cent(db):
    db.receivables.upsert(receivables_frame().assign(customer_code="4", customer="Padaria Pão Quente",
                                                     customer_key="code:4").query("document == '145'"))
    first = db.agreements.create("4", installments=1, documents=[("402", "1")], by="ANA")  # discount 44,94
    pay(db, "ACORDO-1", "0", str(first["entry"]["amount"]))
    db.agreements.create("4", installments=0, documents=[("145", "1")], by="BIA")  # 19 days: no discount
    db.agreements.cancel(2, "desistiu", by="BIA")
    rows = {r["analyst"]: r for r in db.agreements.results(AS_OF, AS_OF)}
    ana, bia, total = rows["ANA"], rows["BIA"], rows["Total"]
    assert (ana["agreements"], ana["active"], ana["recovered"], ana["discount"]) == (1, 1, D("188.26"), D("44.94"))
    assert ana["average_discount_percent"] == D("3.5")  # 44,94 / 1.299,99 = 3,457 %
    assert (bia["broken"], bia["recovered"], bia["average_discount_percent"]) == (1, D("0.00"), D("0.0"))
    assert (total["agreements"], total["recovered"], total["total_original"]) == (2, D("188.26"), D("1505.26"))
    assert db.agreements.results(date(2020, 6, 9), date(2020, 6, 30))[-1]["agreements"] == 0


def test_a_version_7_file_upgrades_to_agreements(db_path, monkeypatch):
    from cobranca.store import schema

    with monkeypatch.context() as patch:
        patch.setattr(schema, "SCHEMA_VERSION", 7)
        old = open_db(db_path)
        old.receivables.upsert(receivables_frame())
        assert old.schema_version() == 7
    db = open_db(db_path)
    assert db.schema_version() >= 9
    assert len(db.agreements.policy()) == 4 and "Acordos quebrados" in {f.description for f in db.filters.all()}
    assert row_of(db.worklists.rows(None, AS_OF), "402")["updated_amount"] == D("1299.99")  # credit 0 on old rows
    assert db.agreements.create("4", installments=1)["total"] == D("1255.05")


def test_the_regua_skips_the_originals_and_follows_the_installments(db):
    from cobranca.regua import plan as regua_plan

    db.agreements.create("4", installments=1)
    _, rows, _ = db.regua.candidates(date(2020, 6, 9))
    by_key = {(r["document"], r["installment"]): r for r in rows}
    assert regua_plan.skip_reason(by_key[("402", "1")]) == regua_plan.AGREEMENT
    assert regua_plan.SKIP_LABELS[regua_plan.AGREEMENT].startswith("em acordo")
    assert regua_plan.skip_reason(by_key[("ACORDO-1", "0")]) is None  # the entry, a day late, is followed
