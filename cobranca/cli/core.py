"""CLI subcommands of the core: worklist, filters, contact, comment, history, undo, settings."""

from __future__ import annotations

import argparse
import sys

from ..core.formatting import plural
from ..promises.status import STATUS_LABELS
from ..receivables.filters import FILTER_STATUSES, Filter
from ..settings import SETTINGS
from .common import add_as_of_option, add_db_option, add_filter_options, as_of_from, db_from, filter_from, print_records

WORKLIST_JSON_KEYS = (
    "document", "installment", "customer", "due_date", "days_overdue", "balance", "fine", "interest",
    "updated_amount", "mobile", "email", "last_contact_at", "last_contact_channel", "contacted_today",
    "status", "promise_date", "do_not_contact", "assigned_to", "in_service_by",
)
WORKLIST_TABLE = [
    ("customer", "Cliente"), ("document", "Documento"), ("installment", "Parc."), ("due_date", "Vencimento"),
    ("days_overdue", "Dias"), ("balance", "Saldo"), ("fine", "Multa"), ("interest", "Juros"),
    ("updated_amount", "Valor atualizado"), ("mobile", "Celular"), ("last_contact_at", "Último contato"),
    ("last_contact_channel", "Forma"), ("contacted_today", "Contatado"), ("status_label", "Situação"),
]
HISTORY_TABLE = [
    ("created_at", "Data/Hora"), ("channel", "Forma Contato"), ("responsible", "Responsável"),
    ("observation", "Observação"), ("destination", "Destino"),
]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("worklist")
    add_db_option(p)
    add_filter_options(p)
    add_as_of_option(p)
    p.add_argument("--format", choices=["table", "csv", "json"], default="table", help="formato de saída")
    p.add_argument("--include-paused", action="store_true",
                   help="inclui as contas pausadas (promessa de pagamento até a data, ou contestadas)")
    p.set_defaults(func=cmd_worklist)

    _register_filters(sub)

    p = sub.add_parser("contact")
    add_db_option(p)
    _receivable_args(p)
    p.add_argument("--channel", required=True, help="WhatsApp, E-mail, Telefone, SMS, Carta, Presencial ou Nenhum")
    p.add_argument("--to", help="telefone ou e-mail usado")
    p.add_argument("--message", help="texto enviado")
    p.add_argument("--observation", help="observação")
    p.add_argument("--by", help="responsável (padrão: COBRANCA_USER ou o usuário do sistema)")
    p.set_defaults(func=cmd_contact)

    p = sub.add_parser("comment")
    add_db_option(p)
    _receivable_args(p)
    p.add_argument("text", help="comentário")
    p.add_argument("--by", help="responsável")
    p.set_defaults(func=cmd_comment)

    p = sub.add_parser("history")
    add_db_option(p)
    _receivable_args(p)
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.set_defaults(func=cmd_history)

    p = sub.add_parser("undo")
    add_db_option(p)
    _receivable_args(p)
    p.add_argument("--by", help="responsável")
    p.set_defaults(func=cmd_undo)

    p = sub.add_parser("settings")
    add_db_option(p)
    ssub = p.add_subparsers(dest="action", metavar="AÇÃO", parser_class=type(p))
    ssub.required = True
    s = ssub.add_parser("show", help="mostra as configurações")
    s.set_defaults(func=cmd_settings_show)
    s = ssub.add_parser("set", help="altera uma configuração")
    s.add_argument("key", help=", ".join(SETTINGS))
    s.add_argument("value")
    s.set_defaults(func=cmd_settings_set)


def _receivable_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("document", help="número do documento")
    p.add_argument("--installment", help="parcela (quando o documento tem mais de uma em aberto)")


