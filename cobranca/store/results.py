"""The SQL sums behind the results (cobranca/results/formulas.py turns them into figures): receivables at a date,
sales by day, days late weighted by amount, payments recovered after a contact, contacts per analyst.

A receivable's payment day: the ERP's paid date; without it, the day a re-import first saw the payment
(payment_events); without either (paid when first imported), before any period.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import duckdb
import pandas as pd

from ..core.clock import DEFAULT_TIMEZONE
from ..receivables.bands import AGING_KEYS
from ..receivables.rules import counted_payment_sql, owed_sql
from . import agreements as agreement_records
from .contacts import COUNTS_AS_CONTACT, company_day
from .frames import engine_of, to_frame
from .payments import aging

_BOOK = """WITH seen AS (
    SELECT receivable_id, CAST(timezone($tz, timezone('UTC', max(recorded_at))) AS DATE) AS seen_on FROM payment_events
    WHERE paid_after > paid_before GROUP BY receivable_id
)""" + agreement_records.CREDIT_ON_CTE + """, book AS (
    SELECT r.id, r.customer_id, coalesce(r.issue_date, r.due_date) AS issued, r.due_date, r.amount, r.paid_amount,
           r.agreement_credit, cr.credited_on,
           CASE WHEN r.paid_amount > 0 THEN coalesce(r.paid_date, s.seen_on, DATE '0001-01-01') END AS paid_on
    FROM receivables r LEFT JOIN seen s ON s.receivable_id = r.id LEFT JOIN credit_on cr ON cr.receivable_id = r.id
)"""  # noqa: S608 - constants

# Outstanding on a day (receivables/rules.owed): issued by then, minus what was paid and credited by then; nothing
# for an original its agreement held that day (the agreement's installments carry it).
_OWED_THEN = owed_sql("amount", "CASE WHEN paid_on <= $day THEN paid_amount ELSE 0 END",
                      "CASE WHEN credited_on IS NULL OR credited_on <= $day THEN agreement_credit ELSE 0 END",
                      "id IN (SELECT receivable_id FROM held_on)")
_AT = agreement_records.HELD_ON_CTE + """, at_day AS (
    SELECT *, """ + _OWED_THEN + """ AS balance_then FROM book WHERE issued <= $day
)"""  # noqa: S608 - constants


def receivables_at(con: duckdb.DuckDBPyConnection, day: date, tz: str = DEFAULT_TIMEZONE) -> dict:
    """total (outstanding on `day`), current (of which not yet due: due on `day` or later),
    weighted_days (Σ balance × days past due) and the number of open receivables.

    Summed per due date first (balance_then is never negative, and days past due is one number per due date):
    PostgreSQL repeats a pulled-up column's expression at each use, so each is used twice, not five times."""
    row = con.execute(
        _BOOK + _AT + """, by_due AS (
            SELECT due_date, sum(balance_then) AS balance, count(*) FILTER (WHERE balance_then > 0) AS open
            FROM at_day GROUP BY due_date
        )
        SELECT CAST(coalesce(sum(balance), 0) AS DECIMAL(38,2)),
               CAST(coalesce(sum(balance) FILTER (WHERE due_date >= $day), 0) AS DECIMAL(38,2)),
               CAST(coalesce(sum(balance * greatest(date_diff('day', due_date, $day), 0)), 0) AS DECIMAL(38,2)),
               CAST(coalesce(sum(open), 0) AS BIGINT)
        FROM by_due""",  # noqa: S608 - constants
        {"day": day, "tz": tz},
    ).fetchall()[0]
    return dict(zip(("total", "current", "weighted_days", "open"), row, strict=True))


def sales_by_day(con: duckdb.DuckDBPyConnection, until: date) -> list[tuple[date, object]]:
    """(issue day, Σ amount) of every receivable issued on or before `until` (due date when no issue date)."""
    return con.execute(
        f"""SELECT day, CAST(sum(amount) AS DECIMAL(38,2)) FROM ({agreement_records.SALES_SQL}) sold
           WHERE day <= $until GROUP BY day ORDER BY day DESC""",  # noqa: S608 - constants
        {"until": until, "prefix": agreement_records.DOCUMENT_PREFIX}).fetchall()


