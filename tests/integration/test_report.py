"""The PDF report, read back with pdfplumber/pypdf: pages, headers, accounts, contacts, escaping, CLI."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta

import pdfplumber
import pypdf
import pytest
from support.known import AS_OF, ENGINES, KNOWN_RECEIVABLES, receivables_frame
from support.pg_helpers import target_of

from cobranca.cli import main
from cobranca.receivables.filters import Filter
from cobranca.report.pdf import MARGIN_X, build_report, render_report
from cobranca.store import contacts as contact_records

ENGINES = ENGINES  # every test here runs on a DuckDB file and on PostgreSQL (see conftest.py)

HEADER_ROW = "Data/Hora Forma Contato Responsável Observação"


def pages_text(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [page.extract_text() or "" for page in doc.pages]


def assert_every_page_decorated(texts: list[str], filter_text: str) -> None:
    total = len(texts)
    for number, text in enumerate(texts, start=1):
        assert f"Página {number}/{total}" in text, (number, text[:200])
        assert "Relatório de Gerenciamento de Cobranças" in text
        assert "CompuFour - CompuFour Software" in text
        assert "Fone: (49) 3442 2970" in text
        assert "Data de referência: 08/06/2020" in text
        assert filter_text in text


@pytest.fixture
def report_db(db):
    """The known receivables plus the seed's contact history on document 144 and one cancelled entry."""
    db.settings.set("company_name", "CompuFour - CompuFour Software")
    db.settings.set("company_phone", "(49) 3442 2970")
    seed = [
        (datetime(2020, 6, 8, 8, 58, 53), "WhatsApp", None, "Bom dia! Sua conta venceu em 01/06/2020."),
        (datetime(2020, 6, 8, 9, 2, 30), "WhatsApp", None, None),
        (datetime(2020, 6, 8, 9, 3, 6), "WhatsApp", None, None),
        (datetime(2020, 6, 8, 9, 18, 42), "Nenhum", "Visualizou e não respondeu", None),
        (datetime(2020, 6, 8, 9, 24, 22), "Nenhum", "Visualizou e não respondeu.", None),
    ]
    for at, channel, observation, message in seed:
        db.contacts.register_one("144", None, channel, message=message, observation=observation, by="SUPERVISOR", at=at)
    db.contacts.register_one("200/A", "1", "E-mail", to="jose@example.com", message="Lembrete de vencimento",
                        by="ANA", at=datetime(2020, 6, 6, 14, 0, 0))
    db.contacts.comment("200/A", "Prometeu pagar sexta", installment="1", by="ANA", at=datetime(2020, 6, 7, 10, 0))
    db.contacts.register_one("200/A", "1", "Telefone", observation="ENTRADA-CANCELADA-XYZ", by="ANA",
                        at=datetime(2020, 6, 8, 11, 0, 0))
    db.contacts.cancel_last("200/A", "1", by="ANA")
    return db


def test_known_worklist_report(report_db):
    rendered = render_report(report_db, None, AS_OF, responsible="SUPERVISOR",
                             generated_at=datetime(2020, 6, 8, 12, 30, 0))
    texts = pages_text(rendered.pdf)
    assert len(pypdf.PdfReader(io.BytesIO(rendered.pdf)).pages) == rendered.pages == len(texts)
    assert_every_page_decorated(texts, "Todas as vencidas e vencendo hoje")
    full = "\n".join(texts)

    # summary on the first page
    first = texts[0]
    for expected in ("Gerado em: 08/06/2020 12:30:00", "Gerado por: SUPERVISOR", "Contas a receber: 5",
                     "Clientes: 4", "Saldo total: R$ 3.024,46", "Valor atualizado total: R$ 3.119,38",
                     "A vencer 1 R$ 500,00", "1–30 dias 3 R$ 1.289,90", "31–60 dias 0 R$ 0,00",
                     "Mais de 90 dias 1 R$ 1.234,56", "Total 5 R$ 3.024,46"):
        assert expected in first, expected
    # every account of the worklist, as in the seed plus balance, days and updated amount
    for customer in ("CompuFour Software", "José da Silva Açougue", "Maria Souza ME", "Padaria Pão Quente"):
        assert f"Cliente: {customer}" in full
    assert "Quitado Ltda" not in full  # settled
    assert full.count("Documento: 200/A") == 1 and "Parcela: 2" not in full  # installment 2 is not due yet
    assert "Cliente: CompuFour Software Documento: 144 Vencimento: 01/06/2020\nHistórico: Venda 144 Parcela: 1" in full
    assert "Saldo: R$ 1.000,00 Dias de atraso: 7 Valor atualizado: R$ 1.022,33" in full
    assert "Saldo: R$ 1.234,56 Dias de atraso: 99 Valor atualizado: R$ 1.299,99" in full
    assert "Saldo: R$ 89,90 Dias de atraso: 3 Valor atualizado: R$ 91,79" in full
    # the seed's contact rows, newest first; a message stands in for a missing observation
    rows = [
        "08/06/2020 09:24:22 Nenhum SUPERVISOR Visualizou e não respondeu.",
        "08/06/2020 09:18:42 Nenhum SUPERVISOR Visualizou e não respondeu",
        "08/06/2020 09:03:06 WhatsApp SUPERVISOR",
        "08/06/2020 09:02:30 WhatsApp SUPERVISOR",
        "08/06/2020 08:58:53 WhatsApp SUPERVISOR Bom dia! Sua conta venceu em 01/06/2020.",
    ]
    positions = [full.index(row) for row in rows]
    assert positions == sorted(positions)
    assert "07/06/2020 10:00:00 Nenhum ANA Prometeu pagar sexta" in full
    assert "06/06/2020 14:00:00 E-mail ANA Lembrete de vencimento" in full
    assert "ENTRADA-CANCELADA-XYZ" not in full  # cancelled entries are left out
    assert full.count("Nenhum contato registrado") == 3  # 145, 301 and 402
    assert full.count(HEADER_ROW) == 2  # 144 and 200/A have contacts


