"""The Python facade used by notebooks, the CLI and the dashboard: `open_db()` returns a `Cobranca`.

`Cobranca` is the only door to the data: a small core (the store, units of work, the clock, who acts) and one
object per concern — `db.receivables`, `db.filters`, `db.worklists`, `db.contacts`, `db.promises`, `db.policy`,
`db.customers`, `db.portfolio`, `db.pix`, `db.regua`, `db.results`, `db.baixa`, `db.agreements`, `db.settings`,
`db.backups`, `db.transfer` (cobranca/facade/<concern>.py). Each concern holds the facade and reaches the others through it in
plain sight (`self.db.policy.check(...)`); no mixins. `with db.session(): ...` runs several calls on one
database open.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd

from . import settings as settings_mod
from .core import clock
from .facade import clock as stamps
from .facade.agreements import Agreements
from .facade.backups import Backups
from .facade.baixa import Baixa
from .facade.base import MAX_TEXT, clean_text
from .facade.contacts import Contacts
from .facade.customers import Customers
from .facade.filters import Filters
from .facade.pix import Pix
from .facade.policy import Policy
from .facade.portfolio import Portfolio
from .facade.promises import Promises
from .facade.receivables import Receivables
from .facade.regua import Regua
from .facade.results import Results
from .facade.settings import Settings
from .facade.transfer import Transfer
from .facade.worklists import Worklists
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


def open_db(db: str | Path | None = None, analyst: str | None = None,
            wait_seconds: float | None = None) -> Cobranca:
    """Open (creating and migrating if needed) the database at `db` (a DuckDB file or a PostgreSQL URL)
    or the default one; `analyst` is whom "Minha carteira" and leases are for (default: the user)."""
    target = (db if is_url(db) else Path(db)) if db else default_db_path()
    return Cobranca(Store(target, wait_seconds=wait_seconds), analyst=analyst)


class Cobranca:
    """One collections database: the core below, and one attribute per concern (see the module docstring)."""

    def __init__(self, store: Store, analyst: str | None = None):
        self.store = store
        self._tz_cache: tuple[float, ZoneInfo] | None = None
        self.settings = Settings(self)
        self.receivables = Receivables(self)
        self.filters = Filters(self)
        self.worklists = Worklists(self)
        self.policy = Policy(self)
        self.contacts = Contacts(self)
        self.promises = Promises(self)
        self.customers = Customers(self)
        self.portfolio = Portfolio(self, analyst)
        self.pix = Pix(self)
        self.regua = Regua(self)
        self.results = Results(self)
        self.baixa = Baixa(self)
        self.agreements = Agreements(self)
        self.backups = Backups(self)
        self.transfer = Transfer(self)

    # -- the store and units of work ------------------------------------------------------------
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
        """The schema's migration step (opening the database ran every migration)."""
        return self.store.schema_version()

    @staticmethod
    def _who(by: str | None) -> str:
        """Who acts: `by`, else the default responsible (the user)."""
        name = clean_text(by, "Responsável", multiline=False) if by else None
        return name or settings_mod.default_responsible()

    # -- the one clock ------------------------------------------------------------------------
    def company_tz(self) -> ZoneInfo:
        """The company's time zone (the `timezone` setting), read at most every TZ_CACHE_SECONDS.

        Cached so that "today" costs no database open on every redraw; `settings.set('timezone', …)` in this
        process clears it, another process's change is seen within the cache time.
        """
        cached = self._tz_cache
        if cached is not None and time.monotonic() < cached[0]:
            return cached[1]
        with self._con() as con:
            tz = stamps.stored_timezone(con)
        self._tz_cache = (time.monotonic() + stamps.TZ_CACHE_SECONDS, tz)
        return tz

    def forget_timezone(self) -> None:
        """The next `company_tz()` reads the setting again (after it was written)."""
        self._tz_cache = None

    def now(self) -> datetime:
        """Now, aware, in company time (COBRANCA_NOW in tests)."""
        return clock.now(self.company_tz())

    def today(self) -> date:
        """Today in company time — not the server's date."""
        return clock.today(self.company_tz())

    def _stamp(self, at: datetime | None = None) -> datetime:
        """`at` (naive = company time) or now, as the stored naive UTC."""
        return stamps.stamp(at, self.company_tz())

    def _stamps(self, values: pd.Series) -> pd.Series:
        """Many moments (naive = company time) as stored naive UTC, vectorised."""
        return stamps.stamps(values, self.company_tz())

    def _day_bounds(self, day: date) -> tuple[datetime, datetime]:
        """The stored (naive UTC) [start, end) of a company-time day."""
        return stamps.day_bounds(day, self.company_tz())

    def _shown_value(self, value: datetime | None) -> datetime | None:
        """A stored timestamp as naive company time (None stays None)."""
        return stamps.shown_value(value, self.company_tz())

    def _shown(self, frame: pd.DataFrame) -> pd.DataFrame:
        """`frame` with its timestamp columns in naive company time."""
        return stamps.shown(frame, self.company_tz())


__all__ = ["CHANNELS", "MAX_TEXT", "Cobranca", "Filter", "default_db_path", "open_db"]
