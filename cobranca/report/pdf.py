"""The printed "Relatório de Gerenciamento de Cobranças": a worklist with its contact history, as an A4 PDF.

Built with reportlab platypus. Every page carries the company, "Página X/Y" (real total, two-pass canvas),
the title, the filter and the as-of date. Customer text is data: it goes into Paragraphs escaped, or into
plain table cells (drawn literally); cells only become Paragraphs when they need to wrap, which keeps a
report of thousands of contacts fast.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from xml.sax.saxutils import escape

import pandas as pd
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    FrameBreak,
    Image,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from ..core import formatting as fmt
from ..receivables import summary
from ..receivables.filters import Filter
from ..settings import default_responsible
from . import charts
from . import pix as report_pix
from .page import (
    _PADDING,
    BODY_SIZE,
    BODY_WIDTH,
    FONT,
    FONT_BOLD,
    FONT_ITALIC,
    FOOTER_HEIGHT,
    GRID,
    HEAD_SHADE,
    HEADER_HEIGHT,
    MARGIN_X,
    MUTED,
    PAD,
    SHADE,
    TITLE,
    PageInfo,
    canvas_class,
    register_fonts,
)
from .status import status_row

EMPTY_MESSAGE = "Nenhuma conta corresponde ao filtro."
NO_CONTACTS = "Nenhum contato registrado"
CONTACT_HEADER = ("Data/Hora", "Forma Contato", "Responsável", "Observação")
MAX_NOTE_CHARS = 500  # longer observations/messages are cut with "…" (full text stays in the database)
MAX_NOTE_LINES = 8
MAX_CELL_CHARS = 300  # names, descriptions, documents

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class RenderedReport:
    """The PDF bytes and how many pages they have."""

    pdf: bytes
    pages: int


def _styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=FONT, fontSize=BODY_SIZE, leading=BODY_SIZE * 1.25)
    return {
        "body": body,
        "kv": ParagraphStyle("kv", parent=body, fontSize=BODY_SIZE + 1, leading=(BODY_SIZE + 1) * 1.25),
        "h2": ParagraphStyle("h2", parent=body, fontName=FONT_BOLD, fontSize=11, leading=14, spaceBefore=4,
                             spaceAfter=4),
        "empty": ParagraphStyle("empty", parent=body, fontName=FONT_BOLD, fontSize=12, leading=16,
                                alignment=TA_CENTER, spaceBefore=24),
        "continued": ParagraphStyle("continued", parent=body, textColor=MUTED, leftIndent=PAD, spaceAfter=2),
    }


# -- text helpers ---------------------------------------------------------------------------------
def _text(value) -> str:
    """Customer text as a clean str: '' for missing, control characters removed."""
    return _CONTROL.sub("", fmt.text(value)).strip()


def _note_markup(text: str) -> str:
    """Escaped Paragraph markup of an observation: line breaks kept (a few), very long text cut with '…'."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    cut = len(lines) > MAX_NOTE_LINES
    joined = "\n".join(lines[:MAX_NOTE_LINES])
    if len(joined) > MAX_NOTE_CHARS:
        joined, cut = joined[:MAX_NOTE_CHARS], True
        head, _space, _tail = joined.rpartition(" ")
        joined = (head if len(head) > MAX_NOTE_CHARS - 40 else joined).rstrip()
    return escape(joined).replace("\n", "<br/>") + (" …" if cut else "")


def _fits(text: str, width: float, font: str = FONT, size: float = BODY_SIZE) -> bool:
    return "\n" not in text and pdfmetrics.stringWidth(text, font, size) <= width - 2 * PAD - 0.5


def _cell(text: str, width: float, style: ParagraphStyle):
    """A plain cell when the text fits on one line (cheap, drawn literally), else an escaped wrapping Paragraph.

    Text is capped so that no row can grow taller than a page (a table row cannot be split).
    """
    if _fits(text, width, style.fontName, style.fontSize):
        return text
    if len(text) > MAX_CELL_CHARS:
        text = text[:MAX_CELL_CHARS].rstrip() + " …"
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _lines(text: str, width: float) -> int:
    """Estimated number of lines `text` takes in a column `width` points wide (for keep-together decisions)."""
    usable = width - 2 * PAD
    return sum(max(1, math.ceil(pdfmetrics.stringWidth(line, FONT, BODY_SIZE) / usable))
               for line in (text.splitlines() or [""]))


