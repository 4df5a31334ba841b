"""CNAB 240 return files read set-wise (every segment T and U sliced at once with Arrow) into a record table.

Only a clean file is read here; on anything unusual (a malformed field, an odd width, a stray control
character) `read` returns None and the caller reads the file with the strict one-by-one reader, which is the
reference and names the file, line and field of any defect.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .cnab import _Lines, detect_first
from .layouts import (
    LAYOUTS_240,
    U_CREDITED,
    U_DISCOUNT,
    U_INTEREST,
    U_OCCURRED,
    U_PAID,
    U_REBATE,
    Layout240,
    Span,
)
from .occurrences import describe
from .records import BankFileError
from .table import MONEY, SCHEMA, nosso_keys

# bytes that decode (cp1252) to whitespace other than a space or newline: str.strip and Arrow's trim would differ
_ODD_SPACE = (0x09, 0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x1F, 0xA0)
WIDTH = 240


class _Unclean(Exception):
    """The file needs the strict reader."""


def read(name: str, data: bytes) -> pa.Table | None:
    """The record table of a clean CNAB 240 return file, or None (then read it with cnab.parse)."""
    try:
        return _read(name, data)
    except (_Unclean, BankFileError):
        return None


def _rows(data: bytes) -> tuple[pa.Array, bool]:
    """The file's lines as one Arrow string array on a single buffer (each value keeps its line break, which no
    field reaches): no Python string per line. The same lines as cnab._Lines, or _Unclean."""
    data = data.rstrip(b"\x1a")
    while True:  # trailing lines of only spaces (or SUB) are not records
        cut = data.rfind(b"\n")
        if data[cut + 1:].rstrip(b"\r").strip(b" \x1a"):
            break
        if cut < 0:
            raise _Unclean
        data = data[:cut]
    if any(bytes([odd]) in data for odd in _ODD_SPACE):
        raise _Unclean
    crlf, ends_cr = b"\r" in data, data.endswith(b"\r")
    breaks = _breaks(data, crlf)
    raw = np.frombuffer(data, np.uint8)
    if crlf and (data.count(b"\r") != len(breaks) + ends_cr or (raw[breaks - 1] != 13).any()):
        raise _Unclean  # a carriage return inside a line, or mixed line ends
    if not data.isascii():
        data = data.decode("cp1252", errors="replace").encode("utf-8")
        breaks = np.flatnonzero(np.frombuffer(data, np.uint8) == 10)
    offsets = np.concatenate([[0], breaks + 1, [len(data)]]).astype(np.int32)
    rows = pa.StringArray.from_buffers(len(offsets) - 1, pa.py_buffer(offsets), pa.py_buffer(data))
    ascii_only = len(data) == raw.size
    widths = np.diff(offsets) if ascii_only else pc.utf8_length(rows).to_numpy()  # characters, not bytes
    if (widths[:-1] != WIDTH + 1 + crlf).any() or widths[-1] != WIDTH + ends_cr:
        raise _Unclean
    return rows, ascii_only


def _breaks(data: bytes, crlf: bool) -> np.ndarray:
    """Where each line ends: read off the fixed record width when every line has it, else searched."""
    step = WIDTH + 1 + crlf
    raw = np.frombuffer(data, np.uint8)
    if len(data) % step == step - 1 - crlf + data.endswith(b"\r") and (raw[step - 1::step] == 10).all():
        return np.arange(step - 1, len(data), step)
    return np.flatnonzero(raw == 10)


def _read(name: str, data: bytes) -> pa.Table:
    rows, ascii_only = _rows(data)
    layout, bank = detect_first(name, rows[0].as_py()[:WIDTH])
    if layout != "cnab240" or rows[-1].as_py()[7:8] != "9":
        raise _Unclean
    if ascii_only:  # a byte is a character: slice bytes, not code points
        rows = rows.view(pa.binary())
    kind = pc.binary_join_element_wise(_cut(rows, (8, 8)), _cut(rows, (14, 14)), "")
    t_at = np.flatnonzero(pc.equal(kind, "3T").to_numpy(zero_copy_only=False))
    if not len(t_at) or t_at[-1] + 1 >= len(rows):
        raise _Unclean
    if not pc.all(pc.equal(kind.take(pa.array(t_at + 1)), "3U")).as_py():
        raise _Unclean
    return _records(_Lines(name, b""), bank, LAYOUTS_240[bank], rows.take(pa.array(t_at)),
                    rows.take(pa.array(t_at + 1)), pa.array(t_at + 1, pa.int32()))


def _records(strict: _Lines, bank: str, lay: Layout240, t: pa.Array, u: pa.Array, line: pa.Array) -> pa.Table:
    code = _code(_cut(t, (16, 17)))
    words, paid_codes = _describe(bank, code)
    _day(strict, _cut(t, lay.due), lay.due, "data de vencimento")
    occurred = _day(strict, _cut(u, U_OCCURRED), U_OCCURRED, "data de ocorrência")
    if occurred.null_count:
        raise _Unclean
    number, dv, cart = _text(t, lay.nosso), _text(t, lay.check_digit), _text(t, lay.carteira)
    nosso = _nosso(number, dv, cart)
    document = _text(t, lay.document)
    key = nosso_keys(nosso)
    paid = _money(u, U_PAID)
    ident = pc.if_else(pc.equal(key, ""), pc.binary_join_element_wise("doc:", document, ""), key)
    record_key = pc.binary_join_element_wise("cnab240", bank, ident, code, pc.cast(occurred, pa.string()),
                                             pc.cast(paid, pa.string()), "|")
    n = len(t)
    columns = {
        "source": _repeat("cnab240", n), "bank": _repeat(bank, n), "file": _repeat(strict.name, n),
        "line": line, "occurrence": code, "description": words, "is_payment": paid_codes,
        "nosso_numero": nosso, "document": document, "occurred_on": occurred,
        "credited_on": _day(strict, _cut(u, U_CREDITED), U_CREDITED, "data de crédito"),
        "face_amount": _money(t, lay.face), "paid": paid, "interest": _money(u, U_INTEREST),
        "discount": _money(u, U_DISCOUNT), "rebate": _money(u, U_REBATE),
        "fee": _money(t, lay.fee), "payer_name": _text(t, lay.payer_name),
        "payer_tax_id": pc.utf8_ltrim(_text(t, lay.payer_tax_id), "0"), "txid": _repeat("", n),
        "fitid": _repeat("", n), "account": _repeat("", n), "record_key": record_key, "nosso_key": key,
    }
    return pa.table(columns, schema=SCHEMA)


def _cut(rows: pa.Array, span: Span) -> pa.Array:
    """One field of every row, as text (rows are bytes when the file is plain ASCII)."""
    if pa.types.is_binary(rows.type):
        return pc.binary_slice(rows, span[0] - 1, span[1]).cast(pa.string())
    return pc.utf8_slice_codeunits(rows, span[0] - 1, span[1])


def _text(rows: pa.Array, span: Span | None) -> pa.Array:
    return _repeat("", len(rows)) if span is None else pc.utf8_trim(_cut(rows, span), " ")


def _repeat(value: str, n: int) -> pa.Array:
    return pa.repeat(pa.scalar(value, pa.string()), n)


def _nosso(number: pa.Array, dv: pa.Array, cart: pa.Array) -> pa.Array:
    """cnab._nosso set-wise: 'carteira/número-DV', '' when the number is only zeros."""
    head = pc.if_else(pc.equal(cart, ""), "", pc.binary_join_element_wise(cart, "/", ""))
    tail = pc.if_else(pc.equal(dv, ""), "", pc.binary_join_element_wise("-", dv, ""))
    full = pc.binary_join_element_wise(head, number, tail, "")
    return pc.if_else(pc.match_substring_regex(number, "^0*$"), "", full)


def _code(raw: pa.Array) -> pa.Array:
    raw = pc.if_else(pc.equal(raw, "  "), "00", raw)
    if not pc.all(pc.match_substring_regex(raw, "^[0-9][0-9]$")).as_py():
        raise _Unclean
    return raw


def _describe(bank: str, code: pa.Array) -> tuple[pa.Array, pa.Array]:
    """The bank's words and the liquidation flag of each code (looked up once per distinct code)."""
    coded = pc.dictionary_encode(code)
    found = [describe("cnab240", bank, c) for c in coded.dictionary.to_pylist()]
    words = pa.array([w for w, _ in found], pa.string()).take(coded.indices)
    return words, pa.array([p for _, p in found], pa.bool_()).take(coded.indices)


