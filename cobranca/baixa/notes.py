"""How a bank payment reads in a receivable's history: the bank or statement, and charges, discount or fee."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from ..core import formatting as fmt
from .layouts import BANK_NAMES
from .matching import Outcome
from .records import ZERO

SOURCE_LABELS = {"cnab240": "retorno CNAB 240", "cnab400": "retorno CNAB 400", "ofx": "extrato OFX"}


_brl = lru_cache(maxsize=4096)(fmt.brl)  # fees repeat: a 200,000-record file formats a handful of values


def history_note(outcome: Outcome) -> str:
    """The note of the 'Pagamento' history entry: bank or statement, and what was charges, discount or fee.

    The amount and the date are the event's own columns (history_events.describe words them)."""
    r = outcome.record
    return note_head(r.bank, r.source, r.file, r.line) + note_tail(outcome.excess, r.discount + r.rebate, r.fee)


def note_head(bank: str, source: str, file: str, line: int | str) -> str:
    return f"{bank_label(bank, source)} ({file}, linha {line})."


def bank_label(bank: str, source: str) -> str:
    return f"{BANK_NAMES.get(bank, f'banco {bank}')}, {SOURCE_LABELS.get(source, source)}"


def note_tail(excess: Decimal, discount: Decimal, fee: Decimal) -> str:
    """What of the payment was charges, discount (and rebate) or the bank's fee."""
    text = ""
    if excess > ZERO:
        text += f" Encargos/excedente recebidos: {_brl(excess)}."
    if discount > ZERO:
        text += f" Desconto/abatimento concedido: {_brl(discount)}."
    if fee > ZERO:
        text += f" Tarifa do banco (custo da empresa): {_brl(fee)}."
    return text
