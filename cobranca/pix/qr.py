"""QR images of a Pix copia-e-cola code (segno): PNG bytes, SVG text, an <img> data URI, the module matrix."""

from __future__ import annotations

import base64
import io

import segno


def _qr(code: str) -> segno.QRCode:
    # Error level M, no Micro QR: what bank apps read best; segno raises on text too long for any version.
    return segno.make_qr(code, error="m", boost_error=False, encoding="utf-8" if not code.isascii() else None)


def png_bytes(code: str, scale: int = 6, border: int = 4) -> bytes:
    """A PNG of the code (`scale` pixels per module, the standard 4-module quiet zone)."""
    buffer = io.BytesIO()
    _qr(code).save(buffer, kind="png", scale=scale, border=border)
    return buffer.getvalue()


def svg_text(code: str, scale: int = 4, border: int = 4) -> str:
    """An SVG document of the code (paths only: no text from the code ends up in the markup)."""
    buffer = io.BytesIO()
    _qr(code).save(buffer, kind="svg", scale=scale, border=border, xmldecl=False, svgns=True, title=None, desc=None)
    return buffer.getvalue().decode("ascii")


def svg_data_uri(code: str, scale: int = 4) -> str:
    """data:image/svg+xml;base64,… for an <img>: an image there cannot run scripts."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg_text(code, scale).encode("ascii")).decode("ascii")


def matrix(code: str) -> tuple[tuple[bool, ...], ...]:
    """The dark (True) and light modules of the code, row by row, without the quiet zone."""
    return tuple(tuple(bool(m) for m in row) for row in _qr(code).matrix)
