"""The PDF "Termo de acordo e confissão de dívida" of one agreement (reportlab, A4, pt-BR).

Pure: it takes the agreement (`db.agreements.show`) and the settings; customer text is escaped, never markup.
"""

from __future__ import annotations

import io
from datetime import date
from xml.sax.saxutils import escape

from babel.dates import format_date
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ..core import formatting as fmt
from ..core.formatting import LOCALE
from ..core.taxid import format_tax_id
from ..report.page import FONT, FONT_BOLD, GRID, register_fonts
from ..report.pix import QrCode

TITLE = "Termo de acordo e confissão de dívida"
WIDTH = A4[0] - 36 * mm


def _styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, spaceAfter=5)
    return {"title": ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=14, leading=18,
                                    alignment=1, spaceAfter=10),
            "head": ParagraphStyle("head", parent=body, fontName=FONT_BOLD, spaceBefore=6),
            "body": body, "code": ParagraphStyle("code", parent=body, fontName="Courier", fontSize=7, leading=9,
                                                 splitLongWords=1),
            "cell": ParagraphStyle("cell", parent=body, fontSize=8.5, leading=11, spaceAfter=0)}


def _t(value) -> str:
    return escape(fmt.text(value))


def _party(label: str, name: str, tax_id: str | None) -> str:
    doc = format_tax_id(tax_id) if tax_id else "não informado"
    kind = "CPF" if tax_id and len(tax_id) == 11 else "CNPJ" if tax_id and len(tax_id) == 14 else "CPF/CNPJ"
    return f"<b>{label}:</b> {_t(name)}, {kind} {escape(doc)}."


def _table(header: list[str], rows: list[list[str]], widths: list[float], styles) -> Table:
    cells = [[Paragraph(f"<b>{escape(h)}</b>", styles["cell"]) for h in header]]
    cells += [[Paragraph(escape(c), styles["cell"]) for c in row] for row in rows]
    table = Table(cells, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, GRID),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f5")),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _originals(agreement: dict, styles) -> Table:
    rows = [[f"{o['document']}/{o['installment']}", fmt.day(o["due_date"]), str(o["days_overdue"]), fmt.brl(o["balance"]),
             fmt.brl(o["fine"]), fmt.brl(o["interest"]), fmt.brl(o["balance"] + o["fine"] + o["interest"])]
            for o in agreement["originals"]]
    rows.append(["Total", "", "", "", "", "", fmt.brl(agreement["total_original"])])
    widths = [w * WIDTH for w in (0.15, 0.15, 0.07, 0.17, 0.14, 0.14, 0.18)]
    return _table(["Conta", "Vencimento", "Dias", "Saldo", "Multa", "Juros", "Atualizado"], rows, widths,
                  styles)


def _schedule(agreement: dict, styles) -> Table:
    payments = [agreement["entry"], *agreement["installments"]]
    rows = [["Entrada" if p["number"] == 0 else f"Parcela {p['number']} de {len(payments) - 1}",
             f"{p['document']}/{p['installment']}", fmt.day(p["due_date"]), fmt.brl(p["amount"])] for p in payments]
    rows.append(["Total", "", "", fmt.brl(agreement["total"])])
    return _table(["Pagamento", "Documento", "Vencimento", "Valor"], rows,
                  [w * WIDTH for w in (0.3, 0.25, 0.2, 0.25)], styles)


def _pix(agreement: dict, styles) -> list:
    charge = agreement["entry"].get("pix")
    if charge is None:
        return []
    text = Paragraph(f"<b>Pague a entrada com Pix</b> ({escape(fmt.brl(charge.amount))}, vencimento "
                     f"{escape(fmt.day(agreement['entry']['due_date']))}) — Pix copia e cola:<br/>"
                     f"<font face=\"Courier\" size=\"7\">{escape(charge.code)}</font>", styles["body"])
    strip = Table([[QrCode(charge.code, size=110), text]], colWidths=[118, WIDTH - 118], hAlign="LEFT")
    strip.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return [strip]


def _clauses(agreement: dict, grace_days: int, styles) -> list:
    b, total, discount = styles["body"], fmt.brl(agreement["total"]), fmt.brl(agreement["discount"])
    return [
        Paragraph("<b>1. Confissão da dívida.</b> O DEVEDOR reconhece e confessa dever ao CREDOR as contas abaixo, "
                  f"com multa e juros calculados até {escape(fmt.day(agreement['as_of']))}:", b),
        _originals(agreement, styles), Spacer(1, 4),
        Paragraph(f"<b>2. Desconto.</b> O CREDOR concede desconto de {escape(discount)} sobre multa e juros, "
                  f"condicionado ao cumprimento integral deste acordo. Valor total do acordo: <b>{escape(total)}</b>.", b),
        Paragraph("<b>3. Forma de pagamento.</b> O DEVEDOR pagará o total do acordo assim:", b),
        _schedule(agreement, styles), Spacer(1, 4), *_pix(agreement, styles),
        Paragraph(f"<b>4. Vencimento antecipado.</b> O atraso de qualquer pagamento por mais de {fmt.plural(grace_days, 'dia', 'dias')} "
                  "após o seu vencimento rescinde este acordo de pleno direito: as parcelas restantes vencem "
                  "antecipadamente, o desconto da cláusula 2 é revogado e as contas da cláusula 1 voltam a ser "
                  "cobradas com multa e juros desde os seus vencimentos originais, abatidos os valores pagos neste "
                  "acordo (imputados às contas mais antigas primeiro).", b),
        Paragraph("<b>5. Quitação.</b> Pagos todos os valores da cláusula 3, as contas da cláusula 1 ficam quitadas.", b),
    ]


def _signatures(company: str, customer: str, place: str, day_: date, styles) -> list:
    long_date = format_date(day_, format="long", locale=LOCALE)
    line = "_" * 42
    sign = Table([[Paragraph(f"{line}<br/>CREDOR: {_t(company)}", styles["cell"]),
                   Paragraph(f"{line}<br/>DEVEDOR: {_t(customer)}", styles["cell"])],
                  [Paragraph(f"<br/><br/>{line}<br/>Testemunha 1 — nome e CPF", styles["cell"]),
                   Paragraph(f"<br/><br/>{line}<br/>Testemunha 2 — nome e CPF", styles["cell"])]],
                 colWidths=[WIDTH / 2, WIDTH / 2], hAlign="LEFT")
    return [Spacer(1, 8), Paragraph(f"{_t(place) or '____________________'}, {escape(long_date)}.", styles["body"]),
            Spacer(1, 26), sign]


def build_term(agreement: dict, settings: dict, grace_days: int) -> bytes:
    """The term's PDF bytes."""
    register_fonts()
    styles = _styles()
    company = str(settings.get("company_name") or "")
    story = [Paragraph(f"{TITLE} nº {agreement['id']}", styles["title"]),
             Paragraph(_party("CREDOR", company, settings.get("company_tax_id") or None), styles["body"]),
             Paragraph(_party("DEVEDOR", agreement["customer"], agreement["tax_id"]), styles["body"]),
             *_clauses(agreement, grace_days, styles),
             KeepTogether(_signatures(company, agreement["customer"], str(settings.get("pix_city") or ""),
                                      agreement["as_of"], styles))]
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                            bottomMargin=16 * mm, title=f"{TITLE} nº {agreement['id']}", author=company)
    doc.build(story)
    return out.getvalue()
