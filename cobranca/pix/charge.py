"""The Pix code of a worklist row or of a customer's rows, from the settings; pure (no database, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..core.formatting import is_missing
from . import brcode as pix

SET_KEY_HELP = ("Defina a chave Pix da empresa: cobranca settings set pix_key SUA_CHAVE "
                "(CPF, CNPJ, e-mail, celular +55 ou chave aleatória) e a cidade: cobranca settings set pix_city \"Cidade\".")


@dataclass(frozen=True)
class PixCharge:
    """A copia-e-cola code, what it charges and until when the amount holds."""

    code: str
    amount: Decimal
    txid: str
    valid_until: date


def missing_settings(settings: dict) -> str | None:
    """None when Pix codes can be made; else a pt-BR sentence saying what to set."""
    if not str(settings.get("pix_key") or "").strip():
        return f"A chave Pix não está configurada. {SET_KEY_HELP}"
    if not str(settings.get("pix_city") or "").strip():
        return "A cidade do recebedor Pix não está configurada: cobranca settings set pix_city \"Cidade\"."
    if not _name(settings):
        return "O nome do recebedor Pix não está configurado: cobranca settings set pix_name \"Nome\"."
    return None


def enabled(settings: dict) -> bool:
    return missing_settings(settings) is None


def _name(settings: dict) -> str:
    return str(settings.get("pix_name") or settings.get("company_name") or "").strip()


def _charge(settings: dict, amount, txid: str, as_of: date) -> PixCharge:
    problem = missing_settings(settings)
    if problem:
        raise pix.PixCodeError(problem)
    value = Decimal(amount).quantize(Decimal("0.01"))
    code = pix.encode(settings["pix_key"], _name(settings), settings["pix_city"], value, txid)
    return PixCharge(code=code, amount=value, txid=txid, valid_until=as_of)


def for_row(row: dict, settings: dict, as_of: date) -> PixCharge:
    """The code for one worklist row's updated amount (valid on `as_of`, the day the amount was computed for)."""
    txid = pix.txid_for_receivable(str(row["document"]), str(row["installment"]))
    return _charge(settings, row["updated_amount"], txid, as_of)


def customer_identity(row: dict) -> str:
    """What names a customer in a txid: the ERP code, else the CPF/CNPJ, else the name."""
    for column in ("customer_code", "tax_id", "customer"):
        value = row.get(column)
        if not is_missing(value) and str(value).strip():
            return str(value).strip()
    return str(row.get("customer_id", ""))


def for_customer(rows: list[dict], settings: dict, as_of: date) -> PixCharge:
    """One code for the sum of the rows' updated amounts (rows of a single customer)."""
    total = sum((Decimal(r["updated_amount"]) for r in rows), Decimal("0.00"))
    return _charge(settings, total, pix.txid_for_customer(customer_identity(rows[0])), as_of)
