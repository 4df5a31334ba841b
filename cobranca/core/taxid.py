"""Brazilian taxpayer ids: CPF (11 digits) and CNPJ (14 digits) check digits, parsing and display."""

from __future__ import annotations

import re

_ALLOWED = re.compile(r"^[\d.\-/\s]+$")
_CNPJ_WEIGHTS = (5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)


def _check_digit(digits: str, weights) -> int:
    remainder = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    return 0 if remainder < 2 else 11 - remainder


def is_valid_cpf(digits: str) -> bool:
    """True when `digits` (11 digits, no punctuation) has valid CPF check digits."""
    if len(digits) != 11 or not digits.isdigit() or len(set(digits)) == 1:
        return False
    first = _check_digit(digits[:9], range(10, 1, -1))
    second = _check_digit(digits[:10], range(11, 1, -1))
    return digits[9:] == f"{first}{second}"


def is_valid_cnpj(digits: str) -> bool:
    """True when `digits` (14 digits, no punctuation) has valid CNPJ check digits."""
    if len(digits) != 14 or not digits.isdigit() or len(set(digits)) == 1:
        return False
    first = _check_digit(digits[:12], _CNPJ_WEIGHTS)
    second = _check_digit(digits[:13], (6, *_CNPJ_WEIGHTS))
    return digits[12:] == f"{first}{second}"


def parse_tax_id(text: str) -> str:
    """Digits of a CPF or CNPJ, formatted ('123.456.789-09') or not; ValueError with a pt-BR reason."""
    s = str(text).strip()
    if not _ALLOWED.match(s):
        raise ValueError("não é um CPF/CNPJ válido (use só números, pontos, barra e hífen)")
    digits = re.sub(r"\D", "", s)
    if len(digits) == 11:
        if not is_valid_cpf(digits):
            raise ValueError("não é um CPF válido (dígitos verificadores não conferem)")
        return digits
    if len(digits) == 14:
        if not is_valid_cnpj(digits):
            raise ValueError("não é um CNPJ válido (dígitos verificadores não conferem)")
        return digits
    raise ValueError(f"não é um CPF/CNPJ válido (tem {len(digits)} dígitos; CPF tem 11 e CNPJ tem 14)")


def pad_numeric_tax_id(digits: str) -> str:
    """Restore leading zeros a spreadsheet dropped from a CPF/CNPJ stored as a number."""
    return digits.zfill(11) if len(digits) <= 11 else digits.zfill(14)


def format_tax_id(digits: str) -> str:
    """123.456.789-09 or 12.345.678/0001-95; other text unchanged."""
    if len(digits) == 11 and digits.isdigit():
        return f"{digits[:3]}.{digits[3:6]}.{digits[6:9]}-{digits[9:]}"
    if len(digits) == 14 and digits.isdigit():
        return f"{digits[:2]}.{digits[2:5]}.{digits[5:8]}/{digits[8:12]}-{digits[12:]}"
    return digits
