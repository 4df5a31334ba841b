"""The results in pt-BR words: (label, value) rows shared by the CLI table, the dashboard and the PDF."""

from __future__ import annotations

from decimal import Decimal

from ..core import formatting as fmt

DSO = "DSO (prazo médio de recebimento) no fim do período"
CEI = "CEI (eficiência de cobrança)"

# One line of pt-BR for each term an analyst may not know (the dashboard shows it under the label).
EXPLANATIONS = {
    DSO: "Dias de vendas a receber: quantos dias das vendas mais recentes o saldo em aberto representa "
         "(contado de trás para a frente, mês a mês).",
    CEI: "Quanto do que havia para cobrar no período foi recebido: 100% é receber tudo.",
    "Atraso médio ponderado — quitadas no período": "Média dos dias de atraso das contas pagas, pesada pelo valor.",
    "Atraso médio ponderado — em aberto no fim": "Média dos dias de atraso das contas em aberto, pesada pelo saldo.",
}


def explanation(label: str) -> str:
    """The one-line pt-BR explanation of an indicator's label ('' when the label says it all)."""
    return EXPLANATIONS.get(label, "")


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
        (DSO, num(summary["dso"]["dso"], " dias")),
        (CEI, num(summary["cei"]["cei"], "%")),
        ("Atraso médio ponderado — quitadas no período", num(summary["days_late"]["settled"], " dias")),
        ("Atraso médio ponderado — em aberto no fim", num(summary["days_late"]["open"], " dias")),
        (f"Recuperado até {summary['window_days']} dias após contato",
         f"{fmt.plural(rec['receivables'], 'conta', 'contas')}, {fmt.brl(rec['amount'])}"),
        ("Pagamentos vistos nas importações",
         f"{fmt.plural(pay['receivables'], 'conta', 'contas')}, {fmt.brl(pay['recovered'])}"),
        ("Promessas cumpridas", "—" if rate is None else
         f"{fmt.number(rate * 100, 1)}% ({promises['kept']} de {promises['kept'] + promises['broken']})"),
    ]
