"""docs/api.md says, for each of the 33 official phase 5 message types, where it belongs here or why it
is not supported; the table agrees with what the intake handles."""

from __future__ import annotations

from pathlib import Path

from toldsystem.transit.messages.schemas import CUSTOMS_MESSAGES, MESSAGE_TYPES, TRADER_MESSAGES
from toldsystem.transit.service import INCOMING

API_GUIDE = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def documented() -> dict[str, str]:
    """The message-set table of the API guide: message type → what becomes of it."""
    text = API_GUIDE.read_text(encoding="utf-8")
    section = text.split("### The phase 5 message set", 1)[1].split("\n### ", 1)[0]
    rows = [line.strip().strip("|").split("|") for line in section.splitlines() if line.startswith("| CC")]
    return {cells[0].strip(): cells[-1].strip() for cells in rows}


def test_every_official_message_type_is_in_the_table_once():
    table = documented()
    assert sorted(table) == sorted(MESSAGE_TYPES) and len(table) == 33


def test_every_trader_message_has_a_flow_and_no_unsupported_one_is_taken():
    table = documented()
    assert set(TRADER_MESSAGES) == set(INCOMING)
    assert set(MESSAGE_TYPES) - set(INCOMING) == set(CUSTOMS_MESSAGES)  # what is not taken is customs' to send
    for message_type, fate in table.items():
        if fate.startswith("not supported"):
            assert message_type not in INCOMING
            assert ":" in fate, f"{message_type}: say why it is not supported"
