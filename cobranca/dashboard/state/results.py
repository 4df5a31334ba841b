"""The results' state: the indicators and series of a period (recovered, aging, contacts per analyst)."""

from __future__ import annotations

from datetime import date, timedelta

from .feature import Feature

DEFAULT_DAYS = 30


class ResultsState(Feature):
    def period(self, since: date | None, until: date | None) -> tuple[date, date]:
        """The period asked for; by default the DEFAULT_DAYS days up to the as-of day."""
        until = until or self.app.as_of
        return since or until - timedelta(days=DEFAULT_DAYS - 1), until

    def summary(self, since: date | None, until: date | None) -> dict:
        return self.db.results.summary(*self.period(since, until))
