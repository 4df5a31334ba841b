"""Pure rules of the régua de cobrança: the steps, which step is due for a receivable, and a run's plan.

A step is due for a receivable when the days relative to its due date (the worklist's days_overdue: negative
before the due date, 0 on it and, for a weekend/holiday due date, up to the next business day) are >= the
step's offset and < the next step's offset (the last step has no upper bound), and the log does not show it
done. So a run that missed days catches up, and an older step never follows a newer one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from ..core.errors import InputError
from ..promises.status import is_paused
from ..receivables.filters import normalise_channel

EMAIL = "E-mail"
STEP_CHANNELS = ("E-mail", "WhatsApp", "SMS", "Telefone", "Carta", "Presencial")
MESSAGE_CHANNELS = frozenset({"E-mail", "WhatsApp", "SMS"})
MIN_DAYS, MAX_DAYS = -365, 3650
MAX_NAME = 100

# Outcomes of a step-log entry (one per receivable and step; see store/regua_claims.py)
SENT, TASK, FAILED, SENDING, UNCERTAIN = "sent", "task", "failed", "sending", "uncertain"
OUTCOMES = (SENT, TASK, FAILED, SENDING, UNCERTAIN)
DONE_OUTCOMES = (SENT, TASK, SENDING, UNCERTAIN)  # never planned again; only 'failed' is retried
OUTCOME_LABELS = {SENT: "enviado", TASK: "tarefa criada", FAILED: "falhou", SENDING: "envio em andamento",
                  UNCERTAIN: "envio incerto"}

# Skip reasons (nothing sent, nothing logged: the next run looks again)
SETTLED, PROMISED, DISPUTED, DO_NOT_CONTACT, OUTSIDE_HOURS, CLAIMED = (
    "settled", "promised", "disputed", "do_not_contact", "outside_hours", "claimed")
AGREEMENT = "agreement"  # an original receivable of an active agreement (acordos)
SKIP_LABELS = {
    SETTLED: "quitada",
    PROMISED: "promessa de pagamento em vigor",
    AGREEMENT: "em acordo (as parcelas do acordo seguem a régua)",
    DISPUTED: "contestada",
    DO_NOT_CONTACT: "cliente pediu para não ser contatado",
    OUTSIDE_HOURS: "fora do horário permitido: fica para a próxima execução",
    CLAIMED: "já registrada por outra execução",
}


@dataclass(frozen=True)
class Step:
    """One step of the cadence. subject/body None = the default text for its channel and moment."""

    name: str
    days: int
    channel: str
    subject: str | None = None
    body: str | None = None
    id: int | None = None

    @property
    def is_email(self) -> bool:
        return self.channel == EMAIL

    def validated(self) -> Step:
        """This step with normalised fields; InputError (pt-BR) naming the first bad one."""
        name = " ".join(str(self.name or "").split())
        if not name:
            raise InputError("Informe o nome da etapa.")
        if len(name) > MAX_NAME:
            raise InputError(f"O nome da etapa pode ter no máximo {MAX_NAME} caracteres.")
        try:
            days = int(self.days)
        except (TypeError, ValueError, OverflowError):
            raise InputError(f"Dias da etapa deve ser um número inteiro (ex.: -3, 0, 10), recebido '{self.days}'.") from None
        if not MIN_DAYS <= days <= MAX_DAYS:
            raise InputError(f"Dias da etapa deve estar entre {MIN_DAYS} e {MAX_DAYS} (recebido {days}).")
        channel = normalise_channel(self.channel)
        if channel not in STEP_CHANNELS:
            raise InputError(f"Forma de contato '{channel}' não serve para uma etapa. Use: {', '.join(STEP_CHANNELS)}.")
        subject = (str(self.subject).strip() or None) if self.subject is not None else None
        body = (str(self.body).strip() or None) if self.body is not None else None
        if subject and not channel == EMAIL:
            raise InputError("Só etapas de e-mail têm assunto.")
        return replace(self, name=name, days=days, channel=channel, subject=subject, body=body)


# The default cadence of a new (or migrated) database; README "Régua de cobrança" documents it.
DEFAULT_STEPS: tuple[Step, ...] = (
    Step("Lembrete 3 dias antes", -3, "E-mail"),
    Step("Vence hoje", 0, "E-mail"),
    Step("WhatsApp 3 dias após", 3, "WhatsApp"),
    Step("Segundo aviso 10 dias após", 10, "E-mail"),
    Step("Ligação 30 dias após", 30, "Telefone"),
)


def due_step(steps: Iterable[Step], days: int) -> Step | None:
    """The step whose window [offset, next offset) holds `days`, or None before the first step."""
    found = None
    for step in sorted(steps, key=lambda s: s.days):
        if step.days <= days:
            found = step
        else:
            break
    return found


def skip_reason(row: dict) -> str | None:
    """Why nothing may be done for this receivable now (besides legal hours), or None."""
    if Decimal(row.get("balance") or 0) <= 0:
        return SETTLED
    status = row.get("status") or "open"
    if is_paused(status):  # the one rule of what pauses collection (promises/status.py)
        return status  # promised, disputed, agreement: the skip reasons are named after the paused statuses
    if row.get("do_not_contact"):
        return DO_NOT_CONTACT
    return None


@dataclass
class Item:
    """One message (or task) for one customer: its receivables (worklist rows) and each one's step."""

    customer_id: int
    customer: str
    channel: str
    to: str
    rows: list[dict] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    note: str = ""  # why a task replaced an e-mail

    @property
    def step(self) -> Step:
        """The step whose text the message uses: the latest (firmest) among its receivables'."""
        return max(self.steps, key=lambda s: s.days)

    @property
    def keys(self) -> list[tuple[str, str]]:
        return [(str(r["document"]), str(r["installment"])) for r in self.rows]

    @property
    def total(self) -> Decimal:
        return sum((Decimal(r["updated_amount"]) for r in self.rows), Decimal("0.00"))


