"""KPIs of the current worklist: contas, clientes, saldo total, valor atualizado total, contatados hoje."""

from __future__ import annotations

import ipywidgets as widgets

from ...core.formatting import brl, number
from ..state import promise_cards
from .base import Pane, esc

CARDS = (
    ("receivables", "Contas"),
    ("customers", "Clientes"),
    ("balance", "Saldo total"),
    ("updated_amount", "Valor atualizado total"),
    ("contacted_today", "Contatados hoje"),
)


class KpisView(Pane):
    """Five cards redrawn by the app after a reload (with the grid) and when a row changes."""

    css_class = "cobranca-kpis"

    def __init__(self, state, alerts, **kwargs):
        super().__init__(state, alerts, **kwargs)
        self.cards = widgets.HTML()
        self.values: dict = {}
        state.observe(self.render, "revision")
        self.render()
        self.children = [self.cards]

    def render(self, _change=None) -> None:
        self.values = self.state.kpis()
        parts = []
        for key, label in CARDS:
            value = self.values[key]
            text = brl(value) if key in ("balance", "updated_amount") else number(value, 0)
            parts.append(_card(key, label, text))
        parts += [_card(*card) for card in promise_cards(self.state.promise_kpis())]
        paid = self.state.paid_today()  # from bank files and statements, read with the worklist
        parts.append(_card("paid_today", "Pagos hoje", f"{number(paid['count'], 0)} · {brl(paid['amount'])}"))
        self.cards.value = f'<div class="cobranca-kpi-row">{"".join(parts)}</div>'


def _card(key: str, label: str, text: str, note: str = "") -> str:
    whole = f"{text} ({note})" if note else text
    small = f' <span class="cobranca-kpi-note">{esc(note)}</span>' if note else ""
    return (f'<div class="cobranca-kpi cobranca-kpi-{key}" title="{esc(label)}: {esc(whole)}">'
            f'<div class="cobranca-kpi-label">{esc(label)}</div>'
            f'<div class="cobranca-kpi-value">{esc(text)}{small}</div></div>')
