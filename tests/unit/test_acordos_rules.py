"""Acordos' pure rules, hand-computed: discount bands, the schedule to the cent, business days, break and keep."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cobranca.acordos import breaking, policy, schedule
from cobranca.acordos.policy import Band
from cobranca.acordos.simulation import Debt, Offer, simulate
from cobranca.core.calendar import BankCalendar
from cobranca.core.errors import InputError
from cobranca.receivables.rules import ChargeRules, charges

D = Decimal
BANK = BankCalendar()
AS_OF = date(2020, 6, 8)  # a Monday


def debt(document: str, amount: str, due: date, as_of: date = AS_OF, rid: int = 1) -> Debt:
    """A debt with the charges of the worklist's rule (rules.charges: 2 % fine, 1 % a month)."""
    c = charges(D(amount), D(0), due, as_of, ChargeRules())
    return Debt(rid, document, "1", due, c.days_overdue, c.balance, c.fine, c.interest)


def test_a_99_day_debt_gets_the_91_to_180_band_by_hand():
    # R$ 1.000,00 due 01/03/2020, on 08/06/2020: 99 days, fine 20,00, interest 1000 × 1 % × 99 / 30 = 33,00
    d = debt("100", "1000.00", date(2020, 3, 1))
    assert (d.days_overdue, d.fine, d.interest, d.updated_amount) == (99, D("20.00"), D("33.00"), D("1053.00"))
    sim = simulate([d], Offer(installments=3), policy.DEFAULT_POLICY, AS_OF, BANK)
    line = sim.lines[0]
    assert (line.interest_percent, line.fine_percent) == (D(80), D(50))  # the band's maxima by default
    assert (line.interest_discount, line.fine_discount) == (D("26.40"), D("10.00"))
    assert (sim.total_original, sim.discount, sim.total) == (D("1053.00"), D("36.40"), D("1016.60"))
    # entry 15 % of 1.016,60 = 152,49; 864,11 / 3 = 288,036... -> 288,04 twice, the last 288,03
    assert sim.entry == schedule.Payment(0, AS_OF, D("152.49"))
    assert [p.amount for p in sim.installments] == [D("288.04"), D("288.04"), D("288.03")]
    assert [p.due_date for p in sim.installments] == [date(2020, 7, 8), date(2020, 8, 10), date(2020, 9, 8)]
    assert sim.entry.amount + sum(p.amount for p in sim.installments) == sim.total


def test_no_discount_up_to_30_days_and_each_receivable_capped_by_its_own_band():
    young = debt("200", "500.00", date(2020, 5, 29), rid=2)  # 10 days: fine 10,00, interest 1,67
    old = debt("100", "1000.00", date(2020, 3, 1), rid=1)  # 99 days
    sim = simulate([young, old], Offer(installments=2, interest_discount=D(40)), policy.DEFAULT_POLICY, AS_OF, BANK)
    by_doc = {line.debt.document: line for line in sim.lines}
    assert by_doc["200"].discount == D("0.00")  # 0–30 days: nothing forgiven
    assert (by_doc["100"].interest_discount, by_doc["100"].fine_discount) == (D("13.20"), D("10.00"))
    assert [line.debt.document for line in sim.lines] == ["100", "200"]  # oldest first
    assert sim.total == D("1053.00") + D("511.67") - D("23.20")


def test_the_analyst_may_offer_less_never_more():
    d = debt("100", "1000.00", date(2020, 3, 1))
    less = simulate([d], Offer(installments=1, interest_discount=D(10), fine_discount=D(0)), policy.DEFAULT_POLICY,
                    AS_OF, BANK)
    assert less.discount == D("3.30")
    with pytest.raises(InputError, match=r"Desconto de juros de 81% acima do máximo da política \(80% para 91 a 180"):
        simulate([d], Offer(installments=1, interest_discount=D(81)), policy.DEFAULT_POLICY, AS_OF, BANK)
    with pytest.raises(InputError, match="11 parcelas é mais que o máximo da política"):
        simulate([d], Offer(installments=11), policy.DEFAULT_POLICY, AS_OF, BANK)
    with pytest.raises(InputError, match=r"Entrada de R\$ 100,00 abaixo da mínima da política: 15% do total"):
        simulate([d], Offer(installments=2, entry=D("100.00")), policy.DEFAULT_POLICY, AS_OF, BANK)
    with pytest.raises(InputError, match=r"Parcela de R\$ 43,20 abaixo da mínima"):
        simulate([d], Offer(installments=10, entry=D("584.60")), policy.DEFAULT_POLICY, AS_OF, BANK)


@pytest.mark.parametrize("rest, count, amounts", [
    ("100.00", 3, ["33.33", "33.33", "33.34"]),  # the last absorbs +0,01
    ("200.00", 3, ["66.67", "66.67", "66.66"]),  # ... or -0,01
    ("0.05", 2, ["0.03", "0.02"]),
    ("1200.00", 12, ["100.00"] * 12),
])
def test_split_is_equal_to_the_cent_and_the_last_takes_the_rounding(rest, count, amounts):
    assert schedule.split(D(rest), count) == [D(a) for a in amounts]


