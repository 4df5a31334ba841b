"""Facade: baixa — apply bank return files and statements, the review list, the ERP export, "Pagos hoje"."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..baixa import outcome_table, read, table
from ..baixa.matching import Index, Open, Outcome, apply_to
from ..baixa.notes import history_note
from ..baixa.records import BankFileError, BankRecord, file_error
from ..baixa.report import BaixaReport, FileResult, Labels
from ..baixa.settle import SETTLED
from ..core import clock
from ..core import formatting as fmt
from ..core.errors import InputError, NotFoundError
from ..store import bank_match
from ..store import bank_payments as records
from ..store.serialize import take_turns

_EXPORT_HEADERS = {"document": "Documento", "installment": "Parcela", "paid_on": "Data Pagamento",
                   "paid": "Valor Pago", "discount": "Desconto", "excess": "Encargos Recebidos",
                   "applied": "Valor Baixado", "fee": "Tarifa", "bank": "Banco", "nosso_numero": "Nosso Número",
                   "source": "Origem"}


def read_file(path: str | Path) -> tuple[str, bytes]:
    path = Path(path)
    try:
        return path.name, path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(f"Arquivo não encontrado: {path}") from exc
    except IsADirectoryError as exc:
        raise InputError(f"{path} é uma pasta, não um arquivo.") from exc
    except OSError as exc:
        raise InputError(f"Não foi possível ler o arquivo {path}: {exc.strerror or exc}.") from exc


class Baixa:
    """`db.baixa`: apply, review_list, resolve, dismiss, payments, payments_csv, paid_today, warning,
    last_file_applied."""

    def __init__(self, db):
        self.db = db

    def _now_stored(self) -> datetime:
        return clock.stored(self.db.policy.hours().tz)

    def apply(self, files: list[str | Path | tuple[str, bytes]], dry_run: bool = False,
              by: str | None = None) -> BaixaReport:
        """Apply bank return files (CNAB 240/400) and OFX statements, all or nothing; `dry_run` writes nothing.

        Every file is read (and refused whole if malformed) before anything is written; one transaction then
        matches and applies them in order, so a second process or a re-apply never applies a payment twice.
        """
        tz = self.db.policy.hours().tz
        parsed = []
        for item in files:
            name, data = item if isinstance(item, tuple) else read_file(item)
            parsed.append((name, read.parse_table(name, bytes(data), tz)))
        who = self.db._who(by)
        charge_rules = self.db.settings.rules()
        with (self.db._con() if dry_run else self.db._tx()) as con:
            if not dry_run:
                take_turns(con, "baixa")  # a second process applying the same file finds its records kept
            now = self._now_stored()
            decided, labels = _decide(con, _stage(parsed), charge_rules)
            report = BaixaReport(dry_run=dry_run, labels=labels)
            for file_no, (name, recs) in enumerate(parsed):
                mine = decided.filter(pc.equal(decided.column("file_no"), file_no))
                source, bank = ((recs.column("source")[0].as_py(), recs.column("bank")[0].as_py()) if recs.num_rows
                                else ("cnab", ""))
                report.files.append(FileResult(name, source, bank, table=mine))
                if not dry_run:
                    file = {"name": name, "source": source, "bank": bank, "records": recs.num_rows}
                    records.save(con, file, outcome_table.stored(mine, records.RECORD_COLUMNS), now, who)
        return report

    def review_list(self) -> pd.DataFrame:
        """Payments read from bank files that match no receivable, or several: to be resolved by hand."""
        with self.db._con() as con:
            return records.review_list(con)

    def resolve(self, record_id: int, document: str, installment: str | None = None,
                            by: str | None = None) -> Outcome:
        """Apply a review-list payment to the receivable the user chose (settled or partial, as any payment)."""
        who = self.db._who(by)
        with self.db._tx() as con:
            take_turns(con, "baixa")  # two tabs resolving the same record: the second finds it resolved
            found = records.review_record(con, int(record_id))
            if found is None:
                raise NotFoundError(f"O pagamento {record_id} não está na lista a revisar (já resolvido?).")
            target = self.db.receivables.find(document, installment)
            balance = target["balance"]
            record = _record_of(found)
            if balance <= 0:
                raise InputError(f"A conta {target['document']}/{target['installment']} já está quitada; escolha "
                                 "outra ou descarte o pagamento da lista.")
            outcome = apply_to(record, Open(target["receivable_id"], target["document"], target["installment"],
                                            None, balance), "escolhida na revisão")
            records.resolve(con, int(record_id), target["receivable_id"], outcome.status, outcome.applied,
                            outcome.excess, history_note(outcome), self._now_stored(), who)
            return outcome

    def dismiss(self, record_id: int, by: str | None = None) -> None:
        """Take a payment off the review list without applying it (kept, marked dismissed)."""
        with self.db._tx() as con:
            take_turns(con, "baixa")
            if records.review_record(con, int(record_id)) is None:
                raise NotFoundError(f"O pagamento {record_id} não está na lista a revisar (já resolvido?).")
            records.dismiss(con, int(record_id), self._now_stored(), self.db._who(by))

    def payments(self, since: date | None = None, until: date | None = None) -> pd.DataFrame:
        """Payments recorded from bank files: document, installment, paid_on, paid (cash), discount, excess
        (charges received), applied (off the balance), fee (the company's cost), bank, nosso_numero, source."""
        with self.db._con() as con:
            return records.payments(con, since, until)

    def payments_csv(self, since: date | None = None, until: date | None = None) -> bytes:
        """The payments recorded from bank files as a CSV the ERP can import for its own baixa (formula-safe)."""
        from ..report.export import to_csv_bytes

        frame = self.payments(since, until)
        out = pd.DataFrame({header: frame[column].astype(object) for column, header in _EXPORT_HEADERS.items()})
        return to_csv_bytes(out)

    def paid_today(self) -> dict:
        """KPI "Pagos hoje": payments recorded from bank files today (company time): count and amount."""
        tz = self.db.policy.hours().tz
        today = clock.today(tz)
        start = clock.to_utc(datetime.combine(today, datetime.min.time()), tz)
        end = clock.to_utc(datetime.combine(today + timedelta(days=1), datetime.min.time()), tz)
        with self.db._con() as con:
            count, amount = records.paid_between(con, start, end)
        return {"count": count, "amount": Decimal(amount)}

    def warning(self) -> str | None:
        """Why a régua run now may charge customers who already paid: no bank file applied since the last run."""
        with self.db._con() as con:
            applied, last_run = records.last_file_applied(con), records.last_regua_run(con)
        if applied is not None and (last_run is None or applied >= last_run):
            return None
        tz = self.db.policy.hours().tz
        since = f" desde a última execução da régua ({fmt.moment(clock.shown(last_run, tz))})" if last_run else ""
        return (f"nenhum arquivo de retorno do banco ou extrato foi aplicado{since}; rode 'cobranca baixa' com os "
                "arquivos do dia antes da régua, ou clientes que já pagaram no banco serão cobrados.")

    def last_file_applied(self) -> datetime | None:
        """When the last bank file or statement was applied (stored, naive UTC), or None."""
        with self.db._con() as con:
            return records.last_file_applied(con)


def _stage(parsed: list[tuple[str, pa.Table]]) -> pa.Table:
    """Every file's records in one table, in run order (run_row) with the file's position (file_no)."""
    staged = pa.concat_tables([recs for _, recs in parsed]) if parsed else table.SCHEMA.empty_table()
    file_no = np.repeat(np.arange(len(parsed), dtype=np.int64), [recs.num_rows for _, recs in parsed])
    return (staged.append_column("run_row", pa.array(np.arange(staged.num_rows, dtype=np.int64)))
            .append_column("file_no", pa.array(file_no, pa.int64())))


def _decide(con, staged: pa.Table, charge_rules) -> tuple[pa.Table, Labels]:
    """The staged records with their outcomes (outcome_table.DECIDED columns), and each matched receivable's
    (document, installment): set-wise where no running balance is needed, the rest in order by matching.plan."""
    direct = not pc.any(pc.equal(staged.column("source"), "ofx")).as_py()
    con.register(bank_match.STAGED, staged)
    try:
        found = bank_match.decide(con, direct)
    finally:
        bank_match.unregister(con, bank_match.STAGED)
    pending = pc.is_null(found.column("status"))
    done = found.filter(pc.invert(pending))
    labels = {}
    parts = [done.select(outcome_table.DECIDED.names)]
    if pc.any(pending).as_py():
        rows = staged.filter(pending)
        index = Index(Open(*row) for row in records.open_receivables(con, _needed(con, rows) if direct else None))
        outcomes = []
        for file_no in rows.column("file_no").unique().to_pylist():  # in run order, one file after the other
            mine = rows.filter(pc.equal(rows.column("file_no"), file_no))
            outcomes += read.match(table.to_records(mine), index, set(), charge_rules)
        parts.append(outcome_table.decided(rows.column("run_row").to_pylist(), outcomes))
        labels |= {o.receivable_id: (index.by_id[o.receivable_id].document, index.by_id[o.receivable_id].installment)
                   for o in outcomes if o.receivable_id is not None}
    decided = pa.concat_tables(parts).sort_by("run_row")
    for name in outcome_table.DECIDED.names[1:]:
        staged = staged.append_column(name, decided.column(name))
    return staged, Labels(done.select(["receivable_id", "document", "installment"]), labels)


def _needed(con, rows: pa.Table) -> list[int]:
    """The receivables the records left to matching.plan may name: by their nosso número, or any without one."""
    keys = bank_match.receivable_keys(con)
    wanted = pc.is_in(keys.column("nosso_key"), value_set=pa.concat_arrays(
        [rows.column("nosso_key").combine_chunks(), pa.array([""], pa.string())]))
    return keys.column("id").filter(wanted).to_pylist()


def _record_of(row: dict) -> BankRecord:
    fields = {k: row[k] for k in ("source", "bank", "line", "occurrence", "description", "is_payment",
                                  "nosso_numero", "document", "occurred_on", "credited_on", "face_amount", "paid",
                                  "interest", "discount", "rebate", "fee", "payer_name", "payer_tax_id", "txid",
                                  "fitid")}
    fields = {k: ("" if v is None or (isinstance(v, float) and pd.isna(v)) else v) for k, v in fields.items()}
    for k in ("occurred_on", "credited_on"):
        fields[k] = fields[k] or None
        if isinstance(fields[k], pd.Timestamp | datetime):
            fields[k] = fields[k].date()
    return BankRecord(file=f"revisão #{row['id']}", **fields)


__all__ = ["SETTLED", "Baixa", "BankFileError", "file_error"]
