"""CLI subcommand `report`: write the PDF collections report of a worklist."""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from ..core.errors import InputError
from .common import add_as_of_option, add_db_option, add_filter_options, as_of_from, db_from, filter_from


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report")
    add_db_option(p)
    add_filter_options(p)
    add_as_of_option(p)
    p.add_argument("-o", "--output", metavar="ARQUIVO",
                   help="arquivo PDF a gravar (padrão: relatorio-cobrancas-AAAA-MM-DD.pdf na pasta atual)")
    p.add_argument("--by", metavar="NOME", help="responsável (padrão: COBRANCA_USER ou o usuário do sistema)")
    p.add_argument("--results", action="store_true",
                   help="inclui os resultados da cobrança dos 30 dias até a data de referência (ou --from/--to)")
    p.add_argument("--from", dest="since", metavar="DATA", help="início do período dos resultados")
    p.add_argument("--to", dest="until", metavar="DATA", help="fim do período dos resultados")
    p.set_defaults(func=cmd_report)


def _write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename: never a half-written PDF."""
    folder = path.parent
    if not folder.is_dir():
        raise InputError(f"A pasta '{folder}' não existe. Crie-a ou informe outro caminho com -o.")
    fd, tmp = tempfile.mkstemp(prefix=".relatorio-", suffix=".pdf.tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def cmd_report(args) -> int:
    from ..report.pdf import render_report  # reportlab and matplotlib load only when a report is asked for

    db = db_from(args)
    as_of = as_of_from(args, db)
    flt = filter_from(args, db)
    target = Path(args.output) if args.output else Path.cwd() / f"relatorio-cobrancas-{as_of.isoformat()}.pdf"
    if target.is_dir():
        raise InputError(f"'{target}' é uma pasta; informe o nome do arquivo PDF com -o.")
    period = db.results.period(args.since, args.until or as_of) if args.results or args.since or args.until else None
    rendered = render_report(db, flt, as_of, responsible=args.by, results=period)
    try:
        _write_atomically(target, rendered.pdf)
    except PermissionError as exc:
        raise InputError(f"Sem permissão para gravar '{target}'. Escolha outra pasta com -o.") from exc
    print(f"Relatório gravado em {target} ({rendered.pages} página{'s' if rendered.pages != 1 else ''}).")
    return 0
