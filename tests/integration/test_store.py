"""The store on both engines: schema and migrations, worklists, filters, the contact log, several processes."""

from __future__ import annotations

import multiprocessing as mp
from datetime import date, datetime
from decimal import Decimal

import duckdb
import pandas as pd
import pytest
from support.known import AS_OF, ENGINES, receivables_frame
from support.pg_helpers import column_names, raw_connection

from cobranca import open_db, store
from cobranca.core.errors import AmbiguousError, InputError, NotFoundError, StoreBusyError
from cobranca.receivables.filters import Filter
from cobranca.store import schema

ENGINES = ENGINES  # every test here runs on a DuckDB file and on PostgreSQL (see conftest.py)


def docs(frame):
    return sorted(zip(frame["document"], frame["installment"], strict=True))


def test_new_database_has_schema_and_default_filters(db_path):
    db = open_db(db_path)
    assert db.schema_version() == store.SCHEMA_VERSION
    assert [f.description for f in db.filters.all()] == [
        "Vencendo hoje", "Vencidas de 1 a 10 dias", "Vencidas de 11 a 30 dias", "Vencidas há mais de 30 dias",
        "Promessas quebradas", "Promessas para hoje", "Tarefas de hoje", "Acordos quebrados"]
    assert db.receivables.counts() == {"customers": 0, "receivables": 0, "contacts": 0, "filters": 8}


def test_opening_an_older_file_upgrades_it(db_path, monkeypatch):
    db = open_db(db_path)
    db.receivables.upsert(receivables_frame())
    db.contacts.register_one("144", channel="Telefone", observation="ligou", at=datetime(2020, 6, 8, 10))
    written_by = db.schema_version()  # the current schema: a file written today must upgrade tomorrow
    monkeypatch.setattr(schema, "SCHEMA_VERSION", written_by + 1)
    monkeypatch.setitem(schema.MIGRATIONS, written_by + 1, ["ALTER TABLE contacts ADD COLUMN outcome VARCHAR"])
    upgraded = open_db(db_path)
    assert upgraded.schema_version() == written_by + 1
    assert len(upgraded.contacts.history("144")) == 1  # data kept across the upgrade
    with raw_connection(db_path) as con:
        assert "outcome" in column_names(con, "contacts")


def test_newer_file_is_refused_with_a_clear_message(db_path):
    open_db(db_path).filters.all()
    with raw_connection(db_path) as con:
        con.execute("INSERT INTO schema_version VALUES (99)")
    with pytest.raises(InputError, match="versão mais nova"):
        open_db(db_path).filters.all()


def test_worklist_filters(db):
    assert docs(db.worklists.rows("Vencendo hoje", AS_OF)) == [("301", "1")]
    # 200/A due Friday 05/06 (3 days); 144 due 01/06 (7 days); 145 due 20/05 (19 days); 402 in March
    assert docs(db.worklists.rows("Vencidas de 1 a 10 dias", AS_OF)) == [("144", "1"), ("200/A", "1")]
    assert docs(db.worklists.rows("Vencidas de 11 a 30 dias", AS_OF)) == [("145", "1")]
    assert docs(db.worklists.rows("Vencidas há mais de 30 dias", AS_OF)) == [("402", "1")]
    everything = db.worklists.rows(None, AS_OF)
    assert ("500", "1") not in docs(everything)  # settled
    assert ("200/A", "2") not in docs(everything)  # not yet due
    balance = Filter(description="b", min_days=0, min_balance=Decimal("200"), max_balance=Decimal("999.99"))
    assert docs(db.worklists.rows(balance, AS_OF)) == [("145", "1"), ("301", "1")]
    search = Filter(description="s", min_days=0, customer_search="jose da SILVA")
    assert docs(db.worklists.rows(search, AS_OF)) == [("200/A", "1")]  # accents and case ignored
    assert db.worklists.rows(Filter(description="w", min_days=0, customer_search="%"), AS_OF).empty


