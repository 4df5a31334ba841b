"""The customer view: every open receivable of the selected row's customer with the total, their whole history,
one message for all, and one contact recorded on each of them (one transaction). Opening it takes a lease,
so other tabs show "Em atendimento por …" on that customer's rows after their next refresh."""

from __future__ import annotations

import ipywidgets as widgets

from ...core import formatting as fmt
from ...core.taxid import format_tax_id
from ...receivables.filters import CHANNELS
from ..alerts import guarded
from .base import Pane, button, esc, table_html


class CustomerView(Pane):
    css_class = "cobranca-customer"

    def __init__(self, state, alerts, **kwargs):
        super().__init__(state, alerts, **kwargs)
        self.header = widgets.HTML()
        self.header.add_class("cobranca-customer-header")
        self.receivables = widgets.HTML()
        self.receivables.add_class("cobranca-customer-receivables")
        self.channel = widgets.Dropdown(options=[c for c in CHANNELS if c != "Nenhum"], value="WhatsApp",
                                        description="Forma", style={"description_width": "50px"})
        self.channel.add_class("cobranca-customer-channel")
        self.message = widgets.Textarea(continuous_update=False, layout=widgets.Layout(width="100%", height="140px"))
        self.message.add_class("cobranca-customer-message")
        self.observation = widgets.Text(continuous_update=False, placeholder="Observação (opcional)", layout=widgets.Layout(width="320px"))
        self.observation.add_class("cobranca-customer-observation")
        self.register = button("Registrar contato em todas", "cobranca-customer-register", style="primary")
        self.register.on_click(self.on_register)
        self.history = widgets.HTML()
        self.history.add_class("cobranca-customer-history")
        self.channel.observe(lambda _c: self._fill_message(), "value")
        self.active = False
        state.observe(self._changed, ["selected", "revision"])
        self.children = [self.header, self.receivables, widgets.HBox([self.channel, self.observation, self.register]),
                         self.message, self.history]

    @property
    def customer_id(self) -> int | None:
        """The customer whose lease this page holds (the state's)."""
        return self.state.customer.customer_id

    def _changed(self, _change=None) -> None:
        if self.active:
            self.render()

    def activate(self, active: bool) -> None:
        self.active = active
        if active:
            self.render()
        else:
            self.state.customer.release()

    @guarded
    def render(self) -> None:
        row = self.state.selected_row
        if row is None:
            self.header.value = "<i>Selecione uma conta na lista para ver o cliente.</i>"
            self.receivables.value = self.history.value = self.message.value = ""
            return
        view = self.state.customer.open(int(row["customer_id"]))  # one database open, the lease taken
        self._show(view)
        self._fill_message()

    def _show(self, view: dict) -> None:
        customer = view["customer"]
        others = [lease["analyst"] for lease in view["leases"] if lease["analyst"] != self.state.responsible]
        busy = f" · <b>Em atendimento por {esc(', '.join(others))}</b>" if others else ""
        self.header.value = (f"<b>{esc(customer['name'])}</b> (código {esc(customer['code'] or '—')}, "
                             f"CPF/CNPJ {esc(format_tax_id(customer['tax_id']) if customer['tax_id'] else '—')}) · responsável: "
                             f"{esc(view['analyst'] or 'sem analista')}{busy}")
        rows = [[r["document"], r["installment"], fmt.day(r["due_date"]), str(int(r["days_overdue"])),
                 fmt.brl(r["balance"]), fmt.brl(r["updated_amount"])] for r in view["receivables"].to_dict("records")]
        rows.append(["Total", "", "", "", fmt.brl(view["balance"]), fmt.brl(view["total"])])
        self.receivables.value = table_html(
            ["Documento", "Parcela", "Vencimento", "Dias", "Saldo", "Valor atualizado"], rows, "cobranca-customer-table")
        entries = [[fmt.moment(e["created_at"].to_pydatetime()), f"{e['document']} / {e['installment']}", e["channel"],
                    e["responsible"], "" if fmt.is_missing(e["observation"]) else e["observation"]]
                   for e in view["history"].to_dict("records")]
        self.history.value = "<b>Histórico do cliente (mais recentes primeiro)</b>" + (
            table_html(["Data/Hora", "Documento", "Forma", "Responsável", "Observação"], entries,
                       "cobranca-customer-entries") if entries else "<br><i>Nenhum contato registrado.</i>")

    def _fill_message(self) -> None:
        if self.customer_id is None:
            return
        channel = self.channel.value
        if channel not in ("WhatsApp", "SMS", "E-mail"):
            self.message.value = ""
            return
        try:
            rendered = self.state.customer.message(channel)
        except Exception as exc:  # no open receivable, or a template that fails: say it in the box
            self.message.value = str(exc)
            return
        self.message.value = (f"Assunto: {rendered.subject}\n\n" if rendered.subject else "") + rendered.body

    @guarded
    def on_register(self, _button=None) -> None:
        if self.customer_id is None:
            self.alerts.warning("Selecione uma conta na lista para ver o cliente.")
            return
        channel = self.channel.value
        message = self.message.value if channel in ("WhatsApp", "SMS", "E-mail") else None
        ids = self.state.customer.register(channel, message, self.observation.value or None)  # then reloads
        self.observation.value = ""
        self.alerts.success(f"Contato ({channel}) registrado em {fmt.plural(len(ids), 'conta', 'contas')} do cliente.")
