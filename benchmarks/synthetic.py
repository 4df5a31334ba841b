"""Deterministic synthetic receivables: N rows over N/5 customers, due dates over two years, some paid."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

HEADERS = {
    "customer_code": "Código Cliente", "customer": "Cliente", "tax_id": "CPF/CNPJ", "document": "Documento",
    "installment": "Parcela", "issue_date": "Emissão", "due_date": "Vencimento", "amount": "Valor",
    "paid_amount": "Valor Pago", "paid_date": "Data Pagamento", "mobile": "Celular", "phone": "Telefone",
    "email": "E-mail", "description": "Histórico",
}


def synthetic_frame(size: int, today: date, seed: int = 42) -> pd.DataFrame:
    """Receivables in the importer's field names; amounts as pt-BR text, dates dd/mm/yyyy."""
    rng = np.random.default_rng(seed)
    customers = max(1, size // 5)
    cust = rng.integers(0, customers, size)
    offsets = rng.integers(-640, 90, size)  # due from ~21 months ago to 3 months ahead
    due = np.array([today + timedelta(days=int(o)) for o in range(-640, 90)])[offsets + 640]
    cents = rng.integers(1_000, 5_000_000, size)
    paid_kind = rng.random(size)
    paid_cents = np.where(paid_kind < 0.25, cents, np.where(paid_kind < 0.35, cents // 3, 0))
    frame = pd.DataFrame({
        "customer_code": cust.astype(str),
        "customer": pd.Series(cust).map(lambda c: f"Cliente Sintético {c:07d} Ltda"),
        "tax_id": "",
        "document": pd.Series(np.arange(size)).map(lambda i: f"NF{i // 3:08d}"),
        "installment": (np.arange(size) % 3 + 1).astype(str),
        "issue_date": "",
        "due_date": [d.strftime("%d/%m/%Y") for d in due],
        "amount": [_br(c) for c in cents],
        "paid_amount": [_br(c) for c in paid_cents],
        "paid_date": "",
        "mobile": pd.Series(cust).map(lambda c: f"({11 + c % 89:02d}) 9{c % 10000:04d}-{(c * 7) % 10000:04d}"),
        "phone": "",
        "email": pd.Series(cust).map(lambda c: f"cliente{c}@exemplo.com.br"),
        "description": "Venda a prazo",
    })
    return frame


def _br(cents: int) -> str:
    reais, cent = divmod(int(cents), 100)
    return f"{reais:,}".replace(",", ".") + f",{cent:02d}"


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """The ERP-style export: `;`-separated, UTF-8, pt-BR headers."""
    frame.rename(columns=HEADERS).to_csv(path, sep=";", index=False)
    return path
