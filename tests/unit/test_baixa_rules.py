"""The pure rules of baixa: nosso número and seu número normalisation, what a payment does to a balance."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from cobranca.baixa.matching import Index, Open, plan
from cobranca.baixa.numbers import document_key, nosso_numero_key
from cobranca.baixa.records import BankRecord
from cobranca.baixa.settle import credit, settle


@pytest.mark.parametrize("shape", ["109/00000011-4", "00000011", "11", " 109/0000.0011-4 ", "0000000000000011"])
def test_the_shapes_of_one_nosso_numero_are_one_title(shape):
    assert nosso_numero_key(shape) == "11"


def test_nosso_numero_keys_that_differ():
    assert nosso_numero_key("109/00000012-4") == "12"
    assert nosso_numero_key("") == nosso_numero_key(None) == ""
    assert nosso_numero_key("000") == "0"
    assert nosso_numero_key("24/0000000111369979") == "111369979"


def test_seu_numero_leading_zeros_and_installment():
    assert document_key("000123") == ("123", None)
    assert document_key("NF123/02") == ("NF123", "2")
    assert document_key("000123-2") == ("123", "2")


def test_a_payment_smaller_equal_or_larger_than_the_balance():
    assert settle(D("100.00"), D("60.01")) == settle(D("100.00"), D("60.01"))
    small = settle(D("100.00"), D("60.01"))
    assert (small.status, small.applied, small.excess, small.balance_after) == ("partial", D("60.01"), D("0"), D("39.99"))
    exact = settle(D("100.00"), D("100.00"))
    assert (exact.status, exact.balance_after, exact.excess) == ("settled", D("0.00"), D("0.00"))
    large = settle(D("100.00"), D("102.37"))
    assert (large.status, large.applied, large.excess) == ("settled", D("100.00"), D("2.37"))
    with pytest.raises(ValueError):
        settle(D("0.00"), D("1.00"))


def test_the_credit_adds_the_discount_granted_and_never_the_fee():
    record = BankRecord("cnab400", "237", "f", 2, "06", "Liquidação", True, paid=D("95.00"), discount=D("4.00"),
                        rebate=D("1.00"), fee=D("3.50"), interest=D("0.00"))
    assert credit(record) == D("100.00")


def _record(nosso: str, paid: str, code: str = "06", day: date = date(2026, 12, 1), is_payment: bool = True):
    return BankRecord("cnab400", "237", "f", 2, code, "x", is_payment, nosso_numero=nosso, occurred_on=day,
                      paid=D(paid))


def test_two_payments_of_one_title_in_one_run_lower_the_balance_in_turn():
    index = Index([Open(1, "A", "1", "11", D("100.00"))])
    first, second, third = plan([_record("11", "70.00"), _record("11", "50.00", day=date(2026, 12, 2)),
                                 _record("11", "5.00", day=date(2026, 12, 3))], index, set())
    assert (first.status, first.applied) == ("partial", D("70.00"))
    assert (second.status, second.applied, second.excess) == ("settled", D("30.00"), D("20.00"))
    assert third.status == "review" and "já estava quitada" in third.reason  # paid twice: a person decides


def test_the_same_record_twice_in_one_run_is_applied_once():
    index = Index([Open(1, "A", "1", "11", D("100.00"))])
    outcomes = plan([_record("11", "10.00"), _record("11", "10.00")], index, set())
    assert [o.status for o in outcomes] == ["partial", "duplicate"]
    assert index.by_id[1].balance == D("90.00")


def test_a_non_payment_never_touches_a_balance():
    index = Index([Open(1, "A", "1", "11", D("100.00"))])
    (outcome,) = plan([_record("11", "100.00", code="09", is_payment=False)], index, set())
    assert outcome.status == "not_payment" and index.by_id[1].balance == D("100.00")


def test_a_document_with_a_slash_is_found_whole_before_an_installment_is_read_from_it():
    index = Index([Open(1, "200/A", "1", None, D("89.90")), Open(2, "200", "1", None, D("10.00")),
                   Open(3, "200", "2", None, D("20.00"))])
    record = BankRecord("cnab400", "237", "f", 2, "06", "x", True, document="200/A", occurred_on=date(2026, 12, 1),
                        paid=D("89.90"))
    (outcome,) = plan([record], index, set())
    assert (outcome.status, outcome.receivable_id) == ("settled", 1)
    by_installment = BankRecord("cnab400", "237", "f", 3, "06", "x", True, document="0200/2",
                                occurred_on=date(2026, 12, 1), paid=D("20.00"))
    assert plan([by_installment], index, set())[0].receivable_id == 3
