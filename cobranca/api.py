"""The Python facade used by notebooks, the CLI and the dashboard: `open_db()` returns a `Cobranca`.

`Cobranca` is the only door to the data; each concern's methods live in a mixin under cobranca/facade/.
`with db.session(): ...` runs several calls on one database open.
"""

from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path

from .facade.agreements import Agreements
from .facade.baixa import BaixaMixin
from .facade.base import MAX_TEXT, FacadeBase
from .facade.clock import ClockMixin
from .facade.contacts import ContactsMixin
from .facade.customers import CustomerViewMixin
from .facade.filters import FiltersMixin
from .facade.pix import PixMixin
from .facade.portfolio import PortfolioMixin
from .facade.promises import PromisesMixin
from .facade.receivables import ReceivablesMixin
from .facade.regua import ReguaMixin
from .facade.regua_claims import ReguaClaimsMixin
from .facade.results import ResultsMixin
from .facade.settings import SettingsMixin
from .facade.transfer import Transfer
from .facade.worklists import WorklistMixin
from .receivables.filters import CHANNELS, Filter
from .store import Store
from .store.connection import is_url


def default_db_path() -> Path | str:
    """COBRANCA_DB (a file, or a postgresql:// URL kept as text), else data/cobranca.duckdb of the source
    checkout, else of the current folder."""
    env = os.environ.get("COBRANCA_DB", "").strip()
    if env:
        return env if is_url(env) else Path(env)
    checkout = Path(__file__).resolve().parents[1]
    if (checkout / "pyproject.toml").exists():
        return checkout / "data" / "cobranca.duckdb"
    return Path.cwd() / "data" / "cobranca.duckdb"


def open_db(db: str | Path | None = None, wait_seconds: float | None = None) -> Cobranca:
    """Open (creating and migrating if needed) the database at `db` (a DuckDB file or a PostgreSQL URL)
    or the default one."""
    target = (db if is_url(db) else Path(db)) if db else default_db_path()
    return Cobranca(Store(target, wait_seconds=wait_seconds))


class Cobranca(BaixaMixin, PromisesMixin, ReguaMixin, ReguaClaimsMixin, ResultsMixin, PortfolioMixin,
               CustomerViewMixin, SettingsMixin, FiltersMixin, ReceivablesMixin, WorklistMixin, ContactsMixin, PixMixin,
               ClockMixin, FacadeBase):
    """One collections database: receivables, filters, worklists and the contact log."""

    @cached_property
    def agreements(self) -> Agreements:
        """Acordos: simulate, create, list, show, cancel and check agreements (cobranca/facade/agreements.py)."""
        return Agreements(self)

    @cached_property
    def transfer(self) -> Transfer:
        """Moving a team: copy every table to another DuckDB file or PostgreSQL database (cobranca/facade/transfer.py)."""
        return Transfer(self)


__all__ = ["CHANNELS", "MAX_TEXT", "Cobranca", "Filter", "default_db_path", "open_db"]
