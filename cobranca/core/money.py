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

# The shapes of an unsigned amount (R$ and spaces removed). One separator followed by exactly three digits
# ('2,500', '1.234') is ambiguous: thousands in one convention, three decimals in the other. Mirrored in SQL by
# importer/sqlparse.py (MONEY_* patterns); tests compare both on generated columns.
AMBIGUOUS_SHAPE = r"\d{1,3}[.,]\d{3}"
COMMA_SHAPE = r"\d{1,3}(\.\d{3})+(,\d{1,2})?|\d+(,\d{1,2})?"  # 1.234,56  1234,56  1.234.567  1234
DOT_SHAPE = r"\d+(\.\d{1,2})?|\d{1,3}(,\d{3})+(\.\d{1,2})?"  # 1234.56  1,234.56  1,234,567  1234
COMMA, DOT = "comma", "dot"  # the column conventions: decimal comma (Brazilian) or decimal dot

INVALID_MONEY = "não é um valor monetário válido (use 1.234,56 ou 1234.56)"
AMBIGUOUS_MONEY = ("é ambíguo: o separador pode ser de milhar ou de centavos; escreva o valor com os centavos "
                   "(ex.: 2.500,00 para dois mil e quinhentos reais, 2,50 para dois reais e cinquenta centavos)")
THREE_DECIMALS = {
    COMMA: "tem três casas decimais; valores em reais têm no máximo duas "
           "(nesta coluna os centavos vêm depois da vírgula, ex.: 2,50)",
    DOT: "tem três casas decimais; valores em reais têm no máximo duas "
         "(nesta coluna os centavos vêm depois do ponto, ex.: 2.50)",
}
_AMBIGUOUS = re.compile(AMBIGUOUS_SHAPE, re.ASCII)  # ASCII digits only, as the SQL (RE2) patterns
_COMMA = re.compile(COMMA_SHAPE, re.ASCII)
_DOT = re.compile(DOT_SHAPE, re.ASCII)
_DIGITS = re.compile(r"\d+", re.ASCII)


def round_cents(value: Decimal) -> Decimal:
    """Round half up to the cent (0,005 -> 0,01)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def to_cents(value: Decimal) -> int:
    """Whole number of cents of an amount already at cent precision."""
    return int(round_cents(value) * 100)


def _unsigned(text) -> tuple[bool, str]:
    """(negative, the amount without R$, spaces and sign)."""
    s = str(text).strip().replace("R$", "").replace("\u00a0", "").replace(" ", "")
    return (True, s[1:]) if s.startswith("-") else (False, s)


def evidence(text) -> str | None:
    """The convention a cell shows on its own (COMMA or DOT), or None (no separator, ambiguous or not money)."""
    s = _unsigned(text)[1]
    if not s or _DIGITS.fullmatch(s) or _AMBIGUOUS.fullmatch(s):
        return None
    if _COMMA.fullmatch(s):
        return COMMA
    return DOT if _DOT.fullmatch(s) else None


def money_convention(texts) -> str | None:
    """The convention of a whole column: the one its cells show, None when they show none or both."""
    shown = {evidence(t) for t in texts} - {None}
    return shown.pop() if len(shown) == 1 else None


def parse_money(text: str, convention: str | None = None) -> Decimal:
    """Parse '1.234,56', '1234,56', '1234.56', '1,234.56' or 'R$ 10' into a Decimal; ValueError if not money.

    '2,500' or '1.234' are read only in a known `convention` of their column (the thousands separator of it);
    alone, or with three decimals in it, they are refused, never guessed.
    """
    if text is None:
        raise ValueError("valor vazio")
    negative, s = _unsigned(text)
    if not s:
        raise ValueError("valor vazio")
    if _AMBIGUOUS.fullmatch(s):
        separator = s[-4]
        if convention is None:
            raise ValueError(AMBIGUOUS_MONEY)
        if (separator == ",") == (convention == COMMA):
            raise ValueError(THREE_DECIMALS[convention])
        if s.startswith("0"):  # '0,001' or '012.500' is no thousands grouping
            raise ValueError(INVALID_MONEY)
        s = s.replace(separator, "")
    elif _COMMA.fullmatch(s):
        s = s.replace(".", "").replace(",", ".")
    elif _DOT.fullmatch(s):
        s = s.replace(",", "")
    else:
        raise ValueError(INVALID_MONEY)
    try:
        value = Decimal(s)
    except InvalidOperation as exc:  # pragma: no cover - regexes already guard this
        raise ValueError("não é um valor monetário válido") from exc
    if value > MAX_AMOUNT:
        raise ValueError("valor grande demais")
    return -value if negative else value


def parse_money_column(texts) -> list[Decimal | ValueError]:
    """Every cell of a money column parsed in the column's convention: its value, or the ValueError refusing it."""
    convention = money_convention(texts)
    out: list[Decimal | ValueError] = []
    for text in texts:
        try:
            out.append(parse_money(text, convention))
        except ValueError as exc:
            out.append(exc)
    return out


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
