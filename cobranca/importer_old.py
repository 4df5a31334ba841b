"""Import receivables from a CSV, XLSX or Parquet export: validate every row, then upsert in one transaction.

Everything is read as text first, so nothing is silently coerced. Spreadsheet cells that already hold
numbers or dates are turned into text by `_cell_text`: a float money cell (Excel stores binary doubles)
becomes its shortest decimal form rounded half up to the cent (`round_cents(Decimal(repr(x)))`), never a
float computation. Parsing is done once per distinct value (dates, amounts, CPF/CNPJ, names), so
large files stay fast. Line numbers are what a user sees in a spreadsheet: the header is line 1.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from . import formatting as fmt
from .calendar_br import parse_date, payable_until
from .errors import ImportFileError, InputError, Problem
from .headers import BY_NAME, FIELDS, ColumnMatch, match_columns
from .money import parse_money, round_cents
from .store import RECEIVABLE_COLUMNS, Store
from .taxid import pad_numeric_tax_id, parse_tax_id

CHUNK_ROWS = 50_000
EXTRA_FIELDS = 5  # spare CSV columns that catch rows with more fields than the header
MIN_YEAR, MAX_YEAR = 1900, 2100
DELIMITERS = (";", "\t", ",")
MAX_CELL_CHARS = 2_000  # longer text is not one ERP field (and would bloat every screen and message)
SHOWN_CHARS = 80  # a bad value is quoted in messages up to this length
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # tab and line breaks are allowed

Progress = Callable[[int, int], None]


@dataclass
class ImportReport:
    """What an import did: rows read, receivables inserted/updated, rows skipped and warnings."""

    path: str
    rows_read: int = 0
    inserted: int = 0
    updated: int = 0
    skipped: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped_rows: int = 0

    def summary(self) -> str:
        """One pt-BR sentence, e.g. 'contas.csv: 15 linha(s) lida(s); 12 conta(s) nova(s), 3 atualizada(s).'"""
        text = (
            f"{Path(self.path).name}: {_n(self.rows_read)} linha(s) lida(s); "
            f"{_n(self.inserted)} conta(s) nova(s), {_n(self.updated)} atualizada(s)."
        )
        if self.skipped_rows:
            text += f" {_n(self.skipped_rows)} linha(s) com erro ignorada(s)."
        return text


def _n(value: int) -> str:
    return fmt.number(value, 0)


# -- public entry points ---------------------------------------------------------------------------
def import_file(store: Store, path: str | Path, mapping: dict[str, str] | None = None,
                skip_invalid: bool = False, progress: Progress | None = None) -> ImportReport:
    """Import a CSV, XLSX or Parquet file; all or nothing unless `skip_invalid`."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(f"Arquivo não encontrado: {path}") from exc
    except IsADirectoryError as exc:
        raise InputError(f"{path} é uma pasta, não um arquivo.") from exc
    except OSError as exc:
        raise InputError(f"Não foi possível ler o arquivo {path}: {exc.strerror or exc}.") from exc
    return import_bytes(store, data, str(path), mapping=mapping, skip_invalid=skip_invalid, progress=progress)


def import_bytes(store: Store, data: bytes, filename: str, mapping: dict[str, str] | None = None,
                 skip_invalid: bool = False, progress: Progress | None = None) -> ImportReport:
    """Import the content of an uploaded file; `filename` picks the format and names the file in messages."""
    return _import(store, _open_source(bytes(data), filename), filename, mapping, skip_invalid, progress)


def import_frame(store: Store, frame: pd.DataFrame, source: str = "dados", mapping: dict[str, str] | None = None,
                 skip_invalid: bool = False, progress: Progress | None = None) -> ImportReport:
    """Import a DataFrame whose columns are headers of the import format (used by the demo data)."""
    header = [str(c) for c in frame.columns]
    values = frame.reset_index(drop=True)
    values.columns = range(len(header))

    def chunks():
        for start in range(0, len(values), CHUNK_ROWS):
            part = values.iloc[start:start + CHUNK_ROWS]
            yield part, np.arange(start + 2, start + 2 + len(part))

    return _import(store, _Source(header, len(values), chunks()), source, mapping, skip_invalid, progress)


