"""The board editor's preview (issue 12, part 3): a draft reads on the status page as it will once published, and
nothing is published, nor does any channel's availability change, until it is."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from starlette.requests import Request

from toldsystem.core import clock
from toldsystem.core.errors import Rejected
from toldsystem.operations import pages, service

CPH = clock.COPENHAGEN


def cph(*parts) -> datetime:
    return datetime(*parts, tzinfo=CPH).astimezone(timezone.utc)


@pytest.fixture
def may_20(store):
    previous = clock.install(clock.FixedClock(cph(2026, 5, 20, 9, 0)))
    yield
    clock.install(previous)


STATUS_REQUEST = Request({"type": "http", "method": "GET", "path": "/status", "query_string": b"", "headers": []})

WINDOW = {"systems": ["dms_transit"], "kind": "service_window", "title": "Servicevindue DMS Forsendelse",
          "window_start": datetime(2026, 5, 20, 18, 0), "window_end": datetime(2026, 5, 20, 22, 0),
          "effects": [{"channel": "file", "state": "queued"}]}


def test_a_draft_window_reads_on_the_preview_and_not_on_the_board(may_20):
    draft = service.draft(**WINDOW)
    preview = pages.status_html(STATUS_REQUEST, "en", board=service.with_draft(draft))
    assert "Servicevindue DMS Forsendelse" in preview
    assert "Servicevindue DMS Forsendelse" not in pages.status_html(STATUS_REQUEST, "en")
    assert service.messages() == []
    assert service.availability("dms_transit", at=cph(2026, 5, 20, 19, 0)).state == "available"


def test_a_draft_change_replaces_the_message_in_the_preview(may_20):
    published = service.create(**WINDOW)
    changed = service.draft_change(published.id, title="Servicevindue flyttet")
    sections = service.sections(board=service.with_draft(changed))
    assert [m.title for m in sections["upcoming"]] == ["Servicevindue flyttet"]
    assert service.get(published.id).title == "Servicevindue DMS Forsendelse"


def test_a_draft_is_checked_as_publishing_it_would_be(may_20):
    with pytest.raises(Rejected) as refused:
        service.draft(**(WINDOW | {"window_end": datetime(2026, 5, 20, 17, 0)}))
    assert refused.value.problems[0].pointer.startswith("window")
