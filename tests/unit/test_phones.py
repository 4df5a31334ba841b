"""Phone normalisation (Brazilian mobiles to E.164) and wa.me links that decode back to the exact message."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cobranca.contacting.whatsapp import whatsapp_link
from cobranca.core.errors import InputError
from cobranca.core.phones import normalize_mobile


@pytest.mark.parametrize(
    "text",
    ["(49) 99912-3456", "49999123456", "+55 49 99912-3456", "049 99912 3456", "55 49 99912-3456",
     "+55 (49) 9 9912-3456", "0 15 49 99912-3456", " 49.99912.3456 "],
)
def test_valid_mobile_spellings_become_e164(text):
    check = normalize_mobile(text)
    assert check.e164 == "+5549999123456"
    assert check.warning is None
    assert check.ok


@pytest.mark.parametrize(
    ("text", "e164", "warning"),
    [
        ("(49) 3442-2970", "+554934422970", "telefone fixo"),
        ("0800 123 4567", "+558001234567", "não é celular"),
        ("+1 650-253-0000", "+16502530000", "outro país (US)"),
        ("+351 912 345 678", "+351912345678", "outro país (PT)"),
        ("(49) 9912-3456", None, "só 8 dígitos"),
        ("9912-3456", None, "incompleto"),
        ("123", None, "incompleto"),
        ("abc", None, "não é um número de telefone"),
        ("ligar à tarde", None, "não é um número de telefone"),
        ("49 99912-3456 ramal 2", None, "não é um número de telefone válido"),
        ("(49) 99912-3456 / (49) 3442-2970", None, "não é um número de telefone"),
        ("", None, "sem celular cadastrado"),
        ("   ", None, "sem celular cadastrado"),
        (None, None, "sem celular cadastrado"),
        (float("nan"), None, "sem celular cadastrado"),
        (pd.NA, None, "sem celular cadastrado"),
        ("9" * 500, None, "longo demais"),
    ],
)
def test_numbers_that_are_not_brazilian_mobiles_get_a_warning(text, e164, warning):
    check = normalize_mobile(text)
    assert check.e164 == e164
    assert check.warning is not None and warning in check.warning
    assert not check.ok


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_normalize_never_raises(text):
    check = normalize_mobile(text)
    assert check.e164 is None or check.e164.startswith("+")
    assert check.e164 is not None or check.warning


MESSAGE = (
    "Olá, José! Ação & reação: #144, parcela 1/2.\n"
    "Valor: R$ 1.022,33 + 10% = ?\r\nLinha 3 com \"aspas\", 'apóstrofo', é ç ã õ ü 😀 ; a=b&c=d"
)


def _decode(link: str) -> tuple[str, str, str]:
    parts = urlsplit(link)
    query = parse_qs(parts.query, keep_blank_values=True, strict_parsing=True)
    assert list(query) == ["text"] and len(query["text"]) == 1
    return parts.netloc, parts.path, query["text"][0]


def test_whatsapp_link_round_trip():
    link = whatsapp_link("(49) 99912-3456", MESSAGE)
    assert link.startswith("https://wa.me/5549999123456?text=")
    netloc, path, text = _decode(link)
    assert (netloc, path) == ("wa.me", "/5549999123456")
    assert text == MESSAGE
    encoded = link.split("?text=", 1)[1]
    for raw in ("&", "#", "+", "\n", " ", "?", "="):
        assert raw not in encoded
    assert "10%25" in encoded and "%26" in encoded and "%23" in encoded and "%2B" in encoded


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_whatsapp_link_round_trip_any_text(message):
    assert _decode(whatsapp_link("+55 21 99876-5432", message))[2] == message


def test_whatsapp_link_uses_the_country_code_for_national_numbers():
    # "49..." without +55 would be a German number on wa.me
    assert whatsapp_link("49 99912 3456", "x").startswith("https://wa.me/5549999123456?")
    assert whatsapp_link("+1 650 253 0000", "x").startswith("https://wa.me/16502530000?")


@pytest.mark.parametrize("phone", ["", None, "sem telefone", "---"])
def test_whatsapp_link_without_digits_is_refused(phone):
    with pytest.raises(InputError, match="Telefone sem dígitos"):
        whatsapp_link(phone, "oi")


@pytest.mark.parametrize("phone", ["123", "(49) 9912-3456", "9912-3456"])
def test_whatsapp_link_with_an_unusable_number_is_refused(phone):
    with pytest.raises(InputError, match="Telefone inválido para o WhatsApp"):
        whatsapp_link(phone, "oi")
