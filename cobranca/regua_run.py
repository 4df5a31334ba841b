"""A run of the régua de cobrança: plan (one short unit of work), create tasks, send e-mails, record each one.

The database is never held across an SMTP conversation: planning reads it in one session, then each delivered
message is recorded in its own short transaction (contacts + step log), so the dashboard keeps working and an
interrupted run leaves a log from which the next run sends only what is missing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from . import mailer, regua_templates
from .api import Cobranca
from .errors import InputError, SendError, TemplateError
from .formatting import brl, day
from .messaging import _loggable
from .regua_plan import Item, Plan, due_step, plan_run, skip_reason
from .settings import default_responsible
from .templates import Rendered


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
    left: list[Item] = field(default_factory=list)  # not sent: the legal window closed during the run
    tasks_created: int = 0
    hours_note: str | None = None

    def lines(self) -> list[str]:
        """pt-BR report: what goes (or went) out, the tasks, the skipped receivables with their reason."""
        out = []
        verb = "seria enviado" if self.dry_run else "planejado"
        for item, msg in zip(self.plan.emails, self.messages, strict=True):
            out.append(f"e-mail ({verb}): {item.customer} <{item.to}> — {_docs(item)} — etapa '{item.step.name}' — "
                       f"total {brl(item.total)}" + ("" if msg else " — modelo com erro"))
        for item in self.plan.tasks:
            to = f" {item.to}" if item.to else ""
            note = f" ({item.note})" if item.note else ""
            out.append(f"tarefa {item.channel}{to}: {item.customer} — {_docs(item)} — etapa '{item.step.name}'{note}")
        for skip in self.plan.skipped:
            out.append(f"ignorada: {skip.row['document']}/{skip.row['installment']} {skip.row['customer']} — "
                       f"etapa '{skip.step.name}' — {skip.label}")
        for item, reason in self.failed:
            out.append(f"falhou: {item.customer} — {_docs(item)}: {reason}")
        for item in self.left:
            out.append(f"fica para a próxima execução: {item.customer} — {_docs(item)}")
        return out

    def summary(self) -> str:
        plan = self.plan
        head = f"Régua de {day(plan.as_of)} às {self.now:%H:%M}: "
        if self.dry_run:
            head = (f"Simulação — {head}{len(plan.emails)} e-mail(s) seriam enviados, {len(plan.tasks)} tarefa(s) "
                    f"seriam criadas, {len(plan.skipped)} conta(s) ignorada(s). Nada foi enviado nem registrado.")
        else:
            head += (f"{len(self.sent)} e-mail(s) enviado(s) e registrado(s), {len(self.failed)} falha(s), "
                     f"{len(self.left)} deixado(s) para a próxima execução, {len(plan.tasks)} tarefa(s) criada(s), "
                     f"{len(plan.skipped)} conta(s) ignorada(s).")
        return "\n".join([head, *([self.hours_note] if self.hours_note else [])])


def _docs(item: Item) -> str:
    return ", ".join(f"{d}/{i}" for d, i in item.keys)


def _address(text: str) -> str:
    return ", ".join(mailer.parse_recipients(text))


def _render(step, rows, settings, responsible, as_of) -> Rendered | None:
    try:
        return regua_templates.render(step, rows, settings, responsible, as_of)
    except (TemplateError, InputError):
        return None


def plan(db: Cobranca, now: datetime | None = None, by: str | None = None) -> RunReport:
    """The dry run: what a run at `now` would send, create and skip, with the texts. Reads the database once."""
    hours = db.contact_hours()
    now = hours.local(now) if now is not None else db.now()  # naive `now` = company time
    with db.session():
        settings = db.settings()
        steps, rows, done = db.regua_candidates(now.date())
    result = plan_run(rows, steps, done, now.date(), hours.is_allowed(now), address=_address)
    responsible = by or default_responsible()
    report = RunReport(now, True, result, hours_note=hours.refusal(now))
    report.messages = [_render(i.step, i.rows, settings, responsible, now.date()) for i in result.emails]
    report.task_texts = [_render(_task_step(i), i.rows, settings, responsible, now.date()) for i in result.tasks]
    return report


def _task_step(item: Item):
    """The step whose text a task shows: an e-mail step turned into a task uses the task text of its channel."""
    step = item.step
    return step if not step.is_email else replace(step, channel=item.channel, subject=None, body=None)


def run(db: Cobranca, now: datetime | None = None, dry_run: bool = True, by: str | None = None,
        progress: Callable[[int, int], None] | None = None) -> RunReport:
    """Plan, then (unless `dry_run`) create the tasks and send one e-mail per customer, recording each delivery.

    A server-wide failure stops the sends (the rest are failed, not logged as done); the legal window is checked
    again before each message, so a run that reaches its end leaves the rest for the next run.
    """
    report = plan(db, now, by)
    if dry_run:
        return report
    report.dry_run = False
    settings = db.settings()
    if report.plan.emails and not mailer.smtp_configured(settings):
        raise InputError(mailer.not_configured_message())
    hours = db.contact_hours()
    as_of, started = report.now.date(), time.monotonic()

    def moment() -> datetime:
        return report.now + timedelta(seconds=time.monotonic() - started)

    if report.plan.tasks:
        report.tasks_created = db.regua_record_tasks(report.plan.tasks, as_of, moment().replace(tzinfo=None))
    sender, reply_to = mailer.sender_from(settings), settings.get("smtp_reply_to") or None
    emails = list(zip(report.plan.emails, report.messages, strict=True))
    for index, (item, message) in enumerate(emails):
        if not hours.is_allowed(moment()):
            report.left = [rest for rest, _ in emails[index:]]
            report.hours_note = hours.refusal(moment())
            break
        if message is None:
            report.failed.append((item, "o modelo da etapa não pôde ser aplicado (confira o texto da etapa)"))
            continue
        try:
            refused = mailer.send(settings, mailer.build_message(sender, item.to, message.subject or "",
                                                                 message.body, reply_to, pix=message.pix))
        except mailer.ServerError as exc:
            report.failed += [(item, str(exc))] + [(rest, "não enviado: o servidor falhou antes")
                                                   for rest, _ in emails[index + 1:]]
            db.regua_record_failed(item, as_of, str(exc), moment().replace(tzinfo=None))
            break
        except (SendError, InputError) as exc:
            report.failed.append((item, str(exc)))
            db.regua_record_failed(item, as_of, str(exc), moment().replace(tzinfo=None))
            continue
        delivered = replace(item, to=", ".join(a for a in item.to.split(", ") if a not in refused))
        db.regua_record_sent(delivered, as_of, _loggable(f"{message.subject}\n\n{message.body}"), by,
                             moment().replace(tzinfo=None))
        report.sent.append(item)
        if progress is not None:
            progress(len(report.sent), len(emails))
    return report


def preview(db: Cobranca, document: str, installment: str | None = None, now: datetime | None = None,
            by: str | None = None) -> tuple[str, Rendered | None]:
    """What the régua does for one receivable at `now`: a pt-BR status line and the message (or None)."""
    report = plan(db, now, by)
    as_of = report.now.date()
    row = db.regua_receivable(document, installment, as_of)
    rid = int(row["receivable_id"])
    for items, texts, kind in ((report.plan.emails, report.messages, "e-mail"),
                               (report.plan.tasks, report.task_texts, "tarefa")):
        for item, text in zip(items, texts, strict=True):
            if any(int(r["receivable_id"]) == rid for r in item.rows):
                how = kind if kind == "e-mail" else f"{kind} {item.channel}"
                return (f"Etapa '{item.step.name}' ({how}) para {item.customer}, "
                        f"contas {_docs(item)}, total {brl(item.total)}.", text)
    for skip in report.plan.skipped:
        if int(skip.row["receivable_id"]) == rid:
            return f"Etapa '{skip.step.name}': nada a fazer agora — {skip.label}.", None
    if skip_reason(row):
        return "Nada a fazer: a conta está quitada.", None
    step = due_step(db.regua_steps(), int(row["days_overdue"]))
    if step is None:
        return f"Nenhuma etapa ainda ({int(row['days_overdue'])} dia(s) em relação ao vencimento).", None
    text = _render(step, [row], db.settings(), by or default_responsible(), as_of)
    return f"Etapa '{step.name}' já feita para esta conta; o texto da etapa seria:", text
