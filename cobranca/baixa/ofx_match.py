"""Which receivable an OFX credit pays: the Pix txid cobranca issued when the statement carries it; otherwise
the exact amount (balance, or the updated amount on a day up to WINDOW_DAYS before the credit), narrowed by
the payer's CPF/CNPJ or name when present. A unique match may be applied; anything else goes to review."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from datetime import date, timedelta
from decimal import Decimal

from ..pix import brcode as pix
from ..receivables import rules
from .matching import Index, Open, Outcome, apply_to
from .records import ZERO, BankRecord
from .settle import REVIEW

WINDOW_DAYS = 3
_TOKEN = re.compile(r"[A-Za-z0-9]+")


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).upper().split())


class OfxIndex:
    """Open receivables by txid and by balance (sorted, for the amount search)."""

    def __init__(self, index: Index, charge_rules: rules.ChargeRules):
        self.index = index
        self.rules = charge_rules
        self.by_txid = {pix.txid_for_receivable(r.document, r.installment).upper(): r for r in index.by_id.values()}
        opens = sorted((r for r in index.by_id.values() if r.balance > ZERO), key=lambda r: r.balance)
        self.balances = [r.balance for r in opens]
        self.opens = opens

    def by_amount(self, amount: Decimal, day: date) -> list[Open]:
        """Open receivables whose balance or updated amount on a day of the window is exactly `amount`."""
        low = bisect_left(self.balances, amount / Decimal(2))
        high = bisect_right(self.balances, amount)
        days = [day - timedelta(days=k) for k in range(WINDOW_DAYS + 1)]
        found = []
        for r in self.opens[low:high]:
            if r.balance <= ZERO:
                continue
            if r.balance == amount or (r.due_date and any(
                    rules.charges(r.balance, ZERO, r.due_date, d, self.rules).updated_amount == amount for d in days)):
                found.append(r)
        return found


def _narrow(record: BankRecord, candidates: list[Open]) -> list[Open]:
    if record.payer_tax_id:
        return [r for r in candidates if re.sub(r"\D", "", r.tax_id or "") == record.payer_tax_id]
    words = _plain(record.description)
    named = [r for r in candidates if r.customer and _plain(r.customer) in words]
    return named or candidates


def decide(record: BankRecord, ofx: OfxIndex) -> Outcome:
    for token in _TOKEN.findall(f"{record.description} {record.document}"):
        target = ofx.by_txid.get(token.upper())
        if target is not None:
            return apply_to(record, target, f"txid Pix {token}")
    candidates = _narrow(record, ofx.by_amount(record.paid, record.paid_on))
    if len(candidates) == 1:
        return apply_to(record, candidates[0], "valor exato" + (" e pagador" if record.payer_tax_id else ""))
    if not candidates:
        return Outcome(record, REVIEW, reason="nenhuma conta em aberto com este valor")
    names = ", ".join(f"{r.document}/{r.installment}" for r in candidates[:5])
    return Outcome(record, REVIEW, reason=f"{len(candidates)} contas com este valor ({names}): escolha a conta")
