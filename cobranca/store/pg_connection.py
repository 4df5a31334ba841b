"""A psycopg connection that answers like a DuckDB one, for the subset of DuckDB's API the store modules use.

`execute(sql, params)` (returns itself, then `fetchone`/`fetchall`), `executemany`, `sql(sql, params=…)` (a
result with `fetchall` and `to_arrow_table`), and `register`/`unregister` (a DataFrame or Arrow table as a
temporary table, loaded with one COPY). Every statement goes through pg_dialect.translate.
"""

from __future__ import annotations

import io
from decimal import Decimal

import pandas as pd
import psycopg
import pyarrow as pa
import pyarrow.csv as pa_csv
from psycopg.types.string import StrDumper

from .pg_dialect import translate


class _Text(str):
    """A string inside a list parameter: dumped as `text`, so the list is a typed `text[]` (a bare string list is
    of unknown type, and `unnest('{a,b}')` is ambiguous to PostgreSQL)."""


psycopg.adapters.register_dumper(_Text, StrDumper)


def _typed(value):
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value):
        return [_Text(v) for v in value]
    return value


def _params(params):
    """The statement's parameters with string lists typed (positional list or named dict, as DuckDB takes them)."""
    if params is None:
        return []
    if isinstance(params, dict):
        return {k: _typed(v) for k, v in params.items()}
    return [_typed(v) for v in params]

# PostgreSQL type OIDs -> Arrow types of a result's columns (numeric is handled apart: it needs its scale).
_ARROW_TYPES = {
    16: pa.bool_(), 20: pa.int64(), 21: pa.int16(), 23: pa.int32(), 25: pa.string(), 1043: pa.string(),
    1042: pa.string(), 705: pa.string(), 19: pa.string(), 1082: pa.date32(), 1114: pa.timestamp("us"),
    1184: pa.timestamp("us", tz="UTC"), 700: pa.float32(), 701: pa.float64(), 1186: pa.duration("us"),
}
_NUMERIC = 1700


def _pg_type(arrow_type: pa.DataType) -> str:
    """The column type of a registered table for an Arrow type (also the binary COPY's type name)."""
    if pa.types.is_decimal(arrow_type):
        return f"numeric({arrow_type.precision},{arrow_type.scale})"
    checks = [
        (pa.types.is_boolean, "boolean"), (pa.types.is_integer, "bigint"), (pa.types.is_floating, "double precision"),
        (pa.types.is_date, "date"), (pa.types.is_timestamp, "timestamp"),
    ]
    for check, name in checks:
        if check(arrow_type):
            return name
    return "text"


def _copy_type(column_type: str) -> str:
    """The type psycopg dumps a value as in a binary COPY (typmods dropped: the column applies them)."""
    return column_type.split("(", 1)[0]


def copy_rows(raw, table: str, columns: list[str], types: list[str], data: pa.Table) -> None:
    """`data` into `table` (`columns` of `types`) with one `COPY … FROM STDIN`.

    Tables of plain types go in as CSV written by Arrow's C++ writer (no Python object per value); any other
    type falls back to a binary COPY of Python values. Names come from our code (the schema catalogue, or a store
    module's constant), never from user text.
    """
    names = ", ".join(f'"{c}"' for c in columns)
    if all(_csv_safe(f.type) for f in data.schema):
        _copy_csv(raw, f'COPY "{table}" ({names}) FROM STDIN (FORMAT csv)', data)
        return
    with raw.cursor().copy(f'COPY "{table}" ({names}) FROM STDIN (FORMAT BINARY)') as copy:
        copy.set_types([_copy_type(t) for t in types])
        for start in range(0, data.num_rows, _COPY_BATCH):
            batch = data.slice(start, _COPY_BATCH)
            for row in zip(*(batch.column(i).to_pylist() for i in range(batch.num_columns)), strict=True):
                copy.write_row(row)


_COPY_BATCH = 100_000  # rows turned into Python values (or CSV text) at a time: memory stays flat at 1M rows


