"""Pure rules of the régua: which step is due, skip reasons, one e-mail per customer, tasks instead of e-mail."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from cobranca.core.errors import InputError
from cobranca.regua.plan import (
    DEFAULT_STEPS,
    DISPUTED,
    DO_NOT_CONTACT,
    OUTSIDE_HOURS,
    PROMISED,
    SETTLED,
    Step,
    due_step,
    plan_run,
    skip_reason,
)

STEPS = [Step(s.name, s.days, s.channel, id=i) for i, s in enumerate(DEFAULT_STEPS, start=1)]
DAY = date(2020, 6, 8)


def row(rid, days, customer_id=1, email="a@x.com", mobile=None, balance="10.00", status="open", dnc=False):
    return {"receivable_id": rid, "document": f"D{rid}", "installment": "1", "customer_id": customer_id,
            "customer": f"Cliente {customer_id}", "days_overdue": days, "balance": Decimal(balance),
            "updated_amount": Decimal(balance), "status": status, "do_not_contact": dnc, "email": email,
            "mobile": mobile, "phone": None}


@pytest.mark.parametrize(("days", "expected"), [
    (-10, None), (-4, None), (-3, "Lembrete 3 dias antes"), (-1, "Lembrete 3 dias antes"), (0, "Vence hoje"),
    (2, "Vence hoje"), (3, "WhatsApp 3 dias após"), (9, "WhatsApp 3 dias após"), (10, "Segundo aviso 10 dias após"),
    (29, "Segundo aviso 10 dias após"), (30, "Ligação 30 dias após"), (400, "Ligação 30 dias após"),
])
def test_the_due_step_is_the_one_whose_window_holds_the_days(days, expected):
    step = due_step(STEPS, days)
    assert (step.name if step else None) == expected


def test_skip_reasons():
    assert skip_reason(row(1, 0, balance="0.00")) == SETTLED
    assert skip_reason(row(1, 0, status="disputed", dnc=True)) == DISPUTED
    assert skip_reason(row(1, 0, status="promised")) == PROMISED
    assert skip_reason(row(1, 0, status="promise_broken")) is None  # a broken promise is chased again
    assert skip_reason(row(1, 0, dnc=True)) == DO_NOT_CONTACT
    assert skip_reason(row(1, 0)) is None


def test_one_email_per_customer_with_the_firmest_step_and_tasks_per_step():
    rows = [row(1, -3), row(2, 0), row(3, 12), row(4, -1, customer_id=2, email="b@x.com"),
            row(5, 5, customer_id=3, email=None, mobile="11987654321"),
            row(6, 0, customer_id=3, email=None, mobile="11987654321"),
            row(7, 40, customer_id=4, email=None)]
    plan = plan_run(rows, STEPS, set(), DAY, messages_allowed=True)
    assert [(e.customer_id, [r["receivable_id"] for r in e.rows]) for e in plan.emails] == [(1, [1, 2, 3]), (2, [4])]
    assert plan.emails[0].step.name == "Segundo aviso 10 dias após"
    assert plan.emails[0].total == Decimal("30.00")
    tasks = {(t.customer_id, t.step.name): t for t in plan.tasks}
    assert tasks[(3, "WhatsApp 3 dias após")].channel == "WhatsApp"
    no_email = tasks[(3, "Vence hoje")]
    assert (no_email.channel, no_email.to, no_email.note) == ("WhatsApp", "11987654321",
                                                              "sem e-mail cadastrado: tarefa em vez de e-mail")
    assert tasks[(4, "Ligação 30 dias após")].channel == "Telefone"
    assert plan.skipped == []


def test_done_steps_are_not_planned_again_and_older_steps_never_come_back():
    rows = [row(1, 12)]
    assert plan_run(rows, STEPS, {(1, 4)}, DAY, True).emails == []
    assert plan_run(rows, STEPS, {(1, 4)}, DAY, True).already_done == 1
    # the +3 step was never done, but +10 is the one due now: nothing older is sent
    assert plan_run(rows, STEPS, {(1, 4)}, DAY, True).tasks == []


def test_outside_legal_hours_emails_wait_but_tasks_are_still_created():
    rows = [row(1, 0), row(2, 5, customer_id=2, mobile="11987654321")]
    plan = plan_run(rows, STEPS, set(), DAY, messages_allowed=False)
    assert plan.emails == [] and [s.reason for s in plan.skipped] == [OUTSIDE_HOURS]
    assert [t.channel for t in plan.tasks] == ["WhatsApp"]


def test_an_invalid_address_becomes_a_task():
    def address(text):
        raise InputError("inválido")

    plan = plan_run([row(1, 0, mobile=None)], STEPS, set(), DAY, True, address=address)
    assert plan.emails == [] and plan.tasks[0].channel == "Telefone"
    assert plan.tasks[0].note.startswith("e-mail cadastrado inválido")


@pytest.mark.parametrize(("field", "value", "message"), [
    ("name", " ", "nome"), ("days", "x", "inteiro"), ("days", 5000, "entre"), ("channel", "Pombo", "desconhecida"),
    ("channel", "Nenhum", "não serve"), ("subject", "Oi", "Só etapas de e-mail"),
])
def test_step_validation_is_pt_br(field, value, message):
    fields = {"name": "X", "days": 1, "channel": "WhatsApp", field: value}
    with pytest.raises(InputError, match=message):
        Step(**fields).validated()