def _money(value) -> str:
    return fmt.brl(value) if value is not None and not pd.isna(value) else ""


def _when(value) -> str:
    if value is None or pd.isna(value):
        return ""
    return fmt.moment(value.to_pydatetime() if isinstance(value, pd.Timestamp) else value)


# -- content ----------------------------------------------------------------------------------------
def _filter_line(flt: Filter) -> str:
    described = flt.describe()
    name = flt.description.strip()
    if not name:
        return f"Filtro: {described}"
    if name.lower() == described.lower():  # a saved filter named after what it selects: say it once
        return f"Filtro: {name}"
    return f"Filtro: {name} — {described}"


KV_WIDTHS = (118, 140, 118, BODY_WIDTH - 376)


def _key_values(pairs: list[tuple[str, str]], styles) -> Table:
    """Label/value pairs two by two in a light table."""
    rows = []
    for i in range(0, len(pairs), 2):
        row = []
        for label, value in pairs[i:i + 2]:
            row += [label, _cell(value, KV_WIDTHS[1], styles["kv"])]
        rows.append(row + [""] * (4 - len(row)))
    table = Table(rows, colWidths=KV_WIDTHS, hAlign="LEFT")
    table.setStyle(TableStyle([
        *_PADDING,
        ("FONT", (0, 0), (-1, -1), FONT, BODY_SIZE + 1),
        ("FONT", (0, 0), (0, -1), FONT_BOLD, BODY_SIZE + 1),
        ("FONT", (2, 0), (2, -1), FONT_BOLD, BODY_SIZE + 1),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table


def _aging_table(aging: pd.DataFrame, kpis: dict) -> Table:
    rows = [["Faixa (dias de atraso)", "Contas", "Saldo"]]
    rows += [[r.label, str(r.count), fmt.brl(r.balance)] for r in aging.itertuples(index=False)]
    rows.append(["Total", str(kpis["receivables"]), fmt.brl(kpis["balance"])])
    table = Table(rows, colWidths=[115, 55, 100], hAlign="LEFT", repeatRows=1)
    table.setStyle(TableStyle([
        *_PADDING,
        ("FONT", (0, 0), (-1, -1), FONT, BODY_SIZE + 0.5),
        ("FONT", (0, 0), (-1, 0), FONT_BOLD, BODY_SIZE + 0.5),
        ("FONT", (0, -1), (-1, -1), FONT_BOLD, BODY_SIZE + 0.5),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_SHADE),
        ("LINEABOVE", (0, -1), (-1, -1), 0.7, colors.black),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("GRID", (0, 0), (-1, -1), 0.3, GRID),
    ]))
    return table


def _summary_story(worklist, flt, as_of, responsible, generated_at, styles) -> list:
    kpis = summary.kpis(worklist)
    pairs = [
        ("Gerado em:", fmt.moment(generated_at)),
        ("Gerado por:", responsible),
        ("Data de referência:", fmt.day(as_of)),
        ("Filtro:", flt.description or flt.describe()),
        ("Contas a receber:", fmt.number(kpis["receivables"], 0)),
        ("Clientes:", fmt.number(kpis["customers"], 0)),
        ("Saldo total:", fmt.brl(kpis["balance"])),
        ("Valor atualizado total:", fmt.brl(kpis["updated_amount"])),
    ]
    story = [Paragraph("Resumo", styles["h2"]), _key_values(pairs, styles), Spacer(1, 8)]
    if worklist.empty:
        return [*story, Paragraph(escape(EMPTY_MESSAGE), styles["empty"])]
    aging = summary.aging(worklist)
    chart_width = BODY_WIDTH - 280
    size = (chart_width / 72, chart_width / 72 * 0.62)  # inches, drawn at 1:1 so the 8 pt labels stay 8 pt
    png = charts.figure_png(charts.aging_chart(aging, figsize=size), dpi=200)
    chart = Image(io.BytesIO(png), width=chart_width, height=chart_width * 0.62)
    side_by_side = Table([[_aging_table(aging, kpis), chart]], colWidths=[280, chart_width], hAlign="LEFT")
    side_by_side.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                      ("FONT", (0, 0), (-1, -1), FONT, BODY_SIZE)]))
    return [*story, side_by_side, Spacer(1, 6), Paragraph("Contas e contatos", styles["h2"])]


