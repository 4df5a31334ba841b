"""The message that confirms an agreement to the customer (WhatsApp or e-mail): the summary and the entry's Pix.
Pure: plain text (customer text is data), the facade checks opt-out and legal hours before it is shown."""

from __future__ import annotations

from ..core import formatting as fmt


def subject(agreement: dict, company: str) -> str:
    """The e-mail subject: one line (no header injection: line breaks are removed)."""
    text = f"Acordo nº {agreement['id']} — {company}"
    return " ".join(text.split())


def body(agreement: dict, company: str, grace_days: int) -> str:
    """The summary of the agreement, its schedule and the entry's Pix copia-e-cola (when there is one)."""
    entry, installments = agreement["entry"], agreement["installments"]
    lines = [f"Olá, {agreement['customer']}.",
             f"Conforme combinado, segue o resumo do acordo nº {agreement['id']} com {company}:",
             f"Total do acordo: {fmt.brl(agreement['total'])} (desconto de {fmt.brl(agreement['discount'])} "
             "sobre multa e juros).",
             f"Entrada: {fmt.brl(entry['amount'])} com vencimento em {fmt.day(entry['due_date'])}."]
    if installments:
        lines.append(f"{fmt.plural(len(installments), 'parcela mensal', 'parcelas mensais')}:")
        lines += [f"  {p['number']}) {fmt.brl(p['amount'])} em {fmt.day(p['due_date'])}" for p in installments]
    pix = entry.get("pix")
    if pix is not None:
        lines += ["", f"Pague a entrada com Pix ({fmt.brl(pix.amount)}) — copia e cola:", pix.code]
    lines += ["", f"Atenção: o atraso de um pagamento por mais de {fmt.plural(grace_days, 'dia', 'dias')} cancela o acordo e o desconto.",
              company]
    return "\n".join(lines)
