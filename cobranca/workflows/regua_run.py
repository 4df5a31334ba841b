"""A run of the régua de cobrança: plan, create tasks, and send each e-mail exactly once.

A sending run holds the run lock (one at a time, across processes). For each message it claims the steps in a
short transaction that first reads the customer again (legal hours, payments, promises, disputes, opt-out), talks
to the SMTP server with the database free, then records the result; a run that dies in between leaves an
"envio incerto" entry that the next run reports and never resends blindly (docs/regua.md). Only the real clock
sends: `now` is for dry runs and previews.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from ..api import Cobranca
from ..contacting import mailer
from ..contacting.templates import Rendered
from ..core import clock
from ..core.errors import InputError, SendError, StoreBusyError, TemplateError
from ..core.formatting import brl, plural
from ..regua import templates as regua_templates
from ..regua.plan import Item, due_step, plan_run, skip_reason
from ..regua.report import RunReport, redact
from ..settings import default_responsible
from ..store.run_lock import DEFAULT_WAIT_SECONDS
from .messaging import _loggable

NOW_REFUSED = ("--now serve para simulação e prévia: um envio de verdade (--yes) usa só o relógio real, para o "
               "horário permitido e para o registro. Nada foi enviado; tire o --now para enviar.")
CLOCK_SLACK_SECONDS = 300
RECORD_RETRY_MIN_SECONDS = 60.0  # recording a delivered e-mail is retried this long at least...
RECORD_RETRY_FACTOR = 20  # ...or this many times COBRANCA_LOCK_WAIT, whichever is longer
TEMPLATE_FAILED = "o modelo da etapa não pôde ser aplicado (confira o texto da etapa)"
LOCK_WAIT_SECONDS = DEFAULT_WAIT_SECONDS  # how long a second run waits for the first one's lock
_STOP, _GO_ON = "stop", "go on"

__all__ = ["NOW_REFUSED", "RunReport", "company_now", "plan", "preview", "run"]


def _address(text: str) -> str:
    return ", ".join(mailer.parse_recipients(text))


def company_now(db: Cobranca, now: datetime | None = None) -> datetime:
    """`now` (naive = company time) or the one clock, aware in the company's time zone."""
    return db.policy.hours().local(now) if now is not None else db.now()


def _render(step, rows, settings, responsible, as_of) -> Rendered | None:
    try:
        return regua_templates.render(step, rows, settings, responsible, as_of)
    except (TemplateError, InputError):
        return None


def plan(db: Cobranca, now: datetime | None = None, by: str | None = None, render: bool = True) -> RunReport:
    """The dry run: what a run at `now` would send, create and skip, with the texts (`render`: the e-mails' too;
    a sending run writes each one from the rows it re-reads just before sending). Reads the database once."""
    now = company_now(db, now)
    hours = db.policy.hours()
    with db.session():
        settings = db.settings.all()
        steps, rows, done = db.regua.candidates(now.date())
    result = plan_run(rows, steps, done, now.date(), hours.is_allowed(now), address=_address)
    responsible = by or default_responsible()
    report = RunReport(now, True, result, hours_note=hours.refusal(now))
    if render:
        report.messages = [_render(i.step, i.rows, settings, responsible, now.date()) for i in result.emails]
    report.task_texts = [_render(_task_step(i), i.rows, settings, responsible, now.date()) for i in result.tasks]
    return report


def _task_step(item: Item):
    """The step whose text a task shows: an e-mail step turned into a task uses the task text of its channel."""
    step = item.step
    return step if not step.is_email else replace(step, channel=item.channel, subject=None, body=None)


def run(db: Cobranca, now: datetime | None = None, dry_run: bool = True, by: str | None = None,
        progress: Callable[[int, int], None] | None = None, lock_wait: float | None = None) -> RunReport:
    """The dry run (`dry_run`, at `now`), or a sending run on the real clock holding the run lock.

    Raises InputError when asked to send at a chosen `now`, RunBusyError when another run keeps the lock.
    """
    if dry_run:
        return plan(db, now, by)
    if now is not None:
        raise InputError(NOW_REFUSED)
    _check_clock(db)
    with db.regua.run_lock(LOCK_WAIT_SECONDS if lock_wait is None else lock_wait):
        return _send(db, by, progress)


