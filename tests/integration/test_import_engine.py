"""The SQL import engine: transcoding, line numbers as a spreadsheet shows them, SQL checks equal the Python rules,
the database file touched only by the final write, every skipped line reported."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

import duckdb
import pyarrow as pa
import pytest

from cobranca import open_db
from cobranca.cli import main
from cobranca.core.calendar import payable_until
from cobranca.core.errors import ImportFileError
from cobranca.core.taxid import parse_tax_id
from cobranca.importer.headers import FIELDS
from cobranca.importer.validation import customer_name_key

HEADER = ";".join(f.header for f in FIELDS)
GOOD = "77;José Açúcar;898.168.483-92;{doc};1;01/05/2020;{due};1.234,56;0,00;;(11) 98765-4321;;jose@example.com;{desc}"


def line(doc: str, due: str = "01/06/2020", desc: str = "Venda") -> str:
    return GOOD.format(doc=doc, due=due, desc=desc)


def csv_text(lines: list[str], end: str = "\n") -> str:
    return end.join([HEADER, *lines]) + end


def rows_of(db, document: str) -> dict:
    frame = db.worklists.rows(as_of=date(2030, 1, 1))
    match = frame[frame["document"] == document]
    assert len(match) == 1, document
    return match.iloc[0].to_dict()


# -- Windows-1252 ------------------------------------------------------------------------------------------
def test_cp1252_file_keeps_the_characters_latin1_would_break(db_path, tmp_path):
    """0x80–0x9F are “ ” € … – ‘ ’ in Windows-1252 (control characters in latin-1, which DuckDB would use)."""
    text = "Pagto € “aspas” ‘simples’ – reticências… Œuvre ™"
    path = tmp_path / "erp.csv"
    path.write_bytes(csv_text([line("W1", desc=text), line("W2", desc="Ação Ç")], end="\r\n").encode("cp1252"))
    raw = path.read_bytes()
    assert any(0x80 <= b <= 0x9F for b in raw)
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    db = open_db(db_path)
    report = db.receivables.import_file(path)
    assert (report.inserted, report.skipped) == (2, [])
    assert rows_of(db, "W1")["description"] == text
    assert rows_of(db, "W2")["description"] == "Ação Ç" and rows_of(db, "W2")["customer"] == "José Açúcar"


# -- line numbers as the user sees them ----------------------------------------------------------------------
def test_blank_lines_and_multi_line_values_keep_the_spreadsheet_row_numbers(db_path):
    lines = [line("A1"), "", line("A2", desc='"primeira linha\nsegunda linha"'), "   ", line("A3"),
             line("A4", due="31/04/2020")]
    db = open_db(db_path)
    with pytest.raises(ImportFileError) as info:
        db.receivables.import_bytes(csv_text(lines).encode(), "contas.csv")
    # header 1, A1 2, blank 3, A2 4 (one row in a spreadsheet), blank 5, A3 6, A4 7
    assert [(p.line, p.column) for p in info.value.problems] == [(7, "Vencimento")]
    report = db.receivables.import_bytes(csv_text(lines[:-1]).encode(), "contas.csv")
    assert report.inserted == 3
    assert rows_of(db, "A2")["description"] == "primeira linha\nsegunda linha"


def test_short_rows_and_quoted_line_breaks_together(db_path):
    """Rows with fewer fields than the header (Excel leaves trailing empty cells out) next to a multi-line value."""
    header = "Cliente;Documento;Vencimento;Valor;Histórico"
    data = f'{header}\nAna;S1;01/06/2020;10;"dois\nparágrafos"\nBia;S2;01/06/2020;20\n'.encode()
    db = open_db(db_path)
    assert db.receivables.import_bytes(data, "contas.csv").inserted == 2
    assert rows_of(db, "S1")["description"] == "dois\nparágrafos"
    with duckdb.connect(str(db_path), read_only=True) as con:  # an empty cell is NULL, never the text 'None'/'nan'
        assert con.execute("SELECT description FROM receivables WHERE document = 'S2'").fetchall() == [(None,)]


def test_unclosed_quote_after_a_multi_line_value_is_refused(db_path):
    header = "Cliente;Documento;Vencimento;Valor;Histórico"
    data = f'{header}\nAna;S1;01/06/2020;10;"dois\nparágrafos"\nBia;S2;01/06/2020;20;"sem fim\nCaio;S3;01/06/2020;5;x\n'
    db = open_db(db_path)
    with pytest.raises(ImportFileError, match="aspas") as info:
        db.receivables.import_bytes(data.encode(), "contas.csv")
    assert info.value.problems[0].line == 3  # Bia: row 3 as a spreadsheet counts (Ana spans two text lines)
    assert db.receivables.counts()["receivables"] == 0


def test_100k_rows_with_one_bad_last_row_on_a_crlf_file_with_a_blank_line(db_path, tmp_path):
    size = 100_000
    lines = [line(f"B{i}") for i in range(size - 1)]
    lines.insert(50_000, "")
    lines.append(line("LAST", due="2020-02-30"))
    path = tmp_path / "grande.csv"
    path.write_text(csv_text(lines, end="\r\n"), encoding="utf-8", newline="")
    db = open_db(db_path)
    calls = []
    with pytest.raises(ImportFileError) as info:
        db.receivables.import_file(path, progress=lambda done, total: calls.append((done, total)))
    assert [str(p) for p in info.value.problems] == [
        f"linha {size + 2}, coluna Vencimento: '2020-02-30' não é uma data válida"]
    assert db.receivables.counts()["receivables"] == 0
    assert calls and all(0 <= done <= total for done, total in calls)


# -- the SQL checks agree with the Python rules ------------------------------------------------------------
def _with_check_digits(base: str, weights_list) -> str:
    for weights in weights_list:
        rest = sum(int(d) * w for d, w in zip(base, weights, strict=True)) % 11
        base += "0" if rest < 2 else str(11 - rest)
    return base


def test_sql_cpf_cnpj_check_equals_the_python_parser(db_path):
    rng = random.Random(5)
    cpf_w = [list(range(10, 1, -1)), list(range(11, 1, -1))]
    cnpj_w = [[5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2], [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]]
    candidates = []
    for _ in range(400):
        cpf = _with_check_digits("".join(rng.choice("0123456789") for _ in range(9)), cpf_w)
        cnpj = _with_check_digits("".join(rng.choice("0123456789") for _ in range(12)), cnpj_w)
        candidates += [cpf, cnpj, cpf[:-1] + str((int(cpf[-1]) + 1) % 10), cnpj[:-2] + cnpj[-1] + cnpj[-2],
                       f"{cpf[:3]}.{cpf[3:6]}.{cpf[6:9]}-{cpf[9:]}", "".join(rng.choice("0123456789.-/ x")
                                                                               for _ in range(rng.randint(1, 16)))]
    candidates += ["00000000000", "11111111111111", "123", "898.168.483-92"]
    rows = [GOOD.format(doc=f"T{i}", due="01/06/2020", desc="x").replace("898.168.483-92", c.strip() or "0")
            .replace("77;", f"C{i};", 1) for i, c in enumerate(candidates)]  # one customer each: tax id is theirs
    db = open_db(db_path)
    report = db.receivables.import_bytes(csv_text(rows).encode(), "contas.csv", skip_invalid=True)
    refused = {p.line - 2 for p in report.skipped if p.column == "CPF/CNPJ"}
    expected = set()
    for i, c in enumerate(candidates):
        try:
            parse_tax_id(c.strip() or "0")
        except ValueError:
            expected.add(i)
    assert refused == expected
    assert 0 < len(expected) < len(candidates)
    stored = db.worklists.rows(as_of=date(2030, 1, 1)).set_index("document")["tax_id"]
    for i, c in enumerate(candidates):
        if i not in expected:
            assert stored[f"T{i}"] == parse_tax_id(c.strip() or "0")


def test_payable_until_from_the_calendar_table_equals_the_python_rule(db_path):
    days = [date(2019, 12, 1) + timedelta(days=i) for i in range(800)]
    rows = [line(f"D{i}", due=d.strftime("%d/%m/%Y")) for i, d in enumerate(days)]
    db = open_db(db_path)
    assert db.receivables.import_bytes(csv_text(rows).encode(), "contas.csv").inserted == len(days)
    with duckdb.connect(str(db_path), read_only=True) as con:
        stored = dict(con.execute("SELECT due_date, payable_until FROM receivables").fetchall())
    assert stored == {d: payable_until(d) for d in days}
    assert stored[date(2020, 12, 25)] == date(2020, 12, 28)  # Christmas on a Friday


@pytest.mark.parametrize(("text", "message"), [
    ("9.999.999.999.999.999,99", None), ("9999999999999999.99", None),
    ("10.000.000.000.000.000,00", "valor grande demais"), ("1,234.567", "não é um valor monetário válido"),
    ("R$", "valor vazio"), ("12,3", None), ("1.2.3", "não é um valor monetário válido"),
])
def test_money_limits_are_exact_decimals(db_path, text, message):
    db = open_db(db_path)
    data = csv_text([GOOD.format(doc="M1", due="01/06/2020", desc="x").replace("1.234,56", text)]).encode()
    if message is None:
        db.receivables.import_bytes(data, "contas.csv")
        with duckdb.connect(str(db_path), read_only=True) as con:  # (the worklist's cents arithmetic overflows
            amount = con.execute("SELECT amount FROM receivables").fetchall()[0][0]  # at the DECIMAL(18,2) maximum)
        assert isinstance(amount, Decimal)
        assert amount == Decimal(text.replace(".", "").replace(",", ".") if "," in text else text)
    else:
        with pytest.raises(ImportFileError, match=message):
            db.receivables.import_bytes(data, "contas.csv")


@pytest.mark.parametrize(("text", "message"), [
    ("2020-06-05T00:00:00", None), ("05/06/2020 00:00", None), ("29/02/2019", "não é uma data válida"),
    ("01/01/1899", "ano fora de 1900 a 2100"), ("0000-01-01", "não é uma data válida"),
    ("5.6.2020", "use dd/mm/aaaa ou aaaa-mm-dd"),
])
def test_date_rules(db_path, text, message):
    db = open_db(db_path)
    data = csv_text([line("D1", due=text)]).encode()
    if message is None:
        db.receivables.import_bytes(data, "contas.csv")
        assert rows_of(db, "D1")["due_date"] == date(2020, 6, 5)
    else:
        with pytest.raises(ImportFileError, match=message):
            db.receivables.import_bytes(data, "contas.csv")


def test_names_sql_cannot_key_are_keyed_in_python_like_before(db_path):
    assert customer_name_key("Ｊｏｓé  Silva") == customer_name_key("JOSE SILVA") == "jose silva"
    rows = [GOOD.replace("77;José Açúcar;898.168.483-92", ";Ｊｏｓé  Silva;").format(doc="N1", due="01/06/2020", desc="x"),
            GOOD.replace("77;José Açúcar;898.168.483-92", ";JOSE SILVA;").format(doc="N2", due="01/06/2020", desc="x"),
            GOOD.replace("77;José Açúcar;898.168.483-92", ";Ana Müller;").format(doc="N3", due="01/06/2020", desc="x")]
    db = open_db(db_path)
    db.receivables.import_bytes(csv_text(rows).encode(), "contas.csv")
    assert rows_of(db, "N1")["customer_id"] == rows_of(db, "N2")["customer_id"] != rows_of(db, "N3")["customer_id"]
    with duckdb.connect(str(db_path), read_only=True) as con:
        keys = {k for (k,) in con.execute("SELECT key FROM customers").fetchall()}
    assert keys == {"name:jose silva", "name:ana muller"}


# -- the database file is touched once, by the final write --------------------------------------------------
def test_the_database_is_written_once_and_never_for_a_refused_file(db_path, monkeypatch):
    db = open_db(db_path)
    opened, writes = [], []
    real_connect = duckdb.connect
    monkeypatch.setattr(duckdb, "connect", lambda *a, **k: (opened.append(str(a[0]) if a else ""),
                                                            real_connect(*a, **k))[1])
    real_upsert = db.receivables.upsert
    monkeypatch.setattr(db.receivables, "upsert",
                        lambda table, **kw: (writes.append(table), real_upsert(table, **kw))[1])
    bad = csv_text([line("X1"), line("X2", due="32/01/2020")]).encode()
    with pytest.raises(ImportFileError):
        db.receivables.import_bytes(bad, "contas.csv")
    assert str(db_path) not in opened and writes == []
    db.receivables.import_bytes(csv_text([line("X1"), line("X2")]).encode(), "contas.csv")
    assert len(writes) == 1 and isinstance(writes[0], pa.Table) and writes[0].num_rows == 2
    assert writes[0].schema.field("amount").type == pa.decimal128(18, 2)
    assert writes[0].schema.field("due_date").type == pa.date32()
    assert opened.count(str(db_path)) == 1


# -- skipped lines: every one, with its reason ------------------------------------------------------------
def test_every_skipped_line_is_reported_with_its_reason(db_path, tmp_path, capsys):
    lines = []
    for i in range(120):
        lines.append(line(f"K{i}", due="31/02/2020") if i % 2 else line(f"K{i}"))
    lines.append(GOOD.format(doc="K0", due="01/06/2020", desc="x").replace("1.234,56", "abc"))
    path = tmp_path / "metade.csv"
    path.write_text(csv_text(lines), encoding="utf-8")
    report = open_db(db_path).receivables.import_file(path, skip_invalid=True)
    assert report.skipped_rows == 61 and report.inserted == 60
    texts = report.skipped_text()
    assert len(texts) == 61 and set(report.skipped_lines()) == {i + 2 for i in range(1, 120, 2)} | {122}
    assert texts[0] == "linha 3, coluna Vencimento: '31/02/2020' não é uma data válida"
    assert texts[-1] == ("linha 122, coluna Documento: 'K0' já aparece na linha 2 com a mesma parcela (1); "
                         "cada documento e parcela deve aparecer uma vez só no arquivo; "
                         "coluna Valor: 'abc' não é um valor monetário válido (use 1.234,56 ou 1234.56)")
    sheet = report.skipped_csv().decode("utf-8-sig").splitlines()
    assert sheet[0] == "Linha;Coluna;Valor;Problema" and len(sheet) == 1 + len(report.skipped)

    assert main(["--db", str(tmp_path / "cli.duckdb"), "import", str(path), "--skip-invalid"]) == 0
    err = capsys.readouterr().err
    assert "61 linhas ignoradas, cada uma com o motivo:" in err
    for text in texts:
        assert f"  - {text}" in err


def test_cells_are_trimmed_like_python_strip():
    import sys

    from cobranca.importer.sqlparse import WHITESPACE

    assert WHITESPACE == "".join(ch for ch in map(chr, range(sys.maxunicode + 1)) if ch.isspace())


def test_padded_cells_and_unicode_spaces_are_trimmed(db_path):
    padded = (" 77 ;\u00a0José Açúcar\u3000;898.168.483-92; P1 ;1;01/05/2020;\t01/06/2020 ; 1.234,56 ;0,00;;"
              "(11) 98765-4321;;jose@example.com;\u2028Venda\u2029")
    db = open_db(db_path)
    db.receivables.import_bytes(csv_text([padded]).encode(), "contas.csv")
    row = rows_of(db, "P1")
    assert (row["customer"], row["amount"], row["description"]) == ("José Açúcar", Decimal("1234.56"), "Venda")
    assert row["due_date"] == date(2020, 6, 1)