# Receivable block: 6 columns of label/value pairs.
_INFO_FIXED = (50, 75, 70, 83, 85)  # label, [value], label, value, label, value
INFO_WIDTHS = (50, BODY_WIDTH - sum(_INFO_FIXED), 75, 70, 83, 85)
CONTACT_WIDTHS = (92, 74, 88, BODY_WIDTH - 254)
KEEP_WHOLE_MAX_HEIGHT = 300  # points: a receivable's table estimated below this never splits across pages


class _ContactTable(Table):
    """A receivable's table that, when split across pages, names the receivable again on the next page."""

    continuation: Paragraph | None = None

    def split(self, availWidth, availHeight):  # noqa: N803 - reportlab API
        parts = super().split(availWidth, availHeight)
        if len(parts) != 2 or self.continuation is None:
            return parts
        parts[1].continuation = self.continuation
        return [parts[0], FrameBreak(), self.continuation, parts[1]]


def _info_table(rec, styles) -> Table:
    """Cliente, Documento, Vencimento / Histórico, Parcela / Saldo, Dias de atraso, Valor atualizado (seed + charges)."""
    body, w = styles["body"], INFO_WIDTHS
    rows = [
        ["Cliente:", _cell(_text(rec.customer), w[1], body), "Documento:", _cell(_text(rec.document), w[3], body),
         "Vencimento:", fmt.day(rec.due_date)],
        ["Histórico:", _cell(_text(rec.description), sum(w[1:4]), body), "", "",
         "Parcela:", _cell(_text(rec.installment), w[5], body)],
        ["Saldo:", _money(rec.balance), "Dias de atraso:", str(int(rec.days_overdue)),
         "Valor atualizado:", _money(rec.updated_amount)],
    ]
    rows += [row for row in [status_row(rec)] if row]
    info = Table(rows, colWidths=w, hAlign="LEFT")
    info.setStyle(TableStyle([
        *_PADDING,
        ("FONT", (0, 0), (-1, -1), FONT, BODY_SIZE),
        *[("FONT", (col, 0), (col, -1), FONT_BOLD, BODY_SIZE) for col in (0, 2, 4)],
        ("SPAN", (1, 1), (3, 1)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]))
    return info


def _receivable_block(rec, contacts: list, styles, pix: tuple[str, date] | None = None) -> list:
    """One table per receivable: its data, then its contacts, the column header repeated on every page.

    A short table never splits; a long one may, but never right after the receivable's data.
    """
    body, cw = styles["body"], CONTACT_WIDTHS
    info = _info_table(rec, styles) if not pix else report_pix.with_pix(_info_table(rec, styles), *pix, BODY_WIDTH, body)
    rows: list[list] = [[info, "", "", ""]]
    rows.append(list(CONTACT_HEADER) if contacts else [NO_CONTACTS, "", "", ""])
    height = 50.0 + (report_pix.HEIGHT if pix else 0)  # the receivable's data and the header row, roughly
    for c in contacts:
        note, responsible = _text(c.observation) or _text(c.message), _text(c.responsible)
        note_cell = note if _fits(note, cw[3]) else Paragraph(_note_markup(note), body)
        rows.append([_when(c.created_at), _text(c.channel), _cell(responsible, cw[2], body), note_cell])
        height += 3 + body.leading * max(_lines(note[:MAX_NOTE_CHARS], cw[3]), _lines(responsible, cw[2]))
    # Kept whole only while surely well below a page (a NOSPLIT block taller than a page cannot be laid out).
    keep_rows = len(rows) if height <= KEEP_WHOLE_MAX_HEIGHT else min(len(rows), 5)
    style = [
        *_PADDING,
        ("SPAN", (0, 0), (-1, 0)),
        ("LEFTPADDING", (0, 0), (-1, 0), 0),
        ("RIGHTPADDING", (0, 0), (-1, 0), 0),
        ("TOPPADDING", (0, 0), (-1, 0), 1),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("BOX", (0, 0), (-1, 0), 0.5, GRID),
        ("FONT", (0, 0), (-1, -1), FONT, BODY_SIZE),
        ("FONT", (0, 1), (-1, 1), FONT_BOLD, BODY_SIZE),
        ("BACKGROUND", (0, 1), (-1, 1), HEAD_SHADE),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 1), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 1), (-1, -1), 1.5),
        ("NOSPLIT", (0, 0), (-1, keep_rows - 1)),
    ]
    if not contacts:
        style += [("SPAN", (0, 1), (-1, 1)), ("FONT", (0, 1), (-1, 1), FONT_ITALIC, BODY_SIZE),
                  ("TEXTCOLOR", (0, 1), (-1, 1), MUTED), ("BACKGROUND", (0, 1), (-1, 1), colors.white)]
    table = _ContactTable(rows, colWidths=cw, hAlign="LEFT", repeatRows=(1,) if contacts else 0)
    table.setStyle(TableStyle(style))
    customer = _text(rec.customer)
    table.continuation = Paragraph(
        f"<b>{escape(_text(rec.document))} / parc. {escape(_text(rec.installment))}</b> · "
        f"{escape(customer[:80] + ('…' if len(customer) > 80 else ''))} — contatos (continuação)",
        styles["continued"],
    )
    return [table, Spacer(1, 9)]


