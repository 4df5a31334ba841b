"""The one clock: "now" and "today" in the company's time zone; stored timestamps are naive UTC.

Every "today" (worklists, KPIs, Pix validity, messages, promises, régua, results) comes from `today(tz)`;
every timestamp written to the database comes from `stored()` (naive UTC, unambiguous across servers);
every timestamp shown or exported goes through `shown()` (company time). COBRANCA_NOW (ISO 8601, with an
offset or read as company time) stands in for the machine clock in tests: the clock starts there and runs, so
successive writes stay ordered; the start is kept in COBRANCA_NOW_ANCHOR so that subprocesses (CLI, Voila)
started later read the same running clock.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from .errors import InputError

CLOCK_ENV = "COBRANCA_NOW"
ANCHOR_ENV = "COBRANCA_NOW_ANCHOR"  # "<COBRANCA_NOW text>|<wall-clock seconds when first read>;…"
DEFAULT_TIMEZONE = "America/Sao_Paulo"


def _elapsed(text: str) -> timedelta:
    """Time since COBRANCA_NOW = `text` was first read (by this process or the one that started it)."""
    starts = dict(entry.rsplit("|", 1) for entry in os.environ.get(ANCHOR_ENV, "").split(";") if "|" in entry)
    if text not in starts:  # each value keeps its own start: going back to a value continues its clock
        starts[text] = repr(time.time())
        os.environ[ANCHOR_ENV] = ";".join(f"{value}|{start}" for value, start in starts.items())
    try:
        return timedelta(seconds=max(0.0, time.time() - float(starts[text])))
    except ValueError:
        return timedelta(0)


def _fixed() -> datetime | None:
    text = os.environ.get(CLOCK_ENV, "").strip()
    if not text:
        return None
    try:
        start = datetime.fromisoformat(text)
    except ValueError as exc:
        raise InputError(f"{CLOCK_ENV}='{text[:60]}' não é uma data e hora ISO (ex.: 2026-11-30T10:00:00-03:00).") from exc
    return start + _elapsed(text)


def now(tz: ZoneInfo) -> datetime:
    """Now, aware, in the company's time zone `tz`."""
    fixed = _fixed()
    if fixed is None:
        return datetime.now(tz)
    return fixed.replace(tzinfo=tz) if fixed.tzinfo is None else fixed.astimezone(tz)


def today(tz: ZoneInfo) -> date:
    """Today's date in the company's time zone (not the server's)."""
    return now(tz).date()


def today_of(tz: ZoneInfo | None) -> date:
    """`today(tz)`, with the default company zone when `tz` is None (a settings dict without `timezone`)."""
    return today(tz if isinstance(tz, ZoneInfo) else ZoneInfo(DEFAULT_TIMEZONE))


def to_utc(moment: datetime, tz: ZoneInfo) -> datetime:
    """`moment` as naive UTC, the stored form; a naive `moment` is read as company time."""
    aware = moment.replace(tzinfo=tz) if moment.tzinfo is None else moment
    return aware.astimezone(UTC).replace(tzinfo=None)


def stored(tz: ZoneInfo | None = None) -> datetime:
    """Now as naive UTC, to be written to the database."""
    zone = tz or ZoneInfo(DEFAULT_TIMEZONE)
    return to_utc(now(zone), zone)


def shown(stored_utc: datetime | None, tz: ZoneInfo) -> datetime | None:
    """A stored (naive UTC) timestamp as aware company time, for display and exports."""
    if stored_utc is None:
        return None
    aware = stored_utc.replace(tzinfo=UTC) if stored_utc.tzinfo is None else stored_utc
    return aware.astimezone(tz)
