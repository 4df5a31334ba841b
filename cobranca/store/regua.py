"""Régua de cobrança records: the steps (regua_steps) and the step log (regua_log) that makes runs idempotent.

One entry per (receivable, step), written by store/regua_claims.py: a step is done once its entry is 'sent'
(contact_id names the contact), 'task', 'sending' (a run is sending it) or 'uncertain'; 'failed' is retried.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from ..core import clock
from ..core.errors import InputError, NotFoundError
from ..core.text import noun
from ..promises.status import is_paused_sql
from ..receivables.filters import REGUA_FILTERS, Filter
from ..regua.plan import DEFAULT_STEPS, DONE_OUTCOMES, Step
from . import filters as filter_records
from .contacts import COUNTS_AS_CONTACT
from .frames import to_frame

_STEP_COLUMNS = "id, name, days, channel, subject, body"


def _defaults(con: duckdb.DuckDBPyConnection) -> None:
    """The default cadence (regua_plan.DEFAULT_STEPS) and the "Tarefas de hoje" filter, new and migrated files."""
    for step in DEFAULT_STEPS:
        insert_step(con, step)
    taken = {row[0].lower() for row in con.execute("SELECT description FROM filters").fetchall()}
    for spec in REGUA_FILTERS:
        if spec["description"].lower() not in taken:
            filter_records.insert(con, Filter(**spec).validated())


# Worklist status condition (filters with status 'regua_tasks'): receivables with an open task, not paused.
OPEN_TASKS_CONDITION = f"""AND NOT {is_paused_sql('status')} AND receivable_id IN (
    SELECT l.receivable_id FROM regua_log l WHERE l.outcome IN ('task', 'uncertain') AND l.day <= $as_of
      AND NOT EXISTS (SELECT 1 FROM contacts ct WHERE ct.receivable_id = l.receivable_id
                      AND {COUNTS_AS_CONTACT} AND ct.created_at >= l.created_at))"""  # noqa: S608 - constants


# Schema step 3 (see schema.py): additive, an older file upgrades on open and gets the default cadence.
SCHEMA_STEP = [
    "CREATE SEQUENCE regua_step_ids",
    """CREATE TABLE regua_steps (
        id BIGINT PRIMARY KEY, name VARCHAR NOT NULL, days INTEGER NOT NULL, channel VARCHAR NOT NULL,
        subject VARCHAR, body VARCHAR, updated_at TIMESTAMP NOT NULL)""",
    "CREATE SEQUENCE regua_log_ids",
    # step_name is copied so the log still reads after a step is renamed or deleted
    """CREATE TABLE regua_log (
        id BIGINT NOT NULL, receivable_id BIGINT NOT NULL, step_id BIGINT NOT NULL, step_name VARCHAR NOT NULL,
        day DATE NOT NULL, outcome VARCHAR NOT NULL, channel VARCHAR NOT NULL, contact_id BIGINT,
        detail VARCHAR, created_at TIMESTAMP NOT NULL)""",
    _defaults,
]


def steps(con: duckdb.DuckDBPyConnection) -> list[Step]:
    """Every step, by offset (days relative to the due date)."""
    rows = con.execute(f"SELECT {_STEP_COLUMNS} FROM regua_steps ORDER BY days, id").fetchall()  # noqa: S608
    return [Step(id=r[0], name=r[1], days=r[2], channel=r[3], subject=r[4], body=r[5]) for r in rows]


def _check_unique(con: duckdb.DuckDBPyConnection, step: Step) -> None:
    clash = con.execute(
        "SELECT name FROM regua_steps WHERE lower(name) = lower(?) AND id IS DISTINCT FROM ?", [step.name, step.id]
    ).fetchone()
    if clash:
        raise InputError(f"Já existe uma etapa chamada '{clash[0]}'. Escolha outro nome.")
    clash = con.execute(
        "SELECT name FROM regua_steps WHERE days = ? AND id IS DISTINCT FROM ?", [step.days, step.id]
    ).fetchone()
    if clash:
        raise InputError(f"A etapa '{clash[0]}' já usa {step.days} {noun(step.days, 'dia', 'dias')}; "
                         "cada etapa precisa de um dia diferente.")


def find_step(con: duckdb.DuckDBPyConnection, name: str) -> Step:
    """The step called `name` (any case); NotFoundError listing the steps otherwise."""
    for step in steps(con):
        if step.name.lower() == str(name).strip().lower():
            return step
    names = ", ".join(s.name for s in steps(con)) or "nenhuma"
    raise NotFoundError(f"Etapa '{name}' não encontrada. Etapas: {names}.")


def insert_step(con: duckdb.DuckDBPyConnection, step: Step) -> int:
    _check_unique(con, step)
    new_id = con.execute("SELECT nextval('regua_step_ids')").fetchone()[0]
    con.execute("INSERT INTO regua_steps VALUES (?, ?, ?, ?, ?, ?, ?)",
                [new_id, step.name, step.days, step.channel, step.subject, step.body, clock.stored()])
    return new_id


def update_step(con: duckdb.DuckDBPyConnection, step: Step) -> None:
    _check_unique(con, step)
    con.execute("UPDATE regua_steps SET name = ?, days = ?, channel = ?, subject = ?, body = ?, updated_at = ? "
                "WHERE id = ?", [step.name, step.days, step.channel, step.subject, step.body, clock.stored(), step.id])


def delete_step(con: duckdb.DuckDBPyConnection, step_id: int) -> None:
    """Remove a step; its log entries stay (with the step's name)."""
    con.execute("DELETE FROM regua_steps WHERE id = ?", [step_id])


def done_pairs(con: duckdb.DuckDBPyConnection, receivable_ids: list[int]) -> set[tuple[int, int]]:
    """(receivable_id, step_id) of the steps already done for these receivables."""
    if not receivable_ids:
        return set()
    rows = con.execute(
        "SELECT DISTINCT receivable_id, step_id FROM regua_log WHERE outcome IN (SELECT unnest($done)) "
        "AND receivable_id IN (SELECT unnest($ids))",
        {"done": list(DONE_OUTCOMES), "ids": [int(i) for i in receivable_ids]},
    ).fetchall()
    return {(r[0], r[1]) for r in rows}


def log(con: duckdb.DuckDBPyConnection, since: date, until: date, limit: int = 1000) -> pd.DataFrame:
    """Log entries of [since, until], newest first, with the receivable and customer they name."""
    return to_frame(con.sql(
        """SELECT l.id, l.created_at, l.day, l.step_name, l.outcome, l.channel, l.contact_id, l.detail,
                  r.document, r.installment, c.name AS customer, l.receivable_id
           FROM regua_log l JOIN receivables r ON r.id = l.receivable_id JOIN customers c ON c.id = r.customer_id
           WHERE l.day BETWEEN $since AND $until ORDER BY l.created_at DESC, l.id DESC LIMIT $limit""",
        params={"since": since, "until": until, "limit": int(limit)},
    ))


def open_tasks(con: duckdb.DuckDBPyConnection, until: date) -> pd.DataFrame:
    """Tasks created up to `until` with no contact registered on their receivable since they were created."""
    return to_frame(con.sql(
        f"""SELECT l.receivable_id, l.step_name, l.channel, l.day, l.created_at FROM regua_log l
            WHERE l.outcome IN ('task', 'uncertain') AND l.day <= $until
              AND NOT EXISTS (SELECT 1 FROM contacts ct WHERE ct.receivable_id = l.receivable_id
                              AND {COUNTS_AS_CONTACT} AND ct.created_at >= l.created_at)
            ORDER BY l.created_at, l.id""",  # noqa: S608 - constant fragment
        params={"until": until},
    ))
