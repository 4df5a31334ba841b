"""Pix in a real Chromium: the contact panel's QR (segno SVG) read back from a screenshot, the copy button,
and the CLI's SVG file rendered by the browser and read back."""

from __future__ import annotations

from io import BytesIO

import pytest
from support.browser import SHOTS, Dashboard
from support.e2e_helpers import FILTER_1_10, build_known_db
from support.pix_helpers import enable_pix, qr_texts

from cobranca import open_db
from cobranca.cli import main
from cobranca.pix import brcode as pix

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")


def seed_dashboard(db_path):
    """The known database with Pix enabled (the `server` of e2e/conftest.py)."""
    db = build_known_db(db_path)
    enable_pix(db)
    return db


def test_contact_panel_qr_reads_back_and_the_button_copies_the_code(browser, server):
    from PIL import Image

    db = open_db(server["db_path"])
    expected = db.worklists.rows(FILTER_1_10).iloc[0]
    dash = Dashboard(browser, server["url"])
    try:
        dash.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server["url"].rstrip("/"))
        dash.choose_filter(FILTER_1_10)
        dash.click_row(0, expected["document"])
        dash.click("cobranca-action-contact")
        qr = dash.page.locator("img.cobranca-pix-qr")
        playwright_api.expect(qr).to_be_visible()
        code = dash.page.locator("textarea.cobranca-pix-code").input_value()
        assert pix.decode(code).amount == expected["updated_amount"]
        assert dash.page.locator("textarea.cobranca-pix-code").get_attribute("readonly") is not None
        qr.scroll_into_view_if_needed()
        assert qr_texts(Image.open(BytesIO(qr.screenshot()))) == [code]  # the SVG as the browser draws it
        dash.page.locator(".cobranca-contact-panel").first.scroll_into_view_if_needed()
        dash.shot("pix-01-painel-de-contato")
        dash.page.locator("button.cobranca-pix-copy").click()
        playwright_api.expect(dash.page.locator("button.cobranca-pix-copy")).to_have_text("Código copiado")
        assert dash.page.evaluate("navigator.clipboard.readText()") == code
        assert dash.dialogs == []
    finally:
        dash.close()


def test_cli_svg_drawn_by_the_browser_reads_back(browser, tmp_path, capsys):
    from PIL import Image

    db = build_known_db(tmp_path / "svg.duckdb")
    enable_pix(db)
    svg = tmp_path / "pix.svg"
    assert main(["--db", str(db.path), "pix", "144", "--svg", str(svg)]) == 0
    code = capsys.readouterr().out.splitlines()[0]
    page = browser.new_page(viewport={"width": 400, "height": 400})
    try:
        page.goto(svg.as_uri())
        image = Image.open(BytesIO(page.locator("svg").screenshot()))
    finally:
        page.close()
    assert qr_texts(image) == [code]
    SHOTS.mkdir(parents=True, exist_ok=True)
    image.save(SHOTS / "pix-02-cli.png")
