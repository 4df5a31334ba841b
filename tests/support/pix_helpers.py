"""Test helpers for Pix: settings that turn it on, and reading QR codes back from images with zxing-cpp."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import zxingcpp
from PIL import Image

PIX_SETTINGS = {"pix_key": "11.222.333/0001-81", "pix_name": "CompuFour Cobranças e Serviços Ltda",
                "pix_city": "São Miguel do Oeste"}


def enable_pix(db, **extra) -> dict:
    for key, value in {**PIX_SETTINGS, **extra}.items():
        db.settings.set(key, value)
    return db.settings.all()


def qr_texts(image: Image.Image | bytes | Path) -> list[str]:
    """Every QR code zxing-cpp finds in the image, in reading order."""
    if isinstance(image, bytes):
        image = Image.open(io.BytesIO(image))
    elif isinstance(image, Path):
        image = Image.open(image)
    return [r.text for r in zxingcpp.read_barcodes(image.convert("RGB"), formats=zxingcpp.BarcodeFormat.QRCode)]


def pdf_page_png(pdf: bytes, page: int, folder: Path, dpi: int = 100) -> Path:
    """Page `page` (1-based) of `pdf` rendered by pdftoppm."""
    source = folder / "report.pdf"
    source.write_bytes(pdf)
    stem = folder / f"page{page}"
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile",
                    str(source), str(stem)], check=True, timeout=120)
    return stem.with_suffix(".png")