def _check_clock(db: Cobranca) -> None:
    """Nothing is recorded with a time in the future: a test clock (COBRANCA_NOW) ahead of the machine's sends nothing."""
    moment = company_now(db)
    if moment.timestamp() > time.time() + CLOCK_SLACK_SECONDS:
        raise InputError(f"O relógio da régua ({clock.CLOCK_ENV}={moment:%Y-%m-%dT%H:%M%z}) está no futuro: nada foi "
                         f"enviado nem registrado. Remova {clock.CLOCK_ENV} para enviar.")


class _Run:
    """One sending run's state: the report, the clock, the settings."""

    def __init__(self, db: Cobranca, report: RunReport, by: str | None):
        self.db, self.report, self.by = db, report, by
        self.started = time.monotonic()
        self.settings = db.settings.all()
        self.sender, self.reply_to = mailer.sender_from(self.settings), self.settings.get("smtp_reply_to") or None
        self.responsible = by or default_responsible()
        wait = db.store.wait_seconds
        self.retry_seconds = max(RECORD_RETRY_MIN_SECONDS, RECORD_RETRY_FACTOR * wait)

    @property
    def as_of(self):
        return self.report.now.date()

    def moment(self) -> datetime:
        return self.report.now + timedelta(seconds=time.monotonic() - self.started)

    def persist(self, write: Callable[[], object]) -> bool:
        """Run `write`, retrying while the database is busy (bounded, with backoff); False if it never got in."""
        deadline, delay = time.monotonic() + self.retry_seconds, 0.25
        while True:
            try:
                write()
                return True
            except StoreBusyError as exc:
                if time.monotonic() + delay > deadline:
                    self.report.busy_note = f"{exc} Tentei registrar por {self.retry_seconds:g} s."
                    return False
                time.sleep(delay)
                delay = min(delay * 2, 10.0)


class _Outcome:
    """A message's result still to be recorded: written in the next message's claim transaction (one commit per
    e-mail), or alone (retried while busy) when the run stops or that transaction fails."""

    def __init__(self, write: Callable[[], object], item: Item, sent: bool):
        self.write, self.item, self.sent = write, item, sent


def _send(db: Cobranca, by: str | None, progress) -> RunReport:
    found = db.regua.mark_uncertain(company_now(db))  # claims a dead run left: never resent blindly
    report = plan(db, None, by, render=False)
    report.dry_run, report.uncertain = False, found
    if report.plan.emails and not mailer.smtp_configured(db.settings.all()):
        raise InputError(mailer.not_configured_message())
    state = _Run(db, report, by)
    if report.plan.tasks:
        report.tasks_created = db.regua.record_tasks(report.plan.tasks, state.as_of, state.moment())
    emails, pending = report.plan.emails, None
    rendered: dict[int, Rendered | None] = {}
    for index, item in enumerate(emails):
        claim, recorded = _claim(state, item, pending, progress)
        pending = None
        if not recorded:  # the previous e-mail went out but could not be recorded: stop
            report.failed += [(rest, "não enviado: a execução parou antes") for rest in emails[index:]]
            break
        if claim is None or claim.refusal:
            report.left = emails[index:]
            report.hours_note = claim.refusal if claim is not None else report.hours_note
            break
        report.skipped_at_send += claim.skipped
        if not claim.rows:
            continue
        rendered[index], pending = _deliver(state, replace(item, rows=claim.rows, steps=claim.steps), claim)
        if pending is None:  # the run stops here (its reason is in the report)
            report.failed += [(rest, "não enviado: a execução parou antes") for rest in emails[index + 1:]]
            break
    _record(state, pending, progress)
    report.messages = [rendered[i] if i in rendered else _render(e.step, e.rows, state.settings, state.responsible,
                                                                  state.as_of) for i, e in enumerate(emails)]
    return report  # messages: the texts sent, and those the run did not reach as the plan had them


