"""The two sets of overdue bands, each named and defined once.

- **Faixas de cobrança** (`WORK_BANDS`, here): the list's colour on "Dias de atraso" — 1–10, 11–30 and more
  than 30 days, the same cut-offs as the default saved filters ("Vencidas de 1 a 10 dias", …). They say which
  queue of work a row belongs to.
- **Faixas de vencimento** (`cobranca.receivables.rules.AGING_BUCKETS`): the aging table of the PDF and the charts —
  1–30, 31–60, 61–90 and more than 90 days, the usual accounting aging.
"""

from __future__ import annotations

# (css class, first day, last day or None, pt-BR label)
WORK_BANDS: tuple[tuple[str, int, int | None, str], ...] = (
    ("band-1", 1, 10, "1–10 dias"),
    ("band-2", 11, 30, "11–30 dias"),
    ("band-3", 31, None, "mais de 30 dias"),
)
WORK_BANDS_NAME = "faixa de cobrança"
AGING_BUCKETS_NAME = "faixa de vencimento"
LEGEND = ("Cor da faixa de cobrança (a dos filtros padrão): 1–10, 11–30, mais de 30 dias. "
          "O PDF e os gráficos usam as faixas de vencimento: 1–30, 31–60, 61–90, mais de 90 dias.")


def work_band(days: int) -> str:
    """The css class of a row's faixa de cobrança ('band-0' when not overdue)."""
    for css, low, high, _label in WORK_BANDS:
        if days >= low and (high is None or days <= high):
            return css
    return "band-0"
