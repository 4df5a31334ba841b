"""Import panel: upload a CSV/XLSX export, same validation report as the CLI, optional skip of bad rows."""

from __future__ import annotations

import ipywidgets as widgets

from ...core.errors import ImportFileError
from ...core.formatting import plural
from ..alerts import guarded
from .base import NO_FILE, Pane, button, chosen_files, esc, show
from .outputs import download_link

MAX_PROBLEMS_SHOWN = 200
MAX_SKIPPED_SHOWN = 5_000  # beyond this the page gets slow; the CSV download has them all


class ImportView(Pane):
    """FileUpload + "importar somente as linhas válidas" + progress bar + the report."""

    css_class = "cobranca-import"

    def __init__(self, state, alerts, **kwargs):
        super().__init__(state, alerts, **kwargs)
        self.upload = widgets.FileUpload(accept=".csv,.xlsx,.xls,.parquet", multiple=False,
                                         description="Escolher arquivo", icon="",  # no icon font offline
                                         layout=widgets.Layout(width="auto"))
        self.upload.add_class("cobranca-import-upload")  # style.py hides ipywidgets' "(0)" count
        self.chosen = widgets.HTML(NO_FILE)
        self.chosen.add_class("cobranca-import-chosen")
        self.upload.observe(self._chose, "value")
        self.skip_invalid = widgets.Checkbox(description="importar somente as linhas válidas", indent=False)
        self.skip_invalid.add_class("cobranca-import-skip")
        self.import_button = button("Importar", "cobranca-import-run", style="primary")
        self.progress = widgets.IntProgress(min=0, max=100, value=0, description="Progresso",
                                            layout=widgets.Layout(display="none", width="420px"))
        self.report = widgets.HTML()
        self.report.add_class("cobranca-import-report")
        self.import_button.on_click(self.on_import)
        self.children = [
            widgets.HTML("Arquivo CSV ou XLSX exportado do sistema (as contas são incluídas ou atualizadas "
                         "por documento e parcela)."),
            widgets.HBox([self.upload, self.chosen, self.skip_invalid, self.import_button],
                         layout=widgets.Layout(align_items="center", flex_flow="row wrap")),
            self.progress, self.report,
        ]

    def _chose(self, change) -> None:
        self.chosen.value = chosen_files(change["new"])

    def _on_progress(self, done, total=None) -> None:
        if total:
            self.progress.max = max(int(total), 1)
        self.progress.value = min(int(done), self.progress.max)

    @guarded
    def on_import(self, _button) -> None:
        files = self.upload.value
        if not files:
            self.report.value = '<span style="color:#b3261e">Escolha um arquivo primeiro.</span>'
            return
        file = files[0]
        self.run_import(bytes(file["content"]), file["name"], self.skip_invalid.value)

    def run_import(self, data: bytes, filename: str, skip_invalid: bool) -> None:
        self.progress.value = 0
        show(self.progress, True)
        try:
            report = self.state.importer.import_bytes(data, filename, skip_invalid, progress=self._on_progress)
        except ImportFileError as exc:
            self.report.value = self._problems_html(exc)
            self.alerts.error(f"O arquivo {filename} não foi importado: "
                              f"{plural(len(exc.problems), 'problema', 'problemas')}. "
                              "Veja a lista no painel Importar.")
            return
        finally:
            show(self.progress, False)
        self.upload.value = ()
        absent = (f'<div class="cobranca-import-absent">{esc(report.absent_text())}</div>' if report.absent else "")
        self.report.value = (f'<pre class="cobranca-import-summary">{esc(report.summary())}</pre>' + absent
                             + self._skipped_html(report, filename))
        self.alerts.success(f"Importação de {filename} concluída.")

    @staticmethod
    def _skipped_html(report, filename: str) -> str:
        """Every skipped line with its reason (a scrolling list), and the same list as a CSV download."""
        if not report.skipped:
            return ""
        lines = report.skipped_text()
        shown = lines[:MAX_SKIPPED_SHOWN]
        items = "".join(f"<li>{esc(text)}</li>" for text in shown)
        more = (f"<li>... e mais {plural(len(lines) - len(shown), 'linha', 'linhas')}: veja a lista completa no arquivo.</li>"
                if len(lines) > len(shown) else "")
        stem = filename.rsplit(".", 1)[0] or "importacao"
        link = download_link(report.skipped_csv(), f"{stem}-linhas-ignoradas.csv", "csv",
                             "Baixar a lista de linhas ignoradas")
        head = plural(len(lines), "linha ignorada", "linhas ignoradas")
        return (f'<div class="cobranca-import-skipped"><b>{head}:</b> {link}'
                f'<ul style="max-height:260px;overflow:auto;margin:4px 0">{items}{more}</ul></div>')

    @staticmethod
    def _problems_html(exc: ImportFileError) -> str:
        head = str(exc).splitlines()[0] if str(exc) else "Arquivo recusado."
        items = "".join(f"<li>{esc(p)}</li>" for p in exc.problems[:MAX_PROBLEMS_SHOWN])
        more = len(exc.problems) - MAX_PROBLEMS_SHOWN
        tail = f"<li>... e mais {plural(more, 'problema', 'problemas')}.</li>" if more > 0 else ""
        return (f'<div class="cobranca-import-problems" style="color:#b3261e"><b>{esc(head)}</b>'
                f"<ul>{items}{tail}</ul></div>")
