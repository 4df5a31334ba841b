"""The exploration notebook runs top to bottom on demo data."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]


def test_explorar_notebook_executes(tmp_path, monkeypatch):
    monkeypatch.setenv("COBRANCA_DB", str(tmp_path / "nb.duckdb"))
    nb = nbformat.read(ROOT / "notebooks" / "explorar.ipynb", as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = "".join(o.get("data", {}).get("text/plain", "") for o in outputs)
    assert "Vencidas de 1 a 10 dias" in text and "Cliente prometeu pagar sexta" in text
