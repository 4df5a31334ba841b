"""The "Régua de cobrança" pane: steps editor, preview for the selected row, today's plan, the log of what was sent."""

from __future__ import annotations

import ipywidgets as widgets

from ...core.errors import InputError
from ...core.formatting import brl, day, moment
from ...receivables.filters import MAX_DAYS
from ...regua.plan import OUTCOME_LABELS, STEP_CHANNELS
from ..alerts import guarded
from ..state import text_of
from .base import Pane, button, esc, table_html

NEW = "(nova etapa)"
TASKS_FILTER = "Tarefas de hoje"


class ReguaView(Pane):
    """Loaded when its section is opened (reads the database only then)."""

    css_class = "cobranca-regua"

    def __init__(self, state, alerts):
        super().__init__(state, alerts)
        short = {"style": {"description_width": "90px"}}
        self.steps_table = widgets.HTML()
        self.choose = widgets.Dropdown(description="Etapa", layout=widgets.Layout(width="360px"), **short)
        self.name = widgets.Text(continuous_update=False, description="Nome", layout=widgets.Layout(width="360px"), **short)
        self.days = widgets.BoundedIntText(description="Dias", min=-365, max=MAX_DAYS,
                                           layout=widgets.Layout(width="200px"), **short)
        self.channel = widgets.Dropdown(description="Forma", options=list(STEP_CHANNELS),
                                        layout=widgets.Layout(width="260px"), **short)
        self.subject = widgets.Text(continuous_update=False, description="Assunto", placeholder="vazio = texto padrão",
                                    layout=widgets.Layout(width="700px"), **short)
        self.body = widgets.Textarea(continuous_update=False, description="Texto", placeholder="vazio = texto padrão (campos: cliente, "
                                     "contas, total, empresa, responsavel)", layout=widgets.Layout(width="700px",
                                                                                                  height="120px"),
                                     **short)
        self.error = widgets.HTML()
        self.save = button("Gravar etapa", "cobranca-regua-save", style="primary")
        self.delete = button("Excluir etapa", "cobranca-regua-delete", style="danger")
        self.preview_button = button("Prévia da conta selecionada", "cobranca-regua-preview")
        self.plan_button = button("Plano de hoje", "cobranca-regua-plan")
        self.tasks_button = button("Ver 'Tarefas de hoje' na lista", "cobranca-regua-tasks")
        self.preview = widgets.HTML()
        self.plan = widgets.HTML()
        self.log_table = widgets.HTML()
        self.choose.observe(self._chosen, "value")
        self.save.on_click(self._save)
        self.delete.on_click(self._delete)
        self.preview_button.on_click(self._preview)
        self.plan_button.on_click(self._plan)
        self.tasks_button.on_click(self._show_tasks)
        self.children = [
            widgets.HTML("<b>Etapas</b> (e-mail é enviado pela régua; as demais formas viram tarefas)"),
            self.steps_table, self.choose, widgets.HBox([self.name, self.days, self.channel]), self.subject,
            self.body, self.error, widgets.HBox([self.save, self.delete]),
            widgets.HBox([self.preview_button, self.plan_button, self.tasks_button]), self.preview, self.plan,
            widgets.HTML("<b>Registro dos últimos 7 dias</b>"), self.log_table,
        ]
        self.loaded = False

    def activate(self, opened: bool) -> None:
        if opened:
            self.refresh()

    def refresh(self) -> None:
        steps = self.state.regua.steps()
        self.steps_table.value = table_html(
            ["Dias", "Nome", "Forma", "Texto"],
            [[f"{s.days:+d}" if s.days else "0", s.name, s.channel, "próprio" if (s.subject or s.body) else "padrão"] for s in steps],
            "cobranca-regua-steps")
        current = self.choose.value
        self.choose.options = [NEW, *[s.name for s in steps]]
        self.choose.value = current if current in self.choose.options else NEW
        self._load_log()
        self.loaded = True

    def _load_log(self) -> None:
        frame = self.state.regua.log()
        rows = [[moment(r["created_at"].to_pydatetime()), r["step_name"], OUTCOME_LABELS.get(r["outcome"], r["outcome"]),
                 r["channel"], f"{r['document']}/{r['installment']}", r["customer"], text_of(r["detail"])]
                for r in frame.to_dict("records")]
        self.log_table.value = table_html(["Quando", "Etapa", "Resultado", "Forma", "Conta", "Cliente", "Observação"],
                                    rows, "cobranca-regua-log") if rows else "<i>Nada registrado.</i>"

    def _chosen(self, change) -> None:
        self.error.value = ""
        if change["new"] in (None, NEW):
            self.name.value, self.days.value, self.subject.value, self.body.value = "", 0, "", ""
            return
        step = self.state.regua.step(change["new"])
        self.name.value, self.days.value, self.channel.value = step.name, step.days, step.channel
        self.subject.value, self.body.value = step.subject or "", step.body or ""

    @guarded
    def _save(self, _button) -> None:
        current = None if self.choose.value in (None, NEW) else self.choose.value
        try:
            step = self.state.regua.save_step(current, self.name.value, self.days.value, self.channel.value,
                                              self.subject.value, self.body.value)
        except Exception as exc:
            self.error.value = f'<span class="cobranca-regua-error" style="color:#b00020">{esc(exc)}</span>'
            raise
        self.error.value = ""
        self.refresh()
        self.choose.value = step.name
        self.alerts.success(f"Etapa '{step.name}' gravada.")

    @guarded
    def _delete(self, _button) -> None:
        if self.choose.value in (None, NEW):
            return
        step = self.state.regua.delete_step(self.choose.value)
        self.refresh()
        self.alerts.success(f"Etapa '{step.name}' excluída (o registro continua).")

    @guarded
    def _preview(self, _button) -> None:
        status, message = self.state.regua.preview()
        text = "" if message is None else (f"Assunto: {message.subject}\n\n" if message.subject else "") + message.body
        self.preview.value = (f'<div class="cobranca-regua-preview"><b>{esc(status)}</b>'
                              f'<pre style="white-space: pre-wrap">{esc(text)}</pre></div>')

    @guarded
    def _plan(self, _button) -> None:
        report = self.state.regua.plan()
        p = report.plan
        emails = [[i.customer, i.to, ", ".join(f"{d}/{n}" for d, n in i.keys), i.step.name, brl(i.total)]
                  for i in p.emails]
        tasks = [[i.channel, i.customer, i.to, ", ".join(f"{d}/{n}" for d, n in i.keys), i.step.name, i.note]
                 for i in p.tasks]
        skipped = [[f"{s.row['document']}/{s.row['installment']}", s.row["customer"], s.step.name, s.label]
                   for s in p.skipped]
        parts = [f"<b>Plano de {esc(day(p.as_of))} às {report.now:%H:%M}</b>"]
        if report.hours_note:
            parts.append(f"<div>{esc(report.hours_note)}</div>")
        for title, header, rows, css in (
            ("A enviar por e-mail", ["Cliente", "E-mail", "Contas", "Etapa", "Total"], emails, "cobranca-regua-emails"),
            ("Tarefas", ["Forma", "Cliente", "Destino", "Contas", "Etapa", "Observação"], tasks, "cobranca-regua-todo"),
            ("Ignoradas", ["Conta", "Cliente", "Etapa", "Motivo"], skipped, "cobranca-regua-skipped"),
        ):
            parts.append(f"<div><b>{title}</b> ({len(rows)})</div>")
            parts.append(table_html(header, rows, css) if rows else "<i>nenhuma</i>")
        self.plan.value = "".join(parts)

    @guarded
    def _show_tasks(self, _button) -> None:
        match = [f for f in self.state.filters if f.description == TASKS_FILTER]
        if not match:
            raise InputError(f"O filtro '{TASKS_FILTER}' foi excluído; crie um com a situação "
                             "'com tarefa da régua em aberto'.")
        self.state.filter_id = match[0].id
