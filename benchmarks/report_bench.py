"""Benchmark: time to build the PDF report of N receivables with K contacts each (prints a table).

Run: python benchmarks/report_bench.py [--receivables 1000] [--contacts 5] [--db PATH] [--repeat 3] [--bulk]
The database is built through the public API (store.upsert_receivables + register_contact, one contact at a
time, as analysts do; --bulk uses store.add_contacts instead, much faster); it is kept at --db and reused when
it already holds the data (delete it after a schema change).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd
from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cobranca import open_db  # noqa: E402
from cobranca.calendar_br import payable_until  # noqa: E402
from cobranca.report import render_report  # noqa: E402

AS_OF = date(2020, 6, 8)
CHANNELS = ("WhatsApp", "E-mail", "Telefone", "SMS", "Nenhum")
NOTES = (
    None,
    "Visualizou e não respondeu.",
    "Cliente pediu para ligar na próxima semana; disse que o pagamento depende de um recebimento.",
    "Prometeu pagar até sexta-feira. Enviado boleto atualizado por e-mail com multa e juros.",
)


def receivables(n: int) -> pd.DataFrame:
    rng = random.Random(42)
    rows = []
    for i in range(n):
        due = AS_OF - timedelta(days=rng.randint(0, 200))
        code = str(i % max(1, n // 3))
        rows.append({
            "customer_key": f"code:{code}", "customer_code": code,
            "customer": f"Cliente Benchmark {code} Comércio de Materiais Ltda", "tax_id": None,
            "mobile": "11987654321", "phone": None, "email": f"cliente{code}@example.com",
            "document": f"B{i:05d}", "installment": "1", "issue_date": None, "due_date": due,
            "payable_until": payable_until(due), "amount": f"{rng.randint(1000, 500000) / 100:.2f}",
            "paid_amount": "0", "paid_date": None, "description": f"Venda {i} — pedido {i * 7}",
        })
    return pd.DataFrame(rows)


def contact_entries(n: int, k: int) -> list[dict]:
    rng = random.Random(7)
    entries = []
    for i in range(n):
        for j in range(k):
            channel = rng.choice(CHANNELS)
            note = rng.choice(NOTES)
            if channel == "Nenhum" and note is None:
                note = "Comentário do analista."
            entries.append({
                "document": f"B{i:05d}", "installment": "1", "channel": channel, "responsible": "BENCH",
                "destination": None, "message": "Olá! Sua conta está em aberto.", "observation": note,
                "created_at": datetime(2020, 6, 1, 8, 0) + timedelta(minutes=j),
            })
    return entries


def build_db(path: Path, n: int, k: int, bulk: bool) -> None:
    db = open_db(path)
    counts = db.store.counts()
    if counts["receivables"] == n and counts["contacts"] == n * k:
        print(f"reusing {path} ({n} receivables, {n * k} contacts)")
        return
    if counts["receivables"] or counts["contacts"]:
        sys.exit(f"{path} holds other data ({counts}); pass another --db")
    db.store.upsert_receivables(receivables(n))
    entries = contact_entries(n, k)
    started = time.perf_counter()
    if bulk:
        db.store.add_contacts(pd.DataFrame(entries))
    else:
        for e in tqdm(entries, desc="register_contact", unit="contato"):
            db.register_contact(e["document"], e["installment"], e["channel"], message=e["message"],
                                observation=e["observation"], by=e["responsible"], at=e["created_at"])
    print(f"built {path} in {time.perf_counter() - started:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--receivables", type=int, default=1000)
    parser.add_argument("--contacts", type=int, default=5)
    parser.add_argument("--db", type=Path, default=Path("/tmp/cobranca-report-bench.duckdb"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, help="also write the PDF here")
    parser.add_argument("--bulk", action="store_true", help="build the contacts with store.add_contacts")
    args = parser.parse_args()

    build_db(args.db, args.receivables, args.contacts, args.bulk)
    db = open_db(args.db)
    rows = []
    for run in range(1, args.repeat + 1):
        started = time.perf_counter()
        rendered = render_report(db, None, AS_OF, responsible="BENCH")
        seconds = time.perf_counter() - started
        rows.append((run, seconds, rendered.pages, len(rendered.pdf)))
    if args.out:
        args.out.write_bytes(rendered.pdf)

    print(f"\nreport of {args.receivables} receivables x {args.contacts} contacts")
    print(f"{'run':>3}  {'seconds':>8}  {'pages':>6}  {'pages/s':>8}  {'size (KiB)':>10}")
    for run, seconds, pages, size in rows:
        print(f"{run:>3}  {seconds:>8.2f}  {pages:>6}  {pages / seconds:>8.1f}  {size / 1024:>10.0f}")
    best = min(rows, key=lambda r: r[1])
    print(f"best: {best[1]:.2f} s, {best[2] / best[1]:.1f} pages/s")


if __name__ == "__main__":
    main()
