"""CNAB 240 (segments T and U) and CNAB 400 return files: detected from the file, read strictly, all or nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from .layouts import (
    BANK_NAMES,
    LAYOUTS_240,
    LAYOUTS_400,
    U_CREDITED,
    U_DISCOUNT,
    U_INTEREST,
    U_OCCURRED,
    U_PAID,
    U_REBATE,
    Layout240,
    Layout400,
    Span,
)
from .occurrences import describe
from .records import BankRecord, file_error


class _Lines:
    """The file's records with their line numbers, and the strict field readers that name what is wrong."""

    def __init__(self, name: str, data: bytes):
        self.name = name
        text = data.decode("cp1252", errors="replace").lstrip("\ufeff").rstrip("\x1a")
        self.rows = [(n, raw.rstrip("\r")) for n, raw in enumerate(text.split("\n"), start=1)]
        while self.rows and not self.rows[-1][1].strip(" \x1a"):
            self.rows.pop()
        self._days: dict[str, date | None] = {}

    def text(self, line: str, span: Span | None) -> str:
        return "" if span is None else line[span[0] - 1:span[1]].strip()

    def number(self, n: int, line: str, span: Span, label: str) -> int:
        raw = line[span[0] - 1:span[1]]
        if raw.isdigit():  # the common case first: a file has hundreds of thousands of these
            return int(raw)
        if not raw.strip():
            return 0
        if not raw.strip().isdigit():
            raise file_error(self.name, n, f"{label} (posições {span[0]}-{span[1]})",
                             f"'{raw.strip()}' não é um número")
        return int(raw)

    def money(self, n: int, line: str, span: Span, label: str) -> Decimal:
        raw = line[span[0] - 1:span[1]]
        if raw.isdigit():
            return Decimal(raw).scaleb(-2)
        return Decimal(self.number(n, line, span, label)).scaleb(-2)

    def day(self, n: int, line: str, span: Span, label: str) -> date | None:
        raw = line[span[0] - 1:span[1]]
        if raw in self._days:
            return self._days[raw]
        found = self._day(n, raw.strip(), span, label)
        if label[-1:] != "*":  # dates repeat: a file has a handful of distinct days
            self._days[raw] = found
        return found

    def _day(self, n: int, raw: str, span: Span, label: str) -> date | None:
        if not raw or set(raw) == {"0"}:
            return None
        width = span[1] - span[0] + 1
        try:
            if not raw.isdigit() or len(raw) != width:
                raise ValueError
            if width == 8 and label.endswith("*"):  # YYYYMMDD (Sicredi's credit date)
                return date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
            if width == 8:
                return date(int(raw[4:]), int(raw[2:4]), int(raw[:2]))
            year = int(raw[4:])
            return date(2000 + year if year < 70 else 1900 + year, int(raw[2:4]), int(raw[:2]))
        except ValueError:
            fmt = "AAAAMMDD" if label.endswith("*") else ("DDMMAAAA" if width == 8 else "DDMMAA")
            raise file_error(self.name, n, f"{label.rstrip('*')} (posições {span[0]}-{span[1]})",
                             f"'{raw}' não é uma data válida ({fmt})") from None


def detect(name: str, data: bytes, lines: _Lines | None = None) -> tuple[str, str]:
    """(layout, bank) of a return file; refuses by name a remittance, an unknown layout or bank."""
    lines = lines or _Lines(name, data)
    return detect_first(name, lines.rows[0][1] if lines.rows else None)


def detect_first(name: str, first: str | None) -> tuple[str, str]:
    """detect() on the file's first line (None: an empty file)."""
    if first is None:
        raise file_error(name, None, None, "o arquivo está vazio")
    if len(first) == 400 and first[:1] == "0":
        if first[1:2] != "2":
            raise file_error(name, 1, "tipo de operação (posição 2)", "é um arquivo de remessa, não de retorno")
        layout, bank = "cnab400", first[76:79]
    elif len(first) == 240 and first[7:8] == "0":
        if first[142:143] != "2":
            raise file_error(name, 1, "código remessa/retorno (posição 143)", "é um arquivo de remessa, não de retorno")
        layout, bank = "cnab240", first[0:3]
    else:
        raise file_error(name, 1, None, f"não é um retorno CNAB 240 nem CNAB 400 (a linha 1 tem {len(first)} "
                                        "posições e não é um registro header)")
    known = LAYOUTS_400 if layout == "cnab400" else LAYOUTS_240
    if bank not in known:
        words = first[79:94].strip() if layout == "cnab400" else first[102:132].strip()
        supported = ", ".join(f"{code} {label}" for code, label in BANK_NAMES.items())
        raise file_error(name, 1, "código do banco", f"o banco {bank} ({words or 'sem nome'}) não é suportado "
                                                      f"no {layout.upper()}; bancos suportados: {supported}")
    return layout, bank


