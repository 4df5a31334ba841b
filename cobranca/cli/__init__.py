"""The `cobranca` command line: pt-BR messages; exit 0 ok, 2 bad input, 1 failure, 141 closed pipe (docs/cli.md)."""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from ..core.errors import CobrancaError


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
        from .argparse_pt import translate

        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: erro: {translate(message)}\n")


# Every subcommand: its module in cobranca/cli/, its help, and whether it runs in one database session
# (one open for the whole command). Commands that wait on the outside world (a server, SMTP, a long file
# validation) open the database only for their writes, so other tabs are not kept waiting.
COMMANDS: dict[str, tuple[str, str, bool]] = {
    "worklist": ("core", "lista as contas vencidas de um filtro", True),
    "contact": ("core", "registra um contato com o cliente", True),
    "comment": ("core", "registra um comentário sobre a conta", True),
    "history": ("core", "mostra os contatos de uma conta (mais recentes primeiro)", True),
    "undo": ("core", "cancela o último contato registrado de uma conta", True),
    "settings": ("core", "mostra ou altera configurações", True),
    "filters": ("core", "filtros salvos: list, add, edit, delete", True),
    "import": ("data", "importa contas a receber de um arquivo CSV, XLSX ou Parquet", False),
    "demo": ("data", "carrega dados de demonstração num banco vazio", True),
    "message": ("messaging", "mostra a mensagem de cobrança com o valor atualizado (e o link do WhatsApp)", True),
    "send": ("messaging", "envia e-mail de cobrança (uma conta, ou um por cliente de um filtro) e registra", False),
    "report": ("report", "gera o relatório PDF das contas e contatos de um filtro", True),
    "pix": ("pix", "código Pix copia e cola (e QR Code) do valor atualizado de uma conta ou cliente", False),
    "backup": ("backup", "copia o banco para uma pasta (Parquet), mesmo com o painel aberto", True),
    "restore": ("backup", "cria um banco novo (--db) a partir de uma pasta de backup", False),
    "dashboard": ("serve", "abre o painel de cobranças no navegador (Voila)", False),
    "promise": ("promises", "registra uma promessa de pagamento (pausa a cobrança até a data)", True),
    "dispute": ("promises", "registra uma contestação da conta (pausa a cobrança até resolver)", True),
    "resolve": ("promises", "resolve a contestação da conta (a cobrança volta)", True),
    "optout": ("promises", "cliente pediu para não receber mensagens (WhatsApp, SMS, e-mail)", True),
    "optin": ("promises", "desfaz o pedido de não contatar do cliente", True),
    "regua": ("regua", "régua de cobrança: etapas (list, add, edit, delete), preview e run (envia e-mails)", False),
    "customer": ("customer", "mostra um cliente: contas em aberto, total, histórico e uma mensagem para tudo", True),
    "carteira": ("portfolio", "carteiras: analista responsável por cliente (assign, split, list, unassign, atender)",
                 True),
    "acordo": ("acordo", "acordos (renegociação): simular, criar, listar, mostrar, cancelar, verificar, politica, termo",
               True),
    "results": ("results", "resultados da cobrança: aging, DSO, CEI, atraso médio, recuperado após contato", True),
    "db": ("database", "banco de dados: copy (copia o banco inteiro para outro arquivo DuckDB ou PostgreSQL, conferindo)",
           False),
    "baixa": ("baixa", "lê arquivos de retorno do banco (CNAB 240/400) e extratos OFX e dá baixa no que foi pago", False),
}


class _Subcommands(argparse._SubParsersAction):
    """Subparsers whose help comes from COMMANDS, so it is written once."""

    def add_parser(self, name, **kwargs):
        if name in COMMANDS:
            kwargs.setdefault("help", COMMANDS[name][1])
            kwargs.setdefault("description", COMMANDS[name][1])
        return super().add_parser(name, **kwargs)


def _command_of(argv: list[str]) -> str | None:
    """The subcommand named in `argv` (skipping --db VALUE), or None."""
    skip = False
    for token in argv:
        if skip:
            skip = False
        elif token == "--db":
            skip = True
        elif not token.startswith("-"):
            return token
    return None


def build_parser(command: str | None = None) -> Parser:
    """The parser; only the module of `command` is imported (start-up stays fast), all of them when None."""
    parser = Parser(prog="cobranca", description="Gerenciamento de cobranças: contas vencidas, contatos e relatórios.")
    parser.register("action", "parsers", _Subcommands)
    parser.add_argument("--db", help="arquivo do banco DuckDB ou URL postgresql://usuário:senha@servidor:porta/banco "
                        "(padrão: COBRANCA_DB ou data/cobranca.duckdb)")
    sub = parser.add_subparsers(dest="command", metavar="COMANDO", parser_class=Parser)
    sub.required = True
    if command in COMMANDS:
        importlib.import_module(f"{__name__}.{COMMANDS[command][0]}").register(sub)
    else:  # help or a typo: list the commands without importing them
        for name in COMMANDS:
            sub.add_parser(name)
    return parser


def _run(args) -> int:
    if not COMMANDS[args.command][2]:
        return int(args.func(args) or 0)
    from .common import db_from

    with db_from(args).session():  # one database open for the whole command
        return int(args.func(args) or 0)


CLOSED_PIPE = 141  # what a shell reports for a program stopped by SIGPIPE (128 + 13), e.g. `cobranca worklist | head`
MAX_LINE = 1000  # no message line longer than this, whatever a value quoted in it held


def _closed_pipe() -> int:
    """The reader of stdout went away: stop quietly, pointing stdout at /dev/null so the exit flush is silent."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a file descriptor (tests capture it)
        pass
    return CLOSED_PIPE


def _shown(message: str) -> str:
    return "\n".join(line if len(line) <= MAX_LINE else line[:MAX_LINE] + "…" for line in message.split("\n"))


def _out_of_range(exc: Exception) -> bool:
    """A value beyond what the database or the calendar can hold (DuckDB's conversion/range errors, dates)."""
    if isinstance(exc, OverflowError):
        return True
    return type(exc).__module__.lstrip("_").startswith("duckdb") and type(exc).__name__ in (
        "ConversionException", "OutOfRangeException")


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `cobranca` console script (exit codes: docs/cli.md)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(_command_of(argv)).parse_args(argv)
    try:
        code = _run(args)
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's exit
        return code
    except BrokenPipeError:
        return _closed_pipe()
    except CobrancaError as exc:
        print(f"erro: {_shown(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrompido.", file=sys.stderr)
        return 130
    except Exception as exc:  # last resort: no traceback for the user unless asked
        if os.environ.get("COBRANCA_DEBUG"):
            raise
        if _out_of_range(exc):
            print("erro: um valor passou do limite que o programa guarda (valores até R$ 9.999.999.999.999.999,99 "
                  "por conta, datas de 1900 a 2100). Confira os valores informados ou importados.", file=sys.stderr)
            return 2
        print(f"erro inesperado: {type(exc).__name__}: {_shown(str(exc))}. Defina COBRANCA_DEBUG=1 para detalhes.",
              file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
