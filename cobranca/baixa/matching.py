"""Which receivable a bank record pays: by nosso número, else by the document sent as seu número; a payment
that matches none or several goes to the review list (never dropped, never guessed)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .numbers import document_key, installment_key, nosso_numero_key, plain_document
from .records import ZERO, BankRecord
from .settle import DUPLICATE, NOT_PAYMENT, REVIEW, credit, settle


@dataclass(slots=True)
class Open:
    """A receivable as matching sees it; `balance` goes down as the run applies payments."""

    id: int
    document: str
    installment: str
    nosso_numero: str | None
    balance: Decimal
    due_date: date | None = None
    customer: str | None = None
    tax_id: str | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    record: BankRecord
    status: str
    receivable_id: int | None = None
    applied: Decimal = ZERO
    excess: Decimal = ZERO
    reason: str = ""


class Index:
    """Receivables by normalised nosso número and by document (those without a nosso número)."""

    def __init__(self, receivables: Iterable[Open]):
        self.by_id: dict[int, Open] = {}
        self.by_nosso: dict[str, list[Open]] = {}
        self.by_document: dict[str, list[Open]] = {}
        for rec in receivables:
            self.by_id[rec.id] = rec
            key = nosso_numero_key(rec.nosso_numero)
            if key:
                self.by_nosso.setdefault(key, []).append(rec)
            else:
                self.by_document.setdefault(plain_document(rec.document), []).append(rec)

    def find(self, record: BankRecord) -> tuple[list[Open], str]:
        """(candidates, how they were found); one candidate is a match."""
        key = nosso_numero_key(record.nosso_numero)
        if key and key in self.by_nosso:
            return self.by_nosso[key], f"nosso número {record.nosso_numero}"
        document, installment = plain_document(record.document), None
        found = self.by_document.get(document, []) if document else []  # the whole text first ('200/A')
        if not found:
            document, installment = document_key(record.document)
            found = self.by_document.get(document, []) if document else []
        if installment is not None:
            found = [r for r in found if installment_key(r.installment) == installment]
        elif len(found) > 1:
            found = [r for r in found if r.balance > ZERO] or found
        if found:
            return found, f"seu número {record.document}"
        parts = ([f"nosso número {record.nosso_numero}"] if key else []) + (
            [f"seu número {record.document}"] if document else [])
        what = " nem ".join(parts)
        return [], f"nenhuma conta com {what or 'identificação'}"


def plan(records: Iterable[BankRecord], index: Index, known: set[str],
         decider: Callable[[BankRecord], Outcome] | None = None) -> list[Outcome]:
    """What applying `records` in order would do; `known` are keys applied before (they change nothing)."""
    decider = decider or (lambda record: decide(record, index))
    seen = set(known)
    out = []
    for record in records:
        if record.key in seen:
            out.append(Outcome(record, DUPLICATE, reason="registro já aplicado antes"))
            continue
        seen.add(record.key)
        out.append(decider(record) if record.is_payment else decide(record, index))
    return out


def decide(record: BankRecord, index: Index) -> Outcome:
    """One record's outcome (and the matched receivable's balance lowered in the index)."""
    if not record.is_payment:
        return Outcome(record, NOT_PAYMENT, reason=record.description)
    amount = credit(record)
    if amount <= ZERO:
        return Outcome(record, REVIEW, reason="liquidação sem valor pago")
    candidates, how = index.find(record)
    if len(candidates) != 1:
        reason = how if not candidates else f"{len(candidates)} contas com {how}"
        return Outcome(record, REVIEW, reason=reason)
    return apply_to(record, candidates[0], how)


def apply_to(record: BankRecord, target: Open, how: str) -> Outcome:
    if target.balance <= ZERO:
        return Outcome(record, REVIEW, target.id, reason=f"a conta {target.document}/{target.installment} já "
                                                          "estava quitada (pagamento em duplicidade?)")
    done = settle(target.balance, credit(record))
    target.balance = done.balance_after
    return Outcome(record, done.status, target.id, done.applied, done.excess, how)


__all__ = ["DUPLICATE", "NOT_PAYMENT", "REVIEW", "Index", "Open", "Outcome", "apply_to", "decide", "plan"]
