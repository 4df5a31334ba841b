"""The worklist table as HTML: one page of rows, pt-BR text, every cell escaped.

The browser draws a plain <table> (sticky header, sizes to its content, full text on hover) instead of a
canvas grid: replacing a canvas grid's data cost seconds of the browser's time per filter switch on this
project's machines, even for ten rows, and its menus were English-only. A page of PAGE_SIZE rows is a few
tens of KB of HTML, sent in one message.

Each cell carries its row position in its class (`r12`) and each header its column (`h3`): a click tells
the kernel (ipyevents) which row or column it was, through the element's class name only.
"""

from __future__ import annotations

import html

import pandas as pd

from ..receivables.bands import LEGEND, work_band
from . import badges
from .grid import COLUMNS, YES

PAGE_SIZE = 100
NUMERIC = ("Dias de atraso", "Saldo", "Valor atualizado")
RIGHT = NUMERIC
ARROWS = {False: " ▲", True: " ▼"}
HINT = "Clique para ordenar"


def _money(cents: int) -> str:
    reais, rest = divmod(abs(int(cents)), 100)
    return f"{'-' if cents < 0 else ''}R$ {reais:,}".replace(",", ".") + f",{rest:02d}"


def _day(iso: str) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}" if iso else ""


def _moment(iso: str) -> str:
    return f"{_day(iso[:10])} {iso[11:16]}" if iso else ""


def shown_text(column: str, value) -> str:
    """A cell as the table shows it (money R$ 1.234,56, dates dd/mm/aaaa)."""
    if column in ("Saldo", "Valor atualizado"):
        return _money(value)
    if column == "Vencimento":
        return _day(value)
    if column == "Último contato":
        return _moment(value)
    return "" if value is None else str(value)


def band(days: int) -> str:
    """The row's faixa de cobrança (bands.py: the list's colours, not the PDF's faixas de vencimento)."""
    return work_band(days)


def badge_class(text: str) -> str:
    """The badge's colour class: broken promise, dispute, promise, do not contact (as in the PDF)."""
    if badges.BROKEN in text:
        return "badge-broken"
    if badges.DISPUTED in text:
        return "badge-disputed"
    if badges.PROMISED in text:
        return "badge-promised"
    return "badge-blocked"


def order_of(cells: pd.DataFrame, sort: tuple[str, bool] | None) -> list[int]:
    """Row positions in screen order: the list's own (most overdue first) or sorted by one column (stable)."""
    if sort is None or cells.empty:
        return list(range(len(cells)))
    column, descending = sort
    keys = cells[column]
    if column not in NUMERIC:
        keys = keys.astype(str).str.lower()
    return [int(i) for i in keys.sort_values(ascending=not descending, kind="stable").index]


def table_html(cells: pd.DataFrame, order: list[int], page: int, selected: int | None,
               sort: tuple[str, bool] | None, columns: tuple[str, ...] | list[str] = tuple(COLUMNS)) -> str:
    """The <table> of page `page` (0-based) of `order`, drawing `columns` (in COLUMNS order)."""
    shown = [(index, column) for index, column in enumerate(COLUMNS) if column in columns]
    head = []
    for index, column in shown:
        arrow = ARROWS[sort[1]] if sort is not None and sort[0] == column else ""
        align = " num" if column in RIGHT else ""
        hint = f"{HINT}. {LEGEND}" if column == "Dias de atraso" else HINT
        head.append(f'<th class="h{index}{align}" title="{html.escape(hint)}">{html.escape(column)}'
                    f'<span class="h{index}">{arrow}</span></th>')
    rows = []
    records = cells.to_dict("records") if len(cells) else []
    for position in order[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]:
        record = records[position]
        classes = ["contacted" if record["Contatado hoje"] == YES else "", "selected" if position == selected else ""]
        tds = []
        for _index, column in shown:
            text = html.escape(shown_text(column, record[column]))
            extra = " num" if column in RIGHT else ""
            if column == "Dias de atraso":
                extra += f" {band(int(record[column]))}"
            elif column == badges.COLUMN and text:
                extra += f" {badge_class(str(record[column]))}"
            tds.append(f'<td class="r{position}{extra}" title="{text}">{text}</td>')
        rows.append(f'<tr class="{" ".join(c for c in classes if c)}" data-row="{position}">{"".join(tds)}</tr>')
    return (f'<table class="cobranca-rows"><thead><tr>{"".join(head)}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')