# -- reading ---------------------------------------------------------------------------------------
@dataclass
class _Source:
    header: list[str]
    total: int
    chunks: Iterator[tuple[pd.DataFrame, np.ndarray]]  # positional columns; file line of each row
    warnings: list[str] = field(default_factory=list)
    extra_message: str = ""  # problem text for a row with more fields than the header (CSV)


def _rejected(name: str, message: str, line: int | None = None) -> ImportFileError:
    return ImportFileError(name, [Problem(line, None, None, message)], summary=f"O arquivo {name} não foi importado.")


def _open_source(data: bytes, name: str) -> _Source:
    suffix = Path(name).suffix.lower()
    if not data.strip():
        raise _rejected(name, "o arquivo está vazio.")
    if data.startswith(b"PK\x03\x04") or suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(data, name)
    if data.startswith(b"PAR1") or suffix == ".parquet":
        return _read_parquet(data, name)
    if data.startswith(b"\xd0\xcf\x11\xe0") or suffix == ".xls":
        raise _rejected(name, "planilhas no formato antigo .xls não são aceitas; salve como .xlsx ou .csv e importe de novo.")
    return _read_csv(data, name)


def _decode(data: bytes, name: str) -> tuple[str, str]:
    """(encoding, text): UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252."""
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "cp1252"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return encoding, text
    if data[:2000].count(0) * 3 > len(data[:2000]):  # every other byte zero: UTF-16 text without a BOM
        raise _rejected(name, "o arquivo parece estar em UTF-16 sem marca de codificação (BOM); "
                              "salve como CSV UTF-8 e importe de novo.")
    if b"\x00" in data:
        raise _rejected(name, "o arquivo contém bytes nulos (\\0): não é um CSV de texto; "
                              "salve de novo como CSV UTF-8 ou .xlsx e importe de novo.")
    raise _rejected(name, "não foi possível ler o arquivo: não é um CSV de texto (UTF-8 ou Windows-1252) "
                          "nem uma planilha .xlsx ou um arquivo Parquet.")


def _read_csv(data: bytes, name: str) -> _Source:
    encoding, text = _decode(data, name)
    lines = re.split(r"\r\n|\r|\n", text, maxsplit=50)  # the line ends pandas accepts (CR alone: old Mac)
    skip = 0
    while skip < len(lines) and not lines[skip].strip():
        skip += 1
    if skip == len(lines):
        raise _rejected(name, "o arquivo está vazio.")
    header_line = lines[skip]
    counts = {d: header_line.count(d) for d in DELIMITERS}
    delimiter = max(DELIMITERS, key=lambda d: counts[d])  # ties keep the earlier (';' first)
    try:
        header = [h.strip().lstrip("\ufeff") for h in next(csv.reader([header_line], delimiter=delimiter))]
    except csv.Error as exc:  # e.g. a header cell longer than the csv module's field limit
        raise _rejected(name, "o cabeçalho não pôde ser lido (coluna longa demais ou mal formada); "
                              "a primeira linha deve ter os nomes das colunas.", line=skip + 1) from exc
    total = max(text.count("\n") - skip - (1 if text.endswith("\n") else 0), 0)
    del text, lines
    first_line = skip + 2

    def chunks():
        try:
            with warnings.catch_warnings():
                # longer rows still fill the spare columns, which is all we need to reject them
                warnings.simplefilter("ignore", pd.errors.ParserWarning)
                with pd.read_csv(
                    io.BytesIO(data), encoding=encoding, sep=delimiter, header=None, skiprows=skip + 1,
                    names=list(range(len(header) + EXTRA_FIELDS)), dtype=str, na_filter=False,
                    skip_blank_lines=False, index_col=False, quotechar='"', engine="c", chunksize=CHUNK_ROWS,
                ) as reader:
                    for chunk in reader:
                        yield chunk, chunk.index.to_numpy() + first_line
        except pd.errors.ParserError as exc:
            raise _parser_error(name, str(exc), len(header), delimiter) from exc
        except pd.errors.EmptyDataError:
            return

    shown = _DELIMITER_NAMES[delimiter]
    extra = (f"a linha tem mais campos que o cabeçalho ({len(header)} colunas, separador: {shown}); "
             "verifique se algum valor contém o separador sem estar entre aspas")
    return _Source(header, total, chunks(), extra_message=extra)


_DELIMITER_NAMES = {";": "ponto e vírgula", "\t": "tabulação", ",": "vírgula"}


