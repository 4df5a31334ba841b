"""The analyst's screen in a real Chromium at 1366×768 and 1920×1080 (issue 21).

Every form is opened, each of its fields and buttons must be inside the viewport with nothing over it
(`document.elementFromPoint` at its centre is the element or inside it), and each form is filled and saved
by clicking at those coordinates, as a person would. The decision columns and the action buttons are in the
first screen, the page loads nothing from another host, and the analyst's name is remembered by the browser.
Screenshots of every form at both sizes go to docs/screenshots/.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

import pytest
from support.browser import LOAD_TIMEOUT_MS, STEP_TIMEOUT_MS, playwright_api, require_chromium, serve_dashboard
from support.e2e_helpers import FILTER_1_10, build_known_db
from support.known import clock_today

from cobranca import open_db
from cobranca.dashboard.grid import DECISION_COLUMNS

pytestmark = pytest.mark.browser

SIZES = [(1366, 768), (1920, 1080)]
SECTIONS = ("Gráficos", "Importar arquivo", "Régua de cobrança", "Resultados", "Cliente", "Baixas", "Acordo")
DOCS_SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
ARTIFACT_SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots" / "screen"
FIELDS = "input:not([type=hidden]), textarea, select, button"

# Every visible field and button inside `root`: where it is, and whether something else is over its centre.
PROBE_JS = """
(root) => {
  const out = [];
  for (const el of root.querySelectorAll(arguments_fields)) {
    if (el.offsetParent === null) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    const hit = document.elementFromPoint(x, y);
    const label = el.innerText || el.placeholder || el.className || el.tagName;
    out.push({label: String(label).trim().slice(0, 40), left: r.left, top: r.top, right: r.right,
              bottom: r.bottom, x, y, free: !!hit && (hit === el || el.contains(hit) || hit.contains(el) && hit.tagName === 'LABEL')});
  }
  return out;
}
""".replace("arguments_fields", repr(FIELDS))


# Fields and buttons of the page (outside the notice) that the notice's box overlaps.
COVERED_JS = """
() => {
  const notice = document.querySelector('.cobranca-alerts');
  if (!notice || notice.offsetParent === null) return [];
  const n = notice.getBoundingClientRect();
  const out = [];
  for (const el of document.querySelectorAll(FIELDS + ', .jupyter-widget-Collapse-header')) {
    if (el.offsetParent === null || notice.contains(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width && r.height && r.left < n.right && n.left < r.right && r.top < n.bottom && n.top < r.bottom)
      out.push((el.innerText || el.placeholder || el.className).trim().slice(0, 40));
  }
  return out;
}
""".replace("FIELDS", repr(FIELDS))


class Screen:
    """One tab at a given viewport; clicks go to the centre of what a person sees."""

    def __init__(self, browser, url: str, size: tuple[int, int]):
        self.width, self.height = size
        self.context = browser.new_context(locale="pt-BR", timezone_id="America/Sao_Paulo",
                                           viewport={"width": self.width, "height": self.height})
        self.page = self.context.new_page()
        self.page.set_default_timeout(STEP_TIMEOUT_MS)
        self.requests: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.goto(url, timeout=LOAD_TIMEOUT_MS)
        playwright_api.expect(self.page.locator(".cobranca-count")).to_contain_text(
            re.compile(r"Mostrando|Nenhuma conta"), timeout=LOAD_TIMEOUT_MS)

    def close(self) -> None:
        self.context.close()

    def shot(self, name: str) -> None:
        """A small PNG (64 colours) in artifacts/, or in docs/screenshots/ with COBRANCA_DOCS_SCREENSHOTS=1."""
        from io import BytesIO

        from PIL import Image

        folder = DOCS_SHOTS if os.environ.get("COBRANCA_DOCS_SCREENSHOTS") else ARTIFACT_SHOTS
        folder.mkdir(parents=True, exist_ok=True)
        image = Image.open(BytesIO(self.page.screenshot())).convert("RGB")
        image.quantize(colors=64).save(folder / f"{name}-{self.width}x{self.height}.png", optimize=True)

    def probe(self, selector: str) -> list[dict]:
        return self.page.locator(selector).first.evaluate(PROBE_JS)

    def assert_usable(self, selector: str) -> list[dict]:
        """Every field and button of `selector` inside the viewport with nothing covering it."""
        playwright_api.expect(self.page.locator(selector).first).to_be_visible()
        self.page.wait_for_timeout(150)  # the dialog's last widgets drawn
        boxes = self.probe(selector)
        assert boxes, f"nada visível em {selector}"
        for box in boxes:
            inside = box["left"] >= 0 and box["top"] >= 0 and box["right"] <= self.width and box["bottom"] <= self.height
            assert inside, f"{box['label']!r} de {selector} fora da tela {self.width}×{self.height}: {box}"
            assert box["free"], f"{box['label']!r} de {selector} está coberto por outro elemento"
        return boxes

    def centre(self, selector: str) -> tuple[float, float]:
        playwright_api.expect(self.page.locator(selector).first).to_be_visible()  # drawn after a kernel round trip
        box = self.page.locator(selector).first.bounding_box()
        assert box is not None, selector
        return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2

    def click(self, selector: str) -> None:
        """A mouse click at the centre of `selector`, which must be the element found there."""
        x, y = self.centre(selector)
        hit = self.page.locator(selector).first.evaluate(
            "(el, [x, y]) => { const hit = document.elementFromPoint(x, y); return !!hit && (el === hit || el.contains(hit)); }",
            [x, y])
        assert hit, f"um clique em {selector} ({x:.0f}, {y:.0f}) cairia em outro elemento"
        self.page.mouse.click(x, y)

    def type_into(self, selector: str, text: str) -> None:
        self.click(selector)
        self.page.keyboard.press("Control+A")
        self.page.keyboard.type(text, delay=25)  # a person types; each key is a widget update

    def notice(self, pattern: str) -> None:
        """The notice says `pattern` and covers no field or button of the page."""
        playwright_api.expect(self.page.locator(".cobranca-alerts")).to_contain_text(re.compile(pattern))
        covered = self.page.evaluate(COVERED_JS)
        assert covered == [], f"o aviso cobre {covered}"

    def row(self, document: str) -> str:
        return f'.cobranca-grid tbody tr:has(td:text-is("{document} / 1")) td >> nth=0'


@pytest.fixture(params=SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def screen(request, browser, server):
    board = Screen(browser, server["url"], request.param)
    yield board
    board.close()


def test_decision_columns_kpis_and_actions_are_in_the_first_screen(screen):
    page = screen.page
    for column in DECISION_COLUMNS:
        header = f'.cobranca-grid th:has-text("{column}")'
        x, y = screen.centre(header)
        box = page.locator(header).first.bounding_box()
        assert box["x"] + box["width"] <= screen.width and box["y"] + box["height"] <= screen.height, column
        grid = page.locator(".cobranca-grid").first.bounding_box()
        assert box["x"] + box["width"] <= grid["x"] + grid["width"] + 1, f"{column}: precisa rolar para o lado"
    screen.assert_usable(".cobranca-header")
    screen.assert_usable(".cobranca-toolbar")  # filter bar, Imprimir, Exportar XLSX/CSV
    screen.assert_usable(".cobranca-worklist")
    titles = page.locator(".cobranca-more .jupyter-widget-Collapse-header")
    assert titles.count() == len(SECTIONS) and [t.strip() for t in titles.all_inner_texts()] == list(SECTIONS)
    for index in range(len(SECTIONS)):
        box = titles.nth(index).bounding_box()
        assert box["y"] + box["height"] <= screen.height, f"seção {index} abaixo da dobra"
    tops = page.locator(".cobranca-kpi").evaluate_all("cards => cards.map(c => c.getBoundingClientRect().top)")
    assert len(tops) >= 9 and max(tops) - min(tops) < 1, f"os KPIs quebraram a linha: {tops}"  # with "Pagos hoje"
    spare = page.locator(".cobranca-kpi-row").evaluate(
        "row => row.scrollWidth <= row.clientWidth + 1")
    assert spare, "os KPIs não cabem na linha"
    labels = page.locator(".cobranca-kpi-label").evaluate_all(
        "labels => labels.filter(l => l.scrollWidth > l.clientWidth + 1).map(l => l.innerText)")
    assert labels == [], f"títulos de KPI cortados: {labels}"
    cut = page.locator(".cobranca-kpi-row").evaluate(  # every value whole, with room for one more card
        """row => { row.appendChild(row.querySelector('.cobranca-kpi-updated_amount').cloneNode(true));
                    const values = [...row.querySelectorAll('.cobranca-kpi-value')];
                    const cut = values.filter(v => v.scrollWidth > v.clientWidth + 1).map(v => v.innerText);
                    row.lastChild.remove(); return cut; }""")
    assert cut == [], f"com mais um cartão, valores cortados: {cut}"
    screen.shot("tela")


@pytest.fixture(params=SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def fresh_screen(request, browser, tmp_path):
    """A tab at each size on its own database (the forms change the rows)."""
    require_chromium()
    db_path = tmp_path / "cobranca.duckdb"
    build_known_db(db_path)
    with serve_dashboard(tmp_path, db_path) as url:
        board = Screen(browser, url, request.param)
        board.db_path = db_path
        yield board
        board.close()


@pytest.mark.parametrize("fresh_screen", [SIZES[0]], indirect=True, ids=["1366x768"])
def test_a_click_right_after_typing_saves_every_character(fresh_screen):
    """A fast typist clicks "Gravar" while the last keys are still on their way to the kernel: nothing is lost."""
    screen, name = fresh_screen, "Clientes com atraso entre um e trinta dias (rápido)"
    screen.click("button.cobranca-filter-add")
    screen.click(".cobranca-filter-description input")
    screen.page.keyboard.type(name)  # no delay between keys, and none before the click
    screen.click(".cobranca-filter-save")
    screen.notice(re.escape(f"Filtro '{name}' gravado"))


def test_every_form_opens_in_view_and_saves_by_clicking(fresh_screen):
    screen = fresh_screen
    page, size = screen.page, f"{screen.width}"
    screen.click("button.cobranca-filter-add")
    form = ".cobranca-filter-form"
    playwright_api.expect(page.locator(form)).to_be_visible()
    screen.assert_usable(form)
    screen.shot("filtro-incluir")
    screen.type_into(".cobranca-filter-description input", f"Tela {size}")
    screen.type_into(".cobranca-filter-min-days input", "1")
    screen.type_into(".cobranca-filter-max-days input", "30")
    screen.click(".cobranca-filter-save")
    screen.notice(f"Filtro 'Tela {size}' gravado")
    playwright_api.expect(page.locator(form)).to_be_hidden()

    page.select_option(".cobranca-filter-dropdown select", label=f"Tela {size}")
    playwright_api.expect(page.locator(".cobranca-filter-summary")).to_contain_text("30 dias")
    screen.click("button.cobranca-filter-edit")
    screen.assert_usable(form)
    screen.shot("filtro-alterar")
    screen.type_into(".cobranca-filter-description input", f"Tela {size} alterado")
    screen.click(".cobranca-filter-save")
    screen.notice(f"Filtro 'Tela {size} alterado' gravado")

    page.select_option(".cobranca-filter-dropdown select", label=FILTER_1_10)
    playwright_api.expect(page.locator(".cobranca-count")).to_contain_text("Mostrando 3 de 3")
    screen.click(screen.row("200/A"))
    playwright_api.expect(page.locator(".cobranca-selected-key")).to_have_attribute("data-document", "200/A")
    screen.click("button.cobranca-action-contact")
    panel = ".cobranca-contact-panel"
    playwright_api.expect(page.locator(panel)).to_be_visible()
    screen.assert_usable(panel)
    screen.shot("contato-whatsapp")
    screen.click(".cobranca-contact-channel select")
    page.keyboard.press("Escape")
    page.select_option(".cobranca-contact-channel select", label="Telefone")
    playwright_api.expect(page.locator("button.cobranca-contact-send")).to_have_text("Registrar")
    screen.assert_usable(panel)
    screen.type_into(".cobranca-contact-observation textarea", "Ligou, vai pagar sexta.")
    screen.shot("contato-telefone")
    screen.click("button.cobranca-contact-send")
    screen.notice("Contato por Telefone registrado")
    playwright_api.expect(page.locator('.cobranca-grid tr.contacted:has-text("200/A / 1")')).to_have_count(1)
    screen.click("button.cobranca-contact-close")

    screen.click("button.cobranca-action-comment")
    panel = ".cobranca-comment-panel"
    screen.assert_usable(panel)
    screen.shot("comentario")
    screen.type_into(".cobranca-comment-text textarea", "Visualizou e não respondeu.")
    screen.click("button.cobranca-comment-save")
    screen.notice("Comentário registrado")

    screen.click("button.cobranca-action-promise")
    panel = ".cobranca-conversation-form"
    screen.assert_usable(panel)
    screen.shot("promessa")
    screen.click(".cobranca-promise-date input")
    page.locator(".cobranca-promise-date input").fill((clock_today() + timedelta(days=3)).isoformat())
    screen.type_into(".cobranca-promise-amount input", "80,00")
    screen.click("button.cobranca-conversation-confirm")
    screen.notice("Promessa registrada: R\\$ 80,00")
    playwright_api.expect(page.locator(".cobranca-count")).to_contain_text("Mostrando 2 de 2")

    screen.click(screen.row("144"))
    playwright_api.expect(page.locator(".cobranca-selected-key")).to_have_attribute("data-document", "144")
    screen.click("button.cobranca-action-dispute")
    screen.assert_usable(panel)
    screen.shot("contestacao")
    screen.type_into(".cobranca-conversation-text textarea", "Cliente diz que já pagou.")
    screen.click("button.cobranca-conversation-confirm")
    screen.notice("Contestação registrada")

    db = open_db(screen.db_path)
    paused = db.worklists.rows(FILTER_1_10, include_paused=True)
    status = dict(zip(paused["document"], paused["status"], strict=True))
    assert status["200/A"] == "promised" and status["144"] == "disputed"
    assert {f.description for f in db.filters.all()} >= {f"Tela {size} alterado"}


def test_column_chooser_adds_a_column_by_clicking(screen):
    page = screen.page
    assert page.locator('.cobranca-grid th:has-text("Saldo")').count() == 0
    screen.click("button.cobranca-columns")
    screen.assert_usable(".cobranca-columns-dialog")
    screen.shot("colunas")
    screen.click(".cobranca-columns-dialog .cobranca-column-1 input")  # Saldo
    screen.click("button.cobranca-columns-close")
    playwright_api.expect(page.locator('.cobranca-grid th:has-text("Saldo")')).to_have_count(1)


def test_a_page_load_requests_nothing_from_another_host(browser, server):
    board = Screen(browser, server["url"], SIZES[0])
    try:
        board.page.wait_for_timeout(1500)  # late requests (fonts, icons) too
        own = urlparse(server["url"]).netloc
        others = sorted({url for url in board.requests if urlparse(url).scheme in ("http", "https", "ws", "wss")
                         and urlparse(url).netloc != own})
        assert board.requests and others == []
        assert board.page.title() == "Cobranças — painel"
        assert board.page.locator("html").get_attribute("lang") == "pt-BR"
    finally:
        board.close()


def test_the_loading_screen_speaks_pt_br(browser, server):
    context = browser.new_context(locale="pt-BR", viewport={"width": 1366, "height": 768})
    try:
        page = context.new_page()
        texts = []
        page.expose_function("cobrancaSaw", lambda text: texts.append(text))
        page.add_init_script("""new MutationObserver(() => window.cobrancaSaw && document.body &&
            window.cobrancaSaw(document.body.innerText.slice(0, 300))).observe(document, {subtree: true, childList: true,
            characterData: true});""")
        page.goto(server["url"], timeout=LOAD_TIMEOUT_MS)
        playwright_api.expect(page.locator(".cobranca-count")).to_contain_text(re.compile("Mostrando|Nenhuma conta"),
                                                                     timeout=LOAD_TIMEOUT_MS)
        seen = "\n".join(texts)
        assert "Carregando o painel" in seen
        for english in ("Executing", "Loading widget", "Running", "Reading"):
            visible = [t for t in texts if english in t and "Carregando o painel" not in t]
            assert not visible, f"'{english}' apareceu sem a capa em pt-BR"
    finally:
        context.close()


def test_the_analysts_name_is_remembered_by_the_browser(browser, tmp_path):
    require_chromium()
    db_path = tmp_path / "cobranca.duckdb"
    build_known_db(db_path)
    with serve_dashboard(tmp_path, db_path, user=None) as url:
        context = browser.new_context(locale="pt-BR", viewport={"width": 1366, "height": 768})
        try:
            first = Screen.__new__(Screen)
            first.width, first.height, first.context = 1366, 768, context
            first.page = context.new_page()
            first.page.goto(url, timeout=LOAD_TIMEOUT_MS)
            first.page.wait_for_selector(".cobranca-responsible input", timeout=LOAD_TIMEOUT_MS)
            field = first.page.locator(".cobranca-responsible input")
            playwright_api.expect(field).to_have_value("")
            first.type_into(".cobranca-responsible input", "Ana Paula")
            first.page.keyboard.press("Enter")
            first.notice("Responsável: Ana Paula")
            again = context.new_page()  # another tab (another kernel) of the same browser
            again.goto(url, timeout=LOAD_TIMEOUT_MS)
            playwright_api.expect(again.locator(".cobranca-responsible input")).to_have_value(
                "Ana Paula", timeout=LOAD_TIMEOUT_MS)
            playwright_api.expect(again.locator(".cobranca-alerts")).to_contain_text("Responsável: Ana Paula")
        finally:
            context.close()
