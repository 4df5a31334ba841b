"""The results section of the PDF report: read back with pypdf and rendered to PNG with pdftoppm."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date

from pypdf import PdfReader

from cobranca.cli import main
from cobranca.report.pdf import render_report


def test_results_section_reads_back(book, tmp_path):
    rendered = render_report(book, None, date(2020, 6, 30), responsible="Ana",
                             results=(date(2020, 6, 1), date(2020, 6, 30)))
    reader = PdfReader(io.BytesIO(rendered.pdf))
    last = reader.pages[-1].extract_text()
    assert "Resultados da cobrança" in last
    for text in ("01/06/2020 a 30/06/2020", "65,7 dias", "58,3%", "19,6 dias", "26,0 dias",
                 "2 contas, R$ 1.050,00", "50,0% (1 de 2)", "61–90 dias", "R$ 150,00", "Ana",
                 "Dias de vendas a receber", "100% é receber tudo"):  # DSO and CEI explained, as on the screen
        assert text in last, text
    without = render_report(book, None, date(2020, 6, 30), responsible="Ana")
    assert without.pages == rendered.pages - 1
    if shutil.which("pdftoppm"):
        pdf = tmp_path / "r.pdf"
        pdf.write_bytes(rendered.pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", str(rendered.pages), "-l", str(rendered.pages),
                        str(pdf), str(tmp_path / "page")], check=True, timeout=60)
        assert list(tmp_path.glob("page*.png"))


def test_report_cli_with_results(book, tmp_path, capsys):
    target = tmp_path / "rel.pdf"
    code = main(["--db", str(book.path), "report", "--as-of", "2020-06-30", "--results", "--from", "2020-06-01",
                 "-o", str(target)])
    assert code == 0, capsys.readouterr().err
    text = PdfReader(str(target)).pages[-1].extract_text()
    assert "Resultados da cobrança" in text and "65,7 dias" in text
