"""The schedule of an agreement: an entry and N monthly installments, equal to the cent, the last absorbing the
rounding, every due date on a business day. Pure: the bank calendar is passed in."""

from __future__ import annotations

import calendar as month_calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..core.calendar import BankCalendar
from ..core.errors import InputError
from ..core.formatting import brl, day
from ..core.money import round_cents

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Payment:
    """One payment of the schedule: number 0 is the entry, 1..N the installments."""

    number: int
    due_date: date
    amount: Decimal


def add_months(start: date, months: int) -> date:
    """The same day `months` later; the month's last day when it is shorter (31/01 + 1 → 28/02)."""
    total = start.month - 1 + months
    year, month = start.year + total // 12, total % 12 + 1
    return date(year, month, min(start.day, month_calendar.monthrange(year, month)[1]))


def split(amount: Decimal, count: int) -> list[Decimal]:
    """`count` equal amounts (rounded half up to the cent) summing to `amount`; the last takes the difference."""
    if count <= 0:
        return []
    each = round_cents(Decimal(amount) / count)
    return [each] * (count - 1) + [Decimal(amount) - each * (count - 1)]


def installment_dates(first_due: date, count: int, bank: BankCalendar) -> list[date]:
    """Monthly from `first_due` (same day of month), each moved to the next business day when it is a day off."""
    return [bank.payable_until(add_months(first_due, k)) for k in range(count)]


def build(total: Decimal, entry: Decimal, entry_due: date, count: int, first_due: date,
          bank: BankCalendar) -> list[Payment]:
    """The entry (number 0) and `count` installments; entry + installments == total exactly."""
    total, entry = round_cents(total), round_cents(entry)
    if entry <= 0:
        raise InputError(f"A entrada deve ser maior que zero (informada: {brl(entry)}).")
    if entry > total:
        raise InputError(f"A entrada ({brl(entry)}) é maior que o total do acordo ({brl(total)}).")
    if count == 0 and entry != total:
        raise InputError(f"Sem parcelas, a entrada deve ser o total do acordo ({brl(total)}); "
                         f"informe --parcelas N para parcelar o resto.")
    if count > 0 and entry == total:
        raise InputError("A entrada já é o total do acordo: use --parcelas 0 (pagamento à vista) ou uma entrada menor.")
    entry_day = bank.payable_until(entry_due)
    if count and first_due <= entry_due:
        raise InputError(f"O primeiro vencimento ({day(first_due)}) deve ser depois da entrada ({day(entry_due)}).")
    amounts = split(total - entry, count)
    if any(a < CENT for a in amounts):
        raise InputError(f"O saldo de {brl(total - entry)} não dá {count} parcelas de pelo menos R$ 0,01.")
    dates = installment_dates(first_due, count, bank)
    return [Payment(0, entry_day, entry)] + [Payment(k + 1, d, a) for k, (d, a) in enumerate(zip(dates, amounts,
                                                                                                 strict=True))]
