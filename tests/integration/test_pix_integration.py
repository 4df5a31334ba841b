"""Pix everywhere the customer sees an amount: CLI, messages, e-mail over loopback SMTP, PDF, dashboard panel.

Every code is read back (text decoder with CRC check; images with zxing-cpp) and its amount compared with
the worklist's updated amount to the cent.
"""

from __future__ import annotations

import html
import io
import re
from datetime import date
from decimal import Decimal

from pypdf import PdfReader
from support.e2e_helpers import FILTER_1_10, build_known_db
from support.pix_helpers import enable_pix, pdf_page_png, qr_texts
from support.smtp_helpers import configure

from cobranca.cli import main
from cobranca.contacting.templates import render_for_customer, render_for_receivable
from cobranca.dashboard import build_app
from cobranca.pix import brcode as pix
from cobranca.report.pdf import build_report, render_report
from cobranca.workflows.messaging import bulk_email, send_email, worklist_row

AS_OF = date(2020, 6, 8)
CODE_LINE = re.compile(r"^000201\S.*$", re.MULTILINE)




def updated(db, document: str, installment: str = "1") -> Decimal:
    """The worklist's updated amount of one receivable on AS_OF (everything open, SQL)."""
    frame = db.worklists.rows(None, AS_OF)
    match = frame[(frame["document"] == document) & (frame["installment"] == installment)]
    return match.iloc[0]["updated_amount"]


def codes_in(text: str) -> list[str]:
    return CODE_LINE.findall(text)


# -- CLI ------------------------------------------------------------------------------------------
def test_cli_without_pix_key_exits_2_saying_how_to_set_it(run):
    code, out, err = run("pix", "144", "--as-of", "2020-06-08")
    assert code == 2 and out == ""
    assert "chave Pix não está configurada" in err and "cobranca settings set pix_key" in err


def test_settings_set_stores_the_normalised_key(run, db):
    code, out, _ = run("settings", "set", "pix_key", "11.222.333/0001-81")
    assert code == 0 and out.strip() == "pix_key = 11222333000181"
    assert db.settings.stored()["pix_key"] == "11222333000181"
    code, _, err = run("settings", "set", "pix_key", "11.222.333/0001-80")
    assert code == 2 and "pix_key" in err and "CNPJ" in err
    assert db.settings.stored()["pix_key"] == "11222333000181"


def test_cli_prints_the_code_first_for_the_worklist_amount_and_writes_a_png(run, db, tmp_path):
    enable_pix(db)
    png = tmp_path / "pix.png"
    code, out, err = run("pix", "144", "--as-of", "2020-06-08", "--png", str(png))
    assert code == 0, err
    first, *rest = out.splitlines()
    decoded = pix.decode(first)
    assert decoded.amount == updated(db, "144") == Decimal("1022.33")
    assert (decoded.key, decoded.txid, decoded.name, decoded.city) == (
        "11222333000181", "144P1", "CompuFour Cobrancas e Ser", "Sao Miguel do O")
    assert "valor válido para pagamento até 08/06/2020" in out.lower() and "R$ 1.022,33" in out
    assert qr_texts(png) == [first]


def test_cli_installment_customer_total_and_check(run, db):
    enable_pix(db)
    code, out, err = run("pix", "200/A", "--installment", "2", "--as-of", "2020-06-08")
    assert code == 0, err
    decoded = pix.decode(out.splitlines()[0])
    assert decoded.amount == worklist_row(db, "200/A", "2", AS_OF)["updated_amount"] == Decimal("89.90")  # not due
    assert decoded.txid == pix.txid_for_receivable("200/A", "2") != pix.txid_for_receivable("200/A", "1")

    code, out, err = run("pix", "--customer", "1", "--as-of", "2020-06-08")
    assert code == 0, err
    total = updated(db, "144") + updated(db, "145")
    assert pix.decode(out.splitlines()[0]).amount == total == Decimal("1227.60")
    assert pix.decode(out.splitlines()[0]).txid == "1K"

    code, out, err = run("pix", "--check", out.splitlines()[0])
    assert code == 0 and "CRC confere" in out and "R$ 1.227,60" in out and "CNPJ" in out
    code, out, err = run("pix", "--check", out and "00020126" + "x" * 20 + "6304ABCD")
    assert code == 2 and "CRC inválido" in err


def test_cli_usage_errors(run, db):
    enable_pix(db)
    assert run("pix")[0] == 2
    code, _, err = run("pix", "144", "--customer", "1")
    assert code == 2 and "um dos dois" in err
    code, _, err = run("pix", "--customer", "999", "--as-of", "2020-06-08")
    assert code == 2 and "999" in err
    code, _, err = run("pix", "500")  # settled
    assert code == 2 and "quitado" in err
    code, _, err = run("pix", "144", "--png", "/nao/existe/pix.png")
    assert code == 2 and "pasta" in err


