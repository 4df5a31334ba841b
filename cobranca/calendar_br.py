"""Brazilian business days (national holidays from `holidays`) and date parsing."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$")
_BR = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?: 00:00(?::00)?)?$")


@lru_cache(maxsize=64)
def _national_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("BR", years=year)


def is_national_holiday(day: date) -> bool:
    """A Brazilian national holiday (no legal contact hours on it)."""
    return day in _national_holidays(day.year)


def is_business_day(day: date) -> bool:
    """Monday to Friday and not a Brazilian national holiday."""
    return day.weekday() < 5 and day not in _national_holidays(day.year)


def payable_until(due: date) -> date:
    """Last day a payment counts as on time: the due date, or the next business day when it falls on a day off."""
    day = due
    while not is_business_day(day):
        day += timedelta(days=1)
    return day


def parse_date(text: str) -> date:
    """Parse dd/mm/yyyy or yyyy-mm-dd; ValueError with a pt-BR reason otherwise."""
    if isinstance(text, datetime):
        return text.date()
    if isinstance(text, date):
        return text
    s = str(text).strip()
    m = _BR.match(s)
    if m:
        d, mo, y = (int(g) for g in m.groups())
    else:
        m = _ISO.match(s)
        if not m:
            raise ValueError("não é uma data válida (use dd/mm/aaaa ou aaaa-mm-dd)")
        y, mo, d = (int(g) for g in m.groups())
    try:
        return date(y, mo, d)
    except ValueError as exc:
        raise ValueError("não é uma data válida") from exc
