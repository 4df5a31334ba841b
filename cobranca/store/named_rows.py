"""The worklist rows of named receivables (the régua's re-check, a customer's accounts), at a cost that does not
grow with the database: the worklist's own SQL with its status, opt-out and lease aggregates restricted to them.

The text is store/worklist.py's rows query (one definition of the columns and rules) with the whole-table CTEs
(promises.STATUS_CTE, promises.OPTED_OUT_SQL, portfolio.LEASED_SQL) swapped for their `…_OF_IDS` variants; a
query without `receivable_ids` is refused. On PostgreSQL the statement is prepared once per pooled connection
(one parse and analysis per connection, not per message).
"""

from __future__ import annotations

import duckdb
import pandas as pd

from . import portfolio as portfolio_records
from . import promises as promise_records
from . import worklist
from .frames import engine_of, prepared, to_frame


def _restricted(text: str) -> str:
    for whole, restricted in ((promise_records.STATUS_CTE, promise_records.STATUS_CTE_OF_IDS),
                              (promise_records.OPTED_OUT_SQL, promise_records.OPTED_OUT_OF_IDS_SQL),
                              (portfolio_records.LEASED_SQL, portfolio_records.LEASED_OF_IDS_SQL)):
        if whole not in text:  # the worklist's text changed: this module must follow it
            raise RuntimeError("store/worklist.py no longer joins a whole-table CTE named_rows restricts")
        text = text.replace(whole, restricted)
    return text


ROWS_OF_IDS_SQL = _restricted(worklist._ROWS_SQL)


def _run(con, query: worklist.Query):
    if "ids" not in query.params:
        raise ValueError("named_rows needs a Query with receivable_ids")
    text, params = query.sql(ROWS_OF_IDS_SQL), query.row_params()
    return prepared(con, text, params) if engine_of(con) == "postgres" else con.sql(text, params=params)


def rows(con: duckdb.DuckDBPyConnection, query: worklist.Query) -> pd.DataFrame:
    """worklist.rows of the query's receivables only, as a DataFrame."""
    return to_frame(_run(con, query))


def records(con: duckdb.DuckDBPyConnection, query: worklist.Query) -> list[dict]:
    """The same rows as plain dicts of Python values (the régua's re-check before each e-mail)."""
    return worklist.as_records(_run(con, query))
