"""Money is never guessed: separators decided per column, ambiguous values refused; SQL and Python agree."""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from cobranca import open_db
from cobranca.core.errors import ImportFileError
from cobranca.core.formatting import brl, number
from cobranca.core.money import AMBIGUOUS_MONEY, MAX_AMOUNT, money_convention, parse_money, parse_money_column

FUZZ = hyp_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
AMBIGUOUS = ["2,500", "12,000", "0,001", "1.234", "10,005", "R$ 2,500", "-1.000", "999.999"]
HEADER = "Cliente;Documento;Vencimento;Valor;Valor Pago\n"


def _csv(tmp_path, amounts: list[str], paid: list[str] | None = None):
    paid = paid or [""] * len(amounts)
    lines = [f"Ana;D{i};01/06/2020;{a};{p}" for i, (a, p) in enumerate(zip(amounts, paid, strict=True))]
    path = tmp_path / "contas.csv"
    path.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def _amounts(db) -> list[Decimal]:
    with db.store.session() as con:
        return [r[0] for r in con.execute("SELECT amount FROM receivables ORDER BY document").fetchall()]


@pytest.mark.parametrize("text, value", [("1.234,56", "1234.56"), ("1234,56", "1234.56"), ("1234.56", "1234.56"),
                                         ("R$ 1.234,56", "1234.56"), ("1,234.56", "1234.56"), ("2,50", "2.50"),
                                         ("1.234.567", "1234567"), ("1,234,567", "1234567"), ("2500", "2500")])
def test_unambiguous_values_parse_as_before(text, value):
    assert parse_money(text) == Decimal(value)


@pytest.mark.parametrize("text", AMBIGUOUS)
def test_ambiguous_values_are_refused_alone(text):
    with pytest.raises(ValueError, match="é ambíguo"):
        parse_money(text)


@pytest.mark.parametrize("text", ["2,500", "12,000", "0,001", "1.234", "10,005"])
def test_an_ambiguous_amount_is_refused_with_line_column_value_and_how_to_write_it(db_path, tmp_path, text):
    db = open_db(db_path)
    with pytest.raises(ImportFileError) as info:
        db.receivables.import_file(_csv(tmp_path, ["10,00", text][1:]))
    assert [str(p) for p in info.value.problems] == [f"linha 2, coluna Valor: '{text}' {AMBIGUOUS_MONEY}"]
    assert "2.500,00" in AMBIGUOUS_MONEY and "2,50" in AMBIGUOUS_MONEY
    assert db.receivables.counts()["receivables"] == 0


def test_a_column_with_decimal_commas_reads_dots_as_thousands(db_path, tmp_path):
    db = open_db(db_path)
    db.receivables.import_file(_csv(tmp_path, ["1.234,56", "2.500", "12,50"]))
    assert _amounts(db) == [Decimal("1234.56"), Decimal("2500.00"), Decimal("12.50")]


def test_a_column_with_decimal_dots_reads_commas_as_thousands(db_path, tmp_path):
    db = open_db(db_path)
    db.receivables.import_file(_csv(tmp_path, ["1234.56", "2,500", "12,000"]))
    assert _amounts(db) == [Decimal("1234.56"), Decimal("2500.00"), Decimal("12000.00")]


def test_three_decimals_in_a_known_convention_are_refused(db_path, tmp_path):
    with pytest.raises(ImportFileError) as info:
        open_db(db_path).receivables.import_file(_csv(tmp_path, ["12,50", "10,005", "1.234"]))
    assert [str(p) for p in info.value.problems] == [
        "linha 3, coluna Valor: '10,005' tem três casas decimais; valores em reais têm no máximo duas "
        "(nesta coluna os centavos vêm depois da vírgula, ex.: 2,50)"]


def test_a_leading_zero_is_never_a_thousands_group(db_path, tmp_path):
    with pytest.raises(ImportFileError) as info:
        open_db(db_path).receivables.import_file(_csv(tmp_path, ["12.50", "0,001", "012,500"]))
    assert [(p.line, p.value, p.message) for p in info.value.problems] == [
        (3, "0,001", "não é um valor monetário válido (use 1.234,56 ou 1234.56)"),
        (4, "012,500", "não é um valor monetário válido (use 1.234,56 ou 1234.56)")]


def test_a_column_mixing_conventions_decides_nothing(db_path, tmp_path):
    with pytest.raises(ImportFileError) as info:
        open_db(db_path).receivables.import_file(_csv(tmp_path, ["12,50", "12.50", "2,500"]))
    assert [p.line for p in info.value.problems] == [4] and "é ambíguo" in info.value.problems[0].message


def test_each_money_column_is_decided_on_its_own(db_path, tmp_path):
    with pytest.raises(ImportFileError) as info:
        open_db(db_path).receivables.import_file(_csv(tmp_path, ["3000.00", "3000"], paid=["2,500", ""]))
    assert [(p.line, p.column) for p in info.value.problems] == [(2, "Valor Pago")]


