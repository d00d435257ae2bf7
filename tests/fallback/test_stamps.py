"""The red stamps rendered by pdftoppm at 300 DPI: their true size in pixels and red ink; the PNGs are kept
under test-artifacts/fallback/ (not in git)."""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import pytest
from PIL import Image

from toldsystem.fallback.documents.stamps import ECS_LINES, NCTS_LINES, ecs_stamp_pdf, ncts_stamp_pdf

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "fallback"
DPI = 300
STARTED = datetime(2026, 3, 10, 8, 5, tzinfo=timezone.utc)  # 09:05 in Copenhagen


def render(pdf: bytes, name: str) -> Image.Image:
    assert shutil.which("pdftoppm"), "pdftoppm is missing: run `make system-deps` (poppler-utils)"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{name}.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(DPI), "-png", "-singlefile", str(ARTIFACTS / f"{name}.pdf"),
                    str(ARTIFACTS / name)], check=True, timeout=60)
    return Image.open(ARTIFACTS / f"{name}.png").convert("RGB")


def pdf_text(pdf: bytes, name: str) -> str:
    path = ARTIFACTS / f"{name}.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True,
                          timeout=60).stdout


@pytest.mark.parametrize(("make", "name"), [(ncts_stamp_pdf, "ncts-stamp"), (ecs_stamp_pdf, "ecs-stamp")])
def test_the_stamp_is_26_by_59_mm(make, name: str) -> None:
    image = render(make(STARTED), name)
    width, height = image.size
    assert abs(width - 59 / 25.4 * DPI) <= 1  # 696.9 px
    assert abs(height - 26 / 25.4 * DPI) <= 1  # 307.1 px


@pytest.mark.parametrize(("make", "name"), [(ncts_stamp_pdf, "ncts-stamp"), (ecs_stamp_pdf, "ecs-stamp")])
def test_the_ink_is_red_and_only_red(make, name: str) -> None:
    image = render(make(STARTED), name)
    inked = [(r, g, b) for r, g, b in image.get_flattened_data() if min(r, g, b) < 200]
    assert len(inked) > 5000  # a frame and four lines of text
    # Solid ink is the stamp's red; anti-aliased edges lie between it and the white paper (green = blue, red high).
    solid = Counter(inked).most_common(1)[0][0]
    assert solid[0] > 200 and solid[1] < 10 and solid[2] < 10
    assert all(abs(g - b) <= 2 and r >= 200 for r, g, b in inked)
    # The frame: the middle of the left edge is red.
    r, g, b = image.getpixel((int(1.2 / 25.4 * DPI) + 2, image.size[1] // 2))
    assert r > 150 and g < 60 and b < 60


def test_the_ncts_stamp_carries_the_seeds_text_and_the_danish_date_and_time() -> None:
    text = pdf_text(ncts_stamp_pdf(STARTED), "ncts-stamp-text")
    for line in NCTS_LINES + ("(Dato/klokkeslet)",):
        assert line in text
    assert "PÅBEGYNDT DEN 10.03.2026 kl. 09:05" in text
    assert NCTS_LINES == ("NØDPROCEDURE - NCTS", "INGEN DATA TILGÆNGELIGE I SYSTEMET", "PÅBEGYNDT DEN")


def test_the_ecs_stamp_carries_the_seeds_text_with_its_spelling() -> None:
    text = pdf_text(ecs_stamp_pdf(datetime(2026, 7, 1, 22, 30, tzinfo=timezone.utc)), "ecs-stamp-text")
    assert ECS_LINES == ("ECS NØDPROCEDURE/FALL BACK", "INGEN DATA TILGÆNGLIGE I SYSTEMET", "PÅBEGYNDT DEN")
    for line in ECS_LINES:
        assert line in text
    assert "02.07.2026 kl. 00:30" in text  # summer time: UTC+2
