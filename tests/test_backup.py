"""Backups: every table round-trips through `cobranca backup` / `cobranca restore`."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pytest

from cobranca import open_db
from cobranca.backup import BACKUP_TABLES, backup, restore
from cobranca.cli import main
from cobranca.errors import InputError


def table_rows(path):
    with duckdb.connect(str(path)) as con:
        return {t: sorted(con.table(t).fetchall(), key=repr) for t in BACKUP_TABLES}


def test_backup_and_restore_round_trip_every_table(db, tmp_path, capsys):
    db.register_contact("144", channel="WhatsApp", to="+5549999123456", message="Olá ção", at=datetime(2020, 6, 8, 9))
    db.register_comment("144", "Visualizou e não respondeu", at=datetime(2020, 6, 8, 10))
    db.cancel_last_contact("144", by="GERENTE")
    db.add_filter(description="Grandes", min_days=1, max_days=60, min_balance="1000")
    db.set_setting("company_name", "CompuFour Software")
    folder = tmp_path / "bk"
    assert main(["--db", str(db.path), "backup", str(folder)]) == 0
    restored = tmp_path / "restaurado.duckdb"
    assert main(["--db", str(restored), "restore", str(folder)]) == 0
    assert "restaurado" in capsys.readouterr().out
    assert table_rows(restored) == table_rows(db.path)
    # the restored database keeps working: new ids do not collide with restored ones
    again = open_db(restored)
    again.register_contact("145", channel="Telefone")
    assert again.counts()["contacts"] == 3


def test_restore_refuses_to_overwrite_and_non_backups(db, tmp_path):
    folder, _ = backup(db, tmp_path / "bk")
    with pytest.raises(InputError, match="já existe"):
        restore(folder, db.path)
    with pytest.raises(InputError, match="não é um backup"):
        restore(tmp_path, tmp_path / "novo.duckdb")
    with pytest.raises(InputError, match="não está vazia"):
        backup(db, folder)
