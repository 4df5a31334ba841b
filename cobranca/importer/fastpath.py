"""The happy path of validation: one pass from `src` to the typed rows, with a flag per row instead of messages.

Most files are clean, so the rows are parsed straight into the Arrow table the upsert takes, each with one
boolean saying whether any check of `validation._checks` failed (or a money cell is ambiguous and needs its
column's convention). Only when some row is flagged, or a document repeats, does the import take the full path
(`checked`, `problems`) that words every problem; the clean file never pays for the error reporting, and no
second copy of the table is made.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from . import sqlparse as sp
from . import validation
from .reading import Staged

_FLAGS = ("__bad", "__amb", "__unkeyed")


def _flags_sql(staged: Staged) -> str:
    """The flag columns over the parsed rows `p`: `__bad` is true for every row some check of
    `validation._checks` refuses (and may be true for a few more, which the full path then clears)."""
    present = [f for f in validation.FIELDS if f.name in staged.match.positions]
    bad = ["p.extra"]
    bad += [f"p.{f.name} = ''" for f in present if f.required]
    bad += [f"strlen(p.{f.name}) > {sp.MAX_CELL_CHARS}" for f in present]  # the char count only on the full path
    joined = f"concat_ws({sp.lit(sp.SEPARATOR)}, {', '.join(f'p.{f.name}' for f in present)})"
    bad.append(f"CASE WHEN p.suspicious THEN has_control({joined}) ELSE false END")  # few rows are suspicious
    parsed = [name for name in (*validation.MONEY, *validation.DATES, "tax_id") if name in staged.match.positions]
    bad += [f"(p.{name} <> '' AND p.{name}__v IS NULL)" for name in parsed]  # what `{name}__e IS NOT NULL` says
    if "amount" in staged.match.positions:
        bad.append("p.amount__v <= 0")
    if "paid_amount" in staged.match.positions:
        bad += ["p.paid_amount__v < 0", "(p.amount__v > 0 AND coalesce(p.paid_amount__v, 0) > p.amount__v)"]
    money = [name for name in validation.MONEY if name in staged.match.positions]
    ambiguous = " OR ".join(f"p.{name}__amb IS NOT NULL" for name in money) or "false"
    flagged = " OR ".join(f"coalesce({condition}, false)" for condition in bad)
    return (f"({flagged}) AS __bad, ({ambiguous}) AS __amb, "
            "(p.customer_key IS NULL AND p.customer <> '') AS __unkeyed")


def clean_rows(con, staged: Staged) -> pa.Table | None:
    """The typed rows (validation.OUTPUT_COLUMNS) when every row passes every check, else None (then the full
    path words the problems). `src` must have been through `validation.prepare_cells`; it is left as it is."""
    parsed = validation.parsed_sql(validation.cells_sql(staged))
    sql = f"SELECT {validation.output_columns('p')}, {_flags_sql(staged)} FROM ({parsed}) p"  # noqa: S608 - ours
    table = con.sql(sql).to_arrow_table()
    if not table.num_rows or pc.any(table["__bad"]).as_py() or pc.any(table["__amb"]).as_py():
        return None
    if _repeats(table):
        return None
    table = _keyed(table)
    return table.drop_columns(list(_FLAGS))


def _repeats(table: pa.Table) -> bool:
    """Whether a (document, installment) appears twice (the full path names both lines)."""
    keys = table.select(["document", "installment"])
    return keys.group_by(["document", "installment"], use_threads=False).aggregate([]).num_rows < keys.num_rows


def _keyed(table: pa.Table) -> pa.Table:
    """The rows whose customer name SQL cannot key exactly (`__unkeyed`, rare) keyed in Python."""
    unkeyed = table["__unkeyed"]
    if not pc.any(unkeyed).as_py():
        return table
    names = pc.unique(pc.filter(table["customer"], unkeyed))
    keys = pa.array(["name:" + validation.customer_name_key(n) for n in names.to_pylist()], pa.string())
    found = pc.take(keys, pc.index_in(table["customer"], value_set=names))
    position = table.column_names.index("customer_key")
    return table.set_column(position, "customer_key", pc.if_else(unkeyed, found, table["customer_key"]))
