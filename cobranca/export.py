"""Spreadsheet-safe exports of a worklist: CSV and XLSX with formula injection neutralised."""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from decimal import Decimal

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Plain signed numbers only: Decimal() would also pass '-NaN', '-Infinity' and '-_0', which a spreadsheet reads as names.
_SIGNED_NUMBER = re.compile(r"[+-][0-9]+(\.[0-9]+)?")


def neutralise(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; numbers pass."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _SIGNED_NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with every text cell neutralised; money stays Decimal."""
    return _map_text(frame, neutralise)


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


def to_xlsx_bytes(frame: pd.DataFrame, sheet: str = "Cobranças") -> bytes:
    """XLSX with money as exact numbers (openpyxl writes Decimals), 2 decimals shown, text neutralised."""
    out = safe_frame(_map_text(frame, _xml_safe))  # cleaned first: '\x01=1+1' must not become a formula
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        out.to_excel(writer, index=False, sheet_name=sheet)
        ws = writer.sheets[sheet]
        for idx, column in enumerate(frame.columns, start=1):
            if len(frame) and isinstance(frame[column].iloc[0], Decimal):
                for cell in ws.iter_cols(min_col=idx, max_col=idx, min_row=2):
                    for c in cell:
                        c.number_format = "#,##0.00"
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
