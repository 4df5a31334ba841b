"""WhatsApp click-to-chat links (wa.me): the analyst's browser opens the chat with the message typed in."""

from __future__ import annotations

from urllib.parse import quote

from ..core.errors import InputError
from ..core.phones import digits, normalize_mobile

BASE = "https://wa.me/"


def whatsapp_link(phone_text: str, message: str) -> str:
    """https://wa.me/<E.164 digits>?text=<message percent-encoded>; InputError when the phone is unusable.

    The number goes through `normalize_mobile` first, so a national number such as
    (49) 99912-3456 gets the country code instead of being read as a German number.
    """
    if not digits(phone_text):
        raise InputError(f"Telefone sem dígitos: '{phone_text or ''}'. Informe o celular com DDD.")
    check = normalize_mobile(phone_text)
    if check.e164 is None:
        raise InputError(f"Telefone inválido para o WhatsApp: {check.warning}")
    return f"{BASE}{check.e164.lstrip('+')}?text={quote(message or '', safe='')}"
