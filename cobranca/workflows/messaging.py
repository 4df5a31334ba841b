"""Reminders end to end: the figures of a receivable, sending one e-mail, confirming a WhatsApp, bulk e-mail.

A contact is recorded only after the SMTP server accepted the message; a failed send records nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ..api import MAX_TEXT, Cobranca
from ..contacting import mailer, templates
from ..core.errors import CobrancaError, InputError, SendError
from ..core.formatting import brl, is_missing, plural
from ..core.phones import normalize_mobile
from ..receivables.filters import Filter
from ..settings import default_responsible

EMAIL = "E-mail"
WHATSAPP = "WhatsApp"


class RecordError(CobrancaError):
    """The message went out but the contact could not be written to the log."""

    exit_code = 1


def worklist_row(db: Cobranca, document: str, installment: str | None = None, as_of: date | None = None) -> dict:
    """The worklist row (figures on `as_of`) of one open receivable, due or not, whatever the saved filters."""
    return db.receivable_row(document, installment, as_of)


def customer_rows(db: Cobranca, customer_id: int, flt: Filter | str | None = None,
                  as_of: date | None = None) -> list[dict]:
    """The rows of one customer in the worklist of `flt` (default: everything due or overdue)."""
    frame = db.worklist(flt, as_of or db.today())
    return frame[frame["customer_id"] == customer_id].to_dict("records")


def _loggable(text: str) -> str:
    """The message as the contact log can hold it; a very long one is cut with a visible mark."""
    text = text.strip()
    if len(text) <= MAX_TEXT:
        return text
    mark = f"\n[… texto cortado no registro: a mensagem enviada tinha {len(text)} caracteres]"
    return text[: MAX_TEXT - len(mark)] + mark


def _sender_and_reply_to(settings: dict) -> tuple[str, str | None]:
    if not mailer.smtp_configured(settings):
        raise InputError(mailer.not_configured_message())
    return mailer.sender_from(settings), (settings.get("smtp_reply_to") or None)


def send_email(db: Cobranca, document: str, installment: str | None, to: str, subject: str, body: str,
               by: str | None = None, pix: str = "") -> int:
    """Send one e-mail about a receivable and, once the server accepted it, record the contact; returns its id.

    `pix`: a Pix copia-e-cola code to show as an inline QR image below the text (Rendered.pix).
    """
    rec = db.receivable(document, installment)  # ambiguity and typos are refused before anything is sent
    db.check_message_allowed(rec, EMAIL)  # opt-out and legal hours (facade/promises.py)
    settings = db.settings()
    sender, reply_to = _sender_and_reply_to(settings)
    message = mailer.build_message(sender, to, subject, body, reply_to=reply_to, pix=pix)
    refused = mailer.send(settings, message)
    delivered_to = ", ".join(a for a in mailer.parse_recipients(to) if a not in refused)
    try:
        return db.register_contact(rec["document"], rec["installment"], EMAIL, to=delivered_to,
                                   message=_loggable(f"{subject}\n\n{body}"), by=by)
    except Exception as exc:
        raise RecordError(_not_recorded(delivered_to, [(rec["document"], rec["installment"])], exc)) from exc


def _not_recorded(to: str, keys: list[tuple[str, str]], exc: Exception) -> str:
    docs = ", ".join(f"{d}/{i}" for d, i in keys)
    return (f"O e-mail para {to} FOI ENVIADO, mas o contato não pôde ser registrado ({exc}). "
            f"Registre-o manualmente (cobranca contact DOCUMENTO --installment N --channel E-mail) para: {docs}.")


def record_whatsapp(db: Cobranca, document: str, installment: str | None, to: str, body: str,
                    by: str | None = None) -> int:
    """Record a WhatsApp message the analyst confirms having sent (destination in E.164); returns its id."""
    check = normalize_mobile(to)
    if check.e164 is None:
        raise InputError(f"Celular inválido para registrar o WhatsApp: {check.warning}")
    if not str(body or "").strip():
        raise InputError("A mensagem de WhatsApp está vazia.")
    rec = db.receivable(document, installment)
    db.check_message_allowed(rec, WHATSAPP)  # opt-out and legal hours (facade/promises.py)
    return db.register_contact(rec["document"], rec["installment"], WHATSAPP, to=check.e164,
                               message=_loggable(str(body)), by=by)


@dataclass
class PlannedEmail:
    """One customer's message in a bulk run."""

    customer: str
    to: str
    keys: list[tuple[str, str]]
    total: Decimal
    subject: str
    body: str
    pix: str = ""


