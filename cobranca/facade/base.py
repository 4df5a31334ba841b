"""What every facade concern shares: checking the text a caller gives before it is stored."""

from __future__ import annotations

from ..core.errors import InputError
from ..core.text import strip_controls

MAX_TEXT = 10_000


def valid_unicode(text: str, label: str) -> str:
    """`text` unless it holds characters that cannot be stored (lone surrogates from undecodable bytes)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(f"{label} contém caracteres inválidos (bytes que não são texto); digite-o de novo.") from exc
    return text


def clean_text(value: str | None, label: str, multiline: bool = True) -> str | None:
    """Stripped, storable text of at most MAX_TEXT characters, without control characters; None when empty.

    Multi-line text keeps line feeds and tabs; one-line text (names, subjects) gets spaces instead.
    """
    if value is None:
        return None
    text = valid_unicode(strip_controls(str(value), multiline).strip(), label)
    if len(text) > MAX_TEXT:
        raise InputError(f"{label} longo demais ({len(text)} caracteres; máximo {MAX_TEXT}).")
    return text or None
