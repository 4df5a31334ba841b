"""The set-wise baixa (CNAB 240 sliced with Arrow, outcomes decided in SQL) against the one-by-one reference:
the strict reader, matching.plan over every receivable, settle() and history_note()."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pyarrow as pa
import pytest
from support.baixa_helpers import balances, make_db
from support.bank_files import BANK_240, cnab240
from support.known import ENGINES
from support.pg_helpers import raw_connection

from cobranca.baixa import cnab, cnab240_table, outcome_table, read, table
from cobranca.baixa.matching import Index, Open, Outcome, plan
from cobranca.baixa.notes import history_note
from cobranca.baixa.numbers import nosso_numero_key
from cobranca.baixa.records import BankFileError, BankRecord
from cobranca.baixa.settle import CREDIT_SQL, credit, settle, settle_sql
from cobranca.store import bank_payments

ENGINES = ENGINES  # every test taking db_path or engine runs on a DuckDB file and on PostgreSQL (see conftest.py)
FIXTURES = Path(__file__).parents[1] / "fixtures" / "bank"
DAY = date(2026, 12, 4)
TITLES = [dict(nosso="11", dv="4", carteira="9", document="NF77", day=DAY, due=date(2026, 12, 1), face="100.00",
               paid="95.00", discount="5.00", fee="1.90", credited=date(2026, 12, 5), interest="0.37"),
          dict(code="09", nosso="12", dv="1", document="NF78", day=DAY, face="10.00"),
          dict(code="02", nosso="", document="000123-02", day=DAY, face="10.00"),
          dict(nosso="0000000", document="77", day=date(2026, 11, 30), paid="1234567.89", rebate="0.11")]


def _same(name: str, data: bytes) -> pa.Table:
    fast = cnab240_table.read(name, data)
    assert fast is not None, "the set-wise reader left a clean file to the strict one"
    strict = cnab.parse(name, data)
    assert table.to_records(fast) == strict
    assert fast.column("record_key").to_pylist() == [r.key for r in strict]
    assert fast.column("nosso_key").to_pylist() == [nosso_numero_key(r.nosso_numero) for r in strict]
    return fast


@pytest.mark.parametrize("end", ["\r\n", "\n"])
@pytest.mark.parametrize("bank", sorted(BANK_240))
def test_the_setwise_reader_reads_every_bank_like_the_strict_one(bank, end):
    _same(f"{bank}.ret", cnab240(bank, TITLES, end=end))


@pytest.mark.parametrize("name", ["caixa_cnab240.ret", "santander_cnab240.ret"])
def test_the_setwise_reader_reads_real_files_like_the_strict_one(name):
    _same(name, (FIXTURES / name).read_bytes())


def test_a_blank_amount_is_zero_in_both():
    data = cnab240("001", TITLES).replace(b"000000000000190", b" " * 15, 1)
    assert table.to_records(_same("001.ret", data))[0].fee == D("0.00")


def test_accented_names_are_sliced_by_character():
    data = bytearray(cnab240("001", TITLES))
    at = data.index(b"\r\n", data.index(b"\r\n") + 2) + 2  # the first segment T
    data[at + 148:at + 158] = "JOSÉ ÇÃO Ü".encode("cp1252")
    (first, *_) = table.to_records(_same("001.ret", bytes(data)))
    assert first.payer_name == "JOSÉ ÇÃO Ü"


UNUSUAL = {
    "tab in a field": lambda d: d.replace(b"NF77 ", b"NF77\t", 1),
    "tab in a field of an accented file": lambda d: d.replace(b"NF77 ", b"NF77\t", 1).replace(b"NF78 ", b"NF\xc978", 1),
    "stray carriage return": lambda d: d.replace(b"NF78 ", b"NF78\r", 1),
    "segment with trailing blanks": lambda d: b"\r\n".join(line + b"   " * (i == 2)
                                                           for i, line in enumerate(d.split(b"\r\n"))),
    "mixed line ends": lambda d: d.replace(b"\r\n", b"\n", 2),
}


@pytest.mark.parametrize("defect", sorted(UNUSUAL))
def test_unusual_but_valid_files_are_left_to_the_strict_reader(defect):
    data = UNUSUAL[defect](cnab240("001", TITLES))
    assert cnab240_table.read("x.ret", data) is None
    assert table.to_records(read.parse_table("x.ret", data, None)) == cnab.parse("x.ret", data)


REFUSED = {
    "letters in an amount": (lambda d: d.replace(b"000000000010000", b"0000000000100O0", 1), "valor do título"),
    "bad date": (lambda d: d.replace(b"04122026", b"31022026", 1), "não é uma data válida"),
    "truncated": (lambda d: b"\r\n".join(line[:200] if i == 3 else line for i, line in enumerate(d.split(b"\r\n"))),
                  "linha 4: o registro tem 200 posições em vez de 240"),
    "no U segment": (lambda d: b"\r\n".join(line for i, line in enumerate(d.split(b"\r\n")) if i != 3),
                     "não é seguido do segmento U"),
    "no trailer": (lambda d: b"\r\n".join(d.split(b"\r\n")[:-3]), "sem o registro trailer"),
}


@pytest.mark.parametrize("defect", sorted(REFUSED))
def test_malformed_files_are_refused_by_the_strict_reader_with_line_and_field(defect, db_path):
    change, words = REFUSED[defect]
    data = change(cnab240("001", TITLES))
    assert cnab240_table.read("x.ret", data) is None
    db = make_db(db_path, [("Ana", "NF77", "1", DAY, "100.00", "0", "11")])
    with pytest.raises(BankFileError, match=words) as info:
        db.baixa.apply([("x.ret", data)])
    assert "x.ret" in str(info.value) and "Nada foi gravado" in str(info.value)
    assert balances(db) == {("NF77", "1"): D("100.00")}


@pytest.mark.parametrize("shape", ["109/00000011-4", "00000011", "11", " 109/0000.0011-4 ", "", "000", "24/0001",
                                   "ABC-1", "²3", "0", "00x0"])
def test_nosso_keys_set_wise_are_nosso_numero_key(shape):
    assert table.nosso_keys(pa.array([shape, "0042"])).to_pylist() == [nosso_numero_key(shape), "42"]


def test_credit_and_settle_in_sql_agree_with_the_python_rule_to_the_cent(engine, request):
    cents = [D(v) for v in ("0.01", "0.99", "1.00", "99.99", "100.00", "100.01", "1234567.89")]
    rows = [(b, p, d, r) for b in cents for p in cents for d in (D("0.00"), D("0.01")) for r in (D("0.00"), D("0.02"))]
    target = request.getfixturevalue("pg_url") if engine == "postgres" else ":memory:"
    with raw_connection(target) as con:
        con.execute("CREATE TABLE x (balance DECIMAL(18,2), paid DECIMAL(18,2), discount DECIMAL(18,2), "
                    "rebate DECIMAL(18,2))")
        con.executemany("INSERT INTO x VALUES (?, ?, ?, ?)", rows)
        sql = settle_sql("balance", "credit")
        got = con.execute(f"SELECT balance, {sql['status']}, {sql['applied']}, {sql['excess']} FROM "  # noqa: S608
                          f"(SELECT balance, {CREDIT_SQL} AS credit FROM x) AS s ORDER BY 1, 2, 3, 4").fetchall()
    want = []
    for balance, paid, discount, rebate in rows:
        done = settle(balance, credit(BankRecord("cnab240", "001", "f", 1, "06", "", True, paid=paid,
                                                 discount=discount, rebate=rebate)))
        want.append((balance, done.status, done.applied, done.excess))
    assert got == sorted(want)


def test_history_notes_set_wise_are_history_note():
    records = [BankRecord("cnab240", "341", "a.ret", 3, "06", "", True, paid=D("10.00"), fee=D("1.50")),
               BankRecord("cnab400", "237", "b.ret", 12, "06", "", True, paid=D("5.00"), discount=D("1.00"),
                          rebate=D("0.25")),
               BankRecord("ofx", "999", "c.ofx", 7, "CREDIT", "", True, paid=D("3.00")),
               BankRecord("cnab240", "001", "a.ret", 5, "02", "", False)]
    outcomes = [Outcome(records[0], "settled", 1, D("8.00"), D("2.00")), Outcome(records[1], "partial", 2, D("6.25")),
                Outcome(records[2], "settled", 3, D("3.00")), Outcome(records[3], "not_payment")]
    decided = outcome_table.decided([0, 1, 2, 3], outcomes)
    rows = table.from_records(records)
    for name in outcome_table.DECIDED.names[1:]:
        rows = rows.append_column(name, decided.column(name))
    assert outcome_table.notes(rows).to_pylist() == [history_note(o) for o in outcomes[:3]] + [None]
    assert outcome_table.to_outcomes(rows) == outcomes


RECEIVABLES = [("Ana", "A1", "1", DAY, "100.00", "0", "11"),  # paid once, whole
               ("Bia", "B1", "1", DAY, "100.00", "0", "0012"),  # paid twice in the run: partial, then settled
               ("Caio", "C1", "1", DAY, "100.00", "0", "13"),  # over-paid
               ("Duda", "D1", "1", DAY, "100.00", "0", "14"),  # two receivables share one nosso número
               ("Duda", "D2", "1", DAY, "50.00", "0", "9/14-1"),
               ("Edu", "E1", "1", DAY, "80.00", "80.00", "15"),  # already paid: a duplicate payment to review
               ("Fábio", "F1", "2", DAY, "70.00", "0", None),  # no nosso número: by the document sent
               ("Gil", "G1", "1", DAY, "60.00", "0", "16"),  # paid by one record that comes twice
               ("Hugo", "H1", "1", DAY, "60.00", "0", "19")]  # a partial payment, alone
PAYMENTS = [dict(nosso="11", document="A1", day=DAY, paid="100.00"),
            dict(nosso="12", day=DAY, paid="40.00"), dict(nosso="12", day=date(2026, 12, 5), paid="70.00"),
            dict(nosso="13", day=DAY, paid="101.37"),
            dict(nosso="14", day=DAY, paid="10.00"),
            dict(nosso="15", day=DAY, paid="80.00"),
            dict(nosso="", document="F1-2", day=DAY, paid="65.00", discount="5.00"),
            dict(nosso="16", day=DAY, paid="59.99"),
            dict(nosso="16", day=DAY, paid="59.99"),  # the same record twice: once
            dict(nosso="99", day=DAY, paid="1.00"),  # no such title
            dict(nosso="17", day=DAY, paid="0.00"),  # a liquidation without a value
            dict(code="02", nosso="18", day=DAY, face="100.00"),  # a registration
            dict(nosso="19", day=DAY, paid="30.00", fee="1.50")]


def _reference(db, files: list[tuple[str, bytes]]) -> list[tuple]:
    """What the one-by-one path decides: strict reader, matching.plan over every receivable."""
    with db._con() as con:
        index = Index(Open(*row) for row in bank_payments.open_receivables(con))
        known = bank_payments.known_keys(con, [r.key for _, data in files for r in cnab.parse("f", data)])
    out = []
    for name, data in files:
        records = cnab.parse(name, data)
        out += plan(records, index, known)
        known |= {r.key for r in records}
    return [_shape(o) for o in out]


def _shape(o: Outcome) -> tuple:
    return (o.record.file, o.record.line, o.status, o.receivable_id, o.applied, o.excess, o.reason)


def test_a_mixed_run_decides_and_applies_exactly_as_the_one_by_one_path(db_path):
    db = make_db(db_path, RECEIVABLES)
    files = [("a.ret", cnab240("001", PAYMENTS)), ("b.ret", cnab240("001", PAYMENTS[:2] + PAYMENTS[7:8]))]
    want = _reference(db, files)
    assert {s[2] for s in want} == {"settled", "partial", "review", "duplicate", "not_payment"}
    report = db.baixa.apply(files)
    assert [_shape(o) for o in report.outcomes()] == want
    assert report.count("duplicate") == 4 and report.count() == len(want)
    got = balances(db)
    assert (got[("A1", "1")], got[("B1", "1")], got[("C1", "1")], got[("G1", "1")]) == (
        D("0.00"), D("0.00"), D("0.00"), D("0.01"))
    assert (got[("D1", "1")], got[("D2", "1")], got[("F1", "2")], got[("H1", "1")]) == (
        D("100.00"), D("50.00"), D("0.00"), D("30.00"))
    assert report.labels[next(o.receivable_id for o in report.outcomes() if o.record.line == 3)] == ("A1", "1")
    again = db.baixa.apply(files)
    assert again.count("duplicate") == len(want) and balances(db) == got
