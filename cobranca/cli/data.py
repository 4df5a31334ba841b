"""CLI subcommands that load data: `import` (CSV/XLSX/Parquet export) and `demo` (sample data)."""

from __future__ import annotations

import argparse
import sys

from ..core.errors import InputError
from ..core.formatting import plural
from .common import add_db_option, db_from

PROGRESS_MIN_ROWS = 50_000


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import")
    add_db_option(p)
    p.add_argument("file", metavar="ARQUIVO", help="arquivo exportado do ERP (.csv, .xlsx ou .parquet)")
    p.add_argument("--map", action="append", default=[], metavar="COLUNA=CAMPO",
                   help="associa uma coluna do arquivo a um campo (ex.: 'Dt. Venc.=due_date'); pode repetir")
    p.add_argument("--skip-invalid", action="store_true",
                   help="importa as linhas válidas e lista as inválidas (padrão: nada é importado se houver erro)")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("demo")
    add_db_option(p)
    p.add_argument("--rows", type=int, default=200, metavar="N", help="número de contas (padrão: 200)")
    p.add_argument("--seed", type=int, default=1, metavar="S", help="semente dos dados (padrão: 1)")
    p.add_argument("--if-empty", action="store_true", help="não faz nada se o banco já tiver contas")
    p.set_defaults(func=cmd_demo)


def parse_mapping(items: list[str]) -> dict[str, str]:
    """['Dt. Venc.=due_date'] -> {'Dt. Venc.': 'due_date'} (split at the last '=')."""
    mapping = {}
    for item in items:
        column, sep, target = item.rpartition("=")
        if not sep or not column.strip():
            raise InputError(f"--map '{item}': use COLUNA=CAMPO, por exemplo --map 'Dt. Venc.=due_date'.")
        mapping[column.strip()] = target.strip()
    return mapping


class _Bar:
    """A tqdm bar on stderr, created only for large files on a terminal."""

    def __init__(self):
        self.bar = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            if total < PROGRESS_MIN_ROWS or not sys.stderr.isatty():
                return
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit=" linhas", desc="Validando", file=sys.stderr, leave=False)
        self.bar.total = total
        self.bar.update(done - self.bar.n)
        if done >= total:
            self.bar.set_description("Gravando no banco")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def cmd_import(args) -> int:
    mapping = parse_mapping(args.map)
    db = db_from(args)
    bar = _Bar()
    try:
        report = db.import_file(args.file, mapping=mapping or None, skip_invalid=args.skip_invalid, progress=bar)
    finally:
        bar.close()
    for warning in report.warnings:
        print(f"aviso: {warning}", file=sys.stderr)
    if report.absent:
        print(f"aviso: {report.absent_text()}", file=sys.stderr)
    if report.skipped:
        lines = report.skipped_text()
        print(f"{plural(len(lines), 'linha ignorada', 'linhas ignoradas')}, cada uma com o motivo:", file=sys.stderr)
        for text in lines:  # every skipped line: the user must be able to fix and re-import each one
            print(f"  - {text}", file=sys.stderr)
    print(report.summary())
    return 0


def cmd_demo(args) -> int:
    from ..demo import load_demo

    if args.rows < 1:
        raise InputError("--rows deve ser pelo menos 1.")
    db = db_from(args)
    existing = db.counts()["receivables"]
    if existing:
        message = (f"O banco {db.location} já tem {plural(existing, 'conta', 'contas')}; os dados de demonstração só são carregados "
                   "num banco vazio.")
        if args.if_empty:
            print(f"{message} Nada a fazer.")
            return 0
        raise InputError(f"{message} Use --db com outro arquivo.")
    report, contacts = load_demo(db, rows=args.rows, seed=args.seed)
    print(f"{report.summary()} {plural(contacts, 'contato registrado', 'contatos registrados')}. Banco: {db.location}")
    return 0