@dataclass
class Skipped:
    row: dict
    step: Step
    reason: str

    @property
    def label(self) -> str:
        return SKIP_LABELS[self.reason]


@dataclass
class Plan:
    """What a run would do on `as_of`: e-mails to send (one per customer), tasks to create, rows skipped."""

    as_of: date
    emails: list[Item] = field(default_factory=list)
    tasks: list[Item] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    already_done: int = 0


def _text(value) -> str:
    if value is None or value != value:  # None or NaN
        return ""
    return str(value).strip()


def task_channel(row: dict) -> tuple[str, str]:
    mobile = _text(row.get("mobile"))
    if mobile:
        return "WhatsApp", mobile
    return "Telefone", _text(row.get("phone"))


def plan_run(rows: Iterable[dict], steps: list[Step], done: set[tuple[int, int]], as_of: date,
             messages_allowed: bool, address: Callable[[str], str] | None = None) -> Plan:
    """The plan of a run over worklist rows (with status, do_not_contact, email, mobile).

    `done` holds (receivable_id, step_id) already done; `messages_allowed` is the legal-hours verdict for now;
    `address(text)` returns the normalised recipients or raises InputError (default: the text as is).
    E-mail steps become a task when the customer has no valid e-mail; other channels are tasks.
    """
    plan = Plan(as_of)
    emails: dict[int, Item] = {}
    tasks: dict[tuple[int, int, str], Item] = {}
    for row in rows:
        step = due_step(steps, int(row["days_overdue"]))
        if step is None:
            continue
        if (int(row["receivable_id"]), step.id) in done:
            plan.already_done += 1
            continue
        reason = skip_reason(row)
        if reason is None and step.is_email:
            reason, channel, to, note = _email_route(row, messages_allowed, address)
        elif reason is None:
            channel, to, note = step.channel, _destination(row, step.channel), ""
        if reason is not None:
            plan.skipped.append(Skipped(row, step, reason))
            continue
        customer_id = int(row["customer_id"])
        if channel == EMAIL:
            item = emails.setdefault(customer_id, Item(customer_id, str(row["customer"]), EMAIL, to))
        else:
            item = tasks.setdefault((customer_id, step.id, channel),
                                    Item(customer_id, str(row["customer"]), channel, to, note=note))
        item.rows.append(row)
        item.steps.append(step)
    plan.emails = [_ordered(i) for i in emails.values()]
    plan.tasks = [_ordered(i) for i in tasks.values()]
    return plan


def _ordered(item: Item) -> Item:
    """The item with its receivables by due date, document, installment (as the message lists them)."""
    pairs = sorted(zip(item.rows, item.steps, strict=True),
                   key=lambda p: (str(p[0].get("due_date")), str(p[0]["document"]), str(p[0]["installment"])))
    item.rows, item.steps = [r for r, _ in pairs], [s for _, s in pairs]
    return item


def _email_route(row: dict, messages_allowed: bool, address) -> tuple[str | None, str, str, str]:
    """(skip reason, channel, destination, note) of an e-mail step: an e-mail, a task, or left for later."""
    raw = _text(row.get("email"))
    problem = "sem e-mail cadastrado"
    if raw:
        try:
            to = address(raw) if address else raw
        except InputError:
            problem = "e-mail cadastrado inválido"
        else:
            if not messages_allowed:
                return OUTSIDE_HOURS, EMAIL, to, ""
            return None, EMAIL, to, ""
    channel, to = task_channel(row)
    return None, channel, to, f"{problem}: tarefa em vez de e-mail"


def _destination(row: dict, channel: str) -> str:
    if channel in ("WhatsApp", "SMS"):
        return _text(row.get("mobile"))
    if channel == "Telefone":
        return _text(row.get("phone")) or _text(row.get("mobile"))
    return ""


def recheck(item: Item, fresh: dict[int, dict]) -> tuple[list[tuple[dict, Step]], list[Skipped]]:
    """Just before sending `item`: its (current row, step) pairs still to send, and the rest with the reason.

    `fresh` maps receivable_id to the row read again in the claiming transaction (missing = settled meanwhile):
    a payment, promise, dispute or opt-out recorded since the plan stops the message.
    """
    keep, skipped = [], []
    for row, step in zip(item.rows, item.steps, strict=True):
        now = fresh.get(int(row["receivable_id"]))
        reason = SETTLED if now is None else skip_reason(now)
        if reason is None:
            keep.append((now, step))
        else:
            skipped.append(Skipped(now or row, step, reason))
    return keep, skipped
