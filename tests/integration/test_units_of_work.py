"""One database open per action: every CLI command and facade unit of work opens the file once; fast start-up."""

from __future__ import annotations

import subprocess
import sys

import pytest
from support.known import AS_OF, ENGINES
from support.pg_helpers import target_of

from cobranca import open_db
from cobranca.cli import COMMANDS, build_parser, main
from cobranca.store import engine_duckdb, engine_postgres

ENGINES = ENGINES  # the unit-of-work tests run on a DuckDB file and on PostgreSQL (see conftest.py)


@pytest.fixture
def count_opens(monkeypatch, engine):
    """Counts real DuckDB opens of database files made through the store (PostgreSQL: pool checkouts)."""
    opened: list[str] = []
    if engine == "postgres":
        real_checkout = engine_postgres.PostgresEngine.connect

        def checkout(self, *args, **kwargs):
            opened.append(self.label)
            return real_checkout(self, *args, **kwargs)

        monkeypatch.setattr(engine_postgres.PostgresEngine, "connect", checkout)
        return opened
    real_connect = engine_duckdb.duckdb.connect

    def counting(database=":memory:", *args, **kwargs):
        if str(database) not in (":memory:", ""):  # the importer validates in an in-memory database
            opened.append(str(database))
        return real_connect(database, *args, **kwargs)

    monkeypatch.setattr(engine_duckdb.duckdb, "connect", counting)
    return opened


DAY = AS_OF.isoformat()
ONE_OPEN_COMMANDS = [
    ["worklist", "--as-of", DAY, "--format", "json"],
    ["worklist", "--filter", "Vencidas de 1 a 10 dias", "--as-of", DAY],
    ["filters", "list"],
    ["filters", "add", "Grandes", "--min-days", "1", "--max-days", "60"],
    ["filters", "delete", "Vencendo hoje"],
    ["contact", "144", "--channel", "Telefone", "--observation", "ligou"],
    ["comment", "144", "Visualizou e não respondeu."],
    ["history", "144"],
    ["settings", "show"],
    ["settings", "set", "grace_days", "2"],
    ["message", "144", "--channel", "whatsapp", "--as-of", DAY],
    ["message", "144", "--channel", "email", "--per-customer", "--as-of", DAY],
]


@pytest.mark.parametrize("argv", ONE_OPEN_COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_each_cli_command_opens_the_database_once(db, count_opens, argv, capsys):
    assert main(["--db", target_of(db), *argv]) == 0, capsys.readouterr().err
    assert count_opens == [db.location]


def test_undo_and_report_open_the_database_once(db, count_opens, tmp_path, capsys):
    db.contacts.register_one("144", channel="Telefone", observation="ligou")
    count_opens.clear()
    assert main(["--db", target_of(db), "undo", "144"]) == 0
    assert len(count_opens) == 1
    count_opens.clear()
    assert main(["--db", target_of(db), "report", "--as-of", DAY, "-o", str(tmp_path / "r.pdf")]) == 0
    assert len(count_opens) == 1


@pytest.mark.duckdb_only  # a file of its own
def test_demo_opens_once_and_registers_contacts_in_one_transaction(tmp_path, count_opens, capsys):
    path = tmp_path / "demo.duckdb"
    assert main(["--db", str(path), "demo", "--rows", "300"]) == 0
    assert len(count_opens) == 1
    assert open_db(path).receivables.counts()["contacts"] >= 30


def test_a_session_shares_one_open_across_facade_calls(db, count_opens):
    with db.session():
        frame, totals = db.worklists.page(None, AS_OF)
        db.contacts.register_one("144", "1", "Telefone", observation="x")
        row = db.worklists.of_receivables([int(frame.iloc[0]["receivable_id"])], AS_OF)
        db.worklists.totals(None, AS_OF)
        db.contacts.history("144", "1")
    assert len(count_opens) == 1 and len(row) == 1


def test_a_failed_write_inside_a_session_rolls_back_only_its_transaction(db):
    with db.session():
        db.contacts.register_one("144", "1", "Telefone", observation="kept")
        with pytest.raises(Exception, match="não encontrado"):
            db.contacts.register([("145", "1"), ("nope", "1")], "Telefone", observation="all or none")
    assert list(db.contacts.history("144", "1")["observation"]) == ["kept"]
    assert db.contacts.history("145", "1").empty


def test_every_registered_command_is_in_the_registry():
    for module in {m for m, _, _ in COMMANDS.values()}:
        parser = build_parser(next(name for name, v in COMMANDS.items() if v[0] == module))
        registered = parser._subparsers._group_actions[0].choices
        assert set(registered) <= set(COMMANDS), f"{module}: {set(registered) - set(COMMANDS)} not in COMMANDS"


HEAVY = ("pandas", "duckdb", "pyarrow", "matplotlib", "reportlab", "jinja2", "openpyxl")


def _imported_after(code: str) -> list[str]:
    probe = f"import sys\n{code}\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    return subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()


def test_help_imports_no_heavy_module():
    assert _imported_after("from cobranca.cli import build_parser; build_parser()") == []
    assert _imported_after("import cobranca") == []


def test_worklist_does_not_import_charts_or_pdf(db, tmp_path):
    code = (f"from cobranca.cli import main; import contextlib, io\n"
            f"with contextlib.redirect_stdout(io.StringIO()): main(['--db', {target_of(db)!r}, 'worklist'])")
    loaded = _imported_after(code)
    assert "duckdb" in loaded and "pandas" in loaded  # the probe really ran the command
    assert not {"matplotlib", "reportlab"} & set(loaded)
