"""The policy editor of the "Acordo" section: per days-overdue band, the maximum discounts, the minimum entry,
the maximum installments and the minimum installment, saved at once ("Salvar política")."""

from __future__ import annotations

from dataclasses import replace

import ipywidgets as widgets

from ...acordos.policy import Band, pct
from ...core import formatting as fmt
from ...core.errors import InputError
from ...core.money import parse_money, parse_percent
from ...core.parsing import int_between
from ..alerts import guarded
from .base import Pane, button

# (Band field, column title, parser, shown as)
_COLUMNS = (("max_interest_discount", "Desc. juros %", parse_percent, pct),
            ("max_fine_discount", "Desc. multa %", parse_percent, pct),
            ("min_entry_percent", "Entrada mín. %", parse_percent, pct),
            ("max_installments", "Parcelas máx.", lambda text: int_between(text, 0, 120), str),
            ("min_installment", "Parcela mín. R$", parse_money, lambda v: fmt.number(v)))


class PolicyEditor(Pane):
    css_class = "cobranca-acordo-politica"

    def __init__(self, state, alerts, **kwargs):
        super().__init__(state, alerts, **kwargs)
        self.bands: list[Band] = []
        self.cells: list[list[widgets.Text]] = []
        self.grid = widgets.GridBox(layout=widgets.Layout(grid_template_columns="120px repeat(5, 120px)"))
        self.save = button("Salvar política", "cobranca-acordo-politica-salvar")
        self.save.on_click(self.on_save)
        self.children = [widgets.HTML("<b>Política de acordos</b> (por faixa de dias de atraso)"), self.grid, self.save]

    def render(self) -> None:
        self.bands = self.state.agreement.policy()
        header = [widgets.HTML("<b>Faixa</b>")] + [widgets.HTML(f"<b>{title}</b>") for _, title, _, _ in _COLUMNS]
        self.cells, cells = [], list(header)
        for band in self.bands:
            row = [widgets.Text(continuous_update=False, value=shown(getattr(band, name)), layout=widgets.Layout(width="110px"))
                   for name, _, _, shown in _COLUMNS]
            self.cells.append(row)
            cells += [widgets.HTML(band.label), *row]
        self.grid.children = cells

    @guarded
    def on_save(self, _button=None) -> None:
        bands = []
        for band, row in zip(self.bands, self.cells, strict=True):
            values = {}
            for (name, title, parse, _), cell in zip(_COLUMNS, row, strict=True):
                try:
                    values[name] = parse(cell.value.strip())
                except ValueError as exc:
                    raise InputError(f"Faixa {band.label}, {title}: '{cell.value}' {exc}.") from exc
            bands.append(replace(band, **values))
        self.state.agreement.set_policy(bands)
        self.alerts.success("Política de acordos salva.")
        self.render()
