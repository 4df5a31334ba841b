"""Small parsers shared by settings and e-mail options: whole numbers in a range."""

from __future__ import annotations

import re

_INTEGER = re.compile(r"[+-]?\d{1,12}")


def int_between(text: str, low: int, high: int, hint: str = "") -> int:
    """The whole number in `text`, low ≤ n ≤ high; ValueError with a pt-BR reason (plus `hint`) otherwise."""
    value_text = str(text).strip()
    if not _INTEGER.fullmatch(value_text):
        too_long = bool(re.fullmatch(r"[+-]?\d+", value_text))
        raise ValueError((f"não pode passar de {high}" if too_long else "não é um número inteiro") + hint)
    value = int(value_text)
    if value < low:
        raise ValueError(("não pode ser negativo" if low == 0 else f"deve ser pelo menos {low}") + hint)
    if value > high:
        raise ValueError(f"não pode passar de {high}" + hint)
    return value
