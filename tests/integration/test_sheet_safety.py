"""Every CSV and XLSX the product writes neutralises formulas in every cell, header cells included."""

from __future__ import annotations

import csv
import io

import openpyxl
import pandas as pd
import pytest

from cobranca import open_db
from cobranca.report.export import to_csv_bytes, to_xlsx_bytes
from cobranca.report.sheet_safe import neutralise

HOSTILE = ["@Vencimento", "=1+1", "+cmd|' /C calc'!A0", "-2+3", "\t=1", "\r=1"]


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_skipped_lines_csv_neutralises_the_column_name_taken_from_the_file(db_path, tmp_path):
    path = tmp_path / "hostil.csv"
    path.write_text("Cliente;Documento;@Vencimento;Valor\nAna;D1;31/02/2020;10,00\nBia;D2;01/06/2020;10,00\n",
                    encoding="utf-8")
    report = open_db(db_path).receivables.import_file(path, mapping={"@Vencimento": "due_date"}, skip_invalid=True)
    rows = _rows(report.skipped_csv())
    assert rows[1][:2] == ["2", "'@Vencimento"]
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)


@pytest.mark.parametrize("header", HOSTILE)
def test_csv_export_neutralises_header_cells(header):
    frame = pd.DataFrame({header: ["x"], "ok": ["=2+2"]})
    rows = _rows(to_csv_bytes(frame))
    assert rows[0] == [neutralise(header), "ok"] and rows[0][0].startswith("'")
    assert rows[1] == ["x", "'=2+2"]


@pytest.mark.parametrize("header", HOSTILE)
def test_xlsx_export_neutralises_header_cells(header):
    frame = pd.DataFrame({header: ["x"], "ok": ["=2+2"]})
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(frame))).active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert str(sheet.cell(1, 1).value).startswith("'") and sheet.cell(2, 2).value == "'=2+2"
