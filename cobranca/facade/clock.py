"""Facade: the one clock's conversions — timestamps stored as naive UTC, read back in company time."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from datetime import time as clock_time
from zoneinfo import ZoneInfo

import pandas as pd

from ..contacting.hours import parse_timezone
from ..core import clock

TZ_CACHE_SECONDS = 30.0
TIMESTAMP_COLUMNS = ("created_at", "cancelled_at", "last_contact_at", "updated_at", "recorded_at", "assigned_at",
                     "started_at", "expires_at", "taken_at", "at")


def stored_timezone(con) -> ZoneInfo:
    """The `timezone` setting as stored; a missing or refused value falls back, as settings() does."""
    text = con.execute("SELECT value FROM settings WHERE key = 'timezone'").fetchone()
    try:
        return parse_timezone(text[0]) if text else ZoneInfo(clock.DEFAULT_TIMEZONE)
    except ValueError:
        return ZoneInfo(clock.DEFAULT_TIMEZONE)


def stamp(at: datetime | None, tz: ZoneInfo) -> datetime:
    """`at` (naive = company time) or now, as the stored naive UTC."""
    return clock.to_utc(at, tz) if at is not None else clock.stored(tz)


def stamps(values: pd.Series, tz: ZoneInfo) -> pd.Series:
    """Many moments (naive = company time) as stored naive UTC, vectorised."""
    moments = pd.to_datetime(values)
    if moments.dt.tz is None:
        moments = moments.dt.tz_localize(tz.key, ambiguous="NaT", nonexistent="shift_forward")
    return moments.dt.tz_convert("UTC").dt.tz_localize(None)


def day_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The stored (naive UTC) [start, end) of a company-time day."""
    start = datetime.combine(day, clock_time(), tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), clock_time(), tzinfo=tz)
    return clock.to_utc(start, tz), clock.to_utc(end, tz)


def shown_value(value: datetime | None, tz: ZoneInfo) -> datetime | None:
    """A stored timestamp as naive company time (None stays None)."""
    if value is None or pd.isna(value):
        return None
    return clock.shown(pd.Timestamp(value).to_pydatetime(), tz).replace(tzinfo=None)


def shown(frame: pd.DataFrame, tz: ZoneInfo) -> pd.DataFrame:
    """`frame` with its timestamp columns in naive company time (the one place stored UTC is converted)."""
    for column in TIMESTAMP_COLUMNS:
        if column in frame.columns and pd.api.types.is_datetime64_any_dtype(frame[column]):
            values = frame[column]
            if values.dt.tz is None:
                values = values.dt.tz_localize("UTC")
            frame[column] = values.dt.tz_convert(tz.key).dt.tz_localize(None)
    return frame
