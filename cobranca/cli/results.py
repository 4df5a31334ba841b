"""CLI: `cobranca results` — what collection work recovered in a period (formulas in cobranca/results/formulas.py)."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from decimal import Decimal

from ..results.text import indicator_rows
from .common import add_db_option, db_from


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("results")
    add_db_option(p)
    p.add_argument("--from", dest="since", metavar="DATA", help="início do período (padrão: 30 dias antes do fim)")
    p.add_argument("--to", dest="until", metavar="DATA", help="fim do período (padrão: hoje)")
    p.add_argument("--format", choices=["table", "json", "csv"], default="table", help="formato de saída")
    p.set_defaults(func=cmd_results)


def _plain(value):
    if value is None:
        return None
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    if hasattr(value, "item"):
        return value.item()
    return value


def _frame_records(frame) -> list[dict]:
    return [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


def machine(summary: dict) -> dict:
    """The summary with plain JSON values (Decimals as text, dates ISO)."""
    dso, cei, late, promises = summary["dso"], summary["cei"], summary["days_late"], summary["promises"]
    total = summary["recovered_total"]
    return {
        "from": _plain(summary["since"]), "to": _plain(summary["until"]), "window_days": summary["window_days"],
        "dso_days": _plain(dso["dso"]), "receivables_at_end": _plain(dso["receivables"]),
        "cei_percent": _plain(cei["cei"]),
        "cei_inputs": {k: _plain(cei[k]) for k in ("beginning", "sales", "ending", "ending_current")},
        "avg_days_late_settled": _plain(late["settled"]), "settled_receivables": late["settled_count"],
        "avg_days_late_open": _plain(late["open"]), "open_receivables": late["open_count"],
        "recovered_after_contact": {"receivables": int(total["receivables"].sum()) if len(total) else 0,
                                    "amount": _plain(sum(total["recovered"], Decimal("0.00")))},
        "payments": {k: _plain(v) for k, v in summary["payments"].items()},
        "recovered_by_channel": _frame_records(summary["recovered_by_channel"].rename(columns={"grp": "channel"})),
        "recovered_by_analyst": _frame_records(summary["recovered_by_analyst"].rename(columns={"grp": "analyst"})),
        "promises": {"kept": promises["kept"], "broken": promises["broken"], "kept_rate": _plain(promises["rate"])},
        "contacts_per_analyst_day": _frame_records(summary["contacts_per_analyst"]),
        "aging": _frame_records(summary["aging"]),
        "aging_trend": _frame_records(summary["aging_trend"]),
    }


def cmd_results(args) -> int:
    db = db_from(args)
    summary = db.results.summary(args.since, args.until)
    if args.format == "json":
        json.dump(machine(summary), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    if args.format == "csv":
        from ..report.sheet_safe import safe_row

        writer = csv.writer(sys.stdout, delimiter=";")
        writer.writerow(safe_row(["indicador", "valor"]))
        for label, value in indicator_rows(summary):
            writer.writerow(safe_row([label, value]))
        return 0
    _print_table(summary)
    return 0


def _print_table(summary: dict) -> None:
    from ..receivables.bands import AGING_LABELS
    from .common import print_records

    rows = indicator_rows(summary)
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label.ljust(width)}  {value}")
    for title, key, label in (("Recuperado por forma de contato", "recovered_by_channel", "Forma"),
                              ("Recuperado por analista", "recovered_by_analyst", "Analista")):
        frame = summary[key]
        if len(frame):
            print(f"\n{title}")
            print_records(frame.to_dict("records"), "table",
                          [("grp", label), ("receivables", "Contas"), ("recovered", "Recuperado")])
    print("\nCarteira por faixa de atraso")
    aging = summary["aging"].assign(label=summary["aging"]["bucket"].map(AGING_LABELS))
    print_records(aging.to_dict("records"), "table", [("label", "Faixa"), ("receivables", "Contas"),
                                                      ("balance", "Saldo")])
    contacts = summary["contacts_per_analyst"]
    if len(contacts):
        print("\nContatos por analista por dia")
        print_records(contacts.to_dict("records"), "table",
                      [("day", "Dia"), ("analyst", "Analista"), ("contacts", "Contatos")])
