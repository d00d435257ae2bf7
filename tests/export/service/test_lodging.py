"""Lodging export declarations on both stores: accepted with an export MRN, refused with pointers,
idempotent per declarant and LRN, one declaration under concurrency, and who may lodge."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from toldsystem import db
from toldsystem.access.rules import Party
from toldsystem.companies import service as companies
from toldsystem.core import clock
from toldsystem.core.errors import Conflict, Forbidden
from toldsystem.export import messages, reading, rules, service, store
from tests.conftest import register_company
from tests.export.messages.helpers import replaced, sample
from tests.export.service.helpers import DECLARANT, EXPORTER, EXPORT_OFFICER, OTHER, b1


def empower() -> None:
    """DK12345674 lets DK13585628 lodge in its name."""
    register_company("DK12345674", exporter=True)
    register_company("DK13585628", exporter=True)
    companies.grant_power("DK12345674", "DK13585628", ["transit.declare"], clock.local(clock.now()).date())


def count() -> int:
    with db.reading() as conn:
        return conn.execute(select(func.count()).select_from(store.declarations)).scalar_one()


def test_a_standard_declaration_is_accepted_with_an_export_mrn_and_an_accepted_notification(store):
    outcome = service.receive_xml(DECLARANT, b1())
    assert rules.is_export_mrn(outcome.mrn) and outcome.mrn[2:10] == "DK003102" and outcome.mrn[16] == "A"
    assert outcome.status == "accepted" and not outcome.problems
    [answer] = outcome.for_party(DECLARANT)
    assert answer.event_type == "ACCEPTED" and answer.data["Declaration"]["MRN"] == outcome.mrn
    assert not messages.validate_data("notification", answer.data)
    seen = reading.declaration(DECLARANT, outcome.mrn)
    assert (seen.lrn, seen.office_of_export, seen.office_of_exit, seen.kind) == (
        "LRN-EX-2026-000101", "DK003102", "DK004700", "standard")
    assert seen.times["accepted_at"] is not None and seen.xml.startswith("<?xml")


def test_json_reaches_the_same_function_and_gives_the_same_declaration(store):
    data = messages.parse_export(b1("LRN-JSON-1")).data
    outcome = service.receive_data(DECLARANT, json.loads(json.dumps(data)))
    assert outcome.status == "accepted"
    assert reading.declaration(DECLARANT, outcome.mrn).data == data


def test_a_simplified_declaration_is_accepted_for_its_declarant(store):
    outcome = service.receive_xml(EXPORTER, sample("c1_simplified"))
    assert outcome.status == "accepted", outcome.problems
    assert reading.declaration(EXPORTER, outcome.mrn).kind == "simplified"


def test_a_representative_lodges_only_with_the_declarants_power_of_attorney(store, fixed_clock):
    represented = replaced(b1("LRN-REP-1"),
                           "<Name>Nordic Forwarding ApS</Name>\n    <ID>DK13585628</ID>\n  </Declarant>",
                           "<Name>Eksempel Eksport A/S</Name>\n    <ID>DK12345674</ID>\n  </Declarant>")
    with pytest.raises(Forbidden):  # no power of attorney yet
        service.receive_xml(DECLARANT, represented)
    empower()
    outcome = service.receive_xml(DECLARANT, represented)
    assert outcome.status == "accepted", outcome.problems
    seen = reading.declaration(DECLARANT, outcome.mrn)
    assert (seen.declarant, seen.representative) == ("DK12345674", "DK13585628")
    assert {n.party for n in outcome.notifications} == {"DK12345674", "DK13585628"}
    assert reading.declaration(EXPORTER, outcome.mrn).mrn == outcome.mrn


def test_a_pre_lodged_declaration_waits_for_the_goods(store):
    pre = service.receive_xml(DECLARANT, replaced(b1("LRN-PRE-1"), "<TypeCode>EXA", "<TypeCode>EXD"))
    assert pre.status == "pre_lodged" and pre.mrn
    assert reading.declaration(DECLARANT, pre.mrn).times["accepted_at"] is None
    assert service.present_goods(DECLARANT, pre.mrn).status == "accepted"


def test_a_declaration_breaking_a_kind_rule_is_rejected_with_its_pointer(store):
    outcome = service.receive_xml(DECLARANT, replaced(b1("LRN-WRONG"), "<TypeCode>EXA", "<TypeCode>EXX"))
    assert outcome.mrn is None and outcome.problems
    assert outcome.problems[0].code.startswith("export.kind") and outcome.problems[0].pointer
    [answer] = outcome.for_party(DECLARANT)
    assert answer.event_type == "REJECTED" and count() == 0
    assert answer.data["Declaration"]["LRN"] == "LRN-WRONG"


def test_a_schema_error_is_rejected_with_the_pointer_and_both_texts(store):
    outcome = service.receive_xml(DECLARANT, replaced(b1(), "<TypeCode>EXA</TypeCode>", ""))
    assert outcome.mrn is None
    found = outcome.problems[0]
    assert found.pointer.startswith("/Declaration") and found.en and found.da
    assert outcome.for_party(DECLARANT)[0].event_type == "REJECTED" and count() == 0


def test_the_same_declaration_again_gets_the_same_answer_and_another_with_its_lrn_a_conflict(store):
    first = service.receive_xml(DECLARANT, b1())
    again = service.receive_xml(DECLARANT, b1())
    assert again.repeated and again.mrn == first.mrn and [n.id for n in again.notifications] == [
        n.id for n in first.notifications]
    with pytest.raises(Conflict) as refused:
        service.receive_xml(DECLARANT, replaced(b1(), "Ball bearings", "Roller bearings"))
    assert refused.value.problems[0].code == "export.lrn.used" and count() == 1


def test_two_identical_lodgings_at_once_make_one_declaration(store):
    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(lambda _: service.receive_xml(DECLARANT, b1()), range(2)))
    assert count() == 1 and outcomes[0].mrn == outcomes[1].mrn
    assert sorted(o.repeated for o in outcomes) == [False, True]


def test_mrns_are_unique_under_sixteen_threads(store):
    with ThreadPoolExecutor(max_workers=16) as pool:
        outcomes = list(pool.map(lambda n: service.receive_xml(DECLARANT, b1(f"LRN-CONC-{n}")), range(32)))
    mrns = [o.mrn for o in outcomes]
    assert all(mrns) and len(set(mrns)) == 32 and all(rules.is_export_mrn(m) for m in mrns)


def test_only_the_declarant_or_its_empowered_representative_lodges(store):
    with pytest.raises(Forbidden) as refused:
        service.receive_xml(OTHER, b1())
    assert refused.value.problems[0].code == "export.lodge.not_declarant"
    with pytest.raises(Forbidden):
        service.receive_xml(EXPORT_OFFICER, b1())
    assert count() == 0
