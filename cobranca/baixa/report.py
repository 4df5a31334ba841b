"""What applying bank files did (or would do): outcomes grouped as settled, partial, not a payment, to review."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

import pyarrow as pa
import pyarrow.compute as pc

from ..core import formatting as fmt
from .layouts import BANK_NAMES
from .matching import Outcome
from .notes import SOURCE_LABELS
from .records import ZERO
from .settle import DUPLICATE, NOT_PAYMENT, PARTIAL, REVIEW, SETTLED, credit

GROUPS = (SETTLED, PARTIAL, NOT_PAYMENT, REVIEW)


class Labels(Mapping):
    """Receivable id -> (document, installment): from a table of matches, turned into a dict when first asked."""

    def __init__(self, rows: pa.Table | None = None, more: dict | None = None):
        self._rows, self._more, self._dict = rows, more or {}, None

    def _data(self) -> dict:
        if self._dict is None:
            self._dict = {}
            if self._rows is not None:
                found = self._rows.filter(pc.is_valid(self._rows.column("receivable_id"))).to_pydict()
                pairs = zip(found["document"], found["installment"], strict=True)
                self._dict = dict(zip(found["receivable_id"], pairs, strict=True))
            self._dict |= self._more
        return self._dict

    def __getitem__(self, key):
        return self._data()[key]

    def __iter__(self):
        return iter(self._data())

    def __len__(self) -> int:
        return len(self._data())


class FileResult:
    """One file's outcomes: given as a list, or as an outcome table turned into Outcome objects when first asked."""

    def __init__(self, name: str, source: str, bank: str, outcomes: list[Outcome] | None = None,
                 table: pa.Table | None = None):
        self.name, self.source, self.bank = name, source, bank
        self._outcomes, self.table = outcomes, table

    @property
    def outcomes(self) -> list[Outcome]:
        if self._outcomes is None:
            from .outcome_table import to_outcomes

            self._outcomes = to_outcomes(self.table) if self.table is not None else []
        return self._outcomes

    def count(self, status: str | None = None) -> int:
        if self._outcomes is not None or self.table is None:
            return sum(1 for o in self.outcomes if status is None or o.status == status)
        if status is None:
            return self.table.num_rows
        return pc.sum(pc.equal(self.table.column("status"), status)).as_py() or 0


@dataclass
class BaixaReport:
    files: list[FileResult] = field(default_factory=list)
    dry_run: bool = False
    labels: Mapping[int, tuple[str, str]] = field(default_factory=dict)  # receivable id -> (document, installment)

    def outcomes(self, status: str | None = None) -> list[Outcome]:
        return [o for f in self.files for o in f.outcomes if status is None or o.status == status]

    def count(self, status: str | None = None) -> int:
        """How many records had `status` (all when None), without building an Outcome per record."""
        return sum(f.count(status) for f in self.files)

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
                       f"{fmt.plural(len(f.outcomes), 'registro', 'registros')}.")
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
