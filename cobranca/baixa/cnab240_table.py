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

# bytes that decode (cp1252) to whitespace other than a space: str.strip and Arrow's trim would differ
_ODD_SPACE = np.zeros(256, bool)
_ODD_SPACE[[0x09, 0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x1F, 0xA0]] = True
_ODD = _ODD_SPACE.copy()  # inside a field, a line break is odd too
_ODD[[0x0A, 0x0D]] = True
WIDTH = 240


class _Unclean(Exception):
    """The file needs the strict reader."""


def read(name: str, data: bytes) -> pa.Table | None:
    """The record table of a clean CNAB 240 return file, or None (then read it with cnab.parse)."""
    try:
        return _read(name, data)
    except (_Unclean, BankFileError):
        return None


def _rows(data: bytes) -> _Segments:
    """The file's lines on a single buffer (each keeps its line break, which no field reaches): no Python string
    per line. The same lines as cnab._Lines, or _Unclean."""
    data = data.rstrip(b"\x1a")
    while True:  # trailing lines of only spaces (or SUB) are not records
        cut = data.rfind(b"\n")
        if data[cut + 1:].rstrip(b"\r").strip(b" \x1a"):
            break
        if cut < 0:
            raise _Unclean
        data = data[:cut]
    crlf, ends_cr = b"\r" in data, data.endswith(b"\r")
    breaks = _breaks(data, crlf)
    raw = np.frombuffer(data, np.uint8)
    if crlf and (raw[breaks - 1] != 13).any():
        raise _Unclean  # mixed line ends
    if not data.isascii():  # (a plain ASCII file has its text fields checked one by one: _Segments.text)
        if _ODD_SPACE[raw].any() or data.count(b"\r") != len(breaks) + ends_cr:
            raise _Unclean
        data = data.decode("cp1252", errors="replace").encode("utf-8")
        breaks = np.flatnonzero(np.frombuffer(data, np.uint8) == 10)
    offsets = np.concatenate([[0], breaks + 1, [len(data)]]).astype(np.int32)
    rows = pa.StringArray.from_buffers(len(offsets) - 1, pa.py_buffer(offsets), pa.py_buffer(data))
    ascii_only = len(data) == raw.size
    widths = np.diff(offsets) if ascii_only else pc.utf8_length(rows).to_numpy()  # characters, not bytes
    if (widths[:-1] != WIDTH + 1 + crlf).any() or widths[-1] != WIDTH + ends_cr:
        raise _Unclean
    if not ascii_only:
        return _Segments(rows, None)
    step = WIDTH + 1 + crlf  # every line has this width here: the file is a (lines, WIDTH) matrix, no copy
    return _Segments(rows, np.lib.stride_tricks.as_strided(raw, (len(rows), WIDTH), (step, 1), writeable=False))


def _breaks(data: bytes, crlf: bool) -> np.ndarray:
    """Where each line ends: read off the fixed record width when every line has it, else searched."""
    step = WIDTH + 1 + crlf
    raw = np.frombuffer(data, np.uint8)
    if len(data) % step == step - 1 - crlf + data.endswith(b"\r") and (raw[step - 1::step] == 10).all():
        return np.arange(step - 1, len(data), step)
    return np.flatnonzero(raw == 10)


class _Segments:
    """The fields of every segment T and of the U after it: gathered straight from the bytes of a plain ASCII
    file (a byte is a character), else sliced by character with Arrow."""

    def __init__(self, rows: pa.Array, matrix: np.ndarray | None):
        self.rows, self.matrix = rows, matrix
        self.at: dict[str, np.ndarray] = {}

    def line(self, i: int) -> str:
        return self.rows[i].as_py()[:WIDTH]

    def kinds(self) -> tuple[np.ndarray, np.ndarray]:
        """Which lines are a segment T, which a segment U (record type 3 at position 8, segment at 14)."""
        if self.matrix is not None:
            detail, segment = self.matrix[:, 7] == ord("3"), self.matrix[:, 13]
            return detail & (segment == ord("T")), detail & (segment == ord("U"))
        detail, segment = pc.equal(_cut(self.rows, (8, 8)), "3"), _cut(self.rows, (14, 14))
        return tuple(pc.and_(detail, pc.equal(segment, kind)).to_numpy(zero_copy_only=False) for kind in "TU")

    def pick(self, t_at: np.ndarray) -> None:
        self.at, self.count = {"T": t_at, "U": t_at + 1}, len(t_at)
        if self.matrix is None:
            self.taken = {seg: self.rows.take(pa.array(at)) for seg, at in self.at.items()}
        elif len(t_at) > 1 and (np.diff(t_at) == 2).all():  # one lot, T and U alternating: a view, no gather
            self.at = {"T": slice(t_at[0], t_at[-1] + 1, 2), "U": slice(t_at[0] + 1, t_at[-1] + 2, 2)}

    def block(self, seg: str, span: Span) -> np.ndarray | None:
        """(records, width) bytes of a field (None when the file is not plain ASCII)."""
        if self.matrix is None:
            return None
        return self.matrix[self.at[seg], span[0] - 1:span[1]]

    def text(self, seg: str, span: Span) -> pa.Array:
        found = self.block(seg, span)
        if found is None:
            return pc.utf8_slice_codeunits(self.taken[seg], span[0] - 1, span[1])
        if _ODD[found].any():  # a tab, a stray CR...: str.strip and Arrow's trim would differ
            raise _Unclean
        n, width = found.shape
        offsets = np.arange(n + 1, dtype=np.int32) * width
        return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(found.tobytes()))


