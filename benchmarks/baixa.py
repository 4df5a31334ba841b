"""Baixa at scale: a generated CNAB 240 file paying N receivables — parse, match and apply — against the importer on
a CSV of the same N receivables, in the same run; each case in a fresh process for its own peak RSS.

    python -m benchmarks.baixa --size 200000
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

from benchmarks.measure import peak_rss_mb, run_isolated
from benchmarks.synthetic import synthetic_frame, write_csv

TODAY = date(2026, 11, 30)


def _cents(text: str) -> int:
    return int(text.replace(".", "").replace(",", ""))


def write_cnab240(frame, path: Path) -> int:
    """Banco do Brasil CNAB 240: a T and a U segment per receivable, each paying its whole amount."""
    day = "27112026"
    lines = [f"{'001':3}0000{'0':1}{'':94}{'BANCO DO BRASIL':30}{'':10}2{'07122026':8}".ljust(240),
             "00100011T".ljust(240)]
    seq = 0
    for i, cents in enumerate(frame["amount"].map(_cents)):
        seq += 1
        t = (f"00100013{seq % 100000:05d}T 06{'':20}{i + 1:020d}1{'':15}{'30112026'}{cents:015d}{'':102}{150:015d}")
        seq += 1
        u = f"00100013{seq % 100000:05d}U 06{0:015d}{0:015d}{0:015d}{0:015d}{cents:015d}{cents - 150:015d}{'':30}{day}{day}"
        lines += [t.ljust(240), u.ljust(240)]
    lines += ["00100015".ljust(240), "00199999".ljust(240)]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("ascii"))
    return len(frame)


def _import(db_path: str, csv_path: str) -> dict:
    from cobranca import open_db

    started = time.perf_counter()
    report = open_db(db_path).receivables.import_file(csv_path)
    return {"seconds": time.perf_counter() - started, "rss": peak_rss_mb(), "rows": report.inserted}


def _baixa(db_path: str, ret_path: str) -> dict:
    from cobranca import open_db
    from cobranca.baixa import read

    data = Path(ret_path).read_bytes()
    started = time.perf_counter()
    records = read.parse_table(Path(ret_path).name, data, None).num_rows  # the reader baixa uses, alone
    parsed = time.perf_counter() - started
    del data
    started = time.perf_counter()
    report = open_db(db_path).baixa.apply([ret_path])
    return {"seconds": time.perf_counter() - started, "parse": parsed, "rss": peak_rss_mb(),
            "records": records, "settled": report.count("settled")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.baixa", description=__doc__)
    parser.add_argument("--size", type=int, default=200_000, help="receivables (and CNAB records) to generate")
    parser.add_argument("--workdir", help="folder for the generated files (default: a temporary folder)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="cobranca-bench-baixa-") as tmp:
        work = Path(args.workdir or tmp)
        work.mkdir(parents=True, exist_ok=True)
        frame = synthetic_frame(args.size, TODAY).assign(paid_amount="0,00")
        frame["nosso_numero"] = [f"{i + 1:011d}" for i in range(len(frame))]
        from benchmarks import synthetic

        synthetic.HEADERS.setdefault("nosso_numero", "Nosso Número")
        csv_path = write_csv(frame, work / "receivables.csv")
        ret_path = work / "retorno.ret"
        write_cnab240(frame, ret_path)
        base = work / "import.duckdb"
        imported = run_isolated(_import, str(base), str(csv_path))
        applied_db = work / "baixa.duckdb"
        shutil.copyfile(base, applied_db)
        applied = run_isolated(_baixa, str(applied_db), str(ret_path))
    ok = applied["settled"] == args.size == imported["rows"]
    print(f"\nbaixa benchmark — {args.size:,} receivables, CNAB 240 of {args.size:,} liquidations\n")
    print(f"{'case':44}{'seconds':>10}{'rows/s':>12}{'vs import':>11}{'peak RSS':>11}  check")
    rows = [(f"import CSV of {args.size:,} receivables", imported["seconds"], 1.0, imported["rss"]),
            ("baixa CNAB 240 (parse+match+apply)", applied["seconds"], applied["seconds"] / imported["seconds"],
             applied["rss"]),
            ("  of which parse only", applied["parse"], applied["parse"] / imported["seconds"], None)]
    for case, seconds, ratio, rss in rows:
        rss_text = f"{rss:.0f} MB" if rss else ""
        print(f"{case:44}{seconds:>10.2f}{args.size / seconds:>12,.0f}{ratio:>10.2f}x{rss_text:>11}  "
              f"{'ok' if ok else 'DIFF'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
