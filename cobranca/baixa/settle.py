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


# The same two rules set-wise, for the staged records of a run (columns paid, discount, rebate; balance).
# tests/test_baixa_speed.py checks both forms agree to the cent.
CREDIT_SQL = "CAST(paid + discount + rebate AS DECIMAL(18,2))"


def settle_sql(balance: str, amount: str) -> dict[str, str]:
    """settle() as SQL expressions over the columns `balance` (> 0) and `amount`: status, applied, excess."""
    applied = f"least({amount}, {balance})"
    return {"status": f"CASE WHEN {applied} = {balance} THEN '{SETTLED}' ELSE '{PARTIAL}' END",
            "applied": f"CAST({applied} AS DECIMAL(18,2))", "excess": f"CAST({amount} - {applied} AS DECIMAL(18,2))"}
