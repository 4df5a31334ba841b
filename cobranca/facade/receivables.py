"""Facade: receivables — import, upsert, counts, and finding one by document (+ installment)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pyarrow as pa

from .. import settings as settings_mod
from ..core.errors import AmbiguousError, NotFoundError
from ..core.text import cut
from ..store import agreements as agreement_records
from ..store import receivables as records
from ..store import settings as setting_records
from .base import valid_unicode


class Receivables:
    """`db.receivables`: counts, upsert, keys, import_file, import_bytes, find."""

    def __init__(self, db):
        self.db = db

    def counts(self) -> dict[str, int]:
        """Rows per table: customers, receivables, contacts, filters."""
        with self.db._con() as con:
            return records.counts(con)

    def upsert(self, rows: pd.DataFrame | pa.Table, at: datetime | None = None,
                           keep=()) -> dict[str, int]:
        """Insert or update receivables on (document, installment) in one transaction; inserted/updated counts.

        Payments seen (paid amount or date changed) become payment events and the aging is snapshotted, both
        dated `at` (default now). `keep`: columns the source did not carry (store KEEPABLE), kept as stored.
        """
        with self.db._tx() as con:
            calendar = settings_mod.bank_calendar_from(setting_records.read_all(con))  # read in the same transaction
            newest = agreement_records.newest_receivable(con)
            counts = records.upsert(con, rows, self.db._stamp(at), self.db.company_tz(), keep=keep, calendar=calendar)
            agreement_records.link_erp_installments(con, newest)  # acordos: the ERP's new rows for our installments
            return counts

    def keys(self) -> pd.DataFrame:
        """(document, installment, receivable_id) of every stored receivable."""
        with self.db._con() as con:
            return records.keys(con)

    def import_file(self, path: str | Path, mapping: dict[str, str] | None = None,
                    skip_invalid: bool = False, progress=None):
        """Import a CSV, XLSX or Parquet export (all or nothing unless `skip_invalid`)."""
        from ..importer import import_file

        return import_file(self.db, path, mapping=mapping, skip_invalid=skip_invalid, progress=progress)

    def import_bytes(self, data: bytes, filename: str, mapping: dict[str, str] | None = None,
                     skip_invalid: bool = False, progress=None):
        """Import an uploaded file's content; `filename` picks the format and names it in messages."""
        from ..importer import import_bytes

        return import_bytes(self.db, data, filename, mapping=mapping, skip_invalid=skip_invalid, progress=progress)

    def find(self, document: str, installment: str | None = None) -> dict:
        """The one receivable named by `document` (+ `installment` when several are open), with its id."""
        document = valid_unicode(str(document).strip(), "Documento")
        if installment is not None:
            installment = valid_unicode(str(installment).strip(), "Parcela")
        with self.db._con() as con:
            rows = records.of_document(con, document)
            similar = [] if rows else records.similar_documents(con, document)
        if not rows:
            hint = f" Documentos parecidos: {', '.join(similar)}." if similar else ""
            raise NotFoundError(f"Documento '{cut(document)}' não encontrado.{hint}")
        if installment is not None:
            match = [r for r in rows if r["installment"] == installment]
            if not match:
                options = ", ".join(r["installment"] for r in rows)
                raise NotFoundError(f"Documento '{cut(document)}' não tem a parcela '{cut(installment)}'. Parcelas: {options}.")
            return match[0]
        candidates = [r for r in rows if r["balance"] > Decimal(0)] or rows
        if len(candidates) > 1:
            options = ", ".join(r["installment"] for r in candidates)
            raise AmbiguousError(
                f"Documento '{cut(document)}' tem {len(candidates)} parcelas em aberto ({options}). "
                "Informe qual com --installment."
            )
        return candidates[0]
