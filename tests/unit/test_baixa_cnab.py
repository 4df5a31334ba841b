"""CNAB return files: real files of five banks (expectations from each bank's layout positions), generated files
of every supported bank, each bank's own occurrence table, and malformed files refused whole."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from support.bank_files import BANK_240, BANK_400, PAID_400, cnab240, cnab400

from cobranca.baixa import cnab
from cobranca.baixa.occurrences import describe
from cobranca.baixa.records import BankFileError

FIXTURES = Path(__file__).parents[1] / "fixtures" / "bank"


def parse(name: str):
    return cnab.parse(name, (FIXTURES / name).read_bytes())


def test_real_itau_cnab400_return():
    # Itaú CNAB 400: carteira 83-85, nosso número 86-93 + DAC 94, occurrence 109-110, date 111-116, amount
    # 153-165, fee 176-188, discount 241-253, "valor principal" 254-266 is what was credited (after the fee).
    records = parse("itau_cnab400.ret")
    assert [(r.line, r.nosso_numero, r.occurrence, r.is_payment) for r in records] == [
        (2, "109/00231327-0", "06", True), (3, "109/00123442-5", "25", False),
        (4, "109/00211842-9", "06", True), (5, "109/00237636-5", "06", True)]
    third = records[2]
    assert third.occurred_on == date(2013, 6, 20) and third.credited_on == date(2013, 6, 21)
    assert (third.face_amount, third.fee, third.interest) == (D("395.41"), D("3.33"), D("0.01"))
    assert third.paid == D("392.09") + D("3.33")  # credited + fee: what the customer paid (395,41 + 0,01 juros)
    fourth = records[3]
    assert (fourth.face_amount, fourth.discount, fourth.paid) == (D("545.60"), D("201.60"), D("340.67") + D("3.33"))
    assert records[1].description == "Alegações do pagador"


def test_real_bradesco_cnab400_return():
    # Bradesco: nosso número 71-81 + DV 82; code 02 entry, 06 liquidation, 17 liquidation after baixa.
    records = parse("bradesco_cnab400.ret")
    assert [r.occurrence for r in records] == ["02", "06", "17", "17", "17", "17", "17"]
    entry, paid = records[0], records[1]
    assert entry.nosso_numero == paid.nosso_numero == "9/00000000009-7" and not entry.is_payment
    assert paid.is_payment and paid.document == "15" and paid.paid == D("5.00") and paid.fee == D("0.00")
    assert paid.occurred_on == date(2012, 4, 11) and paid.credited_on == date(2012, 4, 13)
    assert entry.fee == D("2.52")  # the registration's fee: the company's cost, reported only
    assert all(r.is_payment and r.paid == D("0.02") for r in records[2:])


def test_real_banco_do_brasil_cnab400_return():
    # BB convênio 7: record type 7, nosso número 64-80, credit date 176-181, fee 182-188.
    (record,) = parse("bb_cnab400.ret")
    assert (record.nosso_numero, record.occurrence, record.is_payment) == ("11122450000000290", "06", True)
    assert (record.face_amount, record.paid, record.fee) == (D("25.00"), D("25.00"), D("9.00"))
    assert record.occurred_on == date(2015, 9, 8) and record.credited_on == date(2015, 9, 10)


def test_real_caixa_cnab240_return():
    # Segment T: nosso número 40-57 (modality 40-41), amount 82-96, fee 199-213; segment U: discount 33-47,
    # paid 78-92, occurrence date 138-145, credit date 146-153.
    records = parse("caixa_cnab240.ret")
    assert len(records) == 9 and all(r.occurrence == "06" and r.is_payment for r in records)
    first, third = records[0], records[2]
    assert first.nosso_numero == "24/0000000111369979" and first.line == 3
    assert (first.face_amount, first.paid, first.discount, first.fee) == (D("80.00"), D("80.00"), D("0.00"), D("1.25"))
    assert (third.face_amount, third.paid, third.discount) == (D("80.00"), D("70.00"), D("10.00"))
    assert first.occurred_on == date(2014, 1, 6) and first.credited_on == date(2014, 1, 7)
    assert records[8].fee == D("2.70") and records[7].paid == D("420.00")


def test_real_banco_do_brasil_cnab240_return():
    records = parse("bb_cnab240.ret")
    assert [r.nosso_numero for r in records] == ["32948600000000196", "32948600000000236", "32948600000000244",
                                                 "32948600000000249", "32948600000005048"]
    assert [r.paid for r in records] == [D("40.00"), D("30.00"), D("15.00"), D("15.00"), D("28.80")]
    assert {r.fee for r in records} == {D("5.00")} and {r.occurred_on for r in records} == {date(2011, 3, 21)}


def test_real_santander_cnab240_return():
    # Santander's segment T differs: nosso número 41-52 + DV 53, amount 78-92, fee 194-208.
    (record,) = parse("santander_cnab240.ret")
    assert (record.nosso_numero, record.occurrence, record.is_payment) == ("000000000104-0", "17", True)
    assert (record.face_amount, record.paid, record.fee) == (D("10.00"), D("11.00"), D("3.24"))
    assert record.occurred_on == date(2014, 6, 4) and record.credited_on == date(2014, 6, 5)


def test_real_sicredi_registration_is_not_a_payment():
    (record,) = parse("sicredi_cnab400.ret")
    assert (record.occurrence, record.is_payment, record.description) == ("02", False, "Entrada confirmada")


@pytest.mark.parametrize("bank", sorted(BANK_400))
def test_generated_cnab400_of_every_bank(bank):
    titles = [dict(nosso="11", dv="4", carteira="9", document="NF77/2", day=date(2026, 12, 4), due=date(2026, 12, 1),
                   face="100.00", paid="103.50", interest="3.50", fee="2.10", credited=date(2026, 12, 7)),
              dict(code="02", nosso="12", dv="1", carteira="9", document="NF78", day=date(2026, 12, 4),
                   due=date(2027, 1, 1), face="50.00")]
    first, second = cnab.parse(f"{bank}.ret", cnab400(bank, titles))
    assert first.is_payment and first.occurrence == PAID_400[bank] and not second.is_payment
    assert (first.paid, first.interest, first.fee, first.face_amount) == (D("103.50"), D("3.50"), D("2.10"), D("100.00"))
    assert first.occurred_on == date(2026, 12, 4) and first.credited_on == date(2026, 12, 7)
    assert first.document == "NF77/2" and first.bank == bank
    from cobranca.baixa.numbers import nosso_numero_key
    assert nosso_numero_key(first.nosso_numero) == "11" and nosso_numero_key(second.nosso_numero) == "12"


@pytest.mark.parametrize("bank", sorted(BANK_240))
def test_generated_cnab240_of_every_bank(bank):
    titles = [dict(nosso="11", dv="4", carteira="9", document="NF77", day=date(2026, 12, 4), due=date(2026, 12, 1),
                   face="100.00", paid="95.00", discount="5.00", fee="1.90", credited=date(2026, 12, 5)),
              dict(code="09", nosso="12", dv="1", document="NF78", day=date(2026, 12, 4), face="10.00")]
    first, second = cnab.parse(f"{bank}.ret", cnab240(bank, titles))
    assert first.is_payment and not second.is_payment
    assert second.description.startswith("Baixa")  # "Baixa simples" in Itaú's own table
    assert (first.paid, first.discount, first.fee, first.face_amount) == (D("95.00"), D("5.00"), D("1.90"), D("100.00"))
    assert first.credited_on == date(2026, 12, 5) and first.document == "NF77"
    from cobranca.baixa.numbers import nosso_numero_key
    assert nosso_numero_key(first.nosso_numero) == "11"


def test_each_bank_table_wins_where_banks_disagree():
    assert describe("cnab400", "104", "06") == ("Uso da empresa alterado", False)  # Caixa: 21 is liquidation
    assert describe("cnab400", "104", "21") == ("Liquidação", True)
    assert describe("cnab400", "237", "17")[1] is True  # Bradesco: liquidation after baixa
    assert describe("cnab400", "341", "17") == ("Alteração/exclusão de dados rejeitados", False)  # Itaú
    assert describe("cnab400", "033", "15") == ("Enviado para cartório", False)  # Santander: sent to protest
    assert describe("cnab400", "237", "15")[1] is True  # Bradesco: liquidation at the notary
    for layout in ("cnab240", "cnab400"):
        for bank in ("001", "033", "041", "237", "341", "748", "756"):
            for code in ("02", "03", "09", "10", "19", "23"):
                assert describe(layout, bank, code)[1] is False, (layout, bank, code)
    assert describe("cnab240", "001", "99") == ("Ocorrência 99 (não consta da tabela do banco)", False)


def _refusal(data: bytes, name: str = "retorno.ret") -> str:
    with pytest.raises(BankFileError) as info:
        cnab.parse(name, data)
    return str(info.value)


GOOD = dict(nosso="11", dv="4", carteira="109", document="1", day=date(2026, 12, 4), face="10.00", paid="10.00")


def test_a_truncated_record_is_refused_with_its_line():
    data = cnab400("341", [GOOD, GOOD]).split(b"\r\n")
    data[2] = data[2][:250]
    message = _refusal(b"\r\n".join(data))
    assert "retorno.ret" in message and "linha 3" in message and "250 posições em vez de 400" in message
    assert "Nada foi gravado" in message


def test_a_file_cut_at_a_record_boundary_lacks_its_trailer():
    data = b"\r\n".join(cnab400("341", [GOOD, GOOD]).split(b"\r\n")[:2])
    assert "sem o registro trailer" in _refusal(data)


def test_a_bad_date_is_refused_with_line_and_field():
    message = _refusal(cnab400("237", [GOOD, dict(GOOD, raw_day="310226")]))
    assert "linha 3" in message and "data de ocorrência (posições 111-116)" in message and "'310226'" in message


def test_letters_in_a_numeric_field_are_refused():
    message = _refusal(cnab240("001", [dict(GOOD, nosso="11"), ]).replace(b"000000000001000", b"0000000000010O0", 1))
    assert "linha 3" in message and "valor do título (posições 82-96)" in message and "não é um número" in message


def test_an_unknown_bank_and_a_remittance_are_refused_by_name():
    unknown = cnab400("341", [GOOD]).replace(b"341BANCO ITAU S.A.", b"999BANCO FAKE     ", 1)
    message = _refusal(unknown)
    assert "o banco 999 (BANCO FAKE) não é suportado no CNAB400" in message and "341 Itaú" in message
    remittance = b"01REMESSA" + cnab400("341", [GOOD])[9:]
    assert "é um arquivo de remessa, não de retorno" in _refusal(remittance)
    assert "não é um retorno CNAB 240 nem CNAB 400" in _refusal(b"Documento;Valor\r\n1;10,00\r\n")


def test_a_t_segment_without_its_u_segment_is_refused():
    lines = cnab240("756", [GOOD]).split(b"\r\n")
    del lines[3]
    assert "o segmento T não é seguido do segmento U" in _refusal(b"\r\n".join(lines))
