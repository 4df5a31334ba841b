"""The rows of named receivables (régua re-check, a customer's accounts): the worklist's figures, read from the
events of those receivables only, so their cost does not grow with the tables (store/named_rows.py)."""

from __future__ import annotations

from datetime import date

import pytest
from support.known import ENGINES
from support.named_rows_helpers import AT, TODAY, _clock, _ids, _other_events  # noqa: F401 - _clock: autouse

from cobranca.store import named_rows, worklist

ENGINES = ENGINES  # every test here runs on a DuckDB file and on PostgreSQL (see conftest.py)
def _whole_table(db, ids: list[int]) -> list[dict]:
    query = worklist.Query(worklist.EVERYTHING, TODAY, db.settings.rules(), ids, now=AT)
    with db.store.session() as con:
        return worklist.records(con, query)


def test_named_rows_have_the_worklists_figures_status_opt_out_and_leases(db):
    db.promises.register("144", "1", due=date(2020, 6, 20), by="ANA")
    db.promises.open_dispute("145", "1", reason="valor errado", by="ANA")
    customer_2 = int(db.receivables.find("200/A", "1")["customer_id"])
    db.policy.opt_out(customer_2, reason="pediu por telefone", by="ANA")
    db.portfolio.take_lease(int(db.receivables.find("144", "1")["customer_id"]), analyst="BIA")
    db.promises.register("402", "1", due=date(2020, 6, 20), by="ANA")  # not named below
    _other_events(db, 5)
    ids = _ids(db, "144", "145", "200/A", "301")
    query = worklist.Query(worklist.EVERYTHING, TODAY, db.settings.rules(), ids, now=AT)
    with db.store.session() as con:
        named = named_rows.records(con, query)
    assert named == _whole_table(db, ids)
    by_doc = {r["document"]: r for r in named}
    assert by_doc["144"]["status"] == "promised" and by_doc["144"]["in_service_by"] == "BIA"
    assert by_doc["145"]["status"] == "disputed"
    assert by_doc["200/A"]["do_not_contact"] and by_doc["200/A"]["do_not_contact_reason"] == "pediu por telefone"
    assert by_doc["301"]["status"] == "open" and not by_doc["301"]["do_not_contact"]
    frame = db.worklists.of_receivables(ids, TODAY)
    assert sorted(frame["document"]) == sorted(by_doc) and frame["updated_amount"].notna().all()


def test_named_rows_refuse_a_query_without_receivable_ids(db):
    query = worklist.Query(worklist.EVERYTHING, TODAY, db.settings.rules())
    with db.store.session() as con, pytest.raises(ValueError, match="receivable_ids"):
        named_rows.records(con, query)