def test_saved_filter_by_name_and_default_responsible(report_db, monkeypatch):
    monkeypatch.setenv("COBRANCA_USER", "MARIA COBRADORA")
    pdf = build_report(report_db, "Vencidas de 1 a 10 dias", AS_OF)
    texts = pages_text(pdf)
    full = "\n".join(texts)

    assert_every_page_decorated(texts, "Filtro: Vencidas de 1 a 10 dias\n")  # named as it selects: said once
    assert "Gerado por: MARIA COBRADORA" in full
    assert "Documento: 144 Vencimento" in full and "Documento: 200/A Vencimento" in full
    assert "Padaria Pão Quente" not in full and "Maria Souza ME" not in full
    assert "Contas a receber: 2" in full and "Saldo total: R$ 1.089,90" in full


def test_contacts_of_all_receivables_fetched_in_one_query(report_db, monkeypatch):
    calls = []
    original = contact_records.history

    def counting_history(con, ids, include_cancelled=False):
        calls.append(list(ids))
        return original(con, ids, include_cancelled)

    monkeypatch.setattr(contact_records, "history", counting_history)
    build_report(report_db, None, AS_OF)

    assert len(calls) == 1
    assert len(calls[0]) == 5


def test_contact_table_split_across_pages_repeats_its_header(report_db):
    start = datetime(2020, 4, 1, 8, 0, 0)
    count = 40
    for i in range(count):
        note = f"Ligação nº {i:03d} " + "cliente pediu retorno mais tarde; " * (3 + i % 4)
        report_db.contacts.register_one("402", None, "Telefone", observation=note, by="ANA",
                                   at=start + timedelta(hours=i))
    flt = Filter(description="Mais de 90 dias", min_days=91)

    rendered = render_report(report_db, flt, AS_OF)
    texts = pages_text(rendered.pdf)

    assert rendered.pages == len(texts) >= 3
    assert_every_page_decorated(texts, "Filtro: Mais de 90 dias — vencidas há 91 dias ou mais")
    full = "\n".join(texts)
    assert full.count("Cliente: Padaria Pão Quente") == 1
    numbers = re.findall(r"Ligação nº (\d{3})", full)
    assert sorted(numbers) == [f"{i:03d}" for i in range(count)]
    assert numbers == sorted(numbers, reverse=True)  # newest first across the page breaks
    for number, text in enumerate(texts[1:], start=2):
        body = text.split("vencidas há 91 dias ou mais", 1)[1].strip()
        # the receivable is named again and the header row repeats at the top of the page
        assert body.startswith(f"402 / parc. 1 · Padaria Pão Quente — contatos (continuação)\n{HEADER_ROW}\n"), (
            number, body[:120])
        assert "Cliente:" not in body
    assert full.count(HEADER_ROW) == len(texts)


def test_few_contacts_with_long_texts_taller_than_a_page_still_lay_out(db):
    for i in range(12):
        db.contacts.register_one("144", "1", "E-mail", message=f"m{i:02d} " + "mensagem longa " * 60, by="ANA",
                            at=datetime(2020, 6, 1, 8, i))

    rendered = render_report(db, Filter(description="Só 144", min_days=7, max_days=7), AS_OF)

    texts = pages_text(rendered.pdf)
    assert rendered.pages == len(texts) >= 2
    assert sorted(re.findall(r"\bm(\d\d) mensagem", "\n".join(texts))) == [f"{i:02d}" for i in range(12)]


HOSTILE_NAME = "<b>x</b> & <img src=x> Comércio Ltda"


