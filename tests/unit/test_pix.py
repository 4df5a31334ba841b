"""Pix BR Code, pure: the BCB vectors byte for byte, CRC, round trips, txids, key and name settings."""

from __future__ import annotations

import binascii
import string
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cobranca.core.errors import InputError
from cobranca.pix import brcode as pix
from cobranca.pix.key import key_kind, parse_on_off, parse_pix_city, parse_pix_key, parse_pix_name
from cobranca.settings import parse_setting

BCB_EXAMPLE = ("00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR"
               "5913Fulano de Tal6008BRASILIA62070503***63041D3D")
WITH_AMOUNT = ("00020126360014br.gov.bcb.pix0114arya@stark.com5204000053039865406125.005802BR5925Arya Stark with a "
               "very lo6009Sao Paulo62290525verylongreconciliationidt630466F4")


# -- the vectors ----------------------------------------------------------------------------------
def test_bcb_manual_example_byte_for_byte():
    assert pix.encode("123e4567-e12b-12d1-a456-426655440000", "Fulano de Tal", "BRASILIA") == BCB_EXAMPLE


def test_amount_email_key_long_name_and_txid_cut_to_25_byte_for_byte():
    code = pix.encode("arya@stark.com", "Arya Stark with a very long name indeed", "São Paulo", Decimal("125"),
                      "verylongreconciliationidthatistoolong")
    assert code == WITH_AMOUNT


@pytest.mark.parametrize("code", [BCB_EXAMPLE, WITH_AMOUNT])
def test_both_crc_implementations_give_the_vectors_crc(code):
    body, crc = code[:-4].encode("ascii"), int(code[-4:], 16)
    assert pix.crc16_ccitt_false(body) == crc
    assert binascii.crc_hqx(body, 0xFFFF) == crc
    assert pix.crc16(body) == crc


def test_crc_of_the_standard_check_string():
    assert pix.crc16_ccitt_false(b"123456789") == 0x29B1 == pix.crc16(b"123456789")  # CRC-16/CCITT-FALSE check


@given(st.binary(max_size=300))
def test_own_crc_equals_binascii(data):
    assert pix.crc16_ccitt_false(data) == binascii.crc_hqx(data, 0xFFFF)


def test_decoder_reads_the_vectors():
    example = pix.decode(BCB_EXAMPLE)
    assert (example.key, example.name, example.city, example.amount, example.txid) == (
        "123e4567-e12b-12d1-a456-426655440000", "Fulano de Tal", "BRASILIA", None, "***")
    other = pix.decode(WITH_AMOUNT)
    assert (other.key, other.amount, other.txid, other.city) == (
        "arya@stark.com", Decimal("125.00"), "verylongreconciliationidt", "Sao Paulo")


# -- round trips ----------------------------------------------------------------------------------
def _cpf(nine: str) -> str:
    digits = nine
    for size in (10, 11):
        total = sum(int(d) * w for d, w in zip(digits, range(size, 1, -1), strict=True))
        digits += str(0 if total % 11 < 2 else 11 - total % 11)
    return digits


keys = st.one_of(
    st.uuids().map(str),
    st.from_regex(r"[a-z][a-z0-9.]{0,20}@[a-z]{1,12}\.com\.br", fullmatch=True).filter(lambda s: ".." not in s
                                                                                        and ".@" not in s),
    st.from_regex(r"[1-9]{2}9[0-9]{8}", fullmatch=True).map(lambda s: "+55" + s),
    st.from_regex(r"[0-9]{9}", fullmatch=True).filter(lambda s: len(set(s)) > 1).map(_cpf),
)
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999999999.99"), places=2)
txids = st.text(alphabet=string.ascii_letters + string.digits, min_size=1, max_size=25)


@settings(max_examples=300)
@given(keys, st.text(min_size=1, max_size=60), st.text(min_size=1, max_size=40), st.none() | amounts,
       st.none() | txids)
