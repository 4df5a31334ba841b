"""Re-imports record payments as events (before/after paid amount and date) in the upsert's transaction,
snapshot the aging, and an older database file upgrades to schema step 4 on open."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal as D

import duckdb
import pandas as pd
import psycopg
import pytest
from support.known import ENGINES, receivables_frame
from support.pg_helpers import raw_connection

from cobranca import open_db
from cobranca.store import SCHEMA_VERSION, catalog, payments, schema

ENGINES = ENGINES  # every test here runs on a DuckDB file and on PostgreSQL (see conftest.py)

def events(path):
    with raw_connection(path) as con:
        return con.execute(
            """SELECT r.document, e.paid_before, e.paid_after, e.paid_date_before, e.paid_date_after, e.recorded_at
               FROM payment_events e JOIN receivables r ON r.id = e.receivable_id ORDER BY e.id""").fetchall()


def test_a_reimport_records_changed_payments_only(db, db_path):
    frame = receivables_frame()
    assert db.receivables.upsert(frame, at=datetime(2020, 6, 9, 8)) == {"inserted": 0, "updated": 7}
    assert events(db_path) == []  # nothing changed
    frame.loc[frame["document"] == "144", ["paid_amount", "paid_date"]] = ["400.00", date(2020, 6, 9)]
    frame.loc[frame["document"] == "402", "paid_amount"] = "1234.56"
    db.receivables.upsert(frame, at=datetime(2020, 6, 10, 8))
    assert events(db_path) == [  # 08:00 in São Paulo is stored as 11:00 UTC (the one clock)
        ("144", D("0.00"), D("400.00"), None, date(2020, 6, 9), datetime(2020, 6, 10, 11)),
        ("402", D("0.00"), D("1234.56"), None, None, datetime(2020, 6, 10, 11)),
    ]
    frame.loc[frame["document"] == "144", ["paid_amount", "paid_date"]] = ["1000.00", date(2020, 6, 11)]
    db.receivables.upsert(frame, at=datetime(2020, 6, 12, 8))
    assert events(db_path)[-1] == ("144", D("400.00"), D("1000.00"), date(2020, 6, 9), date(2020, 6, 11),
                                   datetime(2020, 6, 12, 11))


def test_a_failed_import_records_no_event_and_no_snapshot(db, db_path):
    with raw_connection(db_path) as con:
        snapshots = con.execute("SELECT count(*) FROM aging_snapshots").fetchall()[0][0]
    frame = receivables_frame()
    frame.loc[frame["document"] == "144", "paid_amount"] = "1000.00"
    bad = frame.iloc[[0]].assign(document="NEW", due_date=None)  # NOT NULL due date fails after the events
    with pytest.raises((duckdb.Error, psycopg.Error)):
        db.receivables.upsert(pd.concat([frame, bad], ignore_index=True))
    assert events(db_path) == []
    with raw_connection(db_path) as con:
        assert con.execute("SELECT count(*) FROM aging_snapshots").fetchall()[0][0] == snapshots
        assert con.execute("SELECT paid_amount FROM receivables WHERE document = '144'").fetchall() == [(D("0.00"),)]


def test_each_import_keeps_an_aging_snapshot_of_every_bucket(db):
    db.receivables.upsert(receivables_frame(), at=datetime(2020, 6, 8, 8))
    trend = db.results.aging_trend(date(2020, 6, 8), date(2020, 6, 8))
    # 08/06: 144 due 01/06 7 days 1000; 145 due 20/05 19 days 200; 200/A-1 due 05/06 3 days 89.90;
    # 200/A-2 due 05/07 and 301 due 08/06 (0 days) not yet due 89.90 + 500; 402 due 01/03 99 days 1234.56
    assert list(zip(trend["bucket"], trend["receivables"], trend["balance"], strict=True)) == [
        ("a vencer", 2, D("589.90")), ("1-30", 3, D("1289.90")), ("31-60", 0, D("0.00")), ("61-90", 0, D("0.00")),
        (">90", 1, D("1234.56"))]


def test_a_version_2_file_upgrades_to_the_results_schema(db_path, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(schema, "SCHEMA_VERSION", 2)
        patch.setattr(payments, "record_changes", lambda con, now: 0)  # what version 2's upsert did: nothing
        patch.setattr(payments, "snapshot_aging", lambda con, now, day=None: None)
        old = open_db(db_path)
        old.receivables.upsert(receivables_frame())
        old.contacts.register_one("144", channel="Telefone", observation="ligou", at=datetime(2020, 6, 8, 10))
        assert old.schema_version() == 2
    with raw_connection(db_path) as con:
        tables = set(catalog.tables(con))
        assert "payment_events" not in tables and "portfolio" not in tables
    db = open_db(db_path)
    assert db.schema_version() == SCHEMA_VERSION >= 4
    assert [f.mine for f in db.filters.all()] == [False] * len(db.filters.all())
    assert list(db.contacts.history("144")["observation"]) == ["ligou"]
    frame = receivables_frame()
    frame.loc[frame["document"] == "144", "paid_amount"] = "1000.00"
    db.receivables.upsert(frame, at=datetime(2020, 6, 9, 8))
    assert [e[0] for e in events(db_path)] == ["144"]
    assert db.worklists.rows(None, date(2020, 6, 8))["assigned_to"].isna().all()


def test_a_reimported_file_records_its_payments(db_path, tmp_path):
    db = open_db(db_path)
    header = "Cliente;Documento;Parcela;Vencimento;Valor;Valor Pago;Data Pagamento\n"
    first = tmp_path / "contas.csv"
    first.write_text(header + "Loja A;9001;1;01/06/2020;1.500,00;0,00;\nLoja B;9002;1;05/06/2020;300,00;0,00;\n",
                     encoding="utf-8")
    db.receivables.import_file(first)
    again = tmp_path / "contas-2.csv"
    again.write_text(header + "Loja A;9001;1;01/06/2020;1.500,00;1.500,00;10/06/2020\n"
                     "Loja B;9002;1;05/06/2020;300,00;0,00;\n", encoding="utf-8")
    db.receivables.import_file(again)
    assert [(e[0], e[1], e[2], e[4]) for e in events(db_path)] == [("9001", D("0.00"), D("1500.00"), date(2020, 6, 10))]
