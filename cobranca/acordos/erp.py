"""The agreement for the ERP: the originals it replaces and its new installments, in the import file's own columns
(so the ERP can register them, and a re-import of those rows updates the same receivables). Pure."""

from __future__ import annotations

from ..importer.headers import FIELDS

SITUATION, AGREEMENT = "Situação no acordo", "Acordo"
_LABELS = {f.name: f.header for f in FIELDS}


def erp_rows(agreement: dict) -> list[dict]:
    """One row per original (replaced) and per payment of the schedule (new), headers as the import reads them."""
    customer = {"customer_code": agreement["customer_code"], "customer": agreement["customer"],
                "tax_id": agreement["tax_id"]}
    number = agreement["id"]
    rows = []
    for o in agreement["originals"]:
        rows.append({**customer, "document": o["document"], "installment": o["installment"],
                     "issue_date": o["issue_date"], "due_date": o["due_date"], "amount": o["amount"],
                     "paid_amount": o["paid_amount"],  # as the ERP sent them: re-importing this file changes nothing
                     "description": f"Substituída pelo acordo nº {number}",
                     SITUATION: "substituída", AGREEMENT: number})
    count = len(agreement["installments"])
    for p in [agreement["entry"], *agreement["installments"]]:
        what = "entrada" if p["number"] == 0 else f"parcela {p['number']} de {count}"
        rows.append({**customer, "document": p["document"], "installment": p["installment"],
                     "issue_date": agreement["as_of"], "due_date": p["due_date"], "amount": p["amount"],
                     "paid_amount": p["paid"], "description": f"Acordo nº {number}: {what}",
                     SITUATION: "nova", AGREEMENT: number})
    return [{(_LABELS.get(k, k)): v for k, v in row.items()} for row in rows]