def test_encode_then_decode_round_trip(key, name, city, amount, txid):
    folded_name, folded_city = pix.fold_ascii(name, 25), pix.fold_ascii(city, 15)
    if not folded_name or not folded_city:
        with pytest.raises(pix.PixCodeError):
            pix.encode(key, name, city, amount, txid)
        return
    code = pix.encode(key, name, city, amount, txid)
    assert code.isascii() and code.isprintable()
    assert int(code[-4:], 16) == binascii.crc_hqx(code[:-4].encode(), 0xFFFF)
    decoded = pix.decode(code)
    assert decoded.key == key
    assert decoded.name == folded_name and len(decoded.name) <= 25
    assert decoded.city == folded_city and len(decoded.city) <= 15
    assert decoded.amount == amount
    assert decoded.txid == (txid or "***")


@settings(max_examples=200)
@given(amounts, st.data())
def test_any_single_character_change_fails_the_crc(amount, data):
    code = pix.encode("arya@stark.com", "Arya", "Sao Paulo", amount, "abc123")
    position = data.draw(st.integers(0, len(code) - 1))
    replacement = data.draw(st.sampled_from(string.ascii_letters + string.digits + ".@* ").filter(
        lambda c: c != code[position]))
    changed = code[:position] + replacement + code[position + 1:]
    with pytest.raises(pix.PixCodeError):
        pix.decode(changed)


def test_decoder_errors_are_pt_br():
    bad_crc = BCB_EXAMPLE[:-4] + "0000"
    with pytest.raises(pix.PixCodeError, match="CRC inválido: o código diz 0000, o conteúdo dá 1D3D"):
        pix.decode(bad_crc)
    with pytest.raises(pix.PixCodeError, match="campo 63"):
        pix.decode(BCB_EXAMPLE[:40])
    with pytest.raises(pix.PixCodeError, match="caracteres fora do padrão"):
        pix.decode("São Paulo")
    assert issubclass(pix.PixCodeError, InputError)


def test_amount_format_and_limits():
    assert pix.format_amount(Decimal("1234567.5")) == "1234567.50"  # two decimals, no thousands separator
    for bad in (Decimal("0"), Decimal("-1"), Decimal("99999999999.99"), "abc"):
        with pytest.raises(pix.PixCodeError):
            pix.format_amount(bad)
    with pytest.raises(pix.PixCodeError, match="txid"):
        pix.encode("arya@stark.com", "A", "B", None, "com/barra")


def test_field_26_over_99_characters_is_refused():
    with pytest.raises(pix.PixCodeError):
        pix.encode("a" * 70 + "@x.com.br", "A", "B")


# -- txid -----------------------------------------------------------------------------------------
TRICKY = [("144", "1"), ("1441", "1"), ("144", "11"), ("14", "41"), ("200/A", "1"), ("200A", "1"), ("200 A", "1"),
          ("200-A", "1"), ("1 2", "3"), ("12", "3"), ("1", "23"), ("1P2", "3"), ("1", "2P3"), ("ABC", "A"),
          ("ABCHFFFF", "1"), ("12345678901234567890123", "1"), ("123456789012345678901234", "1"),
          ("12345678901234567890123456789", "1"), ("12345678901234567890123456780", "1"), ("NF 2020/0001", "01"),
          ("NF 2020/0001", "1"), ("documento", "1/3"), ("documento", "1-3"), ("doc", "1"), ("DOC", "1")]


def test_txid_readable_when_possible():
    assert pix.txid_for_receivable("144", "1") == "144P1"
    assert pix.txid_for_receivable("NF2020", "12") == "NF2020P12"
    assert pix.txid_for_customer("1003") == "1003K"


def test_txids_of_tricky_receivables_are_distinct_alphanumeric_and_short():
    txids = [pix.txid_for_receivable(d, i) for d, i in TRICKY]
    assert len(set(txids)) == len(TRICKY)
    for txid in txids:
        assert txid.isascii() and txid.isalnum() and 1 <= len(txid) <= 25
    assert all(pix.txid_for_receivable(d, i) == t for (d, i), t in zip(TRICKY, txids, strict=True))  # deterministic
    customers = {pix.txid_for_customer(c) for c in ("1", "1P1", "200/A", "x" * 40, "x" * 41)}
    assert len(customers) == 5 and not customers & set(txids)


