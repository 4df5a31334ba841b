"""Facade: promises to pay, disputes, do-not-contact requests and legal contact hours.

Listed first among Cobranca's bases, so its history, cancel and worklist methods wrap the contact log's and
the worklist's (`super()`): promises and disputes show in a receivable's history and "Cancelar último"
cancels them like contacts; paused receivables leave default worklists.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

import pandas as pd

from .. import settings as settings_mod
from ..contacting.guard import ContactBlockedError, check_message, is_message_channel
from ..contacting.hours import ContactHours
from ..core.calendar import parse_date
from ..core.errors import AmbiguousError, InputError, NotFoundError
from ..core.money import MAX_AMOUNT, round_cents
from ..core.text import cut
from ..promises.history_events import DISPUTE, KIND_LABELS, OPT_IN, OPT_OUT, PROMISE, RESOLVE, describe
from ..promises.status import check_promise_date, fulfilment_rate
from ..receivables.filters import Filter, normalise_channel
from ..store import contacts as contact_records
from ..store import promises as records
from .base import clean_text


def _paused(flt: Filter, include_paused: bool) -> Filter:
    return replace(flt, status="all") if include_paused and flt.status is None else flt


class PromisesMixin:
    # -- legal hours and the do-not-contact guard ---------------------------------------------
    def contact_hours(self) -> ContactHours:
        """The legal contact window of the settings contact_hours and timezone."""
        return settings_mod.contact_hours_from(self.stored_settings())

    def check_contact_hours(self, at: datetime | None = None) -> None:
        """ContactBlockedError with the next allowed moment when messages may not go out now (or at `at`)."""
        hours = self.contact_hours()
        refusal = hours.refusal(at or self.now())
        if refusal:
            raise ContactBlockedError(refusal)

    def do_not_contact(self, customer_id: int) -> tuple[bool, str | None]:
        """(opted out?, reason) of a customer."""
        with self._con() as con:
            return records.opt_out_state(con, int(customer_id))

    def check_message_allowed(self, receivable: dict, channel: str, check_hours: bool = True,
                              at: datetime | None = None) -> None:
        """ContactBlockedError (pt-BR) when a WhatsApp/SMS/e-mail about `receivable` may not go out now.

        `receivable` is a dict with receivable_id (a worklist row or `receivable()`); other channels always pass.
        """
        channel = normalise_channel(channel)
        if not is_message_channel(channel):
            return
        with self._con() as con:
            customer = records.customer_of_receivable(con, int(receivable["receivable_id"]))
            opted_out, reason = records.opt_out_state(con, customer["id"])
        hours = self.contact_hours() if check_hours else None
        check_message(channel, customer["name"], opted_out, reason, hours, at)

    def register_contacts(self, keys, channel: str, *args, **kwargs) -> list[int]:
        """The contact log's register_contacts, refused for WhatsApp/SMS/e-mail to a customer who opted out."""
        if not is_message_channel(normalise_channel(channel)):
            return super().register_contacts(keys, channel, *args, **kwargs)
        with self._tx():
            for document, installment in keys:
                self.check_message_allowed(self.receivable(document, installment), channel, check_hours=False)
            return super().register_contacts(keys, channel, *args, **kwargs)

    # -- promises and disputes ------------------------------------------------------------------
    def register_promise(self, document: str, installment: str | None = None, due: date | str | None = None,
                         amount: Decimal | None = None, note: str | None = None, by: str | None = None,
                         at: datetime | None = None) -> dict:
        """Promise to pay `amount` (default: the updated amount today) by `due` (today or later).

        Replaces the active promise (the old one stays in the history). Returns the entry.
        """
        if due is None or (isinstance(due, str) and not due.strip()):
            raise InputError("Informe a data prometida para o pagamento.")
        try:
            due = parse_date(due)
            check_promise_date(due, self.today())
        except ValueError as exc:
            raise InputError(f"Data da promessa inválida: {exc}.") from exc
        note = clean_text(note, "Observação")
        with self._tx() as con:
            row = self.receivable_row(document, installment, self.today())
            amount = row["updated_amount"] if amount is None else _amount(amount)
            event_id = records.add_receivable_event(
                con, int(row["receivable_id"]), PROMISE, self._who(by), self._stamp(at), note, due, amount,
                row["balance"])
        return {"id": event_id, "document": row["document"], "installment": row["installment"],
                "promise_date": due, "amount": amount}

    def register_dispute(self, document: str, installment: str | None = None, reason: str | None = None,
                         by: str | None = None, at: datetime | None = None) -> dict:
        """Open a dispute (contestação) with its reason: the receivable is paused until resolved."""
        reason = clean_text(reason, "Motivo")
        if not reason:
            raise InputError("Informe o motivo da contestação.")
        with self._tx() as con:
            rec = self.receivable(document, installment)
            if records.dispute_open(con, int(rec["receivable_id"])):
                raise InputError(f"O documento {rec['document']}, parcela {rec['installment']}, já está contestado; "
                                 "resolva a contestação antes de abrir outra.")
            event_id = records.add_receivable_event(con, int(rec["receivable_id"]), DISPUTE, self._who(by),
                                                    self._stamp(at), reason)
        return {"id": event_id, "document": rec["document"], "installment": rec["installment"]}

    def resolve_dispute(self, document: str, installment: str | None = None, note: str | None = None,
                        by: str | None = None, at: datetime | None = None) -> dict:
        """Close the open dispute of a receivable: it is back in the worklists."""
        note = clean_text(note, "Observação")
        with self._tx() as con:
            rec = self.receivable(document, installment)
            if not records.dispute_open(con, int(rec["receivable_id"])):
                raise InputError(f"O documento {rec['document']}, parcela {rec['installment']}, não tem "
                                 "contestação em aberto.")
            event_id = records.add_receivable_event(con, int(rec["receivable_id"]), RESOLVE, self._who(by),
                                                    self._stamp(at), note)
        return {"id": event_id, "document": rec["document"], "installment": rec["installment"]}

    # -- do not contact -------------------------------------------------------------------------
    def find_customer(self, text: str | int) -> dict:
        """The customer whose code, CPF/CNPJ or exact name is `text` (or whose id is the int `text`).

        AmbiguousError lists the candidates.
        """
        if isinstance(text, int):
            with self._con() as con:
                found = records.customer_by_id(con, text)
            if found is None:
                raise NotFoundError("Cliente não encontrado; ele pode ter sido removido em outra aba.")
            return found
        wanted = clean_text(text, "Cliente", multiline=False)
        if not wanted:
            raise InputError("Informe o cliente (código, CPF/CNPJ ou nome exato).")
        digits = re.sub(r"\D", "", wanted)
        with self._con() as con:
            found = records.find_customers(con, wanted, digits if len(digits) in (11, 14) else None)
        if not found:
            raise NotFoundError(f"Cliente '{cut(wanted)}' não encontrado (use o código, o CPF/CNPJ ou o nome exato).")
        if len(found) > 1:
            listed = "; ".join(f"{c['name']} (código {c['code'] or '—'}, CPF/CNPJ {c['tax_id'] or '—'})"
                               for c in found)
            raise AmbiguousError(f"'{wanted}' corresponde a {len(found)} clientes: {listed}. "
                                 "Use o código ou o CPF/CNPJ.")
        return found[0]

    def opt_out(self, customer: str | int, reason: str | None = None, by: str | None = None,
                at: datetime | None = None) -> dict:
        """The customer asked not to be messaged: WhatsApp, SMS and e-mail are refused from now on."""
        reason = clean_text(reason, "Motivo")
        if not reason:
            raise InputError("Informe o motivo do pedido de não contatar.")
        with self._tx() as con:
            found = self.find_customer(customer)
            if records.opt_out_state(con, found["id"])[0]:
                raise InputError(f"O cliente {found['name']} já está marcado para não contatar.")
            records.add_customer_event(con, found["id"], OPT_OUT, self._who(by), self._stamp(at), reason)
        return found

    def opt_in(self, customer: str | int, note: str | None = None, by: str | None = None,
               at: datetime | None = None) -> dict:
        """Undo an opt-out: the customer may be messaged again."""
        note = clean_text(note, "Observação")
        with self._tx() as con:
            found = self.find_customer(customer)
            if not records.opt_out_state(con, found["id"])[0]:
                raise InputError(f"O cliente {found['name']} não está marcado para não contatar.")
            records.add_customer_event(con, found["id"], OPT_IN, self._who(by), self._stamp(at), note)
        return found

    # -- history and "Cancelar último" --------------------------------------------------------
    def history(self, document: str, installment: str | None = None, include_cancelled: bool = False) -> pd.DataFrame:
        """Contacts, comments, promises, disputes and do-not-contact requests of one receivable, newest first."""
        with self._con():
            rec = self.receivable(document, installment)
            return self.histories([rec["receivable_id"]], include_cancelled)

    def histories(self, receivable_ids: list[int], include_cancelled: bool = False) -> pd.DataFrame:
        """Entries of many receivables, newest first; `kind` says contact or which event, `channel` its label."""
        with self._con() as con:
            contacts = super().histories(receivable_ids, include_cancelled)
            events = self._shown(records.history(con, receivable_ids, include_cancelled))
        contacts = contacts.assign(kind="contact")
        if events.empty:
            return contacts
        events = events.assign(
            channel=events["kind"].map(KIND_LABELS),
            observation=[describe(k, n, d, a) for k, n, d, a in
                         zip(events["kind"], events["note"], events["promise_date"], events["amount"], strict=True)],
            destination=None, message=None,
        ).loc[:, list(contacts.columns)]
        both = pd.concat([contacts.astype(object), events.astype(object)], ignore_index=True)
        both["created_at"] = pd.to_datetime(both["created_at"])
        both["cancelled_at"] = pd.to_datetime(both["cancelled_at"])
        return both.sort_values(["created_at", "id"], ascending=False, kind="stable").reset_index(drop=True)

    def last_entry(self, document: str, installment: str | None = None) -> dict | None:
        """The entry "Cancelar último" would cancel: a contact, comment or event (with `kind`), or None."""
        with self._con() as con:
            entry = self._newest_entry(con, self.receivable(document, installment)["receivable_id"])
        return None if entry is None else {**entry, "created_at": self._shown_value(entry["created_at"])}

    def cancel_last_contact(self, document: str, installment: str | None = None, by: str | None = None) -> dict:
        """Cancel the newest entry of the receivable, contact or event (kept, marked cancelled)."""
        with self._tx() as con:
            rec = self.receivable(document, installment)
            newest = self._newest_entry(con, rec["receivable_id"])
            if newest is None:
                raise NotFoundError(
                    f"Não há contato a cancelar para o documento '{rec['document']}', parcela '{rec['installment']}'."
                )
            if newest["kind"] == "contact":
                contact_records.cancel(con, newest["id"], self._who(by), self._stamp())
                return {**newest, "created_at": self._shown_value(newest["created_at"])}
            records.cancel_event(con, newest["table"], newest["id"], self._who(by), self._stamp())
        return {**newest, "created_at": self._shown_value(newest["created_at"]),
                "channel": KIND_LABELS[newest["kind"]], "observation": None}

    @staticmethod
    def _newest_entry(con, receivable_id: int) -> dict | None:
        """The later of the newest contact and the newest event (a contact wins a tie)."""
        event = records.last_event(con, receivable_id)
        contact = contact_records.last_entry(con, receivable_id)  # last: its result is read with fetchone
        if contact is not None:
            contact = {**contact, "kind": "contact"}
        if event is None or (contact is not None and contact["created_at"] >= event["created_at"]):
            return contact
        return event

    # -- worklists: paused receivables left out by default -------------------------------------
    def worklist(self, flt: Filter | str | None = None, as_of: date | None = None, limit: int | None = None,
                 include_paused: bool = False) -> pd.DataFrame:
        """Open receivables of `flt`; promised (until the date) and disputed ones only with `include_paused`."""
        with self._con():
            self.agreements.check_on_read(as_of)  # an agreement late beyond the grace breaks before it is listed
            return super().worklist(_paused(self.resolve_filter(flt), include_paused), as_of, limit)

    def worklist_totals(self, flt: Filter | str | None = None, as_of: date | None = None,
                        include_paused: bool = False) -> dict:
        """The totals; totals["promises"] holds `promise_kpis` (same database open)."""
        with self._con():
            self.agreements.check_on_read(as_of)
            totals = super().worklist_totals(_paused(self.resolve_filter(flt), include_paused), as_of)
            return {**totals, "promises": self.promise_kpis(as_of)}

    def worklist_page(self, flt: Filter | str | None = None, as_of: date | None = None, limit: int = 5000,
                      include_paused: bool = False) -> tuple[pd.DataFrame, dict]:
        """The page and its totals; totals["promises"] holds `promise_kpis` (same database open)."""
        with self._con():
            self.agreements.check_on_read(as_of)
            frame, totals = super().worklist_page(_paused(self.resolve_filter(flt), include_paused), as_of, limit)
            return frame, {**totals, "promises": self.promise_kpis(as_of)}

    def promise_kpis(self, as_of: date | None = None) -> dict:
        """active (promised, not yet due), broken_open (broken, still owed), kept and broken ever, fulfilment rate."""
        with self._con() as con:
            counts = records.promise_counts(con, as_of or self.today(), self.company_tz().key)
        return {**counts, "fulfilment_rate": fulfilment_rate(counts["kept"], counts["broken"])}

    def setting_warnings(self) -> list[str]:
        """The settings' warnings, plus those of accepted but unwise values (contact_hours = livre)."""
        return [*super().setting_warnings(), *settings_mod.warnings(self.stored_settings())]


def _amount(value) -> Decimal:
    from ..core.money import parse_money

    try:
        amount = value if isinstance(value, Decimal) else parse_money(str(value))
    except ValueError as exc:
        raise InputError(f"Valor da promessa inválido: '{cut(value)}' {exc}.") from exc
    if not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT:
        raise InputError(f"Valor da promessa inválido: '{cut(value)}' (use um valor maior que zero).")
    return round_cents(amount)
