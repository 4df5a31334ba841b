"""Facade: the one clock — company now/today, timestamps stored as naive UTC and read back in company time."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from zoneinfo import ZoneInfo

import pandas as pd

from ..contacting.hours import parse_timezone
from ..core import clock

TZ_CACHE_SECONDS = 30.0
TIMESTAMP_COLUMNS = ("created_at", "cancelled_at", "last_contact_at", "updated_at", "recorded_at", "assigned_at",
                     "started_at", "expires_at", "taken_at", "at")


class ClockMixin:
    def company_tz(self) -> ZoneInfo:
        """The company's time zone (the `timezone` setting), read at most every TZ_CACHE_SECONDS.

        Cached so that "today" costs no database open on every redraw; `set_setting('timezone', …)` in this
        process clears it, another process's change is seen within the cache time.
        """
        cached = getattr(self, "_tz_cache", None)
        if cached is not None and time.monotonic() < cached[0]:
            return cached[1]
        with self._con() as con:
            text = con.execute("SELECT value FROM settings WHERE key = 'timezone'").fetchone()
        try:
            tz = parse_timezone(text[0]) if text else ZoneInfo(clock.DEFAULT_TIMEZONE)
        except ValueError:
            tz = ZoneInfo(clock.DEFAULT_TIMEZONE)  # a refused stored value falls back, as settings() does
        self._tz_cache = (time.monotonic() + TZ_CACHE_SECONDS, tz)
        return tz

    def now(self) -> datetime:
        """Now, aware, in company time (COBRANCA_NOW in tests)."""
        return clock.now(self.company_tz())

    def today(self) -> date:
        """Today in company time — not the server's date."""
        return clock.today(self.company_tz())

    def _stamp(self, at: datetime | None = None) -> datetime:
        """`at` (naive = company time) or now, as the stored naive UTC."""
        tz = self.company_tz()
        return clock.to_utc(at, tz) if at is not None else clock.stored(tz)

    def _stamps(self, values: pd.Series) -> pd.Series:
        """Many moments (naive = company time) as stored naive UTC, vectorised."""
        moments = pd.to_datetime(values)
        if moments.dt.tz is None:
            moments = moments.dt.tz_localize(self.company_tz().key, ambiguous="NaT", nonexistent="shift_forward")
        return moments.dt.tz_convert("UTC").dt.tz_localize(None)

    def _day_bounds(self, day: date) -> tuple[datetime, datetime]:
        """The stored (naive UTC) [start, end) of a company-time day."""
        tz = self.company_tz()
        start = datetime.combine(day, clock_time(), tzinfo=tz)
        end = datetime.combine(day + timedelta(days=1), clock_time(), tzinfo=tz)
        return clock.to_utc(start, tz), clock.to_utc(end, tz)

    def _shown_value(self, value: datetime | None) -> datetime | None:
        """A stored timestamp as naive company time (None stays None)."""
        if value is None or pd.isna(value):
            return None
        return clock.shown(pd.Timestamp(value).to_pydatetime(), self.company_tz()).replace(tzinfo=None)

    def _shown(self, frame: pd.DataFrame) -> pd.DataFrame:
        """`frame` with its timestamp columns in naive company time (the one place stored UTC is converted)."""
        tz = self.company_tz().key
        for column in TIMESTAMP_COLUMNS:
            if column in frame.columns and pd.api.types.is_datetime64_any_dtype(frame[column]):
                values = frame[column]
                if values.dt.tz is None:
                    values = values.dt.tz_localize("UTC")
                frame[column] = values.dt.tz_convert(tz).dt.tz_localize(None)
        return frame
