"""End to end in a real Chromium: a promise made from the dashboard takes the row out of the grid; a broken
promise shows its badge (red cell, status line) and comes first."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from support.browser import Dashboard, playwright_api
from support.e2e_helpers import FILTER_1_10, build_known_db
from support.known import clock_today

from cobranca import open_db
from cobranca.dashboard.grid import HEADER_HEIGHT, ROW_HEIGHT
from cobranca.store import promises as promise_records

pytestmark = pytest.mark.browser


def seed_dashboard(db_path):
    """The known database where 666 has a promise that broke two days ago (the `server` of e2e/conftest.py)."""
    db = build_known_db(db_path)
    due = clock_today() - timedelta(days=2)
    with db.session(), db.store.transaction() as con:
        row = db.worklists.row("666")
        promise_records.add_receivable_event(con, int(row["receivable_id"]), "promise", "ANA",
                                             datetime.combine(due - timedelta(days=5), datetime.min.time()),
                                             "prometeu pagar", due, row["updated_amount"], row["balance"])
    return db


def row_has_red(dash: Dashboard, row: int) -> bool:
    """Whether grid row `row` has a red cell (the "Promessa quebrada" badge, #f4c7c3, maybe dimmed by the page)."""
    from io import BytesIO

    from PIL import Image

    grid = dash.page.locator(".cobranca-grid").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    image = Image.open(BytesIO(dash.page.screenshot(clip=box))).convert("RGB")
    y = int(HEADER_HEIGHT + ROW_HEIGHT * row + 5)
    pixels = [image.getpixel((x, y)) for x in range(0, int(box["width"]) - 1, 2)]
    return sum(1 for r, g, b in pixels if r - g >= 15 and r - b >= 15) >= 20  # a cell, not an antialiased letter


def test_broken_promise_badge_comes_first(dash):
    dash.choose_filter(FILTER_1_10)
    dash.wait_text(".cobranca-count", r"Mostrando 3 de 3")
    dash.wait_text(".cobranca-kpi-promises_broken", r"Promessas quebradas\s*1")
    dash.click_row(2, "200/A")  # the selection highlight off row 0
    dash.page.wait_for_timeout(300)
    dash.shot("20-promessa-quebrada-grade")
    assert row_has_red(dash, 0)  # the red "Promessa quebrada" badge, on the first row only
    assert not row_has_red(dash, 1)
    dash.click_row(0, "666")  # broken first, although 144 is more overdue
    dash.wait_text(".cobranca-conversation-status", "Promessa quebrada")
    dash.shot("20-promessa-quebrada")
    assert dash.dialogs == []


def test_promise_from_the_dashboard_takes_the_row_out_of_the_grid(dash, server):
    dash.choose_filter(FILTER_1_10)
    dash.wait_text(".cobranca-count", r"Mostrando 3 de 3")
    dash.click_row(1, "144")
    dash.click("cobranca-action-promise")
    form = dash.page.locator(".cobranca-conversation-form")
    playwright_api.expect(form).to_be_visible()
    promised = clock_today() + timedelta(days=3)
    dash.page.locator(".cobranca-promise-date input").fill(promised.isoformat())
    dash.page.locator(".cobranca-conversation-text textarea").fill("<b>paga na sexta</b>")
    dash.shot("21-promessa-formulario")
    dash.click("cobranca-conversation-confirm")
    dash.wait_text(".cobranca-count", r"Mostrando 2 de 2")
    dash.wait_text(".cobranca-alerts", "Promessa registrada")
    dash.wait_text(".cobranca-kpi-promises_active", r"Promessas ativas\s*1")
    dash.shot("22-promessa-registrada")
    db = open_db(server["db_path"])
    assert "144" not in set(db.worklists.rows(FILTER_1_10)["document"])
    paused = db.worklists.rows(FILTER_1_10, include_paused=True)
    row = paused[paused["document"] == "144"].iloc[0]
    assert (row["status"], row["promise_date"]) == ("promised", promised)
    assert db.contacts.history("144").iloc[0]["observation"].endswith("<b>paga na sexta</b>")
    assert dash.dialogs == []
