"""The agreement's state (acordos): simulate and close for the selected row's customer, the term and ERP file,
the customer's agreements, the results per analyst and the discount policy."""

from __future__ import annotations

from datetime import date, timedelta

from ...core.calendar import parse_date
from ...core.errors import InputError
from ...core.money import parse_money, parse_percent
from .feature import Feature

RESULT_DAYS = 30
TERMS = (("entry", parse_money, "Entrada"), ("first_due", parse_date, "1º vencimento"),
         ("interest_discount", parse_percent, "Desconto de juros"), ("fine_discount", parse_percent, "Desconto de multa"))


def parse_terms(texts: dict) -> dict:
    """The terms typed in the form (entry, first due, discounts), each None when left empty."""
    return {name: _optional(texts.get(name), parse, label) for name, parse, label in TERMS}


def _optional(text, parse, label: str):
    text = str(text or "").strip()
    if not text:
        return None
    try:
        return parse(text)
    except ValueError as exc:
        raise InputError(f"{label} '{text}' {exc}.") from exc


class AgreementState(Feature):
    def customer_id(self) -> int | None:
        row = self.app.selected_row
        return None if row is None else int(row["customer_id"])

    def simulation(self, customer_id: int, count: int, texts: dict):
        """(customer, simulation) of the terms as typed, or the InputError saying why not (a term that does not
        parse, terms the policy refuses, nothing overdue): the section shows it in place."""
        try:
            return self.db.agreements.simulate(customer_id, count, as_of=self.app.as_of, **parse_terms(texts))
        except InputError as exc:
            return exc

    def open(self, customer_id: int, count: int, texts: dict) -> tuple:
        """The simulation (or why not) and the customer's agreements, in one database open."""
        with self.app.unit():
            return self.simulation(customer_id, count, texts), self.existing(customer_id)

    def existing(self, customer_id: int) -> list[dict]:
        return self.db.agreements.list(customer=customer_id, check=False)

    def close(self, customer_id: int, count: int, texts: dict) -> dict:
        """Close the agreement (today only); the caller reloads the list once it has shown it (its rows leave the list)."""
        if self.app.analysis_mode:
            raise InputError("Modo de análise: um acordo só é fechado com a data de hoje (Voltar para hoje).")
        return self.db.agreements.create(customer_id, count, by=self.by, **parse_terms(texts))

    def documents(self, agreement_id: int) -> tuple[bytes, bytes, dict | InputError]:
        """The term PDF, the ERP CSV and the WhatsApp message (or the InputError saying why none), in one open."""
        agreements = self.db.agreements
        with self.app.unit():
            term, erp = agreements.term_pdf(agreement_id), agreements.erp_csv(agreement_id)
            try:
                message = agreements.message(agreement_id, "WhatsApp")
            except InputError as exc:  # opted out, or outside the legal hours: no message
                message = exc
        return term, erp, message

    def results(self) -> tuple[date, date, list[dict]]:
        """Agreements of the last RESULT_DAYS days up to the as-of day, per analyst."""
        until = self.app.as_of or self.db.today()
        since = until - timedelta(days=RESULT_DAYS - 1)
        return since, until, self.db.agreements.results(since, until)

    def policy(self) -> list:
        return self.db.agreements.policy()

    def set_policy(self, bands: list) -> None:
        self.db.agreements.set_policy(bands)
