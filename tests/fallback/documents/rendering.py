"""Rendering helpers of the document tests: pdftoppm pages at 150 DPI kept under test-artifacts/fallback/, the
red ink found by PIL masks, and pdftotext's text per page."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from PIL import Image, ImageChops

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "fallback"
DPI = 150
A4_PX = (round(210 / 25.4 * DPI), round(297 / 25.4 * DPI))  # 1240 × 1754


def is_a4(page: Image.Image) -> bool:
    """210 × 297 mm at DPI, to the pixel pdftoppm rounds up to."""
    return all(abs(got - want) <= 1 for got, want in zip(page.size, A4_PX))


def mm_px(length_mm: float) -> float:
    return length_mm / 25.4 * DPI


def render_pages(pdf: bytes, name: str) -> list[Image.Image]:
    """Every page as an RGB image; the PDF and PNGs stay in test-artifacts/fallback/ to be looked at."""
    assert shutil.which("pdftoppm"), "pdftoppm is missing: run `make system-deps` (poppler-utils)"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    source = ARTIFACTS / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(DPI), "-png", str(source), str(ARTIFACTS / name)], check=True,
                   timeout=120)
    pages = sorted(ARTIFACTS.glob(f"{name}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    return [Image.open(p).convert("RGB") for p in pages]


def page_texts(pdf: bytes, name: str) -> list[str]:
    """pdftotext's text, one string per page."""
    source = ARTIFACTS / f"{name}.pdf"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    source.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(source), "-"], check=True, capture_output=True, text=True,
                          timeout=60).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def red_mask(image: Image.Image) -> Image.Image:
    """255 where the ink is red (red high, green and blue low), 0 elsewhere."""
    r, g, b = image.split()
    return ImageChops.multiply(ImageChops.multiply(r.point(lambda v: 255 if v > 150 else 0),
                                                   g.point(lambda v: 255 if v < 110 else 0)),
                               b.point(lambda v: 255 if v < 110 else 0))


def dark_mask(image: Image.Image) -> Image.Image:
    """255 where the ink is black or grey (all channels low)."""
    return image.convert("L").point(lambda v: 255 if v < 100 else 0)


def inked(mask: Image.Image) -> int:
    return mask.histogram()[255]