def _parser_error(name: str, message: str, columns: int, delimiter: str) -> ImportFileError:
    shown = _DELIMITER_NAMES[delimiter]
    m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message)
    if m:
        return _rejected(
            name,
            f"a linha tem {m.group(3)} campos, mas o cabeçalho tem {columns} (separador: {shown}). "
            "Verifique se algum valor contém o separador sem estar entre aspas.",
            line=int(m.group(2)),
        )
    m = re.search(r"EOF inside string starting at row (\d+)", message)
    if m:  # pandas counts rows from 0, header included
        return _rejected(name, 'um valor começa com aspas (") que não são fechadas até o fim do arquivo; '
                               "feche ou remova as aspas.", line=int(m.group(1)) + 1)
    return _rejected(name, f"o arquivo CSV está mal formado (separador: {shown}): {message.strip()}")


def _read_xlsx(data: bytes, name: str) -> _Source:
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
        raise _rejected(name, "não foi possível abrir a planilha: não é um arquivo .xlsx válido "
                              "(salve como .xlsx ou .csv e importe de novo).") from exc
    if header is None:
        raise _rejected(name, "a planilha está vazia.")
    notes = []
    if len(book.worksheets) > 1:
        notes.append(f"A planilha tem {len(book.worksheets)} abas; só a primeira ('{sheet.title}') foi lida.")
    width = len(header)
    total = max((sheet.max_row or 0) - header_row, 0)

    def chunks():
        buffer, lines = [], []
        line = header_row
        try:
            for line, cells in enumerate(rows, start=header_row + 1):
                row = list(cells[:width])
                row += [None] * (width - len(row))
                buffer.append(row)
                lines.append(line)
                if len(buffer) >= CHUNK_ROWS:
                    yield pd.DataFrame(buffer, columns=range(width), dtype=object), np.array(lines)
                    buffer, lines = [], []
        except Exception as exc:  # a damaged sheet is parsed lazily, row by row
            raise _rejected(name, "a planilha está danificada e não pôde ser lida até o fim; "
                                  "abra e salve de novo como .xlsx ou .csv.", line=line + 1) from exc
        finally:
            book.close()
        if buffer:
            yield pd.DataFrame(buffer, columns=range(width), dtype=object), np.array(lines)

    return _Source(header, total, chunks(), notes)


def _read_parquet(data: bytes, name: str) -> _Source:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(io.BytesIO(data))
    except Exception as exc:  # pyarrow raises ArrowInvalid / OSError for a damaged file
        raise _rejected(name, "não foi possível ler o arquivo Parquet (arquivo danificado ou de outro formato).") from exc
    header = [str(n).strip() for n in parquet.schema_arrow.names]

    def chunks():
        done = 0
        batches = parquet.iter_batches(batch_size=CHUNK_ROWS)
        while True:
            try:
                batch = next(batches, None)
                if batch is None:
                    return
                columns = {}
                for pos in range(batch.num_columns):
                    column = batch.column(pos)
                    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
                        columns[pos] = column.to_pandas()
                    else:
                        columns[pos] = pd.Series(column.to_pylist(), dtype=object)
            except Exception as exc:  # damaged pages, or values Python cannot hold (dates past year 9999)
                raise _rejected(name, "não foi possível ler os dados do arquivo Parquet a partir desta linha "
                                      "(arquivo danificado ou com valores fora do alcance).", line=done + 2) from exc
            yield pd.DataFrame(columns), np.arange(done + 2, done + 2 + batch.num_rows)
            done += batch.num_rows

    return _Source(header, parquet.metadata.num_rows, chunks())