def _csv_safe(arrow_type: pa.DataType) -> bool:
    """Whether Arrow writes the type as text PostgreSQL reads back exactly: decimals in full, ISO dates,
    microsecond timestamps without a zone (`timestamp` columns), every string quoted (so '' is not NULL)."""
    if pa.types.is_timestamp(arrow_type):
        return arrow_type.tz is None and arrow_type.unit in ("s", "ms", "us")
    return any(check(arrow_type) for check in (
        pa.types.is_string, pa.types.is_large_string, pa.types.is_integer, pa.types.is_boolean,
        pa.types.is_decimal, pa.types.is_date32, pa.types.is_floating))


def _copy_csv(raw, statement: str, data: pa.Table) -> None:
    """`data` as CSV into the COPY: a NULL is an empty field, a string always quoted (quotes doubled), so an
    empty string stays empty and customer text (separators, quotes, line breaks) stays data."""
    options = pa_csv.WriteOptions(include_header=False, quoting_style="needed")
    with raw.cursor().copy(statement) as copy:
        for start in range(0, data.num_rows, _COPY_BATCH):
            buffer = pa.BufferOutputStream()
            pa_csv.write_csv(data.slice(start, _COPY_BATCH), buffer, options)
            copy.write(buffer.getvalue())


def _scale(values: list) -> int:
    exponents = [-v.as_tuple().exponent for v in values if isinstance(v, Decimal) and v.is_finite()]
    return max([0, *exponents])


def _precision(values: list, scale: int) -> int:
    """DuckDB's DECIMAL(18, s) when the values fit (so that adding two columns stays within Arrow's 38 digits),
    else 38: for a numeric result without a declared precision (a CASE mixing DECIMAL(18,2) and 0, a sum)."""
    whole = [len(v.as_tuple().digits) + v.as_tuple().exponent for v in values
             if isinstance(v, Decimal) and v.is_finite()]
    return 18 if max([0, *whole]) + scale <= 18 else 38


def _column(values: list, oid: int, scale: int | None, precision: int | None = None) -> pa.Array:
    if oid == _NUMERIC:
        scale = scale if scale is not None else _scale(values)
        return pa.array(values, type=pa.decimal128(precision or _precision(values, scale), scale))
    arrow_type = _ARROW_TYPES.get(oid)
    return pa.array(values, type=arrow_type) if arrow_type is not None else pa.array(values)


def _csv_type(col) -> pa.DataType | None:
    """The Arrow type a column reads back exactly from PostgreSQL's CSV, or None."""
    if col.type_code == _NUMERIC:
        return pa.decimal128(col.precision, col.scale) if col.scale is not None and col.precision else None
    return _CSV_TYPES.get(col.type_code)


_CSV_TYPES = {16: pa.bool_(), 20: pa.int64(), 21: pa.int16(), 23: pa.int32(), 25: pa.string(), 1043: pa.string(),
              1042: pa.string(), 1082: pa.date32(), 1114: pa.timestamp("us")}


class Result:
    """The rows of one `sql()` call, fetched at once (the store's relations are always consumed whole)."""

    def __init__(self, description, rows: list[tuple]):
        self.description = description or []
        self.rows = rows

    @property
    def columns(self) -> list[str]:
        return [col.name for col in self.description]

    def fetchall(self) -> list[tuple]:
        return self.rows

    def fetchone(self) -> tuple | None:
        return self.rows[0] if self.rows else None

    def to_arrow_table(self) -> pa.Table:
        columns = list(zip(*self.rows, strict=True)) if self.rows else [()] * len(self.description)
        arrays = [_column(list(values), col.type_code, col.scale, col.precision) for values, col in
                  zip(columns, self.description, strict=True)]
        return pa.Table.from_arrays(arrays, names=[col.name for col in self.description])

    def df(self) -> pd.DataFrame:
        return self.to_arrow_table().to_pandas()