def test_worklist_columns_and_last_contact(db):
    db.contacts.register_one("144", channel="WhatsApp", to="+5549999123456", by="ANA", at=datetime(2020, 6, 5, 9))
    db.contacts.register_one("144", channel="Telefone", by="BIA", at=datetime(2020, 6, 8, 9, 30))
    db.contacts.comment("144", "Visualizou e não respondeu.", by="BIA", at=datetime(2020, 6, 8, 10))
    row = db.worklists.rows("Vencidas de 1 a 10 dias", AS_OF).set_index("document").loc["144"]
    assert (row["days_overdue"], row["updated_amount"]) == (7, Decimal("1022.33"))
    assert (row["last_contact_channel"], row["last_contact_by"], bool(row["contacted_today"])) == ("Telefone", "BIA", True)
    assert row["last_contact_at"] == datetime(2020, 6, 8, 9, 30)
    # as of an earlier day, later contacts are not seen yet
    earlier = db.worklists.rows(Filter(description="x", min_days=0), date(2020, 6, 5)).set_index("document").loc["144"]
    assert (earlier["last_contact_channel"], bool(earlier["contacted_today"])) == ("WhatsApp", True)


def test_filter_crud_and_errors(db):
    flt = db.filters.add(description="Grandes", min_days=5, max_days=60, channel="email", min_balance="1.000,00")
    assert (flt.channel, flt.min_balance) == ("E-mail", Decimal("1000.00"))
    assert db.filters.get("grandes").id == flt.id
    db.filters.update("Grandes", max_days=90, description="Grandes devedores")
    assert db.filters.get("Grandes devedores").max_days == 90
    with pytest.raises(InputError, match="Já existe um filtro chamado"):
        db.filters.add(description="grandes DEVEDORES")
    with pytest.raises(InputError, match="maior que 'até 3 dias'"):
        db.filters.add(description="x", min_days=5, max_days=3)
    with pytest.raises(InputError, match="não pode ser negativo"):
        db.filters.add(description="x", min_days=-1, max_days=3)
    with pytest.raises(InputError, match="Informe a descrição"):
        db.filters.add(description="  ")
    with pytest.raises(InputError, match="Forma de contato desconhecida: 'pombo'"):
        db.filters.add(description="x", channel="pombo")
    db.filters.delete("Grandes devedores")
    with pytest.raises(NotFoundError, match="não encontrado"):
        db.filters.get("Grandes devedores")
    assert len(db.filters.all()) == 8  # 4 defaults + 2 of promises + 1 of the régua + 1 of acordos


def test_comment_history_and_cancel_last_contact(db):
    db.contacts.register_one("144", channel="WhatsApp", by="SUPERVISOR", at=datetime(2020, 6, 8, 8, 58, 53))
    db.contacts.register_one("144", channel="WhatsApp", by="SUPERVISOR", at=datetime(2020, 6, 8, 9, 2, 30))
    db.contacts.comment("144", "Visualizou e não respondeu", by="SUPERVISOR", at=datetime(2020, 6, 8, 9, 18, 42))
    history = db.contacts.history("144")
    assert list(history["channel"]) == ["Nenhum", "WhatsApp", "WhatsApp"]
    assert history["observation"].iloc[0] == "Visualizou e não respondeu"
    cancelled = db.contacts.cancel_last("144", by="GERENTE")
    assert cancelled["channel"] == "Nenhum"
    assert list(db.contacts.history("144")["channel"]) == ["WhatsApp", "WhatsApp"]
    db.contacts.cancel_last("144")
    db.contacts.cancel_last("144")
    assert db.contacts.history("144").empty
    assert not db.worklists.rows("Vencidas de 1 a 10 dias", AS_OF).set_index("document").loc["144", "contacted_today"]
    kept = db.contacts.history("144", include_cancelled=True)  # nothing is deleted
    assert len(kept) == 3 and kept["cancelled_by"].iloc[0] == "GERENTE"
    with pytest.raises(NotFoundError, match="Não há contato a cancelar"):
        db.contacts.cancel_last("144")
    with pytest.raises(InputError, match="Digite o comentário"):
        db.contacts.comment("144", "   ")


def test_receivable_lookup_errors(db):
    with pytest.raises(NotFoundError, match="Documento '14' não encontrado. Documentos parecidos: 144, 145"):
        db.receivables.find("14")
    with pytest.raises(AmbiguousError, match=r"2 parcelas em aberto \(1, 2\)"):
        db.receivables.find("200/A")
    assert db.receivables.find("200/A", "2")["installment"] == "2"
    with pytest.raises(NotFoundError, match="não tem a parcela '9'"):
        db.receivables.find("200/A", "9")
    assert db.receivables.find("500")["balance"] == Decimal("0.00")  # settled but still addressable


def test_customer_text_is_data_not_sql(db):
    nasty = "'); DROP TABLE contacts; --"
    db.contacts.comment("144", nasty, by=nasty)
    assert db.contacts.history("144")["observation"].iloc[0] == nasty
    assert db.filters.add(description=nasty, min_days=0, customer_search=nasty).description == nasty
    assert db.receivables.counts()["contacts"] == 1


