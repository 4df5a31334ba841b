"""Spreadsheet-safe exports of a worklist: CSV and a formatted XLSX (R$, dd/mm/aaaa), formula injection neutralised."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from .sheet_safe import neutralise

__all__ = ["neutralise", "safe_frame", "to_csv_bytes", "to_xlsx_bytes"]


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with every text cell and every header neutralised; money stays Decimal."""
    out = _map_text(frame, neutralise)
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def _map_text(frame: pd.DataFrame, function) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(function)
    return out


def _xml_safe(value):
    """Control characters an XLSX cannot hold (all but tab and line breaks) become U+FFFD."""
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value) if isinstance(value, str) else value


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV as a Brazilian spreadsheet opens it: `;` separated, decimal comma, UTF-8 with BOM."""
    out = safe_frame(frame)
    for column in out.columns:
        out[column] = out[column].map(_csv_cell)
    # CRLF line ends (RFC 4180): only then does the csv writer quote a lone CR, which would otherwise start a new
    # row in the spreadsheet, beginning with whatever text follows it (and escaping neutralise()).
    return out.to_csv(index=False, sep=";", lineterminator="\r\n").encode("utf-8-sig")


MONEY_FORMAT = '"R$" #,##0.00;-"R$" #,##0.00'  # Excel shows it with the reader's separators: R$ 1.234,56
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
MAX_WIDTH = 60


def _kind(series: pd.Series) -> str:
    """money, datetime, date or other: how a column is shown in the spreadsheet."""
    if isinstance(series.dtype, pd.ArrowDtype) and pa_is_decimal(series.dtype):
        return "money"
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return "datetime"
    values = series.dropna()
    if values.empty:
        return "other"
    first = values.iloc[0]
    if isinstance(first, Decimal):
        return "money"
    if isinstance(first, datetime | pd.Timestamp):
        return "datetime"
    if isinstance(first, date):
        return "date"
    return "other"


def pa_is_decimal(dtype) -> bool:
    import pyarrow as pa

    return pa.types.is_decimal(dtype.pyarrow_dtype)


def _width(series: pd.Series, kind: str, header: str) -> float:
    """Characters the widest cell needs as shown (money as R$ 1.234,56); the header gets room for its filter arrow."""
    values = series.dropna()
    if not len(values):
        longest = 0
    elif kind == "money":
        longest = max(len(f"R$ {Decimal(v):,.2f}") for v in values)
    elif kind in ("date", "datetime"):
        longest = len(DATE_FORMAT if kind == "date" else DATETIME_FORMAT)
    else:
        longest = int(values.astype("str").str.split("\n").map(lambda parts: max(map(len, parts))).max())
    return min(max(longest, len(str(header)) + 3) + 2, MAX_WIDTH)


def to_xlsx_bytes(frame: pd.DataFrame, sheet: str = "Cobranças") -> bytes:
    """XLSX an analyst can work in: money as exact numbers shown R$ 1.234,56, real dates shown dd/mm/aaaa,
    columns as wide as their content, the header row frozen and filterable, customer text never a formula."""
    from openpyxl.utils import get_column_letter

    cleaned = _map_text(frame, _xml_safe)  # cleaned first: '\x01=1+1' must not become a formula
    cleaned.columns = [_xml_safe(str(c)) for c in cleaned.columns]
    out = safe_frame(cleaned)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        out.to_excel(writer, index=False, sheet_name=sheet)
        ws = writer.sheets[sheet]
        for idx, column in enumerate(frame.columns, start=1):
            kind = _kind(frame[column])
            number_format = {"money": MONEY_FORMAT, "date": DATE_FORMAT, "datetime": DATETIME_FORMAT}.get(kind)
            if number_format:
                for (cell,) in ws.iter_rows(min_col=idx, max_col=idx, min_row=2):
                    cell.number_format = number_format
            ws.column_dimensions[get_column_letter(idx)].width = _width(frame[column], kind, column)
        ws.freeze_panes = "A2"
        if len(frame.columns):
            ws.auto_filter.ref = f"A1:{get_column_letter(len(frame.columns))}{max(len(frame) + 1, 1)}"
    return buffer.getvalue()


def _csv_cell(value):
    if value is None or (not isinstance(value, str | Decimal) and pd.isna(value)):
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, datetime | pd.Timestamp):
        return value.strftime("%d/%m/%Y %H:%M:%S")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return value