def _day(strict: _Lines, raw: pa.Array, span: Span, label: str) -> pa.Array:
    """The dates of a field, each distinct text read once by the strict reader (a file has a handful)."""
    coded = pc.dictionary_encode(raw)
    days = [strict._day(0, value.strip(), span, label) for value in coded.dictionary.to_pylist()]
    return pa.array(days, pa.date32()).take(coded.indices)


def _money(rows: pa.Array, span: Span) -> pa.Array:
    """Cents in fixed width (blank is zero) as DECIMAL(18,2), never through a float."""
    width = span[1] - span[0] + 1
    if pa.types.is_binary(rows.type):
        return _decimal(_cents(_block(pc.binary_slice(rows, span[0] - 1, span[1]), width)))
    raw = _cut(rows, span)
    raw = pc.if_else(pc.equal(pc.utf8_trim(raw, " "), ""), "0" * width, raw)
    if not pc.all(pc.match_substring_regex(raw, f"^[0-9]{{{width}}}$")).as_py():
        raise _Unclean
    cents = pc.binary_join_element_wise(pc.utf8_slice_codeunits(raw, 0, width - 2),
                                        pc.utf8_slice_codeunits(raw, width - 2, width), ".")
    return pc.cast(cents, MONEY)


def _block(field: pa.Array, width: int) -> np.ndarray:
    """A binary array of values `width` bytes each as an (n, width) byte matrix (no copy)."""
    offsets = np.frombuffer(field.buffers()[1], np.int32)[field.offset:field.offset + len(field) + 1]
    if (np.diff(offsets) != width).any():
        raise _Unclean
    return np.frombuffer(field.buffers()[2], np.uint8)[offsets[0]:offsets[-1]].reshape(len(field), width)


def _cents(block: np.ndarray) -> np.ndarray:
    """The integer each row of ASCII digits spells (a blank row is zero); _Unclean on anything else."""
    blank = (block == 32).all(axis=1)
    if not (((block >= 48) & (block <= 57)).all(axis=1) | blank).all():
        raise _Unclean
    digits = np.where(blank[:, None], 0, block.astype(np.int64) - 48)
    return digits @ (10 ** np.arange(block.shape[1] - 1, -1, -1, dtype=np.int64))


def _decimal(cents: np.ndarray) -> pa.Array:
    """Integer cents as DECIMAL(18,2): the unscaled 128-bit values written directly (cents are never negative)."""
    words = np.zeros((len(cents), 2), np.int64)
    words[:, 0] = cents
    return pa.Array.from_buffers(MONEY, len(cents), [None, pa.py_buffer(words)])
