"""Results as pandas DataFrames whose DECIMAL columns hold exact Decimals, never floats; which engine runs."""

from __future__ import annotations

import duckdb
import pandas as pd
import pyarrow as pa


def engine_of(con) -> str:
    """'duckdb' or 'postgres': picks the SQL written side by side where the dialects differ."""
    return getattr(con, "engine", "duckdb")


def to_frame(relation: duckdb.DuckDBPyRelation) -> pd.DataFrame:
    """A DataFrame of `relation`; DECIMAL columns are Arrow-backed (exact Decimals)."""
    table = relation.to_arrow_table()
    return table.to_pandas(types_mapper=lambda t: pd.ArrowDtype(t) if pa.types.is_decimal(t) else None)


OWN_TABLES = ("schema_version", "settings", "customers", "receivables", "filters", "contacts",
              "receivable_events", "customer_events",
              "payment_events", "aging_snapshots", "portfolio", "leases")  # step 4: results, portfolios


def count_rows(con: duckdb.DuckDBPyConnection, table: str) -> int:
    """Rows of one of our own tables (a name from OWN_TABLES, never user text)."""
    if table not in OWN_TABLES:
        raise ValueError(f"unknown table {table!r}")
    return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 - checked against the list
