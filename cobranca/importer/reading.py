"""Reading an import file into the staging table `src` of an in-memory DuckDB connection, every cell as text.

`src` has one VARCHAR column per file column (c0, c1, ...), rows in file order, so a row's line as the user
sees it is `rowid + first_line` (the header is line 1). CSV is read by DuckDB itself; a CSV row with more
fields than the header fills spare columns, which is all we need to name it. XLSX goes through openpyxl in
chunks; Parquet and DataFrames are cast to text in SQL.
"""

from __future__ import annotations

import csv
import io
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from .cells import as_text, sql_text
from .headers import BY_NAME, ColumnMatch, match_columns
from .textfile import TextFile, has_inner_blank_lines, odd_quotes, prepare_text, rejected, rewrite

CHUNK_ROWS = 50_000
EXTRA_FIELDS = 5  # spare CSV columns that catch rows with more fields than the header
DELIMITERS = (";", "\t", ",")
DELIMITER_NAMES = {";": "ponto e vírgula", "\t": "tabulação", ",": "vírgula"}
MAX_HEADER_CHARS = 64 << 20

Progress = Callable[[int, int], None]


@dataclass
class Staged:
    """What was read into `src`: the header, the line of the first row, and notes for the report."""

    header: list[str]
    match: ColumnMatch
    first_line: int
    rows: int = 0
    spare: int = 0  # CSV spare columns after the header's (c{len(header)} ...)
    extra_message: str = ""  # problem text for a row with more fields than the header (CSV)
    warnings: list[str] = field(default_factory=list)
    typed: set[int] = field(default_factory=set)  # money columns with a BOOLEAN t{pos} in `src`: cell was a number


def _matched(name: str, header: list[str], mapping: dict[str, str] | None) -> ColumnMatch:
    from ..core.errors import ImportFileError

    match = match_columns(header, mapping)
    if match.problems:
        raise ImportFileError(name, match.problems, summary=f"O arquivo {name} não foi importado.")
    return match


def _kinds(match: ColumnMatch) -> dict[int, str]:
    return {pos: BY_NAME[name].kind for name, pos in match.positions.items()}


