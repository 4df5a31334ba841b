"""cobranca: collections management for overdue receivables (DuckDB core, Voila dashboard, CLI)."""

from .api import Cobranca, default_db_path, open_db
from .errors import CobrancaError
from .filters import CHANNELS, Filter

__version__ = "0.1.0"

__all__ = ["CHANNELS", "Cobranca", "CobrancaError", "Filter", "__version__", "default_db_path", "open_db"]
