"""`cobranca regua`: the reminder cadence — list, add, edit, delete steps; preview one receivable; run."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime

from ..core.date_range import check_moment
from ..core.errors import InputError
from ..core.text import cut, noun
from .common import add_db_option, db_from


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("regua")
    add_db_option(p)
    actions = p.add_subparsers(dest="action", metavar="AÇÃO", parser_class=type(p))
    actions.required = True

    q = actions.add_parser("list", help="lista as etapas", description="lista as etapas da régua")
    add_db_option(q)
    q.add_argument("--format", choices=("table", "json"), default="table")
    q.set_defaults(func=cmd_list)

    for name, helptext in (("add", "inclui uma etapa"), ("edit", "altera uma etapa")):
        q = actions.add_parser(name, help=helptext, description=helptext)
        add_db_option(q)
        q.add_argument("name", metavar="NOME", help="nome da etapa")
        q.add_argument("--days", type=int, required=name == "add", metavar="N",
                       help="dias em relação ao vencimento (negativo = antes; 0 = no dia)")
        q.add_argument("--channel", required=name == "add", metavar="FORMA",
                       help="E-mail (enviado pela régua) ou WhatsApp, SMS, Telefone, Carta, Presencial (tarefa)")
        q.add_argument("--subject", metavar="MODELO", help="modelo do assunto (e-mail; vazio = padrão)")
        q.add_argument("--body", metavar="MODELO", help="modelo do texto (campos: cliente, contas, total...; vazio = padrão)")
        if name == "edit":
            q.add_argument("--name", dest="new_name", metavar="NOVO", help="novo nome")
        q.set_defaults(func=cmd_add if name == "add" else cmd_edit)

    q = actions.add_parser("delete", help="exclui uma etapa", description="exclui uma etapa (o registro fica)")
    add_db_option(q)
    q.add_argument("name", metavar="NOME")
    q.set_defaults(func=cmd_delete)

    q = actions.add_parser("preview", help="mostra o que a régua faria para uma conta",
                           description="mostra a etapa e a mensagem da régua para uma conta")
    add_db_option(q)
    q.add_argument("document", help="número do documento")
    q.add_argument("--installment", help="parcela (quando o documento tem mais de uma em aberto)")
    _now_option(q)
    q.set_defaults(func=cmd_preview)

    q = actions.add_parser("run", help="executa a régua (sem --yes, só mostra)",
                           description="envia os e-mails devidos (um por cliente) e cria as tarefas do dia")
    add_db_option(q)
    _now_option(q)
    q.add_argument("--yes", action="store_true", help="envia de fato (sem ele, simulação: nada é enviado)")
    q.add_argument("--by", help="responsável (padrão: COBRANCA_USER ou o usuário do sistema)")
    q.add_argument("--verbose", action="store_true",
                   help="mostra nomes e e-mails dos clientes (sem ele, só números: a saída costuma ir para um log)")
    q.set_defaults(func=cmd_run)


def _now_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--now", metavar="AAAA-MM-DDTHH:MM",
                   help="data e hora da simulação, no fuso da empresa (padrão: agora); vale para a data de referência "
                        "e para o horário permitido; recusado com --yes (só o relógio real envia)")


def _now(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = check_moment(datetime.fromisoformat(text.strip()), "--now")
    except ValueError:
        raise InputError(f"--now '{cut(text)}' inválido: use AAAA-MM-DDTHH:MM (ex.: 2026-11-30T09:00).") from None
    return moment.replace(tzinfo=None) if moment.tzinfo is None else moment


def cmd_list(args) -> int:
    steps = db_from(args).regua_steps()
    if args.format == "json":
        json.dump([{"name": s.name, "days": s.days, "channel": s.channel} for s in steps], sys.stdout,
                  ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    if not steps:
        print("Nenhuma etapa: a régua não faz nada (cobranca regua add NOME --days N --channel C).")
    width = max([len(s.name) for s in steps] + [4])
    print(f"{'Dias':>5}  {'Nome'.ljust(width)}  Forma     Texto")
    for s in steps:
        kind = "envio automático" if s.is_email else "tarefa"
        own = "próprio" if (s.subject or s.body) else "padrão"
        print(f"{s.days:>+5}  {s.name.ljust(width)}  {s.channel.ljust(8)}  {own} ({kind})")
    return 0


def cmd_add(args) -> int:
    step = db_from(args).add_regua_step(args.name, args.days, args.channel, args.subject, args.body)
    print(f"Etapa '{step.name}' incluída: {step.days:+d} {noun(step.days, 'dia', 'dias')}, {step.channel}.")
    return 0


def cmd_edit(args) -> int:
    step = db_from(args).edit_regua_step(args.name, args.new_name, args.days, args.channel, args.subject, args.body)
    print(f"Etapa '{step.name}' alterada: {step.days:+d} {noun(step.days, 'dia', 'dias')}, {step.channel}.")
    return 0


def cmd_delete(args) -> int:
    step = db_from(args).delete_regua_step(args.name)
    print(f"Etapa '{step.name}' excluída (o registro do que ela fez continua).")
    return 0


def cmd_preview(args) -> int:
    from ..workflows.regua_run import preview

    status, message = preview(db_from(args), args.document, args.installment, _now(args.now))
    print(status)
    if message is not None:
        if message.subject:
            print(f"Assunto: {message.subject}")
        print()
        print(message.body)
    return 0


def cmd_run(args) -> int:
    from ..store.run_lock import EXIT_BUSY, RunBusyError
    from ..workflows.regua_run import NOW_REFUSED, run

    if args.yes and args.now:
        raise InputError(NOW_REFUSED)
    db = db_from(args)
    payments_warning = db.baixa_warning()  # read before this run logs its steps
    try:
        report = run(db, _now(args.now), dry_run=not args.yes, by=args.by)
    except RunBusyError as exc:
        print(exc)
        return EXIT_BUSY
    for line in report.lines(verbose=args.verbose):
        print(line)
    print(report.summary())
    if report.dry_run and report.plan.emails:
        from ..contacting.mailer import not_configured_message, smtp_configured

        if not smtp_configured(db.settings()):
            print(f"Atenção: {not_configured_message()}", file=sys.stderr)
    if payments_warning:
        print(f"Atenção: {payments_warning}", file=sys.stderr)
    return 1 if report.failed or report.unrecorded else 0