def test_reimport_updates_amounts_and_keeps_contacts(db):
    db.contacts.register_one("144", channel="WhatsApp", at=datetime(2020, 6, 8, 9))
    paid = receivables_frame()
    paid.loc[paid["document"] == "144", "paid_amount"] = "400.00"
    paid.loc[paid["document"] == "144", "mobile"] = None  # empty cell keeps the stored phone
    assert db.receivables.upsert(paid) == {"inserted": 0, "updated": len(paid)}
    row = db.worklists.rows("Vencidas de 1 a 10 dias", AS_OF).set_index("document").loc["144"]
    assert (row["balance"], row["updated_amount"], row["mobile"]) == (Decimal("600.00"), Decimal("613.40"), "(49) 99912-3456")
    assert len(db.contacts.history("144")) == 1


def _hold_lock(path, ready, release):
    con = duckdb.connect(str(path))
    ready.set()
    release.wait(30)
    con.close()


@pytest.mark.duckdb_only  # the file lock is DuckDB's (PostgreSQL: transactions; tests/integration/test_store_postgres.py)
def test_lock_wait_is_bounded_and_clear(db_path):
    open_db(db_path).filters.all()
    ctx = mp.get_context("spawn")
    ready, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold_lock, args=(db_path, ready, release))
    holder.start()
    try:
        assert ready.wait(30)
        with pytest.raises(StoreBusyError, match="ocupado por outro processo"):
            open_db(db_path, wait_seconds=0.5).filters.all()
    finally:
        release.set()
        holder.join(30)
    assert len(open_db(db_path, wait_seconds=5).filters.all()) == 8


def _register_many(path, worker, count, barrier):
    db = open_db(path, wait_seconds=60)
    barrier.wait()
    for i in range(count):
        db.contacts.register_one("144", channel="Telefone", observation=f"w{worker}-{i}", by=f"proc{worker}")


