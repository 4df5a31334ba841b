"""Facade: moving a team's database, `db.transfer.copy_to(target)` — every table to another DuckDB file or
PostgreSQL database, in one transaction on the target, counts and money sums checked before it commits."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ..core.errors import CobrancaError, InputError
from ..store import Store
from ..store import transfer as records
from ..store.connection import is_url

Progress = Callable[[str, int, float], None]  # (table, rows written, seconds)


class CopyMismatchError(CobrancaError):
    """The target did not read back what the source holds; the copy was rolled back."""

    exit_code = 1


@dataclass(frozen=True)
class CopiedTable:
    """One table of a finished copy: rows and DECIMAL sums, equal on both sides."""

    table: str
    rows: int
    sums: dict[str, Decimal]


class Transfer:
    """`db.transfer`: copy this database to another (DuckDB ↔ PostgreSQL)."""

    def __init__(self, db):
        self.db = db

    def copy_to(self, target: str | Path, replace: bool = False, progress: Progress | None = None,
                batch_rows: int = records.BATCH_ROWS) -> tuple[str, list[CopiedTable]]:
        """Copy every table to `target` (a DuckDB file, created when missing, or a postgresql:// URL of an existing
        database); returns (the target as messages show it, the tables copied). A target holding data is refused
        unless `replace`; nothing is written unless every table's rows and sums match. Tables stream in batches of
        `batch_rows`; `progress(table, rows, seconds)` is called as each table is written."""
        store = Store(str(target).strip() if is_url(str(target)) else Path(target), self.db.store.wait_seconds)
        if records.identity(store) == records.identity(self.db.store):
            raise InputError(f"Origem e destino são o mesmo banco ({store.label}). Informe em --to outro arquivo "
                             "ou outro banco PostgreSQL.")
        with self.db._tx() as source:
            if self.db.engine == "postgres":  # one snapshot of every table while others keep writing
                source.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            expected = records.totals(source)
            sequences = records.sequences(source)
            with store.transaction() as con:
                _refuse_filled(con, store.label, replace)
                records.clear(con, records.schema_tables())
                for table in records.schema_tables():
                    _copy_table(source, con, table, batch_rows, progress)
                records.set_sequences(con, sequences)
                _verify(expected, records.totals(con), store.label)
                if records.sequences(con) != sequences:
                    raise CopyMismatchError(f"As sequências de números do destino {store.label} não conferiram. "
                                            "Nada foi gravado no destino.")
        return store.label, [CopiedTable(t, rows, sums) for t, (rows, sums) in expected.items()]


def _copy_table(source, con, table: str, batch_rows: int, progress: Progress | None) -> None:
    start, rows = time.perf_counter(), 0
    for batch in records.read_batches(source, table, batch_rows):
        records.write_table(con, table, batch)
        rows += batch.num_rows
    if progress is not None:
        progress(table, rows, time.perf_counter() - start)


def _refuse_filled(con, label: str, replace: bool) -> None:
    filled = records.filled_tables(con)
    if filled and not replace:
        raise InputError(
            f"O banco de destino {label} já tem dados ({', '.join(filled[:6])}). Nada foi copiado. Para apagar o que "
            "ele tem e copiar por cima, repita o comando com --substituir; ou informe um destino vazio.")


def _verify(expected: records.Totals, found: records.Totals, label: str) -> None:
    wrong = [t for t in expected if found.get(t) != expected[t]]
    if wrong:
        detail = "; ".join(f"{t}: origem {expected[t][0]} linhas, destino {found.get(t, (0,))[0]}" for t in wrong[:5])
        raise CopyMismatchError(f"A cópia para {label} não conferiu ({detail}). Nada foi gravado no destino.")
