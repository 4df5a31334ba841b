"""Brazilian mobile numbers: normalise what the ERP holds to E.164 and say, in pt-BR, what looks wrong."""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType

REGION = "BR"
MAX_INPUT = 64  # longer text is not one phone number
_MOBILE_TYPES = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)


@dataclass(frozen=True)
class PhoneCheck:
    """E.164 form when the text is a valid number (else None), and a pt-BR warning when it is no BR mobile."""

    e164: str | None
    warning: str | None

    @property
    def ok(self) -> bool:
        return self.e164 is not None and self.warning is None


def _as_text(value) -> str:
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    try:
        if value != value:  # NaN
            return ""
    except Exception:  # pd.NA refuses to be a bool
        return ""
    return str(value)


def normalize_mobile(text) -> PhoneCheck:
    """`(49) 99912-3456`, `049 99912 3456`, `+55 49 99912-3456` -> +5549999123456; never raises."""
    raw = _as_text(text).strip()
    if not raw or not re.search(r"\d", raw):
        if not raw:
            return PhoneCheck(None, "sem celular cadastrado")
        return PhoneCheck(None, f"'{raw[:MAX_INPUT]}' não é um número de telefone.")
    if len(raw) > MAX_INPUT:
        return PhoneCheck(None, "texto longo demais para um número de telefone; deixe só um celular.")
    try:
        number = phonenumbers.parse(raw, REGION)
    except NumberParseException:
        return PhoneCheck(None, f"'{raw}' não é um número de telefone reconhecível; informe DDD e número.")
    except Exception:  # the library must never take the dashboard down
        return PhoneCheck(None, f"'{raw}' não é um número de telefone reconhecível.")
    if not phonenumbers.is_valid_number(number):
        return PhoneCheck(None, _invalid_reason(raw, number))
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    region = phonenumbers.region_code_for_number(number)
    kind = phonenumbers.number_type(number)
    if region != REGION:
        return PhoneCheck(e164, f"{e164} é um número de outro país ({region or 'desconhecido'}), não um celular brasileiro.")
    if kind not in _MOBILE_TYPES:
        what = "um telefone fixo" if kind == PhoneNumberType.FIXED_LINE else "um número que não é celular"
        return PhoneCheck(e164, f"{e164} parece ser {what}; o WhatsApp precisa de um celular.")
    return PhoneCheck(e164, None)


def _invalid_reason(raw: str, number: phonenumbers.PhoneNumber) -> str:
    national = str(number.national_number)
    if number.country_code == 55 and len(national) == 10 and national[2] in "6789":
        return (f"'{raw}' tem só 8 dígitos depois do DDD; celulares brasileiros têm 9 "
                f"(talvez ({national[:2]}) 9{national[2:6]}-{national[6:]}).")
    if number.country_code == 55 and len(national) < 10:
        return f"'{raw}' está incompleto: informe DDD e número (ex.: (49) 99912-3456)."
    return f"'{raw}' não é um número de telefone válido."


def digits(text) -> str:
    """Only the digits of `text`."""
    return re.sub(r"\D", "", _as_text(text))
