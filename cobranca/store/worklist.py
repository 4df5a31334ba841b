"""The worklist in SQL: open receivables of a filter on a day, with charges and last contact; totals.

Balance, days overdue, fine, interest and the updated amount are the SQL twins that live beside their Python
rules in receivables/rules.py (integer cents, rounded half up; tests/test_rule_twins.py checks both agree).
Receivables are filtered on their own columns first (the due-date range is a superset of the days-overdue range,
so DuckDB can skip row groups), then joined to customers and contacts by integer id, on the (maybe limited) page only.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import duckdb
import pandas as pd
import pyarrow.compute as pc

from ..core import clock
from ..promises import status as promise_status
from ..receivables import rules as charge_rules
from ..receivables.filters import MAX_DAYS, Filter
from ..receivables.rules import ChargeRules
from . import portfolio as portfolio_records
from . import promises as promise_records
from .contacts import COUNTS_AS_CONTACT
from .frames import arrow_frame, query_frame

_BALANCE = charge_rules.balance_sql("r.amount", "r.paid_amount", "r.agreement_credit")
_UPDATED_CENTS = charge_rules.updated_cents_sql("balance_cents", "fine_cents", "interest_cents")
# Fine and interest are computed only where they are shown (the grid's page) or summed (the totals), not for
# every listed row before the page is cut: PostgreSQL evaluates a CTE's columns before its sort and LIMIT.
_PRICED = """SELECT *,
           """ + charge_rules.fine_cents_sql("balance_cents", "days_overdue") + """ AS fine_cents,
           """ + charge_rules.interest_cents_sql("balance_cents", "days_overdue") + """ AS interest_cents"""
_CORE = """
WITH aged AS (
    SELECT r.id AS receivable_id, r.customer_id, r.document, r.installment, r.issue_date, r.due_date,
           r.payable_until, r.amount, r.paid_amount, r.paid_date, r.description,
           """ + _BALANCE + """ AS balance,
           """ + charge_rules.cents_sql(_BALANCE) + """ AS balance_cents,
           """ + charge_rules.days_overdue_sql("r.due_date", "r.payable_until") + """ AS days_overdue
    FROM receivables r
    WHERE r.amount > r.paid_amount + r.agreement_credit AND {days_range} {receivable_conditions}
), charges AS (
    SELECT * FROM aged WHERE TRUE {conditions}
)""" + promise_records.STATUS_CTE  # noqa: S608 - constants; `charged` gains status, promise_date

# "Last contact" and "contacted today" are defined here once, from contacts.COUNTS_AS_CONTACT.
_ROWS_SQL = _CORE + """, page AS (
    SELECT * FROM charged ORDER BY {broken_first}days_overdue DESC, customer_id, receivable_id {limit}
), priced AS (
    """ + _PRICED + """ FROM page
), last AS (
    SELECT ct.receivable_id, max(ct.created_at) AS last_contact_at,
           arg_max(ct.channel, ct.created_at) AS last_contact_channel,
           arg_max(ct.responsible, ct.created_at) AS last_contact_by,
           bool_or(ct.created_at >= $day_start) AS contacted_today
    FROM contacts ct
    WHERE ct.receivable_id IN (SELECT receivable_id FROM page)
      AND {counts_as_contact} AND ct.created_at < $day_end
    GROUP BY ct.receivable_id
)
SELECT p.receivable_id, p.document, p.installment, p.customer_id, c.code AS customer_code, c.name AS customer,
       c.tax_id, c.mobile, c.phone, c.email, p.issue_date, p.due_date, p.payable_until, p.amount, p.paid_amount,
       p.paid_date, p.description, p.balance, CAST(p.days_overdue AS INTEGER) AS days_overdue,
       """ + charge_rules.money_sql("p.fine_cents") + """ AS fine,
       """ + charge_rules.money_sql("p.interest_cents") + """ AS interest,
       """ + charge_rules.money_sql(_UPDATED_CENTS) + """ AS updated_amount,
       last.last_contact_at, last.last_contact_channel, last.last_contact_by,
       coalesce(last.contacted_today, FALSE) AS contacted_today,
       p.status, p.promise_date, coalesce(optout.opted_out, FALSE) AS do_not_contact,
       CASE WHEN optout.opted_out THEN optout.note END AS do_not_contact_reason,
       assigned.assigned_to, leased.in_service_by
