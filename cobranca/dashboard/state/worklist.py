"""The worklist's state (a traitlets model): the chosen filter's rows on the as-of day, their totals, the selection.

Every action reads the database in one unit of work (`unit()`: one open, one lock hold) and then announces
what changed with one trait: `generation` when the whole list was reloaded (views redraw in the order the
app chose, so the page never shows two filters at once), `revision` when rows changed in place
(`changed_rows`), `selected` when the selection moved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pandas as pd
from traitlets import Any, Bool, HasTraits, Instance, Int, List, Unicode, observe

from ...api import Cobranca
from ...core import formatting as fmt
from ...core.errors import InputError
from ...receivables import summary
from ...receivables.filters import Filter
from .. import grid

ALL_OVERDUE = 0  # filter_id meaning "every overdue or due-today receivable" (saved ids start at 1)
MAX_SEARCH = 100


def text_of(value) -> str:
    """A cell as plain text ('' when missing)."""
    return "" if fmt.is_missing(value) else str(value)


class WorklistState(HasTraits):
    """What the list shows: filters, the worklist of the chosen filter on the as-of day, the selection."""

    as_of = Instance(date, allow_none=True)
    responsible = Unicode("")  # "" until the analyst says who they are (never the OS user "root")
    filters = List()
    filter_id = Int(ALL_OVERDUE)
    search = Unicode("")  # the search box: customer name contains
    worklist = Instance(pd.DataFrame)
    selected = Int(None, allow_none=True)  # position in `worklist` (= row of the grid's data)
    history = Instance(pd.DataFrame)
    revision = Int(0)  # bumped when rows change in place; `changed_rows` says which
    generation = Int(0)  # bumped after every full (re)load
    settings = Any({})
    started = Bool(False)
    busy = Bool(False)  # True while a reload runs (the page dims the old rows at once)

    def __init__(self, db: Cobranca, as_of: date | None = None, responsible: str | None = None,
                 clock: Callable[[], date] | None = None):
        super().__init__()
        self.db = db
        self.clock = clock or db.today  # the company's today, not the server's
        self.changed_rows: list[int] = []
        self.hours = None  # ContactHours of the last reload
        self.totals: dict = _empty_totals()
        self.worklist = pd.DataFrame()
        self.history = pd.DataFrame()
        self._wanted_as_of = as_of
        self._loading = True
        self.responsible = (responsible or "").strip()
        self.filter_id = -1  # "the first saved filter", resolved by reload()

    def start(self) -> None:
        """Read "today" and the data now (a preheated page calls this when its request arrives)."""
        self._loading = True
        self.as_of = self._wanted_as_of or self.clock()
        self.opened_on = self.clock()
        self._loading = False
        self.started = True
        self.reload()

    def unit(self):
        """One database open (and lock hold) for everything inside: `with state.unit(): ...`."""
        return self.db.session()

    # -- loading ------------------------------------------------------------------------------
    @observe("as_of", "filter_id", "search")
    def _criteria_changed(self, _change) -> None:
        if not self._loading:
            self.reload()

    @property
    def saved_filter(self) -> Filter:
        for flt in self.filters:
            if flt.id == self.filter_id:
                return flt
        return self.db.filters.resolve(None)

    @property
    def current_filter(self) -> Filter:
        """The saved filter refined by the search box: what the grid, KPIs, Imprimir and Exportar use."""
        flt = self.saved_filter
        text = self.search.strip()[:MAX_SEARCH]
        return replace(flt, customer_search=text) if text else flt

    @property
    def analysis_mode(self) -> bool:
        """The list is computed for a day other than today: figures must not be sent to customers."""
        return self.as_of is not None and self.as_of != self.clock()

    @property
    def by(self) -> str | None:
        """The analyst recorded as the author of a write (None while the page does not know them)."""
        return self.responsible or None

    def reload(self) -> None:
        """Read settings, filters, the grid's rows and the totals again, in one database open."""
        key = self.selected_key
        self.busy = True
        try:
            self._reload(key)
        finally:
            self.busy = False

    def _reload(self, key) -> None:
        with self.unit():
            stored = self.db.settings.stored()  # read once: the typed settings and the legal hours both come from it
            settings = self.db.settings.all(stored)
            hours = self.db.policy.hours(stored)  # the one legal-hours rule (contacting/hours.py)
            filters = self.db.filters.all()
            filter_id = self.filter_id
            if filter_id != ALL_OVERDUE and all(f.id != filter_id for f in filters):
                filter_id = filters[0].id if filters else ALL_OVERDUE  # deleted in another tab, or first load
            self._loading = True
            try:
                self.filters, self.filter_id = filters, filter_id
            finally:
                self._loading = False
            # Only the rows the grid carries are fetched; KPIs and charts come from whole-worklist totals in SQL.
            frame, totals = self.db.worklists.page(self.current_filter, self.as_of, limit=grid.MAX_GRID_ROWS)
            frame = frame.reset_index(drop=True)
            position = _find(frame, key)
            history = self._read_history(frame, position)
            totals = {**totals, "paid_today": self.db.baixa.paid_today()}  # KPI "Pagos hoje" (bank files, statements)
        self.settings = settings
        self.hours = hours
        self.totals = totals
        self.worklist = frame
        self.history = history
        kept = position is not None and position == self.selected
        self.selected = position  # re-found after a reload, or cleared
        self.generation += 1
        if kept:  # the same row is still selected, but its figures and history may have changed
            self.changed_rows = [position]
            self.revision += 1

    def refresh_selected(self) -> None:
        """Re-read the selected row (SQL, by receivable id), its history and the totals, inside the
        caller's unit of work; the grid then updates that row's cells in place."""
        position = self.selected
        row = self.worklist.iloc[position]
        fresh = self.db.worklists.of_receivables([int(row["receivable_id"])], self.as_of)
        frame = self.worklist
        if len(fresh):
            for column in frame.columns.intersection(fresh.columns):
                frame.at[position, column] = fresh.iloc[0][column]
        self.history = self.db.contacts.history(row["document"], row["installment"])
        # the list's totals again; "Pagos hoje" (bank files) cannot change with a contact and is kept
        self.totals = {**self.totals, **self.db.worklists.totals(self.current_filter, self.as_of)}
        self.changed_rows = [position]
        self.revision += 1

    # -- totals (KPIs) ------------------------------------------------------------------------
    @property
    def total(self) -> int:
        return int(self.totals["receivables"])

    @property
    def shown_count(self) -> int:
        return min(len(self.worklist), grid.MAX_GRID_ROWS)

    @property
    def shown(self) -> pd.DataFrame:
        """The rows the grid carries: the first grid.MAX_GRID_ROWS, already sorted by days overdue."""
        return self.worklist.iloc[: self.shown_count]

    def kpis(self) -> dict:
        """receivables, customers, balance, updated_amount, contacted_today of the whole worklist."""
        return {key: value for key, value in self.totals.items() if key not in ("by_days", "promises", "paid_today")}

    def aging(self) -> pd.DataFrame:
        return summary.aging(self.totals["by_days"])

    def promise_kpis(self) -> dict:
        """Read with the worklist page (totals["promises"]); asked for again only when missing."""
        return self.totals.get("promises") or self.db.promises.kpis(self.as_of)

    def paid_today(self) -> dict:
        """Payments applied today from bank files and statements (read with the worklist)."""
        return self.totals.get("paid_today") or {"count": 0, "amount": 0}

    # -- selection ----------------------------------------------------------------------------
    def _read_history(self, frame: pd.DataFrame, position: int | None) -> pd.DataFrame:
        if position is None:
            return pd.DataFrame()
        row = frame.iloc[position]
        return self.db.contacts.history(row["document"], row["installment"])

    def select(self, position: int | None) -> None:
        """Select a grid row (or none) and read its history, in one database open."""
        if position is not None and not 0 <= position < self.shown_count:
            raise InputError("Linha fora da lista; atualize a página.")
        if position == self.selected:
            return
        with self.unit():
            self.history = self._read_history(self.worklist, position)
        self.selected = position

    def select_key(self, document: str, installment: str, missing_ok: bool = False) -> None:
        position = _find(self.shown, (document, installment))
        if position is not None:
            self.select(position)
        elif not missing_ok:
            raise InputError(f"A conta {document}/{installment} não está na lista atual.")

    @property
    def selected_row(self) -> dict | None:
        if self.selected is None:
            return None
        return self.worklist.iloc[self.selected].to_dict()

    @property
    def selected_key(self) -> tuple[str, str] | None:
        row = self.selected_row
        return None if row is None else (row["document"], row["installment"])

    def require_selection(self) -> dict:
        row = self.selected_row
        if row is None:
            raise InputError("Selecione uma conta na lista primeiro (clique na linha).")
        return row

    def show_filter(self, filter_id: int) -> None:
        """Make `filter_id` the current filter and reload (inside the caller's unit of work, if any)."""
        self._loading = True
        try:
            self.filter_id = filter_id
        finally:
            self._loading = False
        self.reload()


def _find(frame: pd.DataFrame, key: tuple[str, str] | None) -> int | None:
    if key is None or frame.empty:
        return None
    shown = frame.iloc[: grid.MAX_GRID_ROWS]
    hits = shown.index[(shown["document"] == key[0]) & (shown["installment"] == key[1])]
    return int(hits[0]) if len(hits) else None


def _empty_totals() -> dict:
    return {"receivables": 0, "customers": 0, "balance": 0, "updated_amount": 0, "contacted_today": 0,
            "by_days": pd.DataFrame(columns=["days_overdue", "count", "balance"])}
