"""One door for every bank file: CNAB return files and OFX statements, detected from their content."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from ..receivables import rules
from . import cnab, ofx, ofx_match
from .matching import Index, Outcome, plan
from .records import BankRecord


def parse(name: str, data: bytes, tz: ZoneInfo) -> list[BankRecord]:
    """The records of a return file or statement; BankFileError naming file, line and field when malformed."""
    if ofx.looks_like_ofx(data):
        return ofx.parse(name, data, tz)
    return cnab.parse(name, data)


def match(records: list[BankRecord], index: Index, known: set[str],
          charge_rules: rules.ChargeRules) -> list[Outcome]:
    """The outcome of each record, in order (balances in `index` go down as payments apply)."""
    if records and records[0].source == "ofx":
        ofx_index = ofx_match.OfxIndex(index, charge_rules)
        return plan(records, index, known, lambda record: ofx_match.decide(record, ofx_index))
    return plan(records, index, known)