# -- messages -------------------------------------------------------------------------------------
def test_default_messages_have_a_pix_paragraph_only_when_pix_key_is_set(db, run):
    code, out, _ = run("message", "144", "--as-of", "2020-06-08")
    assert code == 0 and "Pix" not in out and not codes_in(out)
    enable_pix(db)
    for channel in ("whatsapp", "sms", "email"):
        code, out, err = run("message", "144", "--channel", channel, "--as-of", "2020-06-08")
        assert code == 0, err
        assert "valor válido para pagamento até 08/06/2020" in out
        [found] = codes_in(out)
        assert pix.decode(found).amount == updated(db, "144")
        assert "R$ 1.022,33" in out  # the text and the code say the same amount


def test_message_and_code_agree_with_the_worklist_to_the_cent(db):
    settings = enable_pix(db)
    frame = db.worklists.rows(None, AS_OF)
    assert len(frame) >= 4
    for row in frame.to_dict("records"):
        rendered = render_for_receivable(row, "whatsapp", settings, "ANA", AS_OF)
        assert pix.decode(rendered.pix).amount == row["updated_amount"]
        assert codes_in(rendered.body) == [rendered.pix]
    row = worklist_row(db, "402", None, AS_OF)  # the same SQL as the worklist, one receivable
    assert row["updated_amount"] == frame[frame["document"] == "402"].iloc[0]["updated_amount"]


def test_per_customer_message_has_one_code_for_the_total(db):
    settings = enable_pix(db)
    rows = [r for r in db.worklists.rows(None, AS_OF).to_dict("records") if r["customer_code"] == "1"]
    rendered = render_for_customer(rows, "email", settings, "ANA", AS_OF)
    assert codes_in(rendered.body) == [rendered.pix]
    assert pix.decode(rendered.pix).amount == sum(r["updated_amount"] for r in rows) == Decimal("1227.60")
    assert "Total atualizado: R$ 1.227,60" in rendered.body


def test_custom_template_uses_the_pix_fields(db, run):
    enable_pix(db)
    code, _, err = run("settings", "set", "template_whatsapp", "Pague {{ valor_atualizado }}: {{ pix }} até {{ pix_validade }}")
    assert code == 0, err
    code, out, _ = run("message", "144", "--as-of", "2020-06-08")
    [found] = codes_in(out.replace(": ", ":\n").replace(" até", "\n até"))
    assert pix.decode(found).amount == Decimal("1022.33") and "até 08/06/2020" in out


# -- e-mail ---------------------------------------------------------------------------------------
def _parts(message):
    plain = message.get_body(preferencelist=("plain",)).get_content()
    html_part = message.get_body(preferencelist=("html",))
    images = [p for p in message.walk() if p.get_content_type() == "image/png"]
    return plain, html_part, images


def test_email_carries_the_qr_inline_with_the_code_below(db, smtp_server, monkeypatch):
    monkeypatch.setenv("COBRANCA_USER", "SUPERVISOR")
    configure(db, smtp_server.port)
    enable_pix(db)
    assert main(["--db", str(db.path), "send", "144", "--channel", "email", "--as-of", "2020-06-08"]) == 0
    [(_sender, rcpts, message)] = smtp_server.messages
    assert rcpts == ["financeiro@compufour.com.br"]
    plain, html_part, images = _parts(message)
    [code] = codes_in(plain)
    assert pix.decode(code).amount == updated(db, "144")
    assert message.get_content_type() == "multipart/alternative"
    assert html_part is not None and html_part.get_content_type() == "text/html"
    [image] = images
    cid = image["Content-ID"].strip("<>")
    related = next(p for p in message.walk() if p.get_content_type() == "multipart/related")
    page = related.get_body(preferencelist=("html",)).get_content()
    assert f'src="cid:{cid}"' in page
    below = page[page.index(f"cid:{cid}"):]
    assert "<code" in below and html.escape(code) in below  # the text code is below the QR
    assert image.get_content_disposition() == "inline"
    assert qr_texts(image.get_content()) == [code]
    assert db.contacts.history("144", "1").iloc[0]["channel"] == "E-mail"


def test_email_without_pix_stays_plain_text(db, smtp_server):
    configure(db, smtp_server.port)
    send_email(db, "144", "1", "a@example.com", "Assunto", "Texto")
    [(_s, _r, message)] = smtp_server.messages
    assert message.get_content_type() == "text/plain"


def test_bulk_email_gets_one_qr_per_customer_for_the_total(db, smtp_server):
    configure(db, smtp_server.port)
    enable_pix(db)
    report = bulk_email(db, None, AS_OF, by="ANA", dry_run=False)
    assert len(report.sent) == len(smtp_server.messages) >= 2
    frame = db.worklists.rows(None, AS_OF)
    for (_s, rcpts, message) in smtp_server.messages:
        plain, _html, [image] = _parts(message)
        [code] = qr_texts(image.get_content())
        assert codes_in(plain) == [code]
        expected = frame[frame["email"] == rcpts[0]]["updated_amount"].sum()
        assert pix.decode(code).amount == expected


