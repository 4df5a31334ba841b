"""The worklist: search box, "mostrando N de M", the grid (sort by clicking a header), keyboard selection.

Keys while the mouse is over the grid: ↑/↓ move the selection (the grid's own keys, which also scroll),
Enter opens "Registrar contato" for the selected row, Esc clears the selection.
"""

from __future__ import annotations

import ipywidgets as widgets
from ipyevents import Event

from ...formatting import number
from ..alerts import guarded
from ..grid import COLUMNS, content_widths, display_frame, make_grid, update_row
from .base import Pane, esc

SORT_NAMES = {False: "crescente", True: "decrescente"}


class WorklistView(Pane):
    """Clicking a row selects it; contacts update their row in place (green when contacted today)."""

    css_class = "cobranca-worklist"

    def __init__(self, state, alerts, on_enter=None, **kwargs):
        super().__init__(state, alerts, **kwargs)
        self.on_enter = on_enter or (lambda: None)
        self.grid = make_grid(display_frame(state.shown))
        self.grid.add_class("cobranca-grid")
        self.search = widgets.Text(placeholder="Buscar cliente (parte do nome)", continuous_update=False,
                                   layout=widgets.Layout(width="300px"))
        self.search.add_class("cobranca-search")
        self.clear_search = widgets.Button(description="Limpar busca", layout=widgets.Layout(width="auto"))
        self.clear_search.add_class("cobranca-search-clear")
        self.count = widgets.HTML()
        self.count.add_class("cobranca-count")
        self.sort_label = widgets.HTML()
        self.sort_label.add_class("cobranca-sort")
        self.sort: tuple[str, bool] | None = None
        self.key_events = Event(source=self.grid, watched_events=["keyup"])
        self._grid_moved = False  # the grid moved the selection itself (its keys) since the last key
        self._syncing = False
        self.grid.on_cell_click(self.on_click)
        self.grid.observe(self.on_grid_selection, "selections")
        self.key_events.on_dom_event(self.on_key)
        self.search.observe(self.on_search, "value")
        self.clear_search.on_click(self.on_clear_search)
        state.observe(self.on_revision, "revision")
        state.observe(self.on_selected, "selected")
        self.render_caption()
        self.children = [
            widgets.HBox([self.search, self.clear_search, self.count, self.sort_label],
                         layout=widgets.Layout(align_items="center", flex_flow="row wrap")),
            self.grid,
        ]

    # -- drawing ------------------------------------------------------------------------------
    def render_rows(self) -> None:
        """Send the new rows (the one big message of a reload); the app draws the small texts right after."""
        cells = display_frame(self.state.shown)
        with self.grid.hold_sync():
            self._syncing = True
            try:
                self.grid.selections = []  # clear_selection() would not tell Python observers
                self.grid.column_widths = content_widths(cells)
                self.grid.data = cells
                if self.sort is not None:
                    self.grid.transform([{"type": "sort", "column": self.sort[0], "desc": self.sort[1]}])
                self._select_in_grid(self.state.selected)
            finally:
                self._syncing = False

    def render_caption(self) -> None:
        state = self.state
        shown, total = state.shown_count, state.total
        if not state.started:
            text = "Carregando a lista…"
        elif total > shown:
            text = (f"Mostrando {number(shown, 0)} de {number(total, 0)} contas (as de maior atraso). "
                    "Refine o filtro ou busque para ver as demais; Imprimir e Exportar incluem todas.")
        elif total == 0:
            text = "Nenhuma conta neste filtro."
        else:
            text = f"Mostrando {number(shown, 0)} de {number(total, 0)} conta(s)."
        self.count.value = f'<span class="cobranca-count-text">{esc(text)}</span>'
        if self.search.value != state.search:
            self.search.value = state.search

    def _render_sort(self) -> None:
        if self.sort is None:
            self.sort_label.value = ""
        else:
            self.sort_label.value = (f'<span class="cobranca-sort-text">Ordem: {esc(self.sort[0])} '
                                     f"({SORT_NAMES[self.sort[1]]})</span>")

    # -- events -------------------------------------------------------------------------------
    @guarded
    def on_revision(self, _change=None) -> None:
        for position in self.state.changed_rows:
            if position is not None and position < self.state.shown_count:
                update_row(self.grid, position, self.state.worklist.iloc[position].to_dict())

    @guarded
    def on_click(self, cell: dict) -> None:
        if cell.get("region") == "column-header" and cell.get("column") in COLUMNS:
            self.sort_by(cell["column"])
            return
        if cell.get("region") != "body" or cell.get("primary_key_row") is None:
            return
        self.state.select(int(cell["primary_key_row"]))

    def sort_by(self, column: str) -> None:
        """Click a header: ascending, then descending, then the list's own order (most overdue first)."""
        if self.sort is None or self.sort[0] != column:
            self.sort = (column, False)
        elif not self.sort[1]:
            self.sort = (column, True)
        else:
            self.sort = None
        self.grid.transform([] if self.sort is None else
                            [{"type": "sort", "column": self.sort[0], "desc": self.sort[1]}])
        self._render_sort()

    @guarded
    def on_grid_selection(self, change) -> None:
        """The grid's own keys (↑/↓) moved the selection: follow it."""
        if self._syncing or not change["new"]:
            return
        view_row = int(change["new"][0]["r1"])
        position = self._data_row(view_row)
        if position is not None and position != self.state.selected:
            self._grid_moved = True
            self.state.select(position)

    @guarded
    def on_key(self, event: dict) -> None:
        key = event.get("key")
        moved, self._grid_moved = self._grid_moved, False
        if key == "Enter" and self.state.selected is not None:
            self.on_enter()
        elif key == "Escape":
            self.state.select(None)
        elif key in ("ArrowDown", "ArrowUp") and not moved:
            self.step(1 if key == "ArrowDown" else -1)

    def step(self, delta: int) -> None:
        """Select the next (or previous) row as shown on screen (also when the grid is sorted)."""
        order = self._visible_order()
        if not order:
            return
        current = self.state.selected
        if current is None or current not in order:
            target = order[0] if delta > 0 else order[-1]
        else:
            index = min(max(order.index(current) + delta, 0), len(order) - 1)
            target = order[index]
        self.state.select(target)

    def _visible_order(self) -> list[int]:
        visible = list(self.grid._visible_rows or [])
        return visible if visible else list(range(self.state.shown_count))

    def _data_row(self, view_row: int) -> int | None:
        order = self._visible_order()
        return order[view_row] if 0 <= view_row < len(order) else None

    def on_selected(self, _change=None) -> None:
        self._syncing = True
        try:
            self._select_in_grid(self.state.selected)
        finally:
            self._syncing = False

    def _select_in_grid(self, position: int | None) -> None:
        if position is None:
            if self.grid.selections:
                self.grid.selections = []
            return
        order = self._visible_order()
        view_row = order.index(position) if position in order else position
        wanted = [{"r1": view_row, "r2": view_row, "c1": 0, "c2": len(COLUMNS) - 1}]
        if self.grid.selections != wanted:
            self.grid.selections = wanted

    @guarded
    def on_search(self, change) -> None:
        text = " ".join((change["new"] or "").split())
        if text != self.state.search:
            self.state.search = text

    @guarded
    def on_clear_search(self, _button) -> None:
        self.search.value = ""
