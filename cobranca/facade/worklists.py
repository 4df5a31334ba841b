"""Facade: worklists (a filter on a day), their totals, and the figures of named receivables.

Promised (until the date) and disputed receivables leave default worklists (`include_paused` brings them back);
reading today's worklist first applies the agreements' breaks and keeps (`db.agreements.check_on_read`).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd

from ..core.errors import InputError
from ..receivables.filters import Filter
from ..store import named_rows
from ..store import worklist as sql


def _paused(flt: Filter, include_paused: bool) -> Filter:
    return replace(flt, status="all") if include_paused and flt.status is None else flt


class Worklists:
    """`db.worklists`: rows, totals, page, of_receivables, row."""

    def __init__(self, db):
        self.db = db

    def _query(self, flt: Filter | str | None, as_of: date | None, ids: list[int] | None = None,
               include_paused: bool = False) -> sql.Query:
        flt = sql.EVERYTHING if ids is not None and flt is None else _paused(self.db.filters.resolve(flt),
                                                                             include_paused)
        day = as_of or self.db.today()
        # the portfolio's analyst: "Minha carteira" and leaving their own leases out
        return sql.Query(flt, day, self.db.settings.rules(), ids, self.db.portfolio.analyst(),
                         self.db._day_bounds(day), self.db._stamp())

    def rows(self, flt: Filter | str | None = None, as_of: date | None = None, limit: int | None = None,
             include_paused: bool = False) -> pd.DataFrame:
        """Open receivables matching `flt` on `as_of` (default today) with charges and last contact.

        Most overdue first; `limit` keeps only the first rows (see `totals` for the whole).
        """
        with self.db._con() as con:
            self.db.agreements.check_on_read(as_of)  # an agreement late beyond the grace breaks before it is listed
            return self.db._shown(sql.rows(con, self._query(flt, as_of, include_paused=include_paused), limit))

    def totals(self, flt: Filter | str | None = None, as_of: date | None = None,
               include_paused: bool = False) -> dict:
        """receivables, customers, balance, updated_amount (exact Decimals), contacted_today and by_days;
        totals["promises"] holds `db.promises.kpis` (same database open)."""
        with self.db._con() as con:
            self.db.agreements.check_on_read(as_of)
            totals = sql.totals(con, self._query(flt, as_of, include_paused=include_paused))
            return {**totals, "promises": self.db.promises.kpis(as_of)}

    def page(self, flt: Filter | str | None = None, as_of: date | None = None, limit: int = 5000,
             include_paused: bool = False) -> tuple[pd.DataFrame, dict]:
        """`rows(limit=limit)` and `totals()` together, reading the database once."""
        with self.db._con() as con:
            self.db.agreements.check_on_read(as_of)
            query = self._query(flt, as_of, include_paused=include_paused)
            frame, totals = self.db._shown(sql.rows(con, query, limit)), sql.totals(con, query)
            return frame, {**totals, "promises": self.db.promises.kpis(as_of)}

    def of_receivables(self, receivable_ids: list[int], as_of: date | None = None) -> pd.DataFrame:
        """The worklist columns of exactly these open receivables (whatever their days), computed in SQL."""
        with self.db._con() as con:
            return self.db._shown(named_rows.rows(con, self._query(None, as_of, list(receivable_ids))))

    def row(self, document: str, installment: str | None = None, as_of: date | None = None) -> dict:
        """The worklist row (figures on `as_of`) of one open receivable, due or not, whatever the saved filters."""
        with self.db._con():
            rec = self.db.receivables.find(document, installment)
            frame = self.of_receivables([rec["receivable_id"]], as_of)
        if frame.empty:
            raise InputError(
                f"O documento {rec['document']}, parcela {rec['installment']}, está quitado: não há valor a cobrar."
            )
        return frame.iloc[0].to_dict()
