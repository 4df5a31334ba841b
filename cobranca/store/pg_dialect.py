"""DuckDB's SQL on PostgreSQL: the few rewrites of a statement's text, and the functions PostgreSQL lacks.

The store modules write one SQL text, in DuckDB's dialect restricted to what is listed in
docs/storage-postgres.md. `translate()` rewrites, outside string literals, what PostgreSQL spells otherwise:
placeholders (`?`, `$name` → psycopg's `%s`, `%(name)s`), `arg_max`/`max_by`, `INTERVAL 1 DAY`, `HUGEINT`,
`range(n)`. `SHIMS` creates the functions with DuckDB's names and meaning (`strip_accents`, `contains`,
`date_diff('day', …)` and `//`, integer division truncating toward zero) in the database, once, with the schema.
"""

from __future__ import annotations

import re
from functools import lru_cache

_LITERAL = re.compile(r"('(?:[^']|'')*'|\"(?:[^\"]|\"\")*\")")
_NAMED = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_ARG_MAX = re.compile(r"\b(?:arg_max|max_by)\(\s*([\w.]+)\s*,\s*([\w.]+)\s*\)", re.IGNORECASE)
_ARG_MIN = re.compile(r"\b(?:arg_min|min_by)\(\s*([\w.]+)\s*,\s*([\w.]+)\s*\)", re.IGNORECASE)
_INTERVAL = re.compile(r"\bINTERVAL\s+(\d+)\s+(DAYS?|HOURS?|MINUTES?|SECONDS?|MONTHS?|YEARS?)\b", re.IGNORECASE)
_HUGEINT = re.compile(r"\bHUGEINT\b", re.IGNORECASE)
_RANGE = re.compile(r"\bFROM\s+range\(", re.IGNORECASE)
_NOT_PORTABLE = re.compile(r"\b(GROUP\s+BY\s+ALL|ANTI\s+JOIN|SEMI\s+JOIN|ASOF\s+JOIN|CREATE\s+OR\s+REPLACE\s+TABLE|"
                           r"CREATE\s+OR\s+REPLACE\s+TEMP|INSERT\s+OR\s+REPLACE|duckdb_\w+\()", re.IGNORECASE)


class NotPortableError(ValueError):
    """A statement uses DuckDB SQL that has no rewrite here: write it portably or side by side per engine."""


def _code(part: str) -> str:
    """One stretch of SQL outside literals, rewritten."""
    found = _NOT_PORTABLE.search(part)
    if found:
        raise NotPortableError(f"DuckDB-only SQL {found.group(0)!r}: see docs/storage-postgres.md")
    part = part.replace("?", "%s")
    part = _NAMED.sub(r"%(\1)s", part)
    part = _ARG_MAX.sub(r"(array_agg(\1 ORDER BY \2 DESC) FILTER (WHERE \1 IS NOT NULL AND \2 IS NOT NULL))[1]", part)
    part = _ARG_MIN.sub(r"(array_agg(\1 ORDER BY \2) FILTER (WHERE \1 IS NOT NULL AND \2 IS NOT NULL))[1]", part)
    part = _INTERVAL.sub(lambda m: f"INTERVAL '{m.group(1)} {m.group(2).lower()}'", part)
    part = _HUGEINT.sub("NUMERIC(38,0)", part)
    return _RANGE.sub("FROM generate_series(1, ", part)


@lru_cache(maxsize=1024)
def translate(sql: str) -> str:
    """The PostgreSQL text of a DuckDB statement (psycopg placeholders; a literal `%` doubled)."""
    pieces = _LITERAL.split(sql)
    out = []
    for index, piece in enumerate(pieces):
        piece = piece.replace("%", "%%")
        out.append(piece if index % 2 else _code(piece))  # odd pieces are the literals
    return "".join(out)


_ACCENTED = "áàâãäåéèêëíìîïóòôõöúùûüçñýÿÁÀÂÃÄÅÉÈÊËÍÌÎÏÓÒÔÕÖÚÙÛÜÇÑÝ"
_PLAIN = "aaaaaaeeeeiiiiooooouuuucnyyAAAAAAEEEEIIIIOOOOOUUUUCNY"
SHIMS_MARKER = "cobranca_shims_v1"  # bump (and re-create) when a shim changes

SHIMS = [
    f"""CREATE OR REPLACE FUNCTION strip_accents(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        AS $$ SELECT translate($1, '{_ACCENTED}', '{_PLAIN}') $$""",
    """CREATE OR REPLACE FUNCTION contains(text, text) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        AS $$ SELECT strpos($1, $2) > 0 $$""",
    """CREATE OR REPLACE FUNCTION cobranca_unit_error(text) RETURNS bigint LANGUAGE plpgsql IMMUTABLE
        AS $$ BEGIN RAISE EXCEPTION 'date_diff: only the unit day is available, not %', $1; END $$""",
    """CREATE OR REPLACE FUNCTION date_diff(text, date, date) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $$ SELECT CASE WHEN lower($1) = 'day' THEN ($3 - $2)::bigint ELSE cobranca_unit_error($1) END $$""",
    """CREATE OR REPLACE FUNCTION date_diff(text, timestamp, timestamp) RETURNS bigint LANGUAGE sql IMMUTABLE
        PARALLEL SAFE AS $$ SELECT date_diff($1, CAST($2 AS date), CAST($3 AS date)) $$""",
    """CREATE OR REPLACE FUNCTION cobranca_floor_div(numeric, numeric) RETURNS numeric LANGUAGE sql IMMUTABLE
        STRICT PARALLEL SAFE AS $$ SELECT div($1, $2) $$""",
    """DO $$ BEGIN
           IF NOT EXISTS (SELECT 1 FROM pg_operator WHERE oprname = '//') THEN
               CREATE OPERATOR // (LEFTARG = numeric, RIGHTARG = numeric, FUNCTION = cobranca_floor_div);
           END IF;
       END $$""",
    f"CREATE OR REPLACE FUNCTION {SHIMS_MARKER}() RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT 1 $$",
]
