"""The worklist: search box, "mostrando N de M", the table (click a header to sort), pages, keyboard.

Keys while the mouse is over the table: ↑/↓ move the selection (in screen order, across pages),
Enter opens "Registrar contato" for the selected row, Esc clears the selection.
"""

from __future__ import annotations

import re

import ipywidgets as widgets
from ipyevents import Event

from ...core.formatting import number, plural
from ..alerts import guarded
from ..grid import AUTO_COLUMNS, COLUMNS, DECISION_COLUMNS, OPTIONAL_COLUMNS, display_frame, display_row
from ..table import PAGE_SIZE, order_of, table_html
from .base import Pane, bar, button, dialog, esc, show

SORT_NAMES = {False: "crescente", True: "decrescente"}
_ROW = re.compile(r"(?:^|\s)r(\d+)(?:\s|$)")
_HEAD = re.compile(r"(?:^|\s)h(\d+)(?:\s|$)")


class RowsTable(widgets.HTML):
    """The table widget; `data` is the display frame it draws (row position = index)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.data = display_frame(None)


class ColumnChooser(widgets.VBox):
    """"Colunas": which of the optional columns the list draws (the decision columns are always drawn).

    "Situação" is drawn by itself when some row of the list has a promise, dispute or opt-out, unless
    the analyst chose otherwise here."""

    def __init__(self, redraw):
        self.redraw = redraw
        self.chosen: dict[str, bool | None] = {c: (None if c in AUTO_COLUMNS else False) for c in OPTIONAL_COLUMNS}
        self.button = button("Colunas", "cobranca-columns", tooltip="Escolher as colunas da lista")
        self.boxes = {c: widgets.Checkbox(description=c, indent=False, layout=widgets.Layout(width="auto"))
                      for c in OPTIONAL_COLUMNS}
        self.close_button = button("Fechar", "cobranca-columns-close", style="primary")
        for column, box in self.boxes.items():
            box.add_class(f"cobranca-column-{OPTIONAL_COLUMNS.index(column)}")
            box.observe(lambda change, column=column: self._chose(column, change), "value")
        self._syncing = False
        note = widgets.HTML(f'<div class="cobranca-hint">Sempre na lista: {esc(", ".join(DECISION_COLUMNS))}. '
                            "Celular, e-mail, saldo e situação também ficam no painel da conta.</div>")
        choices = widgets.HBox(list(self.boxes.values()))
        choices.add_class("cobranca-columns-choice")
        super().__init__([widgets.HTML('<div class="cobranca-side-title">Colunas da lista</div>'), note, choices,
                          bar([self.close_button], "cobranca-dialog-buttons")], layout=widgets.Layout(display="none"))
        self.add_class("cobranca-columns-dialog")
        dialog(self)
        self.button.on_click(lambda _: show(self, True))
        self.close_button.on_click(lambda _: show(self, False))

    def visible(self, cells) -> list[str]:
        """The columns to draw for the list `cells` (in COLUMNS order), and the checkboxes set to match."""
        drawn = []
        for column in COLUMNS:
            choice = self.chosen.get(column, True)
            if choice is None:  # automatic: only when some row has something to show
                choice = bool(len(cells)) and bool((cells[column] != "").any())
            if choice:
                drawn.append(column)
        self._syncing = True
        try:
            for column, box in self.boxes.items():
                box.value = column in drawn
        finally:
            self._syncing = False
        return drawn

    def _chose(self, column: str, change) -> None:
        if not self._syncing:
            self.chosen[column] = bool(change["new"])
            self.redraw()


class WorklistView(Pane):
    """Clicking a row selects it; a contact redraws its row (green when contacted today)."""

    css_class = "cobranca-worklist"

    def __init__(self, state, alerts, on_enter=None, on_next=None, **kwargs):
        super().__init__(state, alerts, **kwargs)
        self.on_enter = on_enter or (lambda: None)
        self.on_next = on_next or (lambda: None)
        self.next_customer = button("Próximo cliente", "cobranca-next-customer", style="primary",
                                    tooltip="Pegar o próximo cliente livre deste filtro e abrir o contato")
        self.table = RowsTable()
        self.table.add_class("cobranca-grid")
        self.grid = self.table  # the name the panes and tests used for the list widget
        self.cells = self.table.data = display_frame(state.shown)
        self.sort: tuple[str, bool] | None = None
        self.order: list[int] = list(range(len(self.cells)))
        self.page = 0
        self.events = Event(source=self.table, watched_events=["click", "keyup"])
        self.search = widgets.Text(placeholder="Buscar cliente (parte do nome)", continuous_update=False,
                                   layout=widgets.Layout(width="230px", flex="0 0 auto"))
        self.search.add_class("cobranca-search")
        self.clear_search = button("Limpar", "cobranca-search-clear", tooltip="Limpar a busca")
        self.count = widgets.HTML()
        self.count.add_class("cobranca-count")
        self.sort_label = widgets.HTML()
        self.sort_label.add_class("cobranca-sort")
        self.previous_page = button("‹ Anterior", "cobranca-page-previous")
        self.next_page = button("Próxima ›", "cobranca-page-next")
        self.chooser = ColumnChooser(self.draw)
        self.events.on_dom_event(self.on_event)
        self.search.observe(self.on_search, "value")
        self.clear_search.on_click(self.on_clear_search)
        self.next_customer.on_click(self.on_next_customer)
        self.previous_page.on_click(lambda _: self.go_to_page(self.page - 1))
        self.next_page.on_click(lambda _: self.go_to_page(self.page + 1))
        state.observe(self.on_revision, "revision")
        state.observe(self.on_selected, "selected")
        self.render_caption()
        self.draw()
        self.count.layout = widgets.Layout(flex="1 1 auto", min_width="0", overflow="hidden")
        self.children = [
            bar([self.next_customer, self.search, self.clear_search, self.count, self.sort_label, self.chooser.button,
                 self.previous_page, self.next_page]),
            self.table, self.chooser,
        ]

    # -- drawing ------------------------------------------------------------------------------
    def render_rows(self) -> None:
        """New rows after a reload: back to the first page (or the selected row's page)."""
        self.cells = self.table.data = display_frame(self.state.shown)
        self.order = order_of(self.cells, self.sort)
        self.page = self._page_of(self.state.selected)
        self.draw()

    def draw(self) -> None:
        self.table.value = table_html(self.cells, self.order, self.page, self.state.selected, self.sort,
                                      self.chooser.visible(self.cells))
        pages = self.pages
        show(self.previous_page, pages > 1)
        show(self.next_page, pages > 1)
        self.previous_page.disabled = self.page <= 0
        self.next_page.disabled = self.page >= pages - 1

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.order) // PAGE_SIZE))

    def cell(self, column: str, position: int):
        """The value the table holds for `column` in row `position` (as sorted keys: centavos, ISO dates)."""
        return self.cells.at[position, column]

    def render_caption(self) -> None:
        state = self.state
        shown, total = state.shown_count, state.total
        first, last = self.page * PAGE_SIZE + 1, min((self.page + 1) * PAGE_SIZE, shown)
        span = f"{number(first, 0)}–{number(last, 0)}" if shown > PAGE_SIZE else number(shown, 0)
        if not state.started:
            text = "Carregando a lista…"
        elif total == 0 and state.search:
            text = f"Nenhuma conta encontrada para a busca “{state.search}” neste filtro."
        elif total == 0:
            text = "Nenhuma conta neste filtro."
        elif total > shown:
            text = (f"Mostrando {span} de {number(total, 0)} contas (as {number(shown, 0)} de maior atraso; "
                    "refine o filtro ou busque para ver as demais; Imprimir e Exportar incluem todas).")
        else:
            text = f"Mostrando {span} de {plural(total, 'conta', 'contas')}."
        pages = f" Página {self.page + 1} de {self.pages}." if self.pages > 1 else ""
        self.count.value = f'<div class="cobranca-count-text" title="{esc(text + pages)}">{esc(text + pages)}</div>'
        if self.search.value != state.search:
            self.search.value = state.search

    def _render_sort(self) -> None:
        self.sort_label.value = "" if self.sort is None else (
            f'<span class="cobranca-sort-text">Ordem: {esc(self.sort[0])} ({SORT_NAMES[self.sort[1]]})</span>')

    def _page_of(self, position: int | None) -> int:
        if position is None or position not in self.order:
            return 0
        return self.order.index(position) // PAGE_SIZE

    # -- events -------------------------------------------------------------------------------
    @guarded
    def on_revision(self, _change=None) -> None:
        for position in self.state.changed_rows:
            if position is not None and position < len(self.cells):
                row = display_row(self.state.worklist.iloc[position].to_dict())
                for column in COLUMNS:
                    self.cells.at[position, column] = row[column]
        self.draw()

    @guarded
    def on_event(self, event: dict) -> None:
        if event.get("type") == "keyup" or event.get("event") == "keyup":
            self.on_key(event)
            return
        css = str((event.get("target") or {}).get("className") or "")
        head = _HEAD.search(css)
        if head and int(head.group(1)) < len(COLUMNS):
            self.sort_by(COLUMNS[int(head.group(1))])
            return
        row = _ROW.search(css)
        if row:
            self.state.select(int(row.group(1)))

    def on_click(self, cell: dict) -> None:
        """Select the row at data position `cell["primary_key_row"]`, as a click on it does."""
        if cell.get("region", "body") == "body" and cell.get("primary_key_row") is not None:
            self.state.select(int(cell["primary_key_row"]))

    def sort_by(self, column: str) -> None:
        """Click a header: ascending, then descending, then the list's own order (most overdue first)."""
        if self.sort is None or self.sort[0] != column:
            self.sort = (column, False)
        elif not self.sort[1]:
            self.sort = (column, True)
        else:
            self.sort = None
        self.order = order_of(self.cells, self.sort)
        self.page = self._page_of(self.state.selected)
        self._render_sort()
        self.render_caption()
        self.draw()

    def go_to_page(self, page: int) -> None:
        self.page = min(max(page, 0), self.pages - 1)
        self.render_caption()
        self.draw()

    def on_key(self, event: dict) -> None:
        key = event.get("key")
        if key == "Enter" and self.state.selected is not None:
            self.on_enter()
        elif key == "Escape":
            self.state.select(None)
        elif key in ("ArrowDown", "ArrowUp"):
            self.step(1 if key == "ArrowDown" else -1)

    def step(self, delta: int) -> None:
        """Select the next (or previous) row as shown on screen (also when sorted, across pages)."""
        if not self.order:
            return
        current = self.state.selected
        if current is None or current not in self.order:
            target = self.order[self.page * PAGE_SIZE] if delta > 0 else self.order[-1]
        else:
            index = min(max(self.order.index(current) + delta, 0), len(self.order) - 1)
            target = self.order[index]
        self.state.select(target)

    def on_selected(self, _change=None) -> None:
        page = self._page_of(self.state.selected)
        if self.state.selected is not None and page != self.page:
            self.page = page
            self.render_caption()
        self.draw()

    @guarded
    def on_search(self, change) -> None:
        text = " ".join((change["new"] or "").split())
        if text != self.state.search:
            self.state.search = text

    @guarded
    def on_next_customer(self, _button) -> None:
        self.on_next()

    @guarded
    def on_clear_search(self, _button) -> None:
        self.search.value = ""
