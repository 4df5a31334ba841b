"""PDF pieces for the state of collection work: a receivable's status and promise date (used by report.py)."""

from __future__ import annotations

from ..core import formatting as fmt
from ..promises.status import OPEN, STATUS_LABELS


def status_row(rec) -> list[str] | None:
    """The 'Situação / Promessa até / Não contatar' row of a receivable block, or None for a plain open one."""
    status = getattr(rec, "status", OPEN) or OPEN
    promise_date = getattr(rec, "promise_date", None)
    blocked = bool(getattr(rec, "do_not_contact", False))
    if status == OPEN and not blocked:
        return None
    when = "" if fmt.is_missing(promise_date) else fmt.day(promise_date)
    return ["Situação:", STATUS_LABELS.get(status, str(status)), "Promessa até:" if when else "", when,
            "Mensagens:" if blocked else "", "não contatar" if blocked else ""]