def sales_between(con: duckdb.DuckDBPyConnection, since: date, until: date):
    return con.execute(
        f"""SELECT CAST(coalesce(sum(amount), 0) AS DECIMAL(38,2)) FROM ({agreement_records.SALES_SQL}) sold
           WHERE day BETWEEN $since AND $until""",  # noqa: S608 - constants
        {"since": since, "until": until, "prefix": agreement_records.DOCUMENT_PREFIX}).fetchall()[0][0]


def settled_days_late(con: duckdb.DuckDBPyConnection, since: date, until: date, tz: str = DEFAULT_TIMEZONE) -> dict:
    """Receivables settled (paid in full) with a payment day in [since, until]: Σ amount × days late, Σ amount
    (amount less what an agreement settled: an original the agreement paid off is not settled again by the ERP)."""
    row = con.execute(
        _BOOK + """
        SELECT CAST(coalesce(sum(owed * greatest(date_diff('day', due_date, paid_on), 0)), 0) AS DECIMAL(38,2)),
               CAST(coalesce(sum(owed), 0) AS DECIMAL(38,2)), count(*)
        FROM (SELECT *, amount - agreement_credit AS owed FROM book) b
        WHERE owed > 0 AND paid_amount >= owed AND paid_on BETWEEN $since AND $until""",  # noqa: S608 - constants
        {"since": since, "until": until, "tz": tz},
    ).fetchall()[0]
    return dict(zip(("weighted_days", "weight", "count"), row, strict=True))


# Each payment seen by a re-import, matched to the newest contact on the same receivable made on or before the
# payment day (ASOF join); it counts as recovered after contact when that contact is at most $window days older.
_COUNTED = counted_payment_sql("e.paid_before", "e.paid_after", "r.amount", "r.agreement_credit")
_PAID = f"""SELECT e.receivable_id, {_COUNTED} AS recovered, e.recorded_at, e.paid_date_after
    FROM payment_events e JOIN receivables r ON r.id = e.receivable_id WHERE e.paid_after > e.paid_before"""  # noqa: S608
_RECOVERED = """WITH paid AS (
    SELECT e.receivable_id, e.recovered, coalesce(e.paid_date_after, {company_day_recorded}) AS paid_on
    FROM (""" + _PAID + """) e WHERE e.recovered > 0
), in_period AS (
    SELECT *, timezone('UTC', timezone($tz, CAST(paid_on + INTERVAL 1 DAY AS TIMESTAMP))) AS paid_until FROM paid
    WHERE paid_on BETWEEN $since AND $until
), contacted AS (
    SELECT ct.receivable_id, ct.created_at, ct.channel, ct.responsible FROM contacts ct WHERE {counts_as_contact}
), matched AS (
    SELECT p.receivable_id, p.recovered, p.paid_on, c.channel, c.responsible, c.created_at
    FROM in_period p {newest_contact_join}
    WHERE date_diff('day', {company_day_created}, p.paid_on) <= $window
)
SELECT CASE WHEN grouping(channel) = 0 THEN 'channel' WHEN grouping(responsible) = 0 THEN 'responsible'
            ELSE 'all' END AS level,
       CASE WHEN grouping(channel) = 0 THEN channel WHEN grouping(responsible) = 0 THEN responsible
            ELSE 'Total' END AS grp,
       count(DISTINCT receivable_id) AS receivables, CAST(sum(recovered) AS DECIMAL(38,2)) AS recovered
FROM matched GROUP BY GROUPING SETS ((channel), (responsible), ()) HAVING count(*) > 0
ORDER BY level, recovered DESC, grp"""  # noqa: S608 - constants

