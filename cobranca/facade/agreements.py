"""Facade: agreements (acordos) as one attribute, `db.agreements` — simulate, create, list, show, cancel, check."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from ..acordos import breaking, policy
from ..acordos.policy import Band
from ..acordos.simulation import Debt, Offer, Simulation, simulate
from ..core.errors import InputError, NotFoundError
from ..core.formatting import brl, day
from ..pix import charge as pix_charge
from ..store import agreements as records
from ..store import portfolio as portfolio_records
from .base import clean_text

GRACE_SETTING = "agreement_grace_days"


class Agreements:
    """Every agreement operation; `db` is the `Cobranca` facade (one database open per call or session)."""

    def __init__(self, db):
        self.db = db

    # -- policy ------------------------------------------------------------------------------------
    def policy(self) -> list[Band]:
        """The discount policy: bands of days overdue and the discounts they allow."""
        with self.db._con() as con:
            return records.policy(con)

    def set_policy(self, bands: Sequence[Band]) -> list[Band]:
        """Replace the whole policy (validated: bands cover 0..36500 days once)."""
        checked = policy.validate(bands)
        with self.db._tx() as con:
            records.replace_policy(con, checked)
        return list(checked)

    # -- simulation ----------------------------------------------------------------------------------
    def debts(self, customer: str | int, documents: Sequence[tuple[str, str | None]] | None = None,
              as_of: date | None = None) -> tuple[dict, list[Debt], list[dict]]:
        """(customer, its debts, their worklist rows): every overdue receivable not paused, or the `documents`
        named (document, installment) — the worklist's own figures on `as_of`, to the cent."""
        with self.db._con() as con:
            found = self.db.customers.find(customer)
            ids = portfolio_records.receivable_ids_of_customer(con, found["id"], open_only=True)
            ours = set(records.installment_receivables(con))
            rows = self.db.worklists.of_receivables(ids or [-1], as_of).to_dict("records")
            if documents:
                rows = _named(rows, documents, found)
            else:
                rows = [r for r in rows if r["days_overdue"] >= 1 and r["status"] not in ("disputed", "agreement")
                        and r["receivable_id"] not in ours]
            _refuse_paused(rows)
            taken = records.in_active_agreement(con, [r["receivable_id"] for r in rows])
        if taken:
            docs = ", ".join(f"{r['document']}/{r['installment']}" for r in rows if r["receivable_id"] in taken)
            raise InputError(f"Já estão em um acordo ativo: {docs}. Cancele esse acordo antes (cobranca acordo cancelar).")
        if not rows:
            raise InputError(f"O cliente {found['name']} não tem contas vencidas para um acordo.")
        debts = [Debt(int(r["receivable_id"]), str(r["document"]), str(r["installment"]), r["due_date"],
                      int(r["days_overdue"]), r["balance"], r["fine"], r["interest"]) for r in rows]
        return found, debts, rows

    def simulate(self, customer: str | int, installments: int, entry: Decimal | None = None,
                 first_due: date | None = None, documents: Sequence[tuple[str, str | None]] | None = None,
                 interest_discount: Decimal | None = None, fine_discount: Decimal | None = None,
                 entry_due: date | None = None, as_of: date | None = None) -> tuple[dict, Simulation]:
        """(customer, the agreement these terms would make) on `as_of` (default today); nothing is stored."""
        day_ = as_of or self.db.today()
        offer = Offer(int(installments), entry, entry_due, first_due, interest_discount, fine_discount)
        with self.db._con():
            found, debts, _ = self.debts(customer, documents, day_)
            bands = self.policy()
            bank = self.db.settings.bank_calendar()
        return found, simulate(debts, offer, bands, day_, bank)

    # -- creating ------------------------------------------------------------------------------------
    def create(self, customer: str | int, installments: int, by: str | None = None, **terms) -> dict:
        """Simulate and record in one transaction: the agreement, its schedule as receivables ACORDO-<id>, the
        originals paused (status agreement) with a history entry each. Returns `show(id)`."""
        if "as_of" in terms:
            raise InputError("Um acordo é criado com os valores de hoje; a data de referência não se aplica.")
        who = self.db._who(by)
        with self.db._tx() as con:
            found, sim = self.simulate(customer, installments, **terms)  # today's figures
            agreement_id = records.next_id(con)
            now = self.db._stamp()
            head = {"as_of": sim.as_of, "total_original": sim.total_original, "discount": sim.discount,
                    "total": sim.total, "interest_discount_percent": max(li.interest_percent for li in sim.lines),
                    "fine_discount_percent": max(li.fine_percent for li in sim.lines)}
            originals = [{"receivable_id": li.debt.receivable_id, "position": k, "days_overdue": li.debt.days_overdue,
                          "balance": li.debt.balance, "fine": li.debt.fine, "interest": li.debt.interest,
                          "interest_discount": li.interest_discount, "fine_discount": li.fine_discount}
                         for k, li in enumerate(sim.lines)]
            records.insert_agreement(con, agreement_id, found["id"], head, originals, who, now)
            count = len(sim.installments)
            for p in sim.payments:
                what = "entrada" if p.number == 0 else f"parcela {p.number} de {count}"
                records.insert_installment(con, agreement_id, found["id"], p.number, p.due_date, p.amount,
                                           f"Acordo nº {agreement_id}: {what}", now, sim.as_of)
            note = (f"Acordo nº {agreement_id}: total {brl(sim.total)} (desconto {brl(sim.discount)}), entrada de "
                    f"{brl(sim.entry.amount)} em {day(sim.entry.due_date)}"
                    + (f" + {count}× a partir de {day(sim.installments[0].due_date)}." if count else " (à vista)."))
            self._note(con, [li.debt.receivable_id for li in sim.lines], note, who, now)
            return self.show(agreement_id, check=False)

    def _note(self, con, receivable_ids: list[int], text: str, who: str, at) -> None:
        """A history entry (a comment: not a contact) on each receivable."""
        records.note(con, receivable_ids, text, who, at)

    # -- reading -------------------------------------------------------------------------------------
    def list(self, status: str | None = None, customer: str | int | None = None, check: bool = True) -> list[dict]:
        """Every agreement (newest first) with its schedule; breaks and keeps are applied first (`check`)."""
        with self.db._con() as con:
            if check:
                self.check()
            customer_id = self.db.customers.find(customer)["id"] if customer is not None else None
            heads = records.heads(con, status=status, customer_id=customer_id)
            return self._detailed(con, heads)

    def show(self, agreement_id: int, check: bool = True) -> dict:
        """One agreement with its schedule, originals and Pix codes (breaks and keeps applied first when `check`)."""
        with self.db._con() as con:
            if check:
                self.check()
            heads = records.heads(con, agreement_id=int(agreement_id))
            if not heads:
                raise NotFoundError(f"Acordo nº {agreement_id} não encontrado (cobranca acordo listar mostra os acordos).")
            return self._detailed(con, heads)[0]

    def _detailed(self, con, heads: list[dict]) -> list[dict]:
        ids = [h["id"] for h in heads]
        payments, originals = records.schedule(con, ids), records.originals(con, ids)
        pix = self._pix_codes([p for p in payments if p["balance"] > 0])
        out = []
        for head in heads:
            mine = [{**p, "pix": pix.get(p["receivable_id"])} for p in payments if p["agreement_id"] == head["id"]]
            out.append({**head, "created_at": self.db._shown_value(head["created_at"]),
                        "ended_at": self.db._shown_value(head["ended_at"]),
                        "status_label": breaking.STATUS_LABELS.get(head["status"], head["status"]),
                        "entry": mine[0] if mine else None, "installments": mine[1:],
                        "originals": [o for o in originals if o["agreement_id"] == head["id"]]})
        return out

    def _pix_codes(self, open_payments: list[dict]) -> dict[int, pix_charge.PixCharge]:
        """The copia-e-cola of each open payment for its amount today (with charges once late), when pix_key is set."""
        settings = self.db.settings.all()
        if not open_payments or not pix_charge.enabled(settings):
            return {}
        today = self.db.today()
        rows = self.db.worklists.of_receivables([p["receivable_id"] for p in open_payments], today).to_dict("records")
        return {int(r["receivable_id"]): pix_charge.for_row(r, settings, today) for r in rows}

    def term_pdf(self, agreement_id: int) -> bytes:
        """The PDF "Termo de acordo e confissão de dívida" (with the entry's Pix QR when pix_key is set)."""
        from ..acordos.term_pdf import build_term

        with self.db._con():
            agreement = self.show(agreement_id)
            settings, grace = self.db.settings.all(), self.grace_days()
        return build_term(agreement, settings, grace)

    def erp_csv(self, agreement_id: int) -> bytes:
        """The agreement for the ERP (originals replaced, new installments) as a spreadsheet-safe CSV."""
        import pandas as pd

        from ..acordos.erp import erp_rows
        from ..report.export import to_csv_bytes

        return to_csv_bytes(pd.DataFrame(erp_rows(self.show(agreement_id))))

    def results(self, since: date, until: date) -> list[dict]:
        """Per analyst, agreements created from `since` to `until` (company days, inclusive): kept, broken, active,
        recovered (paid on their schedules so far) and the average discount granted (%); the last row is the total."""
        with self.db._con() as con:
            rows = records.figures(con, self.db._day_bounds(since)[0], self.db._day_bounds(until)[1])
        keys = ("agreements", "kept", "broken", "active", "total_original", "total", "discount", "recovered")
        total = {"analyst": "Total", **{k: sum((r[k] for r in rows), Decimal(0) if k in keys[4:] else 0) for k in keys}}
        return [{**r, "average_discount_percent": breaking.average_discount_percent(r["discount"], r["total_original"])}
                for r in [*rows, total]]

    def message(self, agreement_id: int, channel: str = "WhatsApp") -> dict:
        """subject, body (summary and the entry's Pix) and the customer's mobile and e-mail; ContactBlockedError
        when the customer opted out of messages or it is outside the legal hours (nothing is recorded)."""
        from ..acordos import message

        with self.db._con() as con:
            agreement = self.show(agreement_id)
            self.db.policy.check({"receivable_id": agreement["entry"]["receivable_id"]}, channel)
            settings, grace = self.db.settings.all(), self.grace_days()
            mobile, email = records.contact_of(con, int(agreement["customer_id"]))
        company = str(settings.get("company_name") or "")
        return {"subject": message.subject(agreement, company), "body": message.body(agreement, company, grace),
                "customer": agreement["customer"], "mobile": mobile, "email": email}

    # -- breaking, keeping, cancelling ---------------------------------------------------------------
    def grace_days(self) -> int:
        """Days a payment of an agreement may be late before it breaks (setting agreement_grace_days)."""
        return int(self.db.settings.all()[GRACE_SETTING])

    def check(self, as_of: date | None = None) -> dict[str, list[int]]:
        """Apply what the schedule says on `as_of` (default today): kept agreements settle their originals; one
        with a payment owed more than `agreement_grace_days` after its due date breaks. Returns the ids of each."""
        day_ = as_of or self.db.today()
        done: dict[str, list[int]] = {breaking.KEPT: [], breaking.BROKEN: []}
        with self.db._con() as con:
            if not records.any_active(con):  # the common case: a read, no transaction
                return done
        with self.db._tx() as con:
            active = records.heads(con, status=breaking.ACTIVE)
            grace = self.grace_days()
            payments = records.schedule(con, [h["id"] for h in active])
            for head in active:
                dues = [breaking.Due(p["due_date"], p["amount"], p["balance"]) for p in payments
                        if p["agreement_id"] == head["id"]]
                outcome = breaking.state(dues, day_, grace)
                if outcome != breaking.ACTIVE:
                    self._close(con, head["id"], outcome, None, "sistema")
                    done[outcome].append(head["id"])
        return done

    def check_on_read(self, as_of: date | None) -> None:
        """Breaks and keeps are applied when a worklist of today is read (never for another reference day)."""
        if as_of is None or as_of == self.db.today():
            self.check()

    def cancel(self, agreement_id: int, reason: str, by: str | None = None) -> dict:
        """End an active agreement now, as if it broke (audited: who, when, why)."""
        why = clean_text(reason, "Motivo")
        if not why:
            raise InputError("Informe o motivo do cancelamento do acordo (--motivo).")
        with self.db._tx() as con:
            head = self.show(agreement_id, check=False)
            if head["status"] != breaking.ACTIVE:
                raise InputError(f"O acordo nº {agreement_id} já está {head['status_label'].lower()}; "
                                 "só um acordo em dia pode ser cancelado.")
            self._close(con, int(agreement_id), breaking.CANCELLED, why, self.db._who(by))
            return self.show(agreement_id, check=False)

    def _close(self, con, agreement_id: int, outcome: str, reason: str | None, who: str) -> None:
        payments = records.schedule(con, [agreement_id])
        originals = records.originals(con, [agreement_id])
        paid = breaking.paid_total([breaking.Due(p["due_date"], p["amount"], p["balance"]) for p in payments])
        now = self.db._stamp()
        if not records.end(con, agreement_id, outcome, who, now, reason, paid):
            return  # closed meanwhile by another process: nothing is credited twice
        if outcome == breaking.KEPT:
            shares = [o["balance_now"] for o in originals]
            note = f"Acordo nº {agreement_id} cumprido: conta quitada pelo acordo."
        else:
            shares, _ = breaking.allocate(paid, [o["balance_now"] for o in originals])
            for p in payments:  # the rest of the schedule is cancelled
                if p["balance"] > 0:
                    records.credit(con, p["receivable_id"], p["balance"])
            word = "cancelado" if outcome == breaking.CANCELLED else "quebrado"
            note = (f"Acordo nº {agreement_id} {word}" + (f" ({reason})" if reason else "")
                    + f": desconto revogado; pago no acordo {brl(paid)}, abatido das contas mais antigas primeiro.")
        for original, share in zip(originals, shares, strict=True):
            records.credit(con, original["receivable_id"], share)
            records.mark_credited(con, agreement_id, original["receivable_id"], share)
        self._note(con, [o["receivable_id"] for o in originals], note, who, now)


def _named(rows: list[dict], documents: Sequence[tuple[str, str | None]], customer: dict) -> list[dict]:
    chosen = []
    for document, installment in documents:
        match = [r for r in rows if str(r["document"]) == document
                 and (installment is None or str(r["installment"]) == installment)]
        if not match:
            label = document + (f"/{installment}" if installment else "")
            raise NotFoundError(f"O documento {label} não é uma conta em aberto do cliente {customer['name']}.")
        chosen.extend(m for m in match if m not in chosen)
    return chosen


def _refuse_paused(rows: list[dict]) -> None:
    disputed = [f"{r['document']}/{r['installment']}" for r in rows if r["status"] == "disputed"]
    if disputed:
        raise InputError(f"Contas contestadas não entram em acordo: {', '.join(disputed)}. Resolva a contestação antes.")
