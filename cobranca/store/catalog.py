"""The database catalogue: which tables a file holds, their row counts, and whether it is a cobranca file."""

from __future__ import annotations

from pathlib import Path

import duckdb

from ..core.errors import InputError

_TABLES_SQL = """SELECT table_name FROM information_schema.tables
    WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY table_name"""


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


def has_schema(con: duckdb.DuckDBPyConnection) -> bool:
    return "schema_version" in tables(con)


def require_schema(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Refuse an existing file that is not a cobranca database (it is never initialised silently)."""
    if has_schema(con):
        return
    found = tables(con)
    what = f"tem outras tabelas ({', '.join(found[:5])})" if found else "não tem nenhuma tabela"
    raise InputError(
        f"O arquivo {path} não é um banco do cobranca: {what} (talvez um restore interrompido ou outro programa). "
        "Nada foi alterado. Restaure-o de novo (cobranca --db ARQUIVO restore PASTA), remova-o se não for usado, "
        "ou informe outro --db."
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
