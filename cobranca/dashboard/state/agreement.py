"""The agreement's state (acordos): simulate and close for the selected row's customer, the term and ERP file,
the customer's agreements, the results per analyst and the discount policy."""

from __future__ import annotations

from datetime import date, timedelta

from ...core.errors import InputError
from .feature import Feature

RESULT_DAYS = 30


class AgreementState(Feature):
    def customer_id(self) -> int | None:
        row = self.app.selected_row
        return None if row is None else int(row["customer_id"])

    def simulate(self, customer_id: int, count: int, terms: dict):
        """(customer, simulation); an InputError when the policy refuses the terms or nothing is overdue."""
        return self.db.agreements.simulate(customer_id, count, as_of=self.app.as_of, **terms)

    def open(self, customer_id: int, count: int, terms: dict) -> tuple:
        """The simulation (or the InputError refusing it) and the customer's agreements, in one database open."""
        with self.app.unit():
            try:
                simulation = self.simulate(customer_id, count, terms)
            except InputError as exc:
                simulation = exc
            return simulation, self.existing(customer_id)

    def existing(self, customer_id: int) -> list[dict]:
        return self.db.agreements.list(customer=customer_id, check=False)

    def close(self, customer_id: int, count: int, terms: dict) -> dict:
        """Close the agreement (today only); the caller reloads the list once it has shown it (its rows leave the list)."""
        if self.app.analysis_mode:
            raise InputError("Modo de análise: um acordo só é fechado com a data de hoje (Voltar para hoje).")
        return self.db.agreements.create(customer_id, count, by=self.by, **terms)

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