def _read(name: str, data: bytes) -> pa.Table:
    rows = _rows(data)
    layout, bank = detect_first(name, rows.line(0))
    if layout != "cnab240" or rows.line(len(rows.rows) - 1)[7:8] != "9":
        raise _Unclean
    is_t, is_u = rows.kinds()
    t_at = np.flatnonzero(is_t)
    if not len(t_at) or t_at[-1] + 1 >= len(rows.rows) or not is_u[t_at + 1].all():
        raise _Unclean
    rows.pick(t_at)
    return _records(_Lines(name, b""), bank, LAYOUTS_240[bank], rows, pa.array(t_at + 1, pa.int32()))


def _records(strict: _Lines, bank: str, lay: Layout240, rows: _Segments, line: pa.Array) -> pa.Table:
    code = _code(rows.text("T", (16, 17)))
    words, paid_codes = _describe(bank, code)
    _day(strict, rows.text("T", lay.due), lay.due, "data de vencimento")
    occurred = _day(strict, rows.text("U", U_OCCURRED), U_OCCURRED, "data de ocorrência")
    if occurred.null_count:
        raise _Unclean
    number, dv, cart = _text(rows, "T", lay.nosso), _text(rows, "T", lay.check_digit), _text(rows, "T", lay.carteira)
    nosso = _nosso(number, dv, cart)
    document = _text(rows, "T", lay.document)
    key = nosso_keys(nosso)
    paid = _money(rows, "U", U_PAID)
    ident = pc.if_else(pc.equal(key, ""), pc.binary_join_element_wise("doc:", document, ""), key)
    record_key = pc.binary_join_element_wise("cnab240", bank, ident, code, pc.cast(occurred, pa.string()),
                                             pc.cast(paid, pa.string()), "|")
    n = len(line)
    columns = {
        "source": _repeat("cnab240", n), "bank": _repeat(bank, n), "file": _repeat(strict.name, n),
        "line": line, "occurrence": code, "description": words, "is_payment": paid_codes,
        "nosso_numero": nosso, "document": document, "occurred_on": occurred,
        "credited_on": _day(strict, rows.text("U", U_CREDITED), U_CREDITED, "data de crédito"),
        "face_amount": _money(rows, "T", lay.face), "paid": paid, "interest": _money(rows, "U", U_INTEREST),
        "discount": _money(rows, "U", U_DISCOUNT), "rebate": _money(rows, "U", U_REBATE),
        "fee": _money(rows, "T", lay.fee), "payer_name": _text(rows, "T", lay.payer_name),
        "payer_tax_id": pc.utf8_ltrim(_text(rows, "T", lay.payer_tax_id), "0"), "txid": _repeat("", n),
        "fitid": _repeat("", n), "account": _repeat("", n), "record_key": record_key, "nosso_key": key,
    }
    return pa.table(columns, schema=SCHEMA)


def _cut(rows: pa.Array, span: Span) -> pa.Array:
    return pc.utf8_slice_codeunits(rows, span[0] - 1, span[1])


def _text(rows: _Segments, seg: str, span: Span | None) -> pa.Array:
    return _repeat("", rows.count) if span is None else pc.utf8_trim(rows.text(seg, span), " ")


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


def _money(rows: _Segments, seg: str, span: Span) -> pa.Array:
    """Cents in fixed width (blank is zero) as DECIMAL(18,2), never through a float."""
    width = span[1] - span[0] + 1
    block = rows.block(seg, span)
    if block is not None:
        return _decimal(_cents(block))
    raw = rows.text(seg, span)
    raw = pc.if_else(pc.equal(pc.utf8_trim(raw, " "), ""), "0" * width, raw)
    if not pc.all(pc.match_substring_regex(raw, f"^[0-9]{{{width}}}$")).as_py():
        raise _Unclean
    cents = pc.binary_join_element_wise(pc.utf8_slice_codeunits(raw, 0, width - 2),
                                        pc.utf8_slice_codeunits(raw, width - 2, width), ".")
    return pc.cast(cents, MONEY)


def _cents(block: np.ndarray) -> np.ndarray:
    """The integer each row of ASCII digits spells (a blank row is zero); _Unclean on anything else."""
    blank = (block == 32).all(axis=1)
    if not (((block >= 48) & (block <= 57)).all(axis=1) | blank).all():
        raise _Unclean
    digits = np.where(blank[:, None], 0, block - 48).astype(np.int64)
    return digits @ (10 ** np.arange(block.shape[1] - 1, -1, -1, dtype=np.int64))


def _decimal(cents: np.ndarray) -> pa.Array:
    """Integer cents as DECIMAL(18,2): the unscaled 128-bit values written directly (cents are never negative)."""
    words = np.zeros((len(cents), 2), np.int64)
    words[:, 0] = cents
    return pa.Array.from_buffers(MONEY, len(cents), [None, pa.py_buffer(words)])
