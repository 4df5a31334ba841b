"""CLI: `cobranca acordo simular|criar|listar|mostrar|cancelar|verificar|politica|termo` (debt renegotiation)."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

from ..acordos import render
from ..core.errors import InputError
from ..core.money import parse_money, parse_percent
from .common import add_db_option, date_option, db_from, option_value, print_records

_FORMATS = ("table", "json")


def _terms(p: argparse.ArgumentParser) -> None:
    add_db_option(p)
    p.add_argument("customer", metavar="CLIENTE", help="código do cliente, CPF/CNPJ ou nome exato")
    p.add_argument("--parcelas", type=int, required=True, metavar="N", help="número de parcelas mensais (0: à vista)")
    p.add_argument("--entrada", metavar="VALOR", help="valor da entrada (padrão: a mínima da política)")
    p.add_argument("--vencimento-entrada", metavar="DATA", help="vencimento da entrada (padrão: hoje)")
    p.add_argument("--primeiro-vencimento", metavar="DATA", help="vencimento da 1ª parcela (padrão: um mês após a entrada)")
    p.add_argument("--documentos", metavar="DOC/PARC,...", help="somente estas contas (padrão: todas as vencidas)")
    p.add_argument("--desconto-juros", metavar="P", help="desconto sobre os juros, em %% (padrão: o máximo da política)")
    p.add_argument("--desconto-multa", metavar="P", help="desconto sobre a multa, em %% (padrão: o máximo da política)")
    p.add_argument("--format", choices=_FORMATS, default="table", help="formato da saída")


def register(sub: argparse._SubParsersAction) -> None:
    top = sub.add_parser("acordo")
    actions = top.add_subparsers(dest="action", metavar="AÇÃO", parser_class=type(top))
    actions.required = True
    p = actions.add_parser("simular", help="simula um acordo (nada é gravado)", description="simula um acordo")
    _terms(p)
    p.set_defaults(func=cmd_simulate)
    p = actions.add_parser("criar", help="grava o acordo (com --yes)", description="grava o acordo")
    _terms(p)
    p.add_argument("--yes", action="store_true", help="confirma: sem ele só mostra a simulação")
    p.add_argument("--by", help="responsável (padrão: COBRANCA_USER)")
    p.set_defaults(func=cmd_create)
    p = actions.add_parser("listar", help="lista os acordos", description="lista os acordos (verifica quebras antes)")
    add_db_option(p)
    p.add_argument("--status", choices=("active", "kept", "broken", "cancelled"), help="somente nesta situação")
    p.add_argument("--cliente", metavar="CLIENTE", help="somente deste cliente")
    p.add_argument("--format", choices=_FORMATS, default="table", help="formato da saída")
    p.set_defaults(func=cmd_list)
    p = actions.add_parser("mostrar", help="mostra um acordo", description="mostra um acordo e seus códigos Pix")
    add_db_option(p)
    p.add_argument("id", type=int, metavar="ID", help="número do acordo")
    p.add_argument("--format", choices=_FORMATS, default="table", help="formato da saída")
    p.set_defaults(func=cmd_show)
    p = actions.add_parser("cancelar", help="cancela um acordo (como se quebrasse)", description="cancela um acordo")
    add_db_option(p)
    p.add_argument("id", type=int, metavar="ID", help="número do acordo")
    p.add_argument("--motivo", required=True, help="por que o acordo é cancelado (fica registrado)")
    p.add_argument("--by", help="responsável (padrão: COBRANCA_USER)")
    p.add_argument("--format", choices=_FORMATS, default="table", help="formato da saída")
    p.set_defaults(func=cmd_cancel)
    p = actions.add_parser("verificar", help="aplica quebras e cumprimentos de hoje",
                           description="quebra os acordos com parcela atrasada além da tolerância e quita os cumpridos")
    add_db_option(p)
    p.set_defaults(func=cmd_check)
    p = actions.add_parser("politica", help="mostra ou altera a política de descontos",
                           description="política de acordos por faixa de dias de atraso")
    add_db_option(p)
    p.add_argument("--faixa", type=int, metavar="INICIO", help="altera a faixa que começa neste dia de atraso")
    for flag, what in (("--desconto-juros", "desconto máximo dos juros, %%"),
                       ("--desconto-multa", "desconto máximo da multa, %%"), ("--entrada", "entrada mínima, %% do total"),
                       ("--parcelas", "número máximo de parcelas"), ("--parcela-minima", "valor mínimo da parcela")):
        p.add_argument(flag, metavar="VALOR", help=what)
    p.add_argument("--format", choices=_FORMATS, default="table", help="formato da saída")
    p.set_defaults(func=cmd_policy)
    p = actions.add_parser("exportar", help="exporta o acordo para o ERP (CSV)",
                           description="CSV para o ERP: contas substituídas e as novas parcelas (colunas da importação)")
    add_db_option(p)
    p.add_argument("id", type=int, metavar="ID", help="número do acordo")
    p.add_argument("-o", "--output", required=True, metavar="ARQUIVO", help="arquivo CSV a gravar")
    p.set_defaults(func=cmd_export)
    p = actions.add_parser("resultados", help="acordos por analista: cumpridos, quebrados, recuperado, desconto médio",
                           description="resultados dos acordos criados no período, por analista")
    add_db_option(p)
    p.add_argument("--de", dest="since", metavar="DATA", help="início (padrão: 30 dias atrás)")
    p.add_argument("--ate", dest="until", metavar="DATA", help="fim (padrão: hoje)")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table", help="formato da saída")
    p.set_defaults(func=cmd_results)
    p = actions.add_parser("mensagem", help="mensagem ao cliente com o resumo e o Pix da entrada",
                           description="mensagem (WhatsApp ou e-mail) com o resumo do acordo e o Pix da entrada; "
                                       "respeita o não contatar e o horário permitido")
    add_db_option(p)
    p.add_argument("id", type=int, metavar="ID", help="número do acordo")
    p.add_argument("--canal", default="whatsapp", help="whatsapp (padrão) ou email")
    p.set_defaults(func=cmd_message)
    p = actions.add_parser("termo", help="gera o PDF do termo de acordo e confissão de dívida",
                           description="gera o PDF do termo de acordo")
    add_db_option(p)
    p.add_argument("id", type=int, metavar="ID", help="número do acordo")
    p.add_argument("-o", "--output", required=True, metavar="ARQUIVO", help="arquivo PDF a gravar")
    p.set_defaults(func=cmd_term)


def _documents(text: str | None) -> list[tuple[str, str | None]] | None:
    if not text:
        return None
    out = []
    for part in text.split(","):
        document, _, installment = part.strip().partition("/")
        if not document:
            raise InputError(f"--documentos '{text}': use DOC/PARCELA separados por vírgula, ex.: 144/1,145/2.")
        out.append((document, installment or None))
    return out


def _offer(args) -> dict:
    return {"entry": option_value(parse_money, args.entrada, "--entrada"),
            "entry_due": date_option(args.vencimento_entrada, "--vencimento-entrada"),
            "first_due": date_option(args.primeiro_vencimento, "--primeiro-vencimento"),
            "documents": _documents(args.documentos),
            "interest_discount": option_value(parse_percent, args.desconto_juros, "--desconto-juros"),
            "fine_discount": option_value(parse_percent, args.desconto_multa, "--desconto-multa")}


def _print_json(data) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def cmd_simulate(args) -> int:
    customer, sim = db_from(args).agreements.simulate(args.customer, args.parcelas, **_offer(args))
    if args.format == "json":
        _print_json(render.simulation_json(customer, sim))
    else:
        print("\n".join(render.simulation_text(customer, sim)))
    return 0


def cmd_create(args) -> int:
    db = db_from(args)
    if not args.yes:
        customer, sim = db.agreements.simulate(args.customer, args.parcelas, **_offer(args))
        print("\n".join(render.simulation_text(customer, sim)))
        print("Nada foi gravado. Confirme com --yes para criar o acordo.")
        return 0
    made = db.agreements.create(args.customer, args.parcelas, by=args.by, **_offer(args))
    _show(made, args.format)
    return 0


def _show(agreement: dict, fmt_name: str) -> None:
    if fmt_name == "json":
        _print_json(render.agreement_json(agreement))
    else:
        print("\n".join(render.agreement_text(agreement)))


def cmd_list(args) -> int:
    found = db_from(args).agreements.list(status=args.status, customer=args.cliente)
    if args.format == "json":
        _print_json([render.agreement_json(a) for a in found])
        return 0
    if not found:
        print("Nenhum acordo.")
    for agreement in found:
        print("\n".join(render.agreement_text(agreement)))
        print()
    return 0


def cmd_show(args) -> int:
    _show(db_from(args).agreements.show(args.id), args.format)
    return 0


def cmd_cancel(args) -> int:
    done = db_from(args).agreements.cancel(args.id, args.motivo, by=args.by)
    _show(done, args.format)
    return 0


def cmd_check(args) -> int:
    done = db_from(args).agreements.check()
    print(f"Acordos quebrados agora: {', '.join(map(str, done['broken'])) or 'nenhum'}; "
          f"cumpridos agora: {', '.join(map(str, done['kept'])) or 'nenhum'}.")
    return 0


def cmd_policy(args) -> int:
    db = db_from(args)
    bands = db.agreements.policy()
    changes = {"max_interest_discount": option_value(parse_percent, args.desconto_juros, "--desconto-juros"),
               "max_fine_discount": option_value(parse_percent, args.desconto_multa, "--desconto-multa"),
               "min_entry_percent": option_value(parse_percent, args.entrada, "--entrada"),
               "max_installments": None if args.parcelas is None else _int(args.parcelas, "--parcelas"),
               "min_installment": option_value(parse_money, args.parcela_minima, "--parcela-minima")}
    changes = {k: v for k, v in changes.items() if v is not None}
    if changes:
        if args.faixa is None:
            raise InputError("Informe --faixa INICIO (o primeiro dia de atraso da faixa a alterar).")
        if args.faixa not in [b.min_days for b in bands]:
            raise InputError(f"Nenhuma faixa começa em {args.faixa} dias; faixas: "
                             f"{', '.join(str(b.min_days) for b in bands)}.")
        bands = db.agreements.set_policy([replace(b, **changes) if b.min_days == args.faixa else b for b in bands])
    rows = render.policy_rows(bands)
    if args.format == "json":
        _print_json([render.band_json(b) for b in bands])
    else:
        print_records(rows, "table", [("inicio", "Início"), ("faixa", "Faixa"), ("juros", "Desc. juros"),
                                      ("multa", "Desc. multa"), ("entrada", "Entrada mín."),
                                      ("parcelas", "Parcelas máx."), ("parcela_minima", "Parcela mín.")])
    return 0


def _int(text: str, option: str) -> int:
    from ..core.parsing import int_between

    try:
        return int_between(text, 0, 120)
    except ValueError as exc:
        raise InputError(f"{option} '{text}' {exc}.") from exc


def cmd_term(args) -> int:
    data = db_from(args).agreements.term_pdf(args.id)
    Path(args.output).write_bytes(data)
    print(f"Termo do acordo nº {args.id} gravado em {args.output} ({len(data)} bytes).")
    return 0


def cmd_export(args) -> int:
    data = db_from(args).agreements.erp_csv(args.id)
    Path(args.output).write_bytes(data)
    print(f"Acordo nº {args.id} exportado para o ERP em {args.output}.")
    return 0


def cmd_results(args) -> int:
    from datetime import timedelta

    db = db_from(args)
    until = date_option(args.until, "--ate") or db.today()
    since = date_option(args.since, "--de") or until - timedelta(days=29)
    rows = db.agreements.results(since, until)
    columns = [("analyst", "Analista"), ("agreements", "Acordos"), ("kept", "Cumpridos"), ("broken", "Quebrados"),
               ("active", "Em dia"), ("total", "Total acordado"), ("recovered", "Recuperado"),
               ("discount", "Desconto"), ("average_discount_percent", "Desconto médio %")]
    print_records(rows, args.format, columns)
    return 0


def cmd_message(args) -> int:
    from ..contacting.whatsapp import whatsapp_link
    from ..receivables.filters import normalise_channel

    channel = normalise_channel(args.canal)
    found = db_from(args).agreements.message(args.id, channel)
    if channel == "E-mail":
        print(f"Para: {found['email'] or '(sem e-mail cadastrado)'}\nAssunto: {found['subject']}\n")
    print(found["body"])
    if channel == "WhatsApp" and found["mobile"]:
        print(f"\n{whatsapp_link(found['mobile'], found['body'])}")
    return 0