def _claim(state: _Run, item: Item, pending: _Outcome | None, progress):
    """(the claim of `item`, or None when the database stayed busy; whether `pending` got recorded). The previous
    message's result is written in the same transaction; if that fails it is recorded alone, then `item` claimed."""
    db = state.db
    try:
        claim = db.regua.claim(item, state.as_of, state.moment(), before=pending and pending.write)
    except StoreBusyError as exc:
        if pending is None:
            state.report.busy_note = str(exc)
            return None, True
        if not _record(state, pending, progress):
            return None, False
        try:
            return db.regua.claim(item, state.as_of, state.moment()), True
        except StoreBusyError as again:
            state.report.busy_note = str(again)
            return None, True
    except BaseException:
        _record(state, pending, progress)  # the previous e-mail went out: its result is kept whatever happens next
        raise
    _acknowledge(state, pending, progress)
    return claim, True


def _record(state: _Run, pending: _Outcome | None, progress) -> bool:
    """Record `pending` on its own, retrying while the database is busy; False (and the run stops) if it never got in."""
    if pending is None:
        return True
    if not state.persist(pending.write):
        if pending.sent:
            state.report.unrecorded.append(pending.item)  # its claim stays: the next run reports it as 'envio incerto'
        return False
    _acknowledge(state, pending, progress)
    return True


def _acknowledge(state: _Run, pending: _Outcome | None, progress) -> None:
    if pending is not None and pending.sent:
        state.report.sent.append(pending.item)
        if progress is not None:
            progress(len(state.report.sent), len(state.report.plan.emails))


def _deliver(state: _Run, item: Item, claim) -> tuple[Rendered | None, _Outcome | None]:
    """Write and send one claimed message: (its text, its result to record; None when the run must stop)."""
    db, report = state.db, state.report
    message = _render(item.step, item.rows, state.settings, state.responsible, state.as_of)
    if message is None:
        return None, _failed(state, item, claim, TEMPLATE_FAILED, _GO_ON)
    try:
        email = mailer.build_message(state.sender, item.to, message.subject or "", message.body, state.reply_to,
                                     pix=message.pix)
        refused = mailer.send(state.settings, email)
    except mailer.ServerError as exc:
        return message, _failed(state, item, claim, str(exc), _STOP)
    except mailer.PermanentRefusal as exc:
        reason = str(exc)
        detail = f"e-mail recusado de vez pelo servidor: tarefa em vez de e-mail ({redact(reason)})"
        report.refused.append((item, reason))
        return message, _Outcome(lambda: db.regua.settle_refused(claim, detail, state.moment()), item, False)
    except (SendError, InputError) as exc:
        return message, _failed(state, item, claim, str(exc), _GO_ON)
    to = ", ".join(a for a in item.to.split(", ") if a not in refused)
    text = _loggable(f"{message.subject}\n\n{message.body}")
    return message, _Outcome(lambda: db.regua.settle_sent(claim, to, text, state.by, state.moment()), item, True)


def _failed(state: _Run, item: Item, claim, reason: str, then: str) -> _Outcome | None:
    """Not delivered (temporary): the claim becomes 'failed', which the next run tries again. A run that stops
    records it at once."""
    state.report.failed.append((item, reason))
    outcome = _Outcome(lambda: state.db.regua.settle_failed(claim, reason, state.moment()), item, False)
    if then == _STOP:
        _record(state, outcome, None)
        return None
    return outcome


def preview(db: Cobranca, document: str, installment: str | None = None, now: datetime | None = None,
            by: str | None = None) -> tuple[str, Rendered | None]:
    """What the régua does for one receivable at `now`: a pt-BR status line and the message (or None)."""
    report = plan(db, now, by)
    as_of = report.now.date()
    row = db.regua.receivable(document, installment, as_of)
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
    step = due_step(db.regua.steps(), int(row["days_overdue"]))
    if step is None:
        return f"Nenhuma etapa ainda ({plural(int(row['days_overdue']), 'dia', 'dias')} em relação ao vencimento).", None
    text = _render(step, [row], db.settings.all(), by or default_responsible(), as_of)
    return f"Etapa '{step.name}' já feita para esta conta; o texto da etapa seria:", text


def _docs(item: Item) -> str:
    return ", ".join(f"{d}/{i}" for d, i in item.keys)
