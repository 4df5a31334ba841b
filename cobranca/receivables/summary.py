"""Worklist summary shared by the dashboard KPIs and the PDF report: totals and aging. Pure, no I/O."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from ..core.money import round_cents
from .bands import AGING_BANDS, NOT_OVERDUE, aging_band


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
    """Count and balance per faixa de vencimento (bands.AGING_BANDS: `bucket` its key, `label` its text), in
    order, zeros included ("a vencer" only when present: a worklist holds overdue rows, and those due today).

    `frame` is a worklist (one row per receivable) or per-day totals with a `count` column
    (`Cobranca.worklists.totals()["by_days"]`).
    """
    buckets = frame["days_overdue"].map(lambda d: aging_band(int(d)), na_action="ignore")
    weights = frame["count"].to_numpy() if "count" in frame.columns else None
    rows = []
    for band in AGING_BANDS:
        mask = (buckets == band.key).to_numpy(dtype=bool, na_value=False)
        count = int(weights[mask].sum()) if weights is not None else int(mask.sum())
        if band.key == NOT_OVERDUE and count == 0:
            continue
        balance = total(frame.loc[mask, "balance"]) if count else Decimal("0.00")
        rows.append({"bucket": band.key, "label": band.label, "count": count, "balance": balance})
    result = pd.DataFrame(rows, columns=["bucket", "label", "count", "balance"])
    result["count"] = result["count"].astype("int64")
    result["balance"] = result["balance"].astype(object)
    return result
