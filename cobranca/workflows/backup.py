"""Backups: a consistent Parquet copy of the database (safe while the dashboard runs) and its atomic restore.

A restore builds the database in a hidden temporary file beside the target, checks it against the manifest
(every table of the schema present, every row count equal), brings it to the current schema, syncs it to
disk and only then renames it onto the target: a restore killed at any point leaves the target absent or
whole, and the next restore replaces the leftovers.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import duckdb

from ..api import Cobranca
from ..core.errors import InputError
from ..core.text import noun
from ..store import catalog, schema
from ..store.catalog import sql_path
from ..store.connection import Store, is_url
from ..store.locking import exclusive

MANIFEST = "cobranca-backup.json"
PAUSE_ENV = "COBRANCA_TEST_PAUSE"  # tests: "restore:POINT" stops the restore at POINT (see _pause)


def _stamp(db: Cobranca) -> str:
    return f"{db.now():%Y%m%d-%H%M%S}"


_FILE_ONLY = ("O {what} do cobranca copia um arquivo DuckDB; o banco {where} é um PostgreSQL. Use as ferramentas do "
              "servidor (pg_dump e pg_restore, ou o backup do seu provedor).")


def _refuse_server(what: str, target) -> None:
    """Backups are of the DuckDB file; a PostgreSQL database is backed up by the server's own tools."""
    if is_url(target):
        from ..store.engine_postgres import redact  # psycopg only when a URL was given

        raise InputError(_FILE_ONLY.format(what=what, where=redact(str(target))))


def default_backup_dir(db: Cobranca) -> Path:
    return db.path.parent / "backups" / f"cobranca-{_stamp(db)}"


def backup(db: Cobranca, directory: str | Path | None = None) -> tuple[Path, dict[str, int]]:
    """Write every table to `directory` (must not exist or be empty) with a manifest of row counts."""
    if db.path is None:
        raise InputError(_FILE_ONLY.format(what="backup", where=db.location))
    target = Path(directory) if directory else default_backup_dir(db)
    if target.exists() and any(target.iterdir()):
        raise InputError(f"A pasta {target} já existe e não está vazia; escolha outra para o backup.")
    target.parent.mkdir(parents=True, exist_ok=True)
    counts = db.export_tables(target)
    manifest = {"created_at": db.now().isoformat(timespec="seconds"), "source": db.path.name, "rows": counts}
    written = target / (MANIFEST + ".tmp")  # the manifest comes last: a backup without it is incomplete
    written.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    os.replace(written, target / MANIFEST)
    return target, counts


def _pause(point: str) -> None:
    """Test hook: COBRANCA_TEST_PAUSE=restore:POINT announces POINT on stderr and waits there to be killed;
    restore:announce announces every point without waiting."""
    wanted = os.environ.get(PAUSE_ENV)
    if wanted in (f"restore:{point}", "restore:announce"):
        print(f"pausa: {point}", file=sys.stderr, flush=True)
        if wanted != "restore:announce":
            time.sleep(600)


def _read_manifest(source: Path) -> dict[str, int]:
    path = source / MANIFEST
    if not path.is_file():
        raise InputError(f"{source} não é um backup do cobranca (falta {MANIFEST}).")
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))["rows"]
        return {str(table): int(n) for table, n in rows.items()}
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InputError(f"O manifesto {path} está corrompido; use outro backup. Nada foi restaurado.") from exc


def _verify(con: duckdb.DuckDBPyConnection, source: Path, expected: dict[str, int]) -> dict[str, int]:
    """The imported counts, after checking them against the manifest and the schema of the backup's version."""
    if not catalog.has_schema(con):
        raise InputError(f"O backup em {source} não tem as tabelas do cobranca. Nada foi restaurado.")
    version = schema.current_version(con)
    missing = sorted((schema.schema_tables(version) | set(catalog.tables(con))) - set(expected))
    if missing:
        raise InputError(
            f"O manifesto do backup em {source} não lista {noun(len(missing), 'a tabela', 'as tabelas')} "
            f"{', '.join(missing)}: não dá para conferir {noun(len(missing), 'que está completa', 'que estão completas')}. Faça um backup novo com esta versão (cobranca backup). Nada foi restaurado."
        )
    counts = catalog.row_counts(con)
    wrong = {t: (n, counts.get(t)) for t, n in expected.items() if counts.get(t) != n}
    if wrong:
        detail = "; ".join(f"{t}: esperado {n}, lido {'nenhuma tabela' if got is None else got}"
                           for t, (n, got) in sorted(wrong.items()))
        raise InputError(f"Backup incompleto em {source} ({detail}). Nada foi restaurado.")
    return {t: counts[t] for t in expected}


def import_database(target: Path, source: Path, expected: dict[str, int]) -> dict[str, int]:
    """Build the database file `target` from the export in `source`, verified and migrated; returns row counts."""
    con = duckdb.connect(str(target))
    try:
        con.execute("BEGIN TRANSACTION")
        con.execute(f"IMPORT DATABASE {sql_path(source)}")
        con.execute("COMMIT")
        _pause("imported")
        counts = _verify(con, source, expected)
        _pause("verified")
        schema.migrate(con, target)  # a backup of an older version gets the newer tables
        con.execute("CHECKPOINT")  # everything in the file itself, nothing left in a .wal beside it
    finally:
        con.close()
    return counts


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove(*paths: Path) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def _leftover(target: Path) -> bool:
    """True if `target` is absent or the debris of an interrupted restore (empty, or a DuckDB file without tables)."""
    if not target.exists():
        return True
    if target.is_dir():
        raise InputError(f"{target} é uma pasta; informe em --db o arquivo do banco a criar.")
    if target.stat().st_size == 0:
        return True
    try:
        con = duckdb.connect(str(target), read_only=True)
    except duckdb.Error:
        return False  # not a DuckDB file (or busy): never ours to overwrite
    try:
        return not catalog.tables(con)
    finally:
        con.close()


def restore(directory: str | Path, target_db: str | Path) -> dict[str, int]:
    """Create the database file `target_db` from a backup folder, atomically, checking every table's row count."""
    _refuse_server("restore", target_db)
    source, target = Path(directory), Path(target_db)
    expected = _read_manifest(source)
    store = Store(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with exclusive(store.lock_file, store.wait_seconds, store.busy_error):
        _pause("locked")
        if not _leftover(target):
            raise InputError(f"O arquivo {target} já existe; o restore cria um banco novo. Informe outro --db.")
        temp = target.with_name(f".{target.name}.restaurando")
        _remove(temp, _wal(temp))  # a killed restore's debris (we hold the lock: nobody else is writing it)
        try:
            counts = import_database(temp, source, expected)
            _fsync(temp)
            _pause("synced")
            _remove(_wal(target))  # a stale log beside the target must not be replayed into the restored file
            os.replace(temp, target)
            _fsync(target.parent)
        except BaseException:
            _remove(temp, _wal(temp))
            raise
        _pause("replaced")
    return counts

