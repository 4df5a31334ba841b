"""The only module that talks to DuckDB: schema, migrations, short-lived connections and every query.

Voila runs one kernel process per browser tab and DuckDB lets one process at a time hold a
database file, so no connection outlives an operation: each public method opens the file,
does its work in one transaction and closes it, holding an exclusive `flock` on `<file>.lock`
meanwhile (see locking.py). Waiting is bounded; then `StoreBusyError`. Every value is a bound parameter.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from .errors import InputError, NotFoundError, StoreBusyError
from .filters import DEFAULT_FILTERS, Filter
from .locking import exclusive
from .rules import ChargeRules

SCHEMA_VERSION = 1
DEFAULT_WAIT_SECONDS = 30.0

MIGRATIONS: dict[int, list[str]] = {
    1: [
        "CREATE SEQUENCE customer_ids",
        """CREATE TABLE customers (
            id BIGINT PRIMARY KEY, key VARCHAR NOT NULL UNIQUE, code VARCHAR, name VARCHAR NOT NULL,
            tax_id VARCHAR, mobile VARCHAR, phone VARCHAR, email VARCHAR, updated_at TIMESTAMP NOT NULL)""",
        "CREATE SEQUENCE receivable_ids",
        """CREATE TABLE receivables (
            id BIGINT PRIMARY KEY, document VARCHAR NOT NULL, installment VARCHAR NOT NULL,
            customer_id BIGINT NOT NULL, issue_date DATE, due_date DATE NOT NULL, payable_until DATE NOT NULL,
            amount DECIMAL(18,2) NOT NULL, paid_amount DECIMAL(18,2) NOT NULL, paid_date DATE,
            description VARCHAR, updated_at TIMESTAMP NOT NULL, UNIQUE (document, installment))""",
        "CREATE SEQUENCE contact_ids",
        # No index on contacts: DuckDB rewrites a table's index at every checkpoint, which made each
        # registration ~100 ms slower at 1M contacts; ids come from the sequence and are unique by construction.
        """CREATE TABLE contacts (
            id BIGINT NOT NULL, receivable_id BIGINT NOT NULL, document VARCHAR NOT NULL, installment VARCHAR NOT NULL,
            channel VARCHAR NOT NULL, responsible VARCHAR NOT NULL, destination VARCHAR, message VARCHAR,
            observation VARCHAR, created_at TIMESTAMP NOT NULL, cancelled_at TIMESTAMP, cancelled_by VARCHAR)""",
        "CREATE SEQUENCE filter_ids",
        """CREATE TABLE filters (
            id BIGINT PRIMARY KEY, description VARCHAR NOT NULL UNIQUE, due_today BOOLEAN NOT NULL,
            min_days INTEGER NOT NULL, max_days INTEGER NOT NULL, channel VARCHAR NOT NULL,
            min_balance DECIMAL(18,2), max_balance DECIMAL(18,2), customer_search VARCHAR,
            updated_at TIMESTAMP NOT NULL)""",
        "CREATE TABLE settings (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL, updated_at TIMESTAMP NOT NULL)",
    ],
}

_LOCK_MARKERS = ("could not set lock", "conflicting lock", "lock on file", "resource temporarily unavailable")

_CUSTOMER_COLUMNS = ("customer_key", "customer_code", "customer", "tax_id", "mobile", "phone", "email")
RECEIVABLE_COLUMNS = (
    *_CUSTOMER_COLUMNS, "document", "installment", "issue_date", "due_date", "payable_until",
    "amount", "paid_amount", "paid_date", "description",
)

# Charges in integer cents, rounded half up: round(n / d) == (2n + d) // 2d for n >= 0.
# Mirrors rules.fine / rules.interest; tests check both agree to the cent.
# Receivables are filtered on their own columns first (the due-date range is a superset of the
# days-overdue range, so DuckDB can skip row groups), then joined to customers and contacts by integer id.
_WORKLIST_CORE = """
WITH aged AS (
    SELECT r.id AS receivable_id, r.customer_id, r.document, r.installment, r.issue_date, r.due_date,
           r.payable_until, r.amount, r.paid_amount, r.paid_date, r.description,
           CAST(r.amount - r.paid_amount AS DECIMAL(18,2)) AS balance,
           CASE WHEN $as_of < r.due_date THEN date_diff('day', r.due_date, $as_of)
                WHEN $as_of <= r.payable_until THEN 0
                ELSE date_diff('day', r.due_date, $as_of) END AS days_overdue
    FROM receivables r
    WHERE r.amount > r.paid_amount AND r.due_date BETWEEN $oldest_due AND $newest_due
), charged AS (
    SELECT *,
           CASE WHEN days_overdue > $grace
                THEN (CAST(balance * 100 AS HUGEINT) * $fine_e4 * 2 + 1000000) // 2000000 ELSE 0 END AS fine_cents,
           CASE WHEN days_overdue > $grace
                THEN (CAST(balance * 100 AS HUGEINT) * $rate_e4 * days_overdue * 2 + 30000000) // 60000000
                ELSE 0 END AS interest_cents
    FROM aged
    WHERE days_overdue BETWEEN $min_days AND $max_days {conditions}
)"""

# Customers and contacts are joined to the sorted (and maybe limited) page only.
_WORKLIST_SQL = _WORKLIST_CORE + """, page AS (
    SELECT * FROM charged ORDER BY days_overdue DESC, customer_id, receivable_id {limit}
), last AS (
    SELECT ct.receivable_id, max(ct.created_at) AS last_contact_at,
           arg_max(ct.channel, ct.created_at) AS last_contact_channel,
           arg_max(ct.responsible, ct.created_at) AS last_contact_by,
           bool_or(ct.created_at >= $as_of) AS contacted_today
    FROM contacts ct
    WHERE ct.receivable_id IN (SELECT receivable_id FROM page)
      AND ct.cancelled_at IS NULL AND ct.channel <> 'Nenhum' AND ct.created_at < $as_of + INTERVAL 1 DAY
    GROUP BY ct.receivable_id
)
SELECT p.receivable_id, p.document, p.installment, p.customer_id, c.code AS customer_code, c.name AS customer,
       c.tax_id, c.mobile, c.phone, c.email, p.issue_date, p.due_date, p.payable_until, p.amount, p.paid_amount,
       p.paid_date, p.description, p.balance, CAST(p.days_overdue AS INTEGER) AS days_overdue,
       CAST(CAST(p.fine_cents AS DECIMAL(18,0)) * 0.01 AS DECIMAL(18,2)) AS fine,
       CAST(CAST(p.interest_cents AS DECIMAL(18,0)) * 0.01 AS DECIMAL(18,2)) AS interest,
       CAST(CAST(CAST(p.balance * 100 AS HUGEINT) + p.fine_cents + p.interest_cents AS DECIMAL(18,0)) * 0.01
            AS DECIMAL(18,2)) AS updated_amount,
       last.last_contact_at, last.last_contact_channel, last.last_contact_by,
       coalesce(last.contacted_today, FALSE) AS contacted_today
