"""Concurrency (two identical lodgings at once: one declaration) and hostile input (huge, deep, malformed: a clear
refusal, bounded), on both stores."""

from __future__ import annotations

import copy
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from tests.imports.service.helpers import FORWARDER_PARTY, codes, full_express, world
from toldsystem import db
from toldsystem.imports import service, store


def declaration_count() -> int:
    with db.reading() as conn:
        return conn.execute(select(func.count()).select_from(store.declarations)).scalar_one()


def test_the_same_declaration_lodged_at_once_makes_one_declaration(store, fixed_clock):
    world()
    data = full_express("LRN-RACE")
    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(pool.map(lambda _: service.lodge_data(FORWARDER_PARTY, copy.deepcopy(data)), range(6)))
    assert declaration_count() == 1
    assert len({o.mrn for o in outcomes}) == 1 and outcomes[0].mrn
    assert len({tuple(n.id for n in o.notifications) for o in outcomes}) == 1


def test_different_declarations_at_once_get_unique_mrns(store, fixed_clock):
    world()
    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(pool.map(lambda i: service.lodge_data(FORWARDER_PARTY, full_express(f"LRN-{i}")), range(12)))
    assert len({o.mrn for o in outcomes}) == 12 and declaration_count() == 12


def test_malformed_xml_is_refused_with_a_clear_error(store, fixed_clock):
    world()
    outcome = service.lodge_xml(FORWARDER_PARTY, b"<Declaration xmlns='urn:wco:datamodel:WCO:DEC-DMS:2'><Func")
    assert outcome.notifications[0].event_type == "REJECTED" and codes(outcome)[0].startswith("xml.")


def test_an_entity_declaration_is_refused_before_parsing(store, fixed_clock):
    world()
    body = b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x "x">]><Declaration>&x;</Declaration>'
    outcome = service.lodge_xml(FORWARDER_PARTY, body)
    assert outcome.mrn is None and codes(outcome) and declaration_count() == 0


def test_deep_and_huge_messages_are_refused_within_bounds(store, fixed_clock):
    world()
    deep = b"<Declaration xmlns='urn:wco:datamodel:WCO:DEC-DMS:2'>" + b"<a>" * 5000 + b"</a>" * 5000 + b"</Declaration>"
    assert service.lodge_xml(FORWARDER_PARTY, deep).notifications[0].event_type == "REJECTED"
    huge = b"<Declaration>" + b" " * (64 * 1024 * 1024) + b"</Declaration>"
    outcome = service.lodge_xml(FORWARDER_PARTY, huge)
    assert codes(outcome) and declaration_count() == 0


def test_json_with_too_many_elements_is_refused(store, fixed_clock):
    world()
    data = full_express()
    data["GoodsShipment"]["GovernmentAgencyGoodsItem"] = [
        copy.deepcopy(data["GoodsShipment"]["GovernmentAgencyGoodsItem"][0]) for _ in range(20_000)]
    outcome = service.lodge_data(FORWARDER_PARTY, data)
    assert codes(outcome) == ["data.too_many_elements"]


def test_json_that_breaks_the_schema_names_the_element(store, fixed_clock):
    world()
    data = full_express()
    del data["GoodsShipment"]["Consignment"]
    outcome = service.lodge_data(FORWARDER_PARTY, data)
    assert outcome.mrn is None
    pointers = [e["Pointer"][0]["DocumentSectionCode"] for e in outcome.notifications[0].data["Error"]]
    assert any("Consignment" in p for p in pointers), pointers
