"""Action buttons on the selected row (contact, comment, cancel) and on the worklist (print, export)."""

from __future__ import annotations

import base64

import ipywidgets as widgets

from ...formatting import moment
from ..alerts import guarded
from .base import Pane, button, esc

MIME = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
}


def download_link(data: bytes, filename: str, kind: str, text: str) -> str:
    """An <a download> with the file inline (data: URL): works in Voila without a file server."""
    payload = base64.b64encode(data).decode("ascii")
    size = f"{len(data) / 1024:.0f} KB".replace(".", ",")
    return (f'<a class="cobranca-download cobranca-download-{kind}" download="{esc(filename)}" '
            f'href="data:{MIME[kind]};base64,{payload}">{esc(text)} ({size})</a>')


class ActionsView(Pane):
    """Buttons of the seed's screen; downloads appear as links next to them."""

    css_class = "cobranca-actions"

    def __init__(self, state, alerts, contact_panel, comment_panel, **kwargs):
        super().__init__(state, alerts, **kwargs)
        self.contact_panel = contact_panel
        self.comment_panel = comment_panel
        self.contact_button = button("Registrar contato", "cobranca-action-contact", style="primary")
        self.comment_button = button("Registrar comentário", "cobranca-action-comment")
        self.cancel_button = button("Cancelar último contato", "cobranca-action-cancel", style="warning")
        self.print_button = button("Imprimir", "cobranca-action-print")
        self.xlsx_button = button("Exportar XLSX", "cobranca-action-xlsx")
        self.csv_button = button("Exportar CSV", "cobranca-action-csv")
        self.downloads = widgets.HTML()
        self.downloads.add_class("cobranca-downloads")
        self.contact_button.on_click(self.on_contact)
        self.comment_button.on_click(self.on_comment)
        self.cancel_button.on_click(self.on_cancel)
        self.print_button.on_click(self.on_print)
        self.xlsx_button.on_click(self.on_export)
        self.csv_button.on_click(self.on_export)
        state.observe(self._enable, "selected")
        state.observe(self._forget_downloads, ["worklist", "revision"])
        self._enable()
        self.children = [
            widgets.HBox([self.contact_button, self.comment_button, self.cancel_button,
                          widgets.HTML("&nbsp;&nbsp;"), self.print_button, self.xlsx_button, self.csv_button],
                         layout=widgets.Layout(flex_flow="row wrap")),
            self.downloads,
        ]

    def _enable(self, _change=None) -> None:
        none = self.state.selected is None
        for widget in (self.contact_button, self.comment_button, self.cancel_button):
            widget.disabled = none

    def _forget_downloads(self, _change=None) -> None:
        self.downloads.value = ""  # an old file would not match the list any more

    @guarded
    def on_contact(self, _button) -> None:
        self.comment_panel.close_panel()
        self.contact_panel.open_for_selection()

    @guarded
    def on_comment(self, _button) -> None:
        self.contact_panel.close_panel()
        self.comment_panel.open_for_selection()

    @guarded
    def on_cancel(self, _button) -> None:
        cancelled = self.state.cancel_last_contact()
        when = cancelled["created_at"]
        self.alerts.success(f"Último contato cancelado: {cancelled['channel']} de {moment(when)}.")

    def _working(self, what: str) -> None:
        # Sent to the page at once, while the kernel is still busy building the file.
        self.downloads.value = f"<small>Gerando {esc(what)} de {self.state.total} conta(s)… aguarde.</small>"

    def _build(self, make) -> bytes:
        try:
            return make()
        except BaseException:
            self.downloads.value = ""  # no "aguarde" left behind; `guarded` shows the error
            raise

    @guarded
    def on_print(self, _button) -> None:
        self._working("o PDF")
        data = self._build(self.state.report_pdf)
        self.downloads.value = download_link(data, f"{self.state.file_stem()}.pdf", "pdf", "Baixar o PDF")
        self.alerts.success("Relatório pronto: clique em “Baixar o PDF”.")

    @guarded
    def on_export(self, clicked) -> None:
        kind = "xlsx" if clicked is self.xlsx_button else "csv"
        self._working(f"a planilha {kind.upper()}")
        data = self._build(lambda: self.state.export_bytes(kind))
        self.downloads.value = download_link(data, f"{self.state.file_stem()}.{kind}", kind,
                                             f"Baixar a planilha {kind.upper()}")
        self.alerts.success(f"Planilha pronta ({self.state.total} conta(s)): clique em “Baixar”.")
