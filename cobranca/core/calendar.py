"""The bank's calendar (CMN Res. 4.880/2020): business days, payable-until dates, local holidays; date parsing.

For the financial system a day is not a business day on Saturdays, Sundays, national holidays and Carnival Monday
and Tuesday; a payment due then may be made on the next business day without charges. State and municipal
holidays close the banks of that place too: the company names its place (`holiday_region`, a subdivision of the
`holidays` package) and its municipality's own dates (`holiday_extra`). Pure functions, cached per year.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays
from holidays.constants import OPTIONAL

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$")
_BR = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?: 00:00(?::00)?)?$")
_LOCAL_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})(?:/(\d{4}))?$", re.ASCII)
CORPUS_CHRISTI = "corpus christi"
MIN_YEAR, MAX_YEAR = 1900, 2100


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", str(text).strip().lower())
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


@lru_cache(maxsize=256)
def _national_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("BR", years=year)


@lru_cache(maxsize=256)
def _optional_days(year: int) -> dict[str, tuple[date, ...]]:
    """The package's optional Brazilian days by English name ('Carnival': Monday and Tuesday, 'Corpus Christi')."""
    days: dict[str, list[date]] = {}
    for day, name in holidays.country_holidays("BR", years=year, categories=OPTIONAL, language="en_US").items():
        days.setdefault(name, []).append(day)
    return {name: tuple(sorted(found)) for name, found in days.items()}


@lru_cache(maxsize=1024)
def _regional_holidays(region: str, year: int) -> frozenset[date]:
    """Holidays of a state or city (`holidays` subdivision) that are not national ones."""
    local = holidays.country_holidays("BR", subdiv=region, years=year)
    return frozenset(day for day in local if day not in _national_holidays(year))


def is_national_holiday(day: date) -> bool:
    """A Brazilian national holiday (no legal contact hours on it)."""
    return day in _national_holidays(day.year)


def carnival(year: int) -> tuple[date, ...]:
    """Carnival Monday and Tuesday of `year`: not business days for the financial system."""
    return _optional_days(year).get("Carnival", ())


@dataclass(frozen=True)
class LocalDates:
    """A municipality's own holidays: (day, month, year or None for every year), and Corpus Christi if local."""

    days: tuple[tuple[int, int, int | None], ...] = ()
    corpus_christi: bool = False

    def on(self, year: int) -> frozenset[date]:
        found = set(_optional_days(year).get("Corpus Christi", ())) if self.corpus_christi else set()
        for d, m, y in self.days:
            if y in (None, year):
                try:
                    found.add(date(year, m, d))
                except ValueError:  # 29/02 outside leap years
                    continue
        return frozenset(found)

    def __str__(self) -> str:
        texts = [f"{d:02d}/{m:02d}" + (f"/{y}" if y else "") for d, m, y in self.days]
        return ", ".join(texts + ([CORPUS_CHRISTI] if self.corpus_christi else []))


@dataclass(frozen=True)
class BankCalendar:
    """The business days of the company's banks: national days off and Carnival, plus `region`'s and `extra`."""

    region: str = ""  # a `holidays` BR subdivision ('SP', 'RJ', 'São Paulo Capital') or '' for national only
    extra: LocalDates = field(default_factory=LocalDates)

    def local_holidays(self, year: int) -> frozenset[date]:
        """State and municipal holidays of the company's place in `year`."""
        return _local_holidays(self.region, self.extra, year)

    def is_holiday(self, day: date) -> bool:
        """A national or local holiday (Carnival is not one, unless the place makes it so)."""
        return is_national_holiday(day) or day in self.local_holidays(day.year)

    def is_business_day(self, day: date) -> bool:
        """Monday to Friday, not a national or local holiday, not Carnival Monday or Tuesday."""
        return day.weekday() < 5 and day not in _days_off(self.region, self.extra, day.year)

    def payable_until(self, due: date) -> date:
        """Last day a payment counts as on time: the due date, or the next business day when it falls on a day off."""
        day = due
        while not self.is_business_day(day):
            day += timedelta(days=1)
        return day


@lru_cache(maxsize=1024)
def _local_holidays(region: str, extra: LocalDates, year: int) -> frozenset[date]:
    regional = _regional_holidays(region, year) if region else frozenset()
    return regional | extra.on(year)


@lru_cache(maxsize=1024)
def _days_off(region: str, extra: LocalDates, year: int) -> frozenset[date]:
    national = frozenset(_national_holidays(year))
    return national | frozenset(carnival(year)) | _local_holidays(region, extra, year)


NATIONAL = BankCalendar()


def is_business_day(day: date, calendar: BankCalendar = NATIONAL) -> bool:
    """A business day of the financial system (national days off and Carnival; local ones with `calendar`)."""
    return calendar.is_business_day(day)


def payable_until(due: date, calendar: BankCalendar = NATIONAL) -> date:
    """The due date, or the next business day of `calendar` when it falls on a day off."""
    return calendar.payable_until(due)


def days_to_payable(calendar: BankCalendar, first: date, last: date) -> list[int]:
    """For each day from `first` to `last`: the days from it to its payable-until date (0 on a business day).
    SQL finds a due date's payable-until by list position: no join, no per-row Python."""
    out, day = [], first
    while day <= last:
        out.append(0 if calendar.is_business_day(day) else (calendar.payable_until(day) - day).days)
        day += timedelta(days=1)
    return out


def parse_region(text: str) -> str:
    """The `holidays` subdivision named by a state code or name ('sp', 'Rio de Janeiro', 'São Paulo Capital');
    '' for none. ValueError with a pt-BR reason otherwise."""
    folded = _fold(text)
    if not folded:
        return ""
    known = {_fold(code): code for code in holidays.Brazil.subdivisions}
    known.update({_fold(name): code for name, code in holidays.Brazil.subdivisions_aliases.items()})
    if folded in known:
        return known[folded]
    raise ValueError("não é um estado (use a sigla, como SP, RJ ou MG) nem um município conhecido "
                     "(São Paulo Capital); deixe vazio para só os feriados nacionais e use holiday_extra para "
                     "as datas do seu município")


def parse_local_dates(text: str) -> LocalDates:
    """'25/01, 09/07/2026, corpus christi' -> LocalDates; ValueError with a pt-BR reason for a bad item."""
    days: list[tuple[int, int, int | None]] = []
    corpus = False
    for item in re.split(r"[,;]", str(text)):
        token = _fold(item)
        if not token:
            continue
        if token == CORPUS_CHRISTI:
            corpus = True
            continue
        m = _LOCAL_DATE.match(token)
        if not m:
            raise ValueError(f"tem '{item.strip()}', que não é uma data (use dd/mm para todo ano, dd/mm/aaaa "
                             f"para um ano só, ou '{CORPUS_CHRISTI}', separados por vírgula)")
        d, mo = int(m.group(1)), int(m.group(2))
        year = int(m.group(3)) if m.group(3) else None
        try:
            date(year or 2000, mo, d)  # 2000: a leap year, so 29/02 is a valid every-year date
        except ValueError as exc:
            raise ValueError(f"tem '{item.strip()}', que não é uma data válida") from exc
        if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
            raise ValueError(f"tem '{item.strip()}', com ano fora de {MIN_YEAR} a {MAX_YEAR}")
        if (d, mo, year) not in days:
            days.append((d, mo, year))
    return LocalDates(tuple(days), corpus)


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
