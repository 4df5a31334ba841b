"""Benchmark cases: import, worklist vs an in-memory pandas baseline, contact latency, PDF, dashboard."""

from __future__ import annotations

import importlib
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from benchmarks.measure import pct, peak_rss_mb, run_isolated, timed
from benchmarks.synthetic import synthetic_frame, write_csv
from cobranca import Filter, open_db
from cobranca.receivables.filters import DEFAULT_FILTERS


@dataclass(frozen=True)
class Fixture:
    """The generated CSV and the database built from it (with ~1 contact per receivable)."""

    work: Path
    size: int
    today: date
    csv: Path
    db: Path


def prepare(work: Path, size: int, today: date, build_db: bool = True) -> Fixture:
    """The CSV and (unless only the import section runs: `build_db` False) the database built from it."""
    csv = work / f"contas-{size}.csv"
    if not csv.exists():
        write_csv(synthetic_frame(size, today), csv)
    db = work / f"main-{size}.duckdb"
    if build_db and not db.exists():
        run_isolated(_build_main_db, str(csv), str(db), size, today)
    return Fixture(work, size, today, csv, db)


def _build_main_db(csv: str, db_path: str, size: int, today: date) -> None:
    db = open_db(db_path)
    db.receivables.import_file(csv)
    keys = db.receivables.keys()
    rng = np.random.default_rng(7)
    picked = keys.sample(n=len(keys), replace=True, random_state=3).reset_index(drop=True)  # ~1 per receivable
    offsets = rng.integers(0, 60 * 24 * 60, len(picked))
    channels = np.array(["WhatsApp", "E-mail", "Telefone", "Nenhum"])[rng.integers(0, 4, len(picked))]
    start = datetime.combine(today, datetime.min.time()) - timedelta(days=59)
    picked["channel"] = channels
    picked["responsible"] = "BENCH"
    picked["destination"] = None
    picked["message"] = None
    picked["observation"] = "contato sintético"
    picked["created_at"] = [start + timedelta(minutes=int(m)) for m in offsets]
    db.contacts.add_many(picked)


def _section(name: str):
    """The bench_<name> function of this module or of benchmarks/<name>.py."""
    if f"bench_{name}" in globals():
        return globals()[f"bench_{name}"]
    return getattr(importlib.import_module(f"benchmarks.{name}"), f"bench_{name}")


def run_sections(fx: Fixture, sections, runs: int) -> list[dict]:
    rows: list[dict] = []
    for name in sections:
        rows += run_isolated(_section(name), fx, runs)
    return rows


# -- 1. import -----------------------------------------------------------------------------------
_AMOUNT_SQL = "CAST(replace(replace(CAST(\"Valor\" AS VARCHAR), '.', ''), ',', '.') AS DECIMAL(18,2))"


def _import_engine(name: str, csv: str, work: str, runs: int) -> tuple[list[float], float, float, tuple]:
    """Seconds of `runs` imports with one engine, this process's peak RSS, the seconds of the project's final
    write (its database upsert), and (rows, sum of amounts) read back for the correctness check."""
    write_seconds: list[float] = []
    check: list[tuple] = []

    def project():
        target = Path(work) / "import-target.duckdb"
        target.unlink(missing_ok=True)
        db = open_db(target)
        upsert = db.receivables.upsert

        def timed_upsert(table, **options):
            start = time.perf_counter()
            try:
                return upsert(table, **options)
            finally:
                write_seconds.append(time.perf_counter() - start)

        db.receivables.upsert = timed_upsert
        db.receivables.import_file(csv)
        with duckdb.connect(str(target), read_only=True) as con:
            check[:] = [tuple(con.execute("SELECT count(*), sum(amount) FROM receivables").fetchall()[0])]

    def raw():
        target = Path(work) / "raw-target.duckdb"
        target.unlink(missing_ok=True)
        with duckdb.connect(str(target)) as con:
            con.execute("SET enable_progress_bar = false")
            con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?)", [csv])
            check[:] = [tuple(con.execute(f"SELECT count(*), sum({_AMOUNT_SQL}) FROM t").fetchall()[0])]  # noqa: S608

    def pandas_read():
        frame = pd.read_csv(csv, sep=";", dtype=str, keep_default_na=False)
        check[:] = [(len(frame), None)]

    engines = {"project": project, "raw": raw, "pandas": pandas_read}
    times = timed(engines[name], runs)
    return times, peak_rss_mb(), (pct(write_seconds, 0.5) if write_seconds else 0.0), check[0]


