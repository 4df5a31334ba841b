"""The worklist grid, "mostrando N de M", and the label mirroring the selected receivable."""

from __future__ import annotations

import ipywidgets as widgets

from ...formatting import number
from ..alerts import guarded
from ..grid import display_frame, grid_height, make_grid, update_row
from ..state import text_of
from .base import Pane, esc


class WorklistView(Pane):
    """Clicking a row selects it; contacts update their row in place (green when contacted today)."""

    css_class = "cobranca-worklist"

    def __init__(self, state, alerts, **kwargs):
        super().__init__(state, alerts, **kwargs)
        self.grid = make_grid(state.shown)
        self.grid.add_class("cobranca-grid")
        self.count = widgets.HTML()
        self.count.add_class("cobranca-count")
        self.selection = widgets.HTML()
        self.selection.add_class("cobranca-selected")
        self.grid.on_cell_click(self.on_click)
        state.observe(self.on_worklist, "worklist")
        state.observe(self.on_revision, "revision")
        state.observe(self.on_selected, "selected")
        self._render_count()
        self.on_selected()
        self.children = [self.selection, self.grid, self.count]

    @guarded
    def on_worklist(self, _change=None) -> None:
        self.grid.selections = []  # clear_selection() would not tell Python observers
        self.grid.data = display_frame(self.state.shown)
        self.grid.layout.height = grid_height(self.state.shown_count)
        self._render_count()

    @guarded
    def on_revision(self, _change=None) -> None:
        for position in self.state.changed_rows:
            if position is not None and position < self.state.shown_count:
                update_row(self.grid, position, self.state.worklist.iloc[position].to_dict())

    @guarded
    def on_click(self, cell: dict) -> None:
        if cell.get("region") != "body" or cell.get("primary_key_row") is None:
            return
        self.state.select(int(cell["primary_key_row"]))

    def on_selected(self, _change=None) -> None:
        row = self.state.selected_row
        if row is None:
            self.selection.value = '<span class="cobranca-selected-none">Nenhuma conta selecionada: clique em uma linha.</span>'
            return
        self.selection.value = (
            f'Selecionada: <b class="cobranca-selected-key" data-document="{esc(row["document"])}" '
            f'data-installment="{esc(row["installment"])}">{esc(row["document"])} / {esc(row["installment"])}</b>'
            f' — <span class="cobranca-selected-customer">{esc(text_of(row["customer"]))}</span>'
        )

    def _render_count(self) -> None:
        shown, total = self.state.shown_count, self.state.total
        if total > shown:
            text = (f"Mostrando {number(shown, 0)} de {number(total, 0)} contas (as de maior atraso). "
                    "Refine o filtro para ver as demais; Imprimir e Exportar incluem todas.")
        elif total == 0:
            text = "Nenhuma conta neste filtro."
        else:
            text = f"Mostrando {number(shown, 0)} de {number(total, 0)} conta(s)."
        self.count.value = f"<small>{esc(text)}</small>"
