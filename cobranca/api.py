"""The Python facade used by notebooks, the CLI and the dashboard: `open_db()` returns a `Cobranca`."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from . import settings as settings_mod
from .errors import AmbiguousError, InputError, NotFoundError
from .facade.pix import PixMixin
from .filters import CHANNELS, Filter, normalise_channel
from .rules import ChargeRules
from .store import Store

MAX_TEXT = 10_000


def default_db_path() -> Path:
    """COBRANCA_DB, else data/cobranca.duckdb of the source checkout, else of the current folder."""
    env = os.environ.get("COBRANCA_DB", "").strip()
    if env:
        return Path(env)
    checkout = Path(__file__).resolve().parents[1]
    if (checkout / "pyproject.toml").exists():
        return checkout / "data" / "cobranca.duckdb"
    return Path.cwd() / "data" / "cobranca.duckdb"


def open_db(db: str | Path | None = None, wait_seconds: float | None = None) -> Cobranca:
    """Open (creating and migrating if needed) the database at `db` or the default path."""
    return Cobranca(Store(Path(db) if db else default_db_path(), wait_seconds=wait_seconds))


def _valid_unicode(text: str, label: str) -> str:
    """`text` unless it holds characters that cannot be stored (lone surrogates from undecodable bytes)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(f"{label} contém caracteres inválidos (bytes que não são texto); digite-o de novo.") from exc
    return text


def _clean_text(value: str | None, label: str) -> str | None:
    if value is None:
        return None
    text = _valid_unicode(str(value).strip(), label)
    if len(text) > MAX_TEXT:
        raise InputError(f"{label} longo demais ({len(text)} caracteres; máximo {MAX_TEXT}).")
    return text or None


