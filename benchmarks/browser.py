"""Browser benchmark: the dashboard in headless Chromium beside a bare Voila page served in the same run.

`python -m benchmarks --only browser [--browser-db DB [DB ...]]` (file paths or postgresql:// URLs, each served and
measured in turn) or, without it, a database built once (cached in the work folder) with `cobranca demo --rows 20000`.
It serves each with `cobranca dashboard` and, on another free loopback port, a bare Voila notebook holding one
Dropdown and one HTML label (Voila's defaults, nothing tuned). It measures in the page itself
(`performance.now()` from the triggering DOM event until the page says done, polled every 4 ms):

- first load: navigation → KPIs and the grid's caption showing the first filter's figures
  (bare: navigation → the label shown), in a fresh browser context (cold cache), 25 s apart so that a
  preheating server has refilled its pool (an analyst opens a tab now and then, not every few seconds);
- filter switch: select → grid caption, filter description and KPIs all showing the new filter
  (bare: dropdown change → label updated, the "widget round trip"); "skew" is the time between the
  first and the last of the three changing (how long the page showed two filters at once);
- row click → the history of that row shown;
- register contact (Telefone, "Registrar"): click → KPI "Contatados hoje" + 1 and the row drawn green.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from benchmarks.measure import free_port, pct
from cobranca.core import clock

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 1000}
DEMO_ROWS = 20_000
TIMEOUT_MS = 120_000
BARE_SOURCE = """import ipywidgets as widgets

