"""Saved filters: list, insert (unique description, case-insensitive), update, delete."""

from __future__ import annotations

import duckdb

from ..core import clock
from ..core.errors import InputError, NotFoundError
from ..receivables.filters import Filter

_COLUMNS = ("id, description, due_today, min_days, max_days, channel, min_balance, max_balance, customer_search, "
            "status, mine")  # status: schema step 2; mine: step 4

_INSERT = ("INSERT INTO filters (id, description, due_today, min_days, max_days, channel, min_balance, max_balance, "
           "customer_search, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
_INSERT_WITH_STATUS = _INSERT.replace("updated_at)", "updated_at, status)").replace("?)", "?, ?)")


def read_all(con: duckdb.DuckDBPyConnection) -> list[Filter]:
    rows = con.execute(f"SELECT {_COLUMNS} FROM filters ORDER BY id").fetchall()  # noqa: S608 - constant
    return [
        Filter(id=r[0], description=r[1], due_today=r[2], min_days=r[3], max_days=r[4], channel=r[5],
               min_balance=r[6], max_balance=r[7], customer_search=r[8], status=r[9],
               mine=bool(r[10]))
        for r in rows
    ]


def _check_unique_description(con: duckdb.DuckDBPyConnection, flt: Filter) -> None:
    clash = con.execute(
        "SELECT id FROM filters WHERE lower(description) = lower(?) AND id IS DISTINCT FROM ?",
        [flt.description, flt.id],
    ).fetchone()
    if clash:
        raise InputError(f"Já existe um filtro chamado '{flt.description}'. Escolha outra descrição.")


def insert(con: duckdb.DuckDBPyConnection, flt: Filter) -> int:
    _check_unique_description(con, flt)
    new_id = con.execute("SELECT nextval('filter_ids')").fetchone()[0]
    values = [new_id, flt.description, flt.due_today, flt.min_days, flt.max_days, flt.channel,
              flt.min_balance, flt.max_balance, flt.customer_search, clock.stored()]
    if flt.status is None:  # also while schema step 1 runs, before the status column exists
        con.execute(_INSERT, values)
    else:
        con.execute(_INSERT_WITH_STATUS, [*values, flt.status])
    if flt.mine:  # a column of schema step 4
        con.execute("UPDATE filters SET mine = TRUE WHERE id = ?", [new_id])
    return new_id


def update(con: duckdb.DuckDBPyConnection, flt: Filter) -> None:
    if con.execute("SELECT count(*) FROM filters WHERE id = ?", [flt.id]).fetchone()[0] == 0:
        raise NotFoundError(f"Filtro não encontrado (id {flt.id}); ele pode ter sido excluído em outra aba.")
    _check_unique_description(con, flt)
    con.execute(
        """UPDATE filters SET description = ?, due_today = ?, min_days = ?, max_days = ?, channel = ?,
               min_balance = ?, max_balance = ?, customer_search = ?, updated_at = ?, status = ?, mine = ? WHERE id = ?""",
        [flt.description, flt.due_today, flt.min_days, flt.max_days, flt.channel, flt.min_balance,
         flt.max_balance, flt.customer_search, clock.stored(), flt.status, bool(flt.mine), flt.id],
    )


def delete(con: duckdb.DuckDBPyConnection, filter_id: int) -> None:
    con.execute("DELETE FROM filters WHERE id = ?", [filter_id])
