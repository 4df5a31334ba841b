"""Nosso número and seu número in the one form they are compared in."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s.]")


def nosso_numero_key(text: str | None) -> str:
    """The comparable form of a nosso número: no carteira prefix, no check digit, no leading zeros.

    '109/00000011-4', '00000011' and '11' are one title ('11'); '' when there is no number at all.
    """
    if text is None:
        return ""
    if isinstance(text, str) and text.isdigit():  # the common case, kept fast (200,000 records a file)
        return text.lstrip("0") or "0"
    value = _SEPARATORS.sub("", str(text)).upper()
    if "/" in value:  # carteira/número
        value = value.rsplit("/", 1)[1]
    if "-" in value:  # número-DV
        value = value.split("-", 1)[0]
    value = re.sub(r"[^0-9A-Z]", "", value)
    return value.lstrip("0") or ("0" if value else "")


def plain_document(text: str | None) -> str:
    """A document as compared: trimmed, upper case, without leading zeros ('000123' -> '123')."""
    return str(text or "").strip().upper().lstrip("0")


def document_key(text: str | None) -> tuple[str, str | None]:
    """(document without leading zeros, installment or None) of a seu número as a bank echoes it.

    'NF123/2' and '000123-02' carry the installment after the last '/' or '-'; '000123' has none.
    """
    value = str(text or "").strip().upper()
    installment = None
    for sep in ("/", "-"):
        if sep in value:
            value, installment = value.rsplit(sep, 1)
            installment = installment.strip().lstrip("0") or "0"
            break
    value = value.strip().lstrip("0")
    return value, installment


def installment_key(text: str | None) -> str:
    """A stored installment in the form document_key gives ('02' -> '2'; '' stays '')."""
    value = str(text or "").strip().upper()
    return value.lstrip("0") or ("0" if value else "")
