"""Worklist summary shared by the dashboard KPIs and the PDF report: totals and aging. Pure, no I/O."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from ..core.money import round_cents
from .rules import AGING_BUCKETS, aging_bucket

DUE_TODAY_BUCKET = AGING_BUCKETS[0][0]  # "0 (vence hoje)": shown only when present


def total(values: pd.Series) -> Decimal:
    """Exact Decimal sum of a money column (0,00 when empty); never goes through float."""
    result = values.sum() if len(values) else Decimal(0)
    if not isinstance(result, Decimal):  # an object column or an unexpected dtype: add Decimals one by one
        result = sum((Decimal(v) for v in values.dropna()), Decimal(0))
    return round_cents(result)


def kpis(frame: pd.DataFrame) -> dict:
    """Headline numbers of a worklist: receivables, distinct customers, balance, updated amount, contacted today."""
    return {
        "receivables": int(len(frame)),
        "customers": int(frame["customer_id"].nunique()) if len(frame) else 0,
        "balance": total(frame["balance"]),
        "updated_amount": total(frame["updated_amount"]),
        "contacted_today": int(frame["contacted_today"].fillna(False).astype(bool).sum()) if len(frame) else 0,
    }


def aging(frame: pd.DataFrame) -> pd.DataFrame:
    """Count and balance per aging bucket, in bucket order, zeros included ("0 (vence hoje)" only when present).

    `frame` is a worklist (one row per receivable) or per-day totals with a `count` column
    (`Cobranca.worklists.totals()["by_days"]`).
    """
    buckets = frame["days_overdue"].map(lambda d: aging_bucket(int(d)), na_action="ignore")
    weights = frame["count"].to_numpy() if "count" in frame.columns else None
    rows = []
    for label, _low, _high in AGING_BUCKETS:
        mask = (buckets == label).to_numpy(dtype=bool, na_value=False)
        count = int(weights[mask].sum()) if weights is not None else int(mask.sum())
        if label == DUE_TODAY_BUCKET and count == 0:
            continue
        balance = total(frame.loc[mask, "balance"]) if count else Decimal("0.00")
        rows.append({"bucket": label, "count": count, "balance": balance})
    result = pd.DataFrame(rows, columns=["bucket", "count", "balance"])
    result["count"] = result["count"].astype("int64")
    result["balance"] = result["balance"].astype(object)
    return result
