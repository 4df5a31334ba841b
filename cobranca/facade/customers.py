"""Facade: customers — finding one, and the customer view: every open receivable of a customer, their whole
history, one message for all, and a contact recorded against each included receivable in one transaction."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

import pandas as pd

from ..contacting.templates import Rendered, render_for_customer
from ..core.errors import AmbiguousError, InputError, NotFoundError
from ..core.text import cut
from ..promises.status import AGREEMENT
from ..store import portfolio as portfolio_records
from ..store import promises as records
from .base import clean_text


class Customers:
    """`db.customers`: find, receivables, view, message, register_contact."""

    def __init__(self, db):
        self.db = db

    def find(self, text: str | int) -> dict:
        """The customer whose code, CPF/CNPJ or exact name is `text` (or whose id is the int `text`).

        AmbiguousError lists the candidates.
        """
        if isinstance(text, int):
            with self.db._con() as con:
                found = records.customer_by_id(con, text)
            if found is None:
                raise NotFoundError("Cliente não encontrado; ele pode ter sido removido em outra aba.")
            return found
        wanted = clean_text(text, "Cliente", multiline=False)
        if not wanted:
            raise InputError("Informe o cliente (código, CPF/CNPJ ou nome exato).")
        digits = re.sub(r"\D", "", wanted)
        with self.db._con() as con:
            found = records.find_customers(con, wanted, digits if len(digits) in (11, 14) else None)
        if not found:
            raise NotFoundError(f"Cliente '{cut(wanted)}' não encontrado (use o código, o CPF/CNPJ ou o nome exato).")
        if len(found) > 1:
            listed = "; ".join(f"{c['name']} (código {c['code'] or '—'}, CPF/CNPJ {c['tax_id'] or '—'})"
                               for c in found)
            raise AmbiguousError(f"'{wanted}' corresponde a {len(found)} clientes: {listed}. "
                                 "Use o código ou o CPF/CNPJ.")
        return found[0]

    def receivables(self, customer: str | int, as_of: date | None = None) -> tuple[dict, pd.DataFrame]:
        """(customer, its open receivables with the worklist columns on `as_of`, by due date)."""
        with self.db._con() as con:
            found = self.find(customer)
            ids = portfolio_records.receivable_ids_of_customer(con, found["id"], open_only=True)
            frame = self.db.worklists.of_receivables(ids or [-1], as_of)
        frame = frame.sort_values(["due_date", "document", "installment"], kind="stable").reset_index(drop=True)
        return found, frame

    def view(self, customer: str | int, as_of: date | None = None) -> dict:
        """customer, analyst (responsible), leases, receivables (open, with days and updated amounts),
        total (Σ updated amounts), balance and history (every entry across all their documents, newest first)."""
        with self.db._con() as con:
            found, frame = self.receivables(customer, as_of)
            every = portfolio_records.receivable_ids_of_customer(con, found["id"], open_only=False)
            history = self.db.contacts.histories(every)
            analyst = portfolio_records.analyst_of(con, found["id"])
            leases = self.db.portfolio.leases(found["id"])
        owed = frame[frame["status"] != AGREEMENT]  # held by an active agreement: its installments carry the debt
        return {
            "customer": found, "analyst": analyst, "leases": leases, "receivables": frame,
            "total": sum(owed["updated_amount"], Decimal("0.00")), "balance": sum(owed["balance"], Decimal("0.00")),
            "history": history,
        }

    def message(self, customer: str | int, channel: str = "WhatsApp", as_of: date | None = None,
                receivable_ids: list[int] | None = None, by: str | None = None) -> Rendered:
        """One message for all (or the chosen) open receivables of the customer, from the per-customer templates
        (with a Pix "copia e cola" of the total when the pix_key setting is set)."""
        with self.db._con():
            _, frame = self.receivables(customer, as_of)
            if receivable_ids is None:  # by default the debt once: not the originals an agreement holds
                frame = frame[frame["status"] != AGREEMENT]
            rows = _chosen(frame, receivable_ids)
            return render_for_customer(rows.to_dict("records"), channel, self.db.settings.all(), self.db._who(by),
                                       as_of or self.db.today())

    def register_contact(self, customer: str | int, channel: str, receivable_ids: list[int] | None = None,
                         to: str | None = None, message: str | None = None, observation: str | None = None,
                         by: str | None = None, at: datetime | None = None) -> list[int]:
        """The same contact on each included open receivable of the customer, in one transaction (all or none)."""
        with self.db._tx():
            _, frame = self.receivables(customer)
            rows = _chosen(frame, receivable_ids)
            keys = list(zip(rows["document"], rows["installment"], strict=True))
            return self.db.contacts.register(keys, channel, to=to, message=message, observation=observation, by=by,
                                             at=at)


def _chosen(frame: pd.DataFrame, receivable_ids: list[int] | None) -> pd.DataFrame:
    if frame.empty:
        raise InputError("O cliente não tem contas em aberto.")
    if receivable_ids is None:
        return frame
    wanted = {int(i) for i in receivable_ids}
    chosen = frame[frame["receivable_id"].isin(wanted)]
    if chosen.empty or len(chosen) != len(wanted):
        raise InputError("Escolha contas em aberto deste cliente (alguma conta escolhida não é dele ou foi quitada).")
    return chosen