def _contacts_by_receivable(history: pd.DataFrame) -> dict[tuple[str, str], list]:
    """History rows grouped by (document, installment), newest first, cancelled entries left out."""
    grouped: dict[tuple[str, str], list] = {}
    if history.empty:
        return grouped
    kept = history[history["cancelled_at"].isna()] if "cancelled_at" in history else history
    kept = kept.sort_values(["created_at", "id"], ascending=False, kind="stable")
    for row in kept.itertuples(index=False):
        grouped.setdefault((row.document, row.installment), []).append(row)
    return grouped


# -- entry points ---------------------------------------------------------------------------------
def render_report(db, flt: Filter | str | None, as_of: date, responsible: str | None = None,
                  generated_at: datetime | None = None, pix: bool | None = None,
                  results: tuple[date, date] | None = None) -> RenderedReport:
    """The report PDF and its page count for the worklist of `flt` on `as_of` (+ the results of a period).

    `pix`: a QR code and copia-e-cola code per receivable (default: the pix_in_report setting, when pix_key is set).
    """
    register_fonts()
    styles = _styles()
    responsible = (responsible or "").strip() or default_responsible()
    generated_at = generated_at or db.now().replace(microsecond=0, tzinfo=None)  # company time
    with db.session():  # one database open for the whole report
        flt = db.filters.resolve(flt)
        settings = db.settings.all()
        worklist = db.worklists.rows(flt, as_of)
        ids = [int(i) for i in worklist["receivable_id"]]
        contacts = _contacts_by_receivable(db.contacts.histories(ids)) if ids else {}
        outcome = db.results.summary(*results) if results else None
    with_pix = settings.get("pix_in_report", True) if pix is None else pix
    codes = report_pix.codes_for(worklist, settings, as_of) if with_pix else {}

    story = _summary_story(worklist, flt, as_of, responsible, generated_at, styles)
    for rec in worklist.itertuples(index=False):
        code = codes.get((rec.document, rec.installment))
        story += _receivable_block(rec, contacts.get((rec.document, rec.installment), []), styles,
                                   (code, as_of) if code else None)
    if outcome is not None:
        from .results import results_story

        story += results_story(outcome, styles, BODY_WIDTH)

    company = _text(settings.get("company_name")) or "—"
    info = PageInfo(
        company=company, phone=_text(settings.get("company_phone")), filter_line=_filter_line(flt), as_of=as_of,
        footer=f"Gerado em {fmt.moment(generated_at)} por {responsible} · {TITLE}",
    )
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=HEADER_HEIGHT,
        bottomMargin=FOOTER_HEIGHT + 3 * mm, initialFontName=FONT, title=TITLE, author=company, subject=_filter_line(flt),
        creator="cobranca",
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.build(story, canvasmaker=canvas_class(info))
    return RenderedReport(buffer.getvalue(), info.pages)


def build_report(db, flt: Filter | str | None, as_of: date, responsible: str | None = None,
                 pix: bool | None = None) -> bytes:
    """PDF bytes of the collections report (worklist + contact history) of `flt` on `as_of`."""
    return render_report(db, flt, as_of, responsible, pix=pix).pdf