def bench_import(fx: Fixture, runs: int) -> list[dict]:
    """The importer (read, validate in SQL, one upsert) beside DuckDB's own CTAS and pandas; targets 2× raw, 1 GB."""
    import_runs = 1 if fx.size >= 1_000_000 else min(runs, 3)
    results = {name: run_isolated(_import_engine, name, str(fx.csv), str(fx.work), import_runs)
               for name in ("raw", "pandas", "project")}
    raw_p50 = pct(results["raw"][0], 0.5)
    labels = {"project": "cobranca importer (validated)", "raw": "DuckDB read_csv (CTAS)", "pandas": "pandas.read_csv"}
    rows = []
    for name in ("project", "raw", "pandas"):
        times, rss, _write, check = results[name]
        p50 = pct(times, 0.5)
        same = check[0] == fx.size and (check[1] is None or check[1] == results["raw"][3][1])
        rows.append({"case": f"import {fx.size:,} rows (n={import_runs})", "engine": labels[name], "p50": p50,
                     "rate": f"{fx.size / p50:,.0f} rows/s", "vs": f"{p50 / raw_p50:.2f}× raw", "rss": rss,
                     "check": "ok" if same else "DIFF"})
    write = results["project"][2]
    total = pct(results["project"][0], 0.5)
    rows.append({"case": "  of which: read + SQL validation", "engine": "in-memory DuckDB staging", "p50": total - write,
                 "vs": f"{(total - write) / raw_p50:.2f}× raw"})
    rows.append({"case": "  of which: final write", "engine": "db.receivables.upsert (file)", "p50": write,
                 "vs": f"{write / raw_p50:.2f}× raw"})
    return rows


# -- 2. worklist ---------------------------------------------------------------------------------
def _load_tables(path: Path) -> dict[str, pd.DataFrame]:
    """What an analyst would hold in memory: the tables, money in integer cents."""
    with duckdb.connect(str(path), read_only=True) as con:
        rec = con.execute(
            """SELECT document, installment, customer_id, due_date, payable_until,
                      CAST(amount * 100 AS BIGINT) AS amount_c, CAST(paid_amount * 100 AS BIGINT) AS paid_c
               FROM receivables"""
        ).df()
        cust = con.execute("SELECT id AS customer_id, name AS customer, mobile, email FROM customers").df()
        contacts = con.execute(
            """SELECT document, installment, created_at, channel, responsible FROM contacts
               WHERE cancelled_at IS NULL"""
        ).df()
    rec["due_date"] = pd.to_datetime(rec["due_date"])
    rec["payable_until"] = pd.to_datetime(rec["payable_until"])
    stored = pd.to_datetime(contacts["created_at"]).dt.tz_localize("UTC")  # stored UTC, compared in company time
    contacts["created_at"] = stored.dt.tz_convert("America/Sao_Paulo").dt.tz_localize(None)
    return {"receivables": rec, "customers": cust, "contacts": contacts}


