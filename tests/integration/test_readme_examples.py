"""Every `cobranca …` example of the README and of the docs it points to runs, in order, on the data it tells
you to create: the README's first session on its own demo data; docs/cli.md (which creates the demo data and
imports the June 2020 sample export) and then the other docs, whose examples work on that sample.

The lines are read from the files themselves (```sh blocks), so an example that stops working fails here.
Lines that cannot run on a laptop without more set-up are skipped by a named reason (an SMTP server, a
backup folder with a date in its name, a bank's return file, optional parts written as [--flag]).
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path

import pytest

from cobranca.cli import main

ROOT = Path(__file__).resolve().parents[2]
SKIP = {
    "needs an SMTP server": ("cobranca send", "smtp_host", "regua run --yes"),
    "restores a backup folder named by its date": ("restore ",),
    "serves the dashboard until stopped": ("cobranca dashboard",),
    "needs a PostgreSQL server (tests/integration/test_db_copy.py runs the copy on a real one)": ("postgresql://",),
    "needs a bank's return file or statement (and its review items)": (".ret", ".ofx", "--resolver", "--descartar"),
}
FIRST_DOC = "cli.md"  # creates the demo data and imports the sample export the other docs' examples use


def examples(path: Path) -> list[str]:
    """The command lines of `path` (``.venv/bin/`` dropped, comments removed), in order."""
    text = path.read_text(encoding="utf-8")
    lines = []
    for block in re.findall(r"```(?:sh|bash|shell)\n(.*?)```", text, re.S):
        for line in block.splitlines():
            line = line.strip().removeprefix(".venv/bin/")
            if line.startswith("cobranca "):
                lines.append(shlex.join(shlex.split(line, comments=True)))
    return lines


def readme_examples() -> list[str]:
    return examples(ROOT / "README.md")


def docs_examples() -> list[str]:
    """docs/cli.md first, then every other doc in name order."""
    docs = sorted((ROOT / "docs").glob("*.md"), key=lambda p: (p.name != FIRST_DOC, p.name))
    return [line for doc in docs for line in examples(doc)]


def skip_reason(line: str) -> str | None:
    if "[" in line:
        return "optional parts written as [--flag]"
    for reason, needles in SKIP.items():
        if any(needle in line for needle in needles):
            return reason
    return None


def test_the_readme_and_docs_have_the_examples_this_test_runs():
    assert readme_examples()[0].startswith("cobranca demo")
    lines = docs_examples()
    assert lines[0].startswith("cobranca demo")
    assert any("worklist" in line and "--as-of 2020-06-08" in line for line in lines)
    assert sum(skip_reason(line) is None for line in lines) >= 25


def _run_all(lines: list[str], folder: Path, monkeypatch, capsys) -> list[str]:
    """Each runnable line on one database in `folder`; a worklist asked as JSON must list some account."""
    (folder / "data").mkdir()
    shutil.copy(ROOT / "data" / "exemplo_contas_a_receber.csv", folder / "data")
    monkeypatch.chdir(folder)
    monkeypatch.setenv("COBRANCA_USER", "Ana")
    db_path = folder / "cobranca.duckdb"
    ran = []
    for line in lines:
        if skip_reason(line):
            continue
        args = shlex.split(line)[1:]
        code = main(["--db", str(db_path), *args])
        out, err = capsys.readouterr()
        assert code == 0, f"`{line}` saiu com {code}: {err.strip()[-400:]}"
        if "--format" in args and args[args.index("--format") + 1] == "json" and args[0] == "worklist":
            assert json.loads(out), f"`{line}` não listou nenhuma conta nos dados de demonstração"
        ran.append(line)
    return ran


def test_the_readme_first_session_runs_on_its_demo_data(tmp_path, monkeypatch, capsys):
    ran = _run_all(readme_examples(), tmp_path, monkeypatch, capsys)
    assert len(ran) == len(readme_examples()) >= 3


def test_every_docs_example_runs_on_the_demo_data(tmp_path, monkeypatch, capsys):
    ran = _run_all(docs_examples(), tmp_path, monkeypatch, capsys)
    assert len(ran) >= 25
    assert (tmp_path / "relatorio.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "pix.png").read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize("line", ["cobranca send 144 --channel email", "cobranca promise 144 --date 2020-06-12 [--amount 500,00]"])
def test_lines_that_need_more_set_up_are_skipped_by_name(line):
    assert skip_reason(line)
