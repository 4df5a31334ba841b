"""One bank record (a CNAB detail or an OFX credit) as read, before it is matched or applied."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ..core.errors import InputError

ZERO = Decimal("0.00")


class BankFileError(InputError):
    """A return file or statement that cannot be read; nothing of it is applied."""


def file_error(file: str, line: int | None, field: str | None, problem: str) -> BankFileError:
    """The pt-BR refusal naming the file, the line and the field, and what to do."""
    where = f", linha {line}" if line is not None else ""
    what = f", campo {field}" if field else ""
    return BankFileError(
        f"O arquivo {file} não foi aplicado{where}{what}: {problem}. Nada foi gravado; "
        "peça ao banco o arquivo de retorno completo (ou baixe de novo) e aplique outra vez."
    )


@dataclass(frozen=True, slots=True)
class BankRecord:
    """What one record of a bank file says about one title (amounts as Decimal, in reais)."""

    source: str  # cnab240, cnab400 or ofx
    bank: str  # FEBRABAN code ('341'); for OFX the statement's bank id
    file: str
    line: int
    occurrence: str  # the bank's code ('06'); 'CREDIT' for OFX
    description: str  # the bank's own words for the code
    is_payment: bool
    nosso_numero: str = ""
    document: str = ""  # seu número / número do documento
    occurred_on: date | None = None
    credited_on: date | None = None
    face_amount: Decimal = ZERO
    paid: Decimal = ZERO  # what the customer paid, fine/interest included, discounts excluded
    interest: Decimal = ZERO  # juros + multa paid
    discount: Decimal = ZERO
    rebate: Decimal = ZERO  # abatimento
    fee: Decimal = ZERO  # tarifa: the company's cost
    payer_name: str = ""
    payer_tax_id: str = ""
    txid: str = ""
    fitid: str = ""
    account: str = ""
    key: str = field(init=False, default="", compare=False)  # set once below (a file has 200,000 of them)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", record_key(self))

    @property
    def paid_on(self) -> date | None:
        """The payment's day: the occurrence (payment) date, else the credit date."""
        return self.occurred_on or self.credited_on


def record_key(record: BankRecord) -> str:
    """One key per bank record: re-applying a file finds it and changes nothing."""
    if record.source == "ofx":
        return f"ofx|{record.bank}|{record.account}|{record.fitid}"
    from .numbers import nosso_numero_key

    day = record.occurred_on.isoformat() if record.occurred_on else ""
    ident = nosso_numero_key(record.nosso_numero) or f"doc:{record.document.strip()}"
    return f"{record.source}|{record.bank}|{ident}|{record.occurrence}|{day}|{record.paid}"
