"""`cobranca db copy`: a demo database DuckDB → PostgreSQL → DuckDB with equal counts and sums; the refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from support.pg_helpers import PASSWORD, raw_connection

from cobranca import open_db
from cobranca.cli import main
from cobranca.facade.transfer import CopyMismatchError
from cobranca.store import transfer

_ROWS_SQL = {  # the content itself, not only counts: every column of the tables a team works on
    "receivables": "SELECT * FROM receivables ORDER BY id",
    "customers": "SELECT * FROM customers ORDER BY id",
    "contacts": "SELECT * FROM contacts ORDER BY id",
    "settings": "SELECT key, value, updated_at FROM settings ORDER BY key",
    "filters": "SELECT * FROM filters ORDER BY id",
}


def _state(target) -> tuple[dict, dict, dict]:
    with raw_connection(target) as con:
        return (transfer.totals(con), transfer.sequences(con),
                {t: [tuple(r) for r in con.execute(sql).fetchall()] for t, sql in _ROWS_SQL.items()})


@pytest.fixture
def demo(tmp_path):
    path = tmp_path / "origem.duckdb"
    assert main(["demo", "--db", str(path), "--rows", "400", "--seed", "5"]) == 0
    db = open_db(path)
    db.settings.set("company_name", "Loja Ação; 'teste'")
    return path


def test_demo_round_trips_duckdb_postgres_duckdb(demo, pg_url, tmp_path, capsys):
    capsys.readouterr()
    assert main(["db", "copy", "--db", str(demo), "--to", pg_url]) == 0
    printed = capsys.readouterr()
    out = printed.out
    assert "receivables" in out and "400" in out and "conferidas" in out
    assert "  receivables: 400 linhas (" in printed.err  # a progress line per table, on stderr
    assert PASSWORD not in out and "***" in out
    back = tmp_path / "volta.duckdb"
    assert main(["--db", pg_url, "db", "copy", "--to", str(back)]) == 0
    assert PASSWORD not in capsys.readouterr().out
    source, on_pg, again = _state(demo), _state(pg_url), _state(back)
    assert source[0] == on_pg[0] == again[0]
    assert source[0]["receivables"][0] == 400 and source[0]["contacts"][0] > 0
    assert source[0]["receivables"][1]["amount"] > Decimal("0")
    assert source[1] == on_pg[1] == again[1]  # the next id of every sequence
    assert source[2] == again[2]
    assert [r[:4] for r in on_pg[2]["receivables"]] == [r[:4] for r in source[2]["receivables"]]


def test_a_copy_larger_than_one_batch_round_trips_with_equal_counts_and_sums(demo, pg_url, tmp_path, monkeypatch):
    writes: dict[str, list[int]] = {}
    real = transfer.write_table

    def counted(con, table, data):
        writes.setdefault(table, []).append(data.num_rows)
        real(con, table, data)

    monkeypatch.setattr(transfer, "write_table", counted)
    done = []
    open_db(demo).transfer.copy_to(pg_url, batch_rows=37, progress=lambda t, rows, _s: done.append((t, rows)))
    assert writes["receivables"] == [37] * 10 + [30]  # 400 rows, never more than one batch in memory
    assert writes["contacts"][0] == 37 and len(writes["contacts"]) > 1
    back = tmp_path / "volta.duckdb"
    writes.clear()
    open_db(pg_url).transfer.copy_to(back, batch_rows=37)  # PostgreSQL's server-side cursor, 37 at a time
    assert writes["receivables"] == [37] * 10 + [30]
    source, on_pg, again = _state(demo), _state(pg_url), _state(back)
    assert source[0] == on_pg[0] == again[0] and source[1] == on_pg[1] == again[1]
    assert source[2] == again[2]
    assert dict(done)["receivables"] == 400 and [t for t, _ in done] == list(transfer.schema_tables())


def test_the_copy_is_a_working_database_that_numbers_on(demo, pg_url):
    main(["db", "copy", "--db", str(demo), "--to", pg_url])
    source, target = open_db(demo), open_db(pg_url)
    document = target.worklists.rows(as_of=None).iloc[0]["document"]
    installment = target.worklists.rows(as_of=None).iloc[0]["installment"]
    target.contacts.register_one(document, installment, channel="Telefone", observation="depois da cópia")
    with raw_connection(pg_url) as con:
        newest = con.execute("SELECT max(id) FROM contacts").fetchone()[0]
    with raw_connection(demo) as con:
        assert newest == con.execute("SELECT max(id) FROM contacts").fetchone()[0] + 1
    assert len(source.contacts.history(document, installment)) + 1 == len(target.contacts.history(document, installment))


def test_a_target_with_data_is_refused_unless_substituir(demo, tmp_path, capsys):
    other = tmp_path / "outro.duckdb"
    assert main(["demo", "--db", str(other), "--rows", "30", "--seed", "9"]) == 0
    before = _state(other)
    capsys.readouterr()
    assert main(["db", "copy", "--db", str(demo), "--to", str(other)]) == 2
    err = capsys.readouterr().err
    assert "já tem dados" in err and "--substituir" in err and "Nada foi copiado" in err
    assert _state(other) == before
    assert main(["db", "copy", "--db", str(demo), "--to", str(other), "--substituir"]) == 0
    assert _state(other) == _state(demo)


def test_a_second_run_is_refused(demo, pg_url, capsys):
    assert main(["db", "copy", "--db", str(demo), "--to", pg_url]) == 0
    before = _state(pg_url)
    assert main(["db", "copy", "--db", str(demo), "--to", pg_url]) == 2
    err = capsys.readouterr().err
    assert "já tem dados" in err and PASSWORD not in err
    assert _state(pg_url) == before


def test_source_and_target_the_same_database_is_refused(demo, pg_url, capsys, monkeypatch):
    monkeypatch.chdir(demo.parent)
    assert main(["db", "copy", "--db", str(demo), "--to", f"./../{demo.parent.name}/{demo.name}"]) == 2
    assert "mesmo banco" in capsys.readouterr().err
    same_server = pg_url.replace("127.0.0.1", "localhost")
    assert main(["db", "copy", "--db", pg_url, "--to", same_server]) == 2
    err = capsys.readouterr().err
    assert "mesmo banco" in err and PASSWORD not in err


def test_a_copy_that_does_not_check_out_writes_nothing(demo, pg_url, monkeypatch):
    real = transfer.write_table

    def loses_a_row(con, table, data):
        real(con, table, data.slice(1) if table == "receivables" else data)

    monkeypatch.setattr(transfer, "write_table", loses_a_row)
    with pytest.raises(CopyMismatchError, match="não conferiu.*receivables"):
        open_db(demo).transfer.copy_to(pg_url)
    with raw_connection(pg_url) as con:
        assert con.execute("SELECT count(*) FROM receivables").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM contacts").fetchone()[0] == 0
