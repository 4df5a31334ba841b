"""CLI subcommands for the state of collection work: promise, dispute, resolve, optout, optin."""

from __future__ import annotations

import argparse

from ..core import formatting as fmt
from ..core.calendar import parse_date
from ..core.date_range import check_day
from ..core.errors import InputError
from ..core.money import parse_money
from ..core.text import cut
from .common import add_db_option, db_from, option_value


def _receivable_args(p: argparse.ArgumentParser) -> None:
    add_db_option(p)
    p.add_argument("document", help="número do documento")
    p.add_argument("--installment", help="parcela (quando o documento tem mais de uma em aberto)")
    p.add_argument("--by", help="responsável (padrão: COBRANCA_USER ou o usuário do sistema)")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("promise")
    _receivable_args(p)
    p.add_argument("--date", required=True, metavar="DATA", help="data prometida (aaaa-mm-dd ou dd/mm/aaaa; hoje ou depois)")
    p.add_argument("--amount", metavar="VALOR", help="valor prometido (padrão: o valor atualizado de hoje)")
    p.add_argument("--note", help="observação")
    p.set_defaults(func=cmd_promise)

    p = sub.add_parser("dispute")
    _receivable_args(p)
    p.add_argument("--reason", required=True, help="motivo da contestação")
    p.set_defaults(func=cmd_dispute)

    p = sub.add_parser("resolve")
    _receivable_args(p)
    p.add_argument("--note", help="como foi resolvida")
    p.set_defaults(func=cmd_resolve)

    p = sub.add_parser("optout")
    add_db_option(p)
    p.add_argument("customer", metavar="CLIENTE", help="código do cliente, CPF/CNPJ ou nome exato")
    p.add_argument("--reason", required=True, help="motivo")
    p.add_argument("--by", help="responsável")
    p.set_defaults(func=cmd_optout)

    p = sub.add_parser("optin")
    add_db_option(p)
    p.add_argument("customer", metavar="CLIENTE", help="código do cliente, CPF/CNPJ ou nome exato")
    p.add_argument("--note", help="observação")
    p.add_argument("--by", help="responsável")
    p.set_defaults(func=cmd_optin)


def _date(text: str):
    try:
        return check_day(parse_date(text), "--date")
    except ValueError as exc:
        raise InputError(f"--date '{cut(text)}' {exc}.") from exc


def cmd_promise(args) -> int:
    db = db_from(args)
    due, amount = _date(args.date), option_value(parse_money, args.amount, "--amount")
    entry = db.promises.register(args.document, args.installment, due=due, amount=amount,
                                note=args.note, by=args.by)
    print(f"Promessa registrada: documento {entry['document']}, parcela {entry['installment']}, "
          f"{fmt.brl(entry['amount'])} até {fmt.day(entry['promise_date'])}. A conta sai das listas até essa data.")
    return 0


def cmd_dispute(args) -> int:
    entry = db_from(args).promises.open_dispute(args.document, args.installment, reason=args.reason, by=args.by)
    print(f"Contestação registrada: documento {entry['document']}, parcela {entry['installment']}. "
          "A conta sai das listas até ser resolvida (cobranca resolve).")
    return 0


def cmd_resolve(args) -> int:
    entry = db_from(args).promises.resolve_dispute(args.document, args.installment, note=args.note, by=args.by)
    print(f"Contestação resolvida: documento {entry['document']}, parcela {entry['installment']}. "
          "A conta volta às listas.")
    return 0


def cmd_optout(args) -> int:
    customer = db_from(args).policy.opt_out(args.customer, reason=args.reason, by=args.by)
    print(f"Cliente {customer['name']} marcado para não contatar: WhatsApp, SMS e e-mail ficam bloqueados "
          "(telefone, carta e presencial ainda podem ser registrados).")
    return 0


def cmd_optin(args) -> int:
    customer = db_from(args).policy.opt_in(args.customer, note=args.note, by=args.by)
    print(f"Cliente {customer['name']} pode voltar a receber mensagens.")
    return 0
