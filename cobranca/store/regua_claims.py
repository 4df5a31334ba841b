"""The régua's step log, once per (receivable, step): a claim before the e-mail, its result after it.

`regua_log` holds one row per (receivable_id, step_id) (schema step 7 makes it UNIQUE). A run claims the
pairs of a message ('sending', "envio em andamento") in the short transaction that re-checks the customer, talks
to the SMTP server with nothing held, then settles the same rows: 'sent' (with the contact), 'failed' (retryable:
the next claim takes the row over), or 'task' (a permanent refusal: the analyst takes it). A row still 'sending'
when the next run starts was left by a run that died mid-send: it becomes 'uncertain' ("envio incerto"), which is
never resent blindly and shows as a task for the analyst.
"""

from __future__ import annotations

from datetime import date, datetime

import duckdb

from ..regua.plan import FAILED, SENDING, SENT, TASK, UNCERTAIN, Step
from .frames import engine_of, prepared

_LOG_COLUMNS = "id, receivable_id, step_id, step_name, day, outcome, channel, contact_id, detail, created_at"
# Schema step 7: keep one row per (receivable, step) — the earliest that counts as done (sent/task), else the
# earliest — in a table where a second one is impossible. (DuckDB cannot build a unique index over rows deleted in
# the same transaction, hence the copy.)
SCHEMA_STEP = [
    """CREATE TABLE regua_log_once (
        id BIGINT NOT NULL, receivable_id BIGINT NOT NULL, step_id BIGINT NOT NULL, step_name VARCHAR NOT NULL,
        day DATE NOT NULL, outcome VARCHAR NOT NULL, channel VARCHAR NOT NULL, contact_id BIGINT,
        detail VARCHAR, created_at TIMESTAMP NOT NULL, UNIQUE (receivable_id, step_id))""",
    f"""INSERT INTO regua_log_once SELECT {_LOG_COLUMNS} FROM (
        SELECT *, row_number() OVER (
            PARTITION BY receivable_id, step_id
            ORDER BY CASE WHEN outcome IN ('sent', 'task') THEN 0 ELSE 1 END, created_at, id) AS n
        FROM regua_log) AS ranked WHERE n = 1""",  # noqa: S608 - constant
    "DROP TABLE regua_log",
    "ALTER TABLE regua_log_once RENAME TO regua_log",
]

_UPSERT = """INSERT INTO regua_log VALUES {values}
    ON CONFLICT (receivable_id, step_id) DO UPDATE SET
        outcome = excluded.outcome, channel = excluded.channel, day = excluded.day, step_name = excluded.step_name,
        contact_id = NULL, detail = excluded.detail, created_at = excluded.created_at
    WHERE regua_log.outcome = 'failed'
    RETURNING receivable_id"""


def _take(con: duckdb.DuckDBPyConnection, entries: list[tuple], day: date, outcome: str,
          at: datetime) -> set[int]:
    """Insert (receivable_id, step, channel, detail) entries, or take over a 'failed' row of the same pair;
    a pair already claimed, sent, uncertain or made a task is left alone. Returns the receivable ids taken.
    One statement: the ids come from the sequence inside it."""
    if not entries:
        return set()
    one = "(nextval('regua_log_ids'), ?, ?, ?, ?, ?, ?, NULL, ?, ?)"
    values = [v for rid, step, channel, detail in entries
              for v in (int(rid), step.id, step.name, day, outcome, channel, detail, at)]
    sql = _UPSERT.replace("{values}", ", ".join([one] * len(entries)))
    return {row[0] for row in prepared(con, sql, values).fetchall()}


def claim(con: duckdb.DuckDBPyConnection, pairs: list[tuple[int, Step]], day: date, at: datetime) -> set[int]:
    """Claim these (receivable_id, step) pairs for an e-mail about to be sent; returns the ids claimed."""
    return _take(con, [(rid, step, "E-mail", None) for rid, step in pairs], day, SENDING, at)


def add_tasks(con: duckdb.DuckDBPyConnection, entries: list[tuple], day: date, at: datetime) -> int:
    """Tasks (receivable_id, step, channel, note) for the analyst; a pair already done is not added again."""
    return len(_take(con, entries, day, TASK, at))


_SETTLE = """UPDATE regua_log SET outcome = ?, channel = v.channel, contact_id = v.contact_id, detail = v.detail,
        created_at = ?
    FROM (VALUES {values}) AS v(receivable_id, step_id, channel, contact_id, detail)
    WHERE regua_log.receivable_id = v.receivable_id AND regua_log.step_id = v.step_id AND regua_log.outcome = ?"""
_SETTLE_ROW = "(CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS VARCHAR), CAST(? AS BIGINT), CAST(? AS VARCHAR))"


