"""Saved worklist filters: validation and a human pt-BR description."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from decimal import Decimal

from ..core.errors import InputError
from ..core.formatting import brl
from ..core.text import cut, strip_controls

CHANNELS: tuple[str, ...] = ("WhatsApp", "E-mail", "Telefone", "SMS", "Carta", "Presencial", "Nenhum")
MAX_DAYS = 36500

DEFAULT_FILTERS: tuple[dict, ...] = (
    {"description": "Vencendo hoje", "due_today": True, "min_days": 0, "max_days": 0, "channel": "WhatsApp"},
    {"description": "Vencidas de 1 a 10 dias", "min_days": 1, "max_days": 10, "channel": "WhatsApp"},
    {"description": "Vencidas de 11 a 30 dias", "min_days": 11, "max_days": 30, "channel": "E-mail"},
    {"description": "Vencidas há mais de 30 dias", "min_days": 31, "max_days": MAX_DAYS, "channel": "Telefone"},
)
# Added with promises to pay (schema step 2): new databases and migrated ones get them.
PROMISE_FILTERS: tuple[dict, ...] = (
    {"description": "Promessas quebradas", "min_days": 0, "max_days": MAX_DAYS, "channel": "Telefone",
     "status": "promise_broken"},
    {"description": "Promessas para hoje", "min_days": 0, "max_days": MAX_DAYS, "channel": "WhatsApp",
     "status": "promise_today"},
)
# Added with the régua de cobrança (schema step 3): its tasks as a grid filter.
REGUA_FILTERS: tuple[dict, ...] = (
    {"description": "Tarefas de hoje", "min_days": 0, "max_days": MAX_DAYS, "channel": "WhatsApp",
     "status": "regua_tasks"},
)
# status field of a filter: None = the default worklist (paused receivables left out)
FILTER_STATUSES = {
    "promise_broken": "com promessa quebrada",
    "promise_today": "com promessa para hoje",
    "promised": "com promessa em aberto",
    "disputed": "contestadas",
    "all": "inclusive pausadas (promessa, contestação ou acordo)",
    "regua_tasks": "com tarefa da régua em aberto",  # régua de cobrança (schema step 3)
    "agreement": "em acordo",  # acordos (schema step 9)
    "agreement_broken": "com acordo quebrado",
}


def normalise_channel(text: str) -> str:
    """Canonical channel name ('whatsapp', 'email', 'E-mail' -> 'E-mail'); InputError if unknown."""
    key = str(text).strip().lower().replace("-", "").replace(" ", "")
    for channel in CHANNELS:
        if channel.lower().replace("-", "") == key:
            return channel
    raise InputError(f"Forma de contato desconhecida: '{cut(text)}'. Use uma destas: {', '.join(CHANNELS)}.")


@dataclass(frozen=True)
class Filter:
    """Which open receivables make a worklist."""

    description: str = ""
    due_today: bool = False
    min_days: int = 1
    max_days: int = MAX_DAYS
    channel: str = "WhatsApp"
    min_balance: Decimal | None = None
    max_balance: Decimal | None = None
    customer_search: str | None = None
    id: int | None = None
    status: str | None = None
    mine: bool = False  # "Minha carteira": only customers assigned to the current analyst

    def validated(self) -> Filter:
        """This filter with normalised fields; InputError (pt-BR) naming the first bad field."""
        description = _as_text(self.description, "A descrição do filtro")
        if not description:
            raise InputError("Informe a descrição do filtro.")
        if len(description) > 100:
            raise InputError("A descrição do filtro pode ter no máximo 100 caracteres.")
        min_days, max_days = _days(self.min_days, "de"), _days(self.max_days, "até")
        if self.due_today:
            min_days = max_days = 0
        if min_days > max_days:
            raise InputError(f"Intervalo inválido: 'de {min_days} dias' é maior que 'até {max_days} dias'.")
        low, high = _money(self.min_balance, "mínimo"), _money(self.max_balance, "máximo")
        if low is not None and high is not None and low > high:
            raise InputError(f"Saldo mínimo {brl(low)} é maior que o saldo máximo {brl(high)}.")
        search = _as_text(self.customer_search, "A busca por cliente") or None
        return replace(
            self, description=description, min_days=min_days, max_days=max_days,
            channel=normalise_channel(self.channel), min_balance=low, max_balance=high, customer_search=search,
            status=_status(self.status), mine=bool(self.mine),
        )

    def describe(self) -> str:
        """Human pt-BR description of what the filter selects."""
        if self.due_today or (self.min_days == 0 and self.max_days == 0):
            parts = ["vencendo hoje"]
        elif self.max_days >= MAX_DAYS:
            parts = [f"vencidas há {self.min_days} dia(s) ou mais" if self.min_days else "vencidas ou vencendo hoje"]
        else:
            parts = [f"vencidas de {self.min_days} a {self.max_days} dias"]
        if self.min_balance is not None:
            parts.append(f"saldo a partir de {brl(self.min_balance)}")
        if self.max_balance is not None:
            parts.append(f"saldo até {brl(self.max_balance)}")
        if self.customer_search:
            parts.append(f"cliente contendo “{self.customer_search}”")
        if self.status:
            parts.append(FILTER_STATUSES.get(self.status, self.status))
        if self.mine:
            parts.append("da minha carteira")
        return ", ".join(parts)

    def as_dict(self) -> dict:
        return asdict(self)


def _as_text(value, label: str) -> str:
    text = "" if value is None else strip_controls(str(value), multiline=False).strip()
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates (a mis-decoded command line or paste): not storable text
        raise InputError(f"{label} contém caracteres inválidos (texto corrompido); digite de novo.") from None
    return text


def _status(value) -> str | None:
    text = _as_text(value, "A situação do filtro").lower()
    if not text:
        return None
    if text not in FILTER_STATUSES:
        raise InputError(f"Situação de filtro desconhecida: '{cut(value)}'. Use uma destas: {', '.join(FILTER_STATUSES)}.")
    return text


def _days(value, label: str) -> int:
    try:
        days = int(value)
    except (TypeError, ValueError, OverflowError) as exc:
        raise InputError(f"Dias '{label}' deve ser um número inteiro, recebido '{value}'.") from exc
    if days < 0:
        raise InputError(f"Dias '{label}' não pode ser negativo (recebido {days}).")
    if days > MAX_DAYS:
        raise InputError(f"Dias '{label}' não pode passar de {MAX_DAYS}.")
    return days


def _money(value, label: str) -> Decimal | None:
    if value is None or str(value).strip() == "":
        return None
    from ..core.money import MAX_AMOUNT, parse_money

    try:
        amount = value if isinstance(value, Decimal) else parse_money(str(value))
    except ValueError as exc:
        raise InputError(f"Saldo {label} inválido: '{cut(value)}' {exc}.") from exc
    if not amount.is_finite() or abs(amount) > MAX_AMOUNT:
        raise InputError(f"Saldo {label} inválido: '{cut(value)}' não é um valor monetário válido.")
    if amount < 0:
        raise InputError(f"Saldo {label} não pode ser negativo.")
    return amount
