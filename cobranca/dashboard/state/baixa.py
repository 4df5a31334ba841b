"""The baixa's state: preview and apply bank return files / OFX statements, the review list and its resolution."""

from __future__ import annotations

import pandas as pd

from .feature import Feature


class BaixaState(Feature):
    def paid_today(self) -> dict:
        return self.db.baixa.paid_today()

    def review_list(self) -> pd.DataFrame:
        return self.db.baixa.review_list()

    def preview(self, files: list[tuple[str, bytes]]):
        """What the files would settle (nothing written)."""
        return self.db.baixa.apply(files, dry_run=True, by=self.by)

    def apply(self, files: list[tuple[str, bytes]]):
        """Settle what the files say was paid, then reload the list (one open; a file applied twice changes nothing)."""
        with self.app.unit():
            report = self.db.baixa.apply(files, by=self.by)
            self.app.reload()
        return report

    def resolve(self, record_id: int, document: str, installment: str | None):
        """Apply a payment under review to the account the analyst names, then reload the list."""
        with self.app.unit():
            done = self.db.baixa.resolve(record_id, document, installment, by=self.by)
            self.app.reload()
        return done

    def dismiss(self, record_id: int) -> None:
        self.db.baixa.dismiss(record_id, by=self.by)
