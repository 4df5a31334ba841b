"""What a régua run planned and did, and its pt-BR report.

The report names customers by id and receivables by document/installment: cron appends it to a log file, so it
carries no names, e-mails or phones unless asked for (`lines(verbose=True)`, `regua run --verbose`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from ..contacting.templates import Rendered
from ..core.formatting import brl, day, plural
from .plan import Item, Plan, Skipped

_ADDRESS = re.compile(r"[^\s<>(),;:'\"]+@[^\s<>(),;:'\"]+")


def redact(text: str) -> str:
    """`text` without e-mail addresses (SMTP replies quote the refused recipient)."""
    return _ADDRESS.sub("***", str(text))


@dataclass
class RunReport:
    """What a run planned and did; `messages[i]` is the text of `plan.emails[i]` (None when it did not render)."""

    now: datetime
    dry_run: bool
    plan: Plan
    messages: list[Rendered | None] = field(default_factory=list)
    task_texts: list[Rendered | None] = field(default_factory=list)
    sent: list[Item] = field(default_factory=list)
    failed: list[tuple[Item, str]] = field(default_factory=list)
    left: list[Item] = field(default_factory=list)  # not sent: the legal window closed, or the database was busy
    refused: list[tuple[Item, str]] = field(default_factory=list)  # refused for good (5xx): tasks now
    skipped_at_send: list[Skipped] = field(default_factory=list)  # stopped by the re-check just before sending
    uncertain: list[dict] = field(default_factory=list)  # 'envio incerto' entries a dead run left, found now
    unrecorded: list[Item] = field(default_factory=list)  # delivered, but the database stayed busy
    tasks_created: int = 0
    hours_note: str | None = None
    busy_note: str | None = None

    def lines(self, verbose: bool = False) -> list[str]:
        """pt-BR report: what goes (or went) out, the tasks, the skipped receivables with their reason."""
        out = []
        verb = "seria enviado" if self.dry_run else "planejado"
        for item, msg in zip(self.plan.emails, self.messages, strict=True):
            out.append(f"e-mail ({verb}): {_who(item, verbose)} — {_docs(item)} — etapa '{item.step.name}' — "
                       f"total {brl(item.total)}" + ("" if msg else " — modelo com erro"))
        for item in self.plan.tasks:
            to = f" {item.to}" if item.to and verbose else ""
            note = f" ({item.note})" if item.note else ""
            out.append(f"tarefa {item.channel}{to}: {_customer(item, verbose)} — {_docs(item)} — "
                       f"etapa '{item.step.name}'{note}")
        for skip in [*self.plan.skipped, *self.skipped_at_send]:
            out.append(f"ignorada: {skip.row['document']}/{skip.row['installment']} {_row_customer(skip.row, verbose)}"
                       f" — etapa '{skip.step.name}' — {skip.label}")
        for item, reason in self.failed:
            out.append(f"falhou: {_customer(item, verbose)} — {_docs(item)}: {reason if verbose else redact(reason)}")
        for item, reason in self.refused:
            out.append(f"recusado pelo servidor (tarefa criada): {_customer(item, verbose)} — {_docs(item)}: "
                       f"{reason if verbose else redact(reason)}")
        for item in self.left:
            out.append(f"fica para a próxima execução: {_customer(item, verbose)} — {_docs(item)}")
        for item in self.unrecorded:
            out.append(f"entregue mas não registrado (banco ocupado): {_customer(item, verbose)} — {_docs(item)}; "
                       "a próxima execução o marca como envio incerto e não o reenvia")
        for entry in self.uncertain:
            out.append(f"envio incerto: conta {entry['receivable_id']} — etapa '{entry['step_name']}' de "
                       f"{day(entry['day'])}: a execução anterior parou durante o envio; confira com o cliente "
                       "(não será reenviado; aparece em Tarefas de hoje)")
        return out

    def summary(self) -> str:
        plan = self.plan
        head = f"Régua de {day(plan.as_of)} às {self.now:%H:%M}: "
        if self.dry_run:
            head = (f"Simulação — {head}{plural(len(plan.emails), 'e-mail seria enviado', 'e-mails seriam enviados')}, "
                    f"{plural(len(plan.tasks), 'tarefa seria criada', 'tarefas seriam criadas')}, "
                    f"{plural(len(plan.skipped), 'conta ignorada', 'contas ignoradas')}. Nada foi enviado nem registrado.")
        else:
            head += (f"{plural(len(self.sent), 'e-mail enviado e registrado', 'e-mails enviados e registrados')}, "
                     f"{plural(len(self.failed), 'falha', 'falhas')}, "
                     f"{plural(len(self.left), 'deixado', 'deixados')} para a próxima execução, "
                     f"{plural(self.tasks_created, 'tarefa criada', 'tarefas criadas')}, "
                     f"{plural(len(plan.skipped) + len(self.skipped_at_send), 'conta ignorada', 'contas ignoradas')}")
            extra = [(len(self.refused), "recusado de vez pelo servidor (virou tarefa)",
                      "recusados de vez pelo servidor (viraram tarefa)"),
                     (len(self.skipped_at_send), "conta parada na conferência antes do envio",
                      "contas paradas na conferência antes do envio"),
                     (len(self.uncertain), "envio incerto da execução anterior", "envios incertos da execução anterior"),
                     (len(self.unrecorded), "entregue sem registro (banco ocupado)", "entregues sem registro (banco ocupado)")]
            head += "".join(f", {plural(n, one, many)}" for n, one, many in extra if n) + "."
        notes = [note for note in (self.hours_note, self.busy_note) if note]
        return "\n".join([head, *notes])


def _docs(item: Item) -> str:
    return ", ".join(f"{d}/{i}" for d, i in item.keys)


def _customer(item: Item, verbose: bool) -> str:
    return item.customer if verbose else f"cliente {item.customer_id}"


def _who(item: Item, verbose: bool) -> str:
    return f"{item.customer} <{item.to}>" if verbose else f"cliente {item.customer_id}"


def _row_customer(row: dict, verbose: bool) -> str:
    return str(row.get("customer")) if verbose else f"cliente {row.get('customer_id')}"
