"""The grid's "Situação" badge: promise (date), broken promise, dispute, do not contact — text and colour."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..core import formatting as fmt

COLUMN = "Situação"
WIDTH = 170
BROKEN, PROMISED, DISPUTED, BLOCKED = "Promessa quebrada", "Promessa", "Contestada", "Não contatar"
AGREEMENT, AGREEMENT_BROKEN = "Em acordo", "Acordo quebrado"  # acordos (originals of an agreement)
IN_SERVICE = "Em atendimento por"

# Vega expression of the badge cell's background (the canvas draws the text: nothing here runs as HTML).
BACKGROUND = (f"indexof(cell.value, '{BROKEN}') >= 0 || indexof(cell.value, '{AGREEMENT_BROKEN}') >= 0 ? '#f4c7c3' : "
              f"(indexof(cell.value, '{DISPUTED}') >= 0 ? '#e0d4f5' : "
              f"(cell.value ? '#fff3cd' : 'white'))")


def badge(row: dict) -> str:
    """'Promessa quebrada', 'Promessa 12/06/2020', 'Contestada', with ' · Não contatar' when opted out; '' if plain."""
    status = str(row.get("status") or "open")
    promised = row.get("promise_date")
    parts = []
    if status == "promise_broken":
        parts.append(BROKEN)
    elif status == "promised":
        parts.append(PROMISED if fmt.is_missing(promised) else f"{PROMISED} {fmt.day(promised)}")
    elif status == "disputed":
        parts.append(DISPUTED)
    elif status in ("agreement", "agreement_broken"):
        parts.append(AGREEMENT if status == "agreement" else AGREEMENT_BROKEN)
    if bool(row.get("do_not_contact", False)):
        parts.append(BLOCKED)
    if not fmt.is_missing(row.get("in_service_by")) and row.get("in_service_by"):
        parts.append(f"{IN_SERVICE} {row['in_service_by']}")  # another analyst's lease (facade/portfolio.py)
    return " · ".join(parts)


def badge_column(shown: pd.DataFrame) -> list[str]:
    """`badge` of every row of a worklist frame, column-wise (thousands of rows in milliseconds)."""
    if shown.empty:
        return []
    status = (shown["status"] if "status" in shown else pd.Series("open", index=shown.index)).fillna("open")
    dates = pd.to_datetime(shown["promise_date"]) if "promise_date" in shown else pd.Series(pd.NaT, index=shown.index)
    promised = (PROMISED + " " + dates.dt.strftime("%d/%m/%Y")).where(dates.notna(), PROMISED)
    text = np.select([status == "promise_broken", status == "promised", status == "disputed",
                      status == "agreement", status == "agreement_broken"],
                     [BROKEN, promised, DISPUTED, AGREEMENT, AGREEMENT_BROKEN], "")
    blocked = (shown["do_not_contact"].fillna(False).astype(bool) if "do_not_contact" in shown
               else pd.Series(False, index=shown.index)).to_numpy()
    text = np.where(blocked, np.where(text == "", BLOCKED, np.char.add(text.astype(str), " · " + BLOCKED)), text)
    if "in_service_by" in shown:  # another analyst's lease (facade/portfolio.py)
        who = shown["in_service_by"].astype(object).where(shown["in_service_by"].notna(), "").astype(str).to_numpy()
        serving = np.char.add(IN_SERVICE + " ", who.astype(str))
        text = np.where(who == "", text, np.where(text == "", serving, np.char.add(np.char.add(
            text.astype(str), " · "), serving)))
    return [str(t) for t in text]
