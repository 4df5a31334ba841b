"""CLI subcommand `pix`: the Pix copia-e-cola code (and QR image) for a receivable's or a customer's updated amount."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..core import formatting as fmt
from ..core.errors import InputError
from ..pix import brcode as pix
from ..pix.key import key_kind
from .common import add_as_of_option, add_db_option, as_of_from, db_from


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("pix")
    add_db_option(p)
    p.add_argument("document", nargs="?", help="número do documento")
    p.add_argument("--installment", help="parcela (quando o documento tem mais de uma em aberto)")
    p.add_argument("--customer", metavar="CODIGO", help="um código para o total do cliente (contas vencidas e "
                                                         "vencendo, ou as de --filter)")
    p.add_argument("--filter", metavar="NOME", help="com --customer: somar as contas do cliente neste filtro salvo")
    p.add_argument("--check", metavar="CODIGO_PIX", help="lê um código copia e cola, confere o CRC e mostra os campos")
    image = p.add_mutually_exclusive_group()
    image.add_argument("--png", metavar="ARQUIVO", help="grava o QR Code em PNG")
    image.add_argument("--svg", metavar="ARQUIVO", help="grava o QR Code em SVG")
    add_as_of_option(p)
    p.set_defaults(func=cmd_pix)


def cmd_pix(args) -> int:
    if args.check is not None:
        if args.document or args.customer or args.png or args.svg:
            raise InputError("--check só lê um código: não informe documento, --customer, --png nem --svg.")
        return _check(args.check)
    if bool(args.document) == bool(args.customer):
        raise InputError("Informe o DOCUMENTO ou --customer CODIGO (um dos dois).")
    if args.filter and not args.customer:
        raise InputError("--filter só vale junto com --customer.")
    if args.customer and args.installment:
        raise InputError("--installment vale só com um DOCUMENTO.")
    db = db_from(args)
    as_of = as_of_from(args, db)
    with db.session():  # one database open (--check needs none, so the command is not a session command)
        if args.customer:
            charge, rows = db.pix_for_customer(args.customer, as_of, args.filter)
            what = f"cliente {rows[0]['customer']} ({fmt.plural(len(rows), 'conta', 'contas')})"
        else:
            charge, row = db.pix_for_receivable(args.document, args.installment, as_of)
            what = f"documento {row['document']}, parcela {row['installment']}, cliente {row['customer']}"
    print(charge.code)
    print(f"Valor: {fmt.brl(charge.amount)} — valor atualizado de {what}.")
    print(f"Valor válido para pagamento até {fmt.day(charge.valid_until)} (código Pix estático: "
          "depois dessa data gere um novo).")
    print(f"Identificador (txid): {charge.txid}")
    if args.png or args.svg:
        _write_image(Path(args.png or args.svg), charge.code, "png" if args.png else "svg")
    return 0


def _write_image(path: Path, code: str, kind: str) -> None:
    from ..pix import qr as pix_qr  # segno loads only when an image is asked for

    if path.is_dir() or not path.parent.is_dir():
        raise InputError(f"Não é possível gravar '{path}': informe um arquivo numa pasta que exista.")
    data = pix_qr.png_bytes(code) if kind == "png" else pix_qr.svg_text(code).encode("ascii")
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise InputError(f"Não foi possível gravar '{path}': {exc.strerror or exc}.") from exc
    print(f"QR Code gravado em {path}.", file=sys.stderr)


def _check(text: str) -> int:
    code = pix.decode(text)
    print("Código Pix válido (CRC confere).")
    print(f"Chave: {code.key} ({key_kind(code.key) or 'tipo desconhecido'})")
    print(f"Recebedor: {code.name} — {code.city}")
    print(f"Valor: {fmt.brl(code.amount) if code.amount is not None else 'livre (o pagador digita)'}")
    print(f"Identificador (txid): {code.txid}")
    return 0