class Cobranca(PixMixin):
    """One collections database: receivables, filters, worklists and the contact log."""

    def __init__(self, store: Store):
        self.store = store

    @property
    def path(self) -> Path:
        return self.store.path

    # -- settings ----------------------------------------------------------------------------
    def settings(self) -> dict[str, Any]:
        """Every setting, typed, stored values over defaults."""
        return settings_mod.typed(self.store.settings())

    def set_setting(self, key: str, value: str) -> str | None:
        """Store a setting after validating it; returns a pt-BR warning when the value is unwise."""
        self.store.set_setting(key, settings_mod.text_to_store(key, value))
        return settings_mod.warning_for(key, value)

    def rules(self) -> ChargeRules:
        return settings_mod.charge_rules(self.settings())

    def counts(self) -> dict[str, int]:
        """Rows per table: customers, receivables, contacts, filters."""
        return self.store.counts()

    # -- import ------------------------------------------------------------------------------
    def import_file(self, path: str | Path, mapping: dict[str, str] | None = None,
                    skip_invalid: bool = False, progress=None):
        """Import a CSV, XLSX or Parquet export (all or nothing unless `skip_invalid`)."""
        from .importer import import_file

        return import_file(self.store, path, mapping=mapping, skip_invalid=skip_invalid, progress=progress)

    def import_bytes(self, data: bytes, filename: str, mapping: dict[str, str] | None = None,
                     skip_invalid: bool = False, progress=None):
        """Import an uploaded file's content; `filename` picks the format and names it in messages."""
        from .importer import import_bytes

        return import_bytes(self.store, data, filename, mapping=mapping, skip_invalid=skip_invalid, progress=progress)

    # -- filters -----------------------------------------------------------------------------
    def filters(self) -> list[Filter]:
        return self.store.filters()

    def get_filter(self, name: str) -> Filter:
        """The saved filter called `name` (case-insensitive)."""
        wanted = str(name).strip().lower()
        found = [f for f in self.filters() if f.description.lower() == wanted]
        if not found:
            names = "; ".join(f.description for f in self.filters())
            raise NotFoundError(f"Filtro '{name}' não encontrado. Filtros salvos: {names}.")
        return found[0]

    def add_filter(self, flt: Filter | None = None, **fields) -> Filter:
        """Save a new filter; returns it with its id."""
        new = (flt or Filter(**fields)).validated()
        return replace(new, id=self.store.add_filter(replace(new, id=None)))

    def update_filter(self, name_or_id: str | int, **changes) -> Filter:
        """Change fields of a saved filter."""
        current = self._filter_by(name_or_id)
        updated = replace(current, **changes).validated()
        self.store.update_filter(updated)
        return updated

    def delete_filter(self, name_or_id: str | int) -> None:
        self.store.delete_filter(self._filter_by(name_or_id).id)

    def _filter_by(self, name_or_id: str | int) -> Filter:
        if isinstance(name_or_id, int):
            for flt in self.filters():
                if flt.id == name_or_id:
                    return flt
            raise NotFoundError(f"Filtro não encontrado (id {name_or_id}); ele pode ter sido excluído em outra aba.")
        return self.get_filter(name_or_id)

    # -- worklist ----------------------------------------------------------------------------
    def resolve_filter(self, flt: Filter | str | None) -> Filter:
        if flt is None:
            return Filter(description="Todas as vencidas e vencendo hoje", min_days=0).validated()
        if isinstance(flt, str):
            return self.get_filter(flt)
        return flt.validated() if flt.id is None else flt

    def worklist(self, flt: Filter | str | None = None, as_of: date | None = None,
                 limit: int | None = None) -> pd.DataFrame:
        """Open receivables matching `flt` on `as_of` (default today) with charges and last contact.

        Most overdue first; `limit` keeps only the first rows (see `worklist_totals` for the whole).
        """
        return self.store.worklist(self.resolve_filter(flt), as_of or date.today(), self.rules(), limit)

    def worklist_page(self, flt: Filter | str | None = None, as_of: date | None = None,
                      limit: int = 5000) -> tuple[pd.DataFrame, dict]:
        """`worklist(limit=limit)` and `worklist_totals()` together, reading the database once."""
        return self.store.worklist_page(self.resolve_filter(flt), as_of or date.today(), self.rules(), limit)

    def worklist_totals(self, flt: Filter | str | None = None, as_of: date | None = None) -> dict:
        """receivables, customers, balance, updated_amount (exact Decimals) and contacted_today of a worklist."""
        return self.store.worklist_totals(self.resolve_filter(flt), as_of or date.today(), self.rules())

    # -- receivables and contacts ------------------------------------------------------------
    def receivable(self, document: str, installment: str | None = None) -> dict:
        """The one receivable named by `document` (+ `installment` when several are open)."""
        document = _valid_unicode(str(document).strip(), "Documento")
        if installment is not None:
            installment = _valid_unicode(str(installment).strip(), "Parcela")
        rows = self.store.receivables_of_document(document)
        if rows.empty:
            similar = self.store.similar_documents(document)
            hint = f" Documentos parecidos: {', '.join(similar)}." if similar else ""
            raise NotFoundError(f"Documento '{document}' não encontrado.{hint}")
        if installment is not None:
            match = rows[rows["installment"] == str(installment).strip()]
            if match.empty:
                options = ", ".join(rows["installment"])
                raise NotFoundError(
                    f"Documento '{document}' não tem a parcela '{installment}'. Parcelas: {options}."
                )
            return match.iloc[0].to_dict()
        open_rows = rows[rows["balance"] > Decimal(0)]
        candidates = open_rows if len(open_rows) else rows
        if len(candidates) > 1:
            options = ", ".join(candidates["installment"])
            raise AmbiguousError(
                f"Documento '{document}' tem {len(candidates)} parcelas em aberto ({options}). "
                "Informe qual com --installment."
            )
        return candidates.iloc[0].to_dict()

    def register_contact(self, document: str, installment: str | None = None, channel: str = "WhatsApp",
                         to: str | None = None, message: str | None = None, observation: str | None = None,
                         by: str | None = None, at: datetime | None = None) -> int:
        """Log one contact with the customer about a receivable; returns its id."""
        # With the installment known (the dashboard), the store checks existence in the same transaction:
        # one connection instead of two keeps registration fast.
        key = None
        if installment is not None:
            key = (_valid_unicode(str(document).strip(), "Documento"), _valid_unicode(str(installment).strip(), "Parcela"))
        if key is None:
            rec = self.receivable(document, installment)
            key = (rec["document"], rec["installment"])
        return self.store.add_contact(
            key[0], key[1], normalise_channel(channel), self._who(by),
            _clean_text(to, "Destino"), _clean_text(message, "Mensagem"), _clean_text(observation, "Observação"),
            at or datetime.now(),
        )

    def register_comment(self, document: str, text: str, installment: str | None = None,
                         by: str | None = None, at: datetime | None = None) -> int:
        """Log a comment (an entry with channel Nenhum and the text as its observation)."""
        comment = _clean_text(text, "Comentário")
        if not comment:
            raise InputError("Digite o comentário antes de registrar.")
        return self.register_contact(document, installment, "Nenhum", observation=comment, by=by, at=at)

    def cancel_last_contact(self, document: str, installment: str | None = None, by: str | None = None) -> dict:
        """Mark the newest entry of the receivable as cancelled (kept, but hidden from history)."""
        rec = self.receivable(document, installment)
        return self.store.cancel_last_contact(rec["document"], rec["installment"], self._who(by), datetime.now())

    def history(self, document: str, installment: str | None = None, include_cancelled: bool = False) -> pd.DataFrame:
        """Contact entries of one receivable, newest first."""
        rec = self.receivable(document, installment)
        return self.store.history([(rec["document"], rec["installment"])], include_cancelled)

    def histories(self, keys: list[tuple[str, str]]) -> pd.DataFrame:
        """Non-cancelled entries of many receivables at once, newest first (for reports)."""
        return self.store.history(keys)

    def contacts_per_day(self, since: date, until: date) -> pd.DataFrame:
        return self.store.contacts_per_day(since, until)

    @staticmethod
    def _who(by: str | None) -> str:
        name = _clean_text(by, "Responsável") if by else None
        return name or settings_mod.default_responsible()


__all__ = ["CHANNELS", "Cobranca", "Filter", "default_db_path", "open_db"]
