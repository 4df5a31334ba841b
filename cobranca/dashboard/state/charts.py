"""The charts' state: the worklist's aging (from the totals already read) and contacts per day."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from .feature import Feature

HISTORY_DAYS = 30


class ChartsState(Feature):
    def aging(self) -> pd.DataFrame:
        return self.app.aging()

    def contacts_per_day(self) -> tuple[pd.DataFrame, date, date]:
        """Contacts of each of the last HISTORY_DAYS days up to the as-of day, and that period."""
        until = self.app.as_of
        since = until - timedelta(days=HISTORY_DAYS - 1)
        with self.app.unit():
            return self.db.contacts.per_day(since, until), since, until