def test_hostile_and_long_text_prints_literally_and_stays_on_the_page(db_path):
    from cobranca import open_db

    rows = [(*KNOWN_RECEIVABLES[0][:1], HOSTILE_NAME, *KNOWN_RECEIVABLES[0][2:])]
    long_name = "Distribuidora " + "Muito Comprida de Materiais de Construção " * 4 + "Ltda"
    rows.append(("9", long_name, None, None, "900", "1", KNOWN_RECEIVABLES[0][6], "10.00", "0"))
    huge = "Enorme" * 2000  # 12,000 characters and no space: must neither overflow nor break the layout
    rows.append(("10", huge, None, None, "D" * 500, "1", KNOWN_RECEIVABLES[0][6], "20.00", "0"))
    db = open_db(db_path)
    frame = receivables_frame(rows)
    frame.loc[0, "description"] = "<para>Venda</para> &amp; <font color=red>nota</font>"
    db.receivables.upsert(frame)
    db.contacts.register_one("144", None, "E-mail", message="<script>alert(1)</script> " + "palavra " * 400,
                        by="<i>Mallory</i>", at=datetime(2020, 6, 8, 9, 0))
    db.contacts.register_one("144", None, "WhatsApp", observation="http://exemplo.com/" + "a" * 300 + "\x00\x0b fim",
                        by="ANA", at=datetime(2020, 6, 8, 9, 5))
    db.contacts.comment("900", "linha 1\nlinha <2>\n\nlinha 3", by="ANA", at=datetime(2020, 6, 8, 9, 10))

    pdf = build_report(db, None, AS_OF)
    full = " ".join(" ".join(pages_text(pdf)).split())  # long text wraps: compare word by word

    assert "Cliente: <b>x</b> & <img src=x>" in full and "Comércio Ltda" in full  # the name wraps in its cell
    assert "Histórico: <para>Venda</para> &amp; <font color=red>nota</font>" in full
    assert "<i>Mallory</i>" in full
    assert "<script>alert(1)</script> palavra" in full
    assert "…" in full  # the 3,000-character message was shortened
    assert "Nenhum ANA linha 1 linha <2> linha 3" in full  # line breaks kept, blank line dropped
    assert "Saldo: R$ 20,00" in full and "EnormeEnorme" in full
    assert "Cliente: Distribuidora Muito Comprida de" in full and "Construção Ltda Histórico: Venda 900" in full
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            assert max(char["x1"] for char in page.chars) <= page.width - MARGIN_X + 1
            assert min(char["x0"] for char in page.chars) >= MARGIN_X - 1


def test_empty_worklist_is_one_page_saying_so(report_db):
    flt = Filter(description="Ninguém", customer_search="cliente que não existe")

    rendered = render_report(report_db, flt, AS_OF)
    texts = pages_text(rendered.pdf)

    assert rendered.pages == len(texts) == 1
    assert "Página 1/1" in texts[0]
    assert "Nenhuma conta corresponde ao filtro" in texts[0]
    assert "Contas a receber: 0" in texts[0]


def test_fonts_are_embedded_dejavu(report_db):
    reader = pypdf.PdfReader(io.BytesIO(build_report(report_db, None, AS_OF)))
    fonts = {str(font["/BaseFont"]) for font in reader.pages[0]["/Resources"]["/Font"].values()
             for font in [font.get_object()]}
    assert any("DejaVuSans" in name for name in fonts), fonts
    assert all("Helvetica" not in name for name in fonts), fonts


# -- CLI ------------------------------------------------------------------------------------------
def test_cli_writes_default_file_name(report_db, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)

    code = main(["--db", target_of(report_db), "report", "--as-of", "08/06/2020", "--by", "SUPERVISOR"])

    out = capsys.readouterr().out
    target = tmp_path / "relatorio-cobrancas-2020-06-08.pdf"
    assert code == 0
    assert target.exists()
    texts = pages_text(target.read_bytes())
    assert str(target) in out and f"({len(texts)} página" in out
    assert "Gerado por: SUPERVISOR" in texts[0]
    assert not list(tmp_path.glob(".relatorio-*"))  # no temporary file left behind


def test_cli_filter_options_and_output(report_db, tmp_path, capsys):
    target = tmp_path / "saida.pdf"

    code = main(["--db", target_of(report_db), "report", "--min-days", "1", "--max-days", "10",
                 "--as-of", "2020-06-08", "-o", str(target)])

    assert code == 0
    full = "\n".join(pages_text(target.read_bytes()))
    assert "Filtro avulso — vencidas de 1 a 10 dias" in full
    assert "Contas a receber: 2" in full
    assert "(1 página)" in capsys.readouterr().out


def test_cli_bad_input_is_a_pt_br_error(report_db, tmp_path, capsys):
    code = main(["--db", target_of(report_db), "report", "--as-of", "2020-06-08",
                 "-o", str(tmp_path / "nao-existe" / "r.pdf")])
    assert code == 2
    assert "erro: A pasta" in capsys.readouterr().err

    code = main(["--db", target_of(report_db), "report", "--filter", "Filtro inexistente"])
    assert code == 2
    assert "Filtro 'Filtro inexistente' não encontrado" in capsys.readouterr().err
