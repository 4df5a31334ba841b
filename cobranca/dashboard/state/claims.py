"""Claims in the dashboard: "Próximo cliente" and the contact form serve a customer alone ("em atendimento por X").

The page holds at most one claim (the customer whose contact form is open); it is given back when the analyst
registers the contact, closes the form or takes the next customer (store/lease_claims.py makes it exclusive).
While the page holds it, the claim is renewed every RENEW_SECONDS on the kernel's event loop, so a long call does
not hand the customer to another analyst; a renewal another analyst got ahead of says so (`on_lost`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pandas as pd

from ...core.errors import InputError
from .feature import Feature

NOBODY_LEFT = "Nenhum cliente livre neste filtro."
NO_NAME = "Informe seu nome (campo “Responsável”, no alto da página) antes de pegar o próximo cliente."
RENEW_SECONDS = 120  # well inside the 5-minute lease (facade/portfolio.py LEASE_MINUTES), even if a renewal is late
LOST = "O atendimento deste cliente passou para {who}: o formulário ficou aberto mais tempo do que a reserva durou."


def kernel_timer(seconds: float, callback: Callable[[], None]):
    """Run `callback` after `seconds` on the running event loop (the kernel's: between widget messages, never
    beside one); None where no loop runs (a script), where the claim then just lasts its lease."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return None
    return loop.call_later(seconds, callback)


def candidates(shown: pd.DataFrame) -> list[int]:
    """Customer ids of the list in its order (most overdue first), without those already contacted today."""
    if shown.empty:
        return []
    contacted = shown.groupby("customer_id", sort=False)["contacted_today"].transform(
        lambda flags: flags.fillna(False).astype(bool).any())
    return list(dict.fromkeys(int(c) for c in shown.loc[~contacted, "customer_id"]))


class ClaimState(Feature):
    def __init__(self, app, timer: Callable = kernel_timer):
        super().__init__(app)
        self.held: int | None = None  # the customer this page claimed
        self.on_lost: list[Callable[[str], None]] = []  # told when a renewal finds another analyst serving it
        self.timer = timer  # schedules the renewals (tests pass their own)
        self._renewal = None  # the pending renewal's handle (cancel())

    def next_customer(self) -> dict | None:
        """Claim the next free customer of the list and select its first row, in one unit of work; the row, or
        None when every customer is served by someone or contacted today."""
        app = self.app
        blocked = app.contact.sending_blocked()
        if blocked:
            raise InputError(blocked)
        if not app.responsible.strip():
            raise InputError(NO_NAME)
        with app.unit():
            found = self.db.portfolio.claim_next(analyst=app.responsible, among=candidates(app.shown),
                                                 skip_contacted_today=True)
            if found is None:
                return None
            self._hold(found["customer_id"])
            app.select(_first_row(app.shown, found["customer_id"]))
        return app.selected_row

    def take_selected(self) -> str | None:
        """Claim the selected row's customer for the contact form; the pt-BR refusal when another analyst
        serves it ("Em atendimento por Ana até …"), else None."""
        customer_id = int(self.app.require_selection()["customer_id"])
        with self.app.unit():
            claim = self.db.portfolio.claim(customer_id, self.by)
            if not claim["claimed"]:
                return claim["message"]
            self._hold(customer_id)
        return None

    def release(self, customer_id: int | None = None) -> None:
        """Give the claim back (contact registered, form closed); nothing when the page holds none, or holds
        another customer than `customer_id`."""
        if self.held is None or customer_id not in (None, self.held):
            return
        self._stop_renewing()
        try:
            self.db.portfolio.release_lease(self.held, self.by)
        finally:
            self.held = None

    def renew(self) -> str | None:
        """Extend the held claim by a whole lease; the pt-BR notice when another analyst took the customer after
        it expired (the page then holds nothing), else None."""
        self._renewal = None
        if self.held is None:
            return None
        claim = self.db.portfolio.claim(self.held, self.by)
        if not claim["claimed"]:
            self.held = None
            return LOST.format(who=claim["analyst"])
        self._renew_later()
        return None

    def _hold(self, customer_id: int) -> None:
        if self.held not in (None, customer_id):
            self.release()  # one customer at a time: the previous one is free for the others again
        self.held = customer_id
        self._renew_later()

    def _renew_later(self) -> None:
        self._stop_renewing()
        self._renewal = self.timer(RENEW_SECONDS, self._on_timer)

    def _stop_renewing(self) -> None:
        if self._renewal is not None:
            self._renewal.cancel()
            self._renewal = None

    def _on_timer(self) -> None:
        try:
            lost = self.renew()
        except Exception:  # a database gone for a moment: the claim still lasts its lease; try again later
            self._renew_later()
            return
        if lost:
            for tell in self.on_lost:
                tell(lost)


def _first_row(shown: pd.DataFrame, customer_id: int) -> int:
    return int(shown.index[shown["customer_id"] == customer_id][0])
