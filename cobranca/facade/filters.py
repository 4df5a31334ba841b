"""Facade: saved filters."""

from __future__ import annotations

from dataclasses import replace

from ..core.errors import NotFoundError
from ..core.text import cut
from ..receivables.filters import Filter
from ..store import filters as records


class Filters:
    """`db.filters`: all, get, add, update, delete, resolve."""

    def __init__(self, db):
        self.db = db

    def all(self) -> list[Filter]:
        """Every saved filter."""
        with self.db._con() as con:
            return records.read_all(con)

    def get(self, name: str) -> Filter:
        """The saved filter called `name` (case-insensitive)."""
        wanted = str(name).strip().lower()
        saved = self.all()
        found = [f for f in saved if f.description.lower() == wanted]
        if not found:
            names = "; ".join(f.description for f in saved)
            raise NotFoundError(f"Filtro '{cut(name)}' não encontrado. Filtros salvos: {names}.")
        return found[0]

    def add(self, flt: Filter | None = None, **fields) -> Filter:
        """Save a new filter; returns it with its id."""
        new = replace((flt or Filter(**fields)).validated(), id=None)
        with self.db._tx() as con:
            return replace(new, id=records.insert(con, new))

    def update(self, name_or_id: str | int, **changes) -> Filter:
        """Change fields of a saved filter."""
        with self.db._tx() as con:
            updated = replace(self._by(name_or_id), **changes).validated()
            records.update(con, updated)
        return updated

    def delete(self, name_or_id: str | int) -> None:
        """Delete a saved filter (by name or id)."""
        with self.db._tx() as con:
            records.delete(con, self._by(name_or_id).id)

    def _by(self, name_or_id: str | int) -> Filter:
        if isinstance(name_or_id, int):
            for flt in self.all():
                if flt.id == name_or_id:
                    return flt
            raise NotFoundError(f"Filtro não encontrado (id {name_or_id}); ele pode ter sido excluído em outra aba.")
        return self.get(name_or_id)

    def resolve(self, flt: Filter | str | None) -> Filter:
        """A Filter from a saved name, a Filter, or None (every overdue or due-today receivable)."""
        if flt is None:
            return Filter(description="Todas as vencidas e vencendo hoje", min_days=0).validated()
        if isinstance(flt, str):
            return self.get(flt)
        return flt.validated() if flt.id is None else flt
