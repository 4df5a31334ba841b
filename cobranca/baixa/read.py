"""One door for every bank file: CNAB return files and OFX statements, detected from their content."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pyarrow as pa

from ..receivables import rules
from . import cnab, cnab240_table, ofx, ofx_match, table
from .matching import Index, Outcome, plan
from .records import BankRecord


def parse(name: str, data: bytes, tz: ZoneInfo) -> list[BankRecord]:
    """The records of a return file or statement; BankFileError naming file, line and field when malformed."""
    if ofx.looks_like_ofx(data):
        return ofx.parse(name, data, tz)
    return cnab.parse(name, data)


def parse_table(name: str, data: bytes, tz: ZoneInfo) -> pa.Table:
    """parse() as a record table (table.SCHEMA); a clean CNAB 240 file is read set-wise, any other one by one."""
    if not ofx.looks_like_ofx(data):
        fast = cnab240_table.read(name, data)
        if fast is not None:
            return fast
    return table.from_records(parse(name, data, tz))


def match(records: list[BankRecord], index: Index, known: set[str],
          charge_rules: rules.ChargeRules) -> list[Outcome]:
    """The outcome of each record, in order (balances in `index` go down as payments apply)."""
    if records and records[0].source == "ofx":
        ofx_index = ofx_match.OfxIndex(index, charge_rules)
        return plan(records, index, known, lambda record: ofx_match.decide(record, ofx_index))
    return plan(records, index, known)
