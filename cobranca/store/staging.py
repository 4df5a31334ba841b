"""The upsert's `staged` rows: the import's Arrow table read in place (DuckDB) or loaded by one binary COPY.

`staged` is one SELECT over the registered table `import_src`: typed columns, the stored values of the columns the
file left out (`keep`), and what the bank already paid (bank_payments.py). On DuckDB it is a temporary view over
the Arrow table (no staged copy: each statement of the upsert scans the Arrow buffers); on PostgreSQL, where
`import_src` already is a temporary table filled by COPY, it is materialised once (the joins run once).
"""

from __future__ import annotations

from datetime import date, timedelta

import pyarrow as pa
import pyarrow.compute as pc

from ..core.calendar import BankCalendar, days_to_payable
from . import bank_payments
from .frames import engine_of

# What a file may leave out and a re-import then keeps as stored ("customer_key": the file names the customer
# only by name, so an existing receivable stays with its stored customer).
KEEPABLE = ("issue_date", "paid_amount", "paid_date", "description", "customer_key")

_TYPED = {
    "customer_key": "i.customer_key", "issue_date": "CAST(i.issue_date AS DATE)",
    "paid_amount": "CAST(i.paid_amount AS DECIMAL(18,2))", "paid_date": "CAST(i.paid_date AS DATE)",
    "description": "i.description",
}
_STORED = """LEFT JOIN (SELECT r.document, r.installment, r.issue_date, r.paid_amount, r.paid_date, r.description,
                     c.key AS customer_key
              FROM receivables r JOIN customers c ON c.id = r.customer_id) k
        ON k.document = i.document AND k.installment = i.installment"""


def with_payable_until(src: pa.Table, calendar: BankCalendar) -> pa.Table:
    """`src` with every missing payable-until date set from `calendar` (vectorised: a list look-up by day)."""
    days = pc.cast(pc.cast(src["due_date"], pa.date32()), pa.int32())
    if days.null_count == len(days):
        return src
    low, high = pc.min_max(days).values()
    first = date(1970, 1, 1) + timedelta(days=low.as_py())
    offsets = pa.array(days_to_payable(calendar, first, first + timedelta(days=high.as_py() - low.as_py())), pa.int32())
    payable = pc.cast(pc.add(days, pc.take(offsets, pc.subtract(days, low))), pa.date32())
    given = pc.cast(src["payable_until"], pa.date32())
    position = src.column_names.index("payable_until")
    return src.set_column(position, "payable_until", pc.coalesce(given, payable))


def _select(keep, bank: bool) -> str:
    """The SELECT of `staged` over `import_src` (constants only: `keep` names are checked against KEEPABLE)."""
    kept = [c for c in KEEPABLE if c in set(keep)]
    typed = {c: (f"CASE WHEN k.document IS NULL THEN {e} ELSE k.{c} END" if c in kept else e)
             for c, e in _TYPED.items()}
    inner = f"""SELECT {typed['customer_key']} AS customer_key, i.customer_code, i.customer, i.tax_id, i.mobile,
               i.phone, i.email, i.document, i.installment, {typed['issue_date']} AS issue_date,
               CAST(i.due_date AS DATE) AS due_date, CAST(i.payable_until AS DATE) AS payable_until,
               CAST(i.amount AS DECIMAL(18,2)) AS amount, {typed['paid_amount']} AS paid_amount,
               {typed['paid_date']} AS paid_date, {typed['description']} AS description, i.nosso_numero, i.row_order
        FROM import_src i {_STORED if kept else ''}"""  # noqa: S608 - constants
    return bank_payments.with_bank_payments(inner) if bank else inner


def stage(con, keep=()) -> None:
    """Create `staged` over the registered `import_src` (drop it with `unstage`)."""
    select = _select(keep, bank_payments.has_schema(con))
    if engine_of(con) == "duckdb":
        con.execute(f"CREATE OR REPLACE TEMP VIEW staged AS {select}")  # noqa: S608 - constants
        return
    con.execute("DROP TABLE IF EXISTS staged")
    con.execute(f"CREATE TEMP TABLE staged AS {select}")  # noqa: S608 - constants (no ANALYZE: 1.5 s of 8 at 50k
    # rows, and the planner already sizes a fresh table by its pages)


def unstage(con) -> None:
    con.execute("DROP VIEW IF EXISTS staged" if engine_of(con) == "duckdb" else "DROP TABLE IF EXISTS staged")


# The customers' columns of the rows, and their names in `staged_customers` (and in the table customers).
CUSTOMER_FIELDS = {"customer_code": "code", "customer": "name", "tax_id": "tax_id", "mobile": "mobile",
                   "phone": "phone", "email": "email"}


def newest_customers(src: pa.Table) -> pa.Table:
    """Each customer_key's newest non-empty value of every customer column, in row order (the last row with a
    value wins): what DuckDB's max_by(column, row_order) gives, in Arrow's C++ group-by."""
    last = pc.ScalarAggregateOptions(skip_nulls=True)
    grouped = src.select(["customer_key", *CUSTOMER_FIELDS]).group_by("customer_key", use_threads=False).aggregate(
        [(column, "last", last) for column in CUSTOMER_FIELDS])
    return grouped.select([f"{c}_last" for c in CUSTOMER_FIELDS] + ["customer_key"]).rename_columns(
        [*CUSTOMER_FIELDS.values(), "customer_key"])


def stage_customers(con, src: pa.Table, keep=()) -> None:
    """`staged_customers` (customer_key and CUSTOMER_FIELDS' names): the newest values of each customer.

    From the Arrow rows (the GROUP BY in SQL cost 0.7-1.5 s of an 8 s import of 200k rows on PostgreSQL); from
    `staged` when the file names customers only by name, so that an existing receivable's row counts for its
    stored customer (`keep` has customer_key)."""
    con.execute("DROP TABLE IF EXISTS staged_customers")
    if _registered(con, keep):
        con.register("staged_customers", newest_customers(src))
        return
    # DuckDB groups the Arrow rows in place on every core (Arrow's ordered group-by runs on one: 0.11 s of
    # 200k rows against 0.03 s); PostgreSQL would group its temporary table row by row.
    newest = ", ".join(f"max_by({c}, row_order) AS {name}" for c, name in CUSTOMER_FIELDS.items())
    source = "import_src" if "customer_key" not in keep else "staged"
    con.execute(f"CREATE TEMP TABLE staged_customers AS SELECT customer_key, {newest} "  # noqa: S608 - constants
                f"FROM {source} GROUP BY customer_key")


def _registered(con, keep) -> bool:
    """Whether `staged_customers` is an Arrow table registered (PostgreSQL, keys from the file) or a temp table."""
    return "customer_key" not in keep and engine_of(con) != "duckdb"


def unstage_customers(con, keep=()) -> None:
    if _registered(con, keep):
        con.unregister("staged_customers")
    else:
        con.execute("DROP TABLE staged_customers")
