"""On-screen pt-BR alerts and `guarded`, the one decorator every dashboard handler goes through."""

from __future__ import annotations

import functools
import html
import logging
import os
import traceback

import ipywidgets as widgets

from ..core.errors import CobrancaError

log = logging.getLogger("cobranca.dashboard")

_STYLES = {
    "error": ("#fdecea", "#b3261e", "Erro"),
    "warning": ("#fff4e5", "#8a5300", "Atenção"),
    "success": ("#e8f5e9", "#1e6b2a", "Pronto"),
    "info": ("#e8f0fe", "#1a4d8f", "Aviso"),
}


FADE_CLASSES = ("cobranca-fade-a", "cobranca-fade-b")  # two names, so a new notice restarts the animation


class Alerts(widgets.VBox):
    """The notice "toast" (bottom right): the latest message, escaped, with a close button.

    Success and information notices fade out after a few seconds (CSS, no kernel timer); warnings and
    errors stay until closed, replaced, or — errors — until the next action that works (`guarded`).
    """

    def __init__(self, **kwargs):
        self.message = widgets.HTML(layout=widgets.Layout(flex="1 1 auto"))
        self.kind = ""
        self.text = ""
        self.serial = 0  # bumped by every show(): tells `guarded` whether a handler said something
        self.close_button = widgets.Button(description="Fechar", layout=widgets.Layout(width="auto"))
        self.close_button.on_click(lambda _: self.clear())
        self.row = widgets.HBox([self.message, self.close_button], layout=widgets.Layout(align_items="flex-start"))
        super().__init__(children=[], **kwargs)
        self.add_class("cobranca-alerts")  # a fixed "toast" (app.CSS): showing it does not move the grid

    def show(self, kind: str, text: str) -> None:
        background, colour, title = _STYLES[kind]
        self.kind, self.text = kind, text
        self.serial += 1
        fade = FADE_CLASSES[self.serial % 2] if kind in ("success", "info") else None
        for css in FADE_CLASSES:
            if css != fade:
                self.remove_class(css)
        if fade:
            self.add_class(fade)
        self.message.value = (
            f'<div class="cobranca-alert cobranca-alert-{kind}" style="background:{background};color:{colour};'
            f'padding:8px 12px;border-radius:4px;white-space:pre-wrap;font-family:inherit">'
            f"<b>{title}:</b> {html.escape(text)}</div>"
        )
        self.children = [self.row]

    def error(self, text: str) -> None:
        self.show("error", text)

    def warning(self, text: str) -> None:
        self.show("warning", text)

    def success(self, text: str) -> None:
        self.show("success", text)

    def info(self, text: str) -> None:
        self.show("info", text)

    def clear(self) -> None:
        for css in FADE_CLASSES:
            self.remove_class(css)
        self.kind, self.text = "", ""
        self.message.value = ""
        self.children = []


def _safe_trace(exc: BaseException) -> str:
    """Where an error happened (files, lines, functions) without its message or any local values."""
    frames = traceback.extract_tb(exc.__traceback__)
    return " <- ".join(f"{_module_path(f.filename)}:{f.lineno}:{f.name}" for f in reversed(frames))


def _module_path(filename: str) -> str:
    """`cobranca/dashboard/state/app.py` rather than `app.py` (several modules share a name)."""
    parts = filename.replace("\\", "/").split("/")
    for anchor in ("cobranca", "site-packages"):
        if anchor in parts:
            index = len(parts) - 1 - parts[::-1].index(anchor)
            return "/".join(parts[index + (anchor == "site-packages"):])
    return filename


def guarded(method):
    """Run a view handler so the page never freezes nor shows a traceback.

    Like sepal_ui's `loading_button`: the clicked button (any Button among the arguments) is
    disabled while the handler works and re-enabled after; a `CobrancaError` becomes its pt-BR
    message in `self.alerts`; anything else becomes "Erro inesperado: ..." on screen and is
    logged by type and location only (its message may hold customer data).
    """

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        buttons = [a for a in args if isinstance(a, widgets.Button)]
        previous = [b.disabled for b in buttons]
        for button in buttons:
            button.disabled = True
        serial = self.alerts.serial
        try:
            result = method(self, *args, **kwargs)
            if self.alerts.kind == "error" and self.alerts.serial == serial:
                self.alerts.clear()  # the action worked: the earlier error's cause is gone
            return result
        except CobrancaError as exc:
            self.alerts.error(str(exc))
        except Exception as exc:
            where = f"{method.__module__}.{method.__qualname__}"
            if os.environ.get("COBRANCA_DEBUG"):  # the full traceback, message included: only when asked
                log.exception("erro inesperado em %s", where)
            else:
                log.error("erro inesperado em %s: %s em %s", where, type(exc).__name__, _safe_trace(exc))
            self.alerts.error(f"Erro inesperado: {type(exc).__name__}: {exc}")
        finally:
            for button, was in zip(buttons, previous, strict=True):
                button.disabled = was
        return None

    return wrapper
