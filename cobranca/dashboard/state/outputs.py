"""The list-wide outputs' state: the PDF report, the XLSX / CSV exports of the whole filtered list."""

from __future__ import annotations

import pandas as pd

from ...core import formatting as fmt
from ...report import export
from .feature import Feature

EXPORT_COLUMNS = {
    "customer": "Cliente", "customer_code": "Código", "document": "Documento", "installment": "Parcela",
    "due_date": "Vencimento", "days_overdue": "Dias de atraso", "balance": "Saldo", "fine": "Multa",
    "interest": "Juros", "updated_amount": "Valor atualizado", "mobile": "Celular", "email": "E-mail",
    "last_contact_at": "Último contato", "last_contact_channel": "Forma", "last_contact_by": "Responsável",
    "contacted_today": "Contatado hoje",
}


class OutputsState(Feature):
    """Imprimir and Exportar work on what the grid, caption and KPIs show (the current filter, the as-of day)."""

    def report_pdf(self) -> bytes:
        from ...report.pdf import build_report  # imports matplotlib (~1 s): only when Imprimir is clicked

        app = self.app
        with app.unit():
            return build_report(self.db, app.current_filter, app.as_of, responsible=app.responsible or "não informado")

    def export_frame(self) -> pd.DataFrame:
        """Every row of the worklist (not only those in the grid), pt-BR headers, money as Decimal."""
        app = self.app
        with app.unit():
            frame = self.db.worklists.rows(app.current_filter, app.as_of)
        frame = frame.loc[:, list(EXPORT_COLUMNS)].copy()
        frame["contacted_today"] = frame["contacted_today"].map(lambda v: "Sim" if bool(v) else "Não")
        frame["last_contact_at"] = frame["last_contact_at"].map(
            lambda v: None if fmt.is_missing(v) else pd.Timestamp(v).to_pydatetime()
        ).astype(object)
        for column in ("balance", "fine", "interest", "updated_amount"):
            frame[column] = frame[column].astype(object)
        return frame.rename(columns=EXPORT_COLUMNS)

    def export_bytes(self, kind: str) -> bytes:
        frame = self.export_frame()
        return export.to_xlsx_bytes(frame) if kind == "xlsx" else export.to_csv_bytes(frame)

    def file_stem(self) -> str:
        return f"cobrancas-{self.app.as_of.isoformat()}"
