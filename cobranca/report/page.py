"""The report's page: A4 geometry, fonts (DejaVu Sans from matplotlib) and the header/footer drawn on every page.

The canvas holds pages back until the end so that every header can say "Página X/Y" with the real total.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import matplotlib
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from ..core import formatting as fmt

TITLE = "Relatório de Gerenciamento de Cobranças"
FONT, FONT_BOLD, FONT_ITALIC = "DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 14 * mm
HEADER_HEIGHT = 30 * mm
FOOTER_HEIGHT = 12 * mm
BODY_WIDTH = PAGE_WIDTH - 2 * MARGIN_X

GRID = colors.HexColor("#b8c2cc")
MUTED = colors.HexColor("#555555")


def register_fonts() -> None:
    """DejaVu Sans (bundled with matplotlib) covers all Latin accents; registered once per process."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    for name, file in ((FONT, "DejaVuSans.ttf"), (FONT_BOLD, "DejaVuSans-Bold.ttf"),
                       (FONT_ITALIC, "DejaVuSans-Oblique.ttf"), ("DejaVuSans-BoldOblique", "DejaVuSans-BoldOblique.ttf")):
        pdfmetrics.registerFont(TTFont(name, str(folder / file)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC,
                                  boldItalic="DejaVuSans-BoldOblique")


def clip(text: str, width: float, font: str, size: float) -> str:
    """`text` shortened with '…' to fit `width` points on one line (page header)."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


@dataclass
class PageInfo:
    """What the header and footer of every page show."""

    company: str
    phone: str
    filter_line: str
    as_of: date
    footer: str
    pages: int = 0


def canvas_class(info: PageInfo) -> type[Canvas]:
    """A canvas that holds pages back until the end, so every header can say 'Página X/Y'."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._saved_pages: list[dict] = []

        def showPage(self):  # noqa: N802 - reportlab API
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            info.pages = len(self._saved_pages)
            for state in self._saved_pages:
                self.__dict__.update(state)
                draw_page_frame(self, info, self._pageNumber, info.pages)
                super().showPage()
            super().save()

    return NumberedCanvas


def draw_page_frame(c: Canvas, info: PageInfo, page: int, total: int) -> None:
    c.saveState()
    top = PAGE_HEIGHT - 10 * mm
    left, right = MARGIN_X, PAGE_WIDTH - MARGIN_X
    c.setFillColor(colors.black)
    c.setFont(FONT_BOLD, 11)
    c.drawString(left, top, clip(info.company, BODY_WIDTH - 90, FONT_BOLD, 11))
    c.setFont(FONT, 9)
    c.drawRightString(right, top, f"Página {page}/{total}")
    if info.phone:
        c.drawString(left, top - 12, clip(f"Fone: {info.phone}", BODY_WIDTH - 160, FONT, 9))
    c.drawRightString(right, top - 12, f"Data de referência: {fmt.day(info.as_of)}")
    c.setFont(FONT_BOLD, 13)
    c.drawCentredString(PAGE_WIDTH / 2, top - 31, TITLE)
    c.setFont(FONT, 8.5)
    c.setFillColor(MUTED)
    c.drawCentredString(PAGE_WIDTH / 2, top - 44, clip(info.filter_line, BODY_WIDTH, FONT, 8.5))
    c.setStrokeColor(GRID)
    c.setLineWidth(0.7)
    c.line(left, top - 50, right, top - 50)
    c.line(left, FOOTER_HEIGHT, right, FOOTER_HEIGHT)
    c.setFont(FONT, 7)
    c.drawString(left, FOOTER_HEIGHT - 9, clip(info.footer, BODY_WIDTH, FONT, 7))
    c.restoreState()


# Table styles shared by the report's sections.
BODY_SIZE = 8
PAD = 3  # table cell padding, left and right

SHADE = colors.HexColor("#eef2f6")
HEAD_SHADE = colors.HexColor("#dbe3ea")

_PADDING = [("LEFTPADDING", (0, 0), (-1, -1), PAD), ("RIGHTPADDING", (0, 0), (-1, -1), PAD)]
