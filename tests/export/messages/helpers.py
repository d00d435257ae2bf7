"""Shared by the DMS Export message tests: the hand-written samples and small ways to vary them."""

from __future__ import annotations

import re
from pathlib import Path

SAMPLES = Path(__file__).parent / "samples"


def sample(name: str) -> bytes:
    """One of the hand-written samples, as bytes."""
    return (SAMPLES / f"{name}.xml").read_bytes()


def without(xml: bytes, element: str) -> bytes:
    """The message without the first `element` block (and what it holds)."""
    found = re.sub(rb"\s*<%s>.*?</%s>" % (element.encode(), element.encode()), b"", xml, count=1, flags=re.S)
    assert found != xml, f"{element} not in the sample"
    return found


def replaced(xml: bytes, old: str, new: str) -> bytes:
    """The message with the first `old` text replaced by `new`."""
    assert old.encode() in xml, f"{old!r} not in the sample"
    return xml.replace(old.encode(), new.encode(), 1)