def quote_ident(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


# -- CSV -------------------------------------------------------------------------------------------
def _header_line(path: Path, name: str) -> tuple[int, str]:
    """(blank lines before the header, the header line)."""
    skip = 0
    read = 0
    with path.open(encoding="utf-8", newline="") as text:
        while True:
            line = text.readline(MAX_HEADER_CHARS - read)
            if not line:
                raise rejected(name, "o arquivo está vazio.")
            read += len(line)
            if line.strip():
                if read >= MAX_HEADER_CHARS:
                    raise rejected(name, "o cabeçalho não pôde ser lido (coluna longa demais ou mal formada); "
                                         "a primeira linha deve ter os nomes das colunas.", line=skip + 1)
                return skip, re.sub(r"[\r\n]+$", "", line)
            skip += 1


def stage_csv(con, path: Path, name: str, workdir: Path, mapping, progress: Progress | None) -> Staged:
    text = prepare_text(path, name, workdir)
    skip, header_line = _header_line(text.path, name)
    counts = {d: header_line.count(d) for d in DELIMITERS}
    delimiter = max(DELIMITERS, key=lambda d: counts[d])  # ties keep the earlier (';' first)
    try:
        header = [h.strip().lstrip("\ufeff") for h in next(csv.reader([header_line], delimiter=delimiter))]
    except csv.Error as exc:  # e.g. a header cell longer than the csv module's field limit
        raise rejected(name, "o cabeçalho não pôde ser lido (coluna longa demais ou mal formada); "
                             "a primeira linha deve ter os nomes das colunas.", line=skip + 1) from exc
    match = _matched(name, header, mapping)
    shown = DELIMITER_NAMES[delimiter]
    staged = Staged(header, match, first_line=skip + 2, spare=EXTRA_FIELDS, extra_message=(
        f"a linha tem mais campos que o cabeçalho ({len(header)} colunas, separador: {shown}); "
        "verifique se algum valor contém o separador sem estar entre aspas"))
    width = len(header) + EXTRA_FIELDS
    options = {
        "delim": delimiter, "quote": '"', "escape": '"', "header": False, "skip": skip + 1,
        "columns": {f"c{i}": "VARCHAR" for i in range(width)}, "auto_detect": False, "null_padding": True,
        "strict_mode": True,
    }
    staged.rows = _read_csv(con, text, name, options, progress, header, delimiter)
    expected = text.line_breaks - skip - 1 + (0 if text.ends_with_break else 1)
    if staged.rows < expected and not text.rewritten and has_inner_blank_lines(text.path):
        # DuckDB skipped blank lines; give them a space so every row keeps its line number.
        text = rewrite(text.path, name, workdir, "utf-8", b"", fix_blanks=True)
        staged.rows = _read_csv(con, text, name, options, progress, header, delimiter)
    if options.get("parallel") is False and odd_quotes(text.path):
        # DuckDB's sequential reader ends a value left open at the end of the file without an error.
        raise rejected(name, 'um valor começa com aspas (") que não são fechadas até o fim do arquivo; '
                             "feche ou remova as aspas.", line=staged.first_line + max(staged.rows - 1, 0))
    return staged


def _read_csv(con, text: TextFile, name: str, options: dict, progress: Progress | None, header: list[str],
              delimiter: str) -> int:
    """CREATE TABLE src from the CSV; retries with a longer line limit or the sequential reader when needed."""
    total = max(text.line_breaks - options["skip"], 1)
    for _attempt in range(3):
        try:
            _run_with_progress(con, text.path, options, progress, total)
            break
        except duckdb.Error as exc:
            message = str(exc)
            if "Maximum line size" in message and "max_line_size" not in options:
                options["max_line_size"] = max(text.path.stat().st_size + 16, 2_097_152)
                options["buffer_size"] = 2 * options["max_line_size"]
                continue
            if "null_padding in conjunction with quoted new lines" in message and options.get("parallel", True):
                options["parallel"] = False
                continue
            raise _csv_error(name, message, len(header), delimiter) from exc
    return con.execute("SELECT count(*) FROM src").fetchall()[0][0]


def _run_with_progress(con, path: Path, options: dict, progress: Progress | None, total: int) -> None:
    con.execute("DROP TABLE IF EXISTS src")
    names = ", ".join(f"{k} := ${k}" for k in options)
    sql = f"CREATE TABLE src AS SELECT * FROM read_csv($path, {names})"  # noqa: S608 - option names are ours
    params = {"path": str(path), **options}
    if progress is None:
        con.execute(sql, params)
        return
    failure: list[BaseException] = []

    def run():
        try:
            con.execute(sql, params)
        except BaseException as exc:  # re-raised in the caller's thread
            failure.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    progress(0, total)
    while worker.is_alive():
        worker.join(0.2)
        percent = con.query_progress()
        if worker.is_alive() and percent and percent > 0:
            progress(min(int(total * percent / 100), total), total)
    if failure:
        raise failure[0]


def _csv_error(name: str, message: str, columns: int, delimiter: str):
    shown = DELIMITER_NAMES[delimiter]
    found = re.search(r"CSV Error on Line: (\d+)", message)
    line = int(found.group(1)) if found else None
    if "Expected Number of Columns" in message:
        original = re.search(r"Original Line: (.*?)\nExpected Number", message, re.S)
        fields = None
        if original:
            try:
                fields = len(next(csv.reader([original.group(1).lstrip("\r\n")], delimiter=delimiter)))
            except (csv.Error, StopIteration):
                fields = None
        many = f"{fields} campos" if fields else "campos demais"
        return rejected(name, f"a linha tem {many}, mas o cabeçalho tem {columns} (separador: {shown}). "
                              "Verifique se algum valor contém o separador sem estar entre aspas.", line=line)
    if "unterminated quote" in message:
        return rejected(name, 'um valor começa com aspas (") que não são fechadas até o fim do arquivo '
                              "ou do campo; feche ou remova as aspas.", line=line)
    return rejected(name, f"o arquivo CSV está mal formado (separador: {shown}): há aspas fora do lugar ou "
                          "quebras de linha misturadas; abra e salve de novo como CSV e importe de novo.", line=line)


# -- XLSX ------------------------------------------------------------------------------------------
def stage_xlsx(con, data: bytes, name: str, mapping, progress: Progress | None) -> Staged:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header_row, header = 0, None
        for number, cells in enumerate(rows, start=1):
            if any(c is not None and str(c).strip() for c in cells):
                header_row, header = number, ["" if c is None else str(c).strip() for c in cells]
                break
    except Exception as exc:  # openpyxl raises many types for a file that is not a workbook
        raise rejected(name, "não foi possível abrir a planilha: não é um arquivo .xlsx válido "
                             "(salve como .xlsx ou .csv e importe de novo).") from exc
    if header is None:
        raise rejected(name, "a planilha está vazia.")
    match = _matched(name, header, mapping)
    staged = Staged(header, match, first_line=header_row + 1)
    if len(book.worksheets) > 1:
        staged.warnings.append(f"A planilha tem {len(book.worksheets)} abas; só a primeira ('{sheet.title}') foi lida.")
    width = len(header)
    kinds = _kinds(match)
    total = max((sheet.max_row or 0) - header_row, 0)
    staged.typed = {i for i, kind in kinds.items() if kind == "money"}
    flags = [f"t{i} BOOLEAN" for i in sorted(staged.typed)]
    con.execute(f"CREATE TABLE src ({', '.join([f'c{i} VARCHAR' for i in range(width)] + flags)})")

    def flush(buffer: list[list]) -> None:
        columns = {}
        for i in range(width):
            cells = [r[i] for r in buffer]
            columns[f"c{i}"] = pa.array(as_text(cells, kinds[i]) if i in kinds else [None] * len(buffer), pa.string())
        for i in sorted(staged.typed):  # a number cell is no evidence of how the file writes money as text
            columns[f"t{i}"] = pa.array([not isinstance(r[i], str | None) for r in buffer], pa.bool_())
        chunk = pa.table(columns)
        con.register("xlsx_chunk", chunk)
        con.execute("INSERT INTO src SELECT * FROM xlsx_chunk")
        con.unregister("xlsx_chunk")
        staged.rows += len(buffer)
        if progress:
            progress(staged.rows, max(total, staged.rows))

    buffer: list[list] = []
    line = header_row
    try:
        for line, cells in enumerate(rows, start=header_row + 1):  # noqa: B007 - `line` names a damaged row
            row = list(cells[:width])
            row += [None] * (width - len(row))
            buffer.append(row)
            if len(buffer) >= CHUNK_ROWS:
                flush(buffer)
                buffer = []
    except Exception as exc:  # a damaged sheet is parsed lazily, row by row
        raise rejected(name, "a planilha está danificada e não pôde ser lida até o fim; "
                             "abra e salve de novo como .xlsx ou .csv.", line=line + 1) from exc
    finally:
        book.close()
    if buffer:
        flush(buffer)
    return staged


# -- Parquet and DataFrames ------------------------------------------------------------------------
def _stage_typed(con, relation_sql: str, params: list, name: str, mapping) -> Staged:
    described = con.execute(f"DESCRIBE SELECT * FROM {relation_sql}", params).fetchall()  # noqa: S608 - ours
    header = [str(row[0]).strip() for row in described]
    match = _matched(name, header, mapping)
    kinds = _kinds(match)
    selects = []
    staged = Staged(header, match, first_line=2)
    for pos, row in enumerate(described):
        column = quote_ident(row[0])
        selects.append(f"{sql_text(column, str(row[1]), kinds[pos]) if pos in kinds else 'NULL'}::VARCHAR AS c{pos}")
    for pos, row in enumerate(described):
        if kinds.get(pos) == "money":
            text_type = str(row[1]).upper().startswith(("VARCHAR", "STRING"))
            selects.append(f"{'false' if text_type else 'true'} AS t{pos}")
            staged.typed.add(pos)
    sql = f"CREATE TABLE src AS SELECT {', '.join(selects)} FROM {relation_sql}"  # noqa: S608 - identifiers quoted
    con.execute(sql, params)
    staged.rows = con.execute("SELECT count(*) FROM src").fetchall()[0][0]
    return staged


def stage_parquet(con, path: Path, name: str, mapping) -> Staged:
    try:
        con.execute("SELECT * FROM parquet_schema(?)", [str(path)]).fetchall()
    except duckdb.Error as exc:
        raise rejected(name, "não foi possível ler o arquivo Parquet (arquivo danificado ou de outro formato).") from exc
    try:
        return _stage_typed(con, "read_parquet(?)", [str(path)], name, mapping)
    except duckdb.Error as exc:  # damaged pages, or values out of range
        raise rejected(name, "não foi possível ler os dados do arquivo Parquet (arquivo danificado ou com "
                             "valores fora do alcance).") from exc


def stage_frame(con, frame, name: str, mapping) -> Staged:
    con.register("frame_src", frame.reset_index(drop=True))
    try:
        return _stage_typed(con, "frame_src", [], name, mapping)
    finally:
        con.unregister("frame_src")
