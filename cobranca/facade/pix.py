"""Facade: Pix — the code of one receivable or of a customer's total, for the amount the worklist shows."""

from __future__ import annotations

from datetime import date

from ..core.errors import InputError, NotFoundError
from ..core.formatting import day
from ..pix import charge as pix_charge
from ..pix.charge import PixCharge
from ..receivables.filters import Filter


class Pix:
    """`db.pix`: for_receivable, for_customer."""

    def __init__(self, db):
        self.db = db

    def _pix_settings(self) -> dict:
        settings = self.db.settings.all()
        problem = pix_charge.missing_settings(settings)
        if problem:
            raise InputError(problem)
        return settings

    def for_receivable(self, document: str, installment: str | None = None,
                           as_of: date | None = None) -> tuple[PixCharge, dict]:
        """The Pix charge for the updated amount of one receivable on `as_of` (default today), and its row."""
        day_ = as_of or self.db.today()
        with self.db._con():  # one database open
            settings = self._pix_settings()
            row = self.db.worklists.row(document, installment, day_)  # the only lookup Pix amounts come from
        return pix_charge.for_row(row, settings, day_), row

    def for_customer(self, customer_code: str, as_of: date | None = None,
                         flt: Filter | str | None = None) -> tuple[PixCharge, list[dict]]:
        """One Pix charge for the total of a customer's receivables in the worklist of `flt` (default: due or
        overdue) on `as_of`, and those rows."""
        day_ = as_of or self.db.today()
        code = str(customer_code).strip()
        with self.db._con():  # one database open
            settings = self._pix_settings()
            frame = self.db.worklists.rows(flt, day_)
        rows = frame[frame["customer_code"].astype("string").fillna("").str.strip() == code].to_dict("records")
        if not rows:
            raise NotFoundError(f"O cliente de código '{code}' não tem contas vencidas ou vencendo em {day(day_)} "
                                "(ou o código não existe).")
        return pix_charge.for_customer(rows, settings, day_), rows
