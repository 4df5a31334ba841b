"""The discount policy of agreements: per days-overdue band, the most the analyst may grant and the least
the customer must pay up front. Pure: no database."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..core.errors import InputError
from ..core.formatting import brl


def pct(value: Decimal) -> str:
    """50 -> '50', 12.5 -> '12,5' (pt-BR, no trailing zeros)."""
    return format(Decimal(value).normalize(), 'f').replace('.', ',')

MAX_BAND_DAYS = 36500


@dataclass(frozen=True)
class Band:
    """One row of the policy: receivables overdue `min_days`..`max_days` (inclusive)."""

    min_days: int
    max_days: int
    max_interest_discount: Decimal  # percent of the interest that may be forgiven
    max_fine_discount: Decimal  # percent of the fine that may be forgiven
    min_entry_percent: Decimal  # percent of the total agreed paid as the entry, at least
    max_installments: int
    min_installment: Decimal  # R$, each installment at least

    @property
    def label(self) -> str:
        if self.max_days >= MAX_BAND_DAYS:
            return f"mais de {self.min_days - 1} dias" if self.min_days > 0 else "qualquer atraso"
        return f"{self.min_days} a {self.max_days} dias"


# Conservative defaults: nothing forgiven up to 30 days; more the older (harder to recover) the debt.
DEFAULT_POLICY: tuple[Band, ...] = (
    Band(0, 30, Decimal("0"), Decimal("0"), Decimal("30"), 3, Decimal("100.00")),
    Band(31, 90, Decimal("50"), Decimal("0"), Decimal("20"), 6, Decimal("100.00")),
    Band(91, 180, Decimal("80"), Decimal("50"), Decimal("15"), 10, Decimal("50.00")),
    Band(181, MAX_BAND_DAYS, Decimal("100"), Decimal("100"), Decimal("10"), 12, Decimal("50.00")),
)


def validate(bands: Sequence[Band]) -> tuple[Band, ...]:
    """The bands sorted, InputError (pt-BR) unless they cover 0..MAX_BAND_DAYS without gaps or overlaps."""
    ordered = tuple(sorted(bands, key=lambda b: b.min_days))
    if not ordered:
        raise InputError("A política de acordos precisa de pelo menos uma faixa.")
    expected = 0
    for band in ordered:
        if band.min_days != expected:
            raise InputError(f"Faixas da política de acordos com falha ou sobreposição em {expected} dias: cada "
                             "faixa começa no dia seguinte ao fim da anterior, a primeira em 0.")
        if band.max_days < band.min_days:
            raise InputError(f"Faixa {band.min_days}–{band.max_days}: o fim vem antes do início.")
        for label, value in (("desconto de juros", band.max_interest_discount),
                             ("desconto de multa", band.max_fine_discount), ("entrada mínima", band.min_entry_percent)):
            if not Decimal(0) <= value <= Decimal(100):
                raise InputError(f"Faixa {band.label}: {label} de {pct(value)}% fora de 0–100%.")
        if band.max_installments < 0 or band.max_installments > 120:
            raise InputError(f"Faixa {band.label}: número máximo de parcelas deve ficar entre 0 e 120.")
        if band.min_installment < 0:
            raise InputError(f"Faixa {band.label}: parcela mínima {brl(band.min_installment)} é negativa.")
        expected = band.max_days + 1
    if expected <= MAX_BAND_DAYS:
        raise InputError(f"A última faixa da política de acordos deve ir até {MAX_BAND_DAYS} dias "
                         f"(termina em {expected - 1}).")
    return ordered


def band_for(bands: Sequence[Band], days_overdue: int) -> Band:
    """The band of a receivable `days_overdue` late (not yet due counts as 0)."""
    days = max(0, int(days_overdue))
    for band in bands:
        if band.min_days <= days <= band.max_days:
            return band
    raise InputError(f"Nenhuma faixa da política de acordos cobre {days} dias de atraso.")


def check_discount(requested: Decimal | None, allowed: Decimal, what: str, band: Band) -> Decimal:
    """The percent to grant: `requested` (default: the band's maximum), refused above the maximum."""
    if requested is None:
        return allowed
    value = Decimal(requested)
    if value < 0:
        raise InputError(f"Desconto de {what} negativo ({pct(value)}%).")
    if value > allowed:
        raise InputError(f"Desconto de {what} de {pct(value)}% acima do máximo da política "
                         f"({pct(allowed)}% para {band.label} de atraso). Ofereça no máximo {pct(allowed)}%.")
    return value