# -- hypothesis: formatted amounts parse back exactly; ambiguous shapes are refused ----------------------------
AMOUNTS = st.decimals(min_value=0, max_value=MAX_AMOUNT, places=2)
CONVENTIONS = {
    "br_grouped": lambda a: number(a, 2),  # 1.234,56
    "br_plain": lambda a: f"{a:.2f}".replace(".", ","),  # 1234,56
    "dot_plain": lambda a: f"{a:.2f}",  # 1234.56
    "us_grouped": lambda a: f"{a:,.2f}",  # 1,234.56
    "brl": brl,  # R$ 1.234,56
}


@FUZZ
@given(AMOUNTS, st.sampled_from(sorted(CONVENTIONS)), st.booleans())
def test_formatted_amounts_parse_back_exactly(amount, convention, negative):
    amount = -amount if negative else amount
    assert parse_money(CONVENTIONS[convention](amount)) == amount


@FUZZ
@given(st.integers(0, 999), st.integers(0, 999), st.sampled_from([",", "."]))
def test_ambiguous_shapes_are_refused(head, tail, sep):
    with pytest.raises(ValueError, match="é ambíguo"):
        parse_money(f"{head}{sep}{tail:03d}")


# -- the SQL of the importer and the Python rule, side by side on generated columns --------------------------
CELL = st.one_of(
    st.builds(lambda a, c: CONVENTIONS[c](a), st.decimals(min_value=0, max_value=10**7, places=2),
              st.sampled_from(sorted(CONVENTIONS))),
    st.builds(lambda h, t, s: f"{h}{s}{t:03d}", st.integers(0, 999), st.integers(0, 999), st.sampled_from(",.")),
    st.builds(lambda i: str(i), st.integers(0, 10**6)),
    st.sampled_from(["", "abc", "1,2,3", "-2,500", "R$ 1.000", "1.234.567", "1,234,567", "0,5", "7.5", "0,001",
                     "012.500", "00,100"]),
)


def _sql_column(texts: list[str]) -> list[tuple]:
    from cobranca.importer import validation

    con = duckdb.connect(":memory:")
    validation.install_macros(con)
    con.execute("CREATE TABLE cells (line INTEGER, amount VARCHAR)")
    con.executemany("INSERT INTO cells VALUES (?, ?)", list(enumerate(texts)))
    fields = ", ".join(["amount" if f == "amount" else f"'' AS {f}" for f in validation.FIELD_NAMES]
                       + [f"false AS {m}__typed" for m in validation.MONEY])
    source = f"SELECT line, false AS suspicious, false AS extra, {fields} FROM cells"  # noqa: S608
    con.execute("CREATE TABLE checked AS " + validation.parsed_sql(source))
    validation.resolve_money(con, ("amount",))
    return con.execute("SELECT amount__v, amount__e FROM checked ORDER BY line").fetchall()


@hyp_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(CELL, min_size=1, max_size=8))
def test_sql_and_python_decide_money_columns_alike(texts):
    python = []
    for outcome in parse_money_column(texts):
        if isinstance(outcome, ValueError):
            python.append((None, str(outcome)))
        else:
            python.append((outcome, None))
    sql = [(None if v is None else Decimal(v), e) for v, e in _sql_column(texts)]
    expected = [(None, None) if t.strip() == "" else p for t, p in zip(texts, python, strict=True)]
    assert sql == expected, (texts, money_convention(texts))


def test_numbers_typed_in_a_spreadsheet_say_nothing_about_the_text_cells(db_path, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Cliente", "Documento", "Vencimento", "Valor"])
    sheet.append(["Ana", "D1", "01/06/2020", 1234.5])  # a number: its text '1234.50' is no user's convention
    sheet.append(["Bia", "D2", "01/06/2020", 10])
    sheet.append(["Caio", "D3", "01/06/2020", "2,500"])  # text typed by a person: still ambiguous
    path = tmp_path / "contas.xlsx"
    book.save(path)
    db = open_db(db_path)
    with pytest.raises(ImportFileError) as info:
        db.receivables.import_file(path)
    assert [(p.line, p.value, p.message) for p in info.value.problems] == [(4, "2,500", AMBIGUOUS_MONEY)]
    sheet.delete_rows(4)
    book.save(path)
    db.receivables.import_file(path)
    assert _amounts(db) == [Decimal("1234.50"), Decimal("10.00")]


def test_a_typed_parquet_money_column_is_read_as_numbers(db_path, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({"Cliente": ["Ana", "Bia"], "Documento": ["D1", "D2"], "Vencimento": ["01/06/2020"] * 2,
                      "Valor": pa.array([Decimal("2.500"), Decimal("12.000")], pa.decimal128(10, 3))})
    pq.write_table(table, tmp_path / "contas.parquet")
    db = open_db(db_path)
    db.receivables.import_file(tmp_path / "contas.parquet")
    assert _amounts(db) == [Decimal("2.50"), Decimal("12.00")]  # typed decimals: nothing to guess
