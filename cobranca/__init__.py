"""cobranca: collections management for overdue receivables (DuckDB core, Voila dashboard, CLI).

Names are imported on first use, so `cobranca --help` does not load pandas or DuckDB.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_EXPORTS = {
    "Cobranca": "api", "default_db_path": "api", "open_db": "api",
    "CobrancaError": "core.errors", "CHANNELS": "receivables.filters", "Filter": "receivables.filters",
}
__all__ = ["CHANNELS", "Cobranca", "CobrancaError", "Filter", "__version__", "default_db_path", "open_db"]


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'cobranca' has no attribute {name!r}")
