"""CLI: `cobranca customer CLIENTE` — open receivables, total, history and one message; `--contact` records it."""

from __future__ import annotations

import argparse
import json
import sys

from ..core import formatting as fmt
from .common import add_as_of_option, add_db_option, as_of_from, db_from, print_records

RECEIVABLES_TABLE = [
    ("document", "Documento"), ("installment", "Parc."), ("due_date", "Vencimento"), ("days_overdue", "Dias"),
    ("balance", "Saldo"), ("updated_amount", "Valor atualizado"), ("status_label", "Situação"),
]
HISTORY_TABLE = [
    ("created_at", "Data/Hora"), ("document", "Documento"), ("installment", "Parc."), ("channel", "Forma"),
    ("responsible", "Responsável"), ("observation", "Observação"),
]
JSON_RECEIVABLE_KEYS = ("receivable_id", "document", "installment", "due_date", "days_overdue", "balance", "fine",
                        "interest", "updated_amount", "status", "promise_date", "assigned_to", "in_service_by")
JSON_HISTORY_KEYS = ("created_at", "document", "installment", "kind", "channel", "responsible", "destination",
                     "observation")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("customer")
    add_db_option(p)
    add_as_of_option(p)
    p.add_argument("customer", metavar="CLIENTE", help="código do cliente, CPF/CNPJ ou nome exato")
    p.add_argument("--channel", default="WhatsApp", help="forma da mensagem: WhatsApp, SMS ou E-mail")
    p.add_argument("--contact", metavar="FORMA",
                   help="registra um contato nesta forma em todas as contas em aberto do cliente (uma transação)")
    p.add_argument("--observation", help="observação do contato registrado")
    p.add_argument("--by", help="responsável")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.set_defaults(func=cmd_customer)


def cmd_customer(args) -> int:
    db = db_from(args)
    as_of = as_of_from(args, db)
    if args.contact:
        ids = db.register_customer_contact(args.customer, args.contact, observation=args.observation, by=args.by)
        print(f"Contato registrado em {fmt.plural(len(ids), 'conta', 'contas')} do cliente.")
        return 0
    view = db.customer_view(args.customer, as_of)
    message = db.customer_message(args.customer, args.channel, as_of, by=args.by) if len(view["receivables"]) else None
    if args.format == "json":
        from .common import _plain

        out = {
            "customer": {k: _plain(v) for k, v in view["customer"].items()}, "assigned_to": view["analyst"],
            "in_service_by": [lease["analyst"] for lease in view["leases"]],
            "total": _plain(view["total"]), "balance": _plain(view["balance"]),
            "receivables": [{k: _plain(r.get(k)) for k in JSON_RECEIVABLE_KEYS}
                            for r in view["receivables"].to_dict("records")],
            "history": [{k: _plain(r.get(k)) for k in JSON_HISTORY_KEYS} for r in view["history"].to_dict("records")],
            "message": None if message is None else {"subject": message.subject, "body": message.body},
        }
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    customer = view["customer"]
    print(f"{customer['name']} (código {customer['code'] or '—'}, CPF/CNPJ {customer['tax_id'] or '—'})")
    print(f"Responsável: {view['analyst'] or 'sem analista'}")
    for lease in view["leases"]:
        print(f"Em atendimento por {lease['analyst']} até {fmt.moment(lease['expires_at'])}")
    print()
    if len(view["receivables"]):
        from ..promises.status import STATUS_LABELS

        rows = [{**r, "status_label": STATUS_LABELS.get(r["status"], r["status"])}
                for r in view["receivables"].to_dict("records")]
        print_records(rows, "table", RECEIVABLES_TABLE)
    else:
        print("Nenhuma conta em aberto.")
    print(f"\nTotal atualizado: {fmt.brl(view['total'])} (saldo {fmt.brl(view['balance'])})")
    print("\nHistórico (mais recentes primeiro)")
    if len(view["history"]):
        print_records(view["history"].to_dict("records"), "table", HISTORY_TABLE)
    else:
        print("Nenhum contato registrado.")
    if message is not None:
        print(f"\nMensagem ({args.channel})")
        if message.subject:
            print(f"Assunto: {message.subject}")
        print(message.body)
    return 0
