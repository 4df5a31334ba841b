"""Portfolios: assign, by filter, even round-robin split, "Minha carteira"; leases seen by other tabs, expiring."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd
import pytest
from support.known import AS_OF, ENGINES, receivables_frame

from cobranca import Filter, open_db
from cobranca.core.errors import InputError
from cobranca.facade.portfolio import round_robin

ENGINES = ENGINES  # every test here runs on a DuckDB file and on PostgreSQL (see conftest.py)

def many_customers(count: int) -> pd.DataFrame:
    """One overdue receivable for each of `count` customers."""
    rows = [(f"C{i:02d}", f"Cliente {i:02d}", None, None, f"D{i:02d}", "1", date(2020, 5, 1) + timedelta(days=i),
             "100.00", "0") for i in range(count)]
    return receivables_frame(rows)


def test_round_robin_is_even():
    pairs = round_robin(list(range(10)), ["Ana", "Bia", "Caio"])
    counts = pd.Series([a for _, a in pairs]).value_counts().to_dict()
    assert counts == {"Ana": 4, "Bia": 3, "Caio": 3}
    assert [c for c, _ in pairs] == list(range(10))  # each customer once


def test_split_a_filter_evenly_and_my_portfolio(db_path, monkeypatch):
    db = open_db(db_path)
    db.receivables.upsert(many_customers(11))
    counts = db.portfolio.split_filter(None, ["Ana", "Bia", "Caio"], by="gestor", as_of=AS_OF)
    assert counts == {"Ana": 4, "Bia": 4, "Caio": 3}
    listing = db.portfolio.listing()
    assert listing["customer_id"].is_unique and len(listing) == 11
    assert listing.groupby("analyst").size().to_dict() == counts
    frame = db.worklists.rows(None, AS_OF)
    assert frame["assigned_to"].notna().all()
    monkeypatch.setenv("COBRANCA_USER", "Bia")
    mine = db.worklists.rows(Filter(description="Minha carteira", min_days=0, mine=True), AS_OF)
    assert len(mine) == 4 and set(mine["assigned_to"]) == {"Bia"}
    db.portfolio.set_analyst("Caio")  # the dashboard's analyst wins over the user
    assert set(db.worklists.rows(Filter(description="x", min_days=0, mine=True), AS_OF)["assigned_to"]) == {"Caio"}


def test_minha_carteira_as_a_saved_filter(db, monkeypatch):
    monkeypatch.setenv("COBRANCA_USER", "Ana")
    db.filters.add(description="Minha carteira", min_days=0, mine=True)
    saved = db.filters.get("minha carteira")
    assert saved.mine and "da minha carteira" in saved.describe()
    assert db.worklists.rows(saved, AS_OF).empty  # nothing assigned yet
    db.portfolio.assign("CompuFour Software", "Ana")
    assert set(db.worklists.rows(saved, AS_OF)["document"]) == {"144", "145"}
    db.filters.update("Minha carteira", mine=False)
    assert not db.filters.get("Minha carteira").mine


def test_assign_one_and_by_filter_and_unassign(db):
    db.portfolio.assign("1", "Ana")
    db.filters.add(description="Mais de 30", min_days=31)
    assert db.portfolio.assign_filter("Mais de 30", "Bia", as_of=AS_OF) == 1  # only Padaria (402, 99 days)
    frame = db.worklists.rows(None, AS_OF).set_index("document")
    assert frame.loc["144", "assigned_to"] == "Ana" and frame.loc["402", "assigned_to"] == "Bia"
    assert pd.isna(frame.loc["301", "assigned_to"])
    db.portfolio.unassign("1")
    assert pd.isna(db.worklists.rows(None, AS_OF).set_index("document").loc["144", "assigned_to"])
    with pytest.raises(InputError, match="nome do analista"):
        db.portfolio.assign("1", "  ")


def test_two_tabs_see_each_others_lease_after_refresh(db, db_path):
    tab_a, tab_b = open_db(db_path, analyst="Ana"), open_db(db_path, analyst="Bia")
    compufour = tab_a.customers.find("1")["id"]
    padaria = tab_a.customers.find("4")["id"]
    tab_a.portfolio.take_lease(compufour)
    rows_b = tab_b.worklists.rows(None, AS_OF).set_index("document")
    assert rows_b.loc["144", "in_service_by"] == "Ana" and rows_b.loc["145", "in_service_by"] == "Ana"
    assert pd.isna(rows_b.loc["402", "in_service_by"])
    tab_b.portfolio.take_lease(padaria)
    tab_b.portfolio.take_lease(compufour)  # not a lock: Bia may open it too, both are shown
    rows_a = tab_a.worklists.rows(None, AS_OF).set_index("document")
    assert rows_a.loc["402", "in_service_by"] == "Bia" and rows_a.loc["144", "in_service_by"] == "Bia"
    tab_c = open_db(db_path, analyst="Caio")  # a third analyst sees both; nobody sees their own lease
    assert tab_c.worklists.rows(None, AS_OF).set_index("document").loc["144", "in_service_by"] == "Ana, Bia"
    assert pd.isna(tab_b.worklists.rows(None, AS_OF).set_index("document").loc["402", "in_service_by"])
    tab_a.portfolio.release_lease(compufour)
    assert tab_c.worklists.rows(None, AS_OF).set_index("document").loc["144", "in_service_by"] == "Bia"


def test_a_lease_expires(db):
    customer = db.customers.find("1")["id"]
    expires = db.portfolio.take_lease(customer, "Ana", at=db.now() - timedelta(minutes=6))  # 5-minute lease
    assert expires < db.now().replace(tzinfo=None)  # shown in company time
    assert db.portfolio.leases(customer) == []
    db.portfolio.set_analyst("Bia")
    assert db.worklists.rows(None, AS_OF)["in_service_by"].isna().all()
    at = datetime(2020, 6, 8, 10)
    db.portfolio.take_lease(customer, "Ana", at=at)
    assert [lease["analyst"] for lease in db.portfolio.leases(customer, now=at + timedelta(minutes=4, seconds=59))] == ["Ana"]
    assert db.portfolio.leases(customer, now=at + timedelta(minutes=5)) == []