def _settle(con: duckdb.DuckDBPyConnection, rows: list[tuple], outcome: str, at: datetime) -> None:
    """Claimed rows (receivable_id, step_id, channel, contact_id, detail) to their outcome, in one statement."""
    if not rows:
        return
    values = [v for rid, step_id, channel, contact_id, detail in rows
              for v in (int(rid), step_id, channel, contact_id, detail)]
    sql = _SETTLE.replace("{values}", ", ".join([_SETTLE_ROW] * len(rows)))
    prepared(con, sql, [outcome, at, *values, SENDING])


_CONTACT_ROW = "(nextval('contact_ids'), ?, ?, ?, 'E-mail', ?, ?, ?, NULL, ?, NULL, NULL)"


def settle_sent(con: duckdb.DuckDBPyConnection, rows: list[dict], steps: list[Step], responsible: str, to: str,
                message: str | None, at: datetime) -> list[int]:
    """A delivered e-mail: an E-mail contact per receivable and its claim settled as 'sent'; the contact ids.
    PostgreSQL: one statement (the contacts inserted in a CTE the log's update reads); DuckDB, which has no
    data-modifying CTE: two, whatever the number of receivables."""
    values = [v for r in rows for v in (int(r["receivable_id"]), str(r["document"]), str(r["installment"]),
                                         responsible, to, message, at)]
    sql = f"INSERT INTO contacts VALUES {', '.join([_CONTACT_ROW] * len(rows))} RETURNING receivable_id, id"  # noqa: S608
    if engine_of(con) == "postgres":
        pairs = [v for r, s in zip(rows, steps, strict=True) for v in (int(r["receivable_id"]), s.id)]
        made = dict(prepared(con, _settle_sent_sql(sql, len(rows)), [*values, SENT, at, *pairs, SENDING]).fetchall())
        return [made[int(r["receivable_id"])] for r in rows]
    made = dict(prepared(con, sql, values).fetchall())
    ids = [made[int(r["receivable_id"])] for r in rows]
    _settle(con, [(r["receivable_id"], s.id, "E-mail", new_id, None)
                  for r, s, new_id in zip(rows, steps, ids, strict=True)], SENT, at)
    return ids


def _settle_sent_sql(insert: str, count: int) -> str:
    """PostgreSQL: the contacts' INSERT and the claims' update to 'sent' as one statement (both or neither)."""
    pairs = ", ".join(["(CAST(? AS BIGINT), CAST(? AS BIGINT))"] * count)
    return f"""WITH made AS ({insert}), settled AS (
        UPDATE regua_log SET outcome = ?, channel = 'E-mail', contact_id = made.id, detail = NULL, created_at = ?
        FROM made JOIN (VALUES {pairs}) AS v(receivable_id, step_id) ON v.receivable_id = made.receivable_id
        WHERE regua_log.receivable_id = v.receivable_id AND regua_log.step_id = v.step_id AND regua_log.outcome = ?
        RETURNING regua_log.id)
    SELECT receivable_id, id FROM made"""  # noqa: S608 - constant fragments and placeholders


def settle_failed(con: duckdb.DuckDBPyConnection, pairs: list[tuple[int, Step]], detail: str, at: datetime) -> None:
    """Not delivered (temporary): the claim becomes 'failed', which the next run claims again."""
    _settle(con, [(rid, s.id, "E-mail", None, detail[:500]) for rid, s in pairs], FAILED, at)


def settle_task(con: duckdb.DuckDBPyConnection, entries: list[tuple[int, Step, str]], detail: str,
                at: datetime) -> None:
    """Refused for good (5xx): the claim becomes a task on `channel` for the analyst, never retried by e-mail."""
    _settle(con, [(rid, s.id, channel, None, detail[:500]) for rid, s, channel in entries], TASK, at)


def mark_uncertain(con: duckdb.DuckDBPyConnection, at: datetime) -> list[dict]:
    """Claims left 'sending' by a run that died: 'uncertain' now; returns them (receivable, step, day)."""
    rows = con.execute(
        "UPDATE regua_log SET outcome = ?, detail = ?, created_at = ? WHERE outcome = ? "
        "RETURNING receivable_id, step_name, day",
        [UNCERTAIN, "envio incerto: a execução parou durante o envio; confira com o cliente antes de reenviar",
         at, SENDING],
    ).fetchall()
    return [{"receivable_id": r[0], "step_name": r[1], "day": r[2]} for r in rows]


def uncertain(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Every 'uncertain' entry (id, receivable, document, installment, step, day), oldest first."""
    rows = con.execute(
        """SELECT l.receivable_id, r.document, r.installment, l.step_name, l.day FROM regua_log l
           JOIN receivables r ON r.id = l.receivable_id WHERE l.outcome = ? ORDER BY l.created_at, l.id""",
        [UNCERTAIN],
    ).fetchall()
    return [dict(zip(("receivable_id", "document", "installment", "step_name", "day"), r, strict=True)) for r in rows]
