"""Money: parsing and the one rounding rule (half-up to the cent) used everywhere.

Rounding rule, written once: every charge component (fine, interest) is computed
exactly with Decimal and then rounded *half up* to the cent on its own; the updated
amount is the sum of the already-rounded components. Amounts are never floats.
The SQL in `store.py` reproduces this rule with integer cents and is tested against it.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("9999999999999999.99")  # DECIMAL(18,2)

_BR = re.compile(r"^\d{1,3}(\.\d{3})+(,\d{1,2})?$|^\d+(,\d{1,2})?$")
_PLAIN = re.compile(r"^\d+(\.\d{1,2})?$|^\d{1,3}(,\d{3})+(\.\d{1,2})?$")


def round_cents(value: Decimal) -> Decimal:
    """Round half up to the cent (0,005 -> 0,01)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def to_cents(value: Decimal) -> int:
    """Whole number of cents of an amount already at cent precision."""
    return int(round_cents(value) * 100)


def parse_money(text: str) -> Decimal:
    """Parse '1.234,56', '1234,56', '1234.56', '1,234.56' or 'R$ 10' into a Decimal; ValueError if not money."""
    if text is None:
        raise ValueError("valor vazio")
    s = str(text).strip().replace("R$", "").replace("\u00a0", "").replace(" ", "")
    negative = s.startswith("-")
    if negative:
        s = s[1:]
    if not s:
        raise ValueError("valor vazio")
    if _BR.match(s):
        s = s.replace(".", "").replace(",", ".")
    elif _PLAIN.match(s):
        s = s.replace(",", "")
    else:
        raise ValueError("não é um valor monetário válido (use 1.234,56 ou 1234.56)")
    try:
        value = Decimal(s)
    except InvalidOperation as exc:  # pragma: no cover - regexes already guard this
        raise ValueError("não é um valor monetário válido") from exc
    if value > MAX_AMOUNT:
        raise ValueError("valor grande demais")
    return -value if negative else value


def parse_percent(text: str) -> Decimal:
    """Parse a percentage such as '2', '2,5' or '0.033'; ValueError if not a non-negative number."""
    s = str(text).strip().replace("%", "").replace(",", ".")
    try:
        value = Decimal(s)
    except InvalidOperation as exc:
        raise ValueError("não é um número") from exc
    if not value.is_finite():
        raise ValueError("não é um número")
    if value < 0:
        raise ValueError("não pode ser negativo")
    if value > 100:
        raise ValueError("não pode passar de 100")
    return value
