"""The conversation state of the selected row: promise, dispute, resolve, do not contact, and the notices."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from ...contacting.guard import opt_out_message
from ...contacting.hours import ContactHours, summarize_contact_hours
from ...core import clock
from ...core import formatting as fmt
from ...core.errors import InputError
from ...promises.status import STATUS_LABELS
from .feature import Feature


class ConversationState(Feature):
    """Each write goes through the facade, then the list is read again (rows may leave it)."""

    def status(self, row: dict | None = None) -> str:
        """'Promessa até 12/06/2020', 'Promessa quebrada (era 10/06/2020)', 'Contestada', 'Em aberto'."""
        row = row or self.app.require_selection()
        status = str(row.get("status") or "open")
        label = STATUS_LABELS.get(status, status)
        promised = row.get("promise_date")
        if fmt.is_missing(promised) or status not in ("promised", "promise_broken"):
            return label
        return f"Promessa até {fmt.day(promised)}" if status == "promised" else f"{label} (era {fmt.day(promised)})"

    def message_notices(self, row: dict | None = None) -> list[str]:
        """Why a message to the selected customer would be refused now (shown before the analyst writes)."""
        row = row or self.app.require_selection()
        notices = []
        if bool(row.get("do_not_contact")):
            reason = row.get("do_not_contact_reason")
            notices.append(opt_out_message(str(row["customer"]), None if fmt.is_missing(reason) else str(reason)))
        hours = self._contact_hours()
        refusal = hours.refusal(clock.now(hours.tz)) if hours else None
        if refusal:
            notices.append(refusal)
        return notices

    def _contact_hours(self) -> ContactHours | None:
        """The facade's legal hours as the last reload read them (no database open), worded for people; or None."""
        hours = self.app.hours
        if hours is None:
            return None
        return replace(hours, text=summarize_contact_hours(hours.windows))

    def sending_brief(self, row: dict | None = None) -> str | None:
        """Why a message cannot go out now, in one short line with the next allowed time; None when it can."""
        row = row or self.app.require_selection()
        if bool(row.get("do_not_contact")):
            return "Bloqueado: o cliente pediu para não ser contatado (veja “Contatar de novo”)."
        hours = self._contact_hours()
        if hours is None:
            return None
        now = clock.now(hours.tz)
        if hours.is_allowed(now):
            return None
        nxt = hours.next_allowed(now)
        return f"Bloqueado agora: próximo horário {nxt:%d/%m} às {nxt:%H:%M} ({hours.text})."

    def register_promise(self, due: date | None, amount: str = "", note: str = "") -> str:
        row = self.app.require_selection()
        if due is None:
            raise InputError("Escolha a data prometida para o pagamento.")
        entry = self.db.promises.register(row["document"], row["installment"], due=due,
                                         amount=amount.strip() or None, note=note or None, by=self.app.responsible)
        self.app.reload()
        return (f"Promessa registrada: {fmt.brl(entry['amount'])} até {fmt.day(entry['promise_date'])}. "
                "A conta sai da lista até essa data.")

    def register_dispute(self, reason: str) -> str:
        row = self.app.require_selection()
        self.db.promises.open_dispute(row["document"], row["installment"], reason=reason, by=self.app.responsible)
        self.app.reload()
        return "Contestação registrada: a conta sai da lista até ser resolvida."

    def resolve_dispute(self, note: str = "") -> str:
        row = self.app.require_selection()
        self.db.promises.resolve_dispute(row["document"], row["installment"], note=note or None, by=self.app.responsible)
        self.app.reload()
        return "Contestação resolvida: a conta volta à lista."

    def set_do_not_contact(self, blocked: bool, reason: str = "") -> str:
        row = self.app.require_selection()
        customer = int(row["customer_id"])
        if blocked:
            self.db.policy.opt_out(customer, reason=reason, by=self.app.responsible)
        else:
            self.db.policy.opt_in(customer, note=reason or None, by=self.app.responsible)
        self.app.reload()
        if blocked:
            return f"{row['customer']}: não contatar por WhatsApp, SMS ou e-mail (telefone e carta continuam)."
        return f"{row['customer']} pode voltar a receber mensagens."


def promise_cards(kpis: dict) -> list[tuple[str, str, str, str]]:
    """(css key, label, text, note) of the KPI cards promessas ativas, quebradas, taxa de cumprimento.

    The rate's counts ("1 de 2") are a note beside the value: in the label they were cut at 1366 px."""
    rate = kpis["fulfilment_rate"]
    rate_text = "—" if rate is None else f"{fmt.number(rate * 100, 1)} %"
    counts = f"{fmt.number(kpis['kept'], 0)} de {fmt.number(kpis['kept'] + kpis['broken'], 0)}"
    return [
        ("promises_active", "Promessas ativas", fmt.number(kpis["active"], 0), ""),
        ("promises_broken", "Promessas quebradas", fmt.number(kpis["broken_open"], 0), ""),
        ("promises_rate", "Taxa de cumprimento", rate_text, counts),
    ]
