"""Bank records as one Arrow table (a column per BankRecord field, plus its key): built from records or by the
vectorised CNAB 240 reader, and turned back into BankRecord objects only where one is needed."""

from __future__ import annotations

from dataclasses import fields

import pyarrow as pa
import pyarrow.compute as pc

from .numbers import nosso_numero_key
from .records import BankRecord

MONEY = pa.decimal128(18, 2)
_MONEY_FIELDS = ("face_amount", "paid", "interest", "discount", "rebate", "fee")
_TYPES = {"line": pa.int32(), "is_payment": pa.bool_(), "occurred_on": pa.date32(), "credited_on": pa.date32(),
          **{name: MONEY for name in _MONEY_FIELDS}}
FIELDS = tuple(f.name for f in fields(BankRecord) if f.init)
SCHEMA = pa.schema([(name, _TYPES.get(name, pa.string())) for name in FIELDS]
                   + [("record_key", pa.string()), ("nosso_key", pa.string())])


def from_records(records: list[BankRecord]) -> pa.Table:
    """The table of records read one by one (CNAB 400, OFX, a CNAB 240 the vectorised reader left alone)."""
    columns = {name: [getattr(r, name) for r in records] for name in FIELDS}
    columns["record_key"] = [r.key for r in records]
    columns["nosso_key"] = [nosso_numero_key(r.nosso_numero) for r in records]
    return pa.table(columns, schema=SCHEMA)


def to_records(table: pa.Table) -> list[BankRecord]:
    """The BankRecord of each row (the same values the one-by-one reader gives)."""
    data = table.select(list(FIELDS)).to_pydict()
    return [BankRecord(**dict(zip(FIELDS, row, strict=True))) for row in zip(*data.values(), strict=True)]


def nosso_keys(values: pa.Array) -> pa.Array:
    """nosso_numero_key of every value: the all-digit common case set-wise, any other value one by one."""
    digits = pc.match_substring_regex(values, "^[0-9]+$")
    fast = pc.if_else(pc.equal(pc.utf8_ltrim(values, "0"), ""), "0", pc.utf8_ltrim(values, "0"))
    if pc.all(digits).as_py() is not False:
        return fast if len(values) else pa.array([], pa.string())
    slow = [None if ok else nosso_numero_key(v) for ok, v in zip(digits.to_pylist(), values.to_pylist(),
                                                                 strict=True)]
    return pc.if_else(digits, fast, pa.array(slow, pa.string()))
