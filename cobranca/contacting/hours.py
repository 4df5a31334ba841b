"""Legal contact hours: the weekly window setting, the company's time zone, and when a message may go out."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..core import clock
from ..core.calendar import NATIONAL, BankCalendar, is_national_holiday
from ..core.errors import InputError

DEFAULT_CONTACT_HOURS = "seg-sex 08:00-20:00; sab 08:00-14:00"
DEFAULT_TIMEZONE = "America/Sao_Paulo"
UNLIMITED = "livre"

DAY_NAMES = ("seg", "ter", "qua", "qui", "sex", "sab", "dom")  # Monday = 0, as date.weekday()
_DAY_RE = r"(seg|ter|qua|qui|sex|sab|dom)"
_DAYS_RE = re.compile(rf"^{_DAY_RE}(?:-{_DAY_RE})?$")
_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})$")
_END_OF_DAY = time(23, 59, 59, 999999)


def _fold(text: str) -> str:
    """Lower case without accents ('Sáb' -> 'sab')."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _clock(text: str, is_end: bool) -> time:
    m = _TIME_RE.match(text.strip())
    if not m:
        raise ValueError(f"horário '{text.strip()}' inválido (use HH:MM, ex.: 08:00)")
    hours, minutes = int(m.group(1)), int(m.group(2))
    if is_end and (hours, minutes) == (24, 0):
        return _END_OF_DAY
    if hours > 23 or minutes > 59:
        raise ValueError(f"horário '{text.strip()}' inválido (de 00:00 a 24:00)")
    return time(hours, minutes)


def _days(text: str) -> list[int]:
    """Weekday numbers of 'seg-sex', 'sab', 'seg,qua,sex' (ranges may not wrap past Sunday)."""
    found: list[int] = []
    for part in text.split(","):
        m = _DAYS_RE.match(part.strip())
        if not m:
            raise ValueError(f"dia '{part.strip()}' desconhecido (use {', '.join(DAY_NAMES)}, ou um intervalo "
                             "como seg-sex)")
        first = DAY_NAMES.index(m.group(1))
        last = DAY_NAMES.index(m.group(2)) if m.group(2) else first
        if last < first:
            raise ValueError(f"intervalo de dias '{part.strip()}' invertido (use a ordem seg … dom)")
        found += range(first, last + 1)
    return found


@dataclass(frozen=True)
class ContactHours:
    """When debtors may be contacted: `windows[weekday]` = (start, end) pairs, end exclusive; None = no limit.

    National holidays, and the local ones of `calendar` (the company's state and municipality), have no window
    whatever the weekday. Naive datetimes are read as the company's local time.
    """

    windows: dict[int, tuple[tuple[time, time], ...]] | None
    tz: ZoneInfo
    text: str = DEFAULT_CONTACT_HOURS
    calendar: BankCalendar = NATIONAL

    @property
    def unlimited(self) -> bool:
        return self.windows is None

    def local(self, moment: datetime) -> datetime:
        """`moment` in the company's time zone (aware)."""
        return moment.replace(tzinfo=self.tz) if moment.tzinfo is None else moment.astimezone(self.tz)

    def now(self) -> datetime:
        return clock.now(self.tz)

    def _day_windows(self, day: date) -> tuple[tuple[time, time], ...]:
        if self.calendar.is_holiday(day):
            return ()
        return self.windows.get(day.weekday(), ())

    def is_allowed(self, moment: datetime) -> bool:
        """True when a message may go out at `moment`."""
        if self.windows is None:
            return True
        local = self.local(moment)
        clock = local.time().replace(tzinfo=None)
        return any(start <= clock < end for start, end in self._day_windows(local.date()))

    def next_allowed(self, moment: datetime) -> datetime:
        """`moment` itself when allowed, else the start of the next window (aware, company time zone)."""
        local = self.local(moment)
        if self.is_allowed(local):
            return local
        clock = local.time().replace(tzinfo=None)
        for offset in range(0, 400):  # a year of holidays cannot close every window of a parsed schedule
            day = local.date() + timedelta(days=offset)
            for start, _end in sorted(self._day_windows(day)):
                if offset > 0 or start > clock:
                    return datetime.combine(day, start, tzinfo=self.tz)
        raise InputError("Não há horário permitido para contato no próximo ano; revise a configuração contact_hours.")

    def refusal(self, moment: datetime) -> str | None:
        """A pt-BR message why a message may not go out at `moment` (with the next allowed moment), or None."""
        if self.is_allowed(moment):
            return None
        local, nxt = self.local(moment), self.next_allowed(moment)
        day = local.date()
        why = ("feriado nacional" if is_national_holiday(day) else
               "feriado local" if self.calendar.is_holiday(day) else "fora do horário permitido")
        return (f"Envio bloqueado: {local:%d/%m/%Y %H:%M} é {why} para cobrança ({self.text}; "
                f"fuso {self.tz.key}). Próximo horário permitido: {nxt:%d/%m/%Y} às {nxt:%H:%M}.")

    def check(self, moment: datetime | None = None) -> None:
        """InputError with `refusal` when a message may not go out now (or at `moment`)."""
        message = self.refusal(moment or self.now())
        if message:
            raise InputError(message)


