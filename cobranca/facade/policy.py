"""Facade: the contact policy — legal contact hours and customers who asked not to be messaged (opt-out)."""

from __future__ import annotations

from datetime import datetime

from .. import settings as settings_mod
from ..contacting.guard import ContactBlockedError, check_message, is_message_channel
from ..contacting.hours import ContactHours
from ..core.errors import InputError
from ..promises.history_events import OPT_IN, OPT_OUT
from ..receivables.filters import normalise_channel
from ..store import promises as records
from .base import clean_text


class Policy:
    """`db.policy`: hours, check_hours, do_not_contact, check, check_customer, opt_out, opt_in."""

    def __init__(self, db):
        self.db = db

    def hours(self, stored: dict[str, str] | None = None) -> ContactHours:
        """The legal contact window of the settings contact_hours and timezone (of `stored`, when already read)."""
        return settings_mod.contact_hours_from(self.db.settings.stored() if stored is None else stored)

    def check_hours(self, at: datetime | None = None) -> None:
        """ContactBlockedError with the next allowed moment when messages may not go out now (or at `at`)."""
        refusal = self.hours().refusal(at or self.db.now())
        if refusal:
            raise ContactBlockedError(refusal)

    def do_not_contact(self, customer_id: int) -> tuple[bool, str | None]:
        """(opted out?, reason) of a customer."""
        with self.db._con() as con:
            return records.opt_out_state(con, int(customer_id))

    def check(self, receivable: dict, channel: str, check_hours: bool = True, at: datetime | None = None) -> None:
        """ContactBlockedError (pt-BR) when a WhatsApp/SMS/e-mail about `receivable` may not go out now.

        `receivable` is a dict with receivable_id (a worklist row or `db.receivables.find()`); other channels
        always pass.
        """
        channel = normalise_channel(channel)
        if not is_message_channel(channel):
            return
        with self.db._con() as con:
            customer = records.customer_of_receivable(con, int(receivable["receivable_id"]))
        self.check_customer(customer["id"], customer["name"], channel, check_hours, at)

    def check_customer(self, customer_id: int, name: str, channel: str, check_hours: bool = True,
                       at: datetime | None = None) -> None:
        """`check` for a customer already read (id and name) in the caller's unit of work: its opt-out read now."""
        channel = normalise_channel(channel)
        if not is_message_channel(channel):
            return
        with self.db._con() as con:
            opted_out, reason = records.opt_out_state(con, int(customer_id))
        hours = self.hours() if check_hours else None
        check_message(channel, name, opted_out, reason, hours, at)

    def opt_out(self, customer: str | int, reason: str | None = None, by: str | None = None,
                at: datetime | None = None) -> dict:
        """The customer asked not to be messaged: WhatsApp, SMS and e-mail are refused from now on."""
        reason = clean_text(reason, "Motivo")
        if not reason:
            raise InputError("Informe o motivo do pedido de não contatar.")
        with self.db._tx() as con:
            found = self.db.customers.find(customer)
            if records.opt_out_state(con, found["id"])[0]:
                raise InputError(f"O cliente {found['name']} já está marcado para não contatar.")
            records.add_customer_event(con, found["id"], OPT_OUT, self.db._who(by), self.db._stamp(at), reason)
        return found

    def opt_in(self, customer: str | int, note: str | None = None, by: str | None = None,
               at: datetime | None = None) -> dict:
        """Undo an opt-out: the customer may be messaged again."""
        note = clean_text(note, "Observação")
        with self.db._tx() as con:
            found = self.db.customers.find(customer)
            if not records.opt_out_state(con, found["id"])[0]:
                raise InputError(f"O cliente {found['name']} não está marcado para não contatar.")
            records.add_customer_event(con, found["id"], OPT_IN, self.db._who(by), self.db._stamp(at), note)
        return found
