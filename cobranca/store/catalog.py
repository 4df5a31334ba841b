"""The database catalogue: which tables a database holds, their row counts, and whether it is a cobranca one.

The queries read information_schema, which both engines have (DuckDB: schema 'main'; PostgreSQL: the connection's
current schema, normally 'public'); temporary tables are never listed.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from ..core.errors import InputError

_TABLES_SQL = """SELECT table_name FROM information_schema.tables
    WHERE table_catalog = current_database() AND table_schema = current_schema() AND table_type = 'BASE TABLE'
    ORDER BY table_name"""
_COLUMNS_SQL = """SELECT c.table_name, c.column_name FROM information_schema.columns c
    JOIN information_schema.tables t ON t.table_catalog = c.table_catalog AND t.table_schema = c.table_schema
         AND t.table_name = c.table_name
    WHERE t.table_catalog = current_database() AND t.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
      AND lower(c.data_type) IN ('timestamp', 'timestamp without time zone')
    ORDER BY c.table_name, c.column_name"""


def tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every base table of the file, by name (the catalogue, not a hand-kept list)."""
    return [row[0] for row in con.execute(_TABLES_SQL).fetchall()]


def quoted(table: str) -> str:
    """A table name as an SQL identifier (names come from the catalogue, never from user text)."""
    return '"' + table.replace('"', '""') + '"'


def count_rows(con: duckdb.DuckDBPyConnection, table: str) -> int:
    """Rows of `table`, which must be a table of the file."""
    if table not in tables(con):
        raise ValueError(f"unknown table {table!r}")
    return con.execute(f"SELECT count(*) FROM {quoted(table)}").fetchone()[0]  # noqa: S608 - catalogue name


def row_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row count of every table of the file."""
    return {t: con.execute(f"SELECT count(*) FROM {quoted(t)}").fetchone()[0] for t in tables(con)}  # noqa: S608


def timestamp_columns(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(table, column) of every naive TIMESTAMP column of the database's tables."""
    return [tuple(row) for row in con.execute(_COLUMNS_SQL).fetchall()]


def has_table(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return table in tables(con)


def has_schema(con: duckdb.DuckDBPyConnection) -> bool:
    return "schema_version" in tables(con)


_RESTORE_ADVICE = ("Restaure-o de novo (cobranca --db ARQUIVO restore PASTA), remova-o se não for usado, "
                   "ou informe outro --db.")


def require_schema(con: duckdb.DuckDBPyConnection, what: str, advice: str = _RESTORE_ADVICE) -> None:
    """Refuse an existing database (`what`: 'O arquivo X') that is not a cobranca one: never initialised silently."""
    if has_schema(con):
        return
    found = tables(con)
    found_text = f"tem outras tabelas ({', '.join(found[:5])})" if found else "não tem nenhuma tabela"
    raise InputError(
        f"{what} não é um banco do cobranca: {found_text} (talvez um restore interrompido ou outro programa). "
        f"Nada foi alterado. {advice}"
    )


def sql_path(path: Path) -> str:
    """A path as an SQL string literal (EXPORT/IMPORT DATABASE take no bound parameters)."""
    return "'" + str(path).replace("'", "''") + "'"


def export_database(con: duckdb.DuckDBPyConnection, directory: Path) -> dict[str, int]:
    """Consistent copy of every table to Parquet files in `directory` (one transaction); returns row counts."""
    con.execute("BEGIN TRANSACTION")
    counts = row_counts(con)
    con.execute(f"EXPORT DATABASE {sql_path(directory)} (FORMAT parquet)")
    con.execute("COMMIT")
    return counts
