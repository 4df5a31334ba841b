"""What every feature's state shares: the page's worklist state (`app`) and, through it, the facade."""

from __future__ import annotations

from .worklist import WorklistState


class Feature:
    """One feature's state: owns that feature's facade calls; views call its methods and render what they return."""

    def __init__(self, app: WorklistState):  # the AppState holding this feature
        self.app = app

    @property
    def db(self):
        return self.app.db

    @property
    def by(self) -> str | None:
        return self.app.by