class PgConnection:
    """DuckDB's connection methods on a psycopg connection (client-side binding: values are quoted by libpq)."""

    engine = "postgres"

    def __init__(self, raw):
        self.raw = raw
        self._cursor = None

    def execute(self, sql: str, params=None) -> PgConnection:
        cursor = self.raw.cursor()
        cursor.execute(translate(sql), _params(params))
        self._cursor = cursor
        return self

    def executemany(self, sql: str, rows) -> PgConnection:
        cursor = self.raw.cursor()
        cursor.executemany(translate(sql), list(rows))
        self._cursor = cursor
        return self

    def fetchone(self) -> tuple | None:
        rows = self.fetchall() if self._cursor.description is None else None
        return (rows[0] if rows else None) if rows is not None else self._cursor.fetchone()

    def fetchall(self) -> list[tuple]:
        """The rows; like DuckDB, a statement without a result (UPDATE, DELETE, ...) answers its row count."""
        if self._cursor.description is None:
            return [(self._cursor.rowcount,)]
        return self._cursor.fetchall()

    def sql(self, sql: str, params=None) -> Result:
        cursor = self.raw.cursor()
        cursor.execute(translate(sql), _params(params))
        return Result(cursor.description, cursor.fetchall() if cursor.description else [])

    def arrow(self, sql: str, params=None) -> pa.Table:
        """The result as an Arrow table fetched by column: `COPY (…) TO STDOUT` as CSV parsed by Arrow's C++ reader
        (no Python object per value), typed from the statement's description. Falls back to `sql()` when a
        column's type has no exact CSV reading (a numeric without a declared scale, an interval, …)."""
        text, bound = translate(sql), _params(params)
        cursor = self.raw.cursor()
        cursor.execute(f"SELECT * FROM ({text}) described LIMIT 0", bound)  # noqa: S608 - our own statement
        types = [_csv_type(col) for col in cursor.description]
        if any(t is None for t in types):
            return self.sql(sql, params).to_arrow_table()
        names = [col.name for col in cursor.description]
        buffer = io.BytesIO()
        with cursor.copy(f"COPY ({text}) TO STDOUT (FORMAT csv)", bound) as copy:
            for chunk in copy:
                buffer.write(chunk)
        if not buffer.getbuffer().nbytes:
            return pa.Table.from_arrays([pa.array([], type=t) for t in types], names=names)
        buffer.seek(0)
        return pa_csv.read_csv(buffer, read_options=pa_csv.ReadOptions(column_names=names),
                               convert_options=pa_csv.ConvertOptions(
                                   column_types=dict(zip(names, types, strict=True)), true_values=["t"],
                                   false_values=["f"], null_values=[""], strings_can_be_null=True,
                                   quoted_strings_can_be_null=False))

    def prepared(self, sql: str, params=None) -> Result:
        """`sql()` through a server-side prepared statement (kept by this pooled connection): a statement run per
        action (the régua's re-check) is parsed and analysed once per connection, not at every call."""
        cursor = psycopg.Cursor(self.raw)
        cursor.execute(translate(sql), _params(params), prepare=True)
        return Result(cursor.description, cursor.fetchall() if cursor.description else [])

    def register(self, name: str, data: pd.DataFrame | pa.Table) -> None:
        """`data` as the temporary table `name` (dropped by `unregister`), loaded with one COPY (copy_rows)."""
        if not name.isidentifier():
            raise ValueError(f"bad table name {name!r}")
        table = data if isinstance(data, pa.Table) else pa.Table.from_pandas(data, preserve_index=False)
        types = [_pg_type(f.type) for f in table.schema]
        columns = ", ".join(f'"{f.name}" {t}' for f, t in zip(table.schema, types, strict=True))
        self.raw.execute(f'DROP TABLE IF EXISTS "{name}"')
        self.raw.execute(f'CREATE TEMP TABLE "{name}" ({columns})')
        copy_rows(self.raw, name, table.column_names, types, table)

    def unregister(self, name: str) -> None:
        if not name.isidentifier():
            raise ValueError(f"bad table name {name!r}")
        if self.raw.info.transaction_status == psycopg.pq.TransactionStatus.INERROR:
            return  # a failed transaction runs nothing more; its rollback drops the temporary table
        self.raw.execute(f'DROP TABLE IF EXISTS "{name}"')

    def close(self) -> None:
        self.raw.close()
