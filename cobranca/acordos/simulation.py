"""Simulating an agreement: each receivable's updated amount (given, from the worklist's rule), the discount on
interest and fine allowed by its band, the total agreed, and the schedule. Pure: nothing is stored."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ..core.calendar import BankCalendar
from ..core.errors import InputError
from ..core.formatting import brl
from ..core.money import round_cents
from . import policy, schedule
from .policy import Band
from .schedule import Payment


@dataclass(frozen=True)
class Debt:
    """One original receivable with its figures on the simulation day (the worklist row)."""

    receivable_id: int
    document: str
    installment: str
    due_date: date
    days_overdue: int
    balance: Decimal
    fine: Decimal
    interest: Decimal

    @property
    def updated_amount(self) -> Decimal:
        return self.balance + self.fine + self.interest


@dataclass(frozen=True)
class Offer:
    """What the analyst proposes; None means the policy's default (maximum discount, minimum entry)."""

    installments: int
    entry: Decimal | None = None
    entry_due: date | None = None
    first_due: date | None = None
    interest_discount: Decimal | None = None  # percent
    fine_discount: Decimal | None = None  # percent


@dataclass(frozen=True)
class Line:
    """A debt and what the agreement forgives of it."""

    debt: Debt
    interest_percent: Decimal
    fine_percent: Decimal
    interest_discount: Decimal
    fine_discount: Decimal

    @property
    def discount(self) -> Decimal:
        return self.interest_discount + self.fine_discount

    @property
    def agreed(self) -> Decimal:
        return self.debt.updated_amount - self.discount


@dataclass(frozen=True)
class Simulation:
    as_of: date
    band: Band  # the terms' band: that of the most overdue receivable
    lines: tuple[Line, ...]
    payments: tuple[Payment, ...] = field(default=())

    @property
    def total_original(self) -> Decimal:
        return sum((line.debt.updated_amount for line in self.lines), Decimal("0.00"))

    @property
    def discount(self) -> Decimal:
        return sum((line.discount for line in self.lines), Decimal("0.00"))

    @property
    def total(self) -> Decimal:
        return self.total_original - self.discount

    @property
    def entry(self) -> Payment:
        return self.payments[0]

    @property
    def installments(self) -> tuple[Payment, ...]:
        return self.payments[1:]


def discount_line(debt: Debt, bands: Sequence[Band], interest_percent: Decimal, fine_percent: Decimal) -> Line:
    """The debt's discount: the requested percents, capped by its own band (a young receivable gets less)."""
    band = policy.band_for(bands, debt.days_overdue)
    on_interest = min(interest_percent, band.max_interest_discount)
    on_fine = min(fine_percent, band.max_fine_discount)
    return Line(debt, on_interest, on_fine, round_cents(debt.interest * on_interest / 100),
                round_cents(debt.fine * on_fine / 100))


def simulate(debts: Sequence[Debt], offer: Offer, bands: Sequence[Band], as_of: date,
             bank: BankCalendar) -> Simulation:
    """The agreement `offer` would make of `debts` on `as_of`; InputError (pt-BR) when the policy forbids it."""
    if not debts:
        raise InputError("Nenhuma conta em aberto para o acordo.")
    ordered = sorted(debts, key=lambda d: (d.due_date, d.document, d.installment))
    band = policy.band_for(bands, max(d.days_overdue for d in ordered))
    interest_percent = policy.check_discount(offer.interest_discount, band.max_interest_discount, "juros", band)
    fine_percent = policy.check_discount(offer.fine_discount, band.max_fine_discount, "multa", band)
    lines = tuple(discount_line(d, bands, interest_percent, fine_percent) for d in ordered)
    draft = Simulation(as_of, band, lines)
    count = _checked_count(offer.installments, band)
    entry = _entry(offer.entry, draft.total, band, count)
    entry_due = offer.entry_due or as_of
    if entry_due < as_of:
        raise InputError("A data da entrada já passou; use hoje ou uma data futura.")
    first_due = offer.first_due or schedule.add_months(entry_due, 1)
    payments = schedule.build(draft.total, entry, entry_due, count, first_due, bank)
    _check_minimum(payments[1:], band)
    return Simulation(as_of, band, lines, tuple(payments))


def _checked_count(count: int, band: Band) -> int:
    if count < 0:
        raise InputError("O número de parcelas não pode ser negativo.")
    if count > band.max_installments:
        raise InputError(f"{count} parcelas é mais que o máximo da política ({band.max_installments} para "
                         f"{band.label} de atraso).")
    return count


def minimum_entry(total: Decimal, band: Band) -> Decimal:
    """The band's minimum entry for `total` (rounded half up to the cent, at least R$ 0,01)."""
    return max(round_cents(total * band.min_entry_percent / 100), Decimal("0.01"))


def _entry(requested: Decimal | None, total: Decimal, band: Band, count: int) -> Decimal:
    least = minimum_entry(total, band)
    if count == 0:
        if requested is not None and round_cents(requested) != total:
            raise InputError(f"Sem parcelas, a entrada é o total do acordo ({brl(total)}).")
        return total
    if requested is None:
        return least
    if round_cents(requested) < least:
        raise InputError(f"Entrada de {brl(requested)} abaixo da mínima da política: {policy.pct(band.min_entry_percent)}% "
                         f"do total, {brl(least)}.")
    return round_cents(requested)


def _check_minimum(installments: Sequence[Payment], band: Band) -> None:
    smallest = min((p.amount for p in installments), default=None)
    if smallest is not None and smallest < band.min_installment:
        raise InputError(f"Parcela de {brl(smallest)} abaixo da mínima da política ({brl(band.min_installment)} para "
                         f"{band.label} de atraso): use menos parcelas ou uma entrada maior.")
