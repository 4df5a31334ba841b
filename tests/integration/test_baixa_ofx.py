"""OFX statements as Brazilian banks export them: SGML without closing tags, Windows-1252, a FITID twice; credits
matched by the Pix txid cobranca issued, else by exact amount (balance or updated amount) and payer."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from support.baixa_helpers import balances, count, make_db

from cobranca.baixa import ofx
from cobranca.baixa.records import BankFileError

STATEMENT = Path(__file__).parents[1] / "fixtures" / "bank" / "extrato_itau.ofx"
TZ = ZoneInfo("America/Sao_Paulo")
ROWS = [("CompuFour Software", "144", "1", date(2026, 11, 20), "1000.00", "0", None),
        ("Maria Conceição", "A7", "1", date(2026, 11, 30), "250.00", "0", None, "898.168.483-92"),
        ("Outra Maria", "A8", "1", date(2026, 11, 30), "250.00", "0", None, "111.444.777-35"),
        ("Zé", "B1", "1", date(2026, 12, 10), "89.90", "0", None),
        ("Bia", "B2", "1", date(2026, 12, 10), "89.90", "0", None),
        ("Padaria Pão Quente", "C1", "1", date(2026, 11, 1), "100.00", "0", None)]


def test_the_statement_is_read_with_its_accents_and_each_fitid_once():
    credits = ofx.parse("extrato_itau.ofx", STATEMENT.read_bytes(), TZ)
    assert [c.fitid for c in credits] == ["20261203001", "20261204001", "20261204002", "20261205001"]
    assert [c.paid for c in credits] == [D("1000.00"), D("250.00"), D("89.90"), D("103.10")]
    assert credits[1].description == "PIX RECEBIDO 898.168.483-92 Conceição Ações"
    assert credits[1].payer_tax_id == "89816848392" and credits[1].occurred_on == date(2026, 12, 4)
    assert credits[0].bank == "341" and credits[0].account == "56789-0"


def test_credits_are_matched_by_txid_by_payer_and_by_updated_amount(db_path):
    db = make_db(db_path, ROWS)
    report = db.baixa.apply([STATEMENT])
    got = balances(db)
    assert got[("144", "1")] == 0  # txid 144P1 in the memo
    assert got[("A7", "1")] == 0 and got[("A8", "1")] == D("250.00")  # same amount, the CPF decides
    assert got[("B1", "1")] == got[("B2", "1")] == D("89.90")  # two receivables of 89,90: never guessed
    assert got[("C1", "1")] == 0  # 100,00 + 2% fine + 33 days of 1% a month = 103,10 on 04/12
    (review,) = report.outcomes("review")
    assert review.reason == "2 contas com este valor (B1/1, B2/1): escolha a conta"
    c1 = next(o for o in report.outcomes("settled") if o.record.fitid == "20261205001")
    assert (c1.applied, c1.excess) == (D("100.00"), D("3.10"))
    entries = db.contacts.history("144")
    assert "extrato OFX" in entries[entries["kind"] == "payment"]["observation"].iloc[0]


def test_a_pix_without_txid_or_payer_and_a_unique_amount_is_applied(db_path):
    db = make_db(db_path, [("Ana", "Z1", "1", date(2026, 11, 30), "77.70", "0", None)])
    data = STATEMENT.read_bytes().replace(b"250,00", b"77,70").replace(b"898.168.483-92 ", b"")
    db.baixa.apply([("extrato.ofx", data)])
    assert balances(db)[("Z1", "1")] == 0


def test_the_same_statement_again_changes_nothing(db_path):
    db = make_db(db_path, ROWS)
    db.baixa.apply([STATEMENT])
    before = (balances(db), count(db, "bank_records"))
    again = db.baixa.apply([STATEMENT])
    assert len(again.outcomes("duplicate")) == 4 and (balances(db), count(db, "bank_records")) == before


def test_a_truncated_or_malformed_statement_is_refused_whole(db_path):
    db = make_db(db_path, ROWS)
    data = STATEMENT.read_bytes()
    with pytest.raises(BankFileError, match=r"extrato.ofx não foi aplicado, linha \d+: o extrato termina antes"):
        db.baixa.apply([("extrato.ofx", data[: len(data) // 2])])
    bad = data.replace(b"<TRNAMT>89.90", b"<TRNAMT>89.9O")
    with pytest.raises(BankFileError) as info:
        db.baixa.apply([("extrato.ofx", bad)])
    line = next(n for n, text in enumerate(bad.decode("cp1252").splitlines(), 1) if "89.9O" in text)
    assert f"linha {line}, campo TRNAMT" in str(info.value)
    assert count(db, "bank_records") == 0
