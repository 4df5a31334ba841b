"""The worklist's display frame: one row per receivable with sortable keys (drawn by table.py).

The frame never holds money for logic. Each row's position is the row's position in the dashboard's
`shown` worklist (Decimal money); handlers go back to that frame by position. Money is kept as integer
centavos and dates as ISO text, so sorting is exact; table.py writes them as "R$ 1.234,56" and "01/06/2020".
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import badges

MAX_GRID_ROWS = 5_000  # more rows than this are cut (sorted by days overdue) with "mostrando N de M"
CONTACTED_COLOUR = "#c8f7c5"
HEADER_HEIGHT = 32  # px of the table's header row and of each body row (style.py)
ROW_HEIGHT = 28

COLUMNS = [
    "Cliente", "Documento/Parcela", badges.COLUMN, "Vencimento", "Dias de atraso", "Saldo", "Valor atualizado",
    "Celular", "Último contato", "Forma", "Contatado hoje",
]
YES, NO = "Sim", "Não"
# What an analyst decides on: always drawn. The others are in the side panel and behind "Colunas".
DECISION_COLUMNS = ("Cliente", "Documento/Parcela", "Vencimento", "Dias de atraso", "Valor atualizado", "Último contato")
OPTIONAL_COLUMNS = tuple(c for c in COLUMNS if c not in DECISION_COLUMNS)
AUTO_COLUMNS = (badges.COLUMN,)  # drawn by default when some row of the list has a value in it


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


def _texts(values: pd.Series) -> np.ndarray:
    return values.astype(object).where(values.notna(), "").to_numpy(object)


def _cents_of(values: pd.Series) -> np.ndarray:
    """Exact centavos of a DECIMAL(18,2) column (pyarrow decimals, or Decimal objects)."""
    try:
        arrow = values.array._pa_array if hasattr(values.array, "_pa_array") else pa.array(values, pa.decimal128(18, 2))
        return pc.cast(pc.multiply(arrow, pa.scalar(100, pa.int64())), pa.int64()).to_numpy(zero_copy_only=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
        return np.array([_cents(v) for v in values], dtype="int64")


def _iso(values: pd.Series, pattern: str) -> np.ndarray:
    moments = pd.to_datetime(values)
    return moments.dt.strftime(pattern).where(moments.notna(), "").to_numpy(object)


def display_frame(shown: pd.DataFrame | None) -> pd.DataFrame:
    """The grid's frame for the `shown` worklist rows, index = row position (column-wise: 5,000 rows in ~30 ms)."""
    numeric = ("Dias de atraso", "Saldo", "Valor atualizado")
    if shown is None or shown.empty:
        frame = pd.DataFrame({c: pd.Series(dtype="int64" if c in numeric else object) for c in COLUMNS})
    else:
        frame = pd.DataFrame({
            "Cliente": _texts(shown["customer"]),
            "Documento/Parcela": (shown["document"].astype(str) + " / " + shown["installment"].astype(str)).to_numpy(object),
            badges.COLUMN: np.array(badges.badge_column(shown), dtype=object),
            "Vencimento": _iso(shown["due_date"], "%Y-%m-%d"),
            "Dias de atraso": shown["days_overdue"].to_numpy("int64"),
            "Saldo": _cents_of(shown["balance"]),
            "Valor atualizado": _cents_of(shown["updated_amount"]),
            "Celular": _texts(shown["mobile"]),
            "Último contato": _iso(shown["last_contact_at"], "%Y-%m-%d %H:%M"),
            "Forma": _texts(shown["last_contact_channel"]),
            "Contatado hoje": np.where(shown["contacted_today"].fillna(False).to_numpy(bool), YES, NO).astype(object),
        }, columns=COLUMNS)
    frame.index = pd.RangeIndex(len(frame), name="linha")
    return frame
