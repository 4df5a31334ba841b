"""A file written by schema version 1 (before promises) upgrades on open with its contacts and filters intact."""

from __future__ import annotations

from datetime import date, datetime

import duckdb
from support.known import AS_OF, receivables_frame

from cobranca import open_db
from cobranca.store import SCHEMA_VERSION, schema


def write_version_1_file(path, monkeypatch) -> None:
    with monkeypatch.context() as patch:
        patch.setattr(schema, "SCHEMA_VERSION", 1)
        old = open_db(path)
        old.receivables.upsert(receivables_frame())
        old.contacts.register_one("144", channel="Telefone", observation="ligou", at=datetime(2020, 6, 8, 10))
        old.contacts.comment("402", "<script>alert(1)</script>", at=datetime(2020, 6, 8, 11))
        assert old.schema_version() == 1
    with duckdb.connect(str(path)) as con:
        con.execute("""INSERT INTO filters VALUES (nextval('filter_ids'), 'Promessas quebradas', FALSE, 5, 9,
                       'E-mail', NULL, NULL, NULL, now())""")  # a user's own filter with the new name
        assert "receivable_events" not in [r[0] for r in con.execute("SHOW TABLES").fetchall()]


def test_a_version_1_file_upgrades_with_contacts_and_filters_intact(db_path, monkeypatch, company_today):
    write_version_1_file(db_path, monkeypatch)
    db = open_db(db_path)
    assert db.schema_version() == SCHEMA_VERSION >= 2
    history = db.contacts.history("144")
    assert list(history["observation"]) == ["ligou"] and list(history["kind"]) == ["contact"]
    assert db.contacts.history("402").iloc[0]["observation"] == "<script>alert(1)</script>"
    filters = {f.description: f for f in db.filters.all()}
    assert (filters["Promessas quebradas"].min_days, filters["Promessas quebradas"].status) == (5, None)  # kept
    assert filters["Promessas para hoje"].status == "promise_today"  # added
    assert len(filters) == 8  # 4 defaults, 2 of promises, "Tarefas de hoje" (step 3), "Acordos quebrados" (step 9)
    frame = db.worklists.rows(None, AS_OF)
    assert set(frame["status"]) == {"open"} and not frame["do_not_contact"].any()
    assert frame["promise_date"].isna().all()
    db.promises.register("144", due="2020-06-09")
    assert list(db.worklists.rows("Promessas para hoje", date(2020, 6, 9))["document"]) == ["144"]
    assert db.receivables.counts()["contacts"] == 2


def test_opening_twice_does_not_add_the_filters_again(db_path):
    open_db(db_path).filters.all()
    assert [f.description for f in open_db(db_path).filters.all()].count("Promessas para hoje") == 1


def test_a_backup_made_before_promises_restores_and_upgrades(tmp_path, monkeypatch):
    import json

    from cobranca.workflows.backup import MANIFEST, restore

    old_file = tmp_path / "old.duckdb"
    write_version_1_file(old_file, monkeypatch)
    folder = tmp_path / "backup-v1"
    tables = ("schema_version", "settings", "customers", "receivables", "filters", "contacts")
    with duckdb.connect(str(old_file)) as con:
        rows = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}  # noqa: S608
        con.execute(f"EXPORT DATABASE '{folder}' (FORMAT parquet)")
    (folder / MANIFEST).write_text(json.dumps({"rows": rows}), encoding="utf-8")
    assert restore(folder, tmp_path / "restored.duckdb") == rows
    restored = open_db(tmp_path / "restored.duckdb")
    assert restored.schema_version() == SCHEMA_VERSION
    assert list(restored.contacts.history("144")["observation"]) == ["ligou"]
