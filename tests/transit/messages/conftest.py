"""Shared fixtures for the transit message tests."""

from pathlib import Path

import pytest

SAMPLES = Path(__file__).parent / "samples"


@pytest.fixture
def declaration_bytes() -> bytes:
    return (SAMPLES / "cc015c_padborg_to_hamburg.xml").read_bytes()
