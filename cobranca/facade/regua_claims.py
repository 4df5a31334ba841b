"""Facade: the régua's exactly-once machinery — the run lock, claiming a message's steps after re-checking the
customer, and settling the claim once the SMTP server has answered (see store/regua_claims.py)."""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, datetime

from ..regua.plan import CLAIMED, Item, Skipped, Step, recheck, task_channel
from ..store import regua_claims as claims
from ..store import run_lock
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


class ReguaClaimsMixin:
    def regua_run_lock(self, wait_seconds: float = run_lock.DEFAULT_WAIT_SECONDS) -> AbstractContextManager[None]:
        """Held for a whole sending run: a second run waits `wait_seconds`, then raises RunBusyError."""
        return self.store.run_lock("regua").held(wait_seconds)

    def regua_mark_uncertain(self, moment: datetime) -> list[dict]:
        """Claims a dead run left 'sending' become 'envio incerto' (call with the run lock held)."""
        with self._tx() as con:
            return claims.mark_uncertain(con, self._stamp(moment))

    def regua_uncertain(self) -> list[dict]:
        """Every 'envio incerto' entry, for the analyst to check with the customer."""
        with self._con() as con:
            return claims.uncertain(con)

    def regua_claim(self, item: Item, as_of: date, moment: datetime) -> Claim:
        """In one short transaction: legal hours, then each receivable's balance, promise, dispute and opt-out read
        again, then the steps still due claimed ('envio em andamento'). The message is written from `Claim.rows`."""
        with self._tx() as con:
            refusal = self.contact_hours().refusal(moment)
            if refusal:
                return Claim(refusal=refusal)
            ids = [int(r["receivable_id"]) for r in item.rows]
            frame = sql.rows(con, sql.Query(sql.EVERYTHING, as_of, self.rules(), ids))
            keep, skipped = recheck(item, {int(r["receivable_id"]): r for r in frame.to_dict("records")})
            taken = claims.claim(con, [(int(r["receivable_id"]), s) for r, s in keep], as_of, self._stamp(moment))
        claim = Claim(skipped=skipped)
        for row, step in keep:
            if int(row["receivable_id"]) in taken:
                claim.rows.append(row)
                claim.steps.append(step)
            else:
                claim.skipped.append(Skipped(row, step, CLAIMED))
        return claim

    def regua_settle_sent(self, claim: Claim, to: str, message: str, by: str | None, moment: datetime) -> list[int]:
        """The SMTP server accepted the message: a contact per receivable and the claims 'sent', in one transaction."""
        text = clean_text(message, "Mensagem")
        with self._tx() as con:
            return claims.settle_sent(con, claim.rows, claim.steps, self._who(by), to, text, self._stamp(moment))

    def regua_settle_failed(self, claim: Claim, detail: str, moment: datetime) -> None:
        """Not delivered, may work later: the claims become 'failed' (the next run tries again)."""
        with self._tx() as con:
            claims.settle_failed(con, claim.pairs, detail, self._stamp(moment))

    def regua_settle_refused(self, claim: Claim, detail: str, moment: datetime) -> None:
        """Refused for good (5xx): each claim becomes a task for the analyst (WhatsApp or Telefone)."""
        entries = [(int(r["receivable_id"]), s, task_channel(r)[0]) for r, s in zip(claim.rows, claim.steps, strict=True)]
        with self._tx() as con:
            claims.settle_task(con, entries, detail, self._stamp(moment))

    def regua_record_tasks(self, items: list[Item], as_of: date, at: datetime) -> int:
        """Tasks for the analyst (one log entry per receivable) in one transaction; a pair already done is not
        added twice. Returns how many entries were created."""
        entries = [(r["receivable_id"], step, item.channel, item.note or None)
                   for item in items for r, step in zip(item.rows, item.steps, strict=True)]
        with self._tx() as con:
            return claims.add_tasks(con, entries, as_of, self._stamp(at))
