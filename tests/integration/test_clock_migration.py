"""Schema step 5: a file whose rows were written in the old conventions (the server's local clock, the régua in
company time) upgrades to naive UTC, each column from its own zone; a new file is left as written."""

from __future__ import annotations

import time
from datetime import datetime

import pytest
from support.known import ENGINES, receivables_frame
from support.pg_helpers import raw_connection

from cobranca import open_db
from cobranca.core import clock
from cobranca.store import SCHEMA_VERSION, schema
from cobranca.store.clock_schema import server_zone

ENGINES = ENGINES  # runs on a DuckDB file and on PostgreSQL (see conftest.py)
SERVER = "Asia/Tokyo"  # the old server's zone (UTC+9, no DST): far from São Paulo so every shift shows


def old_conventions_file(path, monkeypatch) -> dict[str, int]:
    """A version 4 file holding a call, an opt-out, a régua e-mail and task, and a cancelled comment, with the
    timestamps the old code wrote: the server's local time, except the régua's (company time)."""
    with monkeypatch.context() as patch:
        patch.setattr(schema, "SCHEMA_VERSION", 4)
        old = open_db(path)
        old.receivables.upsert(receivables_frame())
        call = old.contacts.register_one("144", channel="Telefone", observation="ligou")
        email = old.contacts.register_one("144", channel="E-mail", to="financeiro@compufour.com.br", message="Aviso")
        comment = old.contacts.comment("402", "cancelado depois")
        old.contacts.cancel_last("402")
        old.policy.opt_out("1", reason="pediu")
        assert old.schema_version() == 4
    with raw_connection(path) as con:
        rid = con.execute("SELECT id FROM receivables WHERE document = '144'").fetchone()[0]
        step = con.execute("SELECT id, name FROM regua_steps ORDER BY days DESC LIMIT 1").fetchone()
        con.execute("UPDATE contacts SET created_at = TIMESTAMP '2026-12-07 10:00' WHERE id = ?", [call])
        con.execute("UPDATE contacts SET created_at = TIMESTAMP '2026-12-07 09:00' WHERE id = ?", [email])
        con.execute("""UPDATE contacts SET created_at = TIMESTAMP '2026-12-07 11:00',
                       cancelled_at = TIMESTAMP '2026-12-07 11:30' WHERE id = ?""", [comment])
        con.execute("UPDATE customer_events SET created_at = TIMESTAMP '2026-12-07 20:00'")
        for outcome, contact in (("sent", email), ("task", None)):
            con.execute("""INSERT INTO regua_log VALUES (nextval('regua_log_ids'), ?, ?, ?, DATE '2026-12-07', ?,
                           'E-mail', ?, NULL, TIMESTAMP '2026-12-07 09:00')""", [rid, step[0], step[1], outcome,
                                                                                 contact])
    return {"call": call, "email": email, "comment": comment}


def stored(path, sql: str, params=()):
    with raw_connection(path) as con:
        return con.execute(sql, list(params)).fetchall()


def test_old_rows_become_utc_each_from_its_own_zone(db_path, monkeypatch):
    ids = old_conventions_file(db_path, monkeypatch)
    monkeypatch.setenv("COBRANCA_LEGACY_TZ", SERVER)
    db = open_db(db_path)
    assert db.schema_version() == SCHEMA_VERSION >= 5
    created = dict(stored(db_path, "SELECT id, created_at FROM contacts"))
    assert created[ids["call"]] == datetime(2026, 12, 7, 1, 0)  # 10:00 in Tokyo
    assert created[ids["email"]] == datetime(2026, 12, 7, 12, 0)  # the régua's 09:00 in São Paulo
    assert created[ids["comment"]] == datetime(2026, 12, 7, 2, 0)
    assert stored(db_path, "SELECT cancelled_at FROM contacts WHERE id = ?", [ids["comment"]]) == [
        (datetime(2026, 12, 7, 2, 30),)]
    assert {r[0] for r in stored(db_path, "SELECT created_at FROM regua_log")} == {datetime(2026, 12, 7, 12, 0)}
    assert stored(db_path, "SELECT created_at FROM customer_events") == [(datetime(2026, 12, 7, 11, 0),)]
    settings = db.settings.stored()
    assert settings["timestamps_stored_as"] == "UTC"
    assert SERVER in settings["timestamps_migrated_from"] and "America/Sao_Paulo" in settings["timestamps_migrated_from"]
    history = db.contacts.history("144")  # in company time, in the order things happened
    assert [(e.strftime("%d/%m %H:%M"), k) for e, k in zip(history["created_at"], history["channel"], strict=True)] == [
        ("07/12 09:00", "E-mail"), ("07/12 08:00", "Não contatar"), ("06/12 22:00", "Telefone")]


def test_opening_again_converts_nothing_twice(db_path, monkeypatch):
    ids = old_conventions_file(db_path, monkeypatch)
    monkeypatch.setenv("COBRANCA_LEGACY_TZ", SERVER)
    open_db(db_path).schema_version()
    open_db(db_path).schema_version()
    assert stored(db_path, "SELECT created_at FROM contacts WHERE id = ?", [ids["call"]]) == [
        (datetime(2026, 12, 7, 1, 0),)]


def test_a_new_file_is_written_in_utc_and_left_alone(db_path, monkeypatch):
    monkeypatch.setenv("COBRANCA_LEGACY_TZ", SERVER)
    db = open_db(db_path)
    assert db.settings.stored()["timestamps_migrated_from"] == "arquivo novo"
    written = stored(db_path, "SELECT updated_at FROM filters UNION ALL SELECT updated_at FROM regua_steps")
    assert written and all(abs((w - clock.stored()).total_seconds()) < 60 for (w,) in written)  # not shifted


@pytest.mark.parametrize(("tz", "expected"), [("America/Manaus", "America/Manaus"), ("UTC", "UTC")])
def test_the_server_zone_is_the_process_zone(monkeypatch, tz, expected):
    monkeypatch.delenv("COBRANCA_LEGACY_TZ", raising=False)
    monkeypatch.setenv("TZ", tz)
    time.tzset()
    try:
        assert server_zone() == expected
    finally:
        monkeypatch.undo()
        time.tzset()
