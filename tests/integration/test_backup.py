"""Backups: every table round-trips through `cobranca backup` / `cobranca restore`, checked against the manifest."""

from __future__ import annotations

import json
from datetime import datetime

import duckdb
import pyarrow.parquet as pq
import pytest

from cobranca import open_db
from cobranca.cli import main
from cobranca.core.errors import InputError
from cobranca.store import catalog, schema
from cobranca.store.schema import SCHEMA_VERSION
from cobranca.workflows.backup import MANIFEST, backup, restore


def table_rows(path):
    with duckdb.connect(str(path), read_only=True) as con:
        return {t: sorted(con.table(t).fetchall(), key=repr) for t in catalog.tables(con)}


def add_step_log(db, entries=3):
    """Step-log rows as a régua run writes them (the log decides what is not sent again)."""
    with duckdb.connect(str(db.path)) as con:
        step_id = con.execute("SELECT min(id) FROM regua_steps").fetchone()[0]
        for n in range(entries):
            con.execute(
                """INSERT INTO regua_log (id, receivable_id, step_id, step_name, day, outcome, channel, created_at)
                   VALUES (nextval('regua_log_ids'), ?, ?, 'Lembrete', DATE '2020-06-08', 'enviado', 'E-mail',
                           TIMESTAMP '2020-06-08 13:00:00')""", [n + 1, step_id])


def test_backup_and_restore_round_trip_every_table(db, tmp_path, capsys):
    db.contacts.register_one("144", channel="WhatsApp", to="+5549999123456", message="Olá ção", at=datetime(2020, 6, 8, 9))
    db.contacts.comment("144", "Visualizou e não respondeu", at=datetime(2020, 6, 8, 10))
    db.contacts.cancel_last("144", by="GERENTE")
    db.filters.add(description="Grandes", min_days=1, max_days=60, min_balance="1000")
    db.settings.set("company_name", "CompuFour Software")
    add_step_log(db)
    folder = tmp_path / "bk"
    assert main(["--db", str(db.path), "backup", str(folder)]) == 0
    restored = tmp_path / "restaurado.duckdb"
    assert main(["--db", str(restored), "restore", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "restaurado" in out and "regua_log: 3" in out
    assert table_rows(restored) == table_rows(db.path)
    assert sorted(p.name for p in tmp_path.iterdir() if "restaurando" in p.name) == []  # no temporary left
    # the restored database keeps working: new ids do not collide with restored ones
    again = open_db(restored)
    again.contacts.register_one("145", channel="Telefone")
    assert again.receivables.counts()["contacts"] == 3


def test_manifest_lists_every_table_of_the_schema(db, tmp_path):
    folder, counts = backup(db, tmp_path / "bk")
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["rows"]
    with duckdb.connect(str(db.path), read_only=True) as con:
        in_file = set(catalog.tables(con))
    assert set(manifest) == set(counts) == in_file == schema.schema_tables(SCHEMA_VERSION)
    assert {"regua_steps", "regua_log"} <= set(manifest)


def test_restore_refuses_a_backup_whose_step_log_was_emptied(db, tmp_path):
    add_step_log(db)
    folder, _ = backup(db, tmp_path / "bk")
    (log_file,) = folder.glob("regua_log*.parquet")
    pq.write_table(pq.read_table(log_file).slice(0, 0), log_file)  # the file is there, its rows are gone
    target = tmp_path / "novo.duckdb"
    with pytest.raises(InputError, match="regua_log: esperado 3, lido 0"):
        restore(folder, target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bk", "cobranca.duckdb", "cobranca.duckdb.lock",
                                                           "novo.duckdb.lock"]


def test_restore_refuses_a_manifest_that_omits_a_table(db, tmp_path):
    folder, _ = backup(db, tmp_path / "bk")
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    for table in ("regua_steps", "regua_log"):  # what older versions wrote
        del manifest["rows"][table]
    (folder / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(InputError, match="não lista as tabelas regua_log, regua_steps"):
        restore(folder, tmp_path / "novo.duckdb")
    assert not (tmp_path / "novo.duckdb").exists()


def test_restore_refuses_to_overwrite_and_non_backups(db, tmp_path):
    folder, _ = backup(db, tmp_path / "bk")
    with pytest.raises(InputError, match="já existe"):
        restore(folder, db.path)
    with pytest.raises(InputError, match="não é um backup"):
        restore(tmp_path, tmp_path / "novo.duckdb")
    with pytest.raises(InputError, match="não está vazia"):
        backup(db, folder)
    (folder / MANIFEST).write_text("{não é json", encoding="utf-8")
    with pytest.raises(InputError, match="corrompido"):
        restore(folder, tmp_path / "novo.duckdb")


def test_restore_replaces_the_debris_of_an_interrupted_restore(db, tmp_path):
    folder, _ = backup(db, tmp_path / "bk")
    target = tmp_path / "novo.duckdb"
    duckdb.connect(str(target)).close()  # what a restore killed before its import left: a file with no tables
    (tmp_path / ".novo.duckdb.restaurando").write_bytes(b"half a file")  # and a killed temporary
    restore(folder, target)
    assert table_rows(target) == table_rows(db.path)
    assert not (tmp_path / ".novo.duckdb.restaurando").exists()
    empty = tmp_path / "vazio.duckdb"
    empty.write_bytes(b"")
    restore(folder, empty)
    assert table_rows(empty) == table_rows(db.path)


def test_restore_never_overwrites_a_foreign_file(db, tmp_path):
    folder, _ = backup(db, tmp_path / "bk")
    text = tmp_path / "notas.txt"
    text.write_text("não é um banco", encoding="utf-8")
    with pytest.raises(InputError, match="já existe"):
        restore(folder, text)
    assert text.read_text(encoding="utf-8") == "não é um banco"


@pytest.mark.parametrize("kind", ["no tables", "foreign tables"])
def test_a_file_without_the_schema_is_an_error_not_an_empty_database(tmp_path, capsys, kind):
    path = tmp_path / "partial.duckdb"
    with duckdb.connect(str(path)) as con:
        if kind == "foreign tables":
            con.execute("CREATE TABLE vendas (id INTEGER)")
    before = path.read_bytes()
    assert main(["--db", str(path), "worklist"]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "não é um banco do cobranca" in err and "restore" in err
    with duckdb.connect(str(path), read_only=True) as con:
        assert catalog.tables(con) == ([] if kind == "no tables" else ["vendas"])
    assert path.read_bytes() == before


def test_a_new_or_empty_file_is_initialised(tmp_path, capsys):
    empty = tmp_path / "vazio.duckdb"
    empty.write_bytes(b"")
    for path in (empty, tmp_path / "novo.duckdb"):
        assert main(["--db", str(path), "worklist"]) == 0
        assert "0 contas" in capsys.readouterr().err
        with duckdb.connect(str(path), read_only=True) as con:
            assert catalog.has_schema(con)
