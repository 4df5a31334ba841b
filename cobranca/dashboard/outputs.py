"""The dashboard's list-wide operations (mixed into AppState): PDF, exports, import, charts data."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from ..core import formatting as fmt
from ..report import export

HISTORY_DAYS = 30

EXPORT_COLUMNS = {
    "customer": "Cliente", "customer_code": "Código", "document": "Documento", "installment": "Parcela",
    "due_date": "Vencimento", "days_overdue": "Dias de atraso", "balance": "Saldo", "fine": "Multa",
    "interest": "Juros", "updated_amount": "Valor atualizado", "mobile": "Celular", "email": "E-mail",
    "last_contact_at": "Último contato", "last_contact_channel": "Forma", "last_contact_by": "Responsável",
    "contacted_today": "Contatado hoje",
}


class OutputsMixin:
    """Needs `db`, `current_filter`, `as_of`, `responsible`, `unit()` and `reload()`."""

    def report_pdf(self) -> bytes:
        from ..report.pdf import build_report  # imports matplotlib (~1 s): only when Imprimir is clicked

        with self.unit():
            return build_report(self.db, self.current_filter, self.as_of, responsible=self.responsible or "não informado")

    def export_frame(self) -> pd.DataFrame:
        """Every row of the worklist (not only those in the grid), pt-BR headers, money as Decimal."""
        with self.unit():
            frame = self.db.worklists.rows(self.current_filter, self.as_of)
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
        return f"cobrancas-{self.as_of.isoformat()}"

    def import_bytes(self, data: bytes, filename: str, skip_invalid: bool, progress=None):
        with self.unit():
            report = self.db.receivables.import_bytes(data, filename, skip_invalid=skip_invalid, progress=progress)
            self.reload()
        return report

    def contacts_per_day(self) -> tuple[pd.DataFrame, date, date]:
        since = self.as_of - timedelta(days=HISTORY_DAYS - 1)
        with self.unit():
            return self.db.contacts.per_day(since, self.as_of), since, self.as_of
