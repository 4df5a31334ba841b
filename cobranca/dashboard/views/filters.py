"""Saved filters: choose one, Incluir / Alterar (a form with inline validation) / Excluir (confirmed)."""

from __future__ import annotations

import ipywidgets as widgets

from ...core.errors import InputError
from ...core.formatting import number
from ...receivables.filters import CHANNELS, FILTER_STATUSES, MAX_DAYS, Filter
from ..alerts import guarded
from ..state import ALL_OVERDUE
from .base import Pane, bar, button, dialog, esc, show

ALL_LABEL = "(Todas as vencidas e vencendo hoje)"


class FilterForm(widgets.VBox):
    """The Incluir/Alterar form; `error` shows the pt-BR validation message under it."""

    def __init__(self):
        wide = widgets.Layout(width="440px")
        short = {"style": {"description_width": "170px"}}
        # Form fields sync when they lose focus: a per-key sync can be overtaken by the click on "Gravar"
        # (the widget buffers keys while one is in flight), which saved a name without its last letter.
        self.description = widgets.Text(continuous_update=False, description="Descrição", layout=wide, **short)
        self.due_today = widgets.Checkbox(description="Vencendo hoje", indent=False)
        self.min_days = widgets.IntText(description="Vencidas de", layout=widgets.Layout(width="250px"), **short)
        self.max_days = widgets.IntText(description="até (dias)", layout=widgets.Layout(width="160px"),
                                        style={"description_width": "70px"})
        self.channel = widgets.Dropdown(description="Forma de contato padrão", options=list(CHANNELS),
                                        layout=widgets.Layout(width="380px"), **short)
        self.min_balance = widgets.Text(continuous_update=False, description="Saldo mínimo (R$)", placeholder="opcional, ex.: 100,00",
                                        layout=widgets.Layout(width="320px"), **short)
        self.max_balance = widgets.Text(continuous_update=False, description="Saldo máximo (R$)", placeholder="opcional",
                                        layout=widgets.Layout(width="300px"), **short)
        self.customer_search = widgets.Text(continuous_update=False, description="Cliente contém", placeholder="opcional", layout=wide, **short)
        self.status = widgets.Dropdown(  # promises and disputes (schema step 2)
            description="Situação", options=[("Em aberto (sem as pausadas)", None)]
            + [(label.capitalize(), key) for key, label in FILTER_STATUSES.items()],
            layout=widgets.Layout(width="440px"), **short)
        self.mine = widgets.Checkbox(description="Minha carteira (só os clientes do analista)", indent=False)
        self.hint = widgets.HTML(f'<small>Use {number(MAX_DAYS, 0)} em "até" para "sem limite".</small>')
        self.error = widgets.HTML()
        self.error.add_class("cobranca-filter-error")
        self.save = button("Gravar", "cobranca-filter-save", style="primary")
        self.cancel = button("Cancelar", "cobranca-filter-cancel")
        self.title = widgets.HTML()
        self.filter_id: int | None = None
        self.due_today.observe(self._toggle_days, "value")
        for widget, css in ((self.description, "description"), (self.due_today, "due-today"),
                            (self.min_days, "min-days"), (self.max_days, "max-days"), (self.channel, "channel"),
                            (self.min_balance, "min-balance"), (self.max_balance, "max-balance"),
                            (self.customer_search, "customer-search"), (self.status, "status"), (self.mine, "mine")):
            widget.add_class(f"cobranca-filter-{css}")
        super().__init__([
            self.title, self.description, self.due_today,
            widgets.HBox([self.min_days, self.max_days, self.hint], layout=widgets.Layout(align_items="center")),
            self.channel, widgets.HBox([self.min_balance, self.max_balance]), self.customer_search, self.status,
            self.mine, self.error, bar([self.save, self.cancel], "cobranca-dialog-buttons"),
        ], layout=widgets.Layout(display="none"))
        self.add_class("cobranca-filter-form")
        dialog(self)

    def _toggle_days(self, change) -> None:
        self.min_days.disabled = self.max_days.disabled = bool(change["new"])

    def load(self, flt: Filter | None) -> None:
        """Fill the form: a saved filter to change, or defaults for a new one."""
        flt = flt or Filter(description="", min_days=1, max_days=10)
        self.filter_id = flt.id
        self.title.value = f"<b>{'Alterar filtro' if flt.id is not None else 'Incluir filtro'}</b>"
        self.description.value = flt.description
        self.due_today.value = bool(flt.due_today)
        self.min_days.value, self.max_days.value = int(flt.min_days), int(flt.max_days)
        self.channel.value = flt.channel
        self.min_balance.value = "" if flt.min_balance is None else number(flt.min_balance)
        self.max_balance.value = "" if flt.max_balance is None else number(flt.max_balance)
        self.customer_search.value = flt.customer_search or ""
        self.status.value = flt.status
        self.mine.value = bool(flt.mine)
        self.error.value = ""

    def fields(self) -> dict:
        return {
            "description": self.description.value, "due_today": self.due_today.value,
            "min_days": self.min_days.value, "max_days": self.max_days.value, "channel": self.channel.value,
            "min_balance": self.min_balance.value.strip() or None, "max_balance": self.max_balance.value.strip() or None,
            "customer_search": self.customer_search.value.strip() or None, "status": self.status.value,
            "mine": self.mine.value,
        }


