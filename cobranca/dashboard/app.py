"""The root widget: every pane stacked as in the seed's screen, sharing one state and one alert strip."""

from __future__ import annotations

from datetime import date

import ipywidgets as widgets

from ..api import Cobranca
from .alerts import Alerts
from .state import AppState
from .views import (
    ActionsView,
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
    ReguaView,
    ResultsView,
    WorklistView,
)

CSS = """
<style>
.cobranca-app { font-family: "DejaVu Sans", Arial, sans-serif; max-width: 1400px; }
.cobranca-title { font-size: 20px; font-weight: bold; margin: 4px 0 8px 0; }
.cobranca-kpi-row { display: flex; gap: 10px; flex-wrap: wrap; margin: 6px 0; }
.cobranca-kpi { border: 1px solid #cfd8dc; border-radius: 6px; padding: 6px 14px; min-width: 150px; background: #f7fafc; }
.cobranca-kpi-label { font-size: 12px; color: #546e7a; }
.cobranca-kpi-value { font-size: 18px; font-weight: bold; }
.cobranca-table { border-collapse: collapse; font-size: 13px; margin-top: 4px; }
.cobranca-table th, .cobranca-table td { border: 1px solid #d0d7de; padding: 3px 8px; text-align: left; vertical-align: top; }
.cobranca-table th { background: #eef2f5; }
.cobranca-app a { color: #1a5fb4; text-decoration: underline; }
.cobranca-download { font-weight: bold; margin-right: 12px; }
.cobranca-alerts { position: fixed; bottom: 16px; right: 16px; z-index: 1000; max-width: 600px; max-height: 45vh; overflow: auto;
                   box-shadow: 0 2px 8px rgba(0,0,0,.25); background: white; border-radius: 4px; }
.cobranca-alerts:empty { display: none; }
</style>
"""


class CobrancaApp(widgets.VBox):
    """The Gerenciamento de cobranças screen."""

    def __init__(self, db: Cobranca, as_of: date | None = None, responsible: str | None = None):
        self.db = db
        self.alerts = Alerts()
        self.state = AppState(db, as_of=as_of, responsible=responsible)
        state, alerts = self.state, self.alerts
        self.header = HeaderView(state, alerts)
        self.filters = FiltersView(state, alerts)
        self.kpis = KpisView(state, alerts)
        self.contact = ContactPanel(state, alerts)
        self.comment = CommentPanel(state, alerts)
        self.actions = ActionsView(state, alerts, self.contact, self.comment)
        self.conversation = ConversationPanel(state, alerts)
        self.worklist = WorklistView(state, alerts)
        self.history = HistoryView(state, alerts)
        self.charts = ChartsView(state, alerts)
        self.importer = ImportView(state, alerts)
        self.regua = ReguaView(state, alerts)
        self.results = ResultsView(state, alerts)
        self.customer = CustomerView(state, alerts)
        self.more = widgets.Accordion(children=[self.charts, self.importer, self.regua, self.results, self.customer],
                                      titles=("Gráficos", "Importar arquivo", "Régua de cobrança", "Resultados",
                                              "Cliente"), selected_index=None)
        self.more.add_class("cobranca-more")
        self.more.observe(self._section_opened, "selected_index")
        super().__init__(children=[
            widgets.HTML(CSS), self.header, self.alerts, self.filters, self.kpis, self.actions, self.conversation,
            self.contact, self.comment, self.worklist, self.history, self.more,
        ])
        self.add_class("cobranca-app")

    def _section_opened(self, change) -> None:
        self.charts.activate(change["new"] == 0)
        self.regua.activate(change["new"] == 2)
        self.results.activate(change["new"] == 3)
        self.customer.activate(change["new"] == 4)
