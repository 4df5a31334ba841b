"""The dashboard's views never touch the facade (issue 19): only the state objects in dashboard/state/ call it.

Every module of cobranca/dashboard/views/ is parsed with `ast`; an attribute or name `db`, a `.session`
(the facade's unit of work), `getattr(x, "db")` or an import of cobranca.api / facade / store / workflows is a
violation, reported as file:line.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import cobranca.dashboard.views as views

FACADE_ATTRIBUTES = {"db", "session"}  # the facade itself, and its unit of work (views use state methods)
FACADE_PACKAGES = ("cobranca.api", "cobranca.facade", "cobranca.store", "cobranca.workflows")
VIEWS_PACKAGE = "cobranca.dashboard.views"


def _imported(node: ast.ImportFrom, package: str) -> str:
    """The absolute module an `from ... import` names, relative imports resolved against `package`."""
    if not node.level:
        return node.module or ""
    parts = package.split(".")
    base = parts[: len(parts) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def _is_facade_module(name: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in FACADE_PACKAGES)


def violations(source: str, filename: str = "<view>", package: str = VIEWS_PACKAGE) -> list[str]:
    """Every place in `source` where a view reaches the facade, as 'file:line: what'."""
    found = []
    for node in sorted(ast.walk(ast.parse(source, filename)), key=lambda n: getattr(n, "lineno", 0)):
        what = None
        if isinstance(node, ast.Attribute) and node.attr in FACADE_ATTRIBUTES:
            what = f".{node.attr}"
        elif isinstance(node, ast.Name) and node.id == "db":
            what = "name db"
        elif isinstance(node, ast.arg) and node.arg == "db":
            what = "parameter db"
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
              and node.func.id in ("getattr", "setattr", "hasattr") and len(node.args) > 1
              and isinstance(node.args[1], ast.Constant) and node.args[1].value in FACADE_ATTRIBUTES):
            what = f"{node.func.id}(…, {node.args[1].value!r})"
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names if _is_facade_module(a.name)]
            what = f"import {', '.join(names)}" if names else None
        elif isinstance(node, ast.ImportFrom):
            module = _imported(node, package)
            what = f"from {module} import …" if _is_facade_module(module) else None
        if what:
            found.append(f"{filename}:{node.lineno}: {what}")
    return found


def view_modules() -> list[Path]:
    return sorted(Path(views.__file__).parent.glob("*.py"))


def test_the_views_package_is_found():
    names = {path.stem for path in view_modules()}
    assert {"worklist", "contact", "conversation", "outputs", "regua", "customer", "results", "baixa",
            "agreement", "importer", "filters", "charts", "kpis"} <= names


def test_no_view_touches_the_facade():
    found = [v for path in view_modules() for v in violations(path.read_text(encoding="utf-8"), path.name)]
    assert found == [], "views must call their feature's state, never the facade:\n" + "\n".join(found)


@pytest.mark.parametrize("source, expected", [
    ("self.state.db.regua.steps()", ["1: .db"]),
    ("facade = self.state\ndb = facade.app", ["2: name db"]),
    ("def render(self, db):\n    pass", ["1: parameter db"]),
    ("with self.state.unit().session():\n    pass", ["1: .session"]),
    ("getattr(self.state, 'db').paid_today()", ["1: getattr(…, 'db')"]),
    ("from ...workflows.regua_run import plan", ["1: from cobranca.workflows.regua_run import …"]),
    ("from ...api import Cobranca", ["1: from cobranca.api import …"]),
    ("from cobranca.store import engine_duckdb", ["1: from cobranca.store import …"]),
    ("import cobranca.facade.customers", ["1: import cobranca.facade.customers"]),
])
def test_the_check_sees_each_way_to_the_facade(source, expected):
    assert violations(source, "x.py") == [f"x.py:{line}" for line in expected]


def test_state_imports_are_not_violations():
    source = ("from ..state import text_of\nfrom ...core.formatting import brl\n"
              "self.state.regua.steps()\nself.state.baixa.apply(files)\n")
    assert violations(source, "x.py") == []
