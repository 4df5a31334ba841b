"""Backups: a consistent Parquet copy of the database (safe while the dashboard runs) and its restore."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from .api import Cobranca, open_db
from .errors import InputError
from .store.frames import OWN_TABLES, count_rows

BACKUP_TABLES = OWN_TABLES

MANIFEST = "cobranca-backup.json"


def default_backup_dir(db: Cobranca) -> Path:
    return db.path.parent / "backups" / f"cobranca-{db.now():%Y%m%d-%H%M%S}"


def backup(db: Cobranca, directory: str | Path | None = None) -> tuple[Path, dict[str, int]]:
    """Write every table to `directory` (must not exist or be empty) with a manifest of row counts."""
    target = Path(directory) if directory else default_backup_dir(db)
    if target.exists() and any(target.iterdir()):
        raise InputError(f"A pasta {target} já existe e não está vazia; escolha outra para o backup.")
    target.parent.mkdir(parents=True, exist_ok=True)
    counts = db.export_tables(target)
    manifest = {"created_at": db.now().isoformat(timespec="seconds"), "source": db.path.name, "rows": counts}
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return target, counts


def _sql_path(path: Path) -> str:
    """A path as an SQL string literal (EXPORT/IMPORT DATABASE take no bound parameters)."""
    return "'" + str(path).replace("'", "''") + "'"


def export_database(con: duckdb.DuckDBPyConnection, directory: Path) -> dict[str, int]:
    """Consistent copy of every table to Parquet files in `directory` (one transaction); returns row counts."""
    con.execute("BEGIN TRANSACTION")
    counts = {t: count_rows(con, t) for t in BACKUP_TABLES}
    con.execute(f"EXPORT DATABASE {_sql_path(directory)} (FORMAT parquet)")
    con.execute("COMMIT")
    return counts


def import_database(target: Path, directory: Path) -> dict[str, int]:
    """Create the new database file `target` from an export; returns row counts."""
    con = duckdb.connect(str(target))
    try:
        con.execute("BEGIN TRANSACTION")
        con.execute(f"IMPORT DATABASE {_sql_path(directory)}")
        # A backup made by an older version lacks the newer tables; the migration adds them on open.
        present = {row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        counts = {t: count_rows(con, t) for t in BACKUP_TABLES if t in present}
        con.execute("COMMIT")
    finally:
        con.close()
    return counts


def restore(directory: str | Path, target_db: str | Path) -> dict[str, int]:
    """Create the database file `target_db` from a backup folder and check every table's row count."""
    source, target = Path(directory), Path(target_db)
    manifest_path = source / MANIFEST
    if not manifest_path.exists():
        raise InputError(f"{source} não é um backup do cobranca (falta {MANIFEST}).")
    if target.exists():
        raise InputError(f"O arquivo {target} já existe; o restore cria um banco novo. Informe outro --db.")
    expected = json.loads(manifest_path.read_text(encoding="utf-8"))["rows"]
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        counts = import_database(target, source)
    except Exception:
        target.unlink(missing_ok=True)
        raise
    if counts != expected:
        target.unlink(missing_ok=True)
        raise InputError(f"Backup incompleto em {source}: esperado {expected}, lido {counts}. Nada foi restaurado.")
    open_db(target).filters()  # migrations run if the backup came from an older version
    return counts
