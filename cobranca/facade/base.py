"""What every facade mixin shares: the store, units of work, text checks and who is acting."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from .. import settings as settings_mod
from ..core.errors import InputError
from ..core.text import strip_controls
from ..store import Store, catalog

MAX_TEXT = 10_000


def valid_unicode(text: str, label: str) -> str:
    """`text` unless it holds characters that cannot be stored (lone surrogates from undecodable bytes)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(f"{label} contém caracteres inválidos (bytes que não são texto); digite-o de novo.") from exc
    return text


def clean_text(value: str | None, label: str, multiline: bool = True) -> str | None:
    """Stripped, storable text of at most MAX_TEXT characters, without control characters; None when empty.

    Multi-line text keeps line feeds and tabs; one-line text (names, subjects) gets spaces instead.
    """
    if value is None:
        return None
    text = valid_unicode(strip_controls(str(value), multiline).strip(), label)
    if len(text) > MAX_TEXT:
        raise InputError(f"{label} longo demais ({len(text)} caracteres; máximo {MAX_TEXT}).")
    return text or None


class FacadeBase:
    """Holds the store; `session()` makes every call inside it share one database open."""

    def __init__(self, store: Store):
        self.store = store

    @property
    def path(self) -> Path | None:
        """The DuckDB file (None on PostgreSQL)."""
        return self.store.path

    @property
    def location(self) -> str:
        """The database as messages may show it: the file, or the PostgreSQL URL without its password."""
        return self.store.label

    @property
    def engine(self) -> str:
        """'duckdb' or 'postgres'."""
        return self.store.engine.name

    @contextmanager
    def session(self) -> Iterator[None]:
        """A unit of work: every facade call inside uses one connection and one lock hold."""
        with self.store.session():
            yield

    def _con(self):
        """A connection for reading (the active session's, or a new one for this call)."""
        return self.store.session()

    def _tx(self):
        """A connection inside one transaction (joins the active session and transaction)."""
        return self.store.transaction()

    def schema_version(self) -> int:
        return self.store.schema_version()

    def export_tables(self, directory: Path) -> dict[str, int]:
        """A consistent Parquet copy of every table (see store/catalog.py); returns row counts."""
        with self._con() as con:
            return catalog.export_database(con, directory)

    @staticmethod
    def _who(by: str | None) -> str:
        name = clean_text(by, "Responsável", multiline=False) if by else None
        return name or settings_mod.default_responsible()


Connection = duckdb.DuckDBPyConnection
