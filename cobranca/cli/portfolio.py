"""CLI: `cobranca carteira assign|split|list|unassign|atender` — the analyst responsible for each customer, and
claiming one to serve alone ("em atendimento por X")."""

from __future__ import annotations

import argparse
import json
import sys

from ..core import formatting as fmt
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

    t = actions.add_parser("atender", help="reserva um cliente para atendimento (5 minutos): o indicado, ou o próximo "
                                           "livre de um filtro; recusa se outro analista já o atende")
    add_db_option(t)
    which = t.add_mutually_exclusive_group()
    which.add_argument("--customer", metavar="CLIENTE", help="código do cliente, CPF/CNPJ ou nome exato")
    which.add_argument("--filter", metavar="NOME",
                       help="o próximo cliente livre deste filtro (padrão: todas as vencidas e vencendo hoje)")
    t.add_argument("--analyst", metavar="ANALISTA", help="quem atende (padrão: COBRANCA_USER)")
    t.add_argument("--format", choices=["table", "json"], default="table")
    t.set_defaults(func=cmd_claim)


def cmd_assign(args) -> int:
    db = db_from(args)
    if args.customer:
        found = db.portfolio.assign(args.customer, args.analyst, by=args.by)
        print(f"Cliente {found['name']} na carteira de {found['analyst']}.")
    else:
        count = db.portfolio.assign_filter(args.filter, args.analyst, by=args.by)
        print(f"{fmt.plural(count, 'cliente', 'clientes')} do filtro '{args.filter}' na carteira de {args.analyst}.")
    return 0


def cmd_split(args) -> int:
    counts = db_from(args).portfolio.split_filter(args.filter, args.analysts, by=args.by)
    for analyst, count in counts.items():
        print(f"{analyst}: {fmt.plural(count, 'cliente', 'clientes')}")
    return 0


def cmd_list(args) -> int:
    frame = db_from(args).portfolio.listing(args.analyst)
    if frame.empty and args.format == "table":
        print("Nenhum cliente atribuído a analistas.")
        return 0
    print_records(frame.to_dict("records"), args.format, LIST_TABLE)
    return 0


def cmd_unassign(args) -> int:
    found = db_from(args).portfolio.unassign(args.customer)
    print(f"Cliente {found['name']} sem analista responsável.")
    return 0


def cmd_claim(args) -> int:
    """Exit 0 with the customer claimed; 1 when another analyst serves it, or nobody is left in the filter."""
    db = db_from(args)
    if args.customer:
        found = db.customers.find(args.customer)
        claim = db.portfolio.claim(found["id"], args.analyst)
    else:
        claim = db.portfolio.claim_next(args.filter, args.analyst)
        found = db.customers.find(claim["customer_id"]) if claim is not None else None
    if args.format == "json":
        out = None if claim is None else {**claim, "customer": found["name"], "customer_code": found["code"],
                                          "expires_at": claim["expires_at"].isoformat()}
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif claim is None:
        print("Nenhum cliente livre neste filtro: todos estão em atendimento.", file=sys.stderr)
    elif claim["claimed"]:
        print(f"Cliente {found['name']} (código {found['code'] or '—'}) em atendimento por {claim['analyst']} até "
              f"{fmt.moment(claim['expires_at'])}.")
    else:
        print(f"Cliente {found['name']}: {claim['message']}", file=sys.stderr)
    return 0 if claim is not None and claim["claimed"] else 1
