"""Demo data: deterministic, valid Brazilian contact data and ids, round-trips through the importer."""

from __future__ import annotations

import io
from datetime import date, timedelta

import phonenumbers
import pytest
from email_validator import validate_email
from support.known import clock_today

from cobranca import open_db
from cobranca.cli import main
from cobranca.core.calendar import parse_date
from cobranca.core.money import parse_money
from cobranca.core.taxid import parse_tax_id
from cobranca.demo import generate, load_demo
from cobranca.importer.headers import FIELDS

TODAY = date(2024, 3, 13)  # a Wednesday


@pytest.fixture(scope="module")
def frame():
    return generate(rows=300, seed=7, today=TODAY)


def test_same_seed_same_data_and_other_seed_differs(frame):
    assert generate(rows=300, seed=7, today=TODAY).equals(frame)
    assert not generate(rows=300, seed=8, today=TODAY).equals(frame)


def test_shape_and_headers(frame):
    assert list(frame.columns) == [f.header for f in FIELDS]
    assert len(frame) == 300
    assert 45 <= frame["Código Cliente"].nunique() <= 60  # about rows / 5 customers
    assert (frame.groupby("Documento")["Parcela"].count() > 1).sum() >= 5


def test_contact_data_and_tax_ids_are_valid(frame):
    mobiles = frame.loc[frame["Celular"] != "", "Celular"]
    assert len(mobiles) > 200
    for text in mobiles.unique():
        number = phonenumbers.parse(text, "BR")
        assert phonenumbers.is_valid_number(number), text
        assert phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE, text
    for text in frame.loc[frame["Telefone"] != "", "Telefone"].unique():
        assert phonenumbers.is_valid_number(phonenumbers.parse(text, "BR")), text
    for text in frame["CPF/CNPJ"].unique():
        assert len(parse_tax_id(text)) in (11, 14)
    assert {len(parse_tax_id(t)) for t in frame["CPF/CNPJ"]} == {11, 14}
    for text in frame.loc[frame["E-mail"] != "", "E-mail"].unique():
        validate_email(text, check_deliverability=False)


def test_due_dates_amounts_and_payments(frame):
    due = frame["Vencimento"].map(parse_date)
    offsets = due.map(lambda d: (d - TODAY).days)
    assert offsets.min() >= -120 - 90 and offsets.max() <= 30
    assert offsets.min() <= -90 and offsets.max() >= 15
    assert (due == TODAY).any()
    assert due.map(lambda d: d.weekday() >= 5 and d < TODAY).any()
    amount = frame["Valor"].map(parse_money)
    paid = frame["Valor Pago"].map(parse_money)
    assert (amount > 0).all() and (paid <= amount).all()
    assert (paid == amount).sum() >= 10  # fully paid
    assert ((paid > 0) & (paid < amount)).sum() >= 10  # partial payments
    assert (frame.loc[paid > 0, "Data Pagamento"] != "").all()


def test_generated_csv_round_trips_through_the_importer(frame, tmp_path):
    db = open_db(tmp_path / "demo.duckdb")
    buffer = io.StringIO()
    frame.to_csv(buffer, sep=";", index=False)
    report = db.receivables.import_bytes(buffer.getvalue().encode("utf-8"), "demo.csv")
    assert (report.rows_read, report.inserted, report.skipped) == (300, 300, [])


def test_load_demo_imports_and_logs_contacts(tmp_path):
    db = open_db(tmp_path / "demo.duckdb")
    today = clock_today()
    report, contacts = load_demo(db, rows=200, seed=1)
    assert report.inserted == 200 and contacts >= 20
    counts = db.receivables.counts()
    assert counts["receivables"] == 200 and counts["contacts"] == contacts
    history = db.contacts.histories(list(db.receivables.keys()["receivable_id"]))
    assert {"WhatsApp", "Nenhum"} <= set(history["channel"])
    days = history["created_at"].dt.date
    assert (days == today).any() and (days < today).any()
    worklist = db.worklists.rows(as_of=today)
    assert worklist["contacted_today"].any()
    assert (worklist["days_overdue"] > 60).any() and (worklist["days_overdue"] == 0).any()


def test_cli_demo_if_empty(tmp_path, capsys):
    path = tmp_path / "demo.duckdb"
    assert main(["demo", "--db", str(path), "--rows", "50", "--seed", "3"]) == 0
    out = capsys.readouterr().out
    assert "50 contas novas" in out and "contatos registrados" in out
    assert main(["demo", "--db", str(path), "--if-empty"]) == 0
    assert "Nada a fazer" in capsys.readouterr().out
    assert open_db(path).receivables.counts()["receivables"] == 50
    assert main(["demo", "--db", str(path)]) == 2
    assert "só são carregados num banco vazio" in capsys.readouterr().err


def test_demo_dates_follow_today():
    later = generate(rows=50, seed=1, today=TODAY + timedelta(days=10))
    assert not later.equals(generate(rows=50, seed=1, today=TODAY))
