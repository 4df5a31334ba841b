"""Facade: portfolios (the analyst responsible for each customer) and leases ("em atendimento por X")."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd

from ..core import formatting as fmt
from ..core.errors import InputError
from ..receivables.filters import Filter
from ..store import lease_claims
from ..store import portfolio as records
from .base import clean_text

LEASE_MINUTES = 5


def round_robin(customer_ids: list[int], analysts: list[str]) -> list[tuple[int, str]]:
    """Customers dealt in turn to the analysts (in the given order): counts differ by at most one."""
    return [(cid, analysts[i % len(analysts)]) for i, cid in enumerate(customer_ids)]


class PortfolioMixin:
    def current_analyst(self) -> str:
        """Who "Minha carteira" and leases are for: `db.analyst` when set (the dashboard's name), else the user."""
        return self._who(getattr(self, "analyst", None))

    def _analyst_name(self, name: str | None) -> str:
        analyst = clean_text(name, "Analista", multiline=False)
        if not analyst:
            raise InputError("Informe o nome do analista.")
        if len(analyst) > 100:
            raise InputError("O nome do analista pode ter no máximo 100 caracteres.")
        return analyst

    def assign_customer(self, customer: str | int, analyst: str, by: str | None = None) -> dict:
        """Make `analyst` responsible for one customer (code, CPF/CNPJ, exact name or id)."""
        analyst = self._analyst_name(analyst)
        with self._tx() as con:
            found = self.find_customer(customer)
            records.assign(con, [(found["id"], analyst)], self._who(by), self._stamp())
        return {**found, "analyst": analyst}

    def filter_customers(self, flt: Filter | str | None, as_of: date | None = None) -> list[int]:
        """Customer ids of a filter's worklist on `as_of` (paused receivables included), in the worklist's order."""
        frame = self.worklist(flt, as_of, include_paused=True)
        return list(dict.fromkeys(int(c) for c in frame["customer_id"]))

    def assign_filter(self, flt: Filter | str | None, analyst: str, by: str | None = None,
                      as_of: date | None = None) -> int:
        """Make `analyst` responsible for every customer of the filter; returns how many."""
        analyst = self._analyst_name(analyst)
        with self._tx() as con:
            ids = self.filter_customers(flt, as_of)
            return records.assign(con, [(cid, analyst) for cid in ids], self._who(by), self._stamp())

    def split_filter(self, flt: Filter | str | None, analysts: list[str], by: str | None = None,
                     as_of: date | None = None) -> dict[str, int]:
        """Deal the filter's customers in turn among `analysts` (most overdue first); customers per analyst."""
        names = list(dict.fromkeys(self._analyst_name(a) for a in analysts))
        if not names:
            raise InputError("Informe ao menos um analista para dividir a carteira.")
        with self._tx() as con:
            pairs = round_robin(self.filter_customers(flt, as_of), names)
            records.assign(con, pairs, self._who(by), self._stamp())
        counts = dict.fromkeys(names, 0)
        for _, name in pairs:
            counts[name] += 1
        return counts

    def unassign_customer(self, customer: str | int) -> dict:
        with self._tx() as con:
            found = self.find_customer(customer)
            records.unassign(con, [found["id"]])
        return found

    def portfolio(self, analyst: str | None = None) -> pd.DataFrame:
        """Assigned customers (all, or one analyst's) with open receivables and balance."""
        with self._con() as con:
            return records.listing(con, clean_text(analyst, "Analista", multiline=False))

    # -- leases: who has the customer's contact form open -------------------------------------
    def take_lease(self, customer_id: int, analyst: str | None = None, at: datetime | None = None,
                   minutes: int = LEASE_MINUTES) -> datetime:
        """Mark the customer as being served by `analyst` until now + `minutes`; returns the expiry."""
        at = self._stamp(at)
        expires = at + timedelta(minutes=minutes)
        with self._tx() as con:
            records.take_lease(con, int(customer_id), self._who(analyst or getattr(self, "analyst", None)), at,
                               expires)
        return self._shown_value(expires)

    def release_lease(self, customer_id: int, analyst: str | None = None) -> None:
        with self._tx() as con:
            records.release_lease(con, int(customer_id), self._who(analyst or getattr(self, "analyst", None)))

    def leases(self, customer_id: int, now: datetime | None = None) -> list[dict]:
        """Leases not yet expired on the customer: analyst, started_at, expires_at."""
        with self._con() as con:
            leases = records.active_leases(con, int(customer_id), self._stamp(now))
        return [{**lease, "started_at": self._shown_value(lease["started_at"]),
                 "expires_at": self._shown_value(lease["expires_at"])} for lease in leases]

    # -- claims: a lease only one analyst may hold (atomic across processes; store/lease_claims.py) ------------
    def claim_customer(self, customer_id: int, analyst: str | None = None,
                       minutes: int = LEASE_MINUTES) -> dict:
        """Serve the customer alone: take `analyst`'s lease unless another analyst holds one. Returns claimed,
        analyst (who serves it), expires_at (company time) and, when refused, the pt-BR message."""
        who = self._who(analyst or getattr(self, "analyst", None))
        at = self._stamp(None)
        with self._tx() as con:
            taken = lease_claims.claim(con, int(customer_id), who, at, at + timedelta(minutes=minutes))
        if not taken:
            return {"customer_id": int(customer_id), "claimed": True, "analyst": who,
                    "expires_at": self._shown_value(at + timedelta(minutes=minutes)), "message": None}
        expires = self._shown_value(max(e for _, e in taken))
        names = ", ".join(name for name, _ in taken)
        return {"customer_id": int(customer_id), "claimed": False, "analyst": names, "expires_at": expires,
                "message": f"Em atendimento por {names} até {fmt.moment(expires)}."}

    def claim_next_customer(self, flt: Filter | str | None = None, analyst: str | None = None,
                            as_of: date | None = None, minutes: int = LEASE_MINUTES) -> dict | None:
        """The next customer of the filter's worklist (most overdue first) that nobody else is serving, claimed
        for `analyst` (skipping those another process is claiming right now); None when every one is taken."""
        who = self._who(analyst or getattr(self, "analyst", None))
        ids = self.filter_customers(flt, as_of)
        at = self._stamp(None)
        with self._tx() as con:
            found = lease_claims.claim_next(con, ids, who, at, at + timedelta(minutes=minutes))
        if found is None:
            return None
        return {"customer_id": int(found), "claimed": True, "analyst": who,
                "expires_at": self._shown_value(at + timedelta(minutes=minutes)), "message": None}
