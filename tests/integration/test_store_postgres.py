"""The PostgreSQL engine's own guarantees: a server that cannot be reached, passwords kept out of messages, a
foreign database refused, two processes creating the schema at once, the CLI's --db URL."""

from __future__ import annotations

import multiprocessing as mp
import os
import subprocess
import sys
from decimal import Decimal

import pytest
from support.pg_helpers import PASSWORD, raw_connection

from benchmarks.measure import free_port
from cobranca import open_db, store
from cobranca.core.errors import InputError, StoreUnavailableError


def test_unreachable_server_is_a_pt_br_error_naming_host_and_port():
    port = free_port()  # nobody listens once the probe is closed
    with pytest.raises(StoreUnavailableError) as caught:
        open_db(f"postgresql://ana:{PASSWORD}@127.0.0.1:{port}/cobranca").filters.all()
    message = str(caught.value)
    assert f"127.0.0.1:{port}" in message and "Não foi possível conectar ao PostgreSQL" in message
    assert PASSWORD not in message


def test_wrong_password_is_refused_without_showing_it(pg_url):
    wrong = pg_url.replace(PASSWORD, "senha-errada-123")
    with pytest.raises(StoreUnavailableError) as caught:
        open_db(wrong).filters.all()
    assert "senha-errada-123" not in str(caught.value) and "127.0.0.1:" in str(caught.value)


def test_location_hides_the_password(pg_url):
    db = open_db(pg_url)
    assert db.engine == "postgres" and db.path is None
    assert PASSWORD not in db.location and "***" in db.location and db.location.endswith(pg_url.rsplit("/", 1)[1])


def test_a_database_with_other_tables_and_no_schema_is_refused(pg_url):
    with raw_connection(pg_url) as con:
        con.execute("CREATE TABLE invoices (id INTEGER)")
    with pytest.raises(InputError, match="não é um banco do cobranca: tem outras tabelas \\(invoices\\)"):
        open_db(pg_url).filters.all()
    with raw_connection(pg_url) as con:
        tables = con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'").fetchall()
    assert tables == [("invoices",)]  # nothing created beside it


def _open_and_report(url, barrier, out):
    barrier.wait()
    out.put(open_db(url).schema_version())


def test_two_processes_creating_the_schema_at_once_apply_each_step_once(pg_url, tmp_path):
    ctx = mp.get_context("spawn")
    barrier, out = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=_open_and_report, args=(pg_url, barrier, out)) for _ in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0]
    assert [out.get(timeout=5), out.get(timeout=5)] == [store.SCHEMA_VERSION] * 2
    with raw_connection(pg_url) as con:
        versions = [r[0] for r in con.execute("SELECT version FROM schema_version ORDER BY version").fetchall()]
        filters = con.execute("SELECT count(*) FROM filters").fetchone()[0]
    assert versions == sorted(store.schema.MIGRATIONS) and filters == len(open_db(tmp_path / "ref.duckdb").filters.all())  # each added once


def _cli(*args: str, env_db: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("COBRANCA_DB", "COBRANCA_DEBUG")}
    if env_db:
        env["COBRANCA_DB"] = env_db
    return subprocess.run([sys.executable, "-m", "cobranca", *args], capture_output=True, text=True, env=env,
                          timeout=120)


def test_cli_with_an_unreachable_url_exits_2_naming_host_and_port():
    port = free_port()  # nobody listens once the probe is closed
    done = _cli("--db", f"postgresql://ana:{PASSWORD}@127.0.0.1:{port}/cobranca", "filters", "list")
    assert done.returncode == 2
    assert f"127.0.0.1:{port}" in done.stderr and "Traceback" not in done.stderr
    assert PASSWORD not in done.stderr + done.stdout


def test_cli_runs_on_a_url_from_cobranca_db(pg_url):
    listed = _cli("filters", "list", env_db=pg_url)
    assert listed.returncode == 0, listed.stderr
    assert "Vencidas de 1 a 10 dias" in listed.stdout
    shown = _cli("settings", "show", env_db=pg_url)
    assert shown.returncode == 0, shown.stderr
    assert PASSWORD not in shown.stdout + shown.stderr


def test_backup_and_restore_on_postgresql_point_to_the_server_tools(pg_url, tmp_path):
    backup = _cli("backup", str(tmp_path / "b"), env_db=pg_url)
    assert backup.returncode == 2 and "pg_dump" in backup.stderr and "Traceback" not in backup.stderr
    restore = _cli("--db", pg_url, "restore", str(tmp_path / "b"))
    assert restore.returncode == 2 and "pg_restore" in restore.stderr and PASSWORD not in restore.stderr
    assert not (tmp_path / "b").exists()


def test_pooled_connections_run_without_jit(pg_url):
    # JIT compiling took 4.8 s of a 5.4 s worklist of 125k rows (benchmarks/pg_explain.py): off for our sessions
    db = open_db(pg_url)
    with db.store.engine.connect() as con:
        assert con.execute("SHOW jit").fetchone()[0] == "off"


def test_a_result_fetched_by_column_reads_back_every_value_as_fetched_by_row(pg_url):
    """PgConnection.arrow (COPY as CSV, parsed by Arrow) against sql() (Python tuples): same table, same types."""
    db = open_db(pg_url)
    with db.store.engine.connect() as con:
        con.execute("""CREATE TEMP TABLE sample (id BIGINT, text_a VARCHAR, text_b TEXT, money DECIMAL(18,2),
                       flag BOOLEAN, day DATE, moment TIMESTAMP, big DECIMAL(38,2), small INTEGER)""")
        con.execute("""INSERT INTO sample VALUES
            (1, 'a, "b"' || chr(10) || 'c', '', 1234.56, TRUE, DATE '2020-06-08', TIMESTAMP '2020-06-08 10:00:00.123456',
             -0.01, 7),
            (2, NULL, 'Açougue ''São'' =1+2', NULL, FALSE, NULL, NULL, 999999999999999999999999999999999999.99, NULL),
            (3, 'NULL', ' ', 0, NULL, DATE '1927-01-01', TIMESTAMP '2026-12-08 00:00:00', NULL, -3)""")
        rows = "SELECT * FROM sample WHERE id >= $low ORDER BY id"
        by_column, by_row = con.arrow(rows, {"low": 1}), con.sql(rows, {"low": 1}).to_arrow_table()
        assert by_column.schema == by_row.schema and by_column.to_pylist() == by_row.to_pylist()
        assert str(by_column.schema.field("money").type) == "decimal128(18, 2)"
        assert by_column.column("text_b").to_pylist()[0] == "" and by_column.column("text_a").to_pylist()[1] is None
        assert by_column.column("text_a").to_pylist()[2] == "NULL"  # the text, not a null
        empty = con.arrow(rows, {"low": 9})
        assert empty.num_rows == 0 and empty.schema == by_column.schema
        # a numeric without a declared scale has no exact CSV type: read by row, as before
        assert con.arrow("SELECT sum(money) AS s FROM sample").to_pylist() == [{"s": Decimal("1234.56")}]
