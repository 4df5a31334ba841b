"""Facade: the régua de cobrança — steps (CRUD), what a run needs to plan, recording what a run did, and its
exactly-once machinery: the run lock, claiming a message's steps after re-checking the customer, and settling
the claim once the SMTP server has answered (see store/regua_claims.py)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from datetime import date, datetime

import pandas as pd

from .. import settings as settings_mod
from ..receivables.filters import MAX_DAYS, Filter
from ..regua import templates as regua_templates
from ..regua.plan import CLAIMED, Item, Skipped, Step, recheck, task_channel
from ..store import named_rows, run_lock
from ..store import regua as records
from ..store import regua_claims as claims
from ..store import worklist as sql
from .base import clean_text


@dataclass
class Claim:
    """What a run may send now for one item: the current rows and their steps (claimed), the rest skipped."""

    rows: list[dict] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    refusal: str | None = None  # the legal window closed: nothing claimed

    @property
    def pairs(self) -> list[tuple[int, Step]]:
        return [(int(r["receivable_id"]), s) for r, s in zip(self.rows, self.steps, strict=True)]


class Regua:
    """`db.regua`: steps, step, add_step, edit_step, delete_step, candidates, receivable, log, open_tasks,
    run_lock, mark_uncertain, uncertain, claim, settle_sent, settle_failed, settle_refused, record_tasks."""

    def __init__(self, db):
        self.db = db

    # -- steps ------------------------------------------------------------------------------
    def steps(self) -> list[Step]:
        """The cadence's steps by offset (days relative to the due date)."""
        with self.db._con() as con:
            return records.steps(con)

    def step(self, name: str) -> Step:
        """The step called `name`."""
        with self.db._con() as con:
            return records.find_step(con, name)

    def add_step(self, name: str, days: int, channel: str, subject: str | None = None,
                       body: str | None = None) -> Step:
        """Add a step (unique name and offset); its texts are validated as per-customer templates."""
        step = Step(clean_text(name, "Nome da etapa", multiline=False) or "", days, channel,
                    clean_text(subject, "Assunto", multiline=False), clean_text(body, "Texto")).validated()
        regua_templates.validate(step)
        with self.db._tx() as con:
            return replace(step, id=records.insert_step(con, step))

    def edit_step(self, name: str, new_name: str | None = None, days: int | None = None,
                        channel: str | None = None, subject: str | None = None, body: str | None = None) -> Step:
        """Change a step; a field left None is kept, an empty subject/body goes back to the default text."""
        with self.db._tx() as con:
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

    def delete_step(self, name: str) -> Step:
        """Remove a step; what the log says it did stays."""
        with self.db._tx() as con:
            step = records.find_step(con, name)
            records.delete_step(con, step.id)
        return step

    # -- planning -------------------------------------------------------------------------
    def candidates(self, as_of: date) -> tuple[list[Step], list[dict], set[tuple[int, int]]]:
        """Steps, the open receivables a step may be due for on `as_of` (worklist rows, paused ones too) and the
        (receivable, step) pairs already done — read in one unit of work."""
        with self.db._con() as con:
            self.db.agreements.check_on_read(as_of)  # a broken agreement's originals come back to the régua
            steps = records.steps(con)
            if not steps:
                return steps, [], set()
            flt = Filter(description="Régua", min_days=min(s.days for s in steps), max_days=MAX_DAYS, status="all")
            frame = sql.rows(con, sql.Query(flt, as_of, self.db.settings.rules()))
            rows = frame.to_dict("records")
            done = records.done_pairs(con, [int(r["receivable_id"]) for r in rows])
        return steps, rows, done

    def receivable(self, document: str, installment: str | None, as_of: date) -> dict:
        """One receivable as the planner sees it (a settled one too, with balance 0)."""
        with self.db._con():
            rec = self.db.receivables.find(document, installment)
            frame = self.db.worklists.of_receivables([rec["receivable_id"]], as_of)
        if frame.empty:
            return {**rec, "balance": 0, "days_overdue": 0, "customer_id": -1, "customer": ""}
        return frame.iloc[0].to_dict()

    # -- reading what was done --------------------------------------------------------------
    def log(self, since: date, until: date | None = None, limit: int = 1000) -> pd.DataFrame:
        """The step log of [since, until] (default: that day), newest first."""
        with self.db._con() as con:
            return self.db._shown(records.log(con, since, until or since, limit))

    def open_tasks(self, until: date) -> pd.DataFrame:
        """Tasks created up to `until` not yet done (no contact registered on the receivable since)."""
        with self.db._con() as con:
            return self.db._shown(records.open_tasks(con, until))

    # -- exactly once ----------------------------------------------------------------------
    def run_lock(self, wait_seconds: float = run_lock.DEFAULT_WAIT_SECONDS) -> AbstractContextManager[None]:
        """Held for a whole sending run: a second run waits `wait_seconds`, then raises RunBusyError."""
        return self.db.store.run_lock("regua").held(wait_seconds)

    def mark_uncertain(self, moment: datetime) -> list[dict]:
        """Claims a dead run left 'sending' become 'envio incerto' (call with the run lock held)."""
        with self.db._tx() as con:
            return claims.mark_uncertain(con, self.db._stamp(moment))

    def uncertain(self) -> list[dict]:
        """Every 'envio incerto' entry, for the analyst to check with the customer."""
        with self.db._con() as con:
            return claims.uncertain(con)

    def claim(self, item: Item, as_of: date, moment: datetime, before: Callable[[], object] | None = None) -> Claim:
        """In one short transaction: legal hours, then each receivable's balance, promise, dispute and opt-out read
        again, then the steps still due claimed ('envio em andamento'). The message is written from `Claim.rows`.

        `before`: a write joined to the same transaction, run first (a run records the previous message's result
        there: one commit per e-mail). The settings (hours, charge rules) are read once, in the transaction.
        """
        with self.db._tx() as con:
            if before is not None:
                before()
            stored = self.db.settings.stored()
            refusal = self.db.policy.hours(stored).refusal(moment)
            if refusal:
                return Claim(refusal=refusal)
            ids = [int(r["receivable_id"]) for r in item.rows]
            rules = settings_mod.charge_rules_from(stored)
            fresh = named_rows.records(con, sql.Query(sql.EVERYTHING, as_of, rules, ids))
            keep, skipped = recheck(item, {int(r["receivable_id"]): r for r in fresh})
            taken = claims.claim(con, [(int(r["receivable_id"]), s) for r, s in keep], as_of, self.db._stamp(moment))
        claim = Claim(skipped=skipped)
        for row, step in keep:
            if int(row["receivable_id"]) in taken:
                claim.rows.append(row)
                claim.steps.append(step)
            else:
                claim.skipped.append(Skipped(row, step, CLAIMED))
        return claim

    def settle_sent(self, claim: Claim, to: str, message: str, by: str | None, moment: datetime) -> list[int]:
        """The SMTP server accepted the message: a contact per receivable and the claims 'sent', in one transaction."""
        text = clean_text(message, "Mensagem")
        with self.db._tx() as con:
            return claims.settle_sent(con, claim.rows, claim.steps, self.db._who(by), to, text, self.db._stamp(moment))

    def settle_failed(self, claim: Claim, detail: str, moment: datetime) -> None:
        """Not delivered, may work later: the claims become 'failed' (the next run tries again)."""
        with self.db._tx() as con:
            claims.settle_failed(con, claim.pairs, detail, self.db._stamp(moment))

    def settle_refused(self, claim: Claim, detail: str, moment: datetime) -> None:
        """Refused for good (5xx): each claim becomes a task for the analyst (WhatsApp or Telefone)."""
        entries = [(int(r["receivable_id"]), s, task_channel(r)[0]) for r, s in zip(claim.rows, claim.steps, strict=True)]
        with self.db._tx() as con:
            claims.settle_task(con, entries, detail, self.db._stamp(moment))

    def record_tasks(self, items: list[Item], as_of: date, at: datetime) -> int:
        """Tasks for the analyst (one log entry per receivable) in one transaction; a pair already done is not
        added twice. Returns how many entries were created."""
        entries = [(r["receivable_id"], step, item.channel, item.note or None)
                   for item in items for r, step in zip(item.rows, item.steps, strict=True)]
        with self.db._tx() as con:
            return claims.add_tasks(con, entries, as_of, self.db._stamp(at))
