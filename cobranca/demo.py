"""Deterministic demonstration data: receivables in the import format and a few logged contacts."""

from __future__ import annotations

import random
import unicodedata
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pandas as pd
from faker import Faker

from .core import clock
from .core import formatting as fmt
from .importer import ImportReport, import_frame
from .importer.headers import FIELDS

# Area codes (DDD) in use in Brazil.
DDDS = (
    11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 22, 24, 27, 28, 31, 32, 33, 34, 35, 37, 38, 41, 42, 43, 44, 45, 46,
    47, 48, 49, 51, 53, 54, 55, 61, 62, 63, 64, 65, 66, 67, 68, 69, 71, 73, 74, 75, 77, 79, 81, 82, 83, 84, 85,
    86, 87, 88, 89, 91, 92, 93, 94, 95, 96, 97, 98, 99,
)
HEADERS = [f.header for f in FIELDS]
DESCRIPTIONS = ("Venda NF {doc}", "Mensalidade {month}", "Serviços prestados", "Venda balcão", "Contrato de manutenção")
COMMENTS = (
    "Cliente prometeu pagar até sexta-feira.",
    "Pediu a segunda via do boleto.",
    "Não atendeu; tentar de novo amanhã.",
    "Informou que o pagamento foi agendado.",
    "Visualizou e não respondeu.",
)
RESPONSIBLES = ("SUPERVISOR", "Ana Paula", "Carlos")


def _mobile(rng: random.Random) -> str:
    return f"({rng.choice(DDDS)}) 9{rng.randint(6, 9)}{rng.randint(0, 999):03d}-{rng.randint(0, 9999):04d}"


def _landline(rng: random.Random) -> str:
    return f"({rng.choice(DDDS)}) {rng.randint(2, 5)}{rng.randint(0, 999):03d}-{rng.randint(0, 9999):04d}"


def _slug(text: str) -> str:
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    words = ["".join(ch for ch in word if ch.isascii() and ch.isalnum()) for word in plain.lower().split()]
    return ".".join([w for w in words if w][:2])


def _customers(fake: Faker, rng: random.Random, count: int) -> list[dict]:
    customers = []
    for i in range(count):
        company = rng.random() < 0.45
        name = fake.company() if company else fake.name()
        customers.append({
            "Código Cliente": str(1001 + i),
            "Cliente": name,
            "CPF/CNPJ": fake.cnpj() if company else fake.cpf(),
            "Celular": _mobile(rng) if rng.random() < 0.9 else "",
            "Telefone": _landline(rng) if rng.random() < 0.4 else "",
            "E-mail": f"{_slug(name) or 'contato'}@{fake.free_email_domain()}" if rng.random() < 0.8 else "",
        })
    return customers


def _money(cents: int) -> str:
    return fmt.number(Decimal(cents) / 100)


