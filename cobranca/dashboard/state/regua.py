"""The régua's state: its steps (add, edit, delete), the preview for the selected row, today's plan, the log."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd

from .feature import Feature

LOG_DAYS = 7
LOG_LIMIT = 200


class ReguaState(Feature):
    def steps(self) -> list:
        return self.db.regua.steps()

    def step(self, name: str):
        return self.db.regua.step(name)

    def save_step(self, current: str | None, name: str, days: int, channel: str, subject: str, body: str):
        """Add a step (`current` None) or change the step named `current`; the subject is kept for e-mail only."""
        subject = subject if channel == "E-mail" else ""
        if current is None:
            return self.db.regua.add_step(name, days, channel, subject or None, body or None)
        return self.db.regua.edit_step(current, name, days, channel, subject, body)

    def delete_step(self, name: str):
        return self.db.regua.delete_step(name)

    def log(self) -> pd.DataFrame:
        """What the régua did over the LOG_DAYS days up to the as-of day (newest first, at most LOG_LIMIT)."""
        as_of = self.app.as_of
        return self.db.regua.log(as_of - timedelta(days=LOG_DAYS - 1), as_of, limit=LOG_LIMIT)

    def now(self) -> datetime:
        """The as-of day at the company's current time of day (the régua's moment)."""
        clock = self.db.now()
        return datetime.combine(self.app.as_of, clock.time().replace(microsecond=0))

    def preview(self):
        """(status, message or None) the régua would send today for the selected row."""
        from ...workflows.regua_run import preview

        row = self.app.require_selection()
        return preview(self.db, row["document"], row["installment"], self.now(), self.app.responsible)

    def plan(self):
        """Today's plan (nothing sent): e-mails, tasks, skipped rows."""
        from ...workflows.regua_run import plan

        return plan(self.db, self.now(), self.app.responsible)
