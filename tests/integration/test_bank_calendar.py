"""The bank's calendar (CMN Res. 4.880/2020): weekends, national holidays, Carnival Monday and Tuesday, and the
company's local holidays by setting; stored payable-until dates follow it (import, setting change, migration)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from support.known import ENGINES
from support.pg_helpers import raw_connection

from cobranca import open_db
from cobranca.core.calendar import BankCalendar, is_business_day, parse_local_dates, parse_region, payable_until
from cobranca.core.errors import InputError
from cobranca.receivables.rules import ChargeRules, charges
from cobranca.store import schema

SP, RJ = BankCalendar(region="SP"), BankCalendar(region="RJ")


ENGINES = ENGINES  # every test here runs on a DuckDB file and on PostgreSQL (see conftest.py)

@pytest.mark.parametrize("due, until", [
    (date(2024, 2, 12), date(2024, 2, 14)),  # Carnival Monday 2024 -> Ash Wednesday
    (date(2024, 2, 13), date(2024, 2, 14)),  # Carnival Tuesday 2024
    (date(2024, 2, 10), date(2024, 2, 14)),  # the Saturday before Carnival
    (date(2025, 3, 3), date(2025, 3, 5)),  # Carnival Monday 2025
    (date(2025, 3, 4), date(2025, 3, 5)),  # Carnival Tuesday 2025
    (date(2024, 3, 29), date(2024, 4, 1)),  # Good Friday 2024
    (date(2025, 4, 18), date(2025, 4, 22)),  # Good Friday 2025, then Tiradentes on Monday
    (date(2025, 6, 19), date(2025, 6, 19)),  # Corpus Christi: a business day nationally
    (date(2023, 11, 20), date(2023, 11, 20)),  # 20 November: not national in 2023
    (date(2024, 11, 20), date(2024, 11, 21)),  # national since 2024
    (date(2025, 7, 9), date(2025, 7, 9)),  # São Paulo's 9 July: business day without the setting
    (date(2025, 3, 5), date(2025, 3, 5)),  # Ash Wednesday is a business day (banks open at noon)
])
def test_payable_until_on_real_dates(due, until):
    assert payable_until(due) == until


def test_state_and_municipal_holidays_with_the_setting():
    assert SP.payable_until(date(2025, 7, 9)) == date(2025, 7, 10)  # Revolução Constitucionalista
    assert RJ.payable_until(date(2025, 4, 23)) == date(2025, 4, 24)  # São Jorge
    assert SP.payable_until(date(2025, 4, 23)) == date(2025, 4, 23)
    capital = BankCalendar(region=parse_region("são paulo capital"))
    assert capital.payable_until(date(2025, 6, 19)) == date(2025, 6, 20)  # Corpus Christi, local there
    assert capital.payable_until(date(2023, 11, 20)) == date(2023, 11, 21)  # municipal before it was national
    own = BankCalendar(extra=parse_local_dates("25/01, 09/07, corpus christi, 02/01/2026"))
    assert own.payable_until(date(2024, 1, 25)) == date(2024, 1, 26)
    assert own.payable_until(date(2025, 6, 19)) == date(2025, 6, 20)
    assert own.payable_until(date(2026, 1, 2)) == date(2026, 1, 5)  # one year only
    assert own.payable_until(date(2027, 1, 2)) == date(2027, 1, 4)  # (a Saturday)
    assert not is_business_day(date(2024, 2, 13)) and not SP.is_business_day(date(2025, 7, 9))


def test_local_holidays_are_holidays_for_contact_but_carnival_is_not():
    assert SP.is_holiday(date(2025, 7, 9)) and not SP.is_holiday(date(2025, 3, 4))
    assert RJ.is_holiday(date(2025, 3, 4))  # Carnival Tuesday is a state holiday in Rio de Janeiro
    assert BankCalendar().is_holiday(date(2025, 12, 25)) and not BankCalendar().is_holiday(date(2025, 7, 9))


@pytest.mark.parametrize("text", ["XX", "Narnia", "São Paulo do Norte"])
def test_an_unknown_region_is_refused(text):
    with pytest.raises(ValueError, match="não é um estado"):
        parse_region(text)


@pytest.mark.parametrize("text", ["32/01", "29/13", "01/01/1800", "amanhã", "25-01", "31/02"])
def test_bad_local_dates_are_refused(text):
    with pytest.raises(ValueError):
        parse_local_dates(text)


def test_region_names_and_codes():
    assert parse_region(" rj ") == "RJ" == parse_region("Rio de Janeiro") and parse_region("") == ""
    assert str(parse_local_dates(" 9/7 ; 25/01,corpus Christi ")) == "09/07, 25/01, corpus christi"


def test_carnival_tuesday_paid_on_ash_wednesday_is_on_time_without_fine():
    rules = ChargeRules()
    on_time = charges(Decimal("1000.00"), Decimal(0), date(2025, 3, 4), date(2025, 3, 5), rules)
    assert (on_time.days_overdue, on_time.fine, on_time.interest) == (0, Decimal("0.00"), Decimal("0.00"))
    late = charges(Decimal("1000.00"), Decimal(0), date(2025, 3, 4), date(2025, 3, 6), rules)
    assert (late.days_overdue, late.fine) == (2, Decimal("20.00"))


CSV = ("Cliente;Documento;Vencimento;Valor\n"
       "Ana;CARNAVAL;13/02/2024;1.000,00\nBia;SP;09/07/2025;1.000,00\nCaio;COMUM;08/07/2025;1.000,00\n")


def _import(db, tmp_path) -> None:
    path = tmp_path / "contas.csv"
    path.write_text(CSV, encoding="utf-8")
    db.receivables.import_file(path)


def _stored(path) -> dict:
    with raw_connection(path) as con:
        return dict(con.execute("SELECT document, payable_until FROM receivables").fetchall())


def test_worklist_on_ash_wednesday_shows_no_days_overdue_and_no_fine(db_path, tmp_path):
    db = open_db(db_path)
    _import(db, tmp_path)
    row = db.worklists.rows(None, date(2024, 2, 14)).set_index("document").loc["CARNAVAL"]
    assert (row["payable_until"], row["days_overdue"], row["fine"]) == (date(2024, 2, 14), 0, Decimal("0.00"))
    row = db.worklists.rows(None, date(2024, 2, 15)).set_index("document").loc["CARNAVAL"]
    assert (row["days_overdue"], row["fine"]) == (2, Decimal("20.00"))


def test_changing_the_region_recomputes_every_stored_payable_until(db_path, tmp_path):
    db = open_db(db_path)
    _import(db, tmp_path)
    assert _stored(db_path)["SP"] == date(2025, 7, 9)
    db.settings.set("holiday_region", "sp")
    assert db.settings.all()["holiday_region"] == "SP"
    assert _stored(db_path) == {"CARNAVAL": date(2024, 2, 14), "SP": date(2025, 7, 10), "COMUM": date(2025, 7, 8)}
    assert db.worklists.rows(None, date(2025, 7, 10)).set_index("document").loc["SP"]["days_overdue"] == 0
    db.settings.set("holiday_region", "")
    assert _stored(db_path)["SP"] == date(2025, 7, 9)
    db.settings.set("holiday_extra", "08/07")
    assert _stored(db_path)["COMUM"] == date(2025, 7, 9)  # 8 July a local holiday, 9 July a business day again
    db.settings.set("holiday_region", "SP")
    assert _stored(db_path)["COMUM"] == date(2025, 7, 10)  # both
    _import(db, tmp_path)  # a re-import uses the same calendar
    assert _stored(db_path) == {"CARNAVAL": date(2024, 2, 14), "SP": date(2025, 7, 10), "COMUM": date(2025, 7, 10)}


def test_a_bad_region_is_refused_in_pt_br(db_path):
    with pytest.raises(InputError, match="holiday_region"):
        open_db(db_path).settings.set("holiday_region", "Narnia")


def test_upgrading_the_schema_recomputes_payable_until(db_path, tmp_path, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(schema, "SCHEMA_VERSION", 4)
        old = open_db(db_path)
        _import(old, tmp_path)
        assert old.schema_version() == 4
    with raw_connection(db_path) as con:  # what the national-holidays-only calendar had stored
        con.execute("UPDATE receivables SET payable_until = due_date")
        con.execute("INSERT INTO settings VALUES ('holiday_region', 'SP', now())")
    db = open_db(db_path)
    assert db.schema_version() >= 6
    assert _stored(db_path) == {"CARNAVAL": date(2024, 2, 14), "SP": date(2025, 7, 10), "COMUM": date(2025, 7, 8)}


def test_local_holidays_close_the_contact_window(db_path):
    from datetime import datetime

    db = open_db(db_path)
    wednesday = datetime(2025, 7, 9, 10, 0)
    assert db.policy.hours().is_allowed(wednesday)
    db.settings.set("holiday_region", "SP")
    refusal = db.policy.hours().refusal(wednesday)
    assert refusal.startswith("Envio bloqueado: 09/07/2025 10:00 é feriado local") and "10/07/2025 às 08:00" in refusal
    assert db.policy.hours().is_allowed(datetime(2025, 3, 4, 10, 0))  # Carnival: banks closed, not a holiday


def test_cli_sets_the_region_and_refuses_an_unknown_one(db_path, tmp_path, capsys):
    from cobranca.cli import main

    _import(open_db(db_path), tmp_path)
    assert main(["--db", str(db_path), "settings", "set", "holiday_region", "Narnia"]) == 2
    assert "Valor inválido para holiday_region: 'Narnia' não é um estado" in capsys.readouterr().err
    assert main(["--db", str(db_path), "settings", "set", "holiday_region", "São Paulo"]) == 0
    assert _stored(db_path)["SP"] == date(2025, 7, 10)
