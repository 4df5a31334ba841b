"""A run's outcomes as one Arrow table (the record table plus status, receivable, applied, excess and reason):
history notes set-wise, the rows to store, and Outcome objects only where one is asked for."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .matching import Outcome
from .notes import bank_label, note_tail
from .settle import DUPLICATE
from .table import MONEY, to_records

DECIDED = pa.schema([("run_row", pa.int64()), ("status", pa.string()), ("receivable_id", pa.int64()),
                     ("applied", MONEY), ("excess", MONEY), ("reason", pa.string())])


def decided(run_rows: list[int], outcomes: list[Outcome]) -> pa.Table:
    """The DECIDED columns of outcomes reached one by one (matching.plan)."""
    return pa.table({"run_row": run_rows, "status": [o.status for o in outcomes],
                     "receivable_id": [o.receivable_id for o in outcomes], "applied": [o.applied for o in outcomes],
                     "excess": [o.excess for o in outcomes], "reason": [o.reason for o in outcomes]}, schema=DECIDED)


def to_outcomes(table: pa.Table) -> list[Outcome]:
    """The Outcome (with its BankRecord) of each row."""
    data = table.select(["status", "receivable_id", "applied", "excess", "reason"]).to_pydict()
    return [Outcome(record, status, rid, applied, excess, reason or "")
            for record, status, rid, applied, excess, reason in zip(to_records(table), *data.values(), strict=True)]


def notes(table: pa.Table) -> pa.Array:
    """history_note of every row that moved money (NULL for the others), each distinct tail worded once."""
    if not table.num_rows:
        return pa.array([], pa.string())
    col = {name: table.column(name).combine_chunks() for name in
           ("bank", "source", "file", "line", "discount", "rebate", "excess", "fee", "applied")}
    line = pc.cast(col["line"], pa.string())
    head = pc.binary_join_element_wise(_labels(col), " (", col["file"], ", linha ", line, ").", "")
    note = pc.binary_join_element_wise(head, _tails(col["excess"], pc.add(col["discount"], col["rebate"]),
                                                    col["fee"]), "")
    moved = pc.greater(pc.add(col["applied"], col["excess"]), 0)
    return pc.if_else(moved, note, pa.scalar(None, pa.string()))


def _tails(*amounts: pa.Array) -> pa.Array:
    """note_tail of every row, worded once per distinct (excess, discount, fee): a file has a handful."""
    coded = [pc.dictionary_encode(a) for a in amounts]
    sizes = [len(c.dictionary) for c in coded]
    combined = np.zeros(len(amounts[0]), np.int64)
    for c, size in zip(coded, sizes, strict=True):
        combined = combined * size + c.indices.to_numpy()
    distinct, at = np.unique(combined, return_inverse=True)
    words = []
    for value in distinct.tolist():
        picked = []
        for c, size in zip(reversed(coded), reversed(sizes), strict=True):
            value, i = divmod(value, size)
            picked.append(c.dictionary[i].as_py())
        words.append(note_tail(*reversed(picked)))
    return pa.array(words, pa.string()).take(pa.array(at))


def _labels(col: dict) -> pa.Array:
    """bank_label of each row ('Itaú, retorno CNAB 240'), worded once per bank and source."""
    coded = pc.dictionary_encode(pc.binary_join_element_wise(col["bank"], col["source"], "|"))
    words = [bank_label(*pair.split("|")) for pair in coded.dictionary.to_pylist()]
    return pa.array(words, pa.string()).take(coded.indices)


def stored(table: pa.Table, columns: tuple[str, ...]) -> pa.Table:
    """The rows to keep in bank_records, with their history notes: duplicates left out."""
    kept = table.filter(pc.not_equal(table.column("status"), DUPLICATE))
    return pa.table({name: notes(kept) if name == "note" else kept.column(name) for name in columns})
