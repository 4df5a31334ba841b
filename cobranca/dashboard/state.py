"""The dashboard's state (a traitlets model) and every operation the panes trigger; no widgets here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

import pandas as pd
from traitlets import Any, HasTraits, Instance, Int, List, Unicode, observe

from .. import export, mailer, messaging, pix_charge, summary
from .. import formatting as fmt
from ..api import Cobranca
from ..errors import InputError
from ..filters import Filter
from ..phones import normalize_mobile
from ..settings import default_responsible
from ..templates import channel_family, render_for_receivable
from ..whatsapp import whatsapp_link
from . import grid
from .conversation import ConversationMixin

ALL_OVERDUE = 0  # filter_id meaning "every overdue or due-today receivable" (saved ids start at 1)
HISTORY_DAYS = 30

EXPORT_COLUMNS = {
    "customer": "Cliente", "customer_code": "Código", "document": "Documento", "installment": "Parcela",
    "due_date": "Vencimento", "days_overdue": "Dias de atraso", "balance": "Saldo", "fine": "Multa",
    "interest": "Juros", "updated_amount": "Valor atualizado", "mobile": "Celular", "email": "E-mail",
    "last_contact_at": "Último contato", "last_contact_channel": "Forma", "last_contact_by": "Responsável",
    "contacted_today": "Contatado hoje",
}


@dataclass(frozen=True)
class ContactResult:
    """What the contact panel shows after Enviar: a link to open, a warning, a pt-BR summary."""

    contact_id: int | None
    summary: str
    link: str | None = None
    warning: str | None = None


def text_of(value) -> str:
    """A cell as plain text ('' when missing)."""
    return "" if fmt.is_missing(value) else str(value)


class AppState(ConversationMixin, HasTraits):
    """What the page shows: filters, the worklist of the chosen filter on the as-of day, the selection."""

    as_of = Instance(date)
    responsible = Unicode("")
    filters = List()
    filter_id = Int(ALL_OVERDUE)
    worklist = Instance(pd.DataFrame)
    selected = Int(None, allow_none=True)  # position in `worklist` (= row of the grid)
    history = Instance(pd.DataFrame)
    revision = Int(0)  # bumped when rows change in place; `changed_rows` says which
    settings = Any({})

    def __init__(self, db: Cobranca, as_of: date | None = None, responsible: str | None = None):
        super().__init__()
        self.db = db
        self.changed_rows: list[int] = []
        self._loading = True
        self.responsible = responsible or default_responsible()
        self.as_of = as_of or date.today()
        self.filter_id = -1  # "the first saved filter", resolved by reload()
        self._loading = False
        self.reload()

    # -- loading ------------------------------------------------------------------------------
    @observe("as_of", "filter_id")
    def _criteria_changed(self, _change) -> None:
        if not self._loading:
            self.reload()

    @property
    def current_filter(self) -> Filter:
        for flt in self.filters:
            if flt.id == self.filter_id:
                return flt
        return self.db.resolve_filter(None)

    def reload(self) -> None:
        """Read settings, filters and the worklist again (other tabs may have changed them)."""
        key = self.selected_key
        self.settings = self.db.settings()
        self.filters = self.db.filters()
        if self.filter_id != ALL_OVERDUE and all(f.id != self.filter_id for f in self.filters):
            self._loading = True  # deleted in another tab (or first load): fall back to the first one
            self.filter_id = self.filters[0].id if self.filters else ALL_OVERDUE
            self._loading = False
        # Only the rows the grid carries are fetched; KPIs and charts come from whole-worklist totals in SQL.
        frame, self.totals = self.db.worklist_page(self.current_filter, self.as_of, limit=grid.MAX_GRID_ROWS)
        self.selected = None
        self.worklist = frame.reset_index(drop=True)
        if key is not None:
            self.select_key(*key, missing_ok=True)

    @property
    def total(self) -> int:
        return int(self.totals["receivables"])

    @property
    def shown_count(self) -> int:
        return min(len(self.worklist), grid.MAX_GRID_ROWS)

    @property
    def shown(self) -> pd.DataFrame:
        """The rows the grid carries: the first grid.MAX_GRID_ROWS, already sorted by days overdue."""
        return self.worklist.iloc[: self.shown_count]

    def kpis(self) -> dict:
        """receivables, customers, balance, updated_amount, contacted_today of the whole worklist."""
        return {key: value for key, value in self.totals.items() if key not in ("by_days", "promises")}

    def aging(self) -> pd.DataFrame:
        return summary.aging(self.totals["by_days"])

    # -- selection ----------------------------------------------------------------------------
    @observe("selected")
    def _selection_changed(self, change) -> None:
        self._load_history()

    def _load_history(self) -> None:
        row = self.selected_row
        if row is None:
            self.history = pd.DataFrame()
        else:
            self.history = self.db.history(row["document"], row["installment"])

    def select(self, position: int | None) -> None:
        if position is not None and not 0 <= position < self.shown_count:
            raise InputError("Linha fora da lista; atualize a página.")
        self.selected = position

    def select_key(self, document: str, installment: str, missing_ok: bool = False) -> None:
        hits = self.shown.index[(self.shown["document"] == document) & (self.shown["installment"] == installment)]
        if len(hits):
            self.select(int(hits[0]))
        elif not missing_ok:
            raise InputError(f"A conta {document}/{installment} não está na lista atual.")

    @property
    def selected_row(self) -> dict | None:
        if self.selected is None:
            return None
        return self.worklist.iloc[self.selected].to_dict()

    @property
    def selected_key(self) -> tuple[str, str] | None:
        row = self.selected_row
        return None if row is None else (row["document"], row["installment"])

    def require_selection(self) -> dict:
        row = self.selected_row
        if row is None:
            raise InputError("Selecione uma conta na lista primeiro (clique na linha).")
        return row

    # -- filters ------------------------------------------------------------------------------
    def save_filter(self, fields: dict, filter_id: int | None = None) -> Filter:
        """Create (no id) or change a saved filter; it becomes the current one."""
        if filter_id is None:
            saved = self.db.add_filter(Filter(**fields))
        else:
            saved = self.db.update_filter(filter_id, **fields)
        self.filters = self.db.filters()
        if self.filter_id == saved.id:
            self.reload()
        else:
            self.filter_id = saved.id
        return saved

    def delete_filter(self, filter_id: int) -> None:
        """Delete a saved filter and show the first remaining one (the reload re-reads the filter list)."""
        self.db.delete_filter(filter_id)
        remaining = [f for f in self.filters if f.id != filter_id]
        target = remaining[0].id if remaining else ALL_OVERDUE
        if self.filter_id == target:
            self.reload()
        else:
            self.filter_id = target

    # -- messages and contacts ----------------------------------------------------------------
    def message_for(self, channel: str, row: dict | None = None):
        """The prefilled message (subject, body) for `channel`, or None for channels without a template."""
        try:
            channel_family(channel)
        except InputError:
            return None
        return render_for_receivable(row or self.require_selection(), channel, self.settings, self.responsible,
                                     self.as_of)

    def pix_for(self, row: dict) -> pix_charge.PixCharge | None:
        """The Pix code of a row's updated amount (valid on the as-of day), or None without Pix settings."""
        return pix_charge.for_row(row, self.settings, self.as_of) if pix_charge.enabled(self.settings) else None

    def smtp_ready(self) -> bool:
        return bool(mailer.smtp_configured(self.settings))

    def send_whatsapp(self, phone_text: str, message: str) -> ContactResult:
        """Build the wa.me link and record the contact (the analyst sends it from WhatsApp Web)."""
        row = self.require_selection()
        link = whatsapp_link(phone_text, message)
        check = normalize_mobile(phone_text)
        contact_id = messaging.record_whatsapp(self.db, row["document"], row["installment"], phone_text, message,
                                               by=self.responsible)
        self._after_contact_change()
        return ContactResult(contact_id, f"Contato por WhatsApp registrado para {check.e164 or phone_text}.",
                             link=link, warning=check.warning)

    def send_email(self, to: str, subject: str, body: str) -> ContactResult:
        """Send through the configured SMTP server, then record (nothing is recorded when sending fails)."""
        row = self.require_selection()
        charge = self.pix_for(row)
        contact_id = messaging.send_email(self.db, row["document"], row["installment"], to, subject, body,
                                          by=self.responsible, pix=charge.code if charge else "")
        self._after_contact_change()
        return ContactResult(contact_id, f"E-mail enviado para {to} e contato registrado.")

    def email_link(self, to: str, subject: str, body: str) -> str:
        """A mailto: link for the analyst's own e-mail program (no SMTP configured)."""
        self.db.check_message_allowed(self.require_selection(), "E-mail")  # do not contact, legal hours
        return mailer.mailto_link(to, subject, body)

    def register_contact(self, channel: str, to: str = "", message: str = "", observation: str = "") -> ContactResult:
        """Record a contact made outside the dashboard (phone call, letter, visit, an e-mail sent by hand)."""
        row = self.require_selection()
        if channel == "SMS":  # "Enviar" on SMS: the message goes out now (do not contact, legal hours)
            self.db.check_message_allowed(row, channel)
        contact_id = self.db.register_contact(
            row["document"], row["installment"], channel, to=to or None, message=message or None,
            observation=observation or None, by=self.responsible,
        )
        self._after_contact_change()
        return ContactResult(contact_id, f"Contato por {channel} registrado.")

    def register_comment(self, text: str) -> int:
        row = self.require_selection()
        contact_id = self.db.register_comment(row["document"], text, installment=row["installment"], by=self.responsible)
        self._after_contact_change()
        return contact_id

    def cancel_last_contact(self) -> dict:
        row = self.require_selection()
        cancelled = self.db.cancel_last_contact(row["document"], row["installment"], by=self.responsible)
        if cancelled.get("kind", "contact") != "contact":
            self.reload()  # a promise, dispute or opt-out undone: the row's status (and place in the list) changes
        else:
            self._after_contact_change()
        return cancelled

    def _after_contact_change(self) -> None:
        """Refresh the selected row's last contact and 'contacted today' from its history, in place."""
        position = self.selected
        self._load_history()
        day_end = datetime.combine(self.as_of + timedelta(days=1), datetime.min.time())
        entries = self.history
        if len(entries):
            entries = entries[(entries["channel"] != "Nenhum") & (entries["created_at"] < day_end)
                              & (entries.get("kind", "contact") == "contact")]  # not promises, disputes
        frame = self.worklist
        if len(entries):
            last = entries.iloc[0]
            frame.at[position, "last_contact_at"] = last["created_at"]
            frame.at[position, "last_contact_channel"] = last["channel"]
            frame.at[position, "last_contact_by"] = last["responsible"]
            today = bool((entries["created_at"].dt.date == self.as_of).any())
        else:
            frame.at[position, "last_contact_at"] = pd.NaT
            frame.at[position, "last_contact_channel"] = None
            frame.at[position, "last_contact_by"] = None
            today = False
        frame.at[position, "contacted_today"] = today
        self.totals = self.db.worklist_totals(self.current_filter, self.as_of)
        self.changed_rows = [position]
        self.revision += 1

    # -- outputs ------------------------------------------------------------------------------
    def report_pdf(self) -> bytes:
        from ..report import build_report  # imports matplotlib (~1 s): only when Imprimir is clicked

        return build_report(self.db, self.current_filter, self.as_of, responsible=self.responsible)

    def export_frame(self) -> pd.DataFrame:
        """Every row of the worklist (not only those in the grid), pt-BR headers, money as Decimal."""
        frame = self.db.worklist(self.current_filter, self.as_of).loc[:, list(EXPORT_COLUMNS)].copy()
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
        report = self.db.import_bytes(data, filename, skip_invalid=skip_invalid, progress=progress)
        self.reload()
        return report

    def contacts_per_day(self) -> tuple[pd.DataFrame, date, date]:
        since = self.as_of - timedelta(days=HISTORY_DAYS - 1)
        return self.db.contacts_per_day(since, self.as_of), since, self.as_of

    def describe_row(self, row: dict) -> list[tuple[str, str]]:
        """(label, value) pairs of a receivable for the contact panel."""
        return [
            ("Cliente", text_of(row["customer"])),
            ("Documento", f"{row['document']} / parcela {row['installment']}"),
            ("Vencimento", fmt.day(row["due_date"])),
            ("Dias de atraso", str(int(row["days_overdue"]))),
            ("Saldo", fmt.brl(Decimal(row["balance"]))),
            ("Multa + juros", f"{fmt.brl(Decimal(row['fine']))} + {fmt.brl(Decimal(row['interest']))}"),
            ("Valor atualizado", fmt.brl(Decimal(row["updated_amount"]))),
        ]

