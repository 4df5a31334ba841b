"""Reads of named receivables with an empty list answer an empty frame on both engines (on PostgreSQL an untyped
empty array made `unnest` ambiguous: the store casts its id lists to BIGINT[])."""

from __future__ import annotations

from support.known import AS_OF, ENGINES

ENGINES = ENGINES  # every test here runs on a DuckDB file and on PostgreSQL (see conftest.py)


def test_no_receivables_named_is_an_empty_answer(db):
    assert db.worklists.of_receivables([], AS_OF).empty
    assert db.contacts.histories([]).empty
    assert db.agreements.list() == []


def test_the_same_reads_with_ids_still_find_them(db):
    rid = db.receivables.find("144", "1")["receivable_id"]
    db.contacts.register_one("144", "1", channel="Telefone", observation="ligou")
    assert list(db.worklists.of_receivables([rid], AS_OF)["document"]) == ["144"]
    assert list(db.contacts.histories([rid])["observation"]) == ["ligou"]
