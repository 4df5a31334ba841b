"""Imprimir and Exportar over the whole filtered list; the download link appears in a reserved slot."""

from __future__ import annotations

import base64

import ipywidgets as widgets

from ...core.formatting import file_size, plural
from ..alerts import guarded
from .base import Pane, bar, button, esc

MIME = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
}


def download_link(data: bytes, filename: str, kind: str, text: str) -> str:
    """An <a download> with the file inline (data: URL): works in Voila without a file server."""
    payload = base64.b64encode(data).decode("ascii")
    size = file_size(len(data))
    return (f'<a class="cobranca-download cobranca-download-{kind}" download="{esc(filename)}" '
            f'href="data:{MIME[kind]};base64,{payload}">{esc(text)} ({size})</a>')


class OutputsView(Pane):
    """Buttons of the seed's screen that work on the list (what the grid, caption and KPIs show)."""

    css_class = "cobranca-outputs"

    def __init__(self, state, alerts, **kwargs):
        super().__init__(state, alerts, **kwargs)
        self.print_button = button("Imprimir", "cobranca-action-print", tooltip="Relatório PDF da lista filtrada")
        self.xlsx_button = button("Exportar XLSX", "cobranca-action-xlsx")
        self.csv_button = button("Exportar CSV", "cobranca-action-csv")
        self.downloads = widgets.HTML()  # a fixed-size slot right of the buttons: nothing moves when it fills
        self.downloads.add_class("cobranca-downloads")
        self.print_button.on_click(self.on_print)
        self.xlsx_button.on_click(self.on_export)
        self.csv_button.on_click(self.on_export)
        state.observe(self.forget, ["generation", "revision"])
        self.children = [bar([self.print_button, self.xlsx_button, self.csv_button, self.downloads])]

    def forget(self, _change=None) -> None:
        self.downloads.value = ""  # an old file would not match the list any more

    def _working(self, what: str) -> None:
        # Sent to the page at once, while the kernel is still busy building the file.
        self.downloads.value = (f'<span class="cobranca-working">Gerando {esc(what)} de '
                                f"{plural(self.state.total, 'conta', 'contas')}…</span>")

    def _build(self, make) -> bytes:
        try:
            return make()
        except BaseException:
            self.downloads.value = ""  # no "aguarde" left behind; `guarded` shows the error
            raise

    @guarded
    def on_print(self, _button) -> None:
        self._working("o PDF")
        data = self._build(self.state.outputs.report_pdf)
        self.downloads.value = download_link(data, f"{self.state.outputs.file_stem()}.pdf", "pdf", "Baixar o PDF")
        self.alerts.success("Relatório pronto: clique em “Baixar o PDF”.")

    @guarded
    def on_export(self, clicked) -> None:
        kind = "xlsx" if clicked is self.xlsx_button else "csv"
        self._working(f"a planilha {kind.upper()}")
        data = self._build(lambda: self.state.outputs.export_bytes(kind))
        self.downloads.value = download_link(data, f"{self.state.outputs.file_stem()}.{kind}", kind,
                                             f"Baixar {kind.upper()}")
        self.alerts.success(f"Planilha pronta ({plural(self.state.total, 'conta', 'contas')}): "
                            f"clique em “Baixar {kind.upper()}”.")
