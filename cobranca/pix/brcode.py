"""Static Pix BR Code (EMV-MPM TLV of the Banco Central do Brasil): encoder, decoder with CRC check, txid scheme.

Pure functions, no I/O. The layout and the limits follow the BCB "Manual de Padrões para Iniciação do Pix".
"""

from __future__ import annotations

import binascii
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ..core.errors import InputError
from ..core.text import cut

GUI = "br.gov.bcb.pix"
MAX_NAME = 25
MAX_CITY = 15
MAX_TXID = 25
MAX_ACCOUNT_INFO = 99  # the whole field 26 (GUI + key)
MAX_AMOUNT_CHARS = 13
NO_TXID = "***"

_TXID = re.compile(r"[A-Za-z0-9]+")
_ALNUM = re.compile(r"[^A-Za-z0-9]")
_PRINTABLE = re.compile(r"[^\x20-\x7e]")


class PixCodeError(InputError):
    """A Pix code that cannot be built or read (pt-BR message)."""


# -- CRC16-CCITT-FALSE: poly 0x1021, init 0xFFFF, no reflection, no final xor -------------------------
def crc16_ccitt_false(data: bytes) -> int:
    """The CRC written out bit by bit (the reference `binascii.crc_hqx` is checked against)."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


def crc16(data: bytes) -> int:
    """CRC16-CCITT-FALSE of `data` (binascii.crc_hqx with the 0xFFFF start value)."""
    return binascii.crc_hqx(data, 0xFFFF)


def _crc_text(payload_without_crc_value: str) -> str:
    return f"{crc16(payload_without_crc_value.encode('ascii')):04X}"


# -- text helpers ---------------------------------------------------------------------------------
def fold_ascii(text: str, limit: int) -> str:
    """`text` without accents, printable ASCII only, spaces collapsed, cut to `limit` characters."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = _PRINTABLE.sub("", plain)
    return " ".join(plain.split())[:limit].rstrip()


def _tlv(tag: str, value: str) -> str:
    if len(value) > 99:
        raise PixCodeError(f"Campo {tag} do código Pix longo demais ({len(value)} caracteres; máximo 99).")
    return f"{tag}{len(value):02d}{value}"


def format_amount(amount: Decimal) -> str:
    """'125.00': two decimals, '.' separator, no thousands separator; PixCodeError unless 0 < amount fits."""
    try:
        value = Decimal(amount).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        raise PixCodeError(f"Valor inválido para o Pix: '{cut(amount)}'.") from None
    if value <= 0:
        raise PixCodeError(f"O valor do Pix deve ser maior que zero (recebido {value}).")
    text = f"{value:.2f}"
    if len(text) > MAX_AMOUNT_CHARS:
        raise PixCodeError(f"Valor grande demais para um código Pix: {text}.")
    return text


# -- txid: which receivable a payment is for ------------------------------------------------------
def txid_for_receivable(document: str, installment: str) -> str:
    """Deterministic, distinct per (document, installment), alphanumeric, at most 25 characters.

    Readable when possible: `<document>P<installment>` if the document is alphanumeric and the
    installment all digits (144/1 -> 144P1). Otherwise `<first 8 alphanumerics of the document>H`
    followed by 16 hex digits of SHA-256 of the pair. The last character outside [0-9A-F] is P or H,
    and only [0-9A-F] follow it, so the two forms can never produce the same txid.
    """
    document, installment = str(document), str(installment)
    readable = f"{document}P{installment}"
    if _TXID.fullmatch(document) and installment.isascii() and installment.isdigit() and len(readable) <= MAX_TXID:
        return readable
    return _hashed("H", document, "receivable\x00" + document + "\x00" + installment)


def txid_for_customer(customer: str) -> str:
    """The txid of a customer's total: `<code>K` when the code is alphanumeric and short, else hashed with K."""
    customer = str(customer)
    if _TXID.fullmatch(customer) and len(customer) < MAX_TXID:
        return f"{customer}K"
    return _hashed("K", customer, "customer\x00" + customer)


def _hashed(marker: str, readable: str, key: str) -> str:
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:16].upper()
    return _ALNUM.sub("", readable)[:8] + marker + digest


