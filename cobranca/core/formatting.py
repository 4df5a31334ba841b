"""pt-BR display of money, numbers, dates and times (babel)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pandas as pd
from babel.dates import format_date as _format_date
from babel.dates import format_datetime as _format_datetime
from babel.numbers import format_currency, format_decimal

from .money import round_cents
from .text import noun

LOCALE = "pt_BR"


def is_missing(value) -> bool:
    """True for None, NaN, NaT and pandas NA (an empty worklist cell)."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # lists and other non-scalars are values, not missing
        return False


def text(value) -> str:
    """A cell as stripped text; '' when missing (None, NaN, NaT, NA)."""
    return "" if is_missing(value) else str(value).strip()


def brl(value: Decimal | int | None) -> str:
    """R$ 1.234,56 (non-breaking space replaced by a plain one)."""
    if value is None:
        return ""
    text = format_currency(round_cents(Decimal(value)), "BRL", locale=LOCALE)
    return text.replace("\u00a0", " ")


def number(value: Decimal | int, decimals: int = 2) -> str:
    """1.234,56 without the currency sign."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=LOCALE)


def day(value: date | datetime | None) -> str:
    """01/06/2020."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    return _format_date(value, format="dd/MM/yyyy", locale=LOCALE)


def moment(value: datetime | None) -> str:
    """08/06/2020 09:24:22."""
    if value is None:
        return ""
    return _format_datetime(value, format="dd/MM/yyyy HH:mm:ss", locale=LOCALE)


def plural(count: int, one: str, many: str) -> str:
    """'1 conta', '36.500 contas', '0 contas': the count with thousands separators and the right noun."""
    return f"{number(int(count), 0)} {noun(count, one, many)}"


def file_size(size: int) -> str:
    """A download's size in pt-BR: '850 bytes', '12,4 KB', '3,2 MB' (never '(0 KB)')."""
    if size < 1024:
        return plural(size, "byte", "bytes")
    if size < 1024 * 1024:
        return f"{number(Decimal(size) / 1024, 1)} KB"
    return f"{number(Decimal(size) / (1024 * 1024), 1)} MB"
