"""Baixas: upload a bank return file or OFX statement, preview what it settles, confirm, resolve the review list."""

from __future__ import annotations

import ipywidgets as widgets

from ...baixa.report import BaixaReport
from ...baixa.settle import credit
from ...core.formatting import brl, day, number, plural
from ..alerts import guarded
from .base import NO_FILE, LazyPane, button, chosen_files, esc, show, table_html

GROUPS = (("settled", "Quitadas"), ("partial", "Pagamentos parciais"), ("not_payment", "Não são pagamento"),
          ("review", "A revisar"))


class BaixaView(LazyPane):
    """FileUpload → "Pré-visualizar" (nothing written) → "Confirmar baixa"; the review list with its resolution."""

    css_class = "cobranca-baixa"

    def __init__(self, state, alerts, **kwargs):
        super().__init__(state, alerts, **kwargs)
        self.upload = widgets.FileUpload(accept=".ret,.RET,.txt,.TXT,.ofx,.OFX,.cnab,.CNAB", multiple=True,
                                         description="Escolher arquivos", icon="", layout=widgets.Layout(width="auto"))
        self.upload.add_class("cobranca-baixa-upload")  # style.py hides ipywidgets' "(0)" count
        self.chosen = widgets.HTML(NO_FILE)
        self.chosen.add_class("cobranca-import-chosen")
        self.upload.observe(lambda change: setattr(self.chosen, "value", chosen_files(change["new"])), "value")
        self.preview_button = button("Pré-visualizar", "cobranca-baixa-preview")
        self.confirm_button = button("Confirmar baixa", "cobranca-baixa-confirm", style="primary")
        self.preview_button.on_click(self.on_preview)
        self.confirm_button.on_click(self.on_confirm)
        show(self.confirm_button, False)
        self.preview = widgets.HTML()
        self.preview.add_class("cobranca-baixa-report")
        self.review = widgets.HTML()
        self.review.add_class("cobranca-baixa-review")
        self.pick = widgets.Dropdown(description="Pagamento", options=[], layout=widgets.Layout(width="420px"))
        self.document = widgets.Text(continuous_update=False, description="Documento", layout=widgets.Layout(width="220px"))
        self.installment = widgets.Text(continuous_update=False, description="Parcela", layout=widgets.Layout(width="160px"))
        self.document.add_class("cobranca-baixa-document")
        self.resolve_button = button("Aplicar à conta", "cobranca-baixa-resolve")
        self.dismiss_button = button("Descartar", "cobranca-baixa-dismiss")
        self.resolve_button.on_click(self.on_resolve)
        self.dismiss_button.on_click(self.on_dismiss)
        self.resolve_box = widgets.HBox([self.pick, self.document, self.installment, self.resolve_button,
                                         self.dismiss_button], layout=widgets.Layout(flex_flow="row wrap"))
        self.paid_today = widgets.HTML()
        self.paid_today.add_class("cobranca-baixa-today")
        self.pending: list[tuple[str, bytes]] = []
        self.children = [
            widgets.HTML("Arquivo de retorno do banco (CNAB 240 ou 400) ou extrato OFX: veja o que será baixado "
                         "e confirme. Aplicar o mesmo arquivo de novo não muda nada."),
            widgets.HBox([self.upload, self.chosen, self.preview_button, self.confirm_button],
                         layout=widgets.Layout(align_items="center", flex_flow="row wrap")),
            self.preview, self.paid_today, self.review, self.resolve_box,
        ]

    def render(self) -> None:
        self.stale = False
        today = self.state.baixa.paid_today()
        self.paid_today.value = f"<b>Pagos hoje:</b> {number(today['count'], 0)} ({esc(brl(today['amount']))})"
        items = self.state.baixa.review_list()
        show(self.resolve_box, not items.empty)
        if items.empty:
            self.review.value = "<i>Nenhum pagamento a revisar.</i>"
            self.pick.options = []
            return
        rows = [[f"#{r['id']}", r["file"], str(r["line"]), r["nosso_numero"] or r["document"] or r["payer_name"] or "",
                 brl(r["paid"]), day(r["occurred_on"]), r["reason"]]
                for r in items.astype(object).where(items.notna(), None).to_dict("records")]
        self.review.value = "<b>A revisar</b>" + table_html(
            ["", "Arquivo", "Linha", "Identificação", "Valor", "Data", "Motivo"], rows, "cobranca-baixa-review-table")
        self.pick.options = [(f"#{r[0][1:]} {r[3]} {r[4]}", int(r[0][1:])) for r in rows]
        self.pick.value = self.pick.options[0][1]

    def _files(self) -> list[tuple[str, bytes]]:
        return [(f["name"], bytes(f["content"])) for f in self.upload.value]

    @guarded
    def on_preview(self, _button=None) -> None:
        files = self._files()
        if not files:
            self.preview.value = '<span style="color:#b3261e">Escolha um arquivo primeiro.</span>'
            return
        report = self.state.baixa.preview(files)
        self.pending = files
        self.preview.value = report_html(report)
        show(self.confirm_button, True)

    @guarded
    def on_confirm(self, _button=None) -> None:
        if not self.pending:
            return
        report = self.state.baixa.apply(self.pending)
        self.pending = []
        self.upload.value = ()
        show(self.confirm_button, False)
        self.preview.value = report_html(report)
        settled, partial = len(report.outcomes("settled")), len(report.outcomes("partial"))
        self.alerts.success(f"Baixa aplicada: {plural(settled, 'quitada', 'quitadas')}, "
                            f"{plural(partial, 'parcial', 'parciais')}, "
                            f"{number(len(report.outcomes('review')), 0)} a revisar.")
        self.render()

    @guarded
    def on_resolve(self, _button=None) -> None:
        if self.pick.value is None:
            return
        done = self.state.baixa.resolve(self.pick.value, self.document.value, self.installment.value.strip() or None)
        self.alerts.success(f"Pagamento aplicado à conta {self.document.value}: {brl(done.applied + done.excess)}.")
        self.document.value = self.installment.value = ""
        self.render()

    @guarded
    def on_dismiss(self, _button=None) -> None:
        if self.pick.value is None:
            return
        self.state.baixa.dismiss(self.pick.value)
        self.render()


def report_html(report: BaixaReport) -> str:
    """The preview (or the result) grouped as settled, partial, not a payment, to review; every cell escaped."""
    head = "Pré-visualização: nada foi gravado ainda." if report.dry_run else "Baixa aplicada."
    parts = [f"<b>{esc(head)}</b>"]
    for status, label in GROUPS:
        outcomes = report.outcomes(status)
        rows = []
        for o in outcomes:
            item = report.item(o)
            who = f"{item['document']} / {item['installment']}" if item["document"] else (
                o.record.nosso_numero or o.record.document or o.record.fitid)
            rows.append([o.record.file, str(o.record.line), who, brl(credit(o.record)) if o.record.is_payment else "",
                         brl(o.applied) if o.applied else "", o.reason])
        parts.append(f'<div class="cobranca-baixa-{status}"><b>{esc(label)}: {len(outcomes)}</b>'
                     + (table_html(["Arquivo", "Linha", "Conta", "Valor", "Baixado", "Detalhe"], rows,
                                   f"cobranca-baixa-{status}-table") if rows else "") + "</div>")
    duplicates = len(report.outcomes("duplicate"))
    if duplicates:
        parts.append(f"<div>Já aplicados antes (nada muda): {duplicates}</div>")
    return "".join(parts)
