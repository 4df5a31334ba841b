"""Results as pandas DataFrames whose DECIMAL columns hold exact Decimals, never floats; which engine runs."""

from __future__ import annotations

import duckdb
import pandas as pd
import pyarrow as pa

from .catalog import count_rows  # noqa: F401 - re-exported for the store modules


def engine_of(con) -> str:
    """'duckdb' or 'postgres': picks the SQL written side by side where the dialects differ."""
    return getattr(con, "engine", "duckdb")


def to_frame(relation: duckdb.DuckDBPyRelation) -> pd.DataFrame:
    """A DataFrame of `relation`; DECIMAL columns are Arrow-backed (exact Decimals)."""
    table = relation.to_arrow_table()
    return table.to_pandas(types_mapper=lambda t: pd.ArrowDtype(t) if pa.types.is_decimal(t) else None)
