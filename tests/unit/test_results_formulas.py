"""The pure formulas of cobranca/results/formulas.py on numbers worked out by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from cobranca.results.formulas import (
    Window,
    cei,
    dso_countback,
    month_windows,
    months_back,
    rate,
    weighted_average_days,
)


def test_months_back_clamps_to_the_last_day():
    assert months_back(date(2020, 3, 31), 1) == date(2020, 2, 29)  # leap year
    assert months_back(date(2021, 3, 31), 1) == date(2021, 2, 28)
    assert months_back(date(2020, 1, 15), 2) == date(2019, 11, 15)


def test_dso_countback_by_hand():
    windows = [Window(date(2020, 5, 31), date(2020, 6, 30), D("300")),  # 30 days
               Window(date(2020, 4, 30), date(2020, 5, 31), D("500"))]  # 31 days
    # 600 outstanding: first month 300 < 600 -> 30 days, 300 left; 500 >= 300 -> 300/500 x 31 = 18.6 -> 48.6
    assert dso_countback(D("600"), windows) == D("48.6")
    # 200 outstanding: 200/300 x 30 = 20.0
    assert dso_countback(D("200"), windows) == D("20.0")
    assert dso_countback(D("0"), windows) == D("0.0")
    assert dso_countback(D("900"), windows) is None  # more than all sales on record


def test_month_windows_sum_sales_by_window():
    sales = [(date(2020, 6, 30), D("1")), (date(2020, 5, 31), D("2")), (date(2020, 5, 30), D("4"))]
    windows = month_windows(date(2020, 6, 30), sales, oldest=date(2020, 5, 30))
    # (30/05, 30/06] holds 30/06 and 31/05 = 3; (30/04, 30/05] holds 30/05 = 4
    assert [(w.start, w.sales, w.days) for w in windows] == [(date(2020, 5, 30), D("3"), 31),
                                                              (date(2020, 4, 30), D("4"), 30)]


def test_cei_by_hand():
    # (1000 + 500 - 600) / (1000 + 500 - 200) x 100 = 900 / 1300 x 100 = 69.23 -> 69.2
    assert cei(D("1000"), D("500"), D("600"), D("200")) == D("69.2")
    assert cei(D("0"), D("0"), D("0"), D("0")) is None


def test_weighted_average_and_rate():
    # 100 x 10 + 300 x 30 = 10000; / 400 = 25.0
    assert weighted_average_days(D("10000"), D("400")) == D("25.0")
    assert weighted_average_days(D("0"), D("0")) is None
    assert rate(2, 3) == D("0.6667") and rate(0, 0) is None