FROM priced p
JOIN customers c ON c.id = p.customer_id
LEFT JOIN last ON last.receivable_id = p.receivable_id
LEFT JOIN (""" + promise_records.OPTED_OUT_SQL + """) optout ON optout.customer_id = p.customer_id
LEFT JOIN (""" + portfolio_records.ASSIGNED_SQL + """) assigned ON assigned.customer_id = p.customer_id
LEFT JOIN (""" + portfolio_records.LEASED_SQL + """) leased ON leased.customer_id = p.customer_id
ORDER BY {broken_first}p.days_overdue DESC, p.customer_id, p.receivable_id
"""  # noqa: S608 - concatenated constants, no user text

# An original held by an active agreement is listed ("Em acordo") but adds nothing: the installments carry it.
_OWED = f"status <> '{promise_status.AGREEMENT}'"
# The whole list's totals and its by-days bands in one pass (grouping sets: `whole` = 1 is the row of the totals).
# "Contacted today" joins the day's few contacts (the contacts' moment index) to the list: `charged` is then read
# once, so PostgreSQL inlines it (no materialised CTE, no probe into contacts per listed receivable).
_TOTALS_SQL = _CORE + """, today AS (
    SELECT DISTINCT ct.receivable_id FROM contacts ct
    WHERE ct.created_at >= $day_start AND ct.created_at < $day_end AND {counts_as_contact}
)
SELECT grouping(days_overdue) AS whole, CAST(days_overdue AS INTEGER) AS days_overdue, count(*) AS count,
       CAST(coalesce(sum(balance), 0) AS DECIMAL(38,2)) AS balance,
       count(DISTINCT customer_id) AS customers,
       CAST(coalesce(sum(balance) FILTER (WHERE """ + _OWED + """), 0) AS DECIMAL(38,2)) AS owed,
       """ + charge_rules.money_sql(f"coalesce(sum({_UPDATED_CENTS}) FILTER (WHERE {_OWED}), 0)") + """ AS updated_amount,
       count(today.receivable_id) AS contacted_today