def parse_contact_hours(text: str) -> dict[int, tuple[tuple[time, time], ...]] | None:
    """'seg-sex 08:00-20:00; sab 08:00-14:00' -> {0: ((8:00, 20:00),), …}; 'livre' -> None. ValueError (pt-BR)."""
    folded = _fold(str(text)).strip()
    if folded == UNLIMITED:
        return None
    if not folded:
        raise ValueError(f"está vazio (use, por exemplo, '{DEFAULT_CONTACT_HOURS}' ou '{UNLIMITED}')")
    windows: dict[int, list[tuple[time, time]]] = {}
    for part in folded.split(";"):
        part = part.strip()
        if not part:
            continue
        pieces = part.split()
        if len(pieces) != 2 or "-" not in pieces[1]:
            raise ValueError(f"trecho '{part}' inválido (use DIAS HH:MM-HH:MM, ex.: seg-sex 08:00-20:00)")
        start_text, _, end_text = pieces[1].partition("-")
        start, end = _clock(start_text, False), _clock(end_text, True)
        if start >= end:
            raise ValueError(f"no trecho '{part}' o início não é antes do fim")
        for weekday in _days(pieces[0]):
            for other_start, other_end in windows.get(weekday, []):
                if start < other_end and other_start < end:
                    raise ValueError(f"o trecho '{part}' se sobrepõe a outro no mesmo dia ({DAY_NAMES[weekday]})")
            windows.setdefault(weekday, []).append((start, end))
    if not windows:
        raise ValueError("não tem nenhum horário")
    return {day: tuple(sorted(spans)) for day, spans in windows.items()}


def format_contact_hours(windows: dict[int, tuple[tuple[time, time], ...]] | None) -> str:
    """The setting's text of parsed windows, one day at a time ('seg 08:00-20:00; …'); 'livre' for None."""
    if windows is None:
        return UNLIMITED
    parts = []
    for day in sorted(windows):
        for start, end in windows[day]:
            end_text = "24:00" if end == _END_OF_DAY else f"{end:%H:%M}"
            parts.append(f"{DAY_NAMES[day]} {start:%H:%M}-{end_text}")
    return "; ".join(parts)


@dataclass(frozen=True)
class Schedule:
    """The typed value of the contact_hours setting; its text is the canonical setting ('livre' when None)."""

    windows: dict[int, tuple[tuple[time, time], ...]] | None

    def __str__(self) -> str:
        return format_contact_hours(self.windows)


def parse_schedule(text: str) -> Schedule:
    """The contact_hours setting parser (ValueError with a pt-BR reason)."""
    return Schedule(parse_contact_hours(text))


def parse_timezone(text: str) -> ZoneInfo:
    """An IANA time zone ('America/Sao_Paulo'); ValueError (pt-BR) for an unknown one."""
    name = str(text).strip()
    if not name or name.startswith(("/", ".")) or ".." in name:
        raise ValueError("não é um fuso horário válido (ex.: America/Sao_Paulo, America/Manaus)")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise ValueError("não é um fuso horário válido (ex.: America/Sao_Paulo, America/Manaus)") from exc


def contact_hours(text: str = DEFAULT_CONTACT_HOURS, timezone: str | ZoneInfo = DEFAULT_TIMEZONE) -> ContactHours:
    """The ContactHours of the two settings' texts."""
    tz = timezone if isinstance(timezone, ZoneInfo) else parse_timezone(timezone)
    return ContactHours(parse_contact_hours(text), tz, str(text).strip())


def unlimited_warning(schedule: Schedule) -> str | None:
    """`settings show` warning when the legal-hours limit is lifted."""
    if schedule.windows is None:
        return ("Atenção: contact_hours = livre desliga o limite de horário para cobrança. Só use em cobrança "
                "entre empresas; com consumidores vale o CDC (arts. 42 e 71) e leis estaduais como a "
                "Lei SP 15.426/2014 (seg-sex 8h-20h, sáb 8h-14h).")
    return None
