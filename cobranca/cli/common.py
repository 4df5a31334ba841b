"""Helpers shared by the CLI subcommands: opening the database, filter and date options, output."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pandas as pd

from ..api import Cobranca, open_db
from ..core import formatting as fmt
from ..core.calendar import parse_date
from ..core.date_range import check_day
from ..core.errors import InputError
from ..core.text import cut
from ..receivables.filters import MAX_DAYS, Filter


def option_value(parse: Callable[[str], object], text: str | None, option: str):
    """`parse(text)` for an optional option (None stays None); a ValueError becomes a pt-BR InputError."""
    if text is None:
        return None
    try:
        return parse(text)
    except ValueError as exc:
        raise InputError(f"{option} '{cut(text)}' {exc}.") from exc


def date_option(text: str | None, option: str) -> date | None:
    """An optional date option (dd/mm/aaaa or ISO); empty is no date."""
    return option_value(parse_date, text or None, option)


def db_from(args: argparse.Namespace) -> Cobranca:
    """The command's database (one object per command, so its session is shared)."""
    if getattr(args, "_db", None) is None:
        args._db = open_db(getattr(args, "db", None))
    return args._db


def add_db_option(parser: argparse.ArgumentParser) -> None:
    """`--db` accepted after the subcommand too (`cobranca worklist --db x.duckdb`)."""
    parser.add_argument("--db", default=argparse.SUPPRESS, help="arquivo do banco DuckDB ou URL postgresql://…")


def add_as_of_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-of", dest="as_of", metavar="DATA", help="data de referência (aaaa-mm-dd ou dd/mm/aaaa; padrão: hoje)")


def as_of_from(args: argparse.Namespace, db) -> date:
    """--as-of, or the company's today (the one clock: not the server's date)."""
    text = getattr(args, "as_of", None)
    if not text:
        return db.today()
    try:
        return check_day(parse_date(text), "--as-of")
    except ValueError as exc:
        raise InputError(f"--as-of '{cut(text)}' {exc}.") from exc


def add_filter_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--filter", metavar="NOME", help="nome de um filtro salvo")
    group.add_argument("--due-today", action="store_true", help="somente contas que vencem hoje")
    parser.add_argument("--min-days", type=int, metavar="N", help="dias de atraso a partir de N")
    parser.add_argument("--max-days", type=int, metavar="M", help="dias de atraso até M")
    parser.add_argument("--mine", action="store_true", help="somente clientes da minha carteira (COBRANCA_USER)")


def filter_from(args: argparse.Namespace, db: Cobranca) -> Filter:
    """The saved or ad-hoc filter the options describe (default: everything due or overdue)."""
    flt = _filter_from(args, db)
    return replace(flt, mine=True) if getattr(args, "mine", False) else flt


def _filter_from(args: argparse.Namespace, db: Cobranca) -> Filter:
    if args.filter:
        if args.min_days is not None or args.max_days is not None:
            raise InputError("Use --filter ou --min-days/--max-days, não os dois.")
        return db.filters.get(args.filter)
    if args.due_today:
        return Filter(description="Vencendo hoje", due_today=True, min_days=0, max_days=0).validated()
    if args.min_days is not None or args.max_days is not None:
        low = args.min_days if args.min_days is not None else 0
        high = args.max_days if args.max_days is not None else MAX_DAYS
        return Filter(description="Filtro avulso", min_days=low, max_days=high).validated()
    return db.filters.resolve(None)


def _plain(value):
    if value is None or (not isinstance(value, str | Decimal) and pd.isna(value)):
        return None
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return value


def print_records(records: list[dict], fmt_name: str, table_columns: list[tuple[str, str]]) -> None:
    """Print records as json (machine), csv (plain values) or an aligned pt-BR table."""
    if fmt_name == "json":
        json.dump([{k: _plain(v) for k, v in r.items()} for r in records], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    if fmt_name == "csv":
        from ..report.sheet_safe import safe_row

        writer = csv.writer(sys.stdout, delimiter=";")
        writer.writerow(safe_row([key for key, _ in table_columns]))
        for r in records:
            writer.writerow(safe_row([_plain(r.get(key)) for key, _ in table_columns]))
        return
    rows = [[label for _, label in table_columns]]
    rows += [[_display(r.get(key)) for key, _ in table_columns] for r in records]
    for line in table_lines(rows):
        print(line)


def table_lines(rows: list[list[str]], max_width: int = 40) -> list[str]:
    """Aligned columns; a cell wider than `max_width` wraps between words onto more lines (never cut).

    A single word longer than `max_width` widens its column instead. The last column is never wrapped."""
    import textwrap

    count = len(rows[0]) if rows else 0
    widths = []
    for i in range(count):
        longest_word = max((len(word) for row in rows for word in row[i].split()), default=0)
        widths.append(max(min(max_width, max(len(row[i]) for row in rows)), longest_word))
    widths[-1] = max(len(row[-1]) for row in rows)
    lines = []
    for row in rows:
        wrapped = [textwrap.wrap(cell, width, break_long_words=False, break_on_hyphens=False) or [""]
                   for cell, width in zip(row, widths, strict=True)]
        for n in range(max(len(parts) for parts in wrapped)):
            cells = [(parts[n] if n < len(parts) else "").ljust(width)
                     for parts, width in zip(wrapped, widths, strict=True)]
            lines.append("  ".join(cells).rstrip())
    return lines


def _display(value) -> str:
    if value is None or (not isinstance(value, str | Decimal) and pd.isna(value)):
        return ""
    if isinstance(value, bool):
        return "sim" if value else "não"
    if isinstance(value, Decimal):
        return fmt.brl(value)
    if isinstance(value, pd.Timestamp):
        return fmt.moment(value.to_pydatetime())
    if isinstance(value, date):
        return fmt.day(value)
    return str(value)
