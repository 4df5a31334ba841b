"""The dates accepted from the user: 01/01/1900 to 31/12/2100; anything else is a typo, not a date to compute with."""

from __future__ import annotations

from datetime import date, datetime

from .errors import InputError

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2100, 12, 31)
RANGE_TEXT = "01/01/1900 a 31/12/2100"


def _br(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"  # strftime drops the zeros of year 1


def check_day(day: date, label: str) -> date:
    """`day` if it lies in the accepted range, else a pt-BR InputError naming `label`."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InputError(f"{label} {_br(day)} fora do intervalo aceito ({RANGE_TEXT}); confira o ano.")
    return day


def check_moment(moment: datetime, label: str) -> datetime:
    check_day(moment.date(), label)
    return moment
