"""The generated docs (settings table, CLI reference, facade reference) match the code: run `python docs/generate.py` when this fails."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _generator():
    spec = importlib.util.spec_from_file_location("docs_generate", DOCS / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", ["settings.md", "cli-reference.md", "api-reference.md"])
def test_generated_docs_match_the_code(name):
    generated = _generator().GENERATED[name]()
    committed = (DOCS / name).read_text(encoding="utf-8")
    assert committed == generated, f"docs/{name} is out of date: run `python docs/generate.py` and commit it"


def test_every_setting_and_command_is_documented():
    from cobranca.cli import COMMANDS
    from cobranca.settings import SETTINGS

    settings_text = (DOCS / "settings.md").read_text(encoding="utf-8")
    cli_text = (DOCS / "cli-reference.md").read_text(encoding="utf-8")
    assert all(f"| `{key}` |" in settings_text for key in SETTINGS)
    assert all(f"## `cobranca {name}`" in cli_text for name in COMMANDS)
