"""The worklist grid: a display frame (pt-BR, sortable keys) and the ipydatagrid that draws it.

The grid never holds money for logic. Each display row's position is the row's position in the
dashboard's `shown` worklist (Decimal money); handlers go back to that frame by position.
Money travels as integer centavos and dates as ISO text, so the grid sorts them correctly; Vega
expressions in the renderers draw them as "R$ 1.234,56" and "01/06/2020". The canvas draws text,
so customer names never run as HTML.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import ipywidgets as widgets
import pandas as pd
from ipydatagrid import DataGrid, TextRenderer, VegaExpr

from . import badges

MAX_GRID_ROWS = 5_000  # more rows than this are cut (sorted by days overdue) with "mostrando N de M"
ROW_HEIGHT = 28
HEADER_HEIGHT = 32
CONTACTED_COLOUR = "#c8f7c5"

COLUMNS = [
    "Cliente", "Documento/Parcela", badges.COLUMN, "Vencimento", "Dias de atraso", "Saldo", "Valor atualizado",
    "Celular", "Último contato", "Forma", "Contatado hoje",
]
COLUMN_WIDTHS = {
    "Cliente": 205, "Documento/Parcela": 135, badges.COLUMN: badges.WIDTH, "Vencimento": 100, "Dias de atraso": 115, "Saldo": 110,
    "Valor atualizado": 120, "Celular": 120, "Último contato": 125, "Forma": 80, "Contatado hoje": 110,
}
GRID_MAX_HEIGHT = 420
YES, NO = "Sim", "Não"

_BACKGROUND = f"cell.metadata.data['Contatado hoje'] == '{YES}' ? '{CONTACTED_COLOUR}' : 'white'"
# d3 formats 1234.5 as "1,234.50"; swap the separators for pt-BR.
_MONEY = (
    "'R$ ' + replace(replace(replace(format(cell.value / 100, ',.2f'), regexp(',', 'g'), '#'), "
    "'.', ','), regexp('#', 'g'), '.')"
)
_DAY_PARTS = "substring(cell.value, 8, 10) + '/' + substring(cell.value, 5, 7) + '/' + substring(cell.value, 0, 4)"
_DAY = f"cell.value ? {_DAY_PARTS} : ''"
_MOMENT = f"cell.value ? {_DAY_PARTS} + ' ' + substring(cell.value, 11, 16) : ''"


def _cents(value) -> int:
    if value is None or (not isinstance(value, Decimal) and pd.isna(value)):
        return 0
    return int(Decimal(value) * 100)


def _text(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def _iso_day(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return value.isoformat()[:10]


def _iso_moment(value) -> str:
    if value is None or pd.isna(value):
        return ""
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    return value.isoformat(sep=" ")[:16] if isinstance(value, datetime) else str(value)


def display_row(row: dict) -> dict:
    """The grid cells of one worklist row (a dict of worklist columns)."""
    return {
        "Cliente": _text(row["customer"]),
        "Documento/Parcela": f"{row['document']} / {row['installment']}",
        badges.COLUMN: badges.badge(row),
        "Vencimento": _iso_day(row["due_date"]),
        "Dias de atraso": int(row["days_overdue"]),
        "Saldo": _cents(row["balance"]),
        "Valor atualizado": _cents(row["updated_amount"]),
        "Celular": _text(row["mobile"]),
        "Último contato": _iso_moment(row["last_contact_at"]),
        "Forma": _text(row["last_contact_channel"]),
        "Contatado hoje": YES if bool(row["contacted_today"]) else NO,
    }


def display_frame(shown: pd.DataFrame) -> pd.DataFrame:
    """The grid's frame for the `shown` worklist rows, index = row position."""
    frame = pd.DataFrame([display_row(r) for r in shown.to_dict("records")], columns=COLUMNS)
    if frame.empty:
        frame = frame.astype({"Dias de atraso": "int64", "Saldo": "int64", "Valor atualizado": "int64"})
    frame = frame.astype({c: object for c in COLUMNS if c not in ("Dias de atraso", "Saldo", "Valor atualizado")})
    frame.index = pd.RangeIndex(len(frame), name="linha")
    return frame


def make_grid(shown: pd.DataFrame) -> DataGrid:
    """A row-selecting, sortable and filterable grid with contacted rows in green."""
    def renderer(text_value: str | None = None, align: str = "left") -> TextRenderer:
        options = {"background_color": VegaExpr(_BACKGROUND), "horizontal_alignment": align}
        if text_value:
            options["text_value"] = VegaExpr(text_value)
        return TextRenderer(**options)

    return DataGrid(
        display_frame(shown),
        selection_mode="row",
        header_visibility="column",
        base_row_size=ROW_HEIGHT,
        base_column_header_size=HEADER_HEIGHT,
        base_column_size=110,
        column_widths=dict(COLUMN_WIDTHS),
        default_renderer=renderer(),
        renderers={
            badges.COLUMN: TextRenderer(background_color=VegaExpr(badges.BACKGROUND)),
            "Vencimento": renderer(_DAY),
            "Dias de atraso": renderer(align="right"),
            "Saldo": renderer(_MONEY, "right"),
            "Valor atualizado": renderer(_MONEY, "right"),
            "Último contato": renderer(_MOMENT),
        },
        layout=widgets.Layout(height=grid_height(len(shown)), width="100%"),
    )


def grid_height(rows: int) -> str:
    """Tall enough for `rows` (plus a scrollbar), at most GRID_MAX_HEIGHT; the grid scrolls beyond."""
    return f"{min(GRID_MAX_HEIGHT, HEADER_HEIGHT + ROW_HEIGHT * max(rows, 3) + 24)}px"


def update_row(grid: DataGrid, position: int, row: dict) -> None:
    """Redraw one row in place (cells that a contact can change)."""
    cells = display_row(row)
    for column in ("Último contato", "Forma", "Contatado hoje"):
        if grid.get_cell_value_by_index(column, position) != cells[column]:
            grid.set_cell_value_by_index(column, position, cells[column])
