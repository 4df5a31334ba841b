"""Facade: the customer view — every open receivable of a customer, their whole history, one message for all,
and a contact recorded against each included receivable in one transaction."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pandas as pd

from ..contacting.templates import Rendered, render_for_customer
from ..core.errors import InputError
from ..store import portfolio as portfolio_records


class CustomerViewMixin:
    def customer_receivables(self, customer: str | int, as_of: date | None = None) -> tuple[dict, pd.DataFrame]:
        """(customer, its open receivables with the worklist columns on `as_of`, by due date)."""
        with self._con() as con:
            found = self.find_customer(customer)
            ids = portfolio_records.receivable_ids_of_customer(con, found["id"], open_only=True)
            frame = self.worklist_rows(ids, as_of) if ids else self.worklist_rows([-1], as_of)
        frame = frame.sort_values(["due_date", "document", "installment"], kind="stable").reset_index(drop=True)
        return found, frame

    def customer_view(self, customer: str | int, as_of: date | None = None) -> dict:
        """customer, analyst (responsible), leases, receivables (open, with days and updated amounts),
        total (Σ updated amounts), balance and history (every entry across all their documents, newest first)."""
        with self._con() as con:
            found, frame = self.customer_receivables(customer, as_of)
            every = portfolio_records.receivable_ids_of_customer(con, found["id"], open_only=False)
            history = self.histories(every)
            analyst = portfolio_records.analyst_of(con, found["id"])
            leases = self.leases(found["id"])
        return {
            "customer": found, "analyst": analyst, "leases": leases, "receivables": frame,
            "total": sum(frame["updated_amount"], Decimal("0.00")), "balance": sum(frame["balance"], Decimal("0.00")),
            "history": history,
        }

    def customer_message(self, customer: str | int, channel: str = "WhatsApp", as_of: date | None = None,
                         receivable_ids: list[int] | None = None, by: str | None = None) -> Rendered:
        """One message for all (or the chosen) open receivables of the customer, from the per-customer templates
        (with a Pix "copia e cola" of the total when the pix_key setting is set)."""
        with self._con():
            _, frame = self.customer_receivables(customer, as_of)
            rows = _chosen(frame, receivable_ids)
            return render_for_customer(rows.to_dict("records"), channel, self.settings(), self._who(by),
                                       as_of or self.today())  # with the Pix of the total when pix_key is set

    def register_customer_contact(self, customer: str | int, channel: str, receivable_ids: list[int] | None = None,
                                  to: str | None = None, message: str | None = None, observation: str | None = None,
                                  by: str | None = None, at: datetime | None = None) -> list[int]:
        """The same contact on each included open receivable of the customer, in one transaction (all or none)."""
        with self._tx():
            _, frame = self.customer_receivables(customer)
            rows = _chosen(frame, receivable_ids)
            keys = list(zip(rows["document"], rows["installment"], strict=True))
            return self.register_contacts(keys, channel, to=to, message=message, observation=observation, by=by,
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
