"""Facade: the régua de cobrança — steps (CRUD), what a run needs to plan, and recording what a run did."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd

from ..receivables.filters import MAX_DAYS, Filter
from ..regua import templates as regua_templates
from ..regua.plan import Step
from ..store import regua as records
from ..store import worklist as sql
from .base import clean_text


class ReguaMixin:
    # -- steps ------------------------------------------------------------------------------
    def regua_steps(self) -> list[Step]:
        """The cadence's steps by offset (days relative to the due date)."""
        with self._con() as con:
            return records.steps(con)

    def regua_step(self, name: str) -> Step:
        with self._con() as con:
            return records.find_step(con, name)

    def add_regua_step(self, name: str, days: int, channel: str, subject: str | None = None,
                       body: str | None = None) -> Step:
        """Add a step (unique name and offset); its texts are validated as per-customer templates."""
        step = Step(clean_text(name, "Nome da etapa", multiline=False) or "", days, channel,
                    clean_text(subject, "Assunto", multiline=False), clean_text(body, "Texto")).validated()
        regua_templates.validate(step)
        with self._tx() as con:
            return replace(step, id=records.insert_step(con, step))

    def edit_regua_step(self, name: str, new_name: str | None = None, days: int | None = None,
                        channel: str | None = None, subject: str | None = None, body: str | None = None) -> Step:
        """Change a step; a field left None is kept, an empty subject/body goes back to the default text."""
        with self._tx() as con:
            old = records.find_step(con, name)
            step = Step(
                clean_text(new_name, "Nome da etapa", multiline=False) or old.name if new_name is not None else old.name,
                old.days if days is None else days,
                old.channel if channel is None else channel,
                old.subject if subject is None else clean_text(subject, "Assunto", multiline=False),
                old.body if body is None else clean_text(body, "Texto"),
                id=old.id,
            ).validated()
            regua_templates.validate(step)
            records.update_step(con, step)
        return step

    def delete_regua_step(self, name: str) -> Step:
        """Remove a step; what the log says it did stays."""
        with self._tx() as con:
            step = records.find_step(con, name)
            records.delete_step(con, step.id)
        return step

    # -- planning -------------------------------------------------------------------------
    def regua_candidates(self, as_of: date) -> tuple[list[Step], list[dict], set[tuple[int, int]]]:
        """Steps, the open receivables a step may be due for on `as_of` (worklist rows, paused ones too) and the
        (receivable, step) pairs already done — read in one unit of work."""
        with self._con() as con:
            self.agreements.check_on_read(as_of)  # a broken agreement's originals come back to the régua
            steps = records.steps(con)
            if not steps:
                return steps, [], set()
            flt = Filter(description="Régua", min_days=min(s.days for s in steps), max_days=MAX_DAYS, status="all")
            frame = sql.rows(con, sql.Query(flt, as_of, self.rules()))
            rows = frame.to_dict("records")
            done = records.done_pairs(con, [int(r["receivable_id"]) for r in rows])
        return steps, rows, done

    def regua_receivable(self, document: str, installment: str | None, as_of: date) -> dict:
        """One receivable as the planner sees it (a settled one too, with balance 0)."""
        with self._con():
            rec = self.receivable(document, installment)
            frame = self.worklist_rows([rec["receivable_id"]], as_of)
        if frame.empty:
            return {**rec, "balance": 0, "days_overdue": 0, "customer_id": -1, "customer": ""}
        return frame.iloc[0].to_dict()

    # -- reading what was done --------------------------------------------------------------
    def regua_log(self, since: date, until: date | None = None, limit: int = 1000) -> pd.DataFrame:
        """The step log of [since, until] (default: that day), newest first."""
        with self._con() as con:
            return self._shown(records.log(con, since, until or since, limit))

    def regua_open_tasks(self, until: date) -> pd.DataFrame:
        """Tasks created up to `until` not yet done (no contact registered on the receivable since)."""
        with self._con() as con:
            return self._shown(records.open_tasks(con, until))