@pytest.mark.slow
def test_two_processes_register_200_contacts_each(db, db_path):
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(2)
    procs = [ctx.Process(target=_register_many, args=(db_path, w, 200, barrier)) for w in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(300)
    assert [p.exitcode for p in procs] == [0, 0]
    history = db.contacts.history("144")
    assert len(history) == 400
    assert set(history["observation"]) == {f"w{w}-{i}" for w in range(2) for i in range(200)}


def test_due_on_saturday_is_due_today_until_monday(db_path):
    db = open_db(db_path)
    db.receivables.upsert(receivables_frame([
        ("7", "Sábado Ltda", None, None, "SAT", "1", date(2020, 6, 6), "100.00", "0"),
        ("8", "Feriado ME", None, None, "TIR", "1", date(2020, 4, 21), "100.00", "0"),
    ]))
    assert docs(db.worklists.rows("Vencendo hoje", date(2020, 6, 8))) == [("SAT", "1")]
    assert docs(db.worklists.rows("Vencidas de 1 a 10 dias", date(2020, 6, 9))) == [("SAT", "1")]
    assert docs(db.worklists.rows("Vencendo hoje", date(2020, 4, 22))) == [("TIR", "1")]


def test_limit_keeps_the_most_overdue_and_totals_cover_everything(db):
    db.contacts.register_one("402", channel="Telefone", at=datetime(2020, 6, 8, 11))
    everything = db.worklists.rows(None, AS_OF)
    first_two = db.worklists.rows(None, AS_OF, limit=2)
    assert list(first_two["document"]) == list(everything["document"][:2]) == ["402", "145"]
    totals = db.worklists.totals(None, AS_OF)
    by_days = totals.pop("by_days")
    assert totals.pop("promises")["active"] == 0  # promise KPIs ride along (facade/worklists.py)
    assert dict(zip(by_days["days_overdue"], by_days["count"], strict=True)) == everything["days_overdue"].value_counts().to_dict()
    assert totals == {
        "receivables": len(everything), "customers": everything["customer_id"].nunique(),
        "balance": sum(everything["balance"], Decimal(0)),
        "updated_amount": sum(everything["updated_amount"], Decimal(0)), "contacted_today": 1,
    }
    assert isinstance(totals["updated_amount"], Decimal)
    assert db.worklists.totals(Filter(description="n", min_days=9000), AS_OF)["balance"] == Decimal("0.00")


def test_contacted_today_counts_each_listed_receivable_once(db):
    """The totals' "contacted today" (today's contacts joined to the list) agrees with the rows' own flag."""
    db.contacts.register_one("402", channel="Telefone", at=datetime(2020, 6, 8, 9))
    db.contacts.register_one("402", channel="WhatsApp", at=datetime(2020, 6, 8, 11))  # twice: counted once
    db.contacts.comment("145", "só um comentário", at=datetime(2020, 6, 8, 9))  # a comment is not a contact
    db.contacts.register_one("144", channel="Telefone", at=datetime(2020, 6, 5, 9))  # another day
    db.contacts.register_one("200/A", "1", channel="Telefone", at=datetime(2020, 6, 8, 8))
    db.contacts.cancel_last("200/A", "1")  # cancelled: not a contact
    db.contacts.register_one("200/A", "2", channel="Telefone", at=datetime(2020, 6, 8, 9))  # not yet due: not listed
    db.contacts.register_one("301", channel="E-mail", at=datetime(2020, 6, 8, 10))
    for flt in (None, "Vencendo hoje", "Vencidas de 1 a 10 dias", "Vencidas há mais de 30 dias"):
        listed = db.worklists.rows(flt, AS_OF)
        totals = db.worklists.totals(flt, AS_OF)
        assert totals["contacted_today"] == int(listed["contacted_today"].sum()), flt
    assert db.worklists.totals(None, AS_OF)["contacted_today"] == 2  # 402 and 301


def test_totals_by_days_are_the_bands_of_the_rows(db):
    db.receivables.upsert(receivables_frame([("6", "Outra ME", None, None, "146", "1", date(2020, 6, 1), "10.05", "0")]))
    everything = Filter(description="todas", min_days=0, max_days=9000)
    listed = db.worklists.rows(everything, AS_OF)
    by_days = db.worklists.totals(everything, AS_OF)["by_days"]
    expected = {}
    for days, balance in zip(listed["days_overdue"], listed["balance"], strict=True):
        count, total = expected.get(int(days), (0, Decimal(0)))
        expected[int(days)] = (count + 1, total + balance)
    assert list(by_days["days_overdue"]) == sorted(expected)  # ordered by days
    assert [(c, b) for c, b in zip(by_days["count"], by_days["balance"], strict=True)] == [
        expected[d] for d in sorted(expected)]
    assert expected[7] == (2, Decimal("1010.05"))  # 144 and 146: seven days late, one band
    assert str(by_days["balance"].dtype).startswith("decimal128")  # exact money


def test_undecodable_text_is_refused_not_crashing(db):
    lone_surrogate = "Ana \udcff"  # what a Latin-1 byte on a UTF-8 command line becomes
    with pytest.raises(InputError, match="caracteres inválidos"):
        db.contacts.comment("144", lone_surrogate)
    with pytest.raises(InputError, match="Documento contém caracteres inválidos"):
        db.receivables.find("14\udcff")
    with pytest.raises(InputError, match="caracteres inválidos"):
        db.contacts.register_one("144", "1", channel="Telefone", observation=lone_surrogate)
    assert db.receivables.counts()["contacts"] == 0


def test_worklist_page_is_the_limited_worklist_plus_the_totals(db):
    frame, totals = db.worklists.page(None, AS_OF, limit=2)
    assert frame.equals(db.worklists.rows(None, AS_OF, limit=2))
    expected = db.worklists.totals(None, AS_OF)
    assert totals.pop("by_days").equals(expected.pop("by_days")) and totals == expected


def test_empty_cells_are_stored_as_null_never_as_text(db_path):
    """pandas turns None/NaN into 'None'/'nan' with astype(str): the upsert must store NULL instead."""
    frame = receivables_frame()
    frame["tax_id"] = [None, float("nan"), "", "  ", pd.NA, None, None]
    frame["mobile"] = [float("nan"), None, "", None, None, None, None]
    frame["email"] = [None, float("nan"), None, "", None, None, None]
    frame["description"] = [None, float("nan"), "", None, pd.NA, None, None]
    db = open_db(db_path)
    db.receivables.upsert(frame)
    with raw_connection(db_path) as con:
        texts = con.execute(
            """SELECT c.tax_id, c.mobile, c.email, r.description FROM receivables r
               JOIN customers c ON c.id = r.customer_id"""
        ).fetchall()
    stored = {value for row in texts for value in row}
    assert stored == {None}, stored
