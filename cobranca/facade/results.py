"""Facade: results of collection work as DataFrames and one summary (formulas in cobranca/results/formulas.py)."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from .. import settings as settings_mod
from ..core.calendar import parse_date
from ..core.date_range import check_day
from ..core.errors import InputError
from ..core.text import cut
from ..promises.status import BROKEN, KEPT, Agreed, Promise, promise_outcomes
from ..results import formulas
from ..store import promises as promise_records
from ..store import results as records

DEFAULT_PERIOD_DAYS = 30


def _day(value, label: str) -> date | None:
    if value is None or value == "":
        return None
    try:
        return check_day(parse_date(value), label)
    except ValueError as exc:
        raise InputError(f"{label} '{cut(value)}' {exc}.") from exc


def _promise_or_agreed(row: dict) -> Promise | Agreed:
    """A row of store/promises.promises_with_balances as the rules' type."""
    made_on = pd.Timestamp(row["made_on"]).date()
    if row["kind"] == "agreement":
        return Agreed(row["balance_before"], made_on)
    return Promise(pd.Timestamp(row["promise_date"]).date(), row["amount"], row["balance_before"], made_on)


class Results:
    """`db.results`: period, recovery_window_days, aging, aging_trend, dso, cei, days_late, recovered_after_contact,
    contacts_per_analyst, promise_kept_rate, summary."""

    def __init__(self, db):
        self.db = db

    def period(self, since=None, until=None) -> tuple[date, date]:
        """[since, until] with defaults (the 30 days up to today); InputError when reversed."""
        until = _day(until, "Data final") or self.db.today()
        since = _day(since, "Data inicial") or until - timedelta(days=DEFAULT_PERIOD_DAYS - 1)
        if since > until:
            raise InputError(f"Período inválido: {since:%d/%m/%Y} é depois de {until:%d/%m/%Y}.")
        return since, until

    def recovery_window_days(self) -> int:
        """The setting recovery_window_days (only this one parsed; a stored value now refused falls back to 7)."""
        setting = settings_mod.SETTINGS["recovery_window_days"]
        try:
            return int(setting.parse(self.db.settings.stored().get(setting.key, setting.default)))
        except ValueError:
            return int(setting.parse(setting.default))

    def aging(self, as_of: date | None = None) -> pd.DataFrame:
        """Open receivables and balance per bucket (a vencer, 1-30, 31-60, 61-90, >90) on `as_of`."""
        with self.db._con() as con:
            return records.aging_today(con, as_of or self.db.today())

    def aging_trend(self, since: date | None = None, until: date | None = None) -> pd.DataFrame:
        """The snapshot kept by the imports, last of each day: day, bucket, receivables, balance."""
        with self.db._con() as con:
            return records.aging_trend(con, since, until)

    def dso(self, day: date | None = None, _outstanding: dict | None = None) -> dict:
        """DSO by countback on `day`: receivables then, the monthly windows used and the days."""
        day = day or self.db.today()
        with self.db._con() as con:
            outstanding = _outstanding or records.receivables_at(con, day, self.db.company_tz().key)
            sales = records.sales_by_day(con, day)
        oldest = sales[-1][0] if sales else day
        windows = formulas.month_windows(day, sales, oldest)
        return {"receivables": outstanding["total"], "windows": windows,
                "dso": formulas.dso_countback(outstanding["total"], windows)}

    def cei(self, since: date, until: date, _end: dict | None = None) -> dict:
        """Collection effectiveness index of [since, until] with its four inputs."""
        with self.db._con() as con:
            start = records.receivables_at(con, formulas.day_before(since), self.db.company_tz().key)
            end = _end or records.receivables_at(con, until, self.db.company_tz().key)
            sales = records.sales_between(con, since, until)
        return {"beginning": start["total"], "sales": sales, "ending": end["total"], "ending_current": end["current"],
                "cei": formulas.cei(start["total"], sales, end["total"], end["current"])}

    def days_late(self, since: date, until: date, _end: dict | None = None) -> dict:
        """Average days late weighted by amount: of receivables settled in the period, of those open at its end."""
        with self.db._con() as con:
            settled = records.settled_days_late(con, since, until, self.db.company_tz().key)
            open_ = _end or records.receivables_at(con, until, self.db.company_tz().key)
        return {"settled": formulas.weighted_average_days(settled["weighted_days"], settled["weight"]),
                "settled_count": settled["count"],
                "open": formulas.weighted_average_days(open_["weighted_days"], open_["total"]),
                "open_count": open_["open"]}

    def recovered_after_contact(self, since: date, until: date, by: str = "channel",
                                window_days: int | None = None) -> pd.DataFrame:
        """Payments in the period within N days (setting recovery_window_days) of a contact on the receivable:
        grp (channel, analyst or 'Total' for by='all'), receivables, recovered (R$)."""
        if by not in ("channel", "responsible", "all"):
            raise ValueError(f"unknown grouping {by!r}")
        return self._recovered(since, until, window_days)[by]

    def _recovered(self, since: date, until: date, window_days: int | None) -> dict[str, pd.DataFrame]:
        window = self.recovery_window_days() if window_days is None else int(window_days)
        with self.db._con() as con:
            frame = records.recovered_after_contact(con, since, until, window, self.db.company_tz().key)
        return {level: frame[frame["level"] == level].drop(columns="level").reset_index(drop=True)
                for level in ("channel", "responsible", "all")}

    def contacts_per_analyst(self, since: date, until: date) -> pd.DataFrame:
        """Contacts (comments and cancelled ones left out) per analyst per day: analyst, day, contacts."""
        with self.db._con() as con:
            return records.contacts_per_analyst_day(con, since, until, self.db.company_tz().key)

    def promise_kept_rate(self, since: date, until: date) -> dict:
        """Promises due in [since, until], judged on `until`: kept, broken, rate = kept ÷ (kept + broken)."""
        with self.db._con() as con:
            frame = promise_records.promises_with_balances(con, self.db.company_tz().key)
        kept = broken = 0
        for _, group in frame.groupby("receivable_id", sort=False):
            rows = group.to_dict("records")
            promises = [_promise_or_agreed(r) for r in rows]
            paid = rows[-1]["paid_date"]
            paid = None if pd.isna(paid) else pd.Timestamp(paid).date()
            judged = [p for p in promises if isinstance(p, Promise)]
            for promise, outcome in zip(judged, promise_outcomes(promises, rows[-1]["balance"], until, paid),
                                        strict=True):
                if since <= promise.due <= until:
                    kept += outcome == KEPT
                    broken += outcome == BROKEN
        return {"kept": kept, "broken": broken, "rate": formulas.rate(kept, kept + broken)}

    def summary(self, since=None, until=None) -> dict:
        """Every result of the period in one read: the figures above plus their tables."""
        since, until = self.period(since, until)
        with self.db._con() as con:
            window = self.recovery_window_days()
            payments = records.payments_between(con, since, until, self.db.company_tz().key)
            end = records.receivables_at(con, until, self.db.company_tz().key)  # shared by DSO, CEI and the open days late
            recovered = self._recovered(since, until, window)
            return {
                "since": since, "until": until, "window_days": window,
                "dso": self.dso(until, end), "cei": self.cei(since, until, end),
                "days_late": self.days_late(since, until, end),
                "recovered_total": recovered["all"],
                "recovered_by_channel": recovered["channel"],
                "recovered_by_analyst": recovered["responsible"],
                "payments": payments,
                "promises": self.promise_kept_rate(since, until),
                "contacts_per_analyst": self.contacts_per_analyst(since, until),
                "aging": self.aging(until), "aging_trend": self.aging_trend(None, until),
            }
