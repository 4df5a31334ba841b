"""The facade's shape: one object per concern, no mixins, no old flat names, the analyst an argument."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
from support.known import receivables_frame

import cobranca.facade
from cobranca.api import Cobranca, open_db
from cobranca.contacting.guard import ContactBlockedError

pytestmark = pytest.mark.usefixtures("company_today")

CONCERNS = ("receivables", "filters", "worklists", "contacts", "promises", "policy", "customers", "portfolio",
            "pix", "regua", "results", "baixa", "agreements", "settings", "backups")

# every public method the mixins gave Cobranca before issue 19 (the lead's rewriter maps each one)
OLD_NAMES = """
    register_contacts register_contact register_comment add_contacts history histories last_entry cancel_last_contact
    contacts_per_day contacted_on find_customer customer_receivables customer_view customer_message
    register_customer_contact filters get_filter add_filter update_filter delete_filter resolve_filter worklist
    worklist_totals worklist_page worklist_rows receivable_row counts upsert_receivables receivable_keys import_file
    import_bytes receivable register_promise register_dispute resolve_dispute promise_kpis contact_hours
    check_contact_hours do_not_contact check_message_allowed opt_out opt_in current_analyst assign_customer
    unassign_customer filter_customers assign_filter split_filter portfolio take_lease release_lease leases
    pix_for_receivable pix_for_customer regua_steps regua_step add_regua_step edit_regua_step delete_regua_step
    regua_candidates regua_receivable regua_log regua_open_tasks regua_run_lock regua_mark_uncertain regua_uncertain
    regua_claim regua_settle_sent regua_settle_failed regua_settle_refused regua_record_tasks results_period
    recovery_window_days aging aging_trend dso cei days_late recovered_after_contact contacts_per_analyst
    promise_kept_rate results_summary stored_settings settings setting_warnings set_setting bank_calendar rules
    baixa bank_review_list resolve_bank_record dismiss_bank_record bank_payments bank_payments_csv paid_today
    baixa_warning last_bank_file_applied export_tables analyst
""".split()


def test_cobranca_and_every_concern_inherit_nothing(db):
    assert Cobranca.__bases__ == (object,)
    for name in CONCERNS:
        concern = getattr(db, name)
        assert type(concern).__bases__ == (object,), name
        assert concern.db is db, name  # each concern reaches the others through the facade, in plain sight
    facade_dir = Path(cobranca.facade.__file__).parent
    for module in facade_dir.glob("*.py"):
        assert "Mixin" not in module.read_text(), module.name


def test_no_old_flat_name_is_left_on_the_facade(db):
    for name in OLD_NAMES:
        on_class = inspect.getattr_static(Cobranca, name, None)
        assert on_class is None, f"Cobranca.{name} still exists"
        value = getattr(db, name, None)
        assert value is None or name in CONCERNS, f"db.{name} still exists"
        assert not callable(value), f"db.{name}() is still a method"


def test_no_facade_module_is_over_400_lines():
    facade_dir = Path(cobranca.facade.__file__).parent
    for module in [*facade_dir.glob("*.py"), facade_dir.parent / "api.py"]:
        assert len(module.read_text().splitlines()) <= 400, module.name


def test_contacts_register_refuses_a_customer_who_opted_out(db):
    db.policy.opt_out("1", reason="pediu por telefone")
    before = db.receivables.counts()["contacts"]
    for attempt in (lambda: db.contacts.register([("144", "1"), ("145", "1")], "WhatsApp", to="49999123456"),
                    lambda: db.contacts.register_one("145", channel="E-mail", to="financeiro@compufour.com.br"),
                    lambda: db.customers.register_contact("1", "SMS", to="49999123456")):
        with pytest.raises(ContactBlockedError, match="não contatar|nao contatar|pediu"):
            attempt()
    assert db.receivables.counts()["contacts"] == before  # nothing recorded
    db.contacts.register([("144", "1")], "Telefone", observation="ligou")  # a call is not a message: allowed
    assert db.receivables.counts()["contacts"] == before + 1


def test_the_analyst_is_an_argument_of_open_db(db_path):
    first = open_db(db_path, analyst="Ana")
    first.receivables.upsert(receivables_frame())
    customer = first.customers.find("1")["id"]
    first.portfolio.take_lease(customer)
    assert [lease["analyst"] for lease in first.portfolio.leases(customer)] == ["Ana"]
    other = open_db(db_path, analyst="Bia")
    assert other.portfolio.analyst() == "Bia"
    rows = other.worklists.rows(None).set_index("document")
    assert rows.loc["144", "in_service_by"] == "Ana"
    other.portfolio.set_analyst("Ana")  # the dashboard's Responsável changed: explicit, no attribute set
    assert other.portfolio.analyst() == "Ana"
    assert other.worklists.rows(None)["in_service_by"].isna().all()  # nobody sees their own lease
