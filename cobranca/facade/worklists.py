"""Facade: worklists (a filter on a day), their totals, and the figures of named receivables."""

from __future__ import annotations

from datetime import date

import pandas as pd

from ..core.errors import InputError
from ..receivables.filters import Filter
from ..store import worklist as sql


class WorklistMixin:
    def _query(self, flt: Filter | str | None, as_of: date | None, ids: list[int] | None = None) -> sql.Query:
        flt = sql.EVERYTHING if ids is not None and flt is None else self.resolve_filter(flt)
        # the current analyst: "Minha carteira" and leaving their own leases out (facade/portfolio.py)
        day = as_of or self.today()
        return sql.Query(flt, day, self.rules(), ids, self.current_analyst(), self._day_bounds(day), self._stamp())

    def worklist(self, flt: Filter | str | None = None, as_of: date | None = None,
                 limit: int | None = None) -> pd.DataFrame:
        """Open receivables matching `flt` on `as_of` (default today) with charges and last contact.

        Most overdue first; `limit` keeps only the first rows (see `worklist_totals` for the whole).
        """
        with self._con() as con:
            return self._shown(sql.rows(con, self._query(flt, as_of), limit))

    def worklist_totals(self, flt: Filter | str | None = None, as_of: date | None = None) -> dict:
        """receivables, customers, balance, updated_amount (exact Decimals), contacted_today and by_days."""
        with self._con() as con:
            return sql.totals(con, self._query(flt, as_of))

    def worklist_page(self, flt: Filter | str | None = None, as_of: date | None = None,
                      limit: int = 5000) -> tuple[pd.DataFrame, dict]:
        """`worklist(limit=limit)` and `worklist_totals()` together, reading the database once."""
        with self._con() as con:
            query = self._query(flt, as_of)
            return self._shown(sql.rows(con, query, limit)), sql.totals(con, query)

    def worklist_rows(self, receivable_ids: list[int], as_of: date | None = None) -> pd.DataFrame:
        """The worklist columns of exactly these open receivables (whatever their days), computed in SQL."""
        with self._con() as con:
            return self._shown(sql.rows(con, self._query(None, as_of, list(receivable_ids))))

    def receivable_row(self, document: str, installment: str | None = None, as_of: date | None = None) -> dict:
        """The worklist row (figures on `as_of`) of one open receivable, due or not, whatever the saved filters."""
        with self._con():
            rec = self.receivable(document, installment)
            frame = self.worklist_rows([rec["receivable_id"]], as_of)
        if frame.empty:
            raise InputError(
                f"O documento {rec['document']}, parcela {rec['installment']}, está quitado: não há valor a cobrar."
            )
        return frame.iloc[0].to_dict()
