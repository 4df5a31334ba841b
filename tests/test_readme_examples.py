"""Every `cobranca …` example of the README runs, in the README's order, on the data the README tells you to create.

The lines are read from the README itself (```sh blocks), so an example that stops working fails here.
Lines that cannot run on a laptop without more set-up are skipped by a named reason (an SMTP server, a
backup folder with a date in its name, optional parts written as [--flag]).
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path

import pytest

from cobranca.cli import main

ROOT = Path(__file__).resolve().parents[1]
SKIP = {
    "needs an SMTP server": ("cobranca send", "smtp_host", "regua run --yes"),
    "restores a backup folder named by its date": ("restore ",),
    "serves the dashboard until stopped": ("cobranca dashboard",),
}


def readme_examples() -> list[str]:
    """The README's command lines, comments removed, in order."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = []
    for block in re.findall(r"```(?:sh|bash|shell)\n(.*?)```", text, re.S):
        for line in block.splitlines():
            if line.strip().startswith("cobranca "):
                lines.append(shlex.join(shlex.split(line, comments=True)))
    return lines


def skip_reason(line: str) -> str | None:
    if "[" in line:
        return "optional parts written as [--flag]"
    for reason, needles in SKIP.items():
        if any(needle in line for needle in needles):
            return reason
    return None


def test_the_readme_has_the_examples_this_test_runs():
    lines = readme_examples()
    assert lines[0].startswith("cobranca demo")
    assert any("worklist" in line and "--as-of 2020-06-08" in line for line in lines)
    assert sum(skip_reason(line) is None for line in lines) >= 25


def test_every_readme_example_runs_on_the_demo_data(tmp_path, monkeypatch, capsys):
    (tmp_path / "data").mkdir()
    shutil.copy(ROOT / "data" / "exemplo_contas_a_receber.csv", tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COBRANCA_USER", "Ana")
    db_path = tmp_path / "cobranca.duckdb"
    ran = []
    for line in readme_examples():
        if skip_reason(line):
            continue
        args = shlex.split(line)[1:]
        code = main(["--db", str(db_path), *args])
        out, err = capsys.readouterr()
        assert code == 0, f"`{line}` saiu com {code}: {err.strip()[-400:]}"
        if "--format" in args and args[args.index("--format") + 1] == "json" and args[0] == "worklist":
            assert json.loads(out), f"`{line}` não listou nenhuma conta nos dados de demonstração"
        ran.append(line)
    assert len(ran) >= 25
    assert (tmp_path / "relatorio.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "pix.png").read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize("line", ["cobranca send 144 --channel email", "cobranca promise 144 --date 2020-06-12 [--amount 500,00]"])
def test_lines_that_need_more_set_up_are_skipped_by_name(line):
    assert skip_reason(line)
