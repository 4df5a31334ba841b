"""The run lock on PostgreSQL: a session-level advisory lock, so only one régua run sends at a time on a database
many servers share.

The lock lives on a connection of its own (outside the pool: a pooled connection goes back to other work), held for
the whole run and released when the block ends, or by the server when the process dies and its socket closes.
It answers like run_lock.FileRunLock: tried without blocking until `wait_seconds` have passed, then RunBusyError.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import psycopg

from .run_lock import DEFAULT_WAIT_SECONDS, RunBusyError, busy_message
from .serialize import lock_key


class AdvisoryRunLock:
    """`pg_try_advisory_lock` on the key of `name`, polled; `unavailable` turns a connection error into pt-BR."""

    def __init__(self, url: str, name: str, unavailable: Callable[[BaseException], Exception], timeout: int = 10):
        self.url, self.key, self.unavailable, self.timeout = url, lock_key(name), unavailable, timeout

    @contextmanager
    def held(self, wait_seconds: float = DEFAULT_WAIT_SECONDS) -> Iterator[None]:
        try:
            con = psycopg.connect(self.url, autocommit=True, connect_timeout=self.timeout,
                                  application_name="cobranca run lock")
        except psycopg.Error as exc:
            raise self.unavailable(exc) from None
        try:
            self._acquire(con, wait_seconds)
            yield
        finally:
            con.close()  # closing the session releases its advisory locks

    def _acquire(self, con: psycopg.Connection, wait_seconds: float) -> None:
        deadline = time.monotonic() + wait_seconds
        while not con.execute("SELECT pg_try_advisory_lock(%s)", [self.key]).fetchone()[0]:
            if time.monotonic() >= deadline:
                raise RunBusyError(busy_message(wait_seconds))
            time.sleep(0.05)
