"""Pix: what the codes cost — 1,000 codes, QR images, an e-mail with the inline QR, and the PDF with Pix vs without."""

from __future__ import annotations

import io
import shutil

from benchmarks.measure import pct, peak_rss_mb, timed
from cobranca import Filter, open_db

PIX = {"pix_key": "11222333000181", "pix_name": "Empresa de Benchmark Ltda", "pix_city": "São Paulo"}


def bench_pix(fx, runs: int) -> list[dict]:
    from pypdf import PdfReader

    from benchmarks.cases import _pdf_db
    from cobranca.contacting import mailer
    from cobranca.pix import brcode as pix
    from cobranca.pix import charge as pix_charge
    from cobranca.pix import qr as pix_qr
    from cobranca.report.pdf import render_report

    source = _pdf_db(fx.work, fx.today)
    path = fx.work / "pdf-1000-pix.duckdb"
    shutil.copyfile(source, path)  # Pix settings in a copy: the pdf section's database stays as it is
    db = open_db(path)
    for key, value in PIX.items():
        db.settings.set(key, value)
    settings = db.settings.all()
    flt = Filter(description="Todas as vencidas", min_days=1).validated()
    rows = db.worklists.rows(flt, fx.today).to_dict("records")
    codes: list[str] = []
    code_times = timed(lambda: codes.__setitem__(slice(None), [pix_charge.for_row(r, settings, fx.today).code
                                                              for r in rows]), runs)
    ok = all(pix.decode(c).amount == r["updated_amount"] for c, r in zip(codes, rows, strict=True))
    sample = codes[:100]
    png_times = timed(lambda: [pix_qr.png_bytes(c) for c in sample], runs)
    svg_times = timed(lambda: [pix_qr.svg_text(c) for c in sample], runs)
    plain = timed(lambda: [mailer.build_message("a@b.com.br", "c@d.com.br", "Assunto", "Texto") for _ in sample], runs)
    with_qr = timed(lambda: [mailer.build_message("a@b.com.br", "c@d.com.br", "Assunto", "Texto", pix=c)
                             for c in sample], runs)
    pdf: dict = {}
    pdf_runs = min(runs, 3)
    off = timed(lambda: pdf.update(off=render_report(db, flt, fx.today, responsible="BENCH", pix=False)), pdf_runs)
    on = timed(lambda: pdf.update(on=render_report(db, flt, fx.today, responsible="BENCH", pix=True)), pdf_runs)
    pages_off, pages_on = pdf["off"].pages, pdf["on"].pages
    size = {k: len(v.pdf) / 1e6 for k, v in pdf.items()}
    ok_pdf = len(PdfReader(io.BytesIO(pdf["on"].pdf)).pages) == pages_on
    n = len(rows)
    per = lambda times, count: pct(times, 0.5) / count * 1000  # noqa: E731 - ms per item
    return [
        {"case": f"Pix codes ({n:,} rows)", "engine": "pix_charge.for_row", "p50": pct(code_times, 0.5),
         "rate": f"{n / pct(code_times, 0.5):,.0f} codes/s", "check": "ok" if ok else "DIFF"},
        {"case": "QR PNG (100 codes)", "engine": "segno", "p50": pct(png_times, 0.5), "rate": f"{per(png_times, 100):.2f} ms each"},
        {"case": "QR SVG (100 codes)", "engine": "segno", "p50": pct(svg_times, 0.5), "rate": f"{per(svg_times, 100):.2f} ms each"},
        {"case": "e-mail message (100)", "engine": "plain text", "p50": pct(plain, 0.5), "vs": "1.00× plain"},
        {"case": "e-mail message (100)", "engine": "text + HTML + inline QR", "p50": pct(with_qr, 0.5),
         "vs": f"{pct(with_qr, 0.5) / pct(plain, 0.5):.2f}× plain"},
        {"case": f"PDF {n:,} receivables", "engine": "without Pix", "p50": pct(off, 0.5),
         "rate": f"{pages_off} pages, {size['off']:.1f} MB", "vs": "1.00× off"},
        {"case": f"PDF {n:,} receivables", "engine": "with QR + code each", "p50": pct(on, 0.5),
         "rate": f"{pages_on} pages, {size['on']:.1f} MB", "vs": f"{pct(on, 0.5) / pct(off, 0.5):.2f}× off",
         "rss": peak_rss_mb(), "check": "ok" if ok_pdf else "DIFF"},
    ]
