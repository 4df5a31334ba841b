"""Copying a whole database to another one (DuckDB file ↔ PostgreSQL): tables, sequences, counts and sums.

The tables are the schema's (migrations run on an in-memory database, store/schema.py), never a hand list. Each
table streams in Arrow batches of BATCH_ROWS rows (DuckDB source: its record batch reader; PostgreSQL source: a
server-side cursor), each written with one bulk statement (DuckDB: INSERT … SELECT from the registered batch;
PostgreSQL: one binary COPY), so memory holds one batch, not a table. `totals` gives, per table, the row count and the sum of every DECIMAL column, which
the copy compares on both sides before it commits.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from functools import cache

import duckdb
import pyarrow as pa

from . import schema
from .catalog import quoted, tables
from .frames import engine_of

_COLUMNS_SQL = """SELECT column_name, data_type FROM information_schema.columns
    WHERE table_catalog = current_database() AND table_schema = current_schema() AND table_name = ?
    ORDER BY ordinal_position"""
# information_schema's type names on PostgreSQL -> the names a binary COPY dumps values as.
_PG_COPY_TYPES = {
    "bigint": "int8", "integer": "int4", "smallint": "int2", "boolean": "bool", "date": "date", "numeric": "numeric",
    "timestamp without time zone": "timestamp", "timestamp with time zone": "timestamptz", "text": "text",
    "character varying": "text", "double precision": "float8", "real": "float4",
}
_SEQUENCES_SQL = {
    "duckdb": "SELECT sequence_name FROM duckdb_sequences() WHERE NOT temporary AND schema_name = current_schema() "
              "ORDER BY 1",
    "postgres": "SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = current_schema() "
                "ORDER BY 1",
}

Totals = dict[str, tuple[int, dict[str, Decimal]]]  # table -> (rows, {DECIMAL column: sum})


@cache
def _fresh() -> tuple[tuple[str, ...], frozenset[str]]:
    """(every table of the schema but schema_version, the tables a new database already fills: default filters,
    régua steps, settings …), from the migrations run on an in-memory DuckDB."""
    con = duckdb.connect(":memory:")
    try:
        schema.migrate(con, ":memory:")
        names = tuple(t for t in tables(con) if t != "schema_version")
        seeded = frozenset(t for t in names if con.execute(f"SELECT count(*) FROM {quoted(t)}").fetchone()[0])  # noqa: S608
        return names, seeded
    finally:
        con.close()


def schema_tables() -> tuple[str, ...]:
    """The tables a copy carries, in name order (schema_version is the target's own, written by its migrations)."""
    return _fresh()[0]


def columns(con, table: str) -> list[tuple[str, str]]:
    """(name, information_schema data type) of `table`'s columns, in table order."""
    return [(r[0], r[1]) for r in con.execute(_COLUMNS_SQL, [table]).fetchall()]


def _is_decimal(data_type: str) -> bool:
    return data_type.upper().startswith(("DECIMAL", "NUMERIC"))


def totals(con, names=None) -> Totals:
    """Rows and the sum of every DECIMAL column (money) of each table (all of schema_tables by default)."""
    out: Totals = {}
    for table in names or schema_tables():
        money = [c for c, t in columns(con, table) if _is_decimal(t)]
        sums = ", ".join(f"CAST(coalesce(sum({quoted(c)}), 0) AS DECIMAL(38,4))" for c in money)
        row = con.execute(f"SELECT count(*){', ' + sums if sums else ''} FROM {quoted(table)}").fetchone()  # noqa: S608
        out[table] = (row[0], {c: Decimal(row[i + 1]).normalize() for i, c in enumerate(money)})
    return out


def filled_tables(con) -> list[str]:
    """Tables holding rows a new database would not have (a target with any is not empty)."""
    _names, seeded = _fresh()
    return [t for t, (rows, _sums) in totals(con).items() if rows and t not in seeded]


BATCH_ROWS = 50_000  # rows held in memory at a time, per table


def read_batches(con, table: str, batch_rows: int = BATCH_ROWS) -> Iterator[pa.Table]:
    """`table`'s rows as Arrow tables of at most `batch_rows` rows, read as they are needed."""
    names = ", ".join(quoted(c) for c, _t in columns(con, table))
    sql = f"SELECT {names} FROM {quoted(table)}"  # noqa: S608 - catalogue names
    if engine_of(con) == "postgres":
        yield from _pg_batches(con, sql, table, batch_rows)
        return
    for batch in con.sql(sql).to_arrow_reader(batch_rows):
        yield pa.Table.from_batches([batch])


def _pg_batches(con, sql: str, table: str, batch_rows: int) -> Iterator[pa.Table]:
    """A server-side cursor inside the source's transaction (its snapshot), fetched `batch_rows` at a time."""
    from .pg_connection import Result  # psycopg only when PostgreSQL is used

    with con.raw.cursor(name=f"cobranca_copy_{table}") as cursor:
        cursor.itersize = batch_rows
        cursor.execute(sql)
        while rows := cursor.fetchmany(batch_rows):
            yield Result(cursor.description, rows).to_arrow_table()


def clear(con, names) -> None:
    for table in names:
        con.execute(f"DELETE FROM {quoted(table)}")  # noqa: S608 - catalogue names


def write_table(con, table: str, data: pa.Table) -> None:
    """Append `data` (one batch; columns named like the table's) to `table` with one bulk statement."""
    if not data.num_rows:
        return
    if engine_of(con) == "postgres":
        from .pg_connection import copy_rows  # psycopg only when PostgreSQL is used

        kinds = dict(columns(con, table))
        copy_rows(con.raw, table, data.column_names, [_PG_COPY_TYPES.get(kinds[c], "text") for c in
                                                     data.column_names], data)
        return
    names = ", ".join(quoted(c) for c in data.column_names)
    con.register("copied_rows", data)
    try:
        con.execute(f"INSERT INTO {quoted(table)} ({names}) SELECT {names} FROM copied_rows")  # noqa: S608
    finally:
        con.unregister("copied_rows")


def sequences(con) -> dict[str, int]:
    """The value each sequence hands out next."""
    out = {}
    for (name,) in con.execute(_SEQUENCES_SQL[engine_of(con)]).fetchall():
        if engine_of(con) == "postgres":
            last, called = con.execute(f"SELECT last_value, is_called FROM {quoted(name)}").fetchone()  # noqa: S608
            out[name] = last + 1 if called else last
        else:
            start, last = con.execute("SELECT start_value, last_value FROM duckdb_sequences() "
                                      "WHERE sequence_name = ? AND schema_name = current_schema()", [name]).fetchone()
            out[name] = start if last is None else last + 1
    return out


def set_sequences(con, values: dict[str, int]) -> None:
    """Make each sequence hand out `values[name]` next (names: the target's own sequences)."""
    known = set(sequences(con))
    for name, value in values.items():
        if name not in known:
            continue
        if engine_of(con) == "postgres":
            con.execute("SELECT setval(?, ?, false)", [name, int(value)])
        else:
            con.execute(f"CREATE OR REPLACE SEQUENCE {quoted(name)} START WITH {int(value)}")


def identity(store) -> tuple:
    """What names one database whatever the spelling: the resolved file, or the server, port and database."""
    if store.path is not None:
        return ("duckdb", str(store.path.expanduser().resolve()))
    from psycopg.conninfo import conninfo_to_dict

    info = conninfo_to_dict(store.engine.url)
    host = (info.get("host") or "localhost").lower()
    host = "localhost" if host in ("127.0.0.1", "::1") else host
    return ("postgres", host, str(info.get("port") or 5432), info.get("dbname") or info.get("user") or "")
