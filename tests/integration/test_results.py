"""Results on the hand-computed book of results_fixture.py: every figure's arithmetic is written out here."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from support.known import ENGINES

ENGINES = ENGINES  # every test here runs on a DuckDB file and on PostgreSQL (see conftest.py)

JUNE = (date(2020, 6, 1), date(2020, 6, 30))


def test_receivables_at_a_date_use_the_payment_day(book):
    # 31/05: R1 1000 (paid on 05/06, later) + R2 600 + R4 200 (payment seen 20/06) = 1800; R3 not issued yet
    assert book.results.cei(*JUNE)["beginning"] == D("1800.00")
    # 30/06: R1 paid (0) + R2 600 + R3 400 + R4 200 - 50 = 1150
    assert book.results.dso(JUNE[1])["receivables"] == D("1150.00")


def test_cei_of_june(book):
    cei = book.results.cei(*JUNE)
    # B = 1800 (31/05); S = sales of June = R3 400; E = 1150; Ec = not yet due on 30/06 = R3 400
    assert (cei["beginning"], cei["sales"], cei["ending"], cei["ending_current"]) == (
        D("1800.00"), D("400.00"), D("1150.00"), D("400.00"))
    # (1800 + 400 - 1150) / (1800 + 400 - 400) x 100 = 1050 / 1800 x 100 = 58.33... -> 58.3
    assert cei["cei"] == D("58.3")


def test_dso_countback_on_30_june(book):
    dso = book.results.dso(JUNE[1])
    windows = [(w.start, w.end, w.sales) for w in dso["windows"][:3]]
    assert windows == [
        (date(2020, 5, 30), date(2020, 6, 30), D("400.00")),  # R3
        (date(2020, 4, 30), date(2020, 5, 30), D("600.00")),  # R2
        (date(2020, 3, 30), date(2020, 4, 30), D("1000.00")),  # R1
    ]
    # 1150 left: June window 400 < 1150 -> 31 days, 750 left; May window 600 < 750 -> +30 days, 150 left;
    # April window 1000 >= 150 -> + 150/1000 x 31 = 4.65 days. 31 + 30 + 4.65 = 65.65 -> 65.7
    assert dso["dso"] == D("65.7")


def test_average_days_late_weighted_by_amount(book):
    late = book.results.days_late(*JUNE)
    # settled in June: R1 only (R4 is partial): due 10/05, paid 05/06 = 26 days, 1000 x 26 / 1000 = 26.0
    assert (late["settled"], late["settled_count"]) == (D("26.0"), 1)
    # open on 30/06: R2 600 x 15 (15/06 -> 30/06) + R3 400 x 0 (not due) + R4 150 x 90 (01/04 -> 30/06)
    # = 9000 + 0 + 13500 = 22500; / (600 + 400 + 150 = 1150) = 19.565... -> 19.6
    assert (late["open"], late["open_count"]) == (D("19.6"), 3)


def test_recovered_after_contact_by_channel_and_analyst(book):
    # R1: 1000 paid 05/06, newest contact before it WhatsApp/Ana 01/06 = 4 days <= 7
    # R4: 50 paid 20/06 (import day), newest contact E-mail/Ana 15/06 = 5 days <= 7 (Telefone/Bia 02/06 is older)
    by_channel = book.results.recovered_after_contact(*JUNE, by="channel")
    assert list(zip(by_channel["grp"], by_channel["receivables"], by_channel["recovered"], strict=True)) == [
        ("WhatsApp", 1, D("1000.00")), ("E-mail", 1, D("50.00"))]
    by_analyst = book.results.recovered_after_contact(*JUNE, by="responsible")
    assert list(zip(by_analyst["grp"], by_analyst["recovered"], strict=True)) == [("Ana", D("1050.00"))]
    assert book.results.recovered_after_contact(*JUNE, by="all")["recovered"].tolist() == [D("1050.00")]


def test_recovery_window_setting_and_period(book):
    # window 4: R1 (4 days) in, R4 (5 days) out; window 3: both out
    assert book.results.recovered_after_contact(*JUNE, by="all", window_days=4)["recovered"].tolist() == [D("1000.00")]
    assert book.results.recovered_after_contact(*JUNE, by="all", window_days=3).empty
    book.settings.set("recovery_window_days", "4")
    assert book.results.recovered_after_contact(*JUNE, by="all")["recovered"].tolist() == [D("1000.00")]
    # from 06/06: R1's payment (05/06) is outside the period
    assert book.results.recovered_after_contact(date(2020, 6, 6), JUNE[1], by="all", window_days=7)[
        "recovered"].tolist() == [D("50.00")]


def test_promise_kept_rate(book):
    # R2: 600 promised for 18/06, still open on 30/06 -> broken; R4: 50 promised for 25/06, balance 200 -> 150
    # by 20/06 -> kept. 1 / (1 + 1) = 0.5
    assert book.results.promise_kept_rate(*JUNE) == {"kept": 1, "broken": 1, "rate": D("0.5000")}
    # only promises due in the period count: none in May
    assert book.results.promise_kept_rate(date(2020, 5, 1), date(2020, 5, 31))["rate"] is None


def test_contacts_per_analyst_per_day_leave_out_comments(book):
    frame = book.results.contacts_per_analyst(*JUNE)
    assert list(zip(frame["analyst"], frame["day"].astype(str), frame["contacts"], strict=True)) == [
        ("Ana", "2020-06-01", 1), ("Bia", "2020-06-02", 1), ("Ana", "2020-06-15", 1), ("Bia", "2020-06-16", 1)]


def test_aging_today_and_over_time(book):
    aging = book.results.aging(JUNE[1])
    # 30/06: R3 due 10/07 (a vencer) 400; R2 15 days 600; R4 90 days 150 (200 - 50); R1 paid
    assert list(zip(aging["bucket"], aging["receivables"], aging["balance"], strict=True)) == [
        ("a vencer", 1, D("400.00")), ("1-30", 1, D("600.00")), ("31-60", 0, D("0.00")),
        ("61-90", 1, D("150.00")), (">90", 0, D("0.00"))]
    trend = book.results.aging_trend()
    snapshots = {(str(r.day), r.bucket): r.balance for r in trend.itertuples()}
    # import of 01/06: R2 not yet due 600; R1 22 days 1000; R4 61 days 200
    assert [snapshots[("2020-06-01", b)] for b in ("a vencer", "1-30", "31-60", "61-90", ">90")] == [
        D("600.00"), D("1000.00"), D("0.00"), D("200.00"), D("0.00")]
    # import of 20/06: R3 not yet due 400; R2 5 days 600; R4 80 days 150; R1 paid
    assert [snapshots[("2020-06-20", b)] for b in ("a vencer", "1-30", "31-60", "61-90", ">90")] == [
        D("400.00"), D("600.00"), D("0.00"), D("150.00"), D("0.00")]


def test_summary_in_one_database_open(book):
    opens = book.store.opens
    summary = book.results.summary("01/06/2020", "2020-06-30")
    assert book.store.opens == opens + 1
    assert summary["cei"]["cei"] == D("58.3") and summary["dso"]["dso"] == D("65.7")
    assert summary["payments"] == {"receivables": 2, "recovered": D("1050.00")}


def test_a_reversed_period_is_refused_in_portuguese(book):
    from cobranca.core.errors import InputError

    with pytest.raises(InputError, match="Período inválido"):
        book.results.summary("2020-06-30", "2020-06-01")
