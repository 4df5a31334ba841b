"""Overdue rules to the cent, and the SQL worklist agreeing with the pure functions."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.known import receivables_frame

from cobranca import open_db
from cobranca.core.calendar import is_business_day, parse_date, payable_until
from cobranca.core.money import parse_money, parse_percent, round_cents
from cobranca.receivables.bands import aging_band
from cobranca.receivables.filters import Filter
from cobranca.receivables.rules import ChargeRules, charges, days_overdue
from cobranca.store import worklist as worklist_sql

D = Decimal
RULES = ChargeRules()


def test_seed_example_to_the_cent():
    c = charges(D("1000.00"), D("0"), date(2020, 6, 1), date(2020, 6, 8), RULES)
    assert (c.days_overdue, c.fine, c.interest, c.updated_amount) == (7, D("20.00"), D("2.33"), D("1022.33"))


@pytest.mark.parametrize(
    "amount, paid, days, fine, interest",
    [
        ("1000.00", "0", 30, "20.00", "10.00"),
        ("250.50", "50.50", 19, "4.00", "1.27"),  # 200 * 0.01/30 * 19 = 1.2666.. -> 1.27
        ("0.25", "0", 1, "0.01", "0.00"),  # fine 0.005 -> rounds half up to 0.01
        ("0.75", "0", 2, "0.02", "0.00"),  # fine 0.015 -> 0.02 ; interest 0.0005 -> 0.00
        ("15.00", "0", 1, "0.30", "0.01"),  # interest 0.005 exactly -> 0.01 (half up)
        ("1234.56", "0", 99, "24.69", "40.74"),  # fine 24.6912 ; interest 40.74048
    ],
)
def test_components_round_half_up(amount, paid, days, fine, interest):
    due = date(2024, 1, 10)  # a Wednesday
    c = charges(D(amount), D(paid), due, due + timedelta(days=days), RULES)
    assert (c.fine, c.interest) == (D(fine), D(interest))
    assert c.updated_amount == c.balance + c.fine + c.interest


def test_round_cents_is_half_up():
    assert round_cents(D("0.005")) == D("0.01")
    assert round_cents(D("0.015")) == D("0.02")
    assert round_cents(D("2.3349")) == D("2.33")


def test_saturday_due_date_waits_until_monday():
    sat = date(2020, 6, 6)
    assert payable_until(sat) == date(2020, 6, 8)
    assert days_overdue(sat, date(2020, 6, 8)) == 0
    c = charges(D("100"), D("0"), sat, date(2020, 6, 8), RULES)
    assert (c.fine, c.interest) == (D("0.00"), D("0.00"))
    # the day after the tolerance, charges count from the original due date (3 days)
    c = charges(D("1000"), D("0"), sat, date(2020, 6, 9), RULES)
    assert (c.days_overdue, c.fine, c.interest) == (3, D("20.00"), D("1.00"))


def test_national_holiday_extends_tolerance():
    # 2020-04-21 Tiradentes (Tuesday): payable on the 22nd; 2021-12-25 Saturday Christmas -> Monday 27th
    assert not is_business_day(date(2020, 4, 21))
    assert days_overdue(date(2020, 4, 21), date(2020, 4, 22)) == 0
    assert days_overdue(date(2020, 4, 21), date(2020, 4, 23)) == 2
    assert payable_until(date(2021, 12, 25)) == date(2021, 12, 27)
    # Carnival is not a national holiday in the `holidays` calendar; Good Friday is
    assert payable_until(date(2024, 3, 29)) == date(2024, 4, 1)


def test_grace_days_waive_charges_then_count_from_due_date():
    rules = ChargeRules(grace_days=5)
    due = date(2024, 1, 10)
    assert charges(D("1000"), D("0"), due, due + timedelta(days=5), rules).fine == D("0.00")
    late = charges(D("1000"), D("0"), due, due + timedelta(days=6), rules)
    assert (late.fine, late.interest) == (D("20.00"), D("2.00"))


def test_not_yet_due_is_negative_and_free():
    c = charges(D("100"), D("0"), date(2024, 1, 10), date(2024, 1, 8), RULES)
    assert c.days_overdue == -2 and c.updated_amount == D("100")


def test_aging_bands_one_definition_for_the_worklist_and_the_results():
    assert [aging_band(d) for d in (-5, -1, 0, 1, 30, 31, 60, 61, 90, 91, 4000)] == [
        "a vencer", "a vencer", "a vencer", "1-30", "1-30", "31-60", "31-60", "61-90", "61-90", ">90", ">90"]


@pytest.mark.parametrize("text, value", [
    ("1.234,56", "1234.56"), ("1234,56", "1234.56"), ("1234.56", "1234.56"), ("1,234.56", "1234.56"),
    ("R$ 10", "10"), ("0,5", "0.5"), ("-3,00", "-3.00"), ("1.234.567,89", "1234567.89"),
])
def test_parse_money(text, value):
    assert parse_money(text) == D(value)


@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "12.34.56", "1.23,4567", "R$", "10e3", "nan"])
def test_parse_money_rejects(text):
    with pytest.raises(ValueError):
        parse_money(text)


def test_parse_percent_and_date():
    assert parse_percent("2,5") == D("2.5")
    with pytest.raises(ValueError):
        parse_percent("-1")
    assert parse_date("01/06/2020") == date(2020, 6, 1) == parse_date("2020-06-01")
    for bad in ("31/02/2024", "2024-13-01", "hoje", ""):
        with pytest.raises(ValueError):
            parse_date(bad)


@settings(max_examples=25, deadline=None)
@given(
    cases=st.lists(
        st.tuples(
            st.integers(min_value=1, max_value=10**13),  # amount in cents
            st.integers(min_value=0, max_value=100),  # % already paid
            st.integers(min_value=-20, max_value=800),  # days since due
        ),
        min_size=1, max_size=40,
    ),
    fine=st.decimals(min_value=0, max_value=10, places=4),
    rate=st.decimals(min_value=0, max_value=15, places=4),
    grace=st.integers(min_value=0, max_value=10),
)
def test_sql_worklist_matches_pure_rules(tmp_path_factory, cases, fine, rate, grace):
    """The DuckDB worklist computes exactly what rules.charges computes, for any amount and date."""
    as_of = date(2024, 12, 31)
    rules = ChargeRules(fine, rate, grace)
    rows, expected = [], {}
    for i, (cents, paid_share, due_offset) in enumerate(cases):
        due = as_of - timedelta(days=due_offset)
        amount = D(cents) / 100
        paid = round_cents(amount * paid_share / 100)
        rows.append(("9", "Cliente", None, None, f"H{i}", "1", due, f"{amount:.2f}", f"{paid:.2f}"))
        c = charges(amount, paid, due, as_of, rules)
        if c.balance > 0 and c.days_overdue >= 0:  # settled or not yet due: not in the worklist
            expected[f"H{i}"] = (c.days_overdue, c.balance, c.fine, c.interest, c.updated_amount)
    db = open_db(tmp_path_factory.mktemp("h") / "h.duckdb")
    db.receivables.upsert(receivables_frame(rows))
    query = worklist_sql.Query(Filter(description="x", min_days=0, max_days=36500).validated(), as_of, rules)
    with db.store.session() as con:
        got = worklist_sql.rows(con, query)
    assert {
        r["document"]: (int(r["days_overdue"]), r["balance"], r["fine"], r["interest"], r["updated_amount"])
        for r in got.to_dict("records")
    } == expected
    for column in ("balance", "fine", "interest", "updated_amount"):
        assert all(isinstance(v, Decimal) for v in got[column])


def test_worklist_amounts_are_decimals_not_floats(db):
    frame = db.worklists.rows("Vencidas de 1 a 10 dias", date(2020, 6, 8))
    assert isinstance(frame, pd.DataFrame)
    for column in ("amount", "balance", "fine", "interest", "updated_amount"):
        assert "decimal" in str(frame[column].dtype)
        assert isinstance(frame[column].iloc[0], Decimal)


def test_worklist_of_the_largest_storable_amount_does_not_overflow(tmp_path):
    """R$ 9.999.999.999.999.999,99 (the DECIMAL(18,2) maximum), 100 days late: charges in HUGEINT cents."""
    db = open_db(tmp_path / "big.duckdb")
    due = date(2020, 3, 1)
    db.receivables.upsert(receivables_frame([("9", "Grande", None, None, "G1", "1", due, "9999999999999999.99", "0")]))
    row = db.worklists.rows(as_of=date(2020, 6, 9)).iloc[0]
    expected = charges(Decimal("9999999999999999.99"), Decimal(0), due, date(2020, 6, 9), ChargeRules())
    assert (row["fine"], row["interest"], row["updated_amount"]) == (
        expected.fine, expected.interest, expected.updated_amount)
    assert db.worklists.totals(as_of=date(2020, 6, 9))["updated_amount"] == expected.updated_amount
