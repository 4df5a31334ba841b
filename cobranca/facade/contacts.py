"""Facade: the contact log — register contacts and comments, cancel the last entry, history."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from ..core.errors import InputError, NotFoundError
from ..core.phones import normalize_mobile
from ..core.text import cut, has_control
from ..receivables.filters import normalise_channel
from ..store import contacts as records
from .base import clean_text

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


class ContactsMixin:
    def register_contact(self, document: str, installment: str | None = None, channel: str = "WhatsApp",
                         to: str | None = None, message: str | None = None, observation: str | None = None,
                         by: str | None = None, at: datetime | None = None) -> int:
        """Log one contact with the customer about a receivable; returns its id."""
        return self.register_contacts([(document, installment)], channel, to=to, message=message,
                                      observation=observation, by=by, at=at)[0]

    def register_contacts(self, keys: list[tuple[str, str | None]], channel: str, to: str | None = None,
                          message: str | None = None, observation: str | None = None, by: str | None = None,
                          at: datetime | None = None) -> list[int]:
        """Log the same contact on several receivables in one transaction (all or none); returns the ids."""
        channel = normalise_channel(channel)
        _refuse_controls(to)
        fields = (channel, self._who(by), _destination(channel, clean_text(to, "Destino")),
                  clean_text(message, "Mensagem"), clean_text(observation, "Observação"), self._stamp(at))
        with self._tx() as con:
            found = [self.receivable(document, installment) for document, installment in keys]
            return [records.add(con, rec["receivable_id"], rec["document"], rec["installment"], *fields)
                    for rec in found]

    def register_comment(self, document: str, text: str, installment: str | None = None,
                         by: str | None = None, at: datetime | None = None) -> int:
        """Log a comment (an entry with channel Nenhum and the text as its observation)."""
        comment = clean_text(text, "Comentário")
        if not comment:
            raise InputError("Digite o comentário antes de registrar.")
        return self.register_contact(document, installment, records.COMMENT_CHANNEL, observation=comment,
                                     by=by, at=at)

    def add_contacts(self, entries: pd.DataFrame) -> int:
        """Append many entries (document, installment, channel, responsible, destination, message, observation,
        created_at, naive = company time) in one transaction: history brought from elsewhere, demo data, benchmarks."""
        entries = entries.assign(created_at=self._stamps(entries["created_at"]))
        with self._tx() as con:
            return records.add_many(con, entries)

    def last_entry(self, document: str, installment: str | None = None) -> dict | None:
        """The entry "Cancelar último" would cancel (id, channel, created_at, observation), or None."""
        with self._con() as con:
            entry = records.last_entry(con, self.receivable(document, installment)["receivable_id"])
        return None if entry is None else {**entry, "created_at": self._shown_value(entry["created_at"])}

    def cancel_last_contact(self, document: str, installment: str | None = None, by: str | None = None) -> dict:
        """Mark the newest entry of the receivable as cancelled (kept, but hidden from history)."""
        with self._tx() as con:
            rec = self.receivable(document, installment)
            entry = records.last_entry(con, rec["receivable_id"])
            if entry is None:
                raise NotFoundError(
                    f"Não há contato a cancelar para o documento '{rec['document']}', parcela '{rec['installment']}'."
                )
            records.cancel(con, entry["id"], self._who(by), self._stamp())
        return {**entry, "created_at": self._shown_value(entry["created_at"])}

    def history(self, document: str, installment: str | None = None, include_cancelled: bool = False) -> pd.DataFrame:
        """Entries of one receivable, newest first."""
        with self._con() as con:
            rec = self.receivable(document, installment)
            return records.history(con, [rec["receivable_id"]], include_cancelled)

    def histories(self, receivable_ids: list[int], include_cancelled: bool = False) -> pd.DataFrame:
        """Entries of many receivables at once, newest first (for reports)."""
        with self._con() as con:
            return self._shown(records.history(con, receivable_ids, include_cancelled))

    def contacts_per_day(self, since: date, until: date) -> pd.DataFrame:
        with self._con() as con:
            return records.per_day(con, since, until, self.company_tz().key)

    def contacted_on(self, day: date, channel: str | None = None) -> set[tuple[str, str]]:
        """(document, installment) pairs with a contact on `day` (optionally on one channel)."""
        with self._con() as con:
            return records.contacted_on(con, *self._day_bounds(day), channel)
