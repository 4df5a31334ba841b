"""The only package that talks to the database (a DuckDB file or PostgreSQL): engines, units of work, schema, one module per record kind.

Callers outside the store use the `Cobranca` facade (cobranca/api.py), never these modules directly.
"""

from .connection import Store
from .receivables import RECEIVABLE_COLUMNS
from .schema import SCHEMA_VERSION

__all__ = ["RECEIVABLE_COLUMNS", "SCHEMA_VERSION", "Store"]