def pandas_worklist(t: dict[str, pd.DataFrame], flt: Filter, as_of: date, fine_e4=20000, rate_e4=10000, grace=0):
    """The same worklist computed with pandas on in-memory tables (integer cents, exact)."""
    rec = t["receivables"]
    day = pd.Timestamp(as_of)
    balance = rec["amount_c"] - rec["paid_c"]
    raw_days = (day - rec["due_date"]).dt.days
    days = np.where((day >= rec["due_date"]) & (day <= rec["payable_until"]), 0, raw_days)
    mask = (balance > 0) & (days >= flt.min_days) & (days <= flt.max_days)
    if flt.due_today:
        mask &= rec["due_date"] <= day
    out = rec.loc[mask, ["document", "installment", "customer_id"]].copy()
    bal = balance[mask].to_numpy()
    d = days[mask.to_numpy()]
    charged = d > grace
    out["days_overdue"] = d
    out["fine_c"] = np.where(charged, (bal * fine_e4 * 2 + 1_000_000) // 2_000_000, 0)
    out["interest_c"] = np.where(charged, (bal * rate_e4 * d * 2 + 30_000_000) // 60_000_000, 0)
    out["updated_c"] = bal + out["fine_c"] + out["interest_c"]
    out = out.merge(t["customers"], on="customer_id", how="left")
    contacts = t["contacts"]
    contacts = contacts[(contacts["channel"] != "Nenhum") & (contacts["created_at"] < day + pd.Timedelta(days=1))]
    contacts = contacts.merge(out[["document", "installment"]], on=["document", "installment"])
    last = contacts.sort_values("created_at").groupby(["document", "installment"]).tail(1)
    today_keys = contacts[contacts["created_at"].dt.normalize() == day][["document", "installment"]].drop_duplicates()
    today_keys["contacted_today"] = True
    out = out.merge(last.rename(columns={"created_at": "last_contact_at", "channel": "last_contact_channel"}),
                    on=["document", "installment"], how="left")
    out = out.merge(today_keys, on=["document", "installment"], how="left")
    out["contacted_today"] = out["contacted_today"].fillna(False).astype(bool)
    return out


def bench_worklist(fx: Fixture, runs: int) -> list[dict]:
    db = open_db(fx.db)
    tables = _load_tables(fx.db)
    rows = []
    for spec in DEFAULT_FILTERS:
        flt = db.filters.get(spec["description"])
        ours = timed(lambda flt=flt: db.worklists.rows(flt, fx.today), max(runs, 5))
        base = timed(lambda flt=flt: pandas_worklist(tables, flt, fx.today), max(runs, 5))
        got = db.worklists.rows(flt, fx.today)
        ref = pandas_worklist(tables, flt, fx.today)
        same = _same(got, ref)
        p50, base_p50 = pct(ours, 0.5), pct(base, 0.5)
        rows.append({"case": f"worklist '{flt.description}' ({len(got):,})", "engine": "cobranca (DuckDB file)",
                     "p50": p50, "p99": pct(ours, 0.99), "vs": f"{p50 / base_p50:.2f}× pandas",
                     "check": "ok" if same else "DIFF"})
        rows.append({"case": "", "engine": "pandas in memory", "p50": base_p50, "p99": pct(base, 0.99)})
        try:
            import polars  # noqa: F401
        except ImportError:
            pass
    rows[-1]["rss"] = peak_rss_mb()
    return rows


def _same(got: pd.DataFrame, ref: pd.DataFrame) -> bool:
    ours = {(d, i): int(u * 100) for d, i, u in zip(got["document"], got["installment"], got["updated_amount"],
                                                    strict=True)}
    theirs = dict(zip(zip(ref["document"], ref["installment"], strict=True), ref["updated_c"].astype(int), strict=True))
    contacted = set(zip(got.loc[got["contacted_today"], "document"], got.loc[got["contacted_today"], "installment"],
                        strict=True))
    ref_contacted = set(zip(ref.loc[ref["contacted_today"], "document"],
                            ref.loc[ref["contacted_today"], "installment"], strict=True))
    return ours == theirs and contacted == ref_contacted


# -- 4. PDF --------------------------------------------------------------------------------------
def _pdf_db(work: Path, today: date) -> Path:
    """1,000 overdue receivables with 5 contacts each."""
    path = work / "pdf-1000.duckdb"
    if path.exists():
        return path
    frame = synthetic_frame(1000, today, seed=5)
    frame["paid_amount"] = "0,00"
    frame["due_date"] = [(today - timedelta(days=1 + i % 200)).strftime("%d/%m/%Y") for i in range(1000)]
    csv = write_csv(frame, work / "pdf-1000.csv")
    db = open_db(path)
    db.receivables.import_file(csv)
    keys = db.receivables.keys()
    entries = keys.loc[keys.index.repeat(5)].reset_index(drop=True)
    entries["channel"] = ["WhatsApp", "E-mail", "Telefone", "Nenhum", "WhatsApp"] * 1000
    entries["responsible"] = "SUPERVISOR"
    entries["destination"] = None
    entries["message"] = None
    entries["observation"] = "Cliente visualizou a mensagem e prometeu pagar na próxima semana."
    entries["created_at"] = [datetime.combine(today, datetime.min.time()) - timedelta(hours=i) for i in range(5000)]
    db.contacts.add_many(entries)
    return path


def bench_pdf(fx: Fixture, runs: int) -> list[dict]:
    import io

    from pypdf import PdfReader

    from cobranca.report.pdf import build_report

    db = open_db(_pdf_db(fx.work, fx.today))
    flt = Filter(description="Todas as vencidas", min_days=1).validated()
    pdf = {}
    times = timed(lambda: pdf.update(data=build_report(db, flt, fx.today, responsible="BENCH")), min(runs, 3))
    pages = len(PdfReader(io.BytesIO(pdf["data"])).pages)
    p50 = pct(times, 0.5)
    return [{"case": "PDF 1,000 receivables × 5 contacts", "engine": "reportlab", "p50": p50,
             "rate": f"{pages} pages, {pages / p50:.0f}/s", "rss": peak_rss_mb(), "check": "ok" if pages > 1 else "DIFF"}]


# -- 5. dashboard --------------------------------------------------------------------------------
def bench_dashboard(fx: Fixture, runs: int) -> list[dict]:
    """From choosing a filter to the grid holding its rows, with the app built on the large database."""
    from cobranca.dashboard.app import CobrancaApp

    db = open_db(fx.db)
    start = time.perf_counter()
    app = CobrancaApp(db, as_of=fx.today)
    build = time.perf_counter() - start
    ids = [f.id for f in db.filters.all()]
    rows = []
    for flt_id in ids:
        times = []
        for _ in range(max(runs, 3)):
            app.state.filter_id = next(i for i in ids if i != flt_id)  # switch away, untimed
            begin = time.perf_counter()
            app.state.filter_id = flt_id  # the reload and the grid update run synchronously
            times.append(time.perf_counter() - begin)
        name = next(f.description for f in db.filters.all() if f.id == flt_id)
        rows.append({"case": f"dashboard: switch to '{name}'", "engine": f"{app.state.total:,} rows, grid {app.state.shown_count:,}",
                     "p50": pct(times, 0.5), "p99": pct(times, 0.99)})
    rows[0]["rate"] = f"app built in {build:.1f} s"
    rows[-1]["rss"] = peak_rss_mb()
    return rows
