"""The official shapes of test_rules_p5_examples.py sent to a real server (`told serve`, SQLite, the demo data),
as XML and once as JSON: through authorisation, schema, rules, reference data and the guarantee check, each is
answered CC928C. A standard declaration then waits for the office, the authorised consignor's template is
released, and a pre-lodged declaration is accepted and waits for its CC170C — no MRN, no release.

Each is our own message: the demo forwarder's declaration (`told demo declaration`, its own guarantee) with
the shape's changes, never an official file.
"""

from __future__ import annotations

import copy
import uuid
from datetime import date, datetime, timedelta

import httpx
import pytest

from tests.api.conftest import live_server  # noqa: F401 - the fixture, used by name
from tests.api.test_hostile_input import fresh, template  # noqa: F401 - `template` is a fixture
from tests.transit.phase5_flows import FORWARDER, by_lrn, send_json, send_xml, standard, state, types, xml_of
from tests.transit.test_rules_p5_examples import (SHAPES, as_tir_with_guarantee_b, dms_authorised_consignor_template,
                                                  pre_lodged_without_limit_date_or_container_indicator)


@pytest.fixture(scope="module")
def server(live_server):  # noqa: F811 - the fixture imported above
    """The API client of the live server; the phase 5 flow helpers take it as their client."""
    with httpx.Client(base_url=live_server.url, timeout=60) as client:
        yield client


def _acknowledged(server, answer: httpx.Response, declaration: dict) -> None:
    """The first answer is the CC928C of this declaration, valid against the schema of its type."""
    acknowledgement = xml_of(server, answer.json()["answers"][0])
    assert acknowledgement.tag.endswith("CC928C")
    assert acknowledgement.findtext("TransitOperation/LRN") == declaration["TransitOperation"]["LRN"]


@pytest.mark.parametrize("shape", SHAPES, ids=lambda shape: shape.__name__)
def test_an_official_shape_is_accepted_and_waits_for_the_office(server, template, shape):  # noqa: F811
    declaration = shape(standard(fresh(template)))
    answer = send_xml(server, FORWARDER, declaration)
    assert types(answer) == ["CC928C", "CC028C"], answer.text
    _acknowledged(server, answer, declaration)
    assert state(server, answer.json()["mrn"]) == "awaiting_release"


def test_a_tir_declaration_sent_as_json_is_accepted(server, template):  # noqa: F811
    declaration = as_tir_with_guarantee_b(standard(fresh(template)))
    answer = send_json(server, FORWARDER, declaration)
    assert types(answer) == ["CC928C", "CC028C"], answer.text
    _acknowledged(server, answer, declaration)
    declared = server.get(f"/api/transit/movements/{answer.json()['mrn']}/declaration", headers=FORWARDER).json()
    assert declared["Guarantee"] == [{"sequenceNumber": "1", "guaranteeType": "B"}]


def test_a_pre_lodged_declaration_is_accepted_and_waits_for_its_presentation(server, template):  # noqa: F811
    declaration = pre_lodged_without_limit_date_or_container_indicator(fresh(template))
    answer = send_xml(server, FORWARDER, declaration)
    assert types(answer) == ["CC928C"], answer.text  # no CC028C, no CC029C: not yet presented
    _acknowledged(server, answer, declaration)
    assert answer.json()["mrn"] is None
    waiting = by_lrn(server, declaration["TransitOperation"]["LRN"])
    assert waiting["state"] == "pre_lodged" and waiting["mrn"] is None


def test_the_danish_authorised_consignor_template_is_accepted_and_released(server, template):  # noqa: F811
    declaration = _on_the_demo_guarantee_today(dms_authorised_consignor_template(), template)
    answer = send_xml(server, FORWARDER, declaration)
    assert types(answer) == ["CC928C", "CC028C", "CC029C"], answer.text
    _acknowledged(server, answer, declaration)
    assert state(server, answer.json()["mrn"]) == "released"


def _on_the_demo_guarantee_today(declaration: dict, template: dict) -> dict:  # noqa: F811
    """The template as the demo forwarder sends it today: its guarantee and access code, a new LRN and
    message identification, the goods presented now and a time limit two days on. The sender is its EORI: the
    DMS writes `<user>:<CVR>`, which the messageSender rule (docs/security.md) does not take."""
    declaration = copy.deepcopy(declaration)
    today = date.fromisoformat(template["preparationDateAndTime"][:10])
    now = datetime.fromisoformat(template["preparationDateAndTime"])
    declaration.update(messageSender=template["messageSender"], messageIdentification=uuid.uuid4().hex,
                       preparationDateAndTime=now.isoformat())
    declaration["TransitOperation"].update(LRN=f"SkabelonGA{uuid.uuid4().int % 10**6:06d}",
                                           presentationOfTheGoodsDateAndTime=now.isoformat(),
                                           limitDate=(today + timedelta(days=2)).isoformat())
    (ours,) = template["Guarantee"][0]["GuaranteeReference"]
    reference = declaration["Guarantee"][0]["GuaranteeReference"][0]
    reference.update(GRN=ours["GRN"], accessCode=ours["accessCode"])
    return declaration
