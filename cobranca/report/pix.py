"""The Pix strip of a receivable in the PDF report: a vector QR code beside its copia-e-cola code.

The QR is segno's matrix drawn as one filled path (one rectangle per run of dark modules). reportlab's own
QrCodeWidget was tried first: it cost ~100 ms of CPU per code here (its pure-Python encoder plus one shape per
module), i.e. +100 s for a 1,000-receivable report; this flowable costs ~14 ms.
"""

from __future__ import annotations

from datetime import date
from xml.sax.saxutils import escape

import pandas as pd
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from ..core import formatting as fmt
from ..pix import charge as pix_charge
from ..pix import qr as pix_qr

QR_SIZE = 92  # points (32 mm): a 45×45-module code at ~1.7 pt per module, read by phone cameras on paper
QUIET_ZONE = 4  # modules of white around the code, as the QR standard asks
HEIGHT = QR_SIZE + 4  # what the strip adds to a receivable block


def codes_for(worklist: pd.DataFrame, settings: dict, as_of: date) -> dict[tuple[str, str], str]:
    """(document, installment) -> Pix code of the row's updated amount; empty when Pix is not configured."""
    if not pix_charge.enabled(settings):
        return {}
    return {(row["document"], row["installment"]): pix_charge.for_row(row, settings, as_of).code
            for row in worklist.to_dict("records")}


class QrCode(Flowable):
    """A QR code `size` points square, quiet zone included, drawn as vectors."""

    def __init__(self, code: str, size: float = QR_SIZE):
        super().__init__()
        self.size = size
        self.matrix = pix_qr.matrix(code)

    def wrap(self, availWidth, availHeight):  # noqa: N803 - reportlab API
        return self.size, self.size

    def draw(self) -> None:
        module = self.size / (len(self.matrix) + 2 * QUIET_ZONE)
        path = self.canv.beginPath()
        for y, row in enumerate(self.matrix):
            top = self.size - (y + QUIET_ZONE + 1) * module
            x = 0
            while x < len(row):
                if not row[x]:
                    x += 1
                    continue
                start = x
                while x < len(row) and row[x]:
                    x += 1
                path.rect((start + QUIET_ZONE) * module, top, (x - start) * module, module)
        self.canv.saveState()
        self.canv.setFillColorRGB(0, 0, 0)
        self.canv.drawPath(path, stroke=0, fill=1)
        self.canv.restoreState()


def with_pix(info: Flowable, code: str, valid_until: date, width: float, style: ParagraphStyle) -> Table:
    """`info` (the receivable's data) with the Pix strip below it, `width` points wide."""
    text = Paragraph(
        f"<b>Pix copia e cola</b> — valor válido para pagamento até {fmt.day(valid_until)} (código estático; "
        f"depois dessa data o valor muda):<br/><font face=\"Courier\" size=\"7\">{escape(code)}</font>",
        ParagraphStyle("pix", parent=style, splitLongWords=1),
    )
    strip = Table([[QrCode(code), text]], colWidths=[QR_SIZE + 6, width - QR_SIZE - 6], hAlign="LEFT")
    strip.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 3),
                               ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    outer = Table([[info], [strip]], colWidths=[width], hAlign="LEFT")
    outer.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    return outer