def _register_filters(sub) -> None:
    p = sub.add_parser("filters")
    add_db_option(p)
    fsub = p.add_subparsers(dest="action", metavar="AÇÃO", parser_class=type(p))
    fsub.required = True
    s = fsub.add_parser("list", help="lista os filtros")
    s.add_argument("--format", choices=["table", "json"], default="table")
    s.set_defaults(func=cmd_filters_list)
    for name, func, text in (("add", cmd_filters_add, "inclui um filtro"), ("edit", cmd_filters_edit, "altera um filtro")):
        s = fsub.add_parser(name, help=text)
        s.add_argument("name", help="descrição do filtro" + (" a alterar" if name == "edit" else ""))
        if name == "edit":
            s.add_argument("--description", help="nova descrição")
        s.add_argument("--due-today", action=argparse.BooleanOptionalAction, default=None, help="somente vencendo hoje")
        s.add_argument("--min-days", type=int, metavar="X", help="vencidas a partir de X dias")
        s.add_argument("--max-days", type=int, metavar="Y", help="vencidas até Y dias")
        s.add_argument("--channel", help="forma de contato padrão")
        s.add_argument("--min-balance", help="saldo mínimo")
        s.add_argument("--max-balance", help="saldo máximo")
        s.add_argument("--customer", dest="customer_search", help="parte do nome do cliente")
        s.add_argument("--status", help="situação: " + ", ".join(FILTER_STATUSES) + " (padrão: sem as pausadas)")
        s.add_argument("--mine", action=argparse.BooleanOptionalAction, default=None,
                       help="Minha carteira: só os clientes do analista (COBRANCA_USER)")
        s.set_defaults(func=func)
    s = fsub.add_parser("delete", help="exclui um filtro")
    s.add_argument("name")
    s.set_defaults(func=cmd_filters_delete)


def cmd_worklist(args) -> int:
    db = db_from(args)
    frame = db.worklist(filter_from(args, db), as_of_from(args, db), include_paused=args.include_paused)
    records = [{**r, "status_label": STATUS_LABELS.get(r["status"], r["status"])} for r in frame.to_dict("records")]
    if args.format == "json":
        records = [{k: r[k] for k in WORKLIST_JSON_KEYS} for r in records]
    print_records(records, args.format, WORKLIST_TABLE)
    if args.format == "table":
        print(f"{plural(len(records), 'conta', 'contas')}.", file=sys.stderr)
    return 0


def _filter_changes(args) -> dict:
    fields = {}
    for key in ("due_today", "min_days", "max_days", "channel", "min_balance", "max_balance", "customer_search",
                "status", "mine"):
        value = getattr(args, key, None)
        if value is not None:
            fields[key] = value
    return fields


def cmd_filters_list(args) -> int:
    records = [{**f.as_dict(), "what": f.describe()} for f in db_from(args).filters()]
    print_records(records, args.format, [("description", "Descrição"), ("what", "Seleciona"), ("channel", "Forma padrão")])
    return 0


def cmd_filters_add(args) -> int:
    flt = db_from(args).add_filter(Filter(description=args.name, **_filter_changes(args)))
    print(f"Filtro '{flt.description}' incluído: {flt.describe()}.")
    return 0


def cmd_filters_edit(args) -> int:
    changes = _filter_changes(args)
    if args.description:
        changes["description"] = args.description
    flt = db_from(args).update_filter(args.name, **changes)
    print(f"Filtro '{flt.description}' alterado: {flt.describe()}.")
    return 0


def cmd_filters_delete(args) -> int:
    db_from(args).delete_filter(args.name)
    print(f"Filtro '{args.name}' excluído.")
    return 0


def cmd_contact(args) -> int:
    db = db_from(args)
    db.register_contact(args.document, args.installment, args.channel, to=args.to, message=args.message,
                        observation=args.observation, by=args.by)
    print(f"Contato registrado para o documento {args.document}.")
    return 0


def cmd_comment(args) -> int:
    db_from(args).register_comment(args.document, args.text, installment=args.installment, by=args.by)
    print(f"Comentário registrado para o documento {args.document}.")
    return 0


def cmd_history(args) -> int:
    frame = db_from(args).history(args.document, args.installment)
    print_records(frame.to_dict("records"), args.format, HISTORY_TABLE)
    return 0


def cmd_undo(args) -> int:
    cancelled = db_from(args).cancel_last_contact(args.document, args.installment, by=args.by)
    print(f"Último contato ({cancelled['channel']}) cancelado para o documento {args.document}.")
    return 0


def cmd_settings_show(args) -> int:
    db = db_from(args)
    stored = db.stored_settings()
    records = [{"key": k, "value": _one_line(stored.get(k, s.default)), "help": s.help} for k, s in SETTINGS.items()]
    print_records(records, "table", [("key", "Chave"), ("value", "Valor"), ("help", "Descrição")])
    for warning in db.setting_warnings():
        print(warning, file=sys.stderr)
    return 0


def _one_line(text: str, width: int = 40) -> str:
    flat = " ⏎ ".join(str(text).splitlines())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def cmd_settings_set(args) -> int:
    db = db_from(args)
    warning = db.set_setting(args.key, args.value)
    print(f"{args.key} = {db.stored_settings().get(args.key, args.value)}")
    if warning:
        print(warning, file=sys.stderr)
    return 0
