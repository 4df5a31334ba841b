"""CLI subcommands for reminders: `message` (show the text and the wa.me link) and `send` (e-mail, one or bulk)."""

from __future__ import annotations

import argparse
import sys

from tqdm import tqdm

from ..contacting.mailer import mailto_link, smtp_configured
from ..contacting.templates import render_for_customer, render_for_receivable
from ..contacting.whatsapp import whatsapp_link
from ..core import formatting as fmt
from ..core.errors import InputError
from ..core.phones import normalize_mobile
from ..settings import default_responsible
from ..workflows.messaging import bulk_email, customer_rows, send_email, worklist_row
from .common import add_as_of_option, add_db_option, add_filter_options, as_of_from, db_from, filter_from, print_records

_CHANNELS = {"whatsapp": "whatsapp", "zap": "whatsapp", "email": "email", "e-mail": "email", "sms": "sms"}


def _channel(text: str) -> str:
    key = str(text).strip().lower()
    if key not in _CHANNELS:
        raise argparse.ArgumentTypeError(f"forma de contato '{text}' sem mensagem: use whatsapp, email ou sms")
    return _CHANNELS[key]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("message")
    add_db_option(p)
    p.add_argument("document", help="número do documento")
    p.add_argument("--installment", help="parcela (quando o documento tem mais de uma em aberto)")
    p.add_argument("--channel", type=_channel, default="whatsapp", metavar="{whatsapp,email,sms}",
                   help="forma de contato (padrão: whatsapp)")
    p.add_argument("--per-customer", action="store_true",
                   help="uma mensagem com todas as contas do cliente (vencidas e vencendo hoje, ou as de --filter)")
    p.add_argument("--filter", metavar="NOME", help="com --per-customer: contas do cliente neste filtro salvo")
    p.add_argument("--to", help="celular ou e-mail a usar no lugar do cadastro")
    p.add_argument("--by", help="responsável que assina a mensagem (padrão: COBRANCA_USER ou o usuário do sistema)")
    add_as_of_option(p)
    p.set_defaults(func=cmd_message)

    p = sub.add_parser("send")
    add_db_option(p)
    p.add_argument("document", nargs="?", help="número do documento (ou use --filter para envio em lote)")
    p.add_argument("--installment", help="parcela (quando o documento tem mais de uma em aberto)")
    p.add_argument("--channel", type=_channel, required=True, metavar="email", help="forma de envio: email")
    add_filter_options(p)
    p.add_argument("--yes", action="store_true", help="em lote: envia de fato (sem ele, só mostra o que enviaria)")
    p.add_argument("--to", help="e-mail a usar no lugar do cadastro (um documento)")
    p.add_argument("--by", help="responsável (padrão: COBRANCA_USER ou o usuário do sistema)")
    add_as_of_option(p)
    p.set_defaults(func=cmd_send)


def cmd_message(args) -> int:
    db = db_from(args)
    as_of = as_of_from(args, db)
    settings = db.settings.all()
    responsible = args.by or default_responsible()
    row = worklist_row(db, args.document, args.installment, as_of)
    db.policy.check(row, args.channel)  # opt-out and legal hours: no text to send, nothing recorded
    if args.filter and not args.per_customer:
        raise InputError("--filter só vale junto com --per-customer.")
    if args.per_customer:
        rows = customer_rows(db, row["customer_id"], args.filter, as_of)
        if not rows:
            where = f"no filtro '{args.filter}'" if args.filter else "vencidas ou vencendo"
            raise InputError(f"O cliente {row['customer']} não tem contas {where} em {fmt.day(as_of)}.")
        rendered = render_for_customer(rows, args.channel, settings, responsible, as_of)
    else:
        rendered = render_for_receivable(row, args.channel, settings, responsible, as_of)
    if args.channel == "email":
        _print_email(args.to or _text(row.get("email")), rendered.subject or "", rendered.body, settings)
    else:
        _print_short(args.channel, args.to or _text(row.get("mobile")), rendered.body)
    return 0


