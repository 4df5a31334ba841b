"""CLI: `cobranca carteira assign|split|list|unassign` — the analyst responsible for each customer."""

from __future__ import annotations

import argparse

from ..core.formatting import plural
from .common import add_db_option, db_from, print_records

LIST_TABLE = [("analyst", "Analista"), ("customer_code", "Código"), ("customer", "Cliente"),
              ("open_receivables", "Contas"), ("balance", "Saldo")]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("carteira")
    add_db_option(p)
    actions = p.add_subparsers(dest="action", metavar="AÇÃO")
    actions.required = True

    a = actions.add_parser("assign", help="define o analista responsável por um cliente ou pelos clientes de um filtro")
    add_db_option(a)
    target = a.add_mutually_exclusive_group(required=True)
    target.add_argument("--customer", metavar="CLIENTE", help="código do cliente, CPF/CNPJ ou nome exato")
    target.add_argument("--filter", metavar="NOME", help="todos os clientes de um filtro salvo")
    a.add_argument("analyst", metavar="ANALISTA")
    a.add_argument("--by", help="quem fez a atribuição")
    a.set_defaults(func=cmd_assign)

    s = actions.add_parser("split", help="divide os clientes de um filtro igualmente entre analistas (um a um)")
    add_db_option(s)
    s.add_argument("--filter", metavar="NOME", help="filtro salvo (padrão: todas as vencidas e vencendo hoje)")
    s.add_argument("analysts", metavar="ANALISTA", nargs="+")
    s.add_argument("--by", help="quem fez a divisão")
    s.set_defaults(func=cmd_split)

    b = actions.add_parser("list", help="lista os clientes de cada analista")
    add_db_option(b)
    b.add_argument("--analyst", metavar="ANALISTA", help="somente este analista")
    b.add_argument("--format", choices=["table", "csv", "json"], default="table")
    b.set_defaults(func=cmd_list)

    u = actions.add_parser("unassign", help="tira o cliente da carteira do analista")
    add_db_option(u)
    u.add_argument("customer", metavar="CLIENTE")
    u.set_defaults(func=cmd_unassign)


def cmd_assign(args) -> int:
    db = db_from(args)
    if args.customer:
        found = db.assign_customer(args.customer, args.analyst, by=args.by)
        print(f"Cliente {found['name']} na carteira de {found['analyst']}.")
    else:
        count = db.assign_filter(args.filter, args.analyst, by=args.by)
        print(f"{plural(count, 'cliente', 'clientes')} do filtro '{args.filter}' na carteira de {args.analyst}.")
    return 0


def cmd_split(args) -> int:
    counts = db_from(args).split_filter(args.filter, args.analysts, by=args.by)
    for analyst, count in counts.items():
        print(f"{analyst}: {plural(count, 'cliente', 'clientes')}")
    return 0


def cmd_list(args) -> int:
    frame = db_from(args).portfolio(args.analyst)
    if frame.empty and args.format == "table":
        print("Nenhum cliente atribuído a analistas.")
        return 0
    print_records(frame.to_dict("records"), args.format, LIST_TABLE)
    return 0


def cmd_unassign(args) -> int:
    found = db_from(args).unassign_customer(args.customer)
    print(f"Cliente {found['name']} sem analista responsável.")
    return 0
