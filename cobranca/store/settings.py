"""Stored settings: key → text (typed, validated and defaulted by cobranca.settings)."""

from __future__ import annotations

import duckdb

from ..core import clock


def read_all(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return dict(con.execute("SELECT key, value FROM settings").fetchall())


def write(con: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    con.execute(
        "INSERT INTO settings VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET "
        "value = excluded.value, updated_at = excluded.updated_at",
        [key, value, clock.stored()],
    )