# -- cells to text ---------------------------------------------------------------------------------
def _cell_text(value, kind: str) -> str:
    """Text of a typed spreadsheet/Parquet cell, as the user would have typed it."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        if kind == "date":
            return value.date().isoformat()
        return value.strftime("%d/%m/%Y" if value.time() == datetime.min.time() else "%d/%m/%Y %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat() if kind == "date" else value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if kind == "money":
            try:
                return str(round_cents(Decimal(repr(value))))  # shortest decimal of the double, half up
            except ArithmeticError:
                return repr(value)
        value = int(value) if value.is_integer() else Decimal(repr(value))
    if isinstance(value, Decimal):
        try:
            if kind == "money" and value.is_finite() and value == round_cents(value):
                return str(round_cents(value))
            value = int(value) if value.is_finite() and value == value.to_integral_value() else value
        except ArithmeticError:  # more digits than the decimal context holds: the parser will refuse it
            return str(value)
    if isinstance(value, int):
        return pad_numeric_tax_id(str(value)) if kind == "tax_id" and value >= 0 else str(value)
    return str(value)


def _as_text(series: pd.Series, kind: str) -> pd.Series:
    if pd.api.types.is_string_dtype(series.dtype) and series.dtype != object:
        return series.fillna("").str.strip()
    try:
        codes, uniques = pd.factorize(series)
        texts = np.array([_cell_text(u, kind) for u in uniques] + [""], dtype=object)
        out = texts[codes]  # code -1 (missing) picks the trailing ""
    except TypeError:  # unhashable cells (nested Parquet values)
        out = np.array([_cell_text(v, kind) for v in series], dtype=object)
    return pd.Series(out, index=series.index, dtype="str").str.strip()


# -- validation ------------------------------------------------------------------------------------
def _money_cents(text: str) -> int:
    return int(parse_money(text) * 100)


def _checked_date(text: str) -> date:
    day = parse_date(text)
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise ValueError(f"não é uma data aceita (ano fora de {MIN_YEAR} a {MAX_YEAR})")
    return day


def _customer_name_key(name: str) -> str:
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return " ".join(plain.lower().split())


def _parse_column(series: pd.Series, parse: Callable[[str], object], cache: dict) -> tuple[np.ndarray, np.ndarray]:
    """Per-row parsed values and error messages ('' cells give None, None); `parse` runs once per distinct text."""
    codes, uniques = pd.factorize(series)
    values = np.empty(len(uniques) + 1, dtype=object)
    errors = np.empty(len(uniques) + 1, dtype=object)
    for i, text in enumerate(uniques):
        if text == "":
            continue
        hit = cache.get(text)
        if hit is None:
            try:
                hit = (parse(text), None)
            except ValueError as exc:
                hit = (None, str(exc))
            cache[text] = hit
        values[i], errors[i] = hit
    return values[codes], errors[codes]


def _canonical(cents: np.ndarray) -> pd.Series:
    """'1234.56' strings from integer cents (what the store casts to DECIMAL)."""
    c = pd.Series(cents, dtype="int64")
    sign = pd.Series(np.where(c < 0, "-", ""), dtype="str")
    whole = (c.abs() // 100).astype("str")
    frac = (c.abs() % 100).astype("str").str.zfill(2)
    return sign + whole + "." + frac


def _shown(value: str) -> str:
    """A bad value as quoted in a message: control characters made visible, long text cut."""
    value = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
    return value if len(value) <= SHOWN_CHARS else value[:SHOWN_CHARS] + "…"


def _none_if_empty(series: pd.Series) -> pd.Series:
    return series.astype(object).where(series != "", None)


class _Checker:
    """Validates chunks of text rows, collecting problems; keeps parse caches across chunks."""

    def __init__(self, header: list[str], match: ColumnMatch):
        self.header = header
        self.match = match
        self.columns = {name: header[pos] for name, pos in match.positions.items()}
        self.caches: dict[str, dict] = {"money": {}, "date": {}, "tax_id": {}, "name": {}, "payable": {}}
        self.problems: list[tuple[int, int, Problem]] = []

    def _column(self, name: str) -> str:
        return self.columns.get(name, BY_NAME[name].header)

    def _flag(self, bad: np.ndarray, mask: np.ndarray, lines: np.ndarray, name: str | None,
              values, messages) -> None:
        rows = np.flatnonzero(mask)
        if not len(rows):
            return
        bad[rows] = True
        column = self._column(name) if name else None
        order = self.match.positions.get(name, -1) if name else -1
        if values is None:
            shown = [None] * len(rows)
        elif isinstance(values, pd.Series):
            shown = values.iloc[rows].tolist()
        else:
            shown = [values[i] for i in rows]
        for i, value in zip(rows, shown, strict=True):
            message = messages if isinstance(messages, str) else messages[i]
            if isinstance(value, str):
                value = _shown(value)
            self.problems.append((int(lines[i]), order, Problem(int(lines[i]), column, value, message)))

    def check(self, text: pd.DataFrame, lines: np.ndarray, extra: np.ndarray,
              extra_message: str) -> tuple[pd.DataFrame, np.ndarray]:
        """Clean rows (store columns + line) and a per-row 'has a problem' mask."""
        n = len(text)
        bad = np.zeros(n, dtype=bool)
        self._flag(bad, extra, lines, None, None, extra_message)
        s = {f.name: text[f.name] if f.name in text else pd.Series([""] * n, dtype="str") for f in FIELDS}
        s = {k: v.reset_index(drop=True) for k, v in s.items()}

        for f in FIELDS:
            if f.required:
                self._flag(bad, (s[f.name] == "").to_numpy(), lines, f.name, None, "campo obrigatório vazio")
            lengths = s[f.name].str.len().to_numpy()
            if (lengths > MAX_CELL_CHARS).any():
                self._flag(bad, lengths > MAX_CELL_CHARS, lines, f.name, s[f.name],
                           [f"é longo demais ({n} caracteres; máximo {MAX_CELL_CHARS})" for n in lengths])
            self._flag(bad, s[f.name].str.contains(_CONTROL).to_numpy(), lines, f.name, s[f.name],
                       "contém caracteres de controle invisíveis; apague-os e digite o valor de novo")

        amount, err = _parse_column(s["amount"], _money_cents, self.caches["money"])
        self._flag(bad, pd.notna(err), lines, "amount", s["amount"], err)
        amount_ok = pd.notna(amount)
        amount_c = np.where(amount_ok, amount, 0).astype("int64")
        self._flag(bad, amount_ok & (amount_c <= 0), lines, "amount", s["amount"], "não é aceito: o valor deve ser maior que zero")

        paid, err = _parse_column(s["paid_amount"], _money_cents, self.caches["money"])
        self._flag(bad, pd.notna(err), lines, "paid_amount", s["paid_amount"], err)
        paid_c = np.where(pd.notna(paid), paid, 0).astype("int64")
        self._flag(bad, paid_c < 0, lines, "paid_amount", s["paid_amount"], "não é aceito: o valor pago não pode ser negativo")
        over = amount_ok & (amount_c > 0) & (paid_c > amount_c)
        if over.any():
            messages = np.empty(n, dtype=object)
            for i in np.flatnonzero(over):
                messages[i] = (f"é maior que o valor da conta ({fmt.brl(Decimal(int(amount_c[i])) / 100)}): "
                               "o valor pago não pode passar do valor")
            self._flag(bad, over, lines, "paid_amount", s["paid_amount"], messages)

        dates = {}
        for name in ("issue_date", "due_date", "paid_date"):
            dates[name], err = _parse_column(s[name], _checked_date, self.caches["date"])
            self._flag(bad, pd.notna(err), lines, name, s[name], err)
        payable, _ = _parse_column(s["due_date"], lambda t: payable_until(_checked_date(t)), self.caches["payable"])

        tax, err = _parse_column(s["tax_id"], parse_tax_id, self.caches["tax_id"])
        self._flag(bad, pd.notna(err), lines, "tax_id", s["tax_id"], err)

        installment = s["installment"]
        numeric = installment.str.fullmatch(r"\d+")
        installment = installment.where(~numeric, installment.str.lstrip("0").replace("", "0"))
        installment = installment.where(installment != "", "1")

        names, _ = _parse_column(s["customer"], _customer_name_key, self.caches["name"])
        code = s["customer_code"]
        tax_text = pd.Series(tax, dtype="str").fillna("")
        key = np.where(
            code != "", "code:" + code,
            np.where(tax_text != "", "doc:" + tax_text, "name:" + pd.Series(names, dtype="str").fillna("")),
        )
        clean = pd.DataFrame({
            "line": lines,
            "customer_key": key,
            "customer_code": _none_if_empty(code),
            "customer": _none_if_empty(s["customer"]),
            "tax_id": pd.Series(tax, dtype=object),
            "mobile": _none_if_empty(s["mobile"]),
            "phone": _none_if_empty(s["phone"]),
            "email": _none_if_empty(s["email"]),
            "document": _none_if_empty(s["document"]),
            "installment": installment.astype(object),
            "issue_date": pd.Series(dates["issue_date"], dtype=object),
            "due_date": pd.Series(dates["due_date"], dtype=object),
            "payable_until": pd.Series(payable, dtype=object),
            "amount": _canonical(amount_c).astype(object),
            "paid_amount": _canonical(paid_c).astype(object),
            "paid_date": pd.Series(dates["paid_date"], dtype=object),
            "description": _none_if_empty(s["description"]),
        })
        return clean, bad

    def check_duplicates(self, clean: pd.DataFrame, bad: np.ndarray) -> None:
        """Flag every repeat of a (document, installment) pair, naming the line where it first appears.

        The first occurrence itself stays valid, so `skip_invalid` keeps it and skips the repeats.
        """
        has_doc = clean["document"].notna().to_numpy()
        docs = clean.loc[has_doc, "document"].astype("str")
        keys = docs + "\x1f" + clean.loc[has_doc, "installment"].astype("str")
        dup = keys.duplicated(keep="first")
        if not dup.any():
            return
        first_line = clean.loc[has_doc, "line"].groupby(keys).transform("first")
        lines = clean["line"].to_numpy()
        mask = np.zeros(len(clean), dtype=bool)
        messages = np.empty(len(clean), dtype=object)
        for idx in dup.index[dup.to_numpy()]:
            mask[idx] = True
            messages[idx] = (f"já aparece na linha {first_line[idx]} com a mesma parcela ({clean.at[idx, 'installment']}); "
                             "cada documento e parcela deve aparecer uma vez só no arquivo")
        self._flag(bad, mask, lines, "document", clean["document"], messages)

    def sorted_problems(self) -> list[Problem]:
        return [p for _, _, p in sorted(self.problems, key=lambda t: (t[0], t[1]))]


# -- the import ------------------------------------------------------------------------------------
def _import(store: Store, source: _Source, name: str, mapping: dict[str, str] | None,
            skip_invalid: bool, progress: Progress | None) -> ImportReport:
    match = match_columns(source.header, mapping)
    if match.problems:
        raise ImportFileError(name, match.problems, summary=f"O arquivo {name} não foi importado.")
    report = ImportReport(path=name, warnings=list(source.warnings))
    if match.ignored:
        report.warnings.append(
            f"Colunas ignoradas (não reconhecidas): {', '.join(match.ignored)}. "
            "Para usar uma delas, indique o campo com um mapeamento (--map 'Coluna=campo')."
        )
    checker = _Checker(source.header, match)
    cleans, bads, done = [], [], 0
    for chunk, lines in source.chunks:
        done += len(chunk)
        text = pd.DataFrame({f: _as_text(chunk[pos], BY_NAME[f].kind) for f, pos in match.positions.items()})
        text.index = range(len(text))
        extra = np.zeros(len(text), dtype=bool)
        if chunk.shape[1] > len(source.header):
            spare = chunk.iloc[:, len(source.header):]
            extra = (spare.fillna("").astype("str").apply(lambda c: c.str.strip()) != "").any(axis=1).to_numpy()
        filled = (text != "").any(axis=1).to_numpy() | extra
        if filled.any():
            clean, bad = checker.check(text[filled].reset_index(drop=True), lines[filled], extra[filled],
                                       source.extra_message)
            cleans.append(clean)
            bads.append(bad)
        if progress:
            progress(done, max(source.total, done))

    if not cleans:
        raise _rejected(name, "o arquivo não tem linhas de dados, só o cabeçalho.")
    clean = pd.concat(cleans, ignore_index=True) if len(cleans) > 1 else cleans[0]
    bad = np.concatenate(bads)
    checker.check_duplicates(clean, bad)
    report.rows_read = len(clean)

    problems = checker.sorted_problems()
    if problems and not skip_invalid:
        bad_lines = int(bad.sum())
        raise ImportFileError(name, problems, summary=(
            f"O arquivo {name} não foi importado: {_n(len(problems))} problema(s) em {_n(bad_lines)} linha(s). "
            "Nada foi gravado; corrija o arquivo e importe de novo (ou importe só as linhas válidas)."
        ))
    report.skipped = problems
    report.skipped_rows = int(bad.sum())
    good = clean.loc[~bad, list(RECEIVABLE_COLUMNS)]
    if len(good):
        counts = store.upsert_receivables(good)
        report.inserted, report.updated = counts["inserted"], counts["updated"]
    if progress:
        progress(done, done)
    return report
