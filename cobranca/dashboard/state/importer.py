"""The import state: an uploaded CSV / XLSX export goes through the facade's all-or-nothing import, then the list reloads."""

from __future__ import annotations

from .feature import Feature


class ImportState(Feature):
    def import_bytes(self, data: bytes, filename: str, skip_invalid: bool, progress=None):
        """The import's report; an `ImportFileError` (nothing written) lists every problem."""
        with self.app.unit():
            report = self.db.receivables.import_bytes(data, filename, skip_invalid=skip_invalid, progress=progress)
            self.app.reload()
        return report
