"""Import receivables from a CSV, XLSX or Parquet export: stage as text in DuckDB, validate in SQL, upsert once.

The file is read into an in-memory DuckDB connection (never the database file: its lock is held only for the
final write), every check runs there as SQL, and the valid rows go to `Cobranca.receivables.upsert` as one
pyarrow Table in one transaction. Line numbers are what a user sees in a spreadsheet: the header is line 1.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import duckdb

from ..core.errors import ImportFileError, InputError
from ..core.formatting import plural
from . import fastpath, reading, validation
from .report import ImportReport
from .textfile import rejected

Progress = reading.Progress

__all__ = ["ImportReport", "Progress", "import_bytes", "import_file", "import_frame"]


def import_file(db, path: str | Path, mapping: dict[str, str] | None = None,
                skip_invalid: bool = False, progress: Progress | None = None) -> ImportReport:
    """Import a CSV, XLSX or Parquet file into `db` (a `Cobranca`); all or nothing unless `skip_invalid`."""
    path = Path(path)
    try:
        with path.open("rb") as stream:
            head = stream.read(8)
    except FileNotFoundError as exc:
        raise InputError(f"Arquivo não encontrado: {path}") from exc
    except IsADirectoryError as exc:
        raise InputError(f"{path} é uma pasta, não um arquivo.") from exc
    except OSError as exc:
        raise InputError(f"Não foi possível ler o arquivo {path}: {exc.strerror or exc}.") from exc
    return _import(db, str(path), lambda _work: path, head, mapping, skip_invalid, progress)


def import_bytes(db, data: bytes, filename: str, mapping: dict[str, str] | None = None,
                 skip_invalid: bool = False, progress: Progress | None = None) -> ImportReport:
    """Import the content of an uploaded file; `filename` picks the format and names the file in messages."""
    data = bytes(data)

    def write(work: Path) -> Path:
        target = work / ("upload" + Path(filename).suffix.lower()[:10])
        target.write_bytes(data)
        return target

    return _import(db, filename, write, data[:8], mapping, skip_invalid, progress)


def import_frame(db, frame, source: str = "dados", mapping: dict[str, str] | None = None,
                 skip_invalid: bool = False, progress: Progress | None = None) -> ImportReport:
    """Import a DataFrame whose columns are headers of the import format (used by the demo data)."""
    with tempfile.TemporaryDirectory(prefix="cobranca-import-") as tmp, _staging(Path(tmp)) as con:
        staged = reading.stage_frame(con, frame, source, mapping)
        if progress:
            progress(staged.rows, staged.rows)
        report, table = _validate(con, staged, source, skip_invalid)
    return _write(db, report, table, staged.rows, progress)


class _staging:
    """An in-memory DuckDB connection with the parsing macros; closed (memory freed) on exit.

    Should the staging tables outgrow memory, DuckDB spills them into `work` (never into the current folder).
    """

    def __init__(self, work: Path):
        self.work = work

    def __enter__(self):
        self.con = duckdb.connect(":memory:")
        self.con.execute("SET temp_directory = ?", [str(self.work / "duckdb-spill")])
        self.con.execute("SET preserve_insertion_order = true")  # rowid = file order: line numbers, last row wins
        self.con.execute("SET enable_progress_bar = true")
        self.con.execute("SET enable_progress_bar_print = false")
        validation.install_macros(self.con)
        return self.con

    def __exit__(self, *exc) -> None:
        self.con.close()


def _import(db, name: str, materialise, head: bytes, mapping, skip_invalid: bool,
            progress: Progress | None) -> ImportReport:
    suffix = Path(name).suffix.lower()
    with tempfile.TemporaryDirectory(prefix="cobranca-import-") as tmp, _staging(Path(tmp)) as con:
        work = Path(tmp)
        path = materialise(work)
        size = path.stat().st_size
        if size == 0 or (size <= 65536 and not path.read_bytes().strip()):
            raise rejected(name, "o arquivo está vazio.")
        if head.startswith(b"PK\x03\x04") or suffix in (".xlsx", ".xlsm"):
            staged = reading.stage_xlsx(con, path.read_bytes(), name, mapping, progress)
        elif head.startswith(b"PAR1") or suffix == ".parquet":
            staged = reading.stage_parquet(con, path, name, mapping)
        elif head.startswith(b"\xd0\xcf\x11\xe0") or suffix == ".xls":
            raise rejected(name, "planilhas no formato antigo .xls não são aceitas; salve como .xlsx ou .csv "
                                 "e importe de novo.")
        else:
            staged = reading.stage_csv(con, path, name, work, mapping, progress)
        report, table = _validate(con, staged, name, skip_invalid)
    return _write(db, report, table, staged.rows, progress)  # staging memory is freed before the write


def _validate(con, staged: reading.Staged, name: str, skip_invalid: bool):
    """(report so far, pyarrow Table of the valid rows); ImportFileError with every problem when all-or-nothing."""
    report = ImportReport(path=name, warnings=list(staged.warnings), absent=validation.absent_headers(staged))
    if staged.match.ignored:
        report.warnings.append(
            f"Colunas ignoradas (não reconhecidas): {', '.join(staged.match.ignored)}. "
            "Para usar uma delas, indique o campo com um mapeamento (--map 'Coluna=campo')."
        )
    validation.prepare_cells(con, staged)
    report.keep = validation.kept_columns(staged)
    clean = fastpath.clean_rows(con, staged)
    if clean is not None:  # every row passed: no problem table, no messages to word
        report.rows_read = clean.num_rows
        return report, clean
    report.rows_read = validation.build_checked(con, staged)
    if not report.rows_read:
        raise rejected(name, "o arquivo não tem linhas de dados, só o cabeçalho.")
    validation.build_problems(con, staged)
    problems, bad_rows = validation.problem_list(con, staged)
    if problems and not skip_invalid:
        raise ImportFileError(name, problems, summary=(
            f"O arquivo {name} não foi importado: {plural(len(problems), 'problema', 'problemas')} em "
            f"{plural(bad_rows, 'linha', 'linhas')}. "
            "Nada foi gravado; corrija o arquivo e importe de novo (ou importe só as linhas válidas)."
        ))
    report.skipped = problems
    report.skipped_rows = bad_rows
    return report, validation.good_rows(con)


def _write(db, report: ImportReport, table, rows: int, progress: Progress | None) -> ImportReport:
    """The one write: `db.receivables.upsert` in one transaction, the only time the database file is opened."""
    done = max(rows, report.rows_read)
    if progress:
        progress(done, done)
    if table.num_rows:
        counts = db.receivables.upsert(table, keep=report.keep)
        report.inserted, report.updated = counts["inserted"], counts["updated"]
    if progress:
        progress(done, done)
    return report
