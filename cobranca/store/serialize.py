"""Writers that must take turns: inside a transaction, wait until no other transaction of the same name runs.

DuckDB needs nothing (the file lock already lets one process write at a time). On PostgreSQL two transactions
run at once; where one must see what the other wrote before deciding (a bank file applied by two processes: the
second must find its records already kept), both take a transaction-scoped advisory lock on the name first.
"""

from __future__ import annotations

import hashlib

from .frames import engine_of


def lock_key(name: str) -> int:
    """A stable signed 64-bit advisory-lock key for `name` (the same in every process and server)."""
    return int.from_bytes(hashlib.sha256(f"cobranca:{name}".encode()).digest()[:8], "big", signed=True)


def take_turns(con, name: str) -> None:
    """Inside the caller's transaction: hold `name` until it commits or rolls back (PostgreSQL only)."""
    if engine_of(con) == "postgres":
        con.execute("SELECT pg_advisory_xact_lock(?)", [lock_key(name)])