FROM (""" + _PRICED + """ FROM charged) charged LEFT JOIN today ON today.receivable_id = charged.receivable_id
GROUP BY GROUPING SETS ((days_overdue), ())
ORDER BY whole, days_overdue
"""  # noqa: S608 - concatenated constants, no user text
_BY_DAYS_COLUMNS = ["days_overdue", "count", "balance"]

# Optional filter fields: each adds a fixed SQL fragment with bound parameters, only when used.
_OPTIONAL_CONDITIONS = {
    "due_today": "AND due_date <= $as_of",
    "min_balance": "AND balance >= $min_balance",
    "max_balance": "AND balance <= $max_balance",
    "search": "AND customer_id IN (SELECT id FROM customers WHERE strip_accents(lower(name)) "
              "LIKE '%' || strip_accents(lower($search)) || '%' ESCAPE '\\')",
    "analyst": portfolio_records.MINE_CONDITION,  # "Minha carteira"
}
_BY_IDS = "AND r.id IN (SELECT unnest(CAST($ids AS BIGINT[])))"  # typed: an empty list too

# Every open receivable whatever its days (for the figures of named receivables).
EVERYTHING = Filter(description="Todas as contas em aberto", min_days=-MAX_DAYS, max_days=MAX_DAYS)


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class Query:
    """The SQL fragments and bound parameters of one worklist (a filter on a day, maybe some receivables only)."""

    def __init__(self, flt: Filter, as_of: date, rules: ChargeRules, receivable_ids: list[int] | None = None,
                 analyst: str | None = None, day_bounds: tuple[datetime, datetime] | None = None,
                 now: datetime | None = None):
        self.viewer = analyst  # who is looking: their own leases are not shown to them
        # `day_bounds`: the stored (naive UTC) [start, end) of the company's day `as_of`; `now`: stored now
        day_start, day_end = day_bounds or (datetime.combine(as_of, datetime.min.time()),
                                            datetime.combine(as_of + timedelta(days=1), datetime.min.time()))
        self.now = now or clock.stored()
        self.day = {"day_start": day_start, "day_end": day_end}  # only for the queries that read contacts
        self.params = {
            "as_of": as_of,
            **charge_rules.sql_params(rules),
        }
        # days overdue in [min, max] as ranges of due_date: estimated by the planner, skipped by zone maps
        self.days_range, days_params = charge_rules.days_overdue_between_sql(
            "r.due_date", "r.payable_until", flt.min_days, flt.max_days, as_of)
        self.params.update(days_params)
        optional = {
            "due_today": bool(flt.due_today) or None,
            "min_balance": flt.min_balance,
            "max_balance": flt.max_balance,
            "search": _like_escape(flt.customer_search) if flt.customer_search else None,
            "analyst": (analyst or "") if flt.mine else None,
        }
        used = {key: value for key, value in optional.items() if value is not None}
        self.params.update({key: value for key, value in used.items() if key != "due_today"})
        self.conditions = " ".join(_OPTIONAL_CONDITIONS[key] for key in used)
        self.receivable_conditions = ""
        self.status_conditions = promise_records.STATUS_CONDITIONS[flt.status]
        if receivable_ids is not None:
            self.receivable_conditions = _BY_IDS
            self.status_conditions = ""  # named receivables: whatever their status
            self.params["ids"] = [int(i) for i in receivable_ids]

    def row_params(self) -> dict:
        """The parameters of the rows query: the filter's, the day's, and the moment and viewer of others' leases."""
        return {**self.params, **self.day, "now": self.now, "viewer": self.viewer}

    def sql(self, template: str, limit: int | None = None) -> str:
        return (template.replace("{days_range}", self.days_range)
                .replace("{receivable_conditions}", self.receivable_conditions)
                .replace("{conditions}", self.conditions)
                .replace("{status_conditions}", self.status_conditions)
                .replace("{broken_first}", promise_records.BROKEN_FIRST)
                .replace("{counts_as_contact}", COUNTS_AS_CONTACT)
                .replace("{limit}", "" if limit is None else "LIMIT $limit"))


def rows(con: duckdb.DuckDBPyConnection, query: Query, limit: int | None = None) -> pd.DataFrame:
    """The worklist rows, most overdue first; `limit` keeps only the first ones."""
    params = query.row_params()
    if limit is not None:
        params["limit"] = int(limit)
    return query_frame(con, query.sql(_ROWS_SQL, limit), params)


def records(con: duckdb.DuckDBPyConnection, query: Query) -> list[dict]:
    """The same rows as `rows`, as plain dicts of Python values (no DataFrame): for a few rows read per action,
    where building a frame cost more than the query (the régua's re-check before each e-mail)."""
    return as_records(con.sql(query.sql(_ROWS_SQL), params=query.row_params()))


def as_records(result) -> list[dict]:
    """A result's rows as dicts of Python values, by column name."""
    names = result.columns
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


def totals(con: duckdb.DuckDBPyConnection, query: Query) -> dict:
    """receivables, customers, balance, updated_amount, contacted_today and `by_days` of the whole worklist."""
    table = con.sql(query.sql(_TOTALS_SQL), params={**query.params, **query.day}).to_arrow_table()
    whole = table.filter(pc.equal(table["whole"], 1)).to_pylist()
    head = whole[0] if whole else {"count": 0, "customers": 0, "owed": Decimal("0.00"),
                                   "updated_amount": Decimal("0.00"), "contacted_today": 0}
    by_days = table.filter(pc.equal(table["whole"], 0)).select(_BY_DAYS_COLUMNS)
    return {"receivables": head["count"], "customers": head["customers"], "balance": head["owed"],
            "updated_amount": head["updated_amount"], "contacted_today": head["contacted_today"],
            "by_days": arrow_frame(by_days)}
