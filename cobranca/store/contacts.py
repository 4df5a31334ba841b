"""The contact log: append (one or many), cancel the last entry, history, per-day counts.

`COUNTS_AS_CONTACT` is the one definition of which entries count as a contact ("contacted today",
"last contact"): not cancelled and not a comment (channel Nenhum). Every query uses it.
"""

from __future__ import annotations

from datetime import date, datetime

import duckdb
import pandas as pd

from ..core.clock import DEFAULT_TIMEZONE
from ..core.errors import NotFoundError
from ..core.text import noun
from . import opt_outs
from .frames import analyze, to_frame

COMMENT_CHANNEL = "Nenhum"
COUNTS_AS_CONTACT = f"ct.cancelled_at IS NULL AND ct.channel <> '{COMMENT_CHANNEL}'"

_ENTRY_COLUMNS = ["document", "installment", "channel", "responsible", "destination", "message", "observation",
                  "created_at"]


def add(con: duckdb.DuckDBPyConnection, receivable_id: int, document: str, installment: str, channel: str,
        responsible: str, destination: str | None, message: str | None, observation: str | None,
        created_at: datetime) -> int:
    """Append one entry to the log of an existing receivable; returns its id (one statement, one round trip)."""
    return con.execute(
        "INSERT INTO contacts VALUES (nextval('contact_ids'), ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL) RETURNING id",
        [receivable_id, document, installment, channel, responsible, destination, message, observation, created_at],
    ).fetchone()[0]


_ADD_BY_KEY = """INSERT INTO contacts SELECT nextval('contact_ids'), r.id, r.document, r.installment, ?, ?, ?, ?, ?, ?,
                     NULL, NULL FROM receivables r WHERE r.document = ? AND r.installment = ?{unless} RETURNING id"""


def add_by_key(con: duckdb.DuckDBPyConnection, document: str, installment: str, channel: str, responsible: str,
               destination: str | None, message: str | None, observation: str | None,
               created_at: datetime, unless_opted_out: bool = False) -> int | None:
    """Append one entry to the receivable (document, installment) found in the same statement; its id, or None
    when there is no such receivable or (`unless_opted_out`) its customer opted out — the caller then says
    why. One round trip in all; the opt-out is judged in the INSERT's own snapshot."""
    row = con.execute(
        _ADD_BY_KEY.format(unless=f" AND {opt_outs.NOT_OPTED_OUT}" if unless_opted_out else ""),
        [channel, responsible, destination, message, observation, created_at, document, installment],
    ).fetchall()
    return row[0][0] if row else None


def add_many(con: duckdb.DuckDBPyConnection, entries: pd.DataFrame) -> int:
    """Append many entries (columns _ENTRY_COLUMNS) inside the caller's transaction; all must name receivables."""
    src = entries.loc[:, _ENTRY_COLUMNS].astype({c: "object" for c in _ENTRY_COLUMNS[:-1]})
    con.register("new_contacts", src)
    try:
        orphans = con.execute(
            """SELECT count(*) FROM new_contacts n WHERE NOT EXISTS (SELECT 1 FROM receivables r
               WHERE r.document = n.document AND r.installment = n.installment)"""
        ).fetchone()[0]
        if orphans:
            raise NotFoundError(f"{orphans} {noun(orphans, 'contato cita uma conta que não existe', 'contatos citam contas que não existem')}; "
                                "nada foi gravado.")
        con.execute(
            """INSERT INTO contacts SELECT nextval('contact_ids'), r.id, n.document, n.installment, n.channel,
                   n.responsible, n.destination, n.message, n.observation, CAST(n.created_at AS TIMESTAMP),
                   NULL, NULL
               FROM new_contacts n JOIN receivables r
                    ON r.document = n.document AND r.installment = n.installment"""
        )
    finally:
        con.unregister("new_contacts")
    analyze(con, "contacts")
    return len(src)


def last_entry(con: duckdb.DuckDBPyConnection, receivable_id: int) -> dict | None:
    """The newest entry not cancelled (contact or comment), or None."""
    row = con.execute(
        """SELECT id, channel, created_at, observation FROM contacts
           WHERE receivable_id = ? AND cancelled_at IS NULL ORDER BY created_at DESC, id DESC LIMIT 1""",
        [receivable_id],
    ).fetchone()
    return None if row is None else dict(zip(("id", "channel", "created_at", "observation"), row, strict=True))


def cancel(con: duckdb.DuckDBPyConnection, contact_id: int, by: str, at: datetime) -> None:
    """Mark one entry as cancelled; nothing is deleted."""
    con.execute("UPDATE contacts SET cancelled_at = ?, cancelled_by = ? WHERE id = ?", [at, by, contact_id])


def history(con: duckdb.DuckDBPyConnection, receivable_ids: list[int], include_cancelled: bool = False) -> pd.DataFrame:
    """Entries of the given receivables, newest first."""
    return to_frame(con.sql(
        """SELECT ct.id, ct.receivable_id, ct.document, ct.installment, ct.created_at, ct.channel, ct.responsible,
                  ct.destination, ct.message, ct.observation, ct.cancelled_at, ct.cancelled_by
           FROM contacts ct
           WHERE ct.receivable_id IN (SELECT unnest(CAST($ids AS BIGINT[]))) AND ($all OR ct.cancelled_at IS NULL)
           ORDER BY ct.created_at DESC, ct.id DESC""",
        params={"ids": [int(i) for i in receivable_ids], "all": include_cancelled},
    ))


def company_day(column: str) -> str:
    """SQL: the company-time date (time zone in $tz) of a stored naive-UTC timestamp column."""
    return f"CAST(timezone($tz, timezone('UTC', {column})) AS DATE)"


def per_day(con: duckdb.DuckDBPyConnection, since: date, until: date, tz: str = DEFAULT_TIMEZONE) -> pd.DataFrame:
    """Contacts (comments excluded) per company-time day and channel in [since, until]."""
    return to_frame(con.sql(
        f"""SELECT {company_day("ct.created_at")} AS day, ct.channel, count(*) AS contacts FROM contacts ct
            WHERE {COUNTS_AS_CONTACT}
              AND ct.created_at >= $since - INTERVAL 2 DAY AND ct.created_at < $until + INTERVAL 2 DAY
              AND {company_day("ct.created_at")} BETWEEN $since AND $until
            GROUP BY 1, 2 ORDER BY day, ct.channel""",  # noqa: S608 - constant fragment
        params={"since": since, "until": until, "tz": tz},
    ))


def contacted_on(con: duckdb.DuckDBPyConnection, start: datetime, end: datetime,
                 channel: str | None = None) -> set[tuple[str, str]]:
    """(document, installment) pairs with a contact stored in [start, end) (a company day in UTC), maybe one channel."""
    rows = con.execute(
        f"""SELECT DISTINCT ct.document, ct.installment FROM contacts ct
            WHERE {COUNTS_AS_CONTACT} AND ct.created_at >= ? AND ct.created_at < ?
              AND (? IS NULL OR ct.channel = ?)""",  # noqa: S608 - constant fragment
        [start, end, channel, channel],
    ).fetchall()
    return {(r[0], r[1]) for r in rows}