FROM page p
JOIN customers c ON c.id = p.customer_id
LEFT JOIN last ON last.receivable_id = p.receivable_id
ORDER BY p.days_overdue DESC, p.customer_id, p.receivable_id
"""  # noqa: S608 - concatenated constants, no user text

_TOTALS_SQL = _WORKLIST_CORE + """
SELECT count(*) AS receivables, count(DISTINCT customer_id) AS customers,
       CAST(coalesce(sum(balance), 0) AS DECIMAL(18,2)) AS balance,
       CAST(CAST(coalesce(sum(CAST(balance * 100 AS HUGEINT) + fine_cents + interest_cents), 0) AS DECIMAL(18,0))
            * 0.01 AS DECIMAL(18,2)) AS updated_amount,
       (SELECT count(DISTINCT ct.receivable_id) FROM contacts ct
        WHERE ct.created_at >= $as_of AND ct.created_at < $as_of + INTERVAL 1 DAY
          AND ct.cancelled_at IS NULL AND ct.channel <> 'Nenhum'
          AND ct.receivable_id IN (SELECT receivable_id FROM charged)) AS contacted_today
FROM charged
"""  # noqa: S608 - concatenated constants, no user text

_BY_DAYS_SQL = _WORKLIST_CORE + """
SELECT CAST(days_overdue AS INTEGER) AS days_overdue, count(*) AS count,
       CAST(sum(balance) AS DECIMAL(18,2)) AS balance
