"""The "Acordo" section: simulate an agreement for the selected row's customer (the totals follow N, the entry and
the discounts as they are typed), close it ("Fechar acordo"), and see the customer's agreements."""

from __future__ import annotations

import ipywidgets as widgets

from ...acordos.policy import pct
from ...contacting.whatsapp import whatsapp_link
from ...core import formatting as fmt
from ...core.errors import InputError
from ..alerts import guarded
from .agreement_policy import PolicyEditor
from .base import LazyPane, button, esc, table_html
from .outputs import download_link


class AgreementView(LazyPane):
    css_class = "cobranca-acordo"

    def __init__(self, state, alerts, **kwargs):
        super().__init__(state, alerts, **kwargs)
        self.header = widgets.HTML()
        self.header.add_class("cobranca-acordo-header")
        self.count = widgets.BoundedIntText(value=3, min=0, max=120, description="Parcelas",
                                            style={"description_width": "70px"}, layout=widgets.Layout(width="160px"))
        self.count.add_class("cobranca-acordo-parcelas")
        self.entry = self._text("Entrada (R$)", "cobranca-acordo-entrada", "a mínima")
        self.first_due = self._text("1º vencimento", "cobranca-acordo-primeiro", "dd/mm/aaaa")
        self.interest = self._text("Desc. juros %", "cobranca-acordo-juros", "o máximo")
        self.fine = self._text("Desc. multa %", "cobranca-acordo-multa", "o máximo")
        self.summary = widgets.HTML()
        self.summary.add_class("cobranca-acordo-summary")
        self.close_button = button("Fechar acordo", "cobranca-acordo-fechar", style="primary")
        self.close_button.on_click(self.on_close)
        self.existing = widgets.HTML()
        self.existing.add_class("cobranca-acordo-existing")
        self.after = widgets.HTML()  # after "Fechar acordo": the term, the ERP file and the message
        self.after.add_class("cobranca-acordo-depois")
        self.results = widgets.HTML()
        self.results.add_class("cobranca-acordo-resultados")
        self.policy = PolicyEditor(state, alerts)
        for field in (self.count, self.entry, self.first_due, self.interest, self.fine):
            field.observe(lambda _c: self.simulate(), "value")
        self.closed: tuple[int, dict] | None = None  # (customer id, agreement) just closed here
        state.observe(self._changed, ["selected", "revision"])
        self.children = [self.header, widgets.HBox([self.count, self.entry, self.first_due]),
                         widgets.HBox([self.interest, self.fine, self.close_button]), self.summary, self.after,
                         self.existing, self.results, self.policy]

    @staticmethod
    def _text(label: str, css: str, hint: str) -> widgets.Text:
        field = widgets.Text(description=label, placeholder=hint, continuous_update=False,
                             style={"description_width": "100px"}, layout=widgets.Layout(width="230px"))
        field.add_class(css)
        return field

    def _terms(self) -> dict:
        """The terms as typed (the state parses them and says in pt-BR what is wrong)."""
        return {"entry": self.entry.value, "first_due": self.first_due.value,
                "interest_discount": self.interest.value, "fine_discount": self.fine.value}

    def render(self) -> None:
        self.stale = False
        self.policy.render()
        self._results()
        customer_id = self.state.agreement.customer_id()
        if customer_id is None and self.closed is not None:  # its receivables left the list: show what was made
            closed_for, made = self.closed
            self.header.value = f"<b>Acordo nº {made['id']} fechado com {esc(made['customer'])}</b>"
            self.summary.value = ""
            self._existing(self.state.agreement.existing(closed_for))
            return
        if customer_id is None:
            self.header.value = "<i>Selecione uma conta na lista para simular um acordo com o cliente.</i>"
            self.summary.value = self.existing.value = ""
            return
        self.closed = None
        self.after.value = ""
        self._open(customer_id)

    @guarded
    def _open(self, customer_id: int) -> None:
        """The simulation and the customer's agreements, read in one database open."""
        self.summary.value = ""
        simulation, existing = self.state.agreement.open(customer_id, self.count.value, self._terms())
        self._show_simulation(simulation)
        self._existing(existing)

    @guarded
    def simulate(self) -> None:
        customer_id = self.state.agreement.customer_id()
        if customer_id is None or not self.active:
            return
        self.summary.value = ""
        self._show_simulation(self.state.agreement.simulation(customer_id, self.count.value, self._terms()))

    def _show_simulation(self, simulation) -> None:
        if isinstance(simulation, InputError):  # the policy refuses these terms (or nothing is overdue): say it in place
            self.summary.value = f"<p class='cobranca-acordo-problem'>{esc(str(simulation))}</p>"
            return
        customer, sim = simulation
        self.header.value = f"<b>Acordo com {esc(customer['name'])}</b> · simulação em {fmt.day(sim.as_of)}"
        lines = [[f"{li.debt.document}/{li.debt.installment}", fmt.day(li.debt.due_date), str(li.debt.days_overdue),
                  fmt.brl(li.debt.updated_amount), f"{fmt.brl(li.discount)} ({pct(li.interest_percent)}% juros, "
                  f"{pct(li.fine_percent)}% multa)"] for li in sim.lines]
        payments = [["Entrada" if p.number == 0 else f"Parcela {p.number}", fmt.day(p.due_date), fmt.brl(p.amount)]
                    for p in sim.payments]
        self.summary.value = (
            table_html(["Conta", "Vencimento", "Dias", "Atualizado", "Desconto"], lines, "cobranca-acordo-contas")
            + f"<p class='cobranca-acordo-totals'>Total original <b>{fmt.brl(sim.total_original)}</b> · desconto "
              f"<b>{fmt.brl(sim.discount)}</b> · total do acordo <b>{fmt.brl(sim.total)}</b></p>"
            + table_html(["Pagamento", "Vencimento", "Valor"], payments, "cobranca-acordo-parcelas-tabela"))

    def _existing(self, found: list[dict]) -> None:
        rows = [[str(a["id"]), a["status_label"], fmt.brl(a["total"]), fmt.moment(a["created_at"]), a["created_by"]]
                for a in found]
        self.existing.value = ("<b>Acordos do cliente</b>" + table_html(
            ["Nº", "Situação", "Total", "Criado em", "Responsável"], rows, "cobranca-acordo-lista")) if rows else ""

    @guarded
    def on_close(self, _button=None) -> None:
        customer_id = self.state.agreement.customer_id()
        if customer_id is None:
            self.alerts.warning("Selecione uma conta na lista para fechar um acordo.")
            return
        made = self.state.agreement.close(customer_id, self.count.value, self._terms())
        self.closed = (customer_id, made)
        self.after.value = self._after_close(made["id"])
        self.alerts.success(f"Acordo nº {made['id']} fechado: total {fmt.brl(made['total'])}, entrada de "
                            f"{fmt.brl(made['entry']['amount'])} em {fmt.day(made['entry']['due_date'])}.")
        self.state.reload()

    def _after_close(self, agreement_id: int) -> str:
        """Links to the term PDF and the ERP CSV, and the customer's message with its WhatsApp link (or why not)."""
        term, erp, found = self.state.agreement.documents(agreement_id)
        links = [download_link(term, f"termo-acordo-{agreement_id}.pdf", "pdf", "Baixar o termo (PDF)"),
                 download_link(erp, f"acordo-{agreement_id}-erp.csv", "csv", "Exportar para o ERP (CSV)")]
        if isinstance(found, InputError):  # opted out, or outside the legal hours: no message
            return " · ".join(links) + f"<p class='cobranca-acordo-sem-mensagem'>{esc(str(found))}</p>"
        text = f"<pre class='cobranca-acordo-mensagem'>{esc(found['body'])}</pre>"
        if found["mobile"]:
            try:
                link = whatsapp_link(found["mobile"], found["body"])
                text += (f"<a class='cobranca-acordo-whatsapp' href='{esc(link)}' target='_blank' rel='noopener'>"
                         "Enviar pelo WhatsApp</a> (depois registre o contato)")
            except InputError as exc:
                text += f"<p>{esc(str(exc))}</p>"
        return " · ".join(links) + text

    def _results(self) -> None:
        """Agreements of the last 30 days per analyst: kept, broken, recovered, average discount."""
        since, until, rows = self.state.agreement.results()
        cells = [[r["analyst"], str(r["agreements"]), str(r["kept"]), str(r["broken"]), str(r["active"]),
                  fmt.brl(r["recovered"]), "—" if r["average_discount_percent"] is None
                  else f"{fmt.number(r['average_discount_percent'], 1)}%"] for r in rows]
        self.results.value = (f"<b>Resultados dos acordos</b> ({fmt.day(since)} a "
                              f"{fmt.day(until)}, por analista)" + table_html(
                                  ["Analista", "Acordos", "Cumpridos", "Quebrados", "Em dia", "Recuperado",
                                   "Desconto médio"], cells, "cobranca-acordo-resultados-tabela"))
