"""What a payment does to a balance: the one rule, in Decimal, tested to the cent."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .records import ZERO, BankRecord

SETTLED, PARTIAL, NOT_PAYMENT, REVIEW, DUPLICATE = "settled", "partial", "not_payment", "review", "duplicate"
STATUS_LABELS = {SETTLED: "quitada", PARTIAL: "pagamento parcial", NOT_PAYMENT: "não é pagamento",
                 REVIEW: "a revisar", DUPLICATE: "já aplicado"}


def credit(record: BankRecord) -> Decimal:
    """What discharges the debt: the amount the customer paid (fine and interest included) plus the discount and
    rebate the company granted on the boleto. The bank's fee (tarifa) is the company's cost and never counts."""
    return (record.paid + record.discount + record.rebate).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Settlement:
    status: str  # SETTLED or PARTIAL
    applied: Decimal  # what the balance goes down by
    excess: Decimal  # paid beyond the balance: charges received (fine, interest, over-payment)
    balance_after: Decimal


def settle(balance: Decimal, amount: Decimal) -> Settlement:
    """A payment of `amount` on an open `balance`: smaller is partial; equal or larger settles, the rest is excess."""
    if balance <= ZERO:
        raise ValueError("settle: the receivable has no open balance")
    applied = min(amount, balance)
    return Settlement(SETTLED if applied == balance else PARTIAL, applied, amount - applied, balance - applied)