@dataclass
class BulkReport:
    """What a bulk e-mail run planned, sent, failed and skipped (with pt-BR reasons)."""

    dry_run: bool = True
    planned: list[PlannedEmail] = field(default_factory=list)
    sent: list[PlannedEmail] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        """pt-BR summary with one line per failure and per skipped customer."""
        if self.dry_run:
            total = sum((p.total for p in self.planned), Decimal("0.00"))
            planned, skipped = len(self.planned), len(self.skipped)
            lines = [f"Simulação: {plural(planned, 'e-mail seria enviado', 'e-mails seriam enviados')} "
                     f"(total {brl(total)}); {plural(skipped, 'cliente ignorado', 'clientes ignorados')}. "
                     "Nada foi enviado."]
        else:
            lines = [f"{plural(len(self.sent), 'e-mail enviado e registrado', 'e-mails enviados e registrados')}, "
                     f"{plural(len(self.failed), 'falha', 'falhas')}, "
                     f"{plural(len(self.skipped), 'cliente ignorado', 'clientes ignorados')}."]
        lines += [f"  falhou: {customer}: {reason}" for customer, reason in self.failed]
        lines += [f"  ignorado: {customer}: {reason}" for customer, reason in self.skipped]
        return "\n".join(lines)


def plan_bulk_email(db: Cobranca, flt: Filter | str | None, as_of: date, by: str | None = None,
                    already_emailed: set[tuple[str, str]] | None = None) -> BulkReport:
    """One planned message per customer of the worklist; nothing is sent. TemplateError stops the plan."""
    settings = db.settings()
    responsible = by or default_responsible()
    emailed = already_emailed if already_emailed is not None else db.contacted_on(db.today(), EMAIL)
    frame = db.worklist(flt, as_of)
    report = BulkReport(dry_run=True)
    for _, group in frame.groupby("customer_id", sort=False):
        rows = group.to_dict("records")
        name = str(rows[0]["customer"])
        keys = [(str(r["document"]), str(r["installment"])) for r in rows]
        address = rows[0]["email"]
        if rows[0].get("do_not_contact"):
            report.skipped.append((name, "pediu para não receber mensagens (não contatar)"))
            continue
        if is_missing(address) or not str(address).strip():
            report.skipped.append((name, "sem e-mail cadastrado"))
            continue
        done = [f"{d}/{i}" for d, i in keys if (d, i) in emailed]
        if done:
            report.skipped.append((name, f"já recebeu e-mail hoje ({', '.join(done)})"))
            continue
        try:
            to = ", ".join(mailer.parse_recipients(str(address)))
        except InputError as exc:
            report.skipped.append((name, str(exc)))
            continue
        rendered = templates.render_for_customer(rows, "email", settings, responsible, as_of)
        report.planned.append(PlannedEmail(name, to, keys, templates.customer_total(rows),
                                           rendered.subject or "", rendered.body, rendered.pix))
    return report


def bulk_email(db: Cobranca, flt: Filter | str | None, as_of: date, by: str | None = None, dry_run: bool = True,
               progress: Callable[[int, int], None] | None = None) -> BulkReport:
    """E-mail every customer of a worklist once, covering all their receivables in it.

    Customers already e-mailed today about any of those receivables are skipped, so an interrupted
    run can simply be repeated. Each delivered message records one contact per receivable; a failed
    one records nothing. A server-wide failure (connection, TLS, login) stops the run.
    """
    settings = db.settings()
    sender, reply_to = ("", None) if dry_run else _sender_and_reply_to(settings)
    if not dry_run:
        db.check_contact_hours()  # legal hours: refused with the next allowed moment
    report = plan_bulk_email(db, flt, as_of, by)
    if dry_run:
        return report
    report.dry_run = False
    total = len(report.planned)
    for index, item in enumerate(report.planned):
        try:
            message = mailer.build_message(sender, item.to, item.subject, item.body, reply_to, pix=item.pix)
            refused = mailer.send(settings, message)
        except mailer.ServerError as exc:
            report.failed.append((item.customer, str(exc)))
            report.failed += [(rest.customer, "não enviado: o envio foi interrompido pela falha anterior do servidor")
                              for rest in report.planned[index + 1:]]
            break
        except (SendError, InputError) as exc:
            report.failed.append((item.customer, str(exc)))
        else:
            delivered_to = ", ".join(a for a in item.to.split(", ") if a not in refused)
            try:  # one transaction: a failure cannot leave half of the customer's receivables recorded
                db.register_contacts(item.keys, EMAIL, to=delivered_to,
                                     message=_loggable(f"{item.subject}\n\n{item.body}"), by=by)
            except Exception as exc:  # stop: the log is not keeping up, more sends would not be recorded either
                report.failed.append((item.customer, _not_recorded(delivered_to, item.keys, exc)))
                report.failed += [(rest.customer, "não enviado: o envio foi interrompido porque o registro falhou")
                                  for rest in report.planned[index + 1:]]
                break
            report.sent.append(item)
            if refused:
                report.failed.append((item.customer, f"o servidor recusou {', '.join(refused)}; "
                                                     f"enviado e registrado só para {delivered_to}"))
        if progress is not None:
            progress(index + 1, total)
    return report
