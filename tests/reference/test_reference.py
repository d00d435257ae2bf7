"""Reference data: offices with roles, countries, currencies, code lists (SPEC T, G)."""

from decimal import Decimal

import pytest

from toldsystem.core.errors import NotFound, Rejected
from toldsystem.reference import service
from toldsystem.reference.rules import is_efta


def test_seed_offices_are_loaded_with_their_roles(store):
    padborg = service.office("DK009264")
    assert padborg.name == "Told Padborg" and padborg.may_act_as("DEP") and padborg.may_act_as("DES")
    assert not padborg.may_act_as("GUA")
    frederikshavn = service.office("DK009761")
    assert frederikshavn.may_act_as("TRA")


def test_all_53_danish_offices_of_the_eu_list_are_loaded(store):
    assert sum(1 for o in service.snapshot().offices.values() if o.country == "DK") == 53


def test_foreign_offices_exist_for_destination_and_transit(store):
    offices = service.snapshot().offices.values()
    for country in ("DE", "CH", "NO", "IT", "SE"):
        assert any(o.country == country and o.may_act_as("DES") and o.may_act_as("TRA") for o in offices)


def test_unknown_office_is_not_found(store):
    with pytest.raises(NotFound) as raised:
        service.office("DK999999")
    assert raised.value.problems[0].pointer == "office"


def test_countries_know_eu_efta_and_common_transit(store):
    countries = service.snapshot().countries
    assert countries["DK"].eu and not countries["DK"].efta
    assert countries["CH"].efta and countries["CH"].common_transit and not countries["CH"].eu
    assert countries["TR"].common_transit and not countries["TR"].eu
    assert is_efta("NO") and not is_efta("DE")


def test_eur_dkk_rate_is_configurable(store):
    assert service.snapshot().eur_rate("DKK") == Decimal("7.46")
    service.set_eur_rate("DKK", Decimal("7.50"))
    assert service.snapshot().eur_rate("DKK") == Decimal("7.50")


def test_seed_code_lists_are_present(store):
    snap = service.snapshot()
    for code in ("VQ", "VG", "VL", "VY", "VO", "NE"):
        assert snap.has_code("PackageType", code)
    assert snap.has_code("DocumentType", "830")
    assert snap.has_code("AdditionalInformation", "DG2")
    assert sorted(snap.code_lists["GuaranteeType"]) == ["0", "1", "2", "3", "4", "5", "6", "8", "9"]


def test_offices_can_be_extended_from_csv(store, tmp_path):
    extra = tmp_path / "offices.csv"
    extra.write_text("reference_number,usual_name,city,postal_code,roles\nFI000001,Vaalimaa,Vaalimaa,49960,DEP;DES;TRA\n")
    assert service.load_file("offices", extra) == 1
    assert service.office("FI000001").may_act_as("TRA")


def test_bad_office_csv_changes_nothing(store, tmp_path):
    bad = tmp_path / "offices.csv"
    bad.write_text("reference_number,usual_name,roles\nFI000002,Fine,DEP\nnot-a-code,Bad,DEP\n")
    with pytest.raises(Rejected) as raised:
        service.load_file("offices", bad)
    assert raised.value.problems[0].pointer == "offices:line 3"
    assert service.snapshot().office("FI000002") is None


def test_reference_api_lists_offices_by_role(store, client, officer_headers):
    answer = client.get("/api/reference/offices", params={"country": "DK", "role": "GUA"}, headers=officer_headers)
    assert answer.status_code == 200
    assert {"DK009860", "DK000461"} <= {o["code"] for o in answer.json()}
    assert all("GUA" in o["roles"] for o in answer.json())
