"""The "Resultados da cobrança" section of the PDF report: indicators, aging today and over time, recovered
by channel and analyst, contacts per analyst (charts drawn at 1:1 so their 7–8 pt labels stay legible)."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.platypus import Image, PageBreak, Paragraph, Spacer, Table, TableStyle

from ..core import formatting as fmt
from ..results.formulas import BUCKET_LABELS
from ..results.text import explanation, indicator_rows
from . import charts, results_charts


def _chart(fig_for, width: float, ratio: float = 0.55) -> Image:
    png = charts.figure_png(fig_for((width / 72, width / 72 * ratio)), dpi=200)
    return Image(io.BytesIO(png), width=width, height=width * ratio)


def _table(rows: list[list[str]], widths: list[float]):
    from .page import _PADDING, BODY_SIZE, FONT, FONT_BOLD, GRID, HEAD_SHADE

    table = Table(rows, colWidths=widths, hAlign="LEFT", repeatRows=1)
    table.setStyle(TableStyle([
        *_PADDING,
        ("FONT", (0, 0), (-1, -1), FONT, BODY_SIZE + 0.5),
        ("FONT", (0, 0), (-1, 0), FONT_BOLD, BODY_SIZE + 0.5),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_SHADE),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("GRID", (0, 0), (-1, -1), 0.3, GRID),
    ]))
    return table


def _pair(left, right, width: float) -> Table:
    pair = Table([[left, right]], colWidths=[width / 2, width / 2], hAlign="LEFT")
    pair.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (-1, -1), 4)]))
    return pair


def results_story(outcome: dict, styles, body_width: float) -> list:
    """Flowables of the results of `outcome` (`Cobranca.results_summary`), starting on a new page."""
    half = body_width / 2 - 4
    rows = indicator_rows(outcome)
    indicators = _table([["Indicador", "Valor"], *[[label, value] for label, value in rows]], [250, body_width - 250])
    story = [PageBreak(), Paragraph("Resultados da cobrança", styles["h2"]), indicators, Spacer(1, 3),
             *_explanations([label for label, _ in rows], styles), Spacer(1, 6)]
    aging = outcome["aging"]
    story.append(_pair(
        _chart(lambda size: results_charts.aging_today_chart(aging, outcome["until"], figsize=size), half),
        _chart(lambda size: results_charts.aging_trend_chart(outcome["aging_trend"], figsize=size), half),
        body_width))
    story.append(_pair(
        _chart(lambda size: results_charts.recovered_chart(outcome["recovered_by_channel"], outcome["window_days"],
                                                           figsize=size), half),
        _chart(lambda size: results_charts.contacts_per_analyst_chart(
            outcome["contacts_per_analyst"], outcome["since"], outcome["until"], figsize=size), half),
        body_width))
    story.append(Spacer(1, 6))
    aging_rows = [["Faixa", "Contas", "Saldo"]] + [
        [BUCKET_LABELS[r.bucket], fmt.number(int(r.receivables), 0), fmt.brl(r.balance)]
        for r in aging.itertuples(index=False)]
    recovered = [[_cut(r.grp), fmt.number(int(r.receivables), 0), fmt.brl(r.recovered)]
                 for r in outcome["recovered_by_analyst"].itertuples(index=False)]
    analysts = _table([["Analista (recuperado)", "Contas", "R$"]] + (recovered or [["—", "0", fmt.brl(0)]]),
                      [half - 150, 50, 100])
    story.append(_pair(_table(aging_rows, [half - 150, 50, 100]), analysts, body_width))
    return story


def _explanations(labels: list[str], styles) -> list[Paragraph]:
    """One muted line under the table for each term an analyst may not know (DSO, CEI, …)."""
    return [Paragraph(f"<b>{escape(label)}</b>: {escape(explanation(label))}", styles["continued"])
            for label in labels if explanation(label)]


def _cut(text, limit: int = 60) -> str:
    """An analyst's name as plain cell text (drawn literally, never markup), cut to fit the column."""
    value = "" if text is None else str(text)
    return value if len(value) <= limit else value[: limit - 1] + "…"