FROM charged GROUP BY days_overdue ORDER BY days_overdue
"""  # noqa: S608 - concatenated constants, no user text

_TOLERANCE_MARGIN_DAYS = 15  # far more than any run of weekend + national holidays

# Optional filter fields: each adds a fixed SQL fragment with bound parameters, only when used.
_OPTIONAL_CONDITIONS = {
    "due_today": "AND due_date <= $as_of",
    "min_balance": "AND balance >= $min_balance",
    "max_balance": "AND balance <= $max_balance",
    "search": "AND customer_id IN (SELECT id FROM customers WHERE strip_accents(lower(name)) "
              "LIKE '%' || strip_accents(lower($search)) || '%' ESCAPE '\\')",
}


def _fetch_worklist(con: duckdb.DuckDBPyConnection, conditions: str, params: dict, limit: int | None) -> pd.DataFrame:
    sql = _WORKLIST_SQL.replace("{conditions}", conditions).replace("{limit}", "" if limit is None else "LIMIT $limit")
    bound = params if limit is None else {**params, "limit": int(limit)}
    return _frame(con.sql(sql, params=bound))


def _fetch_totals(con: duckdb.DuckDBPyConnection, conditions: str, params: dict) -> dict:
    row = con.sql(_TOTALS_SQL.replace("{conditions}", conditions), params=params).fetchall()[0]
    by_days = _frame(con.sql(_BY_DAYS_SQL.replace("{conditions}", conditions), params=params))
    keys = ("receivables", "customers", "balance", "updated_amount", "contacted_today")
    return {**dict(zip(keys, row, strict=True)), "by_days": by_days}


def _is_lock_error(exc: Exception) -> bool:
    return any(marker in str(exc).lower() for marker in _LOCK_MARKERS)


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    """Rows of one of our own tables (a name from this module, never user text)."""
    if table not in ("schema_version", "settings", "customers", "receivables", "filters", "contacts"):
        raise ValueError(f"unknown table {table!r}")
    return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 - checked against the list


def _frame(relation: duckdb.DuckDBPyRelation) -> pd.DataFrame:
    """A DataFrame whose DECIMAL columns hold exact Decimals (Arrow-backed), never floats."""
    table = relation.to_arrow_table()
    return table.to_pandas(types_mapper=lambda t: pd.ArrowDtype(t) if pa.types.is_decimal(t) else None)


def _e4(percent: Decimal) -> int:
    """A percentage in units of 1/10000 %, exact (percent settings have at most 4 decimals)."""
    scaled = Decimal(percent) * 10000
    if scaled != scaled.to_integral_value():
        raise InputError(f"Percentual com casas decimais demais: {percent} (máximo 4).")
    return int(scaled)


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class Store:
    """A DuckDB file, opened briefly for each operation."""

    def __init__(self, path: str | Path, wait_seconds: float | None = None):
        self.path = Path(path)
        env_wait = os.environ.get("COBRANCA_LOCK_WAIT")
        self.wait_seconds = wait_seconds if wait_seconds is not None else float(env_wait or DEFAULT_WAIT_SECONDS)
        self._schema_checked = False

    # -- connections -------------------------------------------------------------------------
    def _busy(self) -> StoreBusyError:
        return StoreBusyError(
            f"O banco de dados {self.path.name} está ocupado por outro processo há mais de "
            f"{self.wait_seconds:g} s (outra aba ou uma importação em andamento). Tente novamente em instantes."
        )

    def _open(self) -> duckdb.DuckDBPyConnection:
        """Connect, retrying while another program (not a cobranca process: see locking.py) holds the file."""
        deadline = time.monotonic() + self.wait_seconds
        delay = 0.002
        while True:
            try:
                con = duckdb.connect(str(self.path))
                con.execute("SET enable_progress_bar = false")  # no DuckDB bar in CLI output or kernel logs
                return con
            except duckdb.Error as exc:
                if not _is_lock_error(exc):
                    raise
                if time.monotonic() >= deadline:
                    raise self._busy() from exc
                time.sleep(delay * (0.5 + random.random()))
                delay = min(delay * 2, 0.05)

    @contextmanager
    def connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """An open connection with the schema up to date, closed on exit; holds the process lock meanwhile."""
        lock_file = self.path.with_name(self.path.name + ".lock")
        with exclusive(lock_file, self.wait_seconds, self._busy):
            con = self._open()
            try:
                if not self._schema_checked:
                    self._migrate(con)
                    self._schema_checked = True
                yield con
            finally:
                con.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection inside one transaction: committed on success, rolled back on any error."""
        with self.connection() as con:
            con.execute("BEGIN TRANSACTION")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    def _migrate(self, con: duckdb.DuckDBPyConnection) -> None:
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            row = con.execute("SELECT max(version) FROM schema_version").fetchone()
            current = row[0] or 0
            if current > SCHEMA_VERSION:
                raise InputError(
                    f"O arquivo {self.path} foi criado por uma versão mais nova do cobranca "
                    f"(esquema {current}; esta versão entende até {SCHEMA_VERSION}). Atualize o programa."
                )
            for version in range(current + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[version]:
                    con.execute(statement)
                if version == 1:
                    for spec in DEFAULT_FILTERS:
                        self._insert_filter(con, Filter(**spec).validated())
                con.execute("INSERT INTO schema_version VALUES (?)", [version])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    def schema_version(self) -> int:
        with self.connection() as con:
            return con.execute("SELECT max(version) FROM schema_version").fetchone()[0]

    # -- settings ----------------------------------------------------------------------------
    def settings(self) -> dict[str, str]:
        with self.connection() as con:
            return dict(con.execute("SELECT key, value FROM settings").fetchall())

    def set_setting(self, key: str, value: str) -> None:
        with self.transaction() as con:
            con.execute(
                "INSERT INTO settings VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET "
                "value = excluded.value, updated_at = excluded.updated_at",
                [key, value, datetime.now()],
            )

    # -- receivables -------------------------------------------------------------------------
    def upsert_receivables(self, rows: pd.DataFrame) -> dict[str, int]:
        """Insert or update receivables (and their customers) on (document, installment), all or nothing.

        `rows` has RECEIVABLE_COLUMNS; amounts are canonical strings ('1234.56') or Decimals,
        dates are `date` objects, ISO strings or None. Empty contact cells keep the stored value.
        Returns counts of inserted and updated receivables.
        """
        missing = [c for c in RECEIVABLE_COLUMNS if c not in rows.columns]
        if missing:
            raise ValueError(f"upsert_receivables: missing columns {missing}")
        # Vectorised conversions only: per-value Python calls cost seconds at 1M rows.
        src = pd.DataFrame(index=range(len(rows)))
        for column in RECEIVABLE_COLUMNS:
            values = rows[column].reset_index(drop=True)
            if column in ("amount", "paid_amount"):
                src[column] = values.astype("str")  # canonical text: DuckDB casts it to DECIMAL exactly
            elif column in ("issue_date", "due_date", "payable_until", "paid_date"):
                src[column] = pd.to_datetime(values, format="mixed")
            else:
                src[column] = values.astype("str")
        src["row_order"] = range(len(src))
        now = datetime.now()
        with self.transaction() as con:
            con.register("import_src", src)
            try:
                con.execute(
                    """CREATE TEMP TABLE staged AS SELECT customer_key, customer_code, customer, tax_id, mobile, phone,
                           email, document, installment, CAST(issue_date AS DATE) AS issue_date,
                           CAST(due_date AS DATE) AS due_date, CAST(payable_until AS DATE) AS payable_until,
                           CAST(amount AS DECIMAL(18,2)) AS amount, CAST(paid_amount AS DECIMAL(18,2)) AS paid_amount,
                           CAST(paid_date AS DATE) AS paid_date, description, row_order
                       FROM import_src"""
                )
            finally:
                con.unregister("import_src")
            updated = con.execute(
                "SELECT count(*) FROM staged s JOIN receivables r USING (document, installment)"
            ).fetchone()[0]
            con.execute(
                """INSERT INTO customers (id, key, code, name, tax_id, mobile, phone, email, updated_at)
                   SELECT nextval('customer_ids'), customer_key,
                          max_by(customer_code, row_order), max_by(customer, row_order), max_by(tax_id, row_order),
                          max_by(mobile, row_order), max_by(phone, row_order), max_by(email, row_order), ?
                   FROM staged GROUP BY customer_key
                   ON CONFLICT (key) DO UPDATE SET
                       code = coalesce(excluded.code, customers.code), name = excluded.name,
                       tax_id = coalesce(excluded.tax_id, customers.tax_id),
                       mobile = coalesce(excluded.mobile, customers.mobile),
                       phone = coalesce(excluded.phone, customers.phone),
                       email = coalesce(excluded.email, customers.email),
                       updated_at = excluded.updated_at""",
                [now],
            )
            con.execute(
                """INSERT INTO receivables (id, document, installment, customer_id, issue_date, due_date,
                       payable_until, amount, paid_amount, paid_date, description, updated_at)
                   SELECT nextval('receivable_ids'), s.document, s.installment, c.id, s.issue_date, s.due_date,
                          s.payable_until, s.amount, s.paid_amount, s.paid_date, s.description, ?
                   FROM staged s JOIN customers c ON c.key = s.customer_key
                   ON CONFLICT (document, installment) DO UPDATE SET
                       customer_id = excluded.customer_id, issue_date = excluded.issue_date,
                       due_date = excluded.due_date, payable_until = excluded.payable_until,
                       amount = excluded.amount, paid_amount = excluded.paid_amount,
                       paid_date = excluded.paid_date, description = excluded.description,
                       updated_at = excluded.updated_at""",
                [now],
            )
            con.execute("DROP TABLE staged")
        return {"inserted": len(src) - updated, "updated": updated}

    def counts(self) -> dict[str, int]:
        with self.connection() as con:
            return {
                table: _count(con, table) for table in ("customers", "receivables", "contacts", "filters")
            }

    def receivables_of_document(self, document: str) -> pd.DataFrame:
        """Every installment of `document`, with its customer and balance."""
        with self.connection() as con:
            return _frame(con.sql(
                """SELECT r.document, r.installment, c.name AS customer, r.due_date,
                          CAST(r.amount - r.paid_amount AS DECIMAL(18,2)) AS balance
                   FROM receivables r JOIN customers c ON c.id = r.customer_id
                   WHERE r.document = $document ORDER BY r.installment""",
                params={"document": document},
            ))

    def similar_documents(self, document: str, limit: int = 5) -> list[str]:
        with self.connection() as con:
            rows = con.execute(
                """SELECT DISTINCT document FROM receivables
                   WHERE contains(lower(document), lower(?)) ORDER BY document LIMIT ?""",
                [document, limit],
            ).fetchall()
        return [r[0] for r in rows]

    def receivable_keys(self) -> pd.DataFrame:
        """(document, installment) of every receivable (used to check re-import and benchmarks)."""
        with self.connection() as con:
            return _frame(con.sql("SELECT document, installment FROM receivables ORDER BY document, installment"))

    # -- worklist ----------------------------------------------------------------------------
    def _worklist_query(self, flt: Filter, as_of: date, rules: ChargeRules) -> tuple[str, dict]:
        """The extra WHERE fragments for `flt` (fixed SQL per optional field) and the bound parameters."""
        params = {
            "as_of": as_of,
            "min_days": flt.min_days,
            "max_days": flt.max_days,
            # days overdue in [min, max] implies a due date in this range; 0 days also covers a due date a few
            # days back whose next business day has not passed yet (long weekends), hence the margin
            "oldest_due": as_of - timedelta(days=flt.max_days + _TOLERANCE_MARGIN_DAYS),
            "newest_due": as_of - timedelta(days=flt.min_days),
            "grace": rules.grace_days,
            "fine_e4": _e4(rules.fine_percent),
            "rate_e4": _e4(rules.monthly_interest_percent),
        }
        optional = {
            "due_today": bool(flt.due_today) or None,
            "min_balance": flt.min_balance,
            "max_balance": flt.max_balance,
            "search": _like_escape(flt.customer_search) if flt.customer_search else None,
        }
        used = {key: value for key, value in optional.items() if value is not None}
        params.update({key: value for key, value in used.items() if key != "due_today"})
        return " ".join(_OPTIONAL_CONDITIONS[key] for key in used), params

    def worklist(self, flt: Filter, as_of: date, rules: ChargeRules, limit: int | None = None) -> pd.DataFrame:
        """Open receivables matching `flt` on `as_of`, most overdue first, with charges and last contact."""
        conditions, params = self._worklist_query(flt, as_of, rules)
        with self.connection() as con:
            return _fetch_worklist(con, conditions, params, limit)

    def worklist_totals(self, flt: Filter, as_of: date, rules: ChargeRules) -> dict:
        """Counts and exact totals of the whole worklist (for KPIs when only part of it is fetched).

        `by_days` is a DataFrame (days_overdue, count, balance) from which any aging table can be built.
        """
        conditions, params = self._worklist_query(flt, as_of, rules)
        with self.connection() as con:
            return _fetch_totals(con, conditions, params)

    def worklist_page(self, flt: Filter, as_of: date, rules: ChargeRules, limit: int) -> tuple[pd.DataFrame, dict]:
        """The first `limit` rows and the whole worklist's totals, read in one connection."""
        conditions, params = self._worklist_query(flt, as_of, rules)
        with self.connection() as con:
            return _fetch_worklist(con, conditions, params, limit), _fetch_totals(con, conditions, params)

    # -- filters -----------------------------------------------------------------------------
    def filters(self) -> list[Filter]:
        with self.connection() as con:
            rows = con.execute(
                """SELECT id, description, due_today, min_days, max_days, channel, min_balance, max_balance,
                          customer_search FROM filters ORDER BY id"""
            ).fetchall()
        return [
            Filter(id=r[0], description=r[1], due_today=r[2], min_days=r[3], max_days=r[4], channel=r[5],
                   min_balance=r[6], max_balance=r[7], customer_search=r[8])
            for r in rows
        ]

    @staticmethod
    def _check_unique_description(con, flt: Filter) -> None:
        clash = con.execute(
            "SELECT id FROM filters WHERE lower(description) = lower(?) AND id IS DISTINCT FROM ?",
            [flt.description, flt.id],
        ).fetchone()
        if clash:
            raise InputError(f"Já existe um filtro chamado '{flt.description}'. Escolha outra descrição.")

    def _insert_filter(self, con, flt: Filter) -> int:
        self._check_unique_description(con, flt)
        new_id = con.execute("SELECT nextval('filter_ids')").fetchone()[0]
        con.execute(
            "INSERT INTO filters VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [new_id, flt.description, flt.due_today, flt.min_days, flt.max_days, flt.channel,
             flt.min_balance, flt.max_balance, flt.customer_search, datetime.now()],
        )
        return new_id

    def add_filter(self, flt: Filter) -> int:
        with self.transaction() as con:
            return self._insert_filter(con, flt)

    def update_filter(self, flt: Filter) -> None:
        with self.transaction() as con:
            if con.execute("SELECT count(*) FROM filters WHERE id = ?", [flt.id]).fetchone()[0] == 0:
                raise NotFoundError(f"Filtro não encontrado (id {flt.id}); ele pode ter sido excluído em outra aba.")
            self._check_unique_description(con, flt)
            con.execute(
                """UPDATE filters SET description = ?, due_today = ?, min_days = ?, max_days = ?, channel = ?,
                       min_balance = ?, max_balance = ?, customer_search = ?, updated_at = ? WHERE id = ?""",
                [flt.description, flt.due_today, flt.min_days, flt.max_days, flt.channel, flt.min_balance,
                 flt.max_balance, flt.customer_search, datetime.now(), flt.id],
            )

    def delete_filter(self, filter_id: int) -> None:
        with self.transaction() as con:
            con.execute("DELETE FROM filters WHERE id = ?", [filter_id])

    # -- contacts ----------------------------------------------------------------------------
    def add_contact(
        self, document: str, installment: str, channel: str, responsible: str, destination: str | None,
        message: str | None, observation: str | None, created_at: datetime,
    ) -> int:
        """Append one contact entry; the receivable must exist."""
        with self.transaction() as con:
            found = con.execute(
                "SELECT id FROM receivables WHERE document = ? AND installment = ?", [document, installment]
            ).fetchone()
            if found is None:
                raise NotFoundError(f"Conta não encontrada: documento '{document}', parcela '{installment}'.")
            new_id = con.execute("SELECT nextval('contact_ids')").fetchone()[0]
            con.execute(
                "INSERT INTO contacts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
                [new_id, found[0], document, installment, channel, responsible, destination, message, observation,
                 created_at],
            )
            return new_id

    def add_contacts(self, entries: pd.DataFrame) -> int:
        """Append many contact entries in one transaction (history brought from elsewhere, benchmarks).

        `entries` has document, installment, channel, responsible, destination, message, observation,
        created_at; every (document, installment) must exist, else nothing is written.
        """
        columns = ["document", "installment", "channel", "responsible", "destination", "message", "observation",
                   "created_at"]
        src = entries.loc[:, columns].astype({c: "object" for c in columns[:-1]})
        with self.transaction() as con:
            con.register("new_contacts", src)
            try:
                orphans = con.execute(
                    """SELECT count(*) FROM new_contacts n ANTI JOIN receivables r
                       ON r.document = n.document AND r.installment = n.installment"""
                ).fetchone()[0]
                if orphans:
                    raise NotFoundError(f"{orphans} contato(s) citam contas que não existem; nada foi gravado.")
                con.execute(
                    """INSERT INTO contacts SELECT nextval('contact_ids'), r.id, n.document, n.installment, n.channel,
                           n.responsible, n.destination, n.message, n.observation, CAST(n.created_at AS TIMESTAMP),
                           NULL, NULL
                       FROM new_contacts n JOIN receivables r
                            ON r.document = n.document AND r.installment = n.installment"""
                )
            finally:
                con.unregister("new_contacts")
        return len(src)

    def cancel_last_contact(self, document: str, installment: str, by: str, at: datetime) -> dict:
        """Mark the newest entry not yet cancelled as cancelled; nothing is deleted."""
        with self.transaction() as con:
            row = con.execute(
                """SELECT id, channel, created_at, observation FROM contacts
                   WHERE document = ? AND installment = ? AND cancelled_at IS NULL
                   ORDER BY created_at DESC, id DESC LIMIT 1""",
                [document, installment],
            ).fetchone()
            if row is None:
                raise NotFoundError(
                    f"Não há contato a cancelar para o documento '{document}', parcela '{installment}'."
                )
            con.execute("UPDATE contacts SET cancelled_at = ?, cancelled_by = ? WHERE id = ?", [at, by, row[0]])
        return {"id": row[0], "channel": row[1], "created_at": row[2], "observation": row[3]}

    def history(self, keys: list[tuple[str, str]], include_cancelled: bool = False) -> pd.DataFrame:
        """Contact entries of the given (document, installment) pairs, newest first."""
        keys_frame = pd.DataFrame(keys, columns=["document", "installment"], dtype="object")
        with self.connection() as con:
            con.register("wanted_keys", keys_frame)
            try:
                return _frame(con.sql(
                    """SELECT ct.id, ct.document, ct.installment, ct.created_at, ct.channel, ct.responsible,
                              ct.destination, ct.message, ct.observation, ct.cancelled_at, ct.cancelled_by
                       FROM contacts ct SEMI JOIN wanted_keys k
                            ON k.document = ct.document AND k.installment = ct.installment
                       WHERE $all OR ct.cancelled_at IS NULL
                       ORDER BY ct.created_at DESC, ct.id DESC""",
                    params={"all": include_cancelled},
                ))
            finally:
                con.unregister("wanted_keys")

    def contacts_per_day(self, since: date, until: date) -> pd.DataFrame:
        """Non-cancelled contacts (comments excluded) per day and channel in [since, until]."""
        with self.connection() as con:
            return _frame(con.sql(
                """SELECT CAST(created_at AS DATE) AS day, channel, count(*) AS contacts FROM contacts
                   WHERE cancelled_at IS NULL AND channel <> 'Nenhum'
                     AND created_at >= $since AND created_at < $until + INTERVAL 1 DAY
                   GROUP BY ALL ORDER BY day, channel""",
                params={"since": since, "until": until},
            ))

    def contacted_on(self, day: date, channel: str | None = None) -> set[tuple[str, str]]:
        """(document, installment) pairs with a non-cancelled contact on `day` (optionally on one channel)."""
        with self.connection() as con:
            rows = con.execute(
                """SELECT DISTINCT document, installment FROM contacts
                   WHERE cancelled_at IS NULL AND channel <> 'Nenhum' AND CAST(created_at AS DATE) = ?
                     AND (? IS NULL OR channel = ?)""",
                [day, channel, channel],
            ).fetchall()
        return {(r[0], r[1]) for r in rows}


# -- backups (kept apart: other sections above are edited by several people) ----------------------
def _sql_path(path: Path) -> str:
    """A path as an SQL string literal (EXPORT/IMPORT DATABASE take no bound parameters)."""
    return "'" + str(path).replace("'", "''") + "'"


def export_database(store: Store, directory: Path) -> dict[str, int]:
    """Consistent copy of every table to Parquet files in `directory` (one transaction); returns row counts."""
    with store.connection() as con:
        con.execute("BEGIN TRANSACTION")
        counts = {t: _count(con, t) for t in BACKUP_TABLES}
        con.execute(f"EXPORT DATABASE {_sql_path(directory)} (FORMAT parquet)")
        con.execute("COMMIT")
    return counts


def import_database(target: Path, directory: Path) -> dict[str, int]:
    """Create the new database file `target` from an export; returns row counts."""
    con = duckdb.connect(str(target))
    try:
        con.execute("BEGIN TRANSACTION")
        con.execute(f"IMPORT DATABASE {_sql_path(directory)}")
        counts = {t: _count(con, t) for t in BACKUP_TABLES}
        con.execute("COMMIT")
    finally:
        con.close()
    return counts


BACKUP_TABLES = ("schema_version", "settings", "customers", "receivables", "filters", "contacts")