# The newest contact before the payment day's end, per engine (side by side: PostgreSQL has no ASOF join).
_NEWEST_CONTACT_JOIN = {
    "duckdb": "ASOF JOIN contacted c ON c.receivable_id = p.receivable_id AND p.paid_until > c.created_at",
    "postgres": """JOIN LATERAL (SELECT c.channel, c.responsible, c.created_at FROM contacted c
                   WHERE c.receivable_id = p.receivable_id AND c.created_at < p.paid_until
                   ORDER BY c.created_at DESC LIMIT 1) c ON TRUE""",
}


def recovered_after_contact(con: duckdb.DuckDBPyConnection, since: date, until: date,
                            window_days: int, tz: str = DEFAULT_TIMEZONE) -> pd.DataFrame:
    """Payments in [since, until] within `window_days` of a contact, in one pass: receivables and R$ per
    `level` 'channel', 'responsible' and 'all' (one row 'Total'); `grp` names the channel or analyst."""
    sql = (_RECOVERED.replace("{counts_as_contact}", COUNTS_AS_CONTACT)
           .replace("{newest_contact_join}", _NEWEST_CONTACT_JOIN[engine_of(con)])
           .replace("{company_day_recorded}", company_day("e.recorded_at"))
           .replace("{company_day_created}", company_day("c.created_at")))
    return to_frame(con.sql(sql, params={"since": since, "until": until, "window": int(window_days), "tz": tz}))


def payments_between(con: duckdb.DuckDBPyConnection, since: date, until: date, tz: str = DEFAULT_TIMEZONE) -> dict:
    """All payments seen by re-imports in [since, until] (with or without a contact): receivables and R$ (each
    counted as receivables/rules.counted_payment says)."""
    row = con.execute(
        f"""SELECT count(DISTINCT receivable_id), CAST(coalesce(sum(recovered), 0) AS DECIMAL(38,2))
           FROM ({_PAID}) e WHERE recovered > 0
             AND coalesce(paid_date_after, {company_day("recorded_at")}) BETWEEN $since AND $until""",  # noqa: S608
        {"since": since, "until": until, "tz": tz}).fetchall()[0]
    return {"receivables": row[0], "recovered": row[1]}


def contacts_per_analyst_day(con: duckdb.DuckDBPyConnection, since: date, until: date,
                             tz: str = DEFAULT_TIMEZONE) -> pd.DataFrame:
    return to_frame(con.sql(
        f"""SELECT ct.responsible AS analyst, {company_day("ct.created_at")} AS day, count(*) AS contacts
            FROM contacts ct WHERE {COUNTS_AS_CONTACT}
              AND ct.created_at >= $since - INTERVAL 2 DAY AND ct.created_at < $until + INTERVAL 2 DAY
              AND {company_day("ct.created_at")} BETWEEN $since AND $until
            GROUP BY 1, 2 ORDER BY day, analyst""",  # noqa: S608 - constant fragment
        params={"since": since, "until": until, "tz": tz},
    ))


def aging_today(con: duckdb.DuckDBPyConnection, as_of: date) -> pd.DataFrame:
    """Every bucket (zeros included) with its open receivables and balance on `as_of`."""
    found = {bucket: (count, balance) for bucket, count, balance in aging(con, as_of)}
    rows = [(b, *found.get(b, (0, Decimal("0.00")))) for b in AGING_KEYS]
    return pd.DataFrame(rows, columns=["bucket", "receivables", "balance"])


def aging_trend(con: duckdb.DuckDBPyConnection, since: date | None, until: date | None) -> pd.DataFrame:
    """The last snapshot of each day in [since, until]: one row per (day, bucket)."""
    return to_frame(con.sql(
        """WITH last AS (SELECT as_of, max(taken_at) AS taken_at FROM aging_snapshots
                         WHERE ($since IS NULL OR as_of >= $since) AND ($until IS NULL OR as_of <= $until)
                         GROUP BY as_of)
           SELECT s.as_of AS day, s.bucket, s.receivables, s.balance
           FROM aging_snapshots s JOIN last USING (as_of, taken_at) ORDER BY day""",
        params={"since": since, "until": until},
    ))
