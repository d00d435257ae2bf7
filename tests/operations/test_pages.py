"""The public status page (SPEC O, issue 10 deliverable 4): rendered on the server, no token, Danish or English
(?lang=, else Accept-Language), current disruptions first, then upcoming windows, then history, filtered by
system and environment, each message with its updates, and the availability chart drawn as SVG."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from lxml import html

from toldsystem.core import clock
from toldsystem.operations import service as operations
from toldsystem.operations.texts import choose

CPH = clock.COPENHAGEN


@pytest.fixture
def board(store):
    """On 2026-05-20 09:00 (Danish time): a disruption going on, a window later today, one ended last month
    (updated once, with a note), and a TFE window; the clock stays there."""
    previous = clock.install(clock.FixedClock(datetime(2026, 4, 14, 9, 0, tzinfo=CPH)))
    past = operations.create(systems=["dms_import"], kind="service_window", title="PRD-servicewindow DMS Import April",
                             work_order="WO0000001500001", window_start=datetime(2026, 4, 15, 18, 0),
                             window_end=datetime(2026, 4, 15, 23, 0),
                             effects=[{"channel": "file", "state": "queued"}], fallback="allowed")
    clock.clock.advance(days=1, hours=5)
    operations.update(past.id, body="Extended work on the database.", note="more to do")
    clock.install(clock.FixedClock(datetime(2026, 5, 20, 9, 0, tzinfo=CPH)))
    upcoming = operations.create(systems=["dms_transit"], kind="service_window", title="PRD-servicewindow DMS NCTS",
                                 body="Files will be rejected.", work_order="WO0000001600001",
                                 window_start=datetime(2026, 5, 20, 12, 0), window_end=datetime(2026, 5, 20, 13, 0),
                                 effects=[{"channel": "file", "state": "rejected"}])
    disruption = operations.create(systems=["emcs"], kind="disruption", title="Technical difficulties in EMCS",
                                   work_order="INC000012345678")
    test_window = operations.create(systems=["tfe"], environments=["TFE"], kind="service_window",
                                    title="TFE-servicewindow", window_start=datetime(2026, 5, 21, 8, 0),
                                    window_end=datetime(2026, 5, 21, 9, 0))
    yield {"past": past, "upcoming": upcoming, "disruption": disruption, "test": test_window}
    clock.install(previous)


def page(client, **params):
    answer = client.get("/status", params=params)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/html")
    return answer, html.fromstring(answer.text)


def section_ids(tree, section: str) -> list[int]:
    return [int(a.get("id").split("-")[1]) for a in tree.xpath(f'//section[@aria-labelledby="{section}"]//article')]


def test_the_page_shows_current_then_upcoming_then_history_without_a_token(client, board):
    answer, tree = page(client)
    assert section_ids(tree, "current") == [board["disruption"].id]
    assert section_ids(tree, "upcoming") == [board["upcoming"].id, board["test"].id]
    assert section_ids(tree, "history") == [board["past"].id]
    headings = [h.text_content() for h in tree.xpath("//main//h2")]
    assert headings.index("Aktuelle driftsforstyrrelser og servicevinduer") < headings.index(
        "Kommende servicevinduer") < headings.index("Historik")
    card = tree.get_element_by_id(f"message-{board['upcoming'].id}").text_content()
    assert "20-05-2026 12:00" in card and "20-05-2026 13:00" in card and "WO0000001600001" in card
    assert "Filadgang (S2S)" in card and "afvises" in card and "Planlagt servicevindue" in card


def test_each_message_shows_its_updates_newest_first(client, board):
    _, tree = page(client, lang="en")
    card = tree.get_element_by_id(f"message-{board['past'].id}")
    updates = [li.text_content() for li in card.xpath(".//details/ol/li")]
    assert len(updates) == 2
    assert updates[0].startswith("2026-04-15 14:00: updated (body)") and "more to do" in updates[0]
    assert updates[1].startswith("2026-04-14 09:00: created")


def test_the_page_filters_by_system_and_environment(client, board):
    _, tree = page(client, system="DMS Forsendelse (NCTS)")
    assert section_ids(tree, "upcoming") == [board["upcoming"].id]
    assert section_ids(tree, "current") == [] and section_ids(tree, "history") == []
    assert tree.xpath('//select[@name="system"]/option[@selected]/@value') == ["dms_transit"]
    _, tree = page(client, system="", environment="")  # the filter form's "all"
    assert section_ids(tree, "current") == [board["disruption"].id]
    _, tree = page(client, environment="TFE")
    assert section_ids(tree, "upcoming") == [board["test"].id]
    assert client.get("/status", params={"system": "no such system"}).status_code == 422


def test_danish_or_english_by_parameter_else_by_the_browser(client, board):
    answer, tree = page(client)
    assert tree.get("lang") == "da" and answer.headers["content-language"] == "da"
    assert tree.xpath("//h1")[0].text == "Driftsstatus og driftsmeddelelser"
    answer = client.get("/status", headers={"Accept-Language": "en-GB,en;q=0.9,da;q=0.5"})
    assert html.fromstring(answer.text).xpath("//h1")[0].text == "Operational status and messages"
    answer = client.get("/status?lang=da", headers={"Accept-Language": "en"})
    assert html.fromstring(answer.text).get("lang") == "da"
    assert choose(None, "de-DE,da;q=0.3,en;q=0.2") == "da" and choose(None, "fr") == "da"
    assert choose(None, "da;q=0, en;q=0.1") == "en" and choose("xx", "en") == "en"


def test_the_group_status_names_what_is_going_on(client, board):
    _, tree = page(client, lang="en")
    excise = [li for li in tree.xpath('//ul[@class="groups"]/li') if "Excise" in li.text_content()]
    assert excise[0].get("class") == "state-degraded"  # an open disruption that names no channel


def test_the_availability_chart_is_an_svg_drawn_on_the_server_without_script(client, board):
    answer, tree = page(client, lang="en", year=2026)
    svg = tree.xpath('//figure[@class="chart"]/*[local-name()="svg"]')
    assert len(svg) == 1 and svg[0].get("role") == "img"
    assert "<script" not in answer.text
    rows = {int(r[0].text): (float(r[1].text), float(r[2].text)) for r in tree.xpath("//figure/../details//tbody/tr")}
    assert rows[4] == (5.0, 0.0)  # the April window, 18-23
    assert rows[5][1] == 0.0 and rows[5][0] == 0.0  # the May window and disruption are still to run at 09:00
    assert len(re.findall(r'class="legend', answer.text)) >= 2


def test_a_disruption_in_the_history_is_not_called_current(client, board):
    over = operations.create(systems=["ics2"], kind="disruption", title="ICS2 was slow",
                             window_start=datetime(2026, 5, 19, 8, 0), window_end=datetime(2026, 5, 19, 9, 0),
                             note="entered afterwards")
    _, tree = page(client, lang="en")
    assert over.id in section_ids(tree, "history")
    badge = tree.get_element_by_id(f"message-{over.id}").xpath('.//span[contains(@class, "badge")]')[0]
    assert badge.text == "Disruption"
    _, tree = page(client, lang="en")
    badge = tree.get_element_by_id(f"message-{board['disruption'].id}").xpath('.//span[contains(@class, "badge")]')[0]
    assert badge.text == "Current disruption"
