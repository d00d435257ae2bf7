"""The data of an arrival or departure (seed 002 "Ankomst" and "Afgang"): each rule passes and fails."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toldsystem.manifest.rules import check_filing
from toldsystem.manifest.rules import movements as mv
from toldsystem.manifest.rules.model import Carrier, Consignment, LinkKind

from .factory import flight_arrival, vessel_arrival, vessel_departure


def codes(problems) -> list[str]:
    return [p.code for p in problems]


def test_the_factories_pass_every_rule() -> None:
    for movement in (vessel_arrival(), flight_arrival(), vessel_departure()):
        assert check_filing(movement) == []


@given(st.text(alphabet="0123456789", min_size=6, max_size=6), st.integers(0, 9))
def test_an_imo_number_holds_only_with_its_own_check_digit(six: str, seventh: int) -> None:
    right = sum(int(d) * w for d, w in zip(six, range(7, 1, -1))) % 10
    problem = mv.sea_names_imo_number(vessel_arrival(imo_number=f"IMO {six}{seventh}"))
    assert (problem is None) == (seventh == right)


@pytest.mark.parametrize("imo", ["", "IMO 907472", "IMO 90747290", "ABC1234"])
def test_a_vessel_without_a_seven_digit_imo_number_is_refused(imo: str) -> None:
    assert mv.sea_names_imo_number(vessel_arrival(imo_number=imo)).code == "manifest.imo_number"


def test_a_wrong_imo_check_digit_is_named() -> None:
    assert mv.sea_names_imo_number(vessel_arrival(imo_number="9074728")).code == "manifest.imo_check_digit"


def test_a_flight_needs_no_imo_number() -> None:
    assert mv.sea_names_imo_number(flight_arrival()) is None


def test_a_vessel_is_named() -> None:
    assert mv.sea_names_vessel(vessel_arrival()) is None
    assert mv.sea_names_vessel(vessel_arrival(vessel_name="  ")).code == "manifest.vessel_name"
    assert mv.sea_names_vessel(vessel_arrival(vessel_name="X" * 36)).code == "manifest.vessel_name"


@pytest.mark.parametrize("route", ["SK1234", "DY 12", "U2123A", "SAS1"])
def test_a_flight_route_number_is_accepted(route: str) -> None:
    assert mv.air_names_route_number(flight_arrival(route_number=route)) is None


@pytest.mark.parametrize("route", ["", "1234", "SK", "SK12345", "S-123"])
def test_a_flight_without_a_route_number_is_refused(route: str) -> None:
    assert mv.air_names_route_number(flight_arrival(route_number=route)).code == "manifest.route_number"


def test_sea_and_air_fields_are_not_mixed() -> None:
    assert mv.sea_and_air_fields_not_mixed(vessel_arrival()) is None
    assert mv.sea_and_air_fields_not_mixed(flight_arrival(vessel_name="X")).code == "manifest.sea_fields_on_flight"
    assert mv.sea_and_air_fields_not_mixed(vessel_arrival(route_number="SK1")).code == "manifest.route_on_vessel"


def test_places_are_un_locodes() -> None:
    assert mv.names_place(vessel_arrival(place="DKAAR")) is None
    assert mv.names_place(vessel_arrival(place="Aarhus")).code == "manifest.place"
    assert mv.arrival_names_where_from(vessel_arrival(arriving_from="")).code == "manifest.arriving_from"
    assert mv.arrival_names_where_from(vessel_departure()) is None


def test_an_arrival_answers_the_third_country_question() -> None:
    assert mv.arrival_answers_third_country_unloading(vessel_arrival(unloads_third_country_freight=False)) is None
    problem = mv.arrival_answers_third_country_unloading(vessel_arrival(unloads_third_country_freight=None))
    assert problem.code == "manifest.third_country_unloading"


def test_the_carrier_is_named_by_eori_or_by_name_and_address() -> None:
    assert mv.names_carrier(vessel_arrival(carrier=Carrier(name="Line A/S", address="Havnen 1, Aarhus"))) is None
    assert mv.names_carrier(vessel_arrival(carrier=Carrier(name="Line A/S"))).code == "manifest.carrier"
    assert mv.names_carrier(vessel_arrival(carrier=Carrier(eori="DK12345678"))).code == "manifest.carrier_eori"


def test_the_representative_and_storage_holder_are_valid_eoris() -> None:
    assert mv.representative_is_eori(vessel_arrival(carrier_representative="")) is None
    assert mv.representative_is_eori(vessel_arrival(carrier_representative="DK1")).code == \
        "manifest.representative_eori"
    assert mv.arrival_names_storage_holder(vessel_arrival(temporary_storage_holder="")).code == \
        "manifest.storage_holder_missing"
    assert mv.arrival_names_storage_holder(vessel_arrival(temporary_storage_holder="DK99999999")).code == \
        "manifest.storage_holder_eori"
    assert mv.arrival_names_storage_holder(vessel_departure()) is None


def test_a_departure_has_no_arrival_fields() -> None:
    assert mv.departure_has_no_arrival_fields(vessel_departure()) is None
    assert mv.departure_has_no_arrival_fields(vessel_departure(arriving_from="NOOSL")) is not None
    assert mv.departure_has_no_arrival_fields(vessel_arrival()) is None


def test_an_aeo_certificate_number_when_given_is_well_formed() -> None:
    assert mv.aeo_certificate_well_formed(vessel_arrival(aeo_certificate="DKAEOF000123")) is None
    assert mv.aeo_certificate_well_formed(vessel_arrival(aeo_certificate="AEO-123")).code == "manifest.aeo_certificate"


def test_consignments_name_their_transport_documents_and_declarations_once() -> None:
    twice = (Consignment(1, "BL-1", LinkKind.IMPORT, "26DK1"), Consignment(2, "BL-1", LinkKind.IMPORT, "26DK1"))
    assert codes(mv.consignments_are_linked_once(vessel_arrival(consignments=twice))) == [
        "manifest.transport_document", "manifest.declaration_twice"]
    assert mv.consignments_are_linked_once(vessel_arrival()) == []


def test_expected_time_must_be_aware() -> None:
    with pytest.raises(ValueError):
        vessel_arrival(expected_at=datetime(2026, 3, 10, 9))
