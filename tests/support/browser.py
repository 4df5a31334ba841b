"""The dashboard in a real Chromium: Debian's browser, `cobranca dashboard` (Voila) on a free port, one tab's helpers.

Screenshots of the main states go to artifacts/screenshots/.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from benchmarks.browser import start_server, stop_server
from benchmarks.measure import free_port

playwright_api = pytest.importorskip("playwright.sync_api")

ROOT = Path(__file__).resolve().parents[2]  # the checkout
SHOTS = ROOT / "artifacts" / "screenshots"
LOAD_TIMEOUT_MS = 60_000
STEP_TIMEOUT_MS = 20_000
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def _start(command: list[str], folder: Path, db_path: Path, port: int, user: str | None = "SUPERVISOR") -> subprocess.Popen:
    """Start a server process and wait until its port accepts connections (COBRANCA_USER=`user`, unset if None)."""
    env = {**os.environ, "COBRANCA_DB": str(db_path), "COBRANCA_USER": user or ""}
    if user is None:
        env.pop("COBRANCA_USER")
    try:
        return start_server(command, port, env, folder / f"server-{port}.log", cwd=ROOT, timeout=60)
    except RuntimeError as exc:
        pytest.fail(f"o painel não subiu: {exc}")


def require_chromium() -> None:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip("Chromium não instalado (/usr/bin/chromium)")


@contextmanager
def serve_dashboard(folder: Path, db_path: Path, user: str | None = "SUPERVISOR") -> Iterator[str]:
    """`python -m cobranca dashboard` on a free port over `db_path`; yields its URL, stops it on exit."""
    port = free_port()
    proc = _start([sys.executable, "-m", "cobranca", "dashboard", "--port", str(port), "--no-browser"],
                  folder, db_path, port, user)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        stop_server(proc)


class Dashboard:
    """One tab (one kernel) of the dashboard, with helpers that know the page's CSS classes."""

    def __init__(self, browser, url: str):
        self.context = browser.new_context(locale="pt-BR", accept_downloads=True,
                                           viewport={"width": 1300, "height": 1300})
        self.page = self.context.new_page()
        self.page.set_default_timeout(STEP_TIMEOUT_MS)
        self.dialogs: list[str] = []
        self.page.on("dialog", self._on_dialog)
        started = time.monotonic()
        self.page.goto(url, timeout=LOAD_TIMEOUT_MS)
        self.page.wait_for_selector(".cobranca-grid table", timeout=LOAD_TIMEOUT_MS)
        playwright_api.expect(self.page.locator(".cobranca-count")).to_contain_text(
            re.compile(r"Mostrando|Nenhuma conta"), timeout=LOAD_TIMEOUT_MS)  # the data, read after the request
        self.load_seconds = time.monotonic() - started

    def _on_dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def close(self) -> None:
        self.context.close()

    def shot(self, name: str) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def text(self, selector: str) -> str:
        return self.page.locator(selector).first.inner_text()

    def wait_text(self, selector: str, pattern: str) -> str:
        """Wait until `selector`'s text matches the regular expression `pattern`."""
        locator = self.page.locator(selector).first
        playwright_api.expect(locator).to_contain_text(re.compile(pattern), timeout=STEP_TIMEOUT_MS)
        return locator.inner_text()

    def choose_filter(self, label: str) -> float:
        """Pick a saved filter; returns the seconds until the page shows it (the summary is redrawn last)."""
        summary = self.page.locator(".cobranca-filter-summary")
        before = summary.inner_text()
        current = _plain(self.page.locator(".cobranca-filter-dropdown select option:checked").inner_text())
        started = time.monotonic()
        self.page.select_option(".cobranca-filter-dropdown select", label=label)
        if current != label:
            playwright_api.expect(summary).not_to_have_text(before, timeout=STEP_TIMEOUT_MS)
        return time.monotonic() - started

    def grid_box(self) -> dict:
        return self.page.locator(".cobranca-grid").first.bounding_box()

    def row(self, document: str):
        return self.page.locator(".cobranca-grid tr", has_text=f"{document} / ").first

    def click_row(self, position: int, document: str) -> None:
        """Click the `position`-th row on screen, which must be `document`'s."""
        row = self.page.locator(".cobranca-grid tbody tr").nth(position)
        playwright_api.expect(row).to_contain_text(f"{document} / ")
        row.locator("td").first.click()
        self.expect_selected(document)

    def expect_selected(self, document: str) -> None:
        key = self.page.locator(".cobranca-selected-key")
        playwright_api.expect(key).to_have_attribute("data-document", document, timeout=STEP_TIMEOUT_MS)

    def click(self, css: str) -> None:
        self.page.locator(f"button.{css}").first.click()

    def contacted(self, document: str) -> bool:
        return "contacted" in (self.row(document).get_attribute("class") or "")


def _plain(text: str) -> str:
    return text.replace("\xa0", " ")  # ipywidgets shows option labels with non-breaking spaces
