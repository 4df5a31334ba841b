"""The term PDF of an agreement, read back (pypdf), rendered (pypdfium2) and its entry Pix QR decoded (zxing-cpp)."""

from __future__ import annotations

import io
from decimal import Decimal as D

import pypdf
import pypdfium2
import pytest
from support.known import ENGINES
from support.pg_helpers import raw_connection, target_of
from support.pix_helpers import enable_pix, qr_texts

from cobranca.pix import brcode as pix

pytestmark = pytest.mark.usefixtures("company_today")  # today = 08/06/2020
ENGINES = ENGINES  # every test here runs on a DuckDB file and on PostgreSQL (see conftest.py)


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def test_the_term_names_the_parties_debts_schedule_and_clauses(db):
    db.settings.set("company_tax_id", "11.222.333/0001-81")
    db.agreements.create("4", installments=3)
    text = _text(db.agreements.term_pdf(1))
    flat = " ".join(text.split())
    for expected in ("Termo de acordo e confissão de dívida nº 1", "CREDOR: Minha Empresa Ltda, CNPJ 11.222.333/0001-81",
                     "DEVEDOR: Padaria Pão Quente, CPF/CNPJ não informado", "402/1", "01/03/2020",
                     "R$ 1.234,56", "R$ 24,69", "R$ 40,74", "R$ 1.299,99", "desconto de R$ 44,94",
                     "Valor total do acordo: R$ 1.255,05", "Entrada", "R$ 188,26", "Parcela 3 de 3", "08/09/2020",
                     "R$ 355,59", "por mais de 5 dias", "o desconto da cláusula 2 é revogado",
                     "8 de junho de 2020", "Testemunha 2"):
        assert expected in flat, expected
    assert "Pix copia e cola" not in flat  # no pix_key: no Pix


def test_the_entry_pix_qr_decodes_to_the_cent(db, tmp_path):
    enable_pix(db)
    made = db.agreements.create("4", installments=3)
    pdf = db.agreements.term_pdf(made["id"])
    page = pypdfium2.PdfDocument(pdf)[0]
    image = page.render(scale=150 / 72).to_pil()
    image.save(tmp_path / "termo.png")
    codes = qr_texts(image)
    assert len(codes) == 1
    decoded = pix.decode(codes[0])
    assert decoded.amount == made["entry"]["amount"] == D("188.26")
    assert decoded.txid == pix.txid_for_receivable("ACORDO-1", "0")
    assert codes[0] in _text(pdf).replace("\n", "")


def test_customer_text_is_data_not_markup(db):
    frame_name = "<b>Bold</b> & <font size=40>X</font>"
    with raw_connection(target_of(db)) as con:  # as an ERP export could bring it
        con.execute("UPDATE customers SET name = ? WHERE code = '4'", [frame_name])
    db.agreements.create("4", installments=1)
    assert frame_name in " ".join(_text(db.agreements.term_pdf(1)).split())