def parse(name: str, data: bytes) -> list[BankRecord]:
    """Every title record of a CNAB 240 or 400 return file; BankFileError (nothing read) on any defect."""
    lines = _Lines(name, data)
    layout, bank = detect(name, data, lines)
    width = 400 if layout == "cnab400" else 240
    lines.rows = [(n, line[:width] if not line[width:].strip() else line) for n, line in lines.rows]
    for n, line in lines.rows:
        if len(line) != width:
            raise file_error(name, n, None, f"o registro tem {len(line)} posições em vez de {width} "
                                            "(arquivo truncado ou corrompido)")
    last = lines.rows[-1][1]
    if (last[:1] if layout == "cnab400" else last[7:8]) != "9":
        raise file_error(name, lines.rows[-1][0], None, "o arquivo termina sem o registro trailer (9): está "
                                                        "incompleto")
    if layout == "cnab400":
        return _parse_400(lines, bank, LAYOUTS_400[bank])
    return _parse_240(lines, bank, LAYOUTS_240[bank])


def _nosso(lines: _Lines, line: str, nosso: Span, check: Span | None, carteira: Span | None) -> str:
    number = lines.text(line, nosso)
    if not number.strip("0"):
        return ""
    dv = lines.text(line, check)
    cart = lines.text(line, carteira)
    return (f"{cart}/" if cart else "") + number + (f"-{dv}" if dv else "")


def _parse_400(lines: _Lines, bank: str, lay: Layout400) -> list[BankRecord]:
    out = []
    for n, line in lines.rows[1:-1]:
        kind = line[:1]
        if kind not in lay.record_types:
            continue  # type 2-5 records (messages, Pix, rateio) say nothing about what was paid
        code = f"{lines.number(n, line, lay.occurrence, 'código de ocorrência'):02d}"
        words, is_payment = describe("cnab400", bank, code)
        fee = lines.money(n, line, lay.fee, "valor da tarifa")
        paid = lines.money(n, line, lay.paid, "valor pago")
        occurred = lines.day(n, line, lay.occurred, "data de ocorrência")
        if occurred is None:
            raise file_error(lines.name, n, f"data de ocorrência (posições {lay.occurred[0]}-{lay.occurred[1]})",
                             "está vazia")
        credited_label = "data de crédito*" if bank == "748" else "data de crédito"
        out.append(BankRecord(
            source="cnab400", bank=bank, file=lines.name, line=n, occurrence=code, description=words,
            is_payment=is_payment,
            nosso_numero=_nosso(lines, line, lay.nosso_by_type.get(kind, lay.nosso),
                                None if kind in lay.nosso_by_type else lay.check_digit, lay.carteira),
            document=lines.text(line, lay.document), occurred_on=occurred,
            credited_on=lines.day(n, line, lay.credited, credited_label),
            face_amount=lines.money(n, line, lay.face, "valor do título"),
            paid=paid + fee if lay.paid_is_net and paid else paid,
            interest=lines.money(n, line, lay.interest, "juros de mora"),
            discount=lines.money(n, line, lay.discount, "valor do desconto"),
            rebate=lines.money(n, line, lay.rebate, "valor do abatimento"), fee=fee,
        ))
        lines.day(n, line, lay.due, "data de vencimento")  # checked: a bad date means a bad file
    return out


def _parse_240(lines: _Lines, bank: str, lay: Layout240) -> list[BankRecord]:
    out = []
    rows = lines.rows
    i = 0
    while i < len(rows):
        n, line = rows[i]
        i += 1
        if line[7:8] != "3" or line[13:14] != "T":
            continue
        if i >= len(rows) or rows[i][1][7:8] != "3" or rows[i][1][13:14] != "U":
            raise file_error(lines.name, n, "segmento (posição 14)", "o segmento T não é seguido do segmento U")
        un, u = rows[i]
        i += 1
        code = f"{lines.number(n, line, (16, 17), 'código de movimento'):02d}"
        words, is_payment = describe("cnab240", bank, code)
        occurred = lines.day(un, u, U_OCCURRED, "data de ocorrência")
        if occurred is None:
            raise file_error(lines.name, un, "data de ocorrência (posições 138-145)", "está vazia")
        lines.day(n, line, lay.due, "data de vencimento")
        out.append(BankRecord(
            source="cnab240", bank=bank, file=lines.name, line=n, occurrence=code, description=words,
            is_payment=is_payment, nosso_numero=_nosso(lines, line, lay.nosso, lay.check_digit, lay.carteira),
            document=lines.text(line, lay.document), occurred_on=occurred,
            credited_on=lines.day(un, u, U_CREDITED, "data de crédito"),
            face_amount=lines.money(n, line, lay.face, "valor do título"),
            paid=lines.money(un, u, U_PAID, "valor pago"),
            interest=lines.money(un, u, U_INTEREST, "juros/multa/encargos"),
            discount=lines.money(un, u, U_DISCOUNT, "valor do desconto"),
            rebate=lines.money(un, u, U_REBATE, "valor do abatimento"),
            fee=lines.money(n, line, lay.fee, "valor da tarifa"),
            payer_tax_id=lines.text(line, lay.payer_tax_id).lstrip("0"),
            payer_name=lines.text(line, lay.payer_name),
        ))
    return out
