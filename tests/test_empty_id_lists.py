"""Reads of named receivables with an empty list answer an empty frame on both engines (on PostgreSQL an untyped
empty array made `unnest` ambiguous: the store casts its id lists to BIGINT[])."""

from __future__ import annotations

from conftest import AS_OF, ENGINES

ENGINES = ENGINES  # every test here runs on a DuckDB file and on PostgreSQL (see conftest.py)


def test_no_receivables_named_is_an_empty_answer(db):
    assert db.worklist_rows([], AS_OF).empty
    assert db.histories([]).empty
    assert db.agreements.list() == []


def test_the_same_reads_with_ids_still_find_them(db):
    rid = db.receivable("144", "1")["receivable_id"]
    db.register_contact("144", "1", channel="Telefone", observation="ligou")
    assert list(db.worklist_rows([rid], AS_OF)["document"]) == ["144"]
    assert list(db.histories([rid])["observation"]) == ["ligou"]
