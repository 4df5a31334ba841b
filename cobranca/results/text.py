"""The results in pt-BR words: (label, value) rows shared by the CLI table, the dashboard and the PDF."""

from __future__ import annotations

from decimal import Decimal

from ..core import formatting as fmt


def indicator_rows(summary: dict) -> list[tuple[str, str]]:
    """(label, value) in pt-BR for the table and the PDF."""
    def num(value, suffix=""):
        return "—" if value is None else f"{fmt.number(value, 1)}{suffix}"

    total = summary["recovered_total"]
    rec = {"receivables": int(total["receivables"].sum()) if len(total) else 0,
           "amount": sum(total["recovered"], Decimal("0.00"))}
    pay, promises = summary["payments"], summary["promises"]
    rate = promises["rate"]
    return [
        ("Período", f"{fmt.day(summary['since'])} a {fmt.day(summary['until'])}"),
        ("DSO (countback) no fim do período", num(summary["dso"]["dso"], " dias")),
        ("CEI (eficiência de cobrança)", num(summary["cei"]["cei"], "%")),
        ("Atraso médio ponderado — quitadas no período", num(summary["days_late"]["settled"], " dias")),
        ("Atraso médio ponderado — em aberto no fim", num(summary["days_late"]["open"], " dias")),
        (f"Recuperado até {summary['window_days']} dias após contato",
         f"{rec['receivables']} conta(s), {fmt.brl(rec['amount'])}"),
        ("Pagamentos vistos nas importações", f"{pay['receivables']} conta(s), {fmt.brl(pay['recovered'])}"),
        ("Promessas cumpridas", "—" if rate is None else
         f"{fmt.number(rate * 100, 1)}% ({promises['kept']} de {promises['kept'] + promises['broken']})"),
    ]