# -- encoder --------------------------------------------------------------------------------------
def encode(key: str, name: str, city: str, amount: Decimal | None = None, txid: str | None = None) -> str:
    """The copia-e-cola text of a static Pix code. Name, city and txid are folded to ASCII and cut.

    `key` must already be a normalised Pix key (see pix_key.parse_pix_key).
    """
    key = str(key).strip()
    if not key:
        raise PixCodeError("Chave Pix vazia: defina pix_key (cobranca settings set pix_key SUA_CHAVE).")
    merchant_name = fold_ascii(name, MAX_NAME)
    merchant_city = fold_ascii(city, MAX_CITY)
    if not merchant_name:
        raise PixCodeError("Nome do recebedor vazio: defina pix_name (ou company_name).")
    if not merchant_city:
        raise PixCodeError("Cidade do recebedor vazia: defina pix_city (cobranca settings set pix_city \"São Paulo\").")
    reference = NO_TXID if not txid else str(txid)[:MAX_TXID]
    if reference != NO_TXID and not _TXID.fullmatch(reference):
        raise PixCodeError(f"Identificador (txid) inválido para o Pix: '{reference}' (use só letras e números).")
    account = _tlv("00", GUI) + _tlv("01", key)
    if len(account) > MAX_ACCOUNT_INFO:
        raise PixCodeError(f"Chave Pix longa demais ({len(key)} caracteres).")
    payload = _tlv("00", "01") + _tlv("26", account) + _tlv("52", "0000") + _tlv("53", "986")
    if amount is not None:
        payload += _tlv("54", format_amount(amount))
    payload += _tlv("58", "BR") + _tlv("59", merchant_name) + _tlv("60", merchant_city)
    payload += _tlv("62", _tlv("05", reference)) + "6304"
    return payload + _crc_text(payload)


# -- decoder --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PixCode:
    """The fields of a decoded static Pix code."""

    key: str
    name: str
    city: str
    amount: Decimal | None
    txid: str
    crc: str


def parse_tlv(text: str) -> dict[str, str]:
    """Tag -> value of one TLV level; PixCodeError (pt-BR) on a malformed or repeated field."""
    fields: dict[str, str] = {}
    position = 0
    while position < len(text):
        head = text[position:position + 4]
        if len(head) < 4 or not head.isdigit():
            raise PixCodeError(f"Código Pix malformado na posição {position + 1}: esperava 2 dígitos de campo e "
                               f"2 de tamanho, encontrou '{head}'.")
        tag, size = head[:2], int(head[2:])
        value = text[position + 4:position + 4 + size]
        if len(value) < size:
            raise PixCodeError(f"Código Pix incompleto: o campo {tag} diz ter {size} caracteres e tem {len(value)}.")
        if tag in fields:
            raise PixCodeError(f"Código Pix malformado: o campo {tag} aparece duas vezes.")
        fields[tag] = value
        position += 4 + size
    return fields


def decode(code: str) -> PixCode:
    """Read a copia-e-cola code back, checking the CRC and the mandatory fields (PixCodeError in pt-BR)."""
    text = str(code).strip()
    if not text.isascii() or not text.isprintable():
        raise PixCodeError("Código Pix inválido: contém caracteres fora do padrão (só ASCII imprimível).")
    if len(text) < 8 or text[-8:-4] != "6304":
        raise PixCodeError("Código Pix inválido: não termina com o campo 63 (CRC) de 4 caracteres.")
    expected, found = _crc_text(text[:-4]), text[-4:]
    if found != expected and found.upper() == expected:  # a bank's reader may refuse it: the code was altered
        raise PixCodeError(f"Código Pix inválido: o CRC {found} deve estar em letras maiúsculas ({expected}). "
                           "O código foi alterado; copie-o de novo.")
    if found != expected:
        raise PixCodeError(f"Código Pix com CRC inválido: o código diz {found}, o conteúdo dá {expected}. "
                           "O código foi copiado incompleto ou alterado; copie-o de novo.")
    fields = parse_tlv(text[:-8])
    if fields.get("00") != "01":
        raise PixCodeError("Código Pix inválido: o campo 00 (formato) deve ser 01.")
    account = parse_tlv(fields.get("26", ""))
    if account.get("00", "").lower() != GUI or not account.get("01"):
        raise PixCodeError("Código Pix inválido: o campo 26 não traz br.gov.bcb.pix e uma chave.")
    for tag, label in (("53", "moeda"), ("58", "país"), ("59", "nome"), ("60", "cidade")):
        if not fields.get(tag):
            raise PixCodeError(f"Código Pix inválido: falta o campo {tag} ({label}).")
    if fields["53"] != "986":
        raise PixCodeError(f"Código Pix inválido: moeda {fields['53']} (deve ser 986, real).")
    amount = None
    if "54" in fields:
        if not re.fullmatch(r"\d+(\.\d{1,2})?", fields["54"]):
            raise PixCodeError(f"Código Pix inválido: valor '{fields['54']}' fora do formato 123.45.")
        amount = Decimal(fields["54"])
    extra = parse_tlv(fields.get("62", ""))
    return PixCode(key=account["01"], name=fields["59"], city=fields["60"], amount=amount,
                   txid=extra.get("05", NO_TXID), crc=found)
