"""CLI: `cobranca backup [DIR]` and `cobranca restore DIR --db NEW_FILE`."""

from __future__ import annotations

from ..workflows.backup import backup, restore
from .common import add_db_option, db_from


def register(sub) -> None:
    p = sub.add_parser("backup")
    add_db_option(p)
    p.add_argument("directory", nargs="?", metavar="PASTA", help="pasta de destino (padrão: data/backups/cobranca-DATA-HORA)")
    p.set_defaults(func=cmd_backup)
    p = sub.add_parser("restore")
    add_db_option(p)
    p.add_argument("directory", metavar="PASTA", help="pasta do backup")
    p.set_defaults(func=cmd_restore)


def _rows(counts: dict[str, int]) -> str:
    return ", ".join(f"{table}: {n}" for table, n in counts.items() if table != "schema_version")


def cmd_backup(args) -> int:
    target, counts = backup(db_from(args), args.directory)
    print(f"Backup gravado em {target} ({_rows(counts)}).")
    return 0


def cmd_restore(args) -> int:
    db = db_from(args)  # nothing is opened: the restore creates the file itself
    target = db.path if db.path is not None else db.location  # a URL (password hidden) is refused by restore
    counts = restore(args.directory, target)
    print(f"Banco {target} restaurado ({_rows(counts)}).")
    return 0
