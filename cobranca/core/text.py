"""Free text as stored (control characters stripped) and as quoted in error messages (long values cut)."""

from __future__ import annotations

import re

SHOWN_CHARS = 60
# C0 and C1 control characters but tab and line feed, DEL, and the bidirectional overrides and isolates
# (U+202A–U+202E, U+2066–U+2069), which can make stored text display as something else.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_OR_BREAK = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def strip_controls(text: str, multiline: bool = True) -> str:
    """`text` without control characters; line ends become \\n (multi-line) or, like tabs, a space (one line)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    if not multiline:
        text = text.replace("\n", " ").replace("\t", " ")
    return _CONTROLS.sub("", text)


def has_control(text: str) -> bool:
    """True if `text` holds a control character or a line break (never acceptable in an address or number)."""
    return bool(_CONTROL_OR_BREAK.search(text))


def noun(count: int, one: str, many: str) -> str:
    """`one` for 1 or -1, else `many`: "1 dia", "-1 dia", "0 dias", "3 dias"."""
    return one if abs(int(count)) == 1 else many


def cut(value, limit: int = SHOWN_CHARS) -> str:
    """`value` as quoted in a message: one line, at most `limit` characters then '…' (never a 100 KB echo)."""
    text = strip_controls(str(value), multiline=False)
    return text if len(text) <= limit else text[:limit] + "…"
