"""Results of collection work as pure formulas (no I/O): DSO countback, CEI, weighted days late.

The store (store/results.py) sums the inputs in SQL; these functions turn those sums into the figures. The aging
buckets (faixas de vencimento) are defined once, in receivables/bands.py.
Definitions and sources are in the README, section "Resultados".
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

ONE_DECIMAL = Decimal("0.1")
ZERO = Decimal("0.00")


def months_back(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (clamped to the month's last day: 31/03 - 1 = 29/02)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


@dataclass(frozen=True)
class Window:
    """Sales of the period (start, end]: one month of the countback, newest first."""

    start: date  # exclusive
    end: date  # inclusive
    sales: Decimal

    @property
    def days(self) -> int:
        return (self.end - self.start).days


def month_windows(end: date, daily_sales: Iterable[tuple[date, Decimal]], oldest: date) -> list[Window]:
    """Monthly windows (end - k months, end - (k-1) months], k = 1, 2, … back to `oldest`, with their sales."""
    sales = list(daily_sales)
    windows, k = [], 1
    while True:
        start, stop = months_back(end, k), months_back(end, k - 1)
        total = sum((amount for day, amount in sales if start < day <= stop), ZERO)
        windows.append(Window(start, stop, total))
        if start < oldest:
            return windows
        k += 1


def dso_countback(receivables: Decimal, windows: Sequence[Window]) -> Decimal | None:
    """Days sales outstanding by the countback method, one decimal; None without any sales.

    Walk back month by month from the end of the period: while the receivables left exceed a month's sales,
    take the whole month's days and subtract its sales; the month that covers the rest adds
    rest ÷ its sales × its days.
    """
    if receivables <= 0:
        return Decimal("0.0")
    rest, days = Decimal(receivables), Decimal(0)
    for window in windows:
        if window.sales >= rest:
            days += rest / window.sales * window.days
            return days.quantize(ONE_DECIMAL, ROUND_HALF_UP)
        rest -= window.sales
        days += window.days
    return None  # more receivables than sales on record (amounts issued before any known date)


def cei(beginning: Decimal, sales: Decimal, ending_total: Decimal, ending_current: Decimal) -> Decimal | None:
    """Collection effectiveness index in %, one decimal: (B + S - E) ÷ (B + S - Ec) × 100; None when 0 ÷ 0.

    B = receivables at the start, S = sales of the period, E = receivables at the end, Ec = those not yet due.
    """
    collectible = beginning + sales - ending_current
    if collectible == 0:
        return None
    return ((beginning + sales - ending_total) / collectible * 100).quantize(ONE_DECIMAL, ROUND_HALF_UP)


def weighted_average_days(weighted_days: Decimal, weight: Decimal) -> Decimal | None:
    """Σ(amount × days) ÷ Σ amount, one decimal; None when nothing weighs."""
    if weight == 0:
        return None
    return (Decimal(weighted_days) / Decimal(weight)).quantize(ONE_DECIMAL, ROUND_HALF_UP)


def rate(part: int, whole: int) -> Decimal | None:
    """part ÷ whole as a fraction with 4 decimals; None when whole is 0."""
    if whole == 0:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def day_before(day: date) -> date:
    return day - timedelta(days=1)
