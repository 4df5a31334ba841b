"""The saved filters' state: Incluir / Alterar / Excluir, each followed by the reload of the list (one open)."""

from __future__ import annotations

from ...receivables.filters import Filter
from .feature import Feature
from .worklist import ALL_OVERDUE


class FiltersState(Feature):
    def save(self, fields: dict, filter_id: int | None = None) -> Filter:
        """Create (no id) or change a saved filter; it becomes the current one (one open in all)."""
        app = self.app
        with app.unit():
            if filter_id is None:
                saved = self.db.filters.add(Filter(**fields))
            else:
                saved = self.db.filters.update(filter_id, **fields)
            app.show_filter(saved.id)
        return saved

    def delete(self, filter_id: int) -> None:
        """Delete a saved filter and show the first remaining one (one open in all)."""
        app = self.app
        with app.unit():
            self.db.filters.delete(filter_id)
            remaining = [f for f in app.filters if f.id != filter_id]
            app.show_filter(remaining[0].id if remaining else ALL_OVERDUE)
