"""Schema step 5: every stored timestamp becomes naive UTC, and the file says so.

Before this step two clocks wrote the file: the régua (regua_log.created_at and the e-mail contacts it
recorded) in company time, everything else with the server's `datetime.now()` — the server's local time.
The step converts each from its own zone. The server's zone is the one of the process that upgrades the file
(TZ, else /etc/localtime), or COBRANCA_LEGACY_TZ when the file was written on a server in another zone.
The settings rows `timestamps_stored_as` = 'UTC' and `timestamps_migrated_from` record the convention.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import duckdb

from ..core import clock
from . import catalog
from .frames import engine_of

LEGACY_TZ_ENV = "COBRANCA_LEGACY_TZ"
UPGRADING_FROM = "cobranca_upgrading_from"  # set by schema.migrate: the database's version before the upgrade
STORED_AS_KEY, MIGRATED_FROM_KEY = "timestamps_stored_as", "timestamps_migrated_from"
_COMPANY_CLOCK = {("regua_log", "created_at")}  # the régua wrote company time; its e-mail contacts too (below)
_REGUA_CONTACTS = "id IN (SELECT contact_id FROM regua_log WHERE contact_id IS NOT NULL)"


def _zone(name: str) -> str | None:
    """`name` when it is an IANA zone this machine knows, else None."""
    name = name.strip().lstrip(":")
    if not name or name.startswith(("/", ".")):
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None
    return name


def server_zone() -> str:
    """The zone the server's naive `datetime.now()` was in: COBRANCA_LEGACY_TZ, TZ, /etc/localtime, the offset."""
    for candidate in (os.environ.get(LEGACY_TZ_ENV, ""), os.environ.get("TZ", "")):
        if _zone(candidate):
            return _zone(candidate)
    target = str(Path("/etc/localtime").resolve())
    if "zoneinfo/" in target and _zone(target.split("zoneinfo/", 1)[1]):
        return _zone(target.split("zoneinfo/", 1)[1])
    hours = -time.timezone // 3600  # whole-hour offset: Etc/GMT names have the sign inverted
    return "UTC" if hours == 0 else f"Etc/GMT{'-' if hours > 0 else '+'}{abs(hours)}"


def _company_zone(con: duckdb.DuckDBPyConnection) -> str:
    row = con.execute("SELECT value FROM settings WHERE key = 'timezone'").fetchone()
    return (_zone(row[0]) if row else None) or clock.DEFAULT_TIMEZONE


def _convert(con: duckdb.DuckDBPyConnection, table: str, column: str, zone: str, where: str = "TRUE") -> None:
    """`column` of `table` (our own names from the catalogue, never user text) read in `zone`, written as UTC."""
    if zone == "UTC":
        return
    con.execute(f"UPDATE {table} SET {column} = timezone('UTC', timezone(?, {column}))"  # noqa: S608 - catalogue
                f" WHERE {column} IS NOT NULL AND ({where})", [zone])


# The version before the upgrade, kept in the session for the steps (side by side: a DuckDB variable, a
# PostgreSQL setting local to the migration's transaction).
_SET_UPGRADING = {"duckdb": "SET VARIABLE " + UPGRADING_FROM + " = {version}",
                  "postgres": "SET LOCAL cobranca." + UPGRADING_FROM + " = '{version}'"}
_GET_UPGRADING = {"duckdb": f"SELECT getvariable('{UPGRADING_FROM}')",
                  "postgres": f"SELECT current_setting('cobranca.{UPGRADING_FROM}', true)"}


def set_upgrading_from(con: duckdb.DuckDBPyConnection, version: int) -> None:
    con.execute(_SET_UPGRADING[engine_of(con)].format(version=int(version)))


def _upgrading_from(con: duckdb.DuckDBPyConnection) -> int:
    value = con.execute(_GET_UPGRADING[engine_of(con)]).fetchone()[0]
    return int(value or 0)


def to_utc(con: duckdb.DuckDBPyConnection) -> None:
    """Convert the rows of a file written before step 5; a new file's rows are already UTC."""
    server, company = server_zone(), _company_zone(con)
    if _upgrading_from(con) > 0:
        for table, column in catalog.timestamp_columns(con):
            if (table, column) in _COMPANY_CLOCK:
                _convert(con, table, column, company)
            elif (table, column) == ("contacts", "created_at"):
                _convert(con, table, column, company, _REGUA_CONTACTS)
                _convert(con, table, column, server, f"NOT ({_REGUA_CONTACTS})")
            else:
                _convert(con, table, column, server)
        origin = f"servidor {server}; régua {company}"
    else:
        origin = "arquivo novo"
    now = clock.stored()
    con.executemany("INSERT INTO settings VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, "
                    "updated_at = excluded.updated_at",
                    [[STORED_AS_KEY, "UTC", now], [MIGRATED_FROM_KEY, origin, now]])


SCHEMA_STEP = [to_utc]