def test_a_first_due_date_on_carnival_tuesday_moves_to_ash_wednesday():
    dates = schedule.installment_dates(date(2026, 2, 17), 3, BANK)  # Carnival Tuesday 2026
    assert dates == [date(2026, 2, 18), date(2026, 3, 17), date(2026, 4, 17)]


def test_months_keep_the_day_or_take_the_month_end():
    assert schedule.add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert schedule.add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)
    assert schedule.add_months(date(2023, 11, 30), 3) == date(2024, 2, 29)
    # 31/01/2026 + 1 month = 28/02/2026, a Saturday -> Monday 02/03
    assert schedule.installment_dates(date(2026, 1, 31), 2, BANK) == [date(2026, 2, 2), date(2026, 3, 2)]


def test_an_entry_on_a_saturday_is_due_on_monday_and_cash_payment_needs_no_installments():
    d = debt("100", "1000.00", date(2020, 3, 1), as_of=date(2020, 6, 6))  # Saturday; 97 days
    sim = simulate([d], Offer(installments=0), policy.DEFAULT_POLICY, date(2020, 6, 6), BANK)
    assert sim.entry == schedule.Payment(0, date(2020, 6, 8), sim.total)
    assert sim.installments == ()


def test_a_payment_late_by_exactly_the_grace_keeps_the_agreement_one_day_more_breaks_it():
    due = breaking.Due(date(2020, 7, 8), D("288.04"), D("288.04"))
    paid_entry = breaking.Due(date(2020, 6, 8), D("152.49"), D("0.00"))
    assert breaking.state([paid_entry, due], date(2020, 7, 13), grace_days=5) == breaking.ACTIVE  # 5 days late
    assert breaking.state([paid_entry, due], date(2020, 7, 14), grace_days=5) == breaking.BROKEN  # 6 days late


def test_a_partial_payment_does_not_keep_an_installment():
    partial = breaking.Due(date(2020, 7, 8), D("288.04"), D("0.04"))
    assert partial.paid == D("288.00")
    assert breaking.state([partial], date(2020, 7, 14), grace_days=5) == breaking.BROKEN
    assert breaking.state([breaking.Due(date(2020, 7, 8), D("288.04"), D("0.00"))], date(2030, 1, 1), 5) == breaking.KEPT


def test_what_was_paid_goes_to_the_oldest_originals_first():
    shares, left = breaking.allocate(D("700.00"), [D("500.00"), D("300.00"), D("100.00")])
    assert (shares, left) == ([D("500.00"), D("200.00"), D("0.00")], D("0.00"))
    shares, left = breaking.allocate(D("950.00"), [D("500.00"), D("300.00"), D("100.00")])
    assert (shares, left) == ([D("500.00"), D("300.00"), D("100.00")], D("50.00"))


def test_policy_bands_must_cover_every_day_once():
    with pytest.raises(InputError, match="falha ou sobreposição em 31 dias"):
        policy.validate([policy.DEFAULT_POLICY[0], policy.DEFAULT_POLICY[2], policy.DEFAULT_POLICY[3]])
    assert policy.validate(reversed(policy.DEFAULT_POLICY)) == policy.DEFAULT_POLICY


money = st.decimals(min_value=D("0.01"), max_value=D("500000.00"), places=2)
percent = st.decimals(min_value=D(0), max_value=D(100), places=2)


@settings(max_examples=300, deadline=None)
@given(amounts=st.lists(st.tuples(money, st.integers(0, 2000)), min_size=1, max_size=8),
       caps=st.tuples(percent, percent, percent), count=st.integers(0, 60), want=st.tuples(percent, percent))
def test_entry_plus_installments_is_the_total_to_the_cent(amounts, caps, count, want):
    band = Band(0, policy.MAX_BAND_DAYS, caps[0], caps[1], caps[2], 60, D(0))
    debts = [debt(str(i), str(a), date.fromordinal(AS_OF.toordinal() - days), rid=i)
             for i, (a, days) in enumerate(amounts)]
    offer = Offer(installments=count, interest_discount=min(want[0], caps[0]), fine_discount=min(want[1], caps[1]))
    try:
        sim = simulate(debts, offer, (band,), AS_OF, BANK)
    except InputError as exc:  # only when the rest cannot make `count` installments of a cent
        assert "R$ 0,01" in str(exc) or "já é o total" in str(exc)
        return
    assert sim.entry.amount + sum(p.amount for p in sim.installments) == sim.total
    assert sim.total == sum(line.agreed for line in sim.lines)
    assert all(p.amount > 0 for p in sim.payments)
    if count:
        first = sim.installments[0].amount
        assert all(p.amount == first for p in sim.installments[:-1])
        assert abs(sim.installments[-1].amount - first) <= D("0.005") * count  # n × half a cent at most
    assert all(BANK.is_business_day(p.due_date) for p in sim.payments)
