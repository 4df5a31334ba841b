"""Pix settings, pure: the BCB key formats (CPF, CNPJ, e-mail, +55 phone, random key) validated and normalised."""

from __future__ import annotations

import re

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from phonenumbers import NumberParseException, PhoneNumberType

from ..core.taxid import is_valid_cnpj, is_valid_cpf
from .brcode import MAX_CITY, MAX_NAME, fold_ascii

MAX_KEY = 77  # field 26 holds at most 99 characters: 18 for the GUI, 4 for the key's tag and length
MAX_DISPLAY = 200
_EVP = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_TAX_ID_CHARS = re.compile(r"[\d.\-/\s]+")
_MOBILE = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)
KEY_HELP = ("use CPF ou CNPJ (com dígitos verificadores válidos), e-mail, celular com +55 e DDD "
            "(ex.: +5549999123456) ou a chave aleatória (ex.: 123e4567-e12b-12d1-a456-426655440000)")
_ON = {"sim", "s", "yes", "y", "true", "1", "on", "ligado"}
_OFF = {"não", "nao", "n", "no", "false", "0", "off", "desligado"}


def parse_pix_key(text: str) -> str:
    """The key as the BCB stores it: CPF/CNPJ digits, e-mail, +55DDDNUMBER, lower-case UUID; '' = no Pix.

    ValueError with a pt-BR reason otherwise. Eleven bare digits are a CPF when the check digits match,
    else a mobile number; write phones with +55 to avoid any doubt.
    """
    raw = str(text).strip()
    if not raw:
        return ""
    if len(raw) > MAX_KEY:
        raise ValueError(f"não é uma chave Pix válida: longa demais ({len(raw)} caracteres; máximo {MAX_KEY})")
    if _EVP.fullmatch(raw.lower()):
        return raw.lower()
    if "@" in raw:
        return _email_key(raw)
    if _TAX_ID_CHARS.fullmatch(raw):
        digits = re.sub(r"\D", "", raw)
        if len(digits) == 14:
            if is_valid_cnpj(digits):
                return digits
            raise ValueError("não é uma chave Pix válida: CNPJ com dígitos verificadores que não conferem")
        if len(digits) == 11 and is_valid_cpf(digits):
            return digits
    phone = _phone_key(raw)
    if phone:
        return phone
    if _TAX_ID_CHARS.fullmatch(raw) and len(re.sub(r"\D", "", raw)) == 11:
        raise ValueError("não é uma chave Pix válida: não é um CPF válido (dígitos verificadores não conferem) "
                         "nem um celular brasileiro; telefones devem ter +55 e DDD, ex.: +5549999123456")
    raise ValueError(f"não é uma chave Pix válida: {KEY_HELP}")


def _email_key(raw: str) -> str:
    try:
        result = validate_email(raw, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValueError(f"não é uma chave Pix válida: e-mail inválido ({exc})") from None
    address = result.ascii_email or result.normalized
    if not address.isascii():
        raise ValueError("não é uma chave Pix válida: o e-mail tem caracteres fora do ASCII")
    return address


def _phone_key(raw: str) -> str | None:
    if not re.search(r"\d", raw) or re.search(r"[^\d\s()+\-.]", raw):
        return None
    try:
        number = phonenumbers.parse(raw, "BR")
    except NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    if number.country_code != 55:
        raise ValueError("não é uma chave Pix válida: telefone de outro país (a chave Pix é um celular +55)")
    if phonenumbers.number_type(number) not in _MOBILE:
        raise ValueError("não é uma chave Pix válida: é um telefone fixo; a chave Pix de telefone é um celular")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def key_kind(key: str) -> str:
    """pt-BR name of the kind of a normalised key (for display)."""
    if not key:
        return ""
    if _EVP.fullmatch(key):
        return "chave aleatória"
    if "@" in key:
        return "e-mail"
    if key.startswith("+"):
        return "celular"
    return "CNPJ" if len(key) == 14 else "CPF"


def _display_text(text: str, limit: int, what: str) -> str:
    value = " ".join(str(text).split())
    if len(value) > MAX_DISPLAY:
        raise ValueError(f"longo demais (máximo {MAX_DISPLAY} caracteres)")
    if value and not fold_ascii(value, limit):
        raise ValueError(f"não tem letras utilizáveis no código Pix (o {what} vai sem acentos e em ASCII)")
    return value


def parse_pix_name(text: str) -> str:
    """The receiver's full name (shown as typed; the code carries the first 25 ASCII characters)."""
    return _display_text(text, MAX_NAME, "nome")


def parse_pix_city(text: str) -> str:
    """The receiver's city (shown as typed; the code carries the first 15 ASCII characters)."""
    return _display_text(text, MAX_CITY, "cidade")


def parse_on_off(text: str) -> bool:
    """sim/não, yes/no, true/false, 1/0, on/off."""
    value = str(text).strip().lower()
    if value in _ON:
        return True
    if value in _OFF:
        return False
    raise ValueError("use sim ou não")
