"""Agreements as plain data (JSON: money as strings with two decimals, dates ISO) and as pt-BR text. Pure."""

from __future__ import annotations

from decimal import Decimal

from ..core import formatting as fmt
from .policy import Band, pct
from .simulation import Simulation


def money(value) -> str | None:
    return None if value is None else f"{Decimal(value):.2f}"


def _iso(value) -> str | None:
    return None if value is None else value.isoformat()


def simulation_json(customer: dict, sim: Simulation) -> dict:
    """The simulation as the CLI's JSON (nothing stored)."""
    return {
        "customer": {"code": customer.get("code"), "name": customer["name"], "tax_id": customer.get("tax_id")},
        "as_of": sim.as_of.isoformat(),
        "total_original": money(sim.total_original), "discount": money(sim.discount), "total": money(sim.total),
        "entry": {"due_date": sim.entry.due_date.isoformat(), "amount": money(sim.entry.amount)},
        "installments": [{"number": p.number, "due_date": p.due_date.isoformat(), "amount": money(p.amount)}
                         for p in sim.installments],
        "receivables": [{"document": li.debt.document, "installment": li.debt.installment,
                         "due_date": li.debt.due_date.isoformat(), "days_overdue": li.debt.days_overdue,
                         "balance": money(li.debt.balance), "fine": money(li.debt.fine),
                         "interest": money(li.debt.interest), "updated_amount": money(li.debt.updated_amount),
                         "interest_discount": money(li.interest_discount), "fine_discount": money(li.fine_discount),
                         "agreed": money(li.agreed)} for li in sim.lines],
        "policy": band_json(sim.band),
    }


def _percent(value) -> str:
    return format(Decimal(value).normalize(), "f")  # 30.0000 -> "30", 12.5 -> "12.5"


def band_json(band: Band) -> dict:
    return {"min_days": band.min_days, "max_days": band.max_days,
            "max_interest_discount": _percent(band.max_interest_discount),
            "max_fine_discount": _percent(band.max_fine_discount),
            "min_entry_percent": _percent(band.min_entry_percent),
            "max_installments": band.max_installments, "min_installment": money(band.min_installment)}


def _payment_json(p: dict) -> dict:
    pix = p.get("pix")
    return {"number": p["number"], "document": p["document"], "installment": p["installment"],
            "due_date": _iso(p["due_date"]), "amount": money(p["amount"]), "paid": money(p["paid"]),
            "balance": money(p["balance"]), "pix": None if pix is None else pix.code,
            "pix_amount": None if pix is None else money(pix.amount)}


def agreement_json(a: dict) -> dict:
    """One stored agreement (`db.agreements.show`) as JSON."""
    return {
        "id": a["id"], "status": a["status"], "status_label": a["status_label"],
        "customer": {"code": a["customer_code"], "name": a["customer"], "tax_id": a["tax_id"]},
        "as_of": _iso(a["as_of"]), "created_at": _iso(a["created_at"]), "created_by": a["created_by"],
        "total_original": money(a["total_original"]), "discount": money(a["discount"]), "total": money(a["total"]),
        "entry": None if a["entry"] is None else _payment_json(a["entry"]),
        "installments": [_payment_json(p) for p in a["installments"]],
        "originals": [{"document": o["document"], "installment": o["installment"], "due_date": _iso(o["due_date"]),
                       "days_overdue": o["days_overdue"], "balance": money(o["balance"]), "fine": money(o["fine"]),
                       "interest": money(o["interest"]),
                       "discount": money(o["interest_discount"] + o["fine_discount"]),
                       "balance_now": money(o["balance_now"]), "credited": money(o["credited"])}
                      for o in a["originals"]],
        "ended_at": _iso(a["ended_at"]), "ended_by": a["ended_by"], "end_reason": a["end_reason"],
        "paid_at_end": money(a["paid_at_end"]),
    }


def simulation_text(customer: dict, sim: Simulation) -> list[str]:
    """The simulation in pt-BR lines."""
    lines = [f"Simulação de acordo — {customer['name']} — {fmt.day(sim.as_of)}"]
    for li in sim.lines:
        lines.append(f"  {li.debt.document}/{li.debt.installment} venc. {fmt.day(li.debt.due_date)} "
                     f"({li.debt.days_overdue} dias): atualizado {fmt.brl(li.debt.updated_amount)}, desconto "
                     f"{fmt.brl(li.discount)} ({pct(li.interest_percent)}% dos juros, {pct(li.fine_percent)}% da multa)")
    lines += [f"Total original: {fmt.brl(sim.total_original)}", f"Desconto: {fmt.brl(sim.discount)}",
              f"Total do acordo: {fmt.brl(sim.total)}",
              f"Entrada: {fmt.brl(sim.entry.amount)} em {fmt.day(sim.entry.due_date)}"]
    lines += [f"Parcela {p.number}: {fmt.brl(p.amount)} em {fmt.day(p.due_date)}" for p in sim.installments]
    return lines


def agreement_text(a: dict) -> list[str]:
    """One stored agreement in pt-BR lines, with each open payment's Pix copia-e-cola."""
    lines = [f"Acordo nº {a['id']} — {a['customer']} — {a['status_label']} — criado em {fmt.moment(a['created_at'])} "
             f"por {a['created_by']}",
             f"Total original {fmt.brl(a['total_original'])}, desconto {fmt.brl(a['discount'])}, "
             f"total {fmt.brl(a['total'])}"]
    for o in a["originals"]:
        lines.append(f"  Conta {o['document']}/{o['installment']} venc. {fmt.day(o['due_date'])}: saldo "
                     f"{fmt.brl(o['balance'])} + multa {fmt.brl(o['fine'])} + juros {fmt.brl(o['interest'])}")
    for p in ([a["entry"]] if a["entry"] else []) + a["installments"]:
        what = "Entrada" if p["number"] == 0 else f"Parcela {p['number']}"
        state = "paga" if p["balance"] <= 0 else f"em aberto {fmt.brl(p['balance'])}"
        lines.append(f"  {what} ({p['document']}/{p['installment']}): {fmt.brl(p['amount'])} em "
                     f"{fmt.day(p['due_date'])} — {state}")
        if p.get("pix") is not None:
            lines.append(f"    Pix copia e cola ({fmt.brl(p['pix'].amount)}): {p['pix'].code}")
    if a["ended_at"] is not None:
        lines.append(f"Encerrado em {fmt.moment(a['ended_at'])} por {a['ended_by']}"
                     + (f": {a['end_reason']}" if a["end_reason"] else "")
                     + f"; pago no acordo {fmt.brl(a['paid_at_end'])}.")
    return lines


def policy_rows(bands: list[Band]) -> list[dict]:
    return [{"faixa": b.label, "juros": f"{pct(b.max_interest_discount)}%", "multa": f"{pct(b.max_fine_discount)}%",
             "entrada": f"{pct(b.min_entry_percent)}%", "parcelas": b.max_installments,
             "parcela_minima": b.min_installment, "inicio": b.min_days} for b in bands]
