"""CLI: `cobranca db copy --to DESTINO [--substituir]` — the whole database to another DuckDB file or PostgreSQL."""

from __future__ import annotations

import sys
from decimal import Decimal

from ..core import formatting as fmt
from .common import add_db_option, db_from, table_lines


def register(sub) -> None:
    p = sub.add_parser("db")
    add_db_option(p)
    actions = p.add_subparsers(dest="action", metavar="AÇÃO", parser_class=type(p))
    actions.required = True
    c = actions.add_parser("copy", help="copia todas as tabelas para outro banco e confere linhas e somas",
                           description="Copia todas as tabelas deste banco (--db) para outro arquivo DuckDB ou banco "
                                       "PostgreSQL, numa só transação, e só confirma depois de conferir, tabela por "
                                       "tabela, o número de linhas e a soma de cada coluna de valores.")
    add_db_option(c)
    c.add_argument("--to", required=True, metavar="DESTINO",
                   help="arquivo DuckDB (criado se não existir) ou URL postgresql://usuário:senha@servidor:porta/banco")
    c.add_argument("--substituir", action="store_true",
                   help="apaga o que o destino já tem e copia por cima (sem isso, um destino com dados é recusado)")
    c.set_defaults(func=cmd_copy)


def _sums(sums: dict[str, Decimal]) -> str:
    return "; ".join(f"{column} {fmt.number(value, 2)}" for column, value in sums.items())


def _progress(table: str, rows: int, seconds: float) -> None:
    """One line per table on stderr while the copy runs (stdout keeps the final report)."""
    print(f"  {table}: {fmt.number(rows, 0)} linhas ({fmt.number(seconds, 1)} s)", file=sys.stderr, flush=True)


def cmd_copy(args) -> int:
    db = db_from(args)
    label, copied = db.transfer.copy_to(args.to, replace=args.substituir, progress=_progress)
    rows = [["tabela", "linhas", "somas conferidas"]]
    rows += [[t.table, fmt.number(t.rows, 0), _sums(t.sums)] for t in copied]
    print(f"Banco {db.location} copiado para {label}: {fmt.number(len(copied), 0)} tabelas, "
          f"{fmt.number(sum(t.rows for t in copied), 0)} linhas, contagens e somas conferidas nos dois bancos.")
    for line in table_lines(rows, max_width=80):
        print(line)
    return 0
