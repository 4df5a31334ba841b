"""OFX statements as Brazilian banks export them (SGML without closing tags, Windows-1252, repeated FITIDs),
read with ofxparse; each credit becomes a BankRecord, debits are left out (they pay nothing of ours)."""

from __future__ import annotations

import io
import re
import warnings
from datetime import UTC
from decimal import Decimal
from zoneinfo import ZoneInfo

from .records import BankRecord, file_error

_TAG_LINE = re.compile(r"<([A-Z.]+)>")
_TAX_ID = re.compile(r"(?<!\d)(\d{3}\.?\d{3}\.?\d{3}-?\d{2}|\d{2}\.?\d{3}\.?\d{3}/?\d{4}-?\d{2})(?!\d)")


def looks_like_ofx(data: bytes) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \r\n\t").upper()
    return head.startswith(b"OFXHEADER") or head.startswith(b"<?XML") and b"OFX" in head or b"<OFX>" in head


def _where(text: str, message: str) -> tuple[int | None, str | None]:
    """The line and tag of the value an ofxparse error quotes, so the refusal can name them."""
    quoted = re.search(r"'([^']*)", message)
    digits = re.search(r"remains: (\S+)", message)
    needle = (quoted.group(1).strip() if quoted else "") or (digits.group(1) if digits else "")
    if needle:
        for n, line in enumerate(text.splitlines(), start=1):
            if needle in line and _TAG_LINE.search(line):
                return n, _TAG_LINE.search(line).group(1)
    return None, None


def parse(name: str, data: bytes, tz: ZoneInfo) -> list[BankRecord]:
    """The credits of an OFX statement, each FITID once; BankFileError (nothing read) when malformed."""
    import ofxparse

    text = data.decode("cp1252", errors="replace")
    if "</OFX>" not in text.upper():
        raise file_error(name, len(text.splitlines()), None, "o extrato termina antes de </OFX> (arquivo truncado)")
    try:
        with warnings.catch_warnings():  # ofxparse still calls BeautifulSoup's deprecated findAll
            warnings.simplefilter("ignore", DeprecationWarning)
            parsed = ofxparse.OfxParser.parse(io.BytesIO(data))
    except Exception as exc:  # ofxparse raises plain exceptions with the bad value quoted
        line, tag = _where(text, str(exc))
        raise file_error(name, line, tag, f"valor inválido no extrato OFX ({str(exc).strip()})") from None
    out: list[BankRecord] = []
    seen: set[str] = set()
    for account in parsed.accounts:
        bank = (account.routing_number or getattr(account.institution, "fid", None) or "ofx").lstrip("0") or "ofx"
        for t in account.statement.transactions:
            amount = Decimal(t.amount).quantize(Decimal("0.01"))
            if amount <= 0 or t.id in seen:
                continue
            seen.add(t.id)
            posted = t.date.replace(tzinfo=UTC).astimezone(tz).date() if t.date.hour or t.date.minute else t.date.date()
            memo = " ".join(x for x in (t.payee, t.memo) if x).strip()
            tax = _TAX_ID.search(memo)
            out.append(BankRecord(
                source="ofx", bank=bank, file=name, line=_line_of(text, t.id), occurrence="CREDIT",
                description=memo or "Crédito", is_payment=True, occurred_on=posted, credited_on=posted,
                face_amount=amount, paid=amount, payer_name=(t.payee or "").strip(),
                payer_tax_id=re.sub(r"\D", "", tax.group(1)) if tax else "", fitid=str(t.id),
                account=str(account.account_id or ""), document=(t.checknum or "").strip(),
            ))
    return out


def _line_of(text: str, fitid: str) -> int:
    for n, line in enumerate(text.splitlines(), start=1):
        if "<FITID>" in line.upper() and line.strip().endswith(str(fitid)):
            return n
    return 0
