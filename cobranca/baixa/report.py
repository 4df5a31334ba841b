"""What applying bank files did (or would do): outcomes grouped as settled, partial, not a payment, to review."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from ..core import formatting as fmt
from .layouts import BANK_NAMES
from .matching import Outcome
from .records import ZERO, BankRecord
from .settle import DUPLICATE, NOT_PAYMENT, PARTIAL, REVIEW, SETTLED, credit

GROUPS = (SETTLED, PARTIAL, NOT_PAYMENT, REVIEW)
SOURCE_LABELS = {"cnab240": "retorno CNAB 240", "cnab400": "retorno CNAB 400", "ofx": "extrato OFX"}


def bank_label(record: BankRecord) -> str:
    name = BANK_NAMES.get(record.bank, f"banco {record.bank}")
    return f"{name}, {SOURCE_LABELS.get(record.source, record.source)}"


_brl = lru_cache(maxsize=4096)(fmt.brl)  # fees repeat: a 200,000-record file formats a handful of values


def history_note(outcome: Outcome) -> str:
    """The note of the 'Pagamento' history entry: bank or statement, and what was charges, discount or fee.

    The amount and the date are the event's own columns (history_events.describe words them)."""
    r = outcome.record
    text = f"{bank_label(r)} ({r.file}, linha {r.line})."
    if outcome.excess > ZERO:
        text += f" Encargos/excedente recebidos: {_brl(outcome.excess)}."
    if r.discount + r.rebate > ZERO:
        text += f" Desconto/abatimento concedido: {_brl(r.discount + r.rebate)}."
    if r.fee > ZERO:
        text += f" Tarifa do banco (custo da empresa): {_brl(r.fee)}."
    return text


@dataclass
class FileResult:
    name: str
    source: str
    bank: str
    outcomes: list[Outcome] = field(default_factory=list)


@dataclass
class BaixaReport:
    files: list[FileResult] = field(default_factory=list)
    dry_run: bool = False
    labels: dict[int, tuple[str, str]] = field(default_factory=dict)  # receivable id -> (document, installment)

    def outcomes(self, status: str | None = None) -> list[Outcome]:
        return [o for f in self.files for o in f.outcomes if status is None or o.status == status]

    def total(self, status: str) -> Decimal:
        return sum((o.applied + o.excess for o in self.outcomes(status)), ZERO)

    def item(self, o: Outcome) -> dict:
        r = o.record
        document, installment = self.labels.get(o.receivable_id, (None, None))
        return {"file": r.file, "line": r.line, "bank": r.bank, "source": r.source, "occurrence": r.occurrence,
                "description": r.description, "nosso_numero": r.nosso_numero, "seu_numero": r.document,
                "fitid": r.fitid or None, "txid": r.txid or None,
                "date": r.paid_on.isoformat() if r.paid_on else None, "paid": str(r.paid),
                "credit": str(credit(r)), "fee": str(r.fee), "applied": str(o.applied), "excess": str(o.excess),
                "document": document, "installment": installment, "reason": o.reason}

    def as_json(self) -> dict:
        out = {"dry_run": self.dry_run,
               "files": [{"file": f.name, "source": f.source, "bank": f.bank, "records": len(f.outcomes)}
                         for f in self.files]}
        for status in GROUPS:
            out[status] = [self.item(o) for o in self.outcomes(status)]
        out["already_applied"] = len(self.outcomes(DUPLICATE))
        return out

    def lines(self) -> list[str]:
        """The pt-BR summary the CLI prints."""
        head = "Simulação (--dry-run): nada foi gravado." if self.dry_run else "Baixa aplicada."
        out = [head]
        for f in self.files:
            out.append(f"{f.name}: {SOURCE_LABELS.get(f.source, f.source)}, {BANK_NAMES.get(f.bank, f.bank)}, "
                       f"{len(f.outcomes)} registro(s).")
        names = {SETTLED: "Quitadas", PARTIAL: "Pagamentos parciais", NOT_PAYMENT: "Não são pagamento",
                 REVIEW: "A revisar"}
        for status in GROUPS:
            items = self.outcomes(status)
            total = f" ({fmt.brl(self.total(status))})" if status in (SETTLED, PARTIAL) else ""
            out.append(f"{names[status]}: {len(items)}{total}")
            for o in items:
                d = self.item(o)
                who = f"{d['document']}/{d['installment']}" if d["document"] else (
                    o.record.nosso_numero or o.record.document or o.record.fitid or "?")
                money = f" {fmt.brl(credit(o.record))}" if o.record.is_payment else ""
                out.append(f"  linha {o.record.line}: {who}{money} — {o.reason}")
        duplicates = len(self.outcomes(DUPLICATE))
        if duplicates:
            out.append(f"Já aplicados antes (nada mudou): {duplicates}")
        return out