def _text(value) -> str:
    return fmt.text(value)


def _print_email(to: str, subject: str, body: str, settings: dict) -> None:
    print(f"Para: {to or '(sem e-mail cadastrado)'}")
    print(f"Assunto: {subject}")
    print()
    print(body)
    if not to:
        print("aviso: o cliente não tem e-mail cadastrado; informe --to.", file=sys.stderr)
    elif not smtp_configured(settings):
        try:
            link = mailto_link(to, subject, body)
        except InputError as exc:
            print(f"aviso: {exc}", file=sys.stderr)
        else:
            print()
            print(f"Link para o programa de e-mail (SMTP não configurado): {link}")


def _print_short(channel: str, phone: str, body: str) -> None:
    print(body)
    check = normalize_mobile(phone)
    if check.warning:
        print(f"aviso: {check.warning}", file=sys.stderr)
    if check.e164 is None:
        return
    print()
    if channel == "whatsapp":
        print(f"Link: {whatsapp_link(check.e164, body)}")
    else:
        print(f"Para: {check.e164}")


def _is_bulk(args) -> bool:
    return bool(args.filter or args.due_today or args.min_days is not None or args.max_days is not None)


def cmd_send(args) -> int:
    if args.channel != "email":
        raise InputError("Só o e-mail é enviado pelo cobranca. Para WhatsApp use `cobranca message "
                         "--channel whatsapp` e abra o link; depois registre com `cobranca contact`.")
    if _is_bulk(args):
        if args.document:
            raise InputError("Informe DOCUMENTO ou um filtro (--filter), não os dois.")
        if args.installment or args.to:
            raise InputError("--installment e --to valem só para o envio de um documento.")
        return _send_bulk(args)
    if not args.document:
        raise InputError("Informe o DOCUMENTO a cobrar, ou --filter NOME para enviar um e-mail por cliente.")
    return _send_one(args)


def _send_one(args) -> int:
    db = db_from(args)
    as_of = as_of_from(args, db)
    row = worklist_row(db, args.document, args.installment, as_of)
    to = args.to or _text(row.get("email"))
    if not to:
        raise InputError(f"O cliente {row['customer']} não tem e-mail cadastrado: informe --to.")
    rendered = render_for_receivable(row, "email", db.settings.all(), args.by or default_responsible(), as_of)
    send_email(db, row["document"], row["installment"], to, rendered.subject or "", rendered.body, by=args.by,
               pix=rendered.pix)
    print(f"E-mail enviado para {to} e contato registrado (documento {row['document']}, "
          f"parcela {row['installment']}, {fmt.brl(row['updated_amount'])}).")
    return 0


def _send_bulk(args) -> int:
    db = db_from(args)
    flt = filter_from(args, db)
    as_of = as_of_from(args, db)
    if not args.yes:
        report = bulk_email(db, flt, as_of, by=args.by, dry_run=True)
        records = [{"customer": p.customer, "to": p.to, "count": len(p.keys), "total": p.total} for p in report.planned]
        print(f"Filtro: {flt.description} ({flt.describe()}), em {fmt.day(as_of)}.")
        print_records(records, "table", [("customer", "Cliente"), ("to", "E-mail"), ("count", "Contas"),
                                         ("total", "Total atualizado")])
        print(report.summary())
        if not smtp_configured(db.settings.all()):
            print("aviso: o SMTP não está configurado (smtp_host, smtp_sender); configure antes de usar --yes.",
                  file=sys.stderr)
        elif report.planned:
            print("Para enviar de fato, repita o comando com --yes.")
        return 0
    bar: tqdm | None = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, unit="e-mail", file=sys.stderr, desc="Enviando")
        bar.update(done - bar.n)

    try:
        report = bulk_email(db, flt, as_of, by=args.by, dry_run=False, progress=progress)
    finally:
        if bar is not None:
            bar.close()
    print(report.summary())
    return 1 if report.failed else 0
