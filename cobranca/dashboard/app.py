"""The root widget: header, filter bar and KPIs on top; the list (grid) beside the selected account's panel.

Laid out for 1366×768 first (docs/screen.md): header, filter bar and KPIs take one line each, the list and
the side panel fill the height left above the sections' titles, and every form opens as a dialog."""

from __future__ import annotations

import os
from datetime import date

import ipywidgets as widgets

from ..api import Cobranca
from .alerts import Alerts
from .state import AppState
from .style import CSS
from .views import (
    ActionsView,
    BaixaView,
    ChartsView,
    CommentPanel,
    ContactPanel,
    ConversationPanel,
    CustomerView,
    FiltersView,
    HeaderView,
    HistoryView,
    ImportView,
    KpisView,
    OutputsView,
    ReguaView,
    ResultsView,
    SidePanel,
    WorklistView,
)
from .views.agreement import AgreementView


def env_responsible() -> str:
    """The analyst named by COBRANCA_USER, or "" (then the page asks; never the OS login such as root)."""
    return " ".join(os.environ.get("COBRANCA_USER", "").split())[:100]


class CobrancaApp(widgets.VBox):
    """The Gerenciamento de cobranças screen.

    With `start=False` the widget tree is built without reading any data (a preheated Voila kernel does
    this before its page is requested); `start()` then reads "today" and the data.
    """

    def __init__(self, db: Cobranca, as_of: date | None = None, responsible: str | None = None,
                 start: bool = True, clock=None):
        self.db = db
        self.alerts = Alerts()
        who = env_responsible() if responsible is None else responsible
        self.state = AppState(db, as_of=as_of, responsible=who, clock=clock, start=False)
        state, alerts = self.state, self.alerts
        self.header = HeaderView(state, alerts)
        self.filters = FiltersView(state, alerts)
        self.kpis = KpisView(state, alerts)
        self.contact = ContactPanel(state, alerts)
        self.comment = CommentPanel(state, alerts)
        self.actions = ActionsView(state, alerts, self.contact, self.comment)
        self.history = HistoryView(state, alerts)
        self.conversation = ConversationPanel(state, alerts)  # promise, dispute, do not contact
        self.side = SidePanel(state, alerts, self.actions, self.contact, self.comment, self.history)
        self.side.add_section(self.conversation)
        self.worklist = WorklistView(state, alerts, on_enter=lambda: self.actions.on_contact(),
                                      on_next=self.actions.next_customer)
        self.outputs = OutputsView(state, alerts)
        self.charts = ChartsView(state, alerts)
        self.importer = ImportView(state, alerts)
        self.regua = ReguaView(state, alerts)
        self.results = ResultsView(state, alerts)
        self.customer = CustomerView(state, alerts)
        self.baixa = BaixaView(state, alerts)
        self.agreement = AgreementView(state, alerts)  # acordos: simulate and close for the selected customer
        self.more = widgets.Accordion(children=[self.charts, self.importer, self.regua, self.results, self.customer,
                                                self.baixa, self.agreement],
                                      titles=("Gráficos", "Importar arquivo", "Régua de cobrança", "Resultados",
                                              "Cliente", "Baixas", "Acordo"), selected_index=None)
        self.more.add_class("cobranca-more")
        self.more.observe(self._section_opened, "selected_index")
        self.list = widgets.VBox([self.worklist])
        self.list.add_class("cobranca-list")
        self.toolbar = widgets.HBox([self.filters, self.outputs])  # filter bar, Imprimir, Exportar: one line
        self.toolbar.add_class("cobranca-bar")
        self.toolbar.add_class("cobranca-toolbar")
        self.main = widgets.HBox([self.list, self.side])
        self.main.add_class("cobranca-main")
        state.observe(self._loaded, "generation")
        state.observe(self._busy, "busy")
        super().__init__(children=[
            widgets.HTML(CSS), self.header, self.alerts, self.toolbar, self.kpis, self.main, self.more,
        ])
        self.add_class("cobranca-app")
        if start:
            self.start()

    def start(self) -> None:
        """Read today's date and the data (after the page's request when the kernel was preheated)."""
        self.state.start()

    def _busy(self, change) -> None:
        # Sent at once, before the query: the old rows are dimmed until the new ones replace them.
        (self.main.add_class if change["new"] else self.main.remove_class)("cobranca-loading")

    def _loaded(self, _change=None) -> None:
        """Redraw after a reload: the grid's rows first (the big message), then every text of the new
        list right behind it, so the caption, the filter's description and the KPIs change together."""
        self.worklist.render_rows()
        self.worklist.render_caption()
        self.filters.render_summary()
        self.kpis.render()
        self.header.render()

    def _section_opened(self, change) -> None:
        self.charts.activate(change["new"] == 0)
        self.regua.activate(change["new"] == 2)
        self.results.activate(change["new"] == 3)
        self.customer.activate(change["new"] == 4)
        self.baixa.activate(change["new"] == 5)
        self.agreement.activate(change["new"] == 6)
