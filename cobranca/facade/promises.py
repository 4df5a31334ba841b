"""Facade: promises to pay and disputes (a disputed receivable is paused until the dispute is resolved)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ..core.calendar import parse_date
from ..core.errors import InputError
from ..core.money import MAX_AMOUNT, parse_money, round_cents
from ..core.text import cut
from ..promises.history_events import DISPUTE, PROMISE, RESOLVE
from ..promises.status import check_promise_date, fulfilment_rate
from ..store import promises as records
from .base import clean_text


class Promises:
    """`db.promises`: register, open_dispute, resolve_dispute, kpis."""

    def __init__(self, db):
        self.db = db

    def register(self, document: str, installment: str | None = None, due: date | str | None = None,
                 amount: Decimal | None = None, note: str | None = None, by: str | None = None,
                 at: datetime | None = None) -> dict:
        """Promise to pay `amount` (default: the updated amount today) by `due` (today or later).

        Replaces the active promise (the old one stays in the history). Returns the entry.
        """
        if due is None or (isinstance(due, str) and not due.strip()):
            raise InputError("Informe a data prometida para o pagamento.")
        try:
            due = parse_date(due)
            check_promise_date(due, self.db.today())
        except ValueError as exc:
            raise InputError(f"Data da promessa inválida: {exc}.") from exc
        note = clean_text(note, "Observação")
        with self.db._tx() as con:
            row = self.db.worklists.row(document, installment, self.db.today())
            amount = row["updated_amount"] if amount is None else _amount(amount)
            event_id = records.add_receivable_event(
                con, int(row["receivable_id"]), PROMISE, self.db._who(by), self.db._stamp(at), note, due, amount,
                row["balance"])
        return {"id": event_id, "document": row["document"], "installment": row["installment"],
                "promise_date": due, "amount": amount}

    def open_dispute(self, document: str, installment: str | None = None, reason: str | None = None,
                     by: str | None = None, at: datetime | None = None) -> dict:
        """Open a dispute (contestação) with its reason: the receivable is paused until resolved."""
        reason = clean_text(reason, "Motivo")
        if not reason:
            raise InputError("Informe o motivo da contestação.")
        with self.db._tx() as con:
            rec = self.db.receivables.find(document, installment)
            if records.dispute_open(con, int(rec["receivable_id"])):
                raise InputError(f"O documento {rec['document']}, parcela {rec['installment']}, já está contestado; "
                                 "resolva a contestação antes de abrir outra.")
            event_id = records.add_receivable_event(con, int(rec["receivable_id"]), DISPUTE, self.db._who(by),
                                                    self.db._stamp(at), reason)
        return {"id": event_id, "document": rec["document"], "installment": rec["installment"]}

    def resolve_dispute(self, document: str, installment: str | None = None, note: str | None = None,
                        by: str | None = None, at: datetime | None = None) -> dict:
        """Close the open dispute of a receivable: it is back in the worklists."""
        note = clean_text(note, "Observação")
        with self.db._tx() as con:
            rec = self.db.receivables.find(document, installment)
            if not records.dispute_open(con, int(rec["receivable_id"])):
                raise InputError(f"O documento {rec['document']}, parcela {rec['installment']}, não tem "
                                 "contestação em aberto.")
            event_id = records.add_receivable_event(con, int(rec["receivable_id"]), RESOLVE, self.db._who(by),
                                                    self.db._stamp(at), note)
        return {"id": event_id, "document": rec["document"], "installment": rec["installment"]}

    def kpis(self, as_of: date | None = None) -> dict:
        """active (promised, not yet due), broken_open (broken, still owed), kept and broken ever, fulfilment rate."""
        with self.db._con() as con:
            counts = records.promise_counts(con, as_of or self.db.today(), self.db.company_tz().key)
        return {**counts, "fulfilment_rate": fulfilment_rate(counts["kept"], counts["broken"])}


def _amount(value) -> Decimal:
    try:
        amount = value if isinstance(value, Decimal) else parse_money(str(value))
    except ValueError as exc:
        raise InputError(f"Valor da promessa inválido: '{cut(value)}' {exc}.") from exc
    if not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT:
        raise InputError(f"Valor da promessa inválido: '{cut(value)}' (use um valor maior que zero).")
    return round_cents(amount)
