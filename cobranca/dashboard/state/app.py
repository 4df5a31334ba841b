"""The app state: the worklist state every pane shares, and one state object per feature (`state.contact`, …).

Views observe the traits of the worklist state and call the methods of their feature's state; only these
state objects call the facade (tests/test_dashboard_layers.py checks it)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from traitlets import observe

from ...api import Cobranca
from .agreement import AgreementState
from .baixa import BaixaState
from .charts import ChartsState
from .claims import ClaimState
from .contact import ContactState
from .conversation import ConversationState
from .customer import CustomerState
from .filters import FiltersState
from .importer import ImportState
from .outputs import OutputsState
from .regua import ReguaState
from .results import ResultsState
from .worklist import WorklistState


class AppState(WorklistState):
    """The page's state: the worklist (criteria, rows, totals, selection) and the features working on it."""

    def __init__(self, db: Cobranca, as_of: date | None = None, responsible: str | None = None,
                 clock: Callable[[], date] | None = None, start: bool = True):
        super().__init__(db, as_of=as_of, responsible=responsible, clock=clock)
        self.contact = ContactState(self)
        self.claims = ClaimState(self)  # "Próximo cliente" and the contact form's exclusive claim
        self.conversation = ConversationState(self)
        self.outputs = OutputsState(self)
        self.importer = ImportState(self)
        self.charts = ChartsState(self)
        self.filter_editor = FiltersState(self)
        self.regua = ReguaState(self)
        self.customer = CustomerState(self)
        self.results = ResultsState(self)
        self.baixa = BaixaState(self)
        self.agreement = AgreementState(self)
        self._analyst_changed()
        if start:
            self.start()

    @observe("responsible")
    def _analyst_changed(self, _change=None) -> None:
        # "Minha carteira" and leases are for the analyst named on the page
        self.db.portfolio.set_analyst(self.responsible or None)
