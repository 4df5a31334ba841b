"""The dashboard's panes: one `ipywidgets.VBox` subclass each, all sharing one `AppState` and one `Alerts`."""

from .actions import ActionsView
from .baixa import BaixaView
from .charts import ChartsView
from .contact import CommentPanel, ContactPanel
from .conversation import ConversationPanel
from .customer import CustomerView
from .filters import FiltersView
from .header import HeaderView
from .history import HistoryView
from .importer import ImportView
from .kpis import KpisView
from .outputs import OutputsView
from .regua import ReguaView
from .results import ResultsView
from .side import SidePanel
from .worklist import WorklistView

__all__ = [
    "ActionsView", "BaixaView", "ChartsView", "CommentPanel", "ContactPanel", "FiltersView", "HeaderView", "HistoryView",
    "ConversationPanel", "CustomerView", "ImportView", "KpisView", "OutputsView", "ReguaView", "ResultsView",
    "SidePanel", "WorklistView",
]