@settings(max_examples=500)
@given(st.text(min_size=1, max_size=40), st.text(min_size=1, max_size=6),
       st.text(min_size=1, max_size=40), st.text(min_size=1, max_size=6))
def test_distinct_receivables_get_distinct_txids(doc_a, inst_a, doc_b, inst_b):
    a, b = pix.txid_for_receivable(doc_a, inst_a), pix.txid_for_receivable(doc_b, inst_b)
    assert a.isascii() and a.isalnum() and len(a) <= 25
    assert (a == b) == ((doc_a, inst_a) == (doc_b, inst_b))


# -- settings -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("typed", "stored", "kind"), [
    ("11.222.333/0001-81", "11222333000181", "CNPJ"),
    ("11222333000181", "11222333000181", "CNPJ"),
    ("529.982.247-25", "52998224725", "CPF"),
    ("52998224725", "52998224725", "CPF"),
    ("Financeiro@Empresa.com.br", "Financeiro@empresa.com.br", "e-mail"),
    ("(49) 99912-3456", "+5549999123456", "celular"),
    ("+55 49 99912-3456", "+5549999123456", "celular"),
    ("49999123456", "+5549999123456", "celular"),
    ("123E4567-E12B-12D1-A456-426655440000", "123e4567-e12b-12d1-a456-426655440000", "chave aleatória"),
    ("", "", ""),
])
def test_pix_key_formats_are_normalised(typed, stored, kind):
    assert parse_pix_key(typed) == stored
    assert key_kind(stored) == kind


@pytest.mark.parametrize(("typed", "reason"), [
    ("11.222.333/0001-80", "CNPJ com dígitos verificadores"),
    ("529.982.247-24", "não é um CPF válido"),
    ("arya@", "e-mail inválido"),
    ("(49) 3442-2970", "telefone fixo"),
    ("+1 202 555 0143", "outro país"),
    ("123e4567-e12b-12d1-a456", "não é uma chave Pix válida"),
    ("chave qualquer", "não é uma chave Pix válida"),
    ("8e0a9fb6-383b-4dd0-a546-f57b983620e40", "não é uma chave Pix válida"),
])
def test_bad_pix_keys_are_refused_with_a_reason(typed, reason):
    with pytest.raises(ValueError, match=reason):
        parse_pix_key(typed)
    with pytest.raises(InputError, match="Valor inválido para pix_key"):
        parse_setting("pix_key", typed)


def test_name_and_city_keep_the_full_text_and_fold_in_the_code():
    assert parse_pix_name("  Padaria  Pão Quente  Comércio de Alimentos Ltda ") == \
        "Padaria Pão Quente Comércio de Alimentos Ltda"
    assert parse_pix_city("São Miguel do Oeste") == "São Miguel do Oeste"
    assert pix.fold_ascii("Padaria Pão Quente Comércio de Alimentos Ltda", 25) == "Padaria Pao Quente Comerc"
    assert pix.fold_ascii("São Miguel do Oeste", 15) == "Sao Miguel do O"
    with pytest.raises(ValueError, match="letras utilizáveis"):
        parse_pix_city("北京")
    assert (parse_on_off("Sim"), parse_on_off("não"), parse_on_off("off")) == (True, False, False)


@settings(max_examples=300)
@given(st.text(max_size=120))
def test_pix_settings_raise_only_their_documented_error(text):
    for key in ("pix_key", "pix_name", "pix_city", "pix_in_report"):
        try:
            parse_setting(key, text)
        except InputError:
            pass


@settings(max_examples=300)
@given(st.one_of(st.text(max_size=200), st.text(alphabet=string.digits + "0123456789abc.@*", max_size=200),
                 st.builds(lambda n, tail: WITH_AMOUNT[:n] + tail, st.integers(0, len(WITH_AMOUNT)),
                           st.text(alphabet=string.digits, max_size=8))))
def test_decoder_raises_only_pix_code_error(text):
    try:
        decoded = pix.decode(text)
    except pix.PixCodeError:
        return
    assert int(text.strip()[-4:], 16) == pix.crc16(text.strip()[:-4].encode())  # accepted only with a good CRC
    assert decoded.key