def test_html_part_escapes_customer_text(db, smtp_server):
    configure(db, smtp_server.port)
    enable_pix(db)
    code = db.pix.for_receivable("144", None, AS_OF)[0].code
    send_email(db, "144", "1", "a@example.com", "Assunto", "<script>alert(1)</script>", pix=code)
    [(_s, _r, message)] = smtp_server.messages
    page = message.get_body(preferencelist=("html",)).get_content()
    assert "<script>" not in page and "&lt;script&gt;" in page


# -- PDF ------------------------------------------------------------------------------------------
def test_pdf_blocks_carry_qr_codes_that_read_back_to_the_worklist_amounts(db, tmp_path):
    enable_pix(db)
    rendered = render_report(db, "Vencidas de 1 a 10 dias", AS_OF)
    frame = db.worklists.rows("Vencidas de 1 a 10 dias", AS_OF)
    expected = {pix.txid_for_receivable(d, i): a for d, i, a in
                zip(frame["document"], frame["installment"], frame["updated_amount"], strict=True)}
    found = []
    for page in range(1, rendered.pages + 1):
        found += qr_texts(pdf_page_png(rendered.pdf, page, tmp_path))
    decoded = {pix.decode(code).txid: pix.decode(code).amount for code in found}
    assert decoded == expected and len(found) == len(frame)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(rendered.pdf)).pages)
    assert text.count("Pix copia e cola") == len(frame) and "valor válido para pagamento até 08/06/2020" in text


def test_pdf_pix_is_switched_off_by_flag_or_setting(db, tmp_path):
    enable_pix(db)
    off = build_report(db, "Vencidas de 1 a 10 dias", AS_OF, pix=False)
    assert qr_texts(pdf_page_png(off, 1, tmp_path)) == []
    db.settings.set("pix_in_report", "não")
    by_setting = build_report(db, "Vencidas de 1 a 10 dias", AS_OF)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(by_setting)).pages)
    assert "Pix" not in text


# -- dashboard ------------------------------------------------------------------------------------
def test_contact_panel_shows_the_code_of_the_selected_rows_updated_amount(tmp_path):
    db = build_known_db(tmp_path / "painel.duckdb")
    enable_pix(db, pix_name='"><img src=x onerror=alert(1)>')
    app = build_app(db)
    app.filters.dropdown.label = FILTER_1_10
    cells = app.worklist.grid.data
    for document in ("144", "200/A"):
        position = int(cells.index[cells["Documento/Parcela"].str.startswith(f"{document} / ")][0])
        app.worklist.on_click({"region": "body", "column": "Cliente", "column_index": 0, "row": position,
                               "primary_key_row": position, "cell_value": cells.iloc[position]["Cliente"]})
        app.actions.contact_button.click()
        row = app.state.selected_row
        panel = app.contact.pix
        assert panel.layout.display is None and panel.code
        assert pix.decode(panel.code).amount == row["updated_amount"]
        assert pix.decode(panel.code).txid == pix.txid_for_receivable(row["document"], row["installment"])
        body = panel.body.value
        shown = re.search(r'<textarea class="cobranca-pix-code"[^>]*>([^<]*)</textarea>', body).group(1)
        assert html.unescape(shown) == panel.code
        assert 'src="data:image/svg+xml;base64,' in body and "Copiar código Pix" in body
        assert "<img src=x" not in body  # the receiver's name is in the code, escaped everywhere
    db.settings.set("pix_key", "")
    app.state.reload()
    app.worklist.on_click({"region": "body", "column": "Cliente", "column_index": 0, "row": 0,
                           "primary_key_row": 0, "cell_value": cells.iloc[0]["Cliente"]})
    app.actions.contact_button.click()
    assert app.contact.pix.code == "" and app.contact.pix.layout.display == "none"


def test_dashboard_email_send_carries_the_panels_qr(tmp_path, smtp_server, monkeypatch):
    monkeypatch.setenv("COBRANCA_USER", "SUPERVISOR")  # the dashboard fills messages only once it knows who signs
    db = build_known_db(tmp_path / "painel.duckdb")
    configure(db, smtp_server.port)
    enable_pix(db)
    app = build_app(db)
    app.filters.dropdown.label = FILTER_1_10
    cells = app.worklist.grid.data
    position = int(cells.index[cells["Documento/Parcela"].str.startswith("144 / ")][0])
    app.worklist.on_click({"region": "body", "column": "Cliente", "column_index": 0, "row": position,
                           "primary_key_row": position, "cell_value": cells.iloc[position]["Cliente"]})
    app.actions.contact_button.click()
    app.contact.channel.value = "E-mail"
    shown = app.contact.pix.code
    assert codes_in(app.contact.message.value) == [shown]
    app.contact.send_button.click()
    assert app.alerts.kind == "success", app.alerts.text
    [(_s, _r, message)] = smtp_server.messages
    _plain, _html, [image] = _parts(message)
    assert qr_texts(image.get_content()) == [shown]
    assert pix.decode(shown).amount == app.state.selected_row["updated_amount"]
