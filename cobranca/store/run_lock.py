"""The run lock: at most one régua run sends at a time, across processes, held for the whole run.

`RunLock` is the interface; `FileRunLock` is the DuckDB file store's (an `flock` on `<db>.regua.lock` beside the
database, released by the kernel when the process dies, even by kill -9). PostgreSQL implements the same interface
with `pg_try_advisory_lock` on a fixed key, polled the same way (pg_run_lock.py); `Store.run_lock(name)` picks.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Protocol

from ..core.errors import CobrancaError

DEFAULT_WAIT_SECONDS = 10.0
EXIT_BUSY = 0  # documented in docs/regua.md: a run that finds another one running does nothing and says so


class RunBusyError(CobrancaError):
    """Another run holds the lock: this one did nothing."""


def busy_message(wait_seconds: float) -> str:
    return (f"Outra execução da régua está em andamento (esperei {wait_seconds:g} s): esta não enviou nem registrou "
            "nada. A próxima execução agendada continua de onde a outra parar.")


class RunLock(Protocol):
    def held(self, wait_seconds: float) -> AbstractContextManager[None]:
        """Hold the lock for the block; RunBusyError when another holder keeps it beyond `wait_seconds`."""


class FileRunLock:
    """An exclusive `flock` on a sidecar file, tried without blocking until `wait_seconds` have passed."""

    def __init__(self, path: Path):
        self.path = Path(path)

    @contextmanager
    def held(self, wait_seconds: float = DEFAULT_WAIT_SECONDS) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            self._acquire(fd, wait_seconds)
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())  # who holds it, for a person looking
            yield
        finally:
            os.close(fd)  # closing the descriptor releases the flock

    @staticmethod
    def _acquire(fd: int, wait_seconds: float) -> None:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise RunBusyError(busy_message(wait_seconds)) from None
                time.sleep(0.05)


def for_database(path: Path) -> RunLock:
    """The run lock of the database file at `path`."""
    path = Path(path)
    return FileRunLock(path.with_name(path.name + ".regua.lock"))