choice = widgets.Dropdown(options=["um", "dois", "três"], description="Opção")
label = widgets.HTML("valor: um")
choice.add_class("bare-dropdown")
label.add_class("bare-label")
choice.observe(lambda change: setattr(label, "value", f"valor: {change['new']}"), "value")
widgets.VBox([choice, label])
"""

# Resolves when every condition holds at the same poll; returns when each first held (ms after t0).
WATCH_JS = """
([conditions, eventName]) => {
  window.__t0 = null;
  document.addEventListener(eventName, () => { if (window.__t0 === null) window.__t0 = performance.now(); },
                            {capture: true, once: true});
  const holds = (c) => {
    if (c.kind === 'text') {
      const el = document.querySelector(c.selector);
      return !!el && new RegExp(c.pattern).test(el.innerText.replace(/\\u00a0/g, ' '));
    }
    if (c.kind === 'exists') return !!document.querySelector(c.selector);
    return false;
  };
  window.__watch = new Promise((resolve, reject) => {
    const first = {};
    const started = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      let all = true;
      for (const c of conditions) {
        if (holds(c)) { if (!(c.name in first)) first[c.name] = now; } else { all = false; }
      }
      if (all && window.__t0 !== null) {
        clearInterval(timer);
        const out = {};
        for (const c of conditions) out[c.name] = first[c.name] - window.__t0;
        out.done = now - window.__t0;
        resolve(out);
      } else if (now - started > TIMEOUT_MS) {
        clearInterval(timer);
        reject(new Error('timeout: ' + JSON.stringify(first)));
      }
    }, 4);
  });
  return true;
}
""".replace("TIMEOUT_MS", str(TIMEOUT_MS))

def text_condition(name: str, selector: str, pattern: str) -> dict:
    return {"name": name, "kind": "text", "selector": selector, "pattern": pattern}


# -- servers ----------------------------------------------------------------------------------
def start_server(command: list[str], port: int, env: dict, log_path: Path, cwd: Path | None = None,
                 timeout: float = 90) -> subprocess.Popen:
    """Start a server process logging to `log_path` and wait until `port` accepts connections (RuntimeError if not)."""
    with open(log_path, "w") as log:
        proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                stop_server(proc)
                raise RuntimeError(f"server did not start: {log_path.read_text()[-2000:]}") from None
            time.sleep(0.2)


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def demo_db(work: Path, today: date) -> Path:
    """`cobranca demo --rows 20000` into the work folder (kept: the demo is dated, so one file per day)."""
    path = work / f"demo-{DEMO_ROWS}-{today.isoformat()}.duckdb"
    if not path.exists():
        partial = path.with_suffix(".partial.duckdb")
        partial.unlink(missing_ok=True)
        subprocess.run([sys.executable, "-m", "cobranca", "demo", "--db", str(partial), "--rows", str(DEMO_ROWS)],
                       check=True, stdout=subprocess.DEVNULL)
        partial.rename(path)
    return path


def bare_notebook(work: Path) -> Path:
    import nbformat

    path = work / "bare.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(BARE_SOURCE)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, str(path))
    return path


# -- measuring in the page ---------------------------------------------------------------------
def watch(page, conditions: list[dict], event: str, action) -> dict:
    """Arm the watcher, run `action` (which fires `event`), wait until every condition holds."""
    page.evaluate(WATCH_JS, [conditions, event])
    action()
    return page.evaluate("window.__watch")


def first_load(browser, url: str, ready: list[dict]) -> float:
    """Seconds from navigation start until every `ready` condition holds, in a fresh context (cold cache)."""
    context = browser.new_context(locale="pt-BR", viewport=VIEWPORT)
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        started = time.perf_counter()
        page.goto(url, timeout=TIMEOUT_MS)
        js = ("(conditions) => conditions.every(c => { const el = document.querySelector(c.selector);"
              " return !!el && new RegExp(c.pattern).test(el.innerText.replace(/\\u00a0/g, ' ')); })")
        page.wait_for_function(js, arg=ready, timeout=TIMEOUT_MS, polling=10)
        return time.perf_counter() - started
    finally:
        context.close()


def _number(n: int) -> str:
    from cobranca.core.formatting import number

    return number(n, 0)


def _count_pattern(total: int) -> str:
    return "Nenhuma conta" if total == 0 else rf"de {_number(total)} conta"


def _kpi_pattern(label: str, value: int) -> str:
    return rf"^\s*{label}\s*{_number(value)}\s*$"


class Expected:
    """What the page must show for each filter, read through the facade (the same SQL the dashboard uses)."""

    def __init__(self, db_path: Path, today: date):
        from cobranca import open_db

        self.db = open_db(db_path)
        self.today = today
        self.filters = self.db.filters.all()

    def totals(self, flt) -> dict:
        return self.db.worklists.totals(flt, self.today)

    def filter_conditions(self, flt) -> list[dict]:
        import re

        total = int(self.totals(flt)["receivables"])
        return [
            text_condition("caption", ".cobranca-count", _count_pattern(total)),
            text_condition("description", ".cobranca-filter-summary", re.escape(flt.describe())),
            text_condition("kpis", ".cobranca-kpi-receivables", _kpi_pattern("Contas", total)),
        ]


def bench_bare(browser, url: str, runs: int, pause: float) -> dict:
    ready = [text_condition("label", ".bare-label", "valor: um")]
    first_load(browser, url, ready)  # warm-up: server caches, first kernel start
    loads = []
    for _ in range(runs):
        time.sleep(pause)
        loads.append(first_load(browser, url, ready))
    context = browser.new_context(locale="pt-BR", viewport=VIEWPORT)
    page = context.new_page()
    page.goto(url, timeout=TIMEOUT_MS)
    page.wait_for_selector(".bare-label", timeout=TIMEOUT_MS)
    trips = []
    values = ["dois", "três", "um"]
    for i in range(max(runs * 2, 10)):
        value = values[i % 3]
        out = watch(page, [text_condition("label", ".bare-label", f"valor: {value}$")], "change",
                    lambda value=value: page.select_option(".bare-dropdown select", label=value))
        trips.append(out["done"] / 1000)
    context.close()
    return {"loads": loads, "trips": trips}


def bench_dashboard(browser, url: str, expected: Expected, runs: int, pause: float) -> dict:
    first = expected.filters[0]
    ready = [c for c in expected.filter_conditions(first) if c["name"] != "description"]
    first_load(browser, url, ready)  # warm-up
    loads = []
    for _ in range(runs):
        time.sleep(pause)
        loads.append(first_load(browser, url, ready))

    context = browser.new_context(locale="pt-BR", viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(url, timeout=TIMEOUT_MS)
    page.wait_for_function(
        "(c) => { const el = document.querySelector(c.selector); return !!el && new RegExp(c.pattern).test(el.innerText); }",
        arg=ready[0], timeout=TIMEOUT_MS)
    select = ".cobranca-filter-dropdown select"

    # filter switch: cycle through every saved filter
    switches, skews = [], []
    cycle = expected.filters[1:] + expected.filters[:1]
    for i in range(max(runs * 2, len(cycle))):
        flt = cycle[i % len(cycle)]
        conditions = expected.filter_conditions(flt)
        out = watch(page, conditions, "change", lambda flt=flt: page.select_option(select, label=flt.description))
        switches.append(out["done"] / 1000)
        moments = [out[c["name"]] for c in conditions]
        skews.append((max(moments) - min(moments)) / 1000)

    # row click and contact on "Vencidas de 1 a 10 dias" (or the first filter with rows)
    target = next((f for f in expected.filters if "1 a 10" in f.description), expected.filters[1])
    page.select_option(select, label=target.description)
    page.wait_for_function(
        "(c) => { const el = document.querySelector(c.selector); return !!el && new RegExp(c.pattern).test(el.innerText); }",
        arg=expected.filter_conditions(target)[0], timeout=TIMEOUT_MS)
    rows = expected.db.worklists.rows(target, expected.today).head(60).reset_index(drop=True)

    def row_cell(position: int):
        return page.locator(f'.cobranca-grid tr[data-row="{position}"] td').first

    def history_conditions(position: int) -> list[dict]:
        import re

        doc = re.escape(str(rows.loc[position, "document"]))
        return [
            text_condition("selected", ".cobranca-selected", doc),
            text_condition("history", ".cobranca-history", rf"{doc}[\s\S]*(Data/Hora|Nenhum contato)"),
        ]

    clicks = []
    for i in range(max(runs * 2, 6)):
        position = i % 2
        out = watch(page, history_conditions(position), "pointerdown", row_cell(position).click)
        clicks.append(out["done"] / 1000)

    contacts = []
    fresh = [p for p in range(len(rows)) if not bool(rows.loc[p, "contacted_today"])][:runs]
    for position in fresh:
        watch(page, history_conditions(position), "pointerdown", row_cell(position).click)
        page.locator("button.cobranca-action-contact").first.click()
        page.select_option(".cobranca-contact-channel select", label="Telefone")
        send = page.locator("button.cobranca-contact-send").first
        page.wait_for_function("() => [...document.querySelectorAll('button.cobranca-contact-send')]"
                               ".some(b => b.innerText.trim() === 'Registrar' && b.offsetParent !== null)")
        page.fill(".cobranca-contact-observation textarea", "benchmark: ligação")
        before = int(expected.totals(target)["contacted_today"])
        conditions = [
            text_condition("kpis", ".cobranca-kpi-contacted_today", _kpi_pattern("Contatados hoje", before + 1)),
            {"name": "row", "kind": "exists", "selector": f'.cobranca-grid tr.contacted[data-row="{position}"]'},
        ]
        out = watch(page, conditions, "pointerdown", send.click)
        contacts.append(out["done"] / 1000)
    os.makedirs("artifacts", exist_ok=True)
    page.screenshot(path="artifacts/bench-browser-last.png")
    context.close()
    return {"loads": loads, "switches": switches, "skews": skews, "clicks": clicks, "contacts": contacts}


def _is_url(target) -> bool:
    return str(target).startswith(("postgresql://", "postgres://"))


def _engine_label(target) -> str:
    return "PostgreSQL" if _is_url(target) else "DuckDB file"


def run(work: Path, runs: int, db_targets: list | None = None, pause: float = 25.0) -> list[dict]:
    """The bare page once, then the dashboard on each database (a file path or a postgresql:// URL) in turn."""
    from playwright.sync_api import sync_playwright

    today = clock.today(ZoneInfo(clock.DEFAULT_TIMEZONE))  # the company's today, as the dashboard reads it
    targets = db_targets or [demo_db(work, today)]
    bare_port = free_port()
    env = {**os.environ, "COBRANCA_USER": "BENCH"}
    bare = start_server([sys.executable, "-m", "voila", str(bare_notebook(work)), f"--Voila.port={bare_port}",
                         "--Voila.ip=127.0.0.1", "--Voila.open_browser=False"], bare_port, env, work / "bare.log")
    out = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                time.sleep(pause)  # let a preheating server fill its pool before the warm-up (>10 s here)
                base = bench_bare(browser, f"http://127.0.0.1:{bare_port}/", runs, pause)
                for target in targets:
                    out += _bench_target(browser, work, target, today, base, runs, pause)
            finally:
                browser.close()
    finally:
        stop_server(bare)
    return out


def _bench_target(browser, work: Path, target, today: date, base: dict, runs: int, pause: float) -> list[dict]:
    """One dashboard server on `target`, measured against the bare page's figures."""
    expected = Expected(target, today)
    env = {**os.environ, "COBRANCA_DB": str(target), "COBRANCA_USER": "BENCH"}
    port = free_port()
    dash = start_server([sys.executable, "-m", "cobranca", "dashboard", "--db", str(target), "--port", str(port),
                         "--no-browser"], port, env, work / f"dashboard-{port}.log")
    try:
        time.sleep(pause)
        ours = bench_dashboard(browser, f"http://127.0.0.1:{port}/", expected, runs, pause)
    finally:
        stop_server(dash)
    label = f"{_engine_label(target)}, {int(expected.db.receivables.counts()['receivables']):,} receivables"
    return table_rows(base, ours, label)


def table_rows(base: dict, ours: dict, label: str) -> list[dict]:
    load_b, trip = pct(base["loads"], 0.5), pct(base["trips"], 0.5)

    def row(case, values, ref, ref_name, target):
        p50 = pct(values, 0.5)
        ratio = p50 / ref
        return {"case": f"browser: {case} (n={len(values)})", "engine": f"dashboard, {label}", "p50": p50,
                "p99": max(values), "rate": f"target ≤ {target:g}×", "vs": f"{ratio:.2f}× {ref_name}",
                "check": "met" if ratio <= target else "over"}

    rows = [
        row("first load", ours["loads"], load_b, "bare", 1.0),
        {"case": f"browser: first load (n={len(base['loads'])})", "engine": "bare Voila (Dropdown + HTML)",
         "p50": load_b, "p99": max(base["loads"])},
        row("filter switch", ours["switches"], trip, "trip", 4.0),
        {"case": "", "engine": "…slowest filter switch", "p50": max(ours["switches"]), "rate": "target ≤ 1 s",
         "check": "met" if max(ours["switches"]) <= 1.0 else "over"},
        {"case": "", "engine": "…two filters shown at once", "p50": pct(ours["skews"], 0.5), "p99": max(ours["skews"])},
        {"case": f"browser: widget round trip (n={len(base['trips'])})", "engine": "bare Voila (Dropdown → HTML)",
         "p50": trip, "p99": max(base["trips"])},
        row("row click → history", ours["clicks"], trip, "trip", 3.0),
        row("register contact", ours["contacts"], trip, "trip", 4.0),
    ]
    return rows


def bench_browser(work: str, runs: int, db_targets: list[str] | None = None) -> list[dict]:
    targets = [t if _is_url(t) else Path(t) for t in db_targets or []]
    rows = run(Path(work), runs, targets or None)
    print(json.dumps([{k: v for k, v in r.items()} for r in rows], ensure_ascii=False, default=str), file=sys.stderr)
    return rows
