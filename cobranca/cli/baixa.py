"""CLI: `cobranca baixa` — apply bank return files (CNAB 240/400) and OFX statements; the review list; the ERP CSV."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..baixa.settle import STATUS_LABELS
from ..core import formatting as fmt
from ..core.errors import InputError
from .common import add_db_option, date_option, db_from


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("baixa", epilog="Exemplos: cobranca baixa retorno.ret extrato.ofx --dry-run | "
                                       "cobranca baixa --revisar | cobranca baixa --resolver 12 --documento 144 | "
                                       "cobranca baixa --exportar pagamentos.csv")
    add_db_option(p)
    p.add_argument("files", nargs="*", metavar="ARQUIVO", help="retorno CNAB 240/400 (.ret) ou extrato OFX")
    p.add_argument("--dry-run", action="store_true", help="mostra o que aconteceria e não grava nada")
    p.add_argument("--format", choices=["table", "json"], default="table", help="formato de saída")
    p.add_argument("--revisar", action="store_true", help="lista os pagamentos a revisar (sem conta ou com várias)")
    p.add_argument("--resolver", type=int, metavar="ID", help="aplica o pagamento ID da revisão à conta --documento")
    p.add_argument("--descartar", type=int, metavar="ID", help="tira o pagamento ID da revisão sem aplicá-lo")
    p.add_argument("--documento", metavar="DOC", help="documento da conta escolhida (com --resolver)")
    p.add_argument("--parcela", metavar="P", help="parcela da conta escolhida (com --resolver)")
    p.add_argument("--exportar", metavar="ARQUIVO.csv", help="grava os pagamentos recebidos do banco em CSV (ERP)")
    p.add_argument("--from", dest="since", metavar="DATA", help="com --exportar: pagamentos a partir de DATA")
    p.add_argument("--to", dest="until", metavar="DATA", help="com --exportar: pagamentos até DATA")
    p.set_defaults(func=cmd_baixa)


def cmd_baixa(args: argparse.Namespace) -> int:
    db = db_from(args)
    if args.revisar:
        return _review(db, args.format)
    if args.resolver is not None:
        if not args.documento:
            raise InputError("--resolver precisa de --documento (a conta que este pagamento quita).")
        done = db.resolve_bank_record(args.resolver, args.documento, args.parcela)
        print(f"Pagamento {args.resolver} aplicado: {fmt.brl(done.applied + done.excess)} "
              f"({STATUS_LABELS[done.status]}).")
        return 0
    if args.descartar is not None:
        db.dismiss_bank_record(args.descartar)
        print(f"Pagamento {args.descartar} descartado da revisão (continua registrado, sem baixa).")
        return 0
    if args.exportar:
        data = db.bank_payments_csv(date_option(args.since, "--from"), date_option(args.until, "--to"))
        Path(args.exportar).write_bytes(data)
        rows = max(data.count(b"\n") - 1, 0)
        print(f"{args.exportar}: {fmt.plural(rows, 'pagamento', 'pagamentos')}.")
        return 0
    if not args.files:
        raise InputError("informe um ou mais arquivos de retorno (.ret) ou extratos (.ofx), ou --revisar, "
                         "--resolver, --descartar, --exportar.")
    report = db.baixa(args.files, dry_run=args.dry_run)
    if args.format == "json":
        json.dump(report.as_json(), sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print("\n".join(report.lines()))
    return 0


def _review(db, output: str) -> int:
    frame = db.bank_review_list()
    records = frame.astype(object).where(frame.notna(), None).to_dict("records")
    if output == "json":
        rows = [{k: (str(v) if v is not None and not isinstance(v, int | str) else v) for k, v in r.items()}
                for r in records]
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    if frame.empty:
        print("Nenhum pagamento a revisar.")
        return 0
    for r in records:
        who = r["nosso_numero"] or r["document"] or r["payer_name"] or ""
        print(f"#{r['id']} {r['file']} linha {r['line']}: {who} {fmt.brl(r['paid'])} em {fmt.day(r['occurred_on'])}"
              f" — {r['reason']}")
    print("Resolva com: cobranca baixa --resolver ID --documento DOC [--parcela P] (ou --descartar ID).")
    return 0
