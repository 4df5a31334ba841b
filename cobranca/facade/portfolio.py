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


def _analyst_name(name: str | None) -> str:
    analyst = clean_text(name, "Analista", multiline=False)
    if not analyst:
        raise InputError("Informe o nome do analista.")
    if len(analyst) > 100:
        raise InputError("O nome do analista pode ter no máximo 100 caracteres.")
    return analyst


class Portfolio:
    """`db.portfolio`: analyst, set_analyst, assign, unassign, assign_filter, split_filter, filter_customers,
    listing, take_lease, release_lease, leases."""

    def __init__(self, db, analyst: str | None = None):
        self.db = db
        self._analyst = clean_text(analyst, "Analista", multiline=False) if analyst else None

    def analyst(self) -> str:
        """Who "Minha carteira" and leases are for: the analyst given to `open_db` (or `set_analyst`), else the
        user."""
        return self.db._who(self._analyst)

    def set_analyst(self, name: str | None) -> None:
        """From now on "Minha carteira" and leases are for `name` (None: the user) — the dashboard's Responsável."""
        self._analyst = clean_text(name, "Analista", multiline=False) if name else None

    def assign(self, customer: str | int, analyst: str, by: str | None = None) -> dict:
        """Make `analyst` responsible for one customer (code, CPF/CNPJ, exact name or id)."""
        analyst = _analyst_name(analyst)
        with self.db._tx() as con:
            found = self.db.customers.find(customer)
            records.assign(con, [(found["id"], analyst)], self.db._who(by), self.db._stamp())
        return {**found, "analyst": analyst}

    def filter_customers(self, flt: Filter | str | None, as_of: date | None = None) -> list[int]:
        """Customer ids of a filter's worklist on `as_of` (paused receivables included), in the worklist's order."""
        frame = self.db.worklists.rows(flt, as_of, include_paused=True)
        return list(dict.fromkeys(int(c) for c in frame["customer_id"]))

    def assign_filter(self, flt: Filter | str | None, analyst: str, by: str | None = None,
                      as_of: date | None = None) -> int:
        """Make `analyst` responsible for every customer of the filter; returns how many."""
        analyst = _analyst_name(analyst)
        with self.db._tx() as con:
            ids = self.filter_customers(flt, as_of)
            return records.assign(con, [(cid, analyst) for cid in ids], self.db._who(by), self.db._stamp())

    def split_filter(self, flt: Filter | str | None, analysts: list[str], by: str | None = None,
                     as_of: date | None = None) -> dict[str, int]:
        """Deal the filter's customers in turn among `analysts` (most overdue first); customers per analyst."""
        names = list(dict.fromkeys(_analyst_name(a) for a in analysts))
        if not names:
            raise InputError("Informe ao menos um analista para dividir a carteira.")
        with self.db._tx() as con:
            pairs = round_robin(self.filter_customers(flt, as_of), names)
            records.assign(con, pairs, self.db._who(by), self.db._stamp())
        counts = dict.fromkeys(names, 0)
        for _, name in pairs:
            counts[name] += 1
        return counts

    def unassign(self, customer: str | int) -> dict:
        """The customer leaves every portfolio."""
        with self.db._tx() as con:
            found = self.db.customers.find(customer)
            records.unassign(con, [found["id"]])
        return found

    def listing(self, analyst: str | None = None) -> pd.DataFrame:
        """Assigned customers (all, or one analyst's) with open receivables and balance."""
        with self.db._con() as con:
            return records.listing(con, clean_text(analyst, "Analista", multiline=False))

    # -- leases: who has the customer's contact form open -------------------------------------
    def take_lease(self, customer_id: int, analyst: str | None = None, at: datetime | None = None,
                   minutes: int = LEASE_MINUTES) -> datetime:
        """Mark the customer as being served by `analyst` until now + `minutes`; returns the expiry."""
        at = self.db._stamp(at)
        expires = at + timedelta(minutes=minutes)
        with self.db._tx() as con:
            records.take_lease(con, int(customer_id), self._lessee(analyst), at, expires)
        return self.db._shown_value(expires)

    def release_lease(self, customer_id: int, analyst: str | None = None) -> None:
        """The analyst closed the customer's contact form: their lease ends now."""
        with self.db._tx() as con:
            records.release_lease(con, int(customer_id), self._lessee(analyst))

    def _lessee(self, analyst: str | None) -> str:
        return self.db._who(analyst) if analyst else self.analyst()

    def leases(self, customer_id: int, now: datetime | None = None) -> list[dict]:
        """Leases not yet expired on the customer: analyst, started_at, expires_at."""
        with self.db._con() as con:
            leases = records.active_leases(con, int(customer_id), self.db._stamp(now))
        return [{**lease, "started_at": self.db._shown_value(lease["started_at"]),
                 "expires_at": self.db._shown_value(lease["expires_at"])} for lease in leases]

    # -- claims: a lease only one analyst may hold (atomic across processes; store/lease_claims.py) ------------
    def claim(self, customer_id: int, analyst: str | None = None,
                       minutes: int = LEASE_MINUTES) -> dict:
        """Serve the customer alone: take `analyst`'s lease unless another analyst holds one. Returns claimed,
        analyst (who serves it), expires_at (company time) and, when refused, the pt-BR message."""
        who = self._lessee(analyst)
        at = self.db._stamp(None)
        with self.db._tx() as con:
            taken = lease_claims.claim(con, int(customer_id), who, at, at + timedelta(minutes=minutes))
        if not taken:
            return {"customer_id": int(customer_id), "claimed": True, "analyst": who,
                    "expires_at": self.db._shown_value(at + timedelta(minutes=minutes)), "message": None}
        expires = self.db._shown_value(max(e for _, e in taken))
        names = ", ".join(name for name, _ in taken)
        return {"customer_id": int(customer_id), "claimed": False, "analyst": names, "expires_at": expires,
                "message": f"Em atendimento por {names} até {fmt.moment(expires)}."}

    def claim_next(self, flt: Filter | str | None = None, analyst: str | None = None,
                   as_of: date | None = None, minutes: int = LEASE_MINUTES, among: list[int] | None = None,
                   skip_contacted_today: bool = False) -> dict | None:
        """The next customer of the filter's worklist (most overdue first) that nobody else is serving, claimed
        for `analyst` (skipping those another process is claiming right now); None when every one is taken.
        `among`: these customer ids, in this order, instead of the filter's (the dashboard's list);
        `skip_contacted_today`: customers with a contact today (company day) are not handed out either."""
        who = self._lessee(analyst)
        ids = self.filter_customers(flt, as_of) if among is None else [int(i) for i in among]
        at = self.db._stamp(None)
        today = self.db._day_bounds(self.db.today()) if skip_contacted_today else None
        with self.db._tx() as con:
            found = lease_claims.claim_next(con, ids, who, at, at + timedelta(minutes=minutes), uncontacted=today)
        if found is None:
            return None
        return {"customer_id": int(found), "claimed": True, "analyst": who,
                "expires_at": self.db._shown_value(at + timedelta(minutes=minutes)), "message": None}
