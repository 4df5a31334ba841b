"""A spy on the statements the store sends to PostgreSQL, for the benchmarks that count or explain them.

While active, `seen(con, sql, params)` is called before every statement a `PgConnection` runs through any of its
query methods — `sql`, `execute`, `prepared` and `arrow` (the by-column fetch) — once per outermost call, so
`arrow`'s fallback to `sql` is not seen twice.
"""

from __future__ import annotations

from collections.abc import Callable

from cobranca.store import pg_connection

METHODS = ("sql", "execute", "prepared", "arrow")


class StatementSpy:
    def __init__(self, seen: Callable[[object, str, object], None]):
        self.seen, self.saved, self._depth = seen, {}, 0

    def _wrap(self, real):
        def spied(con, sql, params=None):
            if self._depth == 0:
                self.seen(con, sql, params)
            self._depth += 1
            try:
                return real(con, sql, params)
            finally:
                self._depth -= 1

        return spied

    def __enter__(self):
        for name in METHODS:
            self.saved[name] = getattr(pg_connection.PgConnection, name)
            setattr(pg_connection.PgConnection, name, self._wrap(self.saved[name]))
        return self

    def __exit__(self, *exc):
        for name, real in self.saved.items():
            setattr(pg_connection.PgConnection, name, real)
