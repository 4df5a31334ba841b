"""The customer's state: every open receivable of the selected row's customer, its history, one message for
all and one contact on each (one transaction); opening takes the analyst's lease on that customer."""

from __future__ import annotations

from .feature import Feature


class CustomerState(Feature):
    def __init__(self, app):
        super().__init__(app)
        self.customer_id: int | None = None  # the customer whose lease this page holds

    def open(self, customer_id: int) -> dict:
        """Lease `customer_id` (releasing the previous one) and read its view, in one database open."""
        with self.app.unit():
            if self.customer_id not in (None, customer_id):
                self.release()
            self.db.portfolio.take_lease(customer_id, self.by)
            self.customer_id = customer_id
            return self.db.customers.view(customer_id, self.app.as_of)

    def release(self) -> None:
        """Give the lease back (the section was closed or another customer opened)."""
        if self.customer_id is None:
            return
        try:
            self.db.portfolio.release_lease(self.customer_id, self.by)
        finally:
            self.customer_id = None

    def message(self, channel: str):
        """The rendered message (subject, body) for all of the customer's open receivables."""
        return self.db.customers.message(self.customer_id, channel, self.app.as_of, by=self.by)

    def register(self, channel: str, message: str | None, observation: str | None) -> list:
        """One contact on each open receivable of the customer (one transaction); the list reloads."""
        with self.app.unit():
            ids = self.db.customers.register_contact(self.customer_id, channel, message=message,
                                                    observation=observation, by=self.by)
            self.app.reload()
        return ids
