"""What every pane shares: the app state, the alert strip and small widget helpers."""

from __future__ import annotations

import html

import ipywidgets as widgets

from ...core.formatting import file_size
from ..alerts import Alerts
from ..state import AppState


class Pane(widgets.VBox):
    """A VBox bound to the app state; handlers decorated with `guarded` report errors in `alerts`."""

    css_class = ""

    def __init__(self, state: AppState, alerts: Alerts, **kwargs):
        self.state = state
        self.alerts = alerts
        super().__init__(**kwargs)
        if self.css_class:
            self.add_class(self.css_class)


class LazyPane(Pane):
    """A pane drawn only while its section is open: changes mark it stale, opening redraws it (`render`)."""

    active = False
    stale = True

    def _changed(self, _change=None) -> None:
        self.stale = True
        if self.active:
            self.render()

    def activate(self, active: bool) -> None:
        self.active = active
        if active and self.stale:
            self.render()

    def render(self) -> None:
        raise NotImplementedError


class RowPanel(Pane):
    """A side-panel section working on one receivable (`key`); hidden until opened, closed when the selection moves."""

    def __init__(self, state: AppState, alerts: Alerts, **kwargs):
        super().__init__(state, alerts, layout=widgets.Layout(display="none"), **kwargs)
        self.add_class("cobranca-side-section")
        self.key: tuple[str, str] | None = None
        state.observe(self._selection_moved, "selected")

    def close_panel(self) -> None:
        self.key = None
        show(self, False)

    def _selection_moved(self, _change) -> None:
        if self.key is not None and self.state.selected_key != self.key:
            self.close_panel()


def button(description: str, css: str, style: str = "", width: str = "auto", tooltip: str = "") -> widgets.Button:
    """A text-only button (no icon font: the page works offline) with a CSS class for tests."""
    widget = widgets.Button(description=description, button_style=style, tooltip=tooltip or description,
                            layout=widgets.Layout(width=width))
    widget.add_class(css)
    return widget


def bar(children: list, css: str = "") -> widgets.HBox:
    """One line of controls that never wraps (the header, the filter bar, the list's toolbar)."""
    box = widgets.HBox(children)
    box.add_class("cobranca-bar")
    if css:
        box.add_class(css)
    return box


def dialog(widget: widgets.Widget) -> widgets.Widget:
    """Make `widget` (a form) open as a dialog over the page, centred, with every field in view."""
    widget.add_class("cobranca-dialog")
    return widget


def show(widget: widgets.Widget, visible: bool) -> None:
    widget.layout.display = None if visible else "none"


def esc(value) -> str:
    return html.escape("" if value is None else str(value))


def table_html(header: list[str], rows: list[list[str]], css: str) -> str:
    """An HTML table with every cell escaped."""
    head = "".join(f"<th>{esc(h)}</th>" for h in header)
    thead = f"<thead><tr>{head}</tr></thead>" if header else ""
    body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="cobranca-table {css}">{thead}<tbody>{body}</tbody></table>'



NO_FILE = '<span class="cobranca-muted">nenhum arquivo escolhido</span>'


def chosen_files(files) -> str:
    """The names and sizes of a FileUpload's files, shown beside it (ipywidgets' own text is only "(N)")."""
    if not files:
        return NO_FILE
    return "; ".join(f"<b>{esc(f['name'])}</b> ({esc(file_size(len(bytes(f['content']))))})" for f in files)