class FiltersView(Pane):
    """The filter bar of the seed's screen."""

    css_class = "cobranca-filters"

    def __init__(self, state, alerts, **kwargs):
        super().__init__(state, alerts, **kwargs)
        self.dropdown = widgets.Dropdown(description="Filtro", style={"description_width": "40px"},
                                         layout=widgets.Layout(width="330px", flex="0 0 auto"))
        self.dropdown.add_class("cobranca-filter-dropdown")
        self.add_button = button("Incluir", "cobranca-filter-add")
        self.edit_button = button("Alterar", "cobranca-filter-edit")
        self.delete_button = button("Excluir", "cobranca-filter-delete")
        self.summary = widgets.HTML()
        self.summary.add_class("cobranca-filter-summary")
        self.form = FilterForm()
        self.confirm_text = widgets.HTML()
        self.confirm_yes = button("Sim, excluir", "cobranca-filter-confirm-yes", style="danger")
        self.confirm_no = button("Não", "cobranca-filter-confirm-no")
        self.confirm = widgets.VBox([self.confirm_text, bar([self.confirm_yes, self.confirm_no], "cobranca-dialog-buttons")],
                                    layout=widgets.Layout(display="none"))
        self.confirm.add_class("cobranca-filter-confirm")
        dialog(self.confirm)
        self._syncing = False
        self.dropdown.observe(self.on_choose, "value")
        self.add_button.on_click(self.on_add)
        self.edit_button.on_click(self.on_edit)
        self.delete_button.on_click(self.on_delete)
        self.confirm_yes.on_click(self.on_confirm_delete)
        self.confirm_no.on_click(lambda _: show(self.confirm, False))
        self.form.save.on_click(self.on_save)
        self.form.cancel.on_click(lambda _: show(self.form, False))
        state.observe(self._sync, ["filters", "filter_id"])
        self._sync()
        self.render_summary()
        self.children = [  # the form and the confirmation are dialogs over the page: they take no room here
            bar([self.dropdown, self.add_button, self.edit_button, self.delete_button, self.summary]),
            self.confirm, self.form,
        ]

    def _sync(self, _change=None) -> None:
        """Dropdown options and value follow the state (also after another tab's changes)."""
        self._syncing = True
        try:
            options = [(f.description, f.id) for f in self.state.filters] + [(ALL_LABEL, ALL_OVERDUE)]
            if list(self.dropdown.options) != options:
                self.dropdown.options = options
            if any(value == self.state.filter_id for _, value in options):
                self.dropdown.value = self.state.filter_id
        finally:
            self._syncing = False
        saved = self.state.filter_id != ALL_OVERDUE
        self.edit_button.disabled = self.delete_button.disabled = not saved

    def render_summary(self) -> None:
        """What the list shows, in words; drawn by the app together with the grid, caption and KPIs."""
        if not self.state.started:
            self.summary.value = "<small>Carregando…</small>"
            return
        flt = self.state.current_filter
        text = f"Mostra as contas {flt.describe()}. Forma de contato padrão: {flt.channel}."
        self.summary.value = f'<small title="{esc(text)}">{esc(text)}</small>'

    @guarded
    def on_choose(self, change) -> None:
        if self._syncing or change["new"] == self.state.filter_id:
            return
        show(self.form, False)
        show(self.confirm, False)
        self.state.filter_id = change["new"]

    @guarded
    def on_add(self, _button) -> None:
        show(self.confirm, False)
        self.form.load(None)
        show(self.form, True)

    @guarded
    def on_edit(self, _button) -> None:
        show(self.confirm, False)
        self.form.load(self._saved_filter())
        show(self.form, True)

    @guarded
    def on_delete(self, _button) -> None:
        flt = self._saved_filter()
        show(self.form, False)
        self.confirm_text.value = f"Excluir o filtro <b>{esc(flt.description)}</b>? "
        show(self.confirm, True)

    @guarded
    def on_confirm_delete(self, _button) -> None:
        flt = self._saved_filter()
        self.state.filter_editor.delete(flt.id)
        show(self.confirm, False)
        self.alerts.success(f"Filtro '{flt.description}' excluído.")

    @guarded
    def on_save(self, _button) -> None:
        try:
            saved = self.state.filter_editor.save(self.form.fields(), self.form.filter_id)
        except InputError as exc:  # stays open with the message under the form
            self.form.error.value = f'<div class="cobranca-inline-error" style="color:#b3261e">{esc(exc)}</div>'
            return
        self.form.error.value = ""
        show(self.form, False)
        self.alerts.success(f"Filtro '{saved.description}' gravado.")

    def _saved_filter(self) -> Filter:
        if self.state.filter_id == ALL_OVERDUE:
            raise InputError("Escolha um filtro salvo para alterar ou excluir.")
        return self.state.current_filter
