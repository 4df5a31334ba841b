"""The Voila dashboard (ipywidgets): `build_app()` returns the Gerenciamento de cobranças screen."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import ipywidgets as widgets

from ..api import Cobranca, open_db
from ..core.errors import CobrancaError
from .alerts import Alerts

log = logging.getLogger("cobranca.dashboard")


def build_app(db: Cobranca | str | Path | None = None, as_of: date | None = None,
              start: bool = True) -> widgets.Widget:
    """The root widget on `db` (a Cobranca, a path, or COBRANCA_DB / the default path) on day `as_of`.

    `start=False` builds the widgets without reading data (Voila preheating); call `start_app()` later.
    When the database cannot be opened the page shows why and a "Tentar novamente" button
    instead of a traceback.
    """
    from .app import CobrancaApp

    try:
        cob = db if isinstance(db, Cobranca) else open_db(db)
        return CobrancaApp(cob, as_of=as_of, start=start)
    except CobrancaError as exc:
        return _error_page(str(exc), db, as_of)
    except Exception as exc:
        log.error("erro ao abrir o painel: %s", type(exc).__name__)
        return _error_page(f"Erro inesperado ao abrir o painel: {type(exc).__name__}: {exc}", db, as_of)


def start_app(page: widgets.Widget) -> widgets.Widget:
    """Read "today" and the data of a page built with `start=False`, showing errors as `build_app` does."""
    from .app import CobrancaApp

    if not isinstance(page, CobrancaApp) or page.state.started:
        return page
    try:
        page.start()
    except CobrancaError as exc:
        page.alerts.error(str(exc))
    except Exception as exc:
        log.error("erro ao carregar o painel: %s", type(exc).__name__)
        page.alerts.error(f"Erro inesperado ao carregar o painel: {type(exc).__name__}: {exc}")
    return page


def _error_page(message: str, db, as_of) -> widgets.Widget:
    alerts = Alerts()
    alerts.error(message)
    retry = widgets.Button(description="Tentar novamente")
    page = widgets.VBox([alerts, retry])

    def again(_button):
        page.children = [build_app(db, as_of)]

    retry.on_click(again)
    return page


__all__ = ["build_app", "start_app"]
