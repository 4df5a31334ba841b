"""The Pix strip of a receivable in the PDF report: a QR code (reportlab's own widget) beside its copia-e-cola code."""

from __future__ import annotations

from datetime import date
from xml.sax.saxutils import escape

import pandas as pd
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from . import formatting as fmt
from . import pix_charge

QR_SIZE = 92  # points (32 mm): a 45×45-module code at ~1.7 pt per module, read by phone cameras on paper
HEIGHT = QR_SIZE + 4  # what the strip adds to a receivable block


def codes_for(worklist: pd.DataFrame, settings: dict, as_of: date) -> dict[tuple[str, str], str]:
    """(document, installment) -> Pix code of the row's updated amount; empty when Pix is not configured."""
    if not pix_charge.enabled(settings):
        return {}
    return {(row["document"], row["installment"]): pix_charge.for_row(row, settings, as_of).code
            for row in worklist.to_dict("records")}


def qr_drawing(code: str, size: float = QR_SIZE) -> Drawing:
    """The code as a vector QR code (error level M, 4-module quiet zone), `size` points square."""
    widget = QrCodeWidget(code, barLevel="M", barBorder=4)
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


def with_pix(info: Flowable, code: str, valid_until: date, width: float, style: ParagraphStyle) -> Table:
    """`info` (the receivable's data) with the Pix strip below it, `width` points wide."""
    text = Paragraph(
        f"<b>Pix copia e cola</b> — valor válido para pagamento até {fmt.day(valid_until)} (código estático; "
        f"depois dessa data o valor muda):<br/><font face=\"Courier\" size=\"7\">{escape(code)}</font>",
        ParagraphStyle("pix", parent=style, splitLongWords=1),
    )
    strip = Table([[qr_drawing(code), text]], colWidths=[QR_SIZE + 6, width - QR_SIZE - 6], hAlign="LEFT")
    strip.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 3),
                               ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    outer = Table([[info], [strip]], colWidths=[width], hAlign="LEFT")
    outer.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    return outer
