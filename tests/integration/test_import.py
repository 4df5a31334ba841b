"""Receivables import: formats, headers, money and dates, all-or-nothing validation, upsert, CLI."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from support.known import AS_OF, ENGINES

from cobranca import open_db
from cobranca.cli import main
from cobranca.core.errors import ImportFileError, InputError
from cobranca.core.taxid import is_valid_cnpj, is_valid_cpf, parse_tax_id
from cobranca.importer.headers import FIELDS, normalise

ENGINES = ENGINES  # every test here runs on a DuckDB file and on PostgreSQL (see conftest.py)

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "exemplo_contas_a_receber.csv"
HEADER = [f.header for f in FIELDS]
CPF = "898.168.483-92"
CNPJ = "61.794.956/0001-05"


def row(**values) -> dict:
    """One valid row in pt-BR header terms; keyword names are field names."""
    base = {"customer_code": "77", "customer": "José Açúcar", "tax_id": CPF, "document": "9001",
            "installment": "1", "issue_date": "01/05/2020", "due_date": "01/06/2020", "amount": "1.234,56",
            "paid_amount": "0,00", "paid_date": "", "mobile": "(11) 98765-4321", "phone": "",
            "email": "jose@example.com", "description": "Venda", "nosso_numero": ""}
    base.update(values)
    return {f.header: base[f.name] for f in FIELDS}


def csv_bytes(rows: list[dict], sep: str = ";", encoding: str = "utf-8", header: list[str] | None = None) -> bytes:
    header = header or list(rows[0].keys())
    lines = [sep.join(header)] + [sep.join(str(r.get(h, "")) for h in rows[0].keys()) for r in rows]
    return ("\n".join(lines) + "\n").encode(encoding)


def snapshot(db) -> tuple[dict, pd.DataFrame]:
    return db.receivables.counts(), db.worklists.rows(as_of=AS_OF)


def assert_unchanged(db, before) -> None:
    counts, worklist = snapshot(db)
    assert counts == before[0]
    pd.testing.assert_frame_equal(worklist, before[1])


def rejected(db, data: bytes, name: str = "contas.csv", **kwargs) -> ImportFileError:
    before = snapshot(db)
    with pytest.raises(ImportFileError) as info:
        db.receivables.import_bytes(data, name, **kwargs)
    assert_unchanged(db, before)
    return info.value


def one(db, document: str = "9001", installment: str = "1") -> dict:
    frame = db.worklists.rows(as_of=date(2030, 1, 1))
    match = frame[(frame["document"] == document) & (frame["installment"] == installment)]
    assert len(match) == 1, f"{document}/{installment} not open in the worklist"
    return match.iloc[0].to_dict()


# -- the sample export -------------------------------------------------------------------------------------
def test_sample_export_imports_cleanly(db_path):
    db = open_db(db_path)
    report = db.receivables.import_file(SAMPLE)
    assert (report.rows_read, report.inserted, report.updated) == (15, 15, 0)
    assert report.skipped == [] and report.warnings == []
    assert report.summary() == "exemplo_contas_a_receber.csv: 15 linhas lidas; 15 contas novas, 0 atualizadas."
    counts = db.receivables.counts()
    assert counts["receivables"] == 15 and counts["customers"] == 11
    frame = db.worklists.rows(as_of=AS_OF)
    angela = frame[(frame["document"] == "701") & (frame["installment"] == "1")].iloc[0]
    assert angela["customer"] == "Ângela Ribeiro"
    assert angela["balance"] == Decimal("75.00")
    assert angela["tax_id"].isdigit() and len(angela["tax_id"]) == 11
    saturday = frame[frame["document"] == "610"].iloc[0]  # due Saturday 06/06/2020, payable Monday
    assert saturday["payable_until"] == date(2020, 6, 8) and saturday["days_overdue"] == 0
    holiday = frame[frame["document"] == "815"].iloc[0]  # due on Tiradentes (Tuesday 21/04/2020)
    assert holiday["payable_until"] == date(2020, 4, 22)
    assert "500" not in set(frame["document"])  # fully paid


def test_sample_export_documents_the_format():
    raw = SAMPLE.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8")
    assert text.splitlines()[0] == ";".join(HEADER)
    assert "1.234,56" in text and "12.500,00" in text and "José" in text


# -- formats -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("sep", [";", ",", "\t"])
def test_csv_delimiters_are_sniffed(db_path, sep):
    db = open_db(db_path)
    amount, paid = ("1234.56", "0") if sep == "," else ("1.234,56", "0,00")
    data = csv_bytes([row(amount=amount, paid_amount=paid), row(document="9002", amount="10", paid_amount=paid)], sep=sep)
    report = db.receivables.import_bytes(data, "contas.csv")
    assert report.inserted == 2
    assert one(db)["amount"] == Decimal("1234.56")
    assert one(db, "9002")["amount"] == Decimal("10.00")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_encodings_keep_accents(db_path, encoding):
    db = open_db(db_path)
    name = "Conceição Ângela Müller Ltda"
    db.receivables.import_bytes(csv_bytes([row(customer=name, description="Histórico ç")], encoding=encoding), "contas.csv")
    rec = one(db)
    assert rec["customer"] == name
    assert rec["description"] == "Histórico ç"


def test_quoted_values_may_contain_the_separator(db_path):
    db = open_db(db_path)
    data = ";".join(HEADER).encode() + b'\n77;"Silva; Filhos";;"9001";1;;01/06/2020;"1.000,00";;;;;;"a;b"\n'
    db.receivables.import_bytes(data, "contas.csv")
    rec = one(db)
    assert rec["customer"] == "Silva; Filhos" and rec["description"] == "a;b"


def test_xlsx_with_typed_cells(db_path):
    db = open_db(db_path)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(["77", "Ana", 8072545760, 144, 1, datetime(2020, 5, 1), datetime(2020, 6, 1),
                  1234.56, 0.1 + 0.2, None, 11987654321, None, "ana@example.com", "Venda"])
    sheet.append([None, "Bia", CNPJ, "145", "02", "01/05/2020", "2020-06-02", "1.000,50", 2.675, date(2020, 6, 3),
                  "(21) 99876-5432", None, None, None])
    sheet.append([None] * len(HEADER))  # trailing empty row is ignored
    book.create_sheet("Outra")
    buffer = io.BytesIO()
    book.save(buffer)
    report = db.receivables.import_bytes(buffer.getvalue(), "contas.xlsx")
    assert (report.rows_read, report.inserted) == (2, 2)
    assert any("abas" in w for w in report.warnings)
    ana = one(db, "144")
    assert ana["amount"] == Decimal("1234.56") and ana["paid_amount"] == Decimal("0.30")
    assert ana["tax_id"] == "08072545760"  # leading zero restored, check digits valid
    assert ana["mobile"] == "11987654321"
    assert ana["due_date"] == date(2020, 6, 1) and ana["issue_date"] == date(2020, 5, 1)
    bia = one(db, "145", "2")  # "02" is installment 2
    assert bia["amount"] == Decimal("1000.50")
    assert bia["paid_amount"] == Decimal("2.68")  # float 2.675 -> its decimal text, half up
    assert bia["paid_date"] == date(2020, 6, 3)


def test_parquet_with_typed_columns(db_path):
    db = open_db(db_path)
    table = pa.table({
        "customer": ["Ana", "Bia"],
        "document": pa.array([144, 145]),
        "due_date": pa.array([date(2020, 6, 1), date(2020, 6, 2)]),
        "amount": pa.array([Decimal("10.50"), Decimal("1234.56")], pa.decimal128(18, 2)),
        "paid_amount": pa.array([2.5, None]),
        "email": ["ana@example.com", None],
    })
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    report = db.receivables.import_bytes(buffer.getvalue(), "contas.parquet")
    assert report.inserted == 2
    ana = one(db, "144")
    assert ana["amount"] == Decimal("10.50") and ana["paid_amount"] == Decimal("2.50")
    assert one(db, "145")["amount"] == Decimal("1234.56")


def test_import_file_reads_from_disk_and_names_a_missing_file(db_path, tmp_path):
    db = open_db(db_path)
    path = tmp_path / "contas.csv"
    path.write_bytes(csv_bytes([row()]))
    assert db.receivables.import_file(path).path == str(path)
    with pytest.raises(InputError, match="não encontrado"):
        db.receivables.import_file(tmp_path / "nao_existe.csv")


# -- headers and mapping -----------------------------------------------------------------------------------
@pytest.mark.parametrize("header", [
    ["cliente", "cpf cnpj", "documento", "VENCIMENTO", "valor", "email"],
    ["CLIENTE", "CPF/CNPJ", "Documento", "Vencimento", "Valor", "E-mail"],
    ["customer", "tax_id", "document", "due_date", "amount", "email"],
    [" Cliente ", "Cpf-Cnpj", "DOCUMENTO", "vencimento", "VALOR", "E_MAIL"],
])
def test_header_variants_match(db_path, header):
    db = open_db(db_path)
    data = (";".join(header) + f"\nAna;{CPF};9001;01/06/2020;10,00;ana@example.com\n").encode()
    report = db.receivables.import_bytes(data, "contas.csv")
    assert report.inserted == 1 and report.warnings == []
    assert one(db)["email"] == "ana@example.com"


def test_header_normalisation():
    assert normalise("CPF/CNPJ") == normalise("cpf cnpj") == "cpfcnpj"
    assert normalise("Emissão") == normalise("EMISSAO") == "emissao"
    assert normalise("E-mail") == normalise("email")


def test_mapping_other_names_and_unknown_columns_warning(db_path):
    db = open_db(db_path)
    data = b"Nome;Doc;Dt. Venc.;Valor;Obs interna\nAna;9001;01/06/2020;10,00;x\n"
    report = db.receivables.import_bytes(data, "contas.csv", mapping={"Nome": "customer", "doc": "Documento",
                                                          "Dt. Venc.": "due_date"})
    assert report.inserted == 1
    assert report.warnings == [
        "Colunas ignoradas (não reconhecidas): Obs interna. Para usar uma delas, indique o campo com um "
        "mapeamento (--map 'Coluna=campo')."
    ]
    assert one(db)["customer"] == "Ana"


def test_mapping_errors(db_path):
    db = open_db(db_path)
    data = b"Cliente;Documento;Vencimento;Valor\nAna;9001;01/06/2020;10\n"
    with pytest.raises(InputError, match="campo desconhecido 'prazo'"):
        db.receivables.import_bytes(data, "contas.csv", mapping={"Vencimento": "prazo"})
    err = rejected(db, data, mapping={"Dt. Venc.": "due_date"})
    assert "'Dt. Venc.' não existe no arquivo" in str(err)
    assert "Colunas encontradas: Cliente, Documento, Vencimento, Valor" in str(err)


def test_explicit_mapping_wins_over_the_automatic_match(db_path):
    db = open_db(db_path)
    data = b"Cliente;Documento;Vencimento;Dt. Venc.;Valor\nAna;9001;01/01/2020;01/06/2020;10\n"
    report = db.receivables.import_bytes(data, "contas.csv", mapping={"Dt. Venc.": "Vencimento"})
    assert one(db)["due_date"] == date(2020, 6, 1)
    assert "Colunas ignoradas (não reconhecidas): Vencimento." in report.warnings[0]


def test_two_columns_for_one_field_is_an_error_unless_mapped(db_path):
    db = open_db(db_path)
    data = b"Cliente;Documento;Vencimento;Valor;VALOR\nAna;9001;01/06/2020;10;20\n"
    err = rejected(db, data)
    assert "as colunas 'Valor' e 'VALOR' correspondem ao mesmo campo Valor" in str(err)
    db.receivables.import_bytes(data, "contas.csv", mapping={"VALOR": "-"})  # '-' ignores a column
    assert one(db)["amount"] == Decimal("10.00")


# -- money, dates, keys ------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "expected"), [
    ("1.234,56", "1234.56"), ("1234,56", "1234.56"), ("1234.56", "1234.56"), ("R$ 1.234,5", "1234.50"),
    ("10", "10.00"), ("0,01", "0.01"), ("1.000.000,00", "1000000.00"),
])
def test_money_formats(db_path, text, expected):
    db = open_db(db_path)
    db.receivables.import_bytes(csv_bytes([row(amount=text, paid_amount="")]), "contas.csv")
    rec = one(db)
    assert rec["amount"] == Decimal(expected) and rec["paid_amount"] == Decimal("0.00")


@pytest.mark.parametrize("text", ["05/06/2020", "5/6/2020", "2020-06-05"])
def test_date_formats(db_path, text):
    db = open_db(db_path)
    db.receivables.import_bytes(csv_bytes([row(due_date=text, issue_date=text)]), "contas.csv")
    rec = one(db)
    assert rec["due_date"] == date(2020, 6, 5) and rec["issue_date"] == date(2020, 6, 5)


def test_customer_keys_code_then_tax_id_then_name(db_path):
    db = open_db(db_path)
    rows = [
        row(document="1", customer_code="C1", customer="Ana", tax_id=""),
        row(document="2", customer_code="C1", customer="Ana Maria", tax_id=""),  # same code: same customer
        row(document="3", customer_code="", tax_id=CNPJ, customer="Loja X"),
        row(document="4", customer_code="", tax_id="61794956000105", customer="Loja X Ltda"),  # same digits
        row(document="5", customer_code="", tax_id="", customer="José  da Silva"),
        row(document="6", customer_code="", tax_id="", customer="JOSE DA SILVA "),  # same normalised name
        row(document="7", customer_code="", tax_id="", customer="Maria"),
    ]
    db.receivables.import_bytes(csv_bytes(rows), "contas.csv")
    ids = {doc: one(db, doc)["customer_id"] for doc in "1234567"}
    assert ids["1"] == ids["2"] and ids["3"] == ids["4"] and ids["5"] == ids["6"]
    assert len({ids["1"], ids["3"], ids["5"], ids["7"]}) == 4
    assert db.receivables.counts()["customers"] == 4
    assert one(db, "3")["tax_id"] == "61794956000105"
    assert one(db, "1")["customer"] == "Ana Maria"  # the last row of a customer wins


def test_installment_defaults_to_one_and_drops_leading_zeros(db_path):
    db = open_db(db_path)
    db.receivables.import_bytes(csv_bytes([row(document="A", installment=""), row(document="B", installment="03"),
                               row(document="C", installment="1/3")]), "contas.csv")
    assert one(db, "A", "1") and one(db, "B", "3") and one(db, "C", "1/3")


def test_progress_is_reported(db_path):
    db = open_db(db_path)
    calls = []
    db.receivables.import_bytes(csv_bytes([row(document=str(i)) for i in range(5)]), "contas.csv",
                    progress=lambda done, total: calls.append((done, total)))
    assert calls and calls[-1] == (5, 5)
    assert all(done <= total for done, total in calls)


# -- validation: all or nothing ----------------------------------------------------------------------------
def test_invalid_date_names_line_column_and_value(db):
    rows = [row(document=str(i)) for i in range(20)]
    rows[12] = row(document="12", due_date="31/02/2024")
    err = rejected(db, csv_bytes(rows))
    assert "linha 14, coluna Vencimento: '31/02/2024' não é uma data válida" in str(err)
    assert [(p.line, p.column, p.value) for p in err.problems] == [(14, "Vencimento", "31/02/2024")]
    assert "Nada foi gravado" in str(err)


def test_every_problem_is_listed_with_the_header_as_written(db):
    header = ["cliente", "documento", "VENCIMENTO", "valor", "valor pago", "cpf/cnpj"]
    lines = [
        "Ana;1;01/06/2020;10,00;0;",
        "Bia;2;ontem;10,00;0;",                    # bad date
        "Caio;3;01/06/2020;0,00;0;",                # amount not > 0
        "Duda;4;01/06/2020;-5;0;",                  # negative amount
        "Eva;5;01/06/2020;10,00;10,01;",            # paid > amount
        "Fê;6;01/06/2020;10,00;-1;",                # negative payment
        f"Gil;7;01/06/2020;10,00;0;{CPF[:-1]}3",    # CPF check digit
        "Hugo;8;01/06/2020;10,00;0;61.794.956/0001-06",  # CNPJ check digit
        "Iva;9;01/06/2020;10,00;0;1234",            # neither CPF nor CNPJ
        ";10;01/06/2020;dez reais;0;",              # empty customer, bad money
        "Ana;1;02/06/2020;5,00;0;",                 # repeats line 2
    ]
    data = (";".join(header) + "\n" + "\n".join(lines) + "\n").encode()
    err = rejected(db, data)
    shown = [str(p) for p in err.problems]
    assert shown == [
        "linha 3, coluna VENCIMENTO: 'ontem' não é uma data válida (use dd/mm/aaaa ou aaaa-mm-dd)",
        "linha 4, coluna valor: '0,00' não é aceito: o valor deve ser maior que zero",
        "linha 5, coluna valor: '-5' não é aceito: o valor deve ser maior que zero",
        "linha 6, coluna valor pago: '10,01' é maior que o valor da conta (R$ 10,00): o valor pago não pode passar do valor",
        "linha 7, coluna valor pago: '-1' não é aceito: o valor pago não pode ser negativo",
        f"linha 8, coluna cpf/cnpj: '{CPF[:-1]}3' não é um CPF válido (dígitos verificadores não conferem)",
        "linha 9, coluna cpf/cnpj: '61.794.956/0001-06' não é um CNPJ válido (dígitos verificadores não conferem)",
        "linha 10, coluna cpf/cnpj: '1234' não é um CPF/CNPJ válido (tem 4 dígitos; CPF tem 11 e CNPJ tem 14)",
        "linha 11, coluna cliente: campo obrigatório vazio",
        "linha 11, coluna valor: 'dez reais' não é um valor monetário válido (use 1.234,56 ou 1234.56)",
        "linha 12, coluna documento: '1' já aparece na linha 2 com a mesma parcela (1); "
        "cada documento e parcela deve aparecer uma vez só no arquivo",
    ]
    assert str(err).startswith("O arquivo contas.csv não foi importado: 11 problemas em 10 linhas.")


@pytest.mark.parametrize(("data", "name", "message"), [
    (b"", "contas.csv", "o arquivo está vazio"),
    (b"\r\n \n", "contas.csv", "o arquivo está vazio"),
    (";".join(HEADER).encode() + b"\n", "contas.csv", "não tem linhas de dados, só o cabeçalho"),
    (";".join(HEADER).encode() + b"\n;;;;\n\n", "contas.csv", "não tem linhas de dados, só o cabeçalho"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "foto.csv", "não é um CSV de texto"),
    (b"\x81\x8d\x8f\x90\x9d", "contas.csv", "não é um CSV de texto"),
    (b"PK\x03\x04 not really a zip", "contas.xlsx", "não é um arquivo .xlsx válido"),
    (b"Cliente;Valor\n", "contas.xlsx", "não é um arquivo .xlsx válido"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "contas.xls", "formato antigo .xls"),
    (b"PAR1 broken", "contas.parquet", "não foi possível ler o arquivo Parquet"),
    (b"Nome;Doc;Valor\nAna;1;10\n", "contas.csv",
     "faltam as colunas obrigatórias Cliente, Documento, Vencimento. Colunas encontradas: Nome, Doc, Valor"),
    (b"Cliente;Documento;Valor\nAna;1;10\n", "contas.csv",
     "falta a coluna obrigatória Vencimento. Colunas encontradas: Cliente, Documento, Valor"),
])
def test_file_level_errors_are_clear(db, data, name, message):
    err = rejected(db, data, name)
    assert message in str(err)
    assert str(err).startswith(f"O arquivo {name} não foi importado")


def test_row_with_more_fields_than_the_header(db):
    data = b"Cliente;Documento;Vencimento;Valor\nAna;1;01/06/2020;1;5\nBia;2;01/06/2020;10,00\n"
    err = rejected(db, data)
    assert "linha 2: a linha tem mais campos que o cabeçalho (4 colunas, separador: ponto e vírgula)" in str(err)
    many = b"Cliente;Documento;Vencimento;Valor\nBia;2;01/06/2020;10\nAna;1;01/06/2020;1" + b";x" * 30 + b"\n"
    assert "linha 3: a linha tem 34 campos, mas o cabeçalho tem 4" in str(rejected(db, many))


def test_unclosed_quote_names_its_line(db):
    data = b'\nCliente;Documento;Vencimento;Valor\nAna;1;01/06/2020;10\n"Bia;2;01/06/2020;10\nCaio;3;01/06/2020;10\n'
    assert 'linha 4: um valor começa com aspas (") que não são fechadas' in str(rejected(db, data))


def test_message_is_capped_but_every_problem_is_kept(db):
    rows = [row(document=str(i), due_date="00/00/2020") for i in range(60)]
    err = rejected(db, csv_bytes(rows))
    assert len(err.problems) == 60
    assert str(err).count("não é uma data válida") == 50
    assert "... e mais 10 problemas." in str(err)


def test_skip_invalid_imports_the_valid_rows(db):
    rows = [row(document="N1"), row(document="N2", amount="abc"), row(document="144", amount="999,99"),
            row(document="N3", due_date="")]
    report = db.receivables.import_bytes(csv_bytes(rows), "contas.csv", skip_invalid=True)
    assert (report.rows_read, report.inserted, report.updated, report.skipped_rows) == (4, 1, 1, 2)
    assert [(p.line, p.column) for p in report.skipped] == [(3, "Valor"), (5, "Vencimento")]
    assert report.summary().endswith("2 linhas com erro ignoradas.")
    assert one(db, "144")["amount"] == Decimal("999.99")
    assert "N2" not in set(db.worklists.rows(as_of=date(2030, 1, 1))["document"])


# -- re-import is an upsert --------------------------------------------------------------------------------
def test_reimport_updates_amounts_and_keeps_contacts(db_path, tmp_path):
    db = open_db(db_path)
    db.receivables.import_file(SAMPLE)
    db.contacts.register_one("144", "1", "WhatsApp", to="(49) 99912-3456", by="SUPERVISOR")
    db.contacts.comment("144", "Visualizou e não respondeu.", installment="1", by="SUPERVISOR")
    customers = db.receivables.counts()["customers"]

    text = SAMPLE.read_text(encoding="utf-8")
    text = text.replace(";144;1;01/05/2020;01/06/2020;1.000,00;0,00;;", ";144;1;01/05/2020;01/06/2020;1.100,00;400,00;05/06/2020;")
    kept = [ln for ln in text.splitlines() if ";950;" not in ln]  # a receivable missing from the new export
    changed = tmp_path / "contas_novas.csv"
    changed.write_text("\n".join(kept) + "\n", encoding="utf-8")

    report = db.receivables.import_file(changed)
    assert (report.inserted, report.updated) == (0, 14)
    counts = db.receivables.counts()
    assert counts["receivables"] == 15 and counts["customers"] == customers and counts["contacts"] == 2
    rec = one(db, "144")
    assert rec["amount"] == Decimal("1100.00") and rec["paid_amount"] == Decimal("400.00")
    assert rec["balance"] == Decimal("700.00") and rec["paid_date"] == date(2020, 6, 5)
    history = db.contacts.history("144", "1")
    assert list(history["channel"]) == ["Nenhum", "WhatsApp"]
    assert one(db, "950")["customer"] == "Cláudia Müller Estética"  # never deleted


def test_reimport_keeps_stored_contact_details_when_cells_are_empty(db_path):
    db = open_db(db_path)
    db.receivables.import_bytes(csv_bytes([row()]), "a.csv")
    db.receivables.import_bytes(csv_bytes([row(mobile="", email="", amount="50,00")]), "b.csv")
    rec = one(db)
    assert rec["mobile"] == "(11) 98765-4321" and rec["email"] == "jose@example.com"
    assert rec["amount"] == Decimal("50.00")


# -- CPF/CNPJ checker --------------------------------------------------------------------------------------
def test_tax_id_checker():
    assert parse_tax_id(CPF) == "89816848392" and parse_tax_id("89816848392") == "89816848392"
    assert parse_tax_id(CNPJ) == "61794956000105"
    assert is_valid_cpf("89816848392") and not is_valid_cpf("89816848393") and not is_valid_cpf("11111111111")
    assert is_valid_cnpj("61794956000105") and not is_valid_cnpj("61794956000106")
    for bad in ("123.456.789-0x", "", "000.000.000-00"):
        with pytest.raises(ValueError):
            parse_tax_id(bad)


# -- CLI ---------------------------------------------------------------------------------------------------
def test_cli_import_ok_and_rejected(db_path, tmp_path, capsys):
    assert main(["--db", str(db_path), "import", str(SAMPLE)]) == 0
    out = capsys.readouterr()
    assert "15 linhas lidas; 15 contas novas" in out.out

    bad = tmp_path / "ruim.csv"
    bad.write_bytes(csv_bytes([row(), row(document="2", due_date="31/02/2024")]))
    assert main(["import", str(bad), "--db", str(db_path)]) == 2
    out = capsys.readouterr()
    assert out.out == ""
    assert "erro: O arquivo" in out.err and "linha 3, coluna Vencimento: '31/02/2024' não é uma data válida" in out.err
    assert open_db(db_path).receivables.counts()["receivables"] == 15

    assert main(["import", str(bad), "--db", str(db_path), "--skip-invalid"]) == 0
    out = capsys.readouterr()
    assert "1 linha com erro ignorada" in out.out
    assert "linha 3, coluna Vencimento" in out.err


def test_cli_map_option(db_path, tmp_path, capsys):
    path = tmp_path / "outro.csv"
    path.write_text("Nome;Doc;Dt. Venc.;Valor;Extra\nAna;9001;01/06/2020;10,00;x\n", encoding="utf-8")
    code = main(["import", str(path), "--db", str(db_path), "--map", "Nome=customer", "--map", "Doc=document",
                 "--map", "Dt. Venc.=due_date"])
    assert code == 0
    out = capsys.readouterr()
    assert "1 conta nova" in out.out and "aviso: Colunas ignoradas" in out.err
    assert main(["import", str(path), "--db", str(db_path), "--map", "semigual"]) == 2
    assert "use COLUNA=CAMPO" in capsys.readouterr().err
    assert main(["import", str(tmp_path / "nada.csv"), "--db", str(db_path)]) == 2
    assert "Arquivo não encontrado" in capsys.readouterr().err


def test_cli_import_in_a_real_process(db_path, tmp_path):
    env = {**os.environ, "COBRANCA_DB": str(db_path)}
    done = subprocess.run([sys.executable, "-m", "cobranca", "import", str(SAMPLE)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "15 contas novas" in done.stdout and "Traceback" not in done.stderr
    bad = tmp_path / "vazio.csv"
    bad.write_bytes(b"")
    done = subprocess.run([sys.executable, "-m", "cobranca", "import", str(bad)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "o arquivo está vazio" in done.stderr and "Traceback" not in done.stderr


# -- a large file ------------------------------------------------------------------------------------------
def test_large_file_with_one_bad_row_at_the_end_imports_nothing(db, tmp_path):
    size = 100_000
    numbers = pd.Series(range(size)).astype("str")
    frame = pd.DataFrame({
        "Código Cliente": (pd.Series(range(size)) // 5).astype("str"),
        "Cliente": "Cliente " + numbers,
        "Documento": "NF" + numbers,
        "Parcela": "1",
        "Vencimento": "15/05/2020",
        "Valor": "1.234,56",
        "Celular": "(11) 98765-4321",
    })
    frame.loc[size - 1, "Vencimento"] = "32/05/2020"
    path = tmp_path / "grande.csv"
    frame.to_csv(path, sep=";", index=False)
    before = snapshot(db)
    with pytest.raises(ImportFileError) as info:
        db.receivables.import_file(path)
    assert [str(p) for p in info.value.problems] == [
        f"linha {size + 1}, coluna Vencimento: '32/05/2020' não é uma data válida"
    ]
    assert_unchanged(db, before)
