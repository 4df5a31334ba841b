"""The two sets of overdue bands, each defined once here, with the classifier and its SQL `CASE` made from it.

- **Faixas de cobrança** (`WORK_BANDS`): the list's colour on "Dias de atraso" — 1–10, 11–30 and more than
  30 days, the same cut-offs as the default saved filters ("Vencidas de 1 a 10 dias", …). They say which
  queue of work a row belongs to.
- **Faixas de vencimento** (`AGING_BANDS`): the aging of the PDF, the charts and the results — a vencer,
  1–30, 31–60, 61–90 and more than 90 days, the usual accounting aging. The keys are stored (aging_snapshots):
  never rename one; the labels are what people read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Band:
    """Days overdue from `low` to `high` (inclusive; None = no bound on that side)."""

    key: str
    low: int | None
    high: int | None
    label: str

    def holds(self, days: int) -> bool:
        return (self.low is None or days >= self.low) and (self.high is None or days <= self.high)


AGING_BANDS: tuple[Band, ...] = (
    Band("a vencer", None, 0, "A vencer"),  # not overdue yet: due today or later, or inside the bank's tolerance
    Band("1-30", 1, 30, "1–30 dias"),
    Band("31-60", 31, 60, "31–60 dias"),
    Band("61-90", 61, 90, "61–90 dias"),
    Band(">90", 91, None, "Mais de 90 dias"),
)
AGING_KEYS = tuple(band.key for band in AGING_BANDS)
AGING_LABELS = {band.key: band.label for band in AGING_BANDS}
NOT_OVERDUE = AGING_BANDS[0].key

WORK_BANDS: tuple[Band, ...] = (  # keys are the css classes of the list's rows
    Band("band-1", 1, 10, "1–10 dias"),
    Band("band-2", 11, 30, "11–30 dias"),
    Band("band-3", 31, None, "mais de 30 dias"),
)
WORK_BANDS_NAME = "faixa de cobrança"
AGING_BUCKETS_NAME = "faixa de vencimento"
LEGEND = ("Cor da faixa de cobrança (a dos filtros padrão): 1–10, 11–30, mais de 30 dias. "
          "O PDF e os gráficos usam as faixas de vencimento: 1–30, 31–60, 61–90, mais de 90 dias.")


def band_of(bands: Sequence[Band], days: int) -> str | None:
    """The key of the band holding `days`, or None."""
    return next((band.key for band in bands if band.holds(days)), None)


def band_sql(bands: Sequence[Band], days: str) -> str:
    """SQL twin of `band_of`: a CASE over the integer SQL expression `days` (NULL outside every band)."""
    whens = []
    for band in bands:
        bounds = [f"{days} >= {int(band.low)}"] if band.low is not None else []
        bounds += [f"{days} <= {int(band.high)}"] if band.high is not None else []
        quoted = band.key.replace("'", "''")
        whens.append(f"WHEN {' AND '.join(bounds) or 'TRUE'} THEN '{quoted}'")
    return f"CASE {' '.join(whens)} END"


def aging_band(days: int) -> str:
    """The faixa de vencimento (its key) of `days` overdue: 'a vencer' for 0 or less."""
    return band_of(AGING_BANDS, days)


def aging_band_sql(days: str) -> str:
    """SQL twin of `aging_band` over the integer SQL expression `days`."""
    return band_sql(AGING_BANDS, days)


def work_band(days: int) -> str:
    """The css class of a row's faixa de cobrança ('band-0' when not overdue)."""
    return band_of(WORK_BANDS, days) or "band-0"
