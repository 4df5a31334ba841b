"""Results as pandas DataFrames whose DECIMAL columns hold exact Decimals, never floats; which engine runs."""

from __future__ import annotations

import duckdb
import pandas as pd
import pyarrow as pa

from .catalog import count_rows  # noqa: F401 - re-exported for the store modules


def engine_of(con) -> str:
    """'duckdb' or 'postgres': picks the SQL written side by side where the dialects differ."""
    return getattr(con, "engine", "duckdb")


def prepared(con, sql: str, params=None):
    """Run a statement of every action (the régua's re-check, claim and settle) through a statement prepared once
    per pooled connection on PostgreSQL; DuckDB's `sql`/`execute` otherwise. Answers `fetchall`/`columns`."""
    run = getattr(con, "prepared", None)
    return run(sql, params) if run is not None else con.execute(sql, params)


def analyze(con, *tables: str) -> None:
    """PostgreSQL: fresh statistics of tables a bulk write just changed (a sample of at most 30k rows each), so the
    next worklist is planned on what is there, not on an empty table (nested loops over every contact).
    Autovacuum would do it, but only a while later. Nothing on DuckDB, whose statistics are always current."""
    if engine_of(con) == "postgres":
        for table in tables:
            con.execute(f"ANALYZE {table}")  # noqa: S608 - our table names


def to_frame(relation: duckdb.DuckDBPyRelation) -> pd.DataFrame:
    """A DataFrame of `relation`; DECIMAL columns are Arrow-backed (exact Decimals)."""
    return arrow_frame(relation.to_arrow_table())


def query_frame(con, sql: str, params=None) -> pd.DataFrame:
    """The DataFrame of a statement with many rows: PostgreSQL fetches it by column (PgConnection.arrow)."""
    if engine_of(con) == "postgres":
        return arrow_frame(con.arrow(sql, params))
    return to_frame(con.sql(sql, params=params))


def arrow_frame(table: pa.Table) -> pd.DataFrame:
    """A DataFrame of an Arrow table; DECIMAL columns are Arrow-backed (exact Decimals)."""
    return table.to_pandas(types_mapper=lambda t: pd.ArrowDtype(t) if pa.types.is_decimal(t) else None)
