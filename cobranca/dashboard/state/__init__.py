"""The dashboard's state: `AppState` (the worklist every pane shares) and one state object per feature.

Views (`dashboard/views/`) observe these objects and call their methods; they never touch the facade."""

from .app import AppState
from .contact import ContactResult, describe_row
from .conversation import promise_cards
from .worklist import ALL_OVERDUE, MAX_SEARCH, WorklistState, text_of

__all__ = ["ALL_OVERDUE", "MAX_SEARCH", "AppState", "ContactResult", "WorklistState", "describe_row", "promise_cards",
           "text_of"]
