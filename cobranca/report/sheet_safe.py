"""Spreadsheet-safe cells: the one rule that keeps any text we write to a CSV or XLSX from running as a formula."""

from __future__ import annotations

import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Plain signed numbers only: Decimal() would also pass '-NaN', '-Infinity' and '-_0', which a spreadsheet reads as names.
_SIGNED_NUMBER = re.compile(r"[+-][0-9]+(\.[0-9]+)?")


def neutralise(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; numbers and non-text pass."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _SIGNED_NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_row(cells) -> list:
    """Every cell of a CSV row (header rows included) neutralised."""
    return [neutralise(cell) for cell in cells]
