"""The schema and its migrations, in one place: a file of any older version upgrades when opened.

A new schema step appends `N: [...]` to MIGRATIONS (SQL text, or a Python callable taking the connection)
and bumps SCHEMA_VERSION. Steps are additive: new tables, new columns with defaults.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

import duckdb

from ..core.errors import InputError
from ..receivables.filters import DEFAULT_FILTERS, Filter
from . import agreements as agreement_records
from . import bank_payments, clock_schema, pg_indexes, regua_claims, results_schema
from . import filters as filter_records
from . import promises as promise_records
from . import regua as regua_records
from .catalog import tables as catalog_tables


def _default_filters(con: duckdb.DuckDBPyConnection) -> None:
    for spec in DEFAULT_FILTERS:
        filter_records.insert(con, Filter(**spec).validated())


def _recompute_payable_until(con: duckdb.DuckDBPyConnection) -> None:
    """Step 6: every stored payable-until date from the bank's calendar (Carnival, local holidays by setting)."""
    from ..settings import bank_calendar_from
    from . import receivables, settings

    receivables.recompute_payable_until(con, bank_calendar_from(settings.read_all(con)))


Step = str | Callable[[duckdb.DuckDBPyConnection], None]

MIGRATIONS: dict[int, list[Step]] = {
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
        _default_filters,
    ],
    2: promise_records.SCHEMA_STEP,  # promises, disputes, do-not-contact; filters.status
    3: regua_records.SCHEMA_STEP,  # régua de cobrança: steps (default cadence) and the step log
    4: results_schema.SCHEMA_STEP,  # payment events, aging snapshots, portfolios, leases; filters.mine
    5: clock_schema.SCHEMA_STEP,  # every stored timestamp as naive UTC (the one clock)
    6: [_recompute_payable_until],  # the bank's calendar: Carnival Monday/Tuesday and local holidays
    7: regua_claims.SCHEMA_STEP,  # régua: one step-log entry per (receivable, step), duplicates removed first
    8: bank_payments.SCHEMA_STEP,  # receivables.nosso_numero, bank files and records (baixa), the review list
    9: agreement_records.SCHEMA_STEP,  # acordos: policy, agreements, schedules; receivables.agreement_credit
    10: pg_indexes.SCHEMA_STEP,  # PostgreSQL: indexes of the worklist, results and customer queries
    13: pg_indexes.EVENT_STEP,  # PostgreSQL: events by receivable / customer, for the per-customer reads
}
SCHEMA_VERSION = max(MIGRATIONS)


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("SELECT max(version) FROM schema_version").fetchone()[0] or 0


def migrate(con: duckdb.DuckDBPyConnection, path: Path | str, engine=None) -> None:
    """Bring the database up to SCHEMA_VERSION in one transaction; refuse one from a newer version.

    `engine.before_migrations` runs first inside that transaction (PostgreSQL: a lock so that two processes
    never upgrade at once, and the functions that make DuckDB's SQL run there).
    """
    con.execute("BEGIN TRANSACTION")
    try:
        if engine is not None:
            engine.before_migrations(con)
        con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        current = current_version(con)
        clock_schema.set_upgrading_from(con, current)  # steps may ask
        if current > SCHEMA_VERSION:
            raise InputError(
                f"O banco {path} foi criado por uma versão mais nova do cobranca "
                f"(esquema {current}; esta versão entende até {SCHEMA_VERSION}). Atualize o programa."
            )
        for version in sorted(v for v in MIGRATIONS if current < v <= SCHEMA_VERSION):  # numbers may be skipped
            for step in MIGRATIONS[version]:
                if callable(step):
                    step(con)
                else:
                    con.execute(step)
            con.execute("INSERT INTO schema_version VALUES (?)", [version])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


@cache
def schema_tables(version: int) -> frozenset[str]:
    """The tables a file of schema `version` has (migrations up to it, run on an in-memory database)."""
    con = duckdb.connect(":memory:")
    try:
        con.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        for step_version in sorted(v for v in MIGRATIONS if v <= version):
            for step in MIGRATIONS[step_version]:
                if callable(step):
                    step(con)
                else:
                    con.execute(step)
        return frozenset(catalog_tables(con))
    finally:
        con.close()
