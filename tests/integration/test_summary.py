"""Worklist summary (KPIs, aging) to the cent, and the charts built from it."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pandas as pd
import pyarrow as pa
from matplotlib.figure import Figure
from support.known import AS_OF

from cobranca.receivables import summary
from cobranca.receivables.filters import Filter
from cobranca.receivables.rules import charges
from cobranca.report import charts

EXPECTED_BUCKETS = ["a vencer", "1-30", "31-60", "61-90", ">90"]  # receivables/bands.AGING_BANDS, as the results'
EXPECTED_LABELS = ["A vencer", "1–30 dias", "31–60 dias", "61–90 dias", "Mais de 90 dias"]


def test_kpis_of_known_worklist_to_the_cent(db):
    db.contacts.register_one("144", None, "WhatsApp", by="ANA", at=datetime(2020, 6, 8, 9, 0))
    db.contacts.comment("145", "Cliente pediu prazo", by="ANA", at=datetime(2020, 6, 8, 9, 5))  # not a contact
    db.contacts.register_one("402", None, "Telefone", by="ANA", at=datetime(2020, 6, 5, 9, 0))  # not today
    frame = db.worklists.rows(None, AS_OF)

    k = summary.kpis(frame)

    assert k == {
        "receivables": 5,
        "customers": 4,
        "balance": Decimal("3024.46"),
        "updated_amount": Decimal("3119.38"),
        "contacted_today": 1,
    }
    assert all(isinstance(k[key], Decimal) for key in ("balance", "updated_amount"))
    rules = db.settings.rules()
    recomputed = sum(
        (charges(r.amount, r.paid_amount, r.due_date, AS_OF, rules).updated_amount for r in frame.itertuples()),
        Decimal(0),
    )
    assert k["updated_amount"] == recomputed


def test_aging_of_known_worklist(db):
    aging = summary.aging(db.worklists.rows(None, AS_OF))

    assert list(aging["bucket"]) == EXPECTED_BUCKETS
    assert list(aging["label"]) == EXPECTED_LABELS
    assert list(aging["count"]) == [1, 3, 0, 0, 1]
    assert list(aging["balance"]) == [Decimal("500.00"), Decimal("1289.90"), Decimal("0.00"), Decimal("0.00"),
                                      Decimal("1234.56")]
    assert all(isinstance(v, Decimal) for v in aging["balance"])
    assert aging["count"].dtype == "int64"


def test_aging_leaves_out_due_today_bucket_when_absent(db):
    aging = summary.aging(db.worklists.rows(Filter(description="x", min_days=1, max_days=10), AS_OF))

    assert list(aging["bucket"]) == EXPECTED_BUCKETS[1:]
    assert list(aging["count"]) == [2, 0, 0, 0]
    assert aging["balance"].iloc[0] == Decimal("1089.90")


def test_empty_worklist_gives_zeros(db):
    frame = db.worklists.rows(Filter(description="ninguém", customer_search="não existe"), AS_OF)
    assert frame.empty

    assert summary.kpis(frame) == {
        "receivables": 0, "customers": 0, "balance": Decimal("0.00"), "updated_amount": Decimal("0.00"),
        "contacted_today": 0,
    }
    aging = summary.aging(frame)
    assert list(aging["bucket"]) == EXPECTED_BUCKETS[1:]
    assert list(aging["count"]) == [0, 0, 0, 0]
    assert list(aging["balance"]) == [Decimal("0.00")] * 4


def _synthetic(balances: list[str], days: list[int], dtype) -> pd.DataFrame:
    values = [Decimal(b) for b in balances]
    return pd.DataFrame({
        "customer_id": range(len(values)),
        "days_overdue": days,
        "balance": pd.Series(values, dtype=dtype),
        "updated_amount": pd.Series(values, dtype=dtype),
        "contacted_today": [False] * len(values),
    })


def test_totals_are_exact_where_floats_drift():
    # 0.1 summed 10 times is 0.9999999999999999 in floats; 1001 x 0.01 and huge + tiny also drift.
    balances = ["0.10"] * 10 + ["0.01"] * 1001 + ["9999999999999.99", "0.01"]
    days = [5] * 10 + [45] * 1001 + [100, 100]
    for dtype in (pd.ArrowDtype(pa.decimal128(18, 2)), object):
        frame = _synthetic(balances, days, dtype)
        k = summary.kpis(frame)
        assert k["balance"] == Decimal("10000000000011.01"), dtype
        aging = summary.aging(frame).set_index("bucket")
        assert aging.loc["1-30", "balance"] == Decimal("1.00")
        assert aging.loc["31-60", "balance"] == Decimal("10.01")
        assert aging.loc[">90", "balance"] == Decimal("10000000000000.00")
        assert aging["count"].sum() == len(balances)


def test_total_of_arrow_column_is_a_decimal():
    series = pd.Series([Decimal("1.10"), Decimal("2.20")], dtype=pd.ArrowDtype(pa.decimal128(18, 2)))
    result = summary.total(series)
    assert isinstance(result, Decimal) and result == Decimal("3.30")


# -- charts ---------------------------------------------------------------------------------------
def test_aging_chart_bars_counts_and_money_axis(db):
    aging = summary.aging(db.worklists.rows(None, AS_OF))

    fig = charts.aging_chart(aging)

    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    bars = ax.containers[0]
    assert [round(b.get_height(), 2) for b in bars] == [500.0, 1289.9, 0.0, 0.0, 1234.56]
    annotations = [t.get_text() for t in ax.texts]
    assert annotations == ["1 conta", "3 contas", "0 contas", "0 contas", "1 conta"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["A vencer", "1–30 dias", "31–60 dias", "61–90 dias",
                                                            "Mais de 90\ndias"]
    assert ax.yaxis.get_major_formatter()(1234.0, 0) == "R$ 1.234"
    assert ax.yaxis.get_major_formatter()(1500000.0, 0) == "R$ 1.500.000"
    png = charts.figure_png(fig, dpi=50)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert fig.axes == []  # closed: its artists are released


def test_contacts_chart_shows_every_day_of_the_period(db):
    db.contacts.register_one("144", None, "WhatsApp", by="ANA", at=datetime(2020, 6, 1, 9, 0))
    db.contacts.register_one("144", None, "WhatsApp", by="ANA", at=datetime(2020, 6, 1, 10, 0))
    db.contacts.register_one("402", None, "Telefone", by="ANA", at=datetime(2020, 6, 3, 9, 0))
    db.contacts.comment("402", "comentário não conta", by="ANA", at=datetime(2020, 6, 3, 9, 30))
    since, until = date(2020, 5, 30), date(2020, 6, 8)
    per_day = db.contacts.per_day(since, until)

    fig = charts.contacts_chart(per_day, since, until)

    ax = fig.axes[0]
    series = {c.get_label(): [p.get_height() for p in c] for c in ax.containers}
    assert set(series) == {"WhatsApp", "Telefone"}
    assert len(series["WhatsApp"]) == (until - since).days + 1 == 10
    assert series["WhatsApp"][2] == 2 and sum(series["WhatsApp"]) == 2
    assert series["Telefone"][4] == 1 and sum(series["Telefone"]) == 1
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["WhatsApp", "Telefone"]
    assert "30/05/2020 a 08/06/2020" in ax.get_title()
    assert ax.yaxis.get_major_formatter()(4800.0, 0) == "4.800"
    assert charts.figure_png(fig, dpi=40).startswith(b"\x89PNG")


def test_contacts_chart_of_empty_period_says_so():
    per_day = pd.DataFrame({"day": [], "channel": [], "contacts": []})
    since = date(2020, 6, 1)

    fig = charts.contacts_chart(per_day, since, since + timedelta(days=6))

    ax = fig.axes[0]
    assert "Nenhum contato no período" in [t.get_text() for t in ax.texts]
    assert len(ax.get_xticks()) == 7
    charts.close(fig)


def test_figures_are_not_kept_by_pyplot(db):
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    for _ in range(5):
        charts.figure_png(charts.aging_chart(summary.aging(db.worklists.rows(None, AS_OF))), dpi=30)
    assert plt.get_fignums() == before
