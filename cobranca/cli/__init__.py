"""The `cobranca` command line: pt-BR messages, exit 0 ok, 2 bad input, 1 unexpected failure."""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys

from ..errors import CobrancaError


class PtBrFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, "uso: " if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """argparse speaking pt-BR: usage errors exit 2 with a short message and no traceback."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", PtBrFormatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "argumentos"
        self._optionals.title = "opções"
        self.add_argument("-h", "--help", action="help", help="mostra esta ajuda e sai")

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: erro: {message}\n")


def build_parser() -> Parser:
    parser = Parser(prog="cobranca", description="Gerenciamento de cobranças: contas vencidas, contatos e relatórios.")
    parser.add_argument("--db", help="arquivo do banco DuckDB (padrão: COBRANCA_DB ou data/cobranca.duckdb)")
    sub = parser.add_subparsers(dest="command", metavar="COMANDO", parser_class=Parser)
    sub.required = True
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "register"):
            module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `cobranca` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except CobrancaError as exc:
        print(f"erro: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrompido.", file=sys.stderr)
        return 130
    except Exception as exc:  # last resort: no traceback for the user unless asked
        if os.environ.get("COBRANCA_DEBUG"):
            raise
        print(f"erro inesperado: {type(exc).__name__}: {exc}. Defina COBRANCA_DEBUG=1 para detalhes.", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
