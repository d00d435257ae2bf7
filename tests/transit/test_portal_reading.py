"""What the declarants' pages read (transit/service/portal.py), on SQLite and PostgreSQL."""

import pytest

from toldsystem import demo
from toldsystem.access.rules import Party
from toldsystem.core.errors import NotFound
from toldsystem.transit import follow_ups, service, states
from toldsystem.transit.service import portal

FORWARDER, IMPORTER = Party.company("DK13585628"), Party.company("DK12345674")


@pytest.fixture
def declared(store) -> str:
    demo.load()
    result = service.receive_data(FORWARDER, "CC015C", demo.declaration(items=3))
    return result.mrn


def test_the_movement_page_reads_state_trail_messages_and_what_the_holder_may_do_next(declared):
    page = portal.movement_page(FORWARDER, declared)
    assert page.movement["state"] == states.RELEASED
    assert [e["state"] for e in page.events][-1] == states.RELEASED
    assert {m.message_type for m in page.messages} >= {"CC015C", "CC028C", "CC029C"}
    assert page.follow_ups == ()  # released: no amendment or invalidation any more; arrival is the consignee's
    assert len(page.declaration["Consignment"]["HouseConsignment"][0]["ConsignmentItem"]) == 3


def test_another_company_reads_the_movement_page_as_unknown(declared):
    with pytest.raises(NotFound) as refused:
        portal.movement_page(IMPORTER, declared)
    assert refused.value.problems[0].code == "movement.unknown"


def test_recent_messages_are_the_companys_own_newest_first(declared):
    service.receive_data(FORWARDER, "CC015C", demo.declaration())
    found = portal.recent_messages(FORWARDER, limit=4)
    assert len(found) == 4
    assert [m.id for m in found] == sorted((m.id for m in found), reverse=True)
    assert {m.party_eori for m in found} == {"DK13585628"}
    assert portal.recent_messages(IMPORTER) == []


def test_follow_ups_offered_are_those_the_state_and_the_message_table_allow():
    holder = frozenset({"holder"})
    assert follow_ups.allowed(states.GUARANTEE_INVALID, holder, frozenset()) == (
        follow_ups.AMEND_GUARANTEE, follow_ups.INVALIDATION)
    assert follow_ups.allowed(states.PRE_LODGED, holder, frozenset()) == (follow_ups.INVALIDATION,)
    assert follow_ups.allowed(states.UNLOADING, frozenset({"trader_at_destination"}), frozenset()) == (
        follow_ups.UNLOADING_REMARKS,)
    assert follow_ups.allowed(states.RELEASED, holder, frozenset()) == ()


def test_each_follow_up_the_portal_sends_passes_its_phase5_schema():
    from toldsystem.transit import messages
    from toldsystem.transit.example import example_declaration
    mrn, stamp = "26DK009264000001J0", {"identification": "portal1", "prepared_at": "2026-12-01T10:00:00"}
    guarantee = {"guarantee_type": "1", "grn": "26DK0000000000001", "access_code": "AB12", "amount": "10",
                 "currency": "EUR"}
    sent = {
        "CC013C": follow_ups.guarantee_amendment(
            example_declaration("DK13585628", "Padborg Spedition A/S", "26DK0000000000001", "AB12"), mrn, guarantee,
            sender="DK13585628", **stamp),
        "CC014C": follow_ups.invalidation_request(mrn, "DK13585628", "DK009264", "Ordren er annulleret",
                                                  sender="DK13585628", **stamp),
        "CC007C": follow_ups.arrival_notification(mrn, "DE123456789012345", "DE004851", "", **stamp),
        "CC044C": follow_ups.unloading_remarks(mrn, "DE123456789012345", "DE004851", conform=False,
                                               seals_intact=True, unloading_date="2026-12-01",
                                               remarks="1 kolli mangler", **stamp),
    }
    for message_type, data in sent.items():
        assert messages.validate_data(message_type, data) == [], message_type


def test_a_form_sent_reaches_the_intake_as_a_cc015c_and_a_rejection_points_at_its_field(store):
    from toldsystem.transit import forms
    demo.load()
    form = forms.form_of(demo.declaration(items=2))
    form.items[1]["net_mass"] = "999"
    data = forms.declaration_data(form, sender="DK13585628", identification="portal-test-1",
                                  prepared_at="2026-12-01T10:00:00")
    refused = portal.send(FORWARDER, "CC015C", data)
    assert refused.refused and refused.mrn is None
    assert [a.message_type for a in refused.answers] == ["CC056C"]
    at_fields, _ = forms.problems_by_field(refused.problems)
    assert "nettomassen 999 kg" in at_fields["item-2-net_mass"][0].da
    form.items[1]["net_mass"] = "100"
    data = forms.declaration_data(form, sender="DK13585628", identification="portal-test-2",
                                  prepared_at="2026-12-01T10:00:00")
    sent = portal.send(FORWARDER, "CC015C", data)
    assert not sent.refused and sent.mrn
    assert service.movement(FORWARDER, sent.mrn)["state"] == states.RELEASED
    assert service.receive_data(FORWARDER, "CC015C", data).repeated  # the same message as the API knows it


def test_a_value_the_schema_refuses_comes_back_as_cc917c_problems_at_the_field(store):
    from toldsystem.transit import forms
    demo.load()
    form = forms.form_of(demo.declaration(items=2))
    form.header.pop("gross_mass")
    form.items[1]["gross_mass"] = "heavy"
    data = forms.declaration_data(form, sender="DK13585628", identification="portal-test-3",
                                  prepared_at="2026-12-01T10:00:00")
    refused = portal.send(FORWARDER, "CC015C", data)
    assert [a.message_type for a in refused.answers] == ["CC917C"]
    assert "item-2-gross_mass" in forms.problems_by_field(refused.problems)[0]
