"""Facade: the contact log — register contacts and comments (the policy checked first), cancel the last entry,
and a receivable's history (contacts with its promises, disputes and do-not-contact requests)."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from ..contacting.guard import is_message_channel
from ..core.errors import InputError, NotFoundError
from ..core.phones import normalize_mobile
from ..core.text import cut, has_control
from ..promises.history_events import KIND_LABELS, describe
from ..receivables.filters import normalise_channel
from ..store import contacts as records
from ..store import promises as event_records
from .base import clean_text, valid_unicode

_PHONE_CHANNELS = ("WhatsApp", "SMS", "Telefone")


def _destination(channel: str, to: str | None) -> str | None:
    """A phone as E.164 when it is a valid number, so history shows it the same way from every screen."""
    if to and channel in _PHONE_CHANNELS:
        check = normalize_mobile(to)
        if check.e164:
            return check.e164
    return to


def _refuse_controls(to: str | None) -> None:
    """A destination is one address or number: a line break (header injection) or control character is refused."""
    if to is not None and has_control(str(to)):
        raise InputError(f"O destino '{cut(to)}' contém quebra de linha ou caractere de controle. Informe um único "
                         "e-mail ou telefone, sem quebras de linha.")


class Contacts:
    """`db.contacts`: register, register_one, comment, add_many, history, histories, last_entry, cancel_last,
    per_day, contacted_on."""

    def __init__(self, db):
        self.db = db

    def register(self, keys: list[tuple[str, str | None]], channel: str, to: str | None = None,
                 message: str | None = None, observation: str | None = None, by: str | None = None,
                 at: datetime | None = None) -> list[int]:
        """Log the same contact on several receivables in one transaction (all or none); returns the ids.

        WhatsApp, SMS and e-mail to a customer who opted out are refused (`db.policy.check`).
        """
        channel = normalise_channel(channel)
        _refuse_controls(to)
        fields = (channel, self.db._who(by), _destination(channel, clean_text(to, "Destino")),
                  clean_text(message, "Mensagem"), clean_text(observation, "Observação"), self.db._stamp(at))
        # one key: its one INSERT, the opt-out judged inside it, commits by itself (no BEGIN/COMMIT round trips);
        # nothing inserted: the path below finds the receivable and says why. Several keys: one transaction.
        if len(keys) == 1 and keys[0][1] is not None:
            new_id = self._add_by_key(*keys[0], fields, unless_opted_out=is_message_channel(channel))
            if new_id is not None:
                return [new_id]
        with self.db._tx() if len(keys) > 1 else self.db._con() as con:
            found = [self.db.receivables.find(document, installment) for document, installment in keys]
            if is_message_channel(channel):
                for rec in found:
                    self.db.policy.check_customer(rec["customer_id"], rec["customer"], channel, check_hours=False)
            return [records.add(con, rec["receivable_id"], rec["document"], rec["installment"], *fields)
                    for rec in found]

    def _add_by_key(self, document: str, installment: str, fields: tuple, unless_opted_out: bool) -> int | None:
        """The receivable found, and its customer's opt-out read, by the INSERT itself (None: not found or opted
        out; `find` and `policy.check_customer` then say which)."""
        document = valid_unicode(str(document).strip(), "Documento")
        installment = valid_unicode(str(installment).strip(), "Parcela")
        with self.db._con() as con:
            return records.add_by_key(con, document, installment, *fields, unless_opted_out=unless_opted_out)

    def register_one(self, document: str, installment: str | None = None, channel: str = "WhatsApp",
                     to: str | None = None, message: str | None = None, observation: str | None = None,
                     by: str | None = None, at: datetime | None = None) -> int:
        """Log one contact with the customer about a receivable; returns its id."""
        return self.register([(document, installment)], channel, to=to, message=message,
                             observation=observation, by=by, at=at)[0]

    def comment(self, document: str, text: str, installment: str | None = None,
                by: str | None = None, at: datetime | None = None) -> int:
        """Log a comment (an entry with channel Nenhum and the text as its observation)."""
        comment = clean_text(text, "Comentário")
        if not comment:
            raise InputError("Digite o comentário antes de registrar.")
        return self.register_one(document, installment, records.COMMENT_CHANNEL, observation=comment, by=by, at=at)

    def add_many(self, entries: pd.DataFrame) -> int:
        """Append many entries (document, installment, channel, responsible, destination, message, observation,
        created_at, naive = company time) in one transaction: history brought from elsewhere, demo data, benchmarks."""
        entries = entries.assign(created_at=self.db._stamps(entries["created_at"]))
        with self.db._tx() as con:
            return records.add_many(con, entries)

    # -- history and "Cancelar último" --------------------------------------------------------
    def history(self, document: str, installment: str | None = None, include_cancelled: bool = False) -> pd.DataFrame:
        """Contacts, comments, promises, disputes and do-not-contact requests of one receivable, newest first."""
        with self.db._con():
            rec = self.db.receivables.find(document, installment)
            return self.histories([rec["receivable_id"]], include_cancelled)

    def histories(self, receivable_ids: list[int], include_cancelled: bool = False) -> pd.DataFrame:
        """Entries of many receivables, newest first; `kind` says contact or which event, `channel` its label."""
        with self.db._con() as con:
            contacts = self.db._shown(records.history(con, receivable_ids, include_cancelled))
            events = self.db._shown(event_records.history(con, receivable_ids, include_cancelled))
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
        with self.db._con() as con:
            entry = _newest_entry(con, self.db.receivables.find(document, installment)["receivable_id"])
        return None if entry is None else {**entry, "created_at": self.db._shown_value(entry["created_at"])}

    def cancel_last(self, document: str, installment: str | None = None, by: str | None = None) -> dict:
        """Cancel the newest entry of the receivable, contact or event (kept, marked cancelled)."""
        with self.db._tx() as con:
            rec = self.db.receivables.find(document, installment)
            newest = _newest_entry(con, rec["receivable_id"])
            if newest is None:
                raise NotFoundError(
                    f"Não há contato a cancelar para o documento '{rec['document']}', parcela '{rec['installment']}'."
                )
            if newest["kind"] == "contact":
                records.cancel(con, newest["id"], self.db._who(by), self.db._stamp())
                return {**newest, "created_at": self.db._shown_value(newest["created_at"])}
            event_records.cancel_event(con, newest["table"], newest["id"], self.db._who(by), self.db._stamp())
        return {**newest, "created_at": self.db._shown_value(newest["created_at"]),
                "channel": KIND_LABELS[newest["kind"]], "observation": None}

    # -- counts -------------------------------------------------------------------------------
    def per_day(self, since: date, until: date) -> pd.DataFrame:
        """Contacts per company day in [since, until] (for the chart)."""
        with self.db._con() as con:
            return records.per_day(con, since, until, self.db.company_tz().key)

    def contacted_on(self, day: date, channel: str | None = None) -> set[tuple[str, str]]:
        """(document, installment) pairs with a contact on `day` (optionally on one channel)."""
        with self.db._con() as con:
            return records.contacted_on(con, *self.db._day_bounds(day), channel)


def _newest_entry(con, receivable_id: int) -> dict | None:
    """The later of the newest contact and the newest event (a contact wins a tie)."""
    event = event_records.last_event(con, receivable_id)
    contact = records.last_entry(con, receivable_id)  # last: its result is read with fetchone
    if contact is not None:
        contact = {**contact, "kind": "contact"}
    if event is None or (contact is not None and contact["created_at"] >= event["created_at"]):
        return contact
    return event
