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

MAX_GRID_ROWS = 5_000  # more rows than this are cut (sorted by days overdue) with "mostrando N de M"
ROW_HEIGHT = 28
HEADER_HEIGHT = 32
CONTACTED_COLOUR = "#c8f7c5"

COLUMNS = [
    "Cliente", "Documento/Parcela", "Vencimento", "Dias de atraso", "Saldo", "Valor atualizado",
    "Celular", "Último contato", "Forma", "Contatado hoje",
]
COLUMN_WIDTHS = {
    "Cliente": 205, "Documento/Parcela": 135, "Vencimento": 100, "Dias de atraso": 115, "Saldo": 110,
    "Valor atualizado": 120, "Celular": 120, "Último contato": 125, "Forma": 80, "Contatado hoje": 110,
}
MAX_COLUMN_WIDTH = 260  # longer texts are cut on screen; the side panel shows the selected row in full
CHAR_WIDTH = 7.4  # px per character of the grid's 13px font, a little generous
GRID_HEIGHT = "calc(100vh - 330px)"  # the free height under the header, filters and KPIs
GRID_MIN_HEIGHT = "300px"
YES, NO = "Sim", "Não"
HEADER_BACKGROUND = "#eef2f5"

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
        "Vencimento": _iso_day(row["due_date"]),
        "Dias de atraso": int(row["days_overdue"]),
        "Saldo": _cents(row["balance"]),
        "Valor atualizado": _cents(row["updated_amount"]),
        "Celular": _text(row["mobile"]),
        "Último contato": _iso_moment(row["last_contact_at"]),
        "Forma": _text(row["last_contact_channel"]),
        "Contatado hoje": YES if bool(row["contacted_today"]) else NO,
    }


def _texts(values: pd.Series) -> pd.Series:
    return values.astype(object).where(values.notna(), "").astype(str)


def _cents_of(values: pd.Series) -> list[int]:
    return [_cents(v) for v in values]


def display_frame(shown: pd.DataFrame) -> pd.DataFrame:
    """The grid's frame for the `shown` worklist rows, index = row position (column-wise: 5,000 rows in ms)."""
    if shown.empty:
        frame = pd.DataFrame({c: pd.Series(dtype="int64" if c in ("Dias de atraso", "Saldo", "Valor atualizado")
                                           else object) for c in COLUMNS})
    else:
        due = pd.to_datetime(shown["due_date"])
        last = pd.to_datetime(shown["last_contact_at"])
        frame = pd.DataFrame({
            "Cliente": _texts(shown["customer"]),
            "Documento/Parcela": shown["document"].astype(str) + " / " + shown["installment"].astype(str),
            "Vencimento": due.dt.strftime("%Y-%m-%d").where(due.notna(), ""),
            "Dias de atraso": shown["days_overdue"].astype("int64"),
            "Saldo": _cents_of(shown["balance"]),
            "Valor atualizado": _cents_of(shown["updated_amount"]),
            "Celular": _texts(shown["mobile"]),
            "Último contato": last.dt.strftime("%Y-%m-%d %H:%M").where(last.notna(), ""),
            "Forma": _texts(shown["last_contact_channel"]),
            "Contatado hoje": [YES if bool(v) else NO for v in shown["contacted_today"]],
        }, columns=COLUMNS)
        frame = frame.astype({"Saldo": "int64", "Valor atualizado": "int64"})
    frame = frame.astype({c: object for c in COLUMNS if c not in ("Dias de atraso", "Saldo", "Valor atualizado")})
    frame.index = pd.RangeIndex(len(frame), name="linha")
    return frame


def make_grid(cells: pd.DataFrame) -> DataGrid:
    """A row-selecting grid with contacted rows in green, filling the free height.

    The header is drawn by a plain TextRenderer: ipydatagrid's own header draws a menu button whose
    menu and filter dialog are in English (the page hides them, see app.CSS); sorting is done by
    clicking a header and searching by the search box (views/worklist.py), both in pt-BR.
    """
    def renderer(text_value: str | None = None, align: str = "left") -> TextRenderer:
        options = {"background_color": VegaExpr(_BACKGROUND), "horizontal_alignment": align}
        if text_value:
            options["text_value"] = VegaExpr(text_value)
        return TextRenderer(**options)

    return DataGrid(
        cells,
        selection_mode="row",
        header_visibility="column",
        base_row_size=ROW_HEIGHT,
        base_column_header_size=HEADER_HEIGHT,
        base_column_size=110,
        column_widths=content_widths(cells),
        default_renderer=renderer(),
        header_renderer=TextRenderer(background_color=HEADER_BACKGROUND, font="bold 12px sans-serif"),
        renderers={
            "Vencimento": renderer(_DAY),
            "Dias de atraso": renderer(align="right"),
            "Saldo": renderer(_MONEY, "right"),
            "Valor atualizado": renderer(_MONEY, "right"),
            "Último contato": renderer(_MOMENT),
        },
        layout=widgets.Layout(height=GRID_HEIGHT, min_height=GRID_MIN_HEIGHT, width="100%"),
    )


def _shown_length(cells: pd.DataFrame, column: str) -> int:
    """Characters of the longest value of `column` as drawn (money as R$ 1.234,56, dates dd/mm/aaaa)."""
    values = cells[column]
    if values.empty:
        return 0
    if column in ("Saldo", "Valor atualizado"):
        digits = len(str(int(values.abs().max()) // 100))
        return 3 + digits + (digits - 1) // 3 + 3  # "R$ " + thousands dots + ",00"
    if column == "Vencimento":
        return 10
    if column == "Último contato":
        return 16
    return int(values.astype(str).str.len().max())


def content_widths(cells: pd.DataFrame) -> dict[str, int]:
    """Each column as wide as its longest value or its header (capped), so nothing is cut needlessly."""
    widths = {}
    for column in COLUMNS:
        chars = max(_shown_length(cells, column), len(column) + 1)
        widths[column] = int(min(MAX_COLUMN_WIDTH, max(COLUMN_WIDTHS[column] * 0.6, chars * CHAR_WIDTH + 18)))
    return widths


def update_row(grid: DataGrid, position: int, row: dict) -> None:
    """Redraw one row in place (cells that a contact can change)."""
    cells = display_row(row)
    for column in ("Último contato", "Forma", "Contatado hoje"):
        if grid.get_cell_value_by_index(column, position) != cells[column]:
            grid.set_cell_value_by_index(column, position, cells[column])