def generate(rows: int = 200, seed: int = 1, today: date | None = None) -> pd.DataFrame:
    """`rows` receivables of about rows/5 customers, as text in the import format (pt-BR headers)."""
    today = today or clock.today(ZoneInfo(clock.DEFAULT_TIMEZONE))
    fake = Faker("pt_BR")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    customers = _customers(fake, rng, max(1, rows // 5))
    records: list[dict] = []
    number = 10001
    while len(records) < rows:
        customer = rng.choice(customers)
        count = min(rng.choice((1, 1, 1, 1, 2, 3, 4)), rows - len(records))
        first_due = today + timedelta(days=rng.randint(-120, 30 - 30 * (count - 1)))
        if rng.random() < 0.06:
            first_due = today - timedelta(days=30 * (count - 1))  # last installment due today
        issue = first_due - timedelta(days=30)
        total_cents = rng.randint(5_000, 800_000)
        description = rng.choice(DESCRIPTIONS).format(doc=number, month=issue.strftime("%m/%Y"))
        for installment in range(1, count + 1):
            due = first_due + timedelta(days=30 * (installment - 1))
            amount = total_cents // count
            paid, paid_day = 0, None
            roll = rng.random()
            if due < today and roll < 0.12:
                paid, paid_day = amount, min(due + timedelta(days=rng.randint(0, 10)), today)
            elif due < today and roll < 0.25:
                paid, paid_day = amount * rng.randint(2, 8) // 10, min(due + timedelta(days=rng.randint(0, 15)), today)
            elif due >= today and roll < 0.04:
                paid, paid_day = amount, today
            records.append({
                "Código Cliente": customer["Código Cliente"], "Cliente": customer["Cliente"],
                "CPF/CNPJ": customer["CPF/CNPJ"], "Documento": str(number), "Parcela": str(installment),
                "Emissão": fmt.day(issue), "Vencimento": fmt.day(due), "Valor": _money(amount),
                "Valor Pago": _money(paid), "Data Pagamento": fmt.day(paid_day) if paid_day else "",
                "Celular": customer["Celular"], "Telefone": customer["Telefone"], "E-mail": customer["E-mail"],
                "Histórico": description, "Nosso Número": f"109/{number:06d}{installment:02d}",
            })
        number += 1
    _ensure_due_dates(records, today, rng)
    return pd.DataFrame(records, columns=HEADERS, dtype="str")


def _ensure_due_dates(records: list[dict], today: date, rng: random.Random) -> None:
    """Guarantee an open receivable due today and one that fell due on a weekend (payable next business day)."""
    open_singles = [r for r in records if r["Parcela"] == "1" and r["Valor Pago"] == "0,00"]
    dues = {_parse_day(r["Vencimento"]) for r in records}
    if today not in dues and open_singles:
        rng.choice(open_singles)["Vencimento"] = fmt.day(today)
    if not any(d.weekday() >= 5 and d < today for d in dues) and open_singles:
        saturday = today - timedelta(days=(today.weekday() - 5) % 7 or 7)
        rng.choice(open_singles)["Vencimento"] = fmt.day(saturday)


def load_demo(db, rows: int = 200, seed: int = 1, today: date | None = None) -> tuple[ImportReport, int]:
    """Import `generate(rows, seed)` into `db` (a Cobranca) and log some contacts; returns (report, contacts)."""
    today = today or db.today()
    now = db.now().replace(tzinfo=None)  # company time, as add_contacts reads naive moments
    frame = generate(rows, seed, today)
    report = import_frame(db, frame, source="dados de demonstração")
    rng = random.Random(seed + 7919)
    overdue = [
        r for r in frame.to_dict("records")
        if _parse_day(r["Vencimento"]) < today and r["Valor Pago"] != r["Valor"]
    ]
    picked = rng.sample(overdue, min(len(overdue), max(1, rows // 8))) if overdue else []
    entries = []
    for i, r in enumerate(picked):
        due = _parse_day(r["Vencimento"])
        when = _today_moment(today, rng, now) if i % 3 == 0 else _earlier_moment(today, due, rng)
        channel, to = _channel(r, rng)
        entry = {"document": r["Documento"], "installment": r["Parcela"], "responsible": rng.choice(RESPONSIBLES),
                 "created_at": when, "destination": None, "message": None, "observation": None}
        if channel == "Nenhum" or i % 5 == 4:
            entry.update(channel="Nenhum", observation=rng.choice(COMMENTS))
        else:
            first_name = r["Cliente"].split()[0]
            entry.update(channel=channel, destination=to, message=(
                f"Olá {first_name}, o documento {r['Documento']} venceu em {r['Vencimento']}. "
                "Podemos ajudar com o pagamento?"))
        entries.append(entry)
    if entries:  # one transaction for all of them
        db.contacts.add_many(pd.DataFrame(entries))
    return report, len(entries)


def _parse_day(text: str) -> date:
    d, m, y = (int(p) for p in text.split("/"))
    return date(y, m, d)


def _channel(record: dict, rng: random.Random) -> tuple[str, str | None]:
    options = []
    if record["Celular"]:
        options += [("WhatsApp", record["Celular"])] * 3
    if record["E-mail"]:
        options.append(("E-mail", record["E-mail"]))
    if record["Telefone"] or record["Celular"]:
        options.append(("Telefone", record["Telefone"] or record["Celular"]))
    return rng.choice(options) if options else ("Nenhum", None)


def _today_moment(today: date, rng: random.Random, now: datetime) -> datetime:
    """A time earlier today (never in the future when `today` is the clock's today; `now` naive company time)."""
    if today == now.date():
        start = datetime.combine(today, time(0, 0, 1))
        return max(start, now.replace(microsecond=0) - timedelta(minutes=rng.randint(1, 480)))
    return datetime.combine(today, time(rng.randint(8, 17), rng.randint(0, 59), rng.randint(0, 59)))


def _earlier_moment(today: date, due: date, rng: random.Random) -> datetime:
    back = rng.randint(1, max(1, min(20, (today - due).days)))
    return datetime.combine(today - timedelta(days=back), time(rng.randint(8, 17), rng.randint(0, 59), rng.randint(0, 59)))
