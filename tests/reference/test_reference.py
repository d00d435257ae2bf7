"""Reference data in the store: offices with roles, countries, currencies, code lists (SPEC T, G)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from toldsystem.core.errors import NotFound, Rejected
from toldsystem.reference import service
from toldsystem.reference.rules import is_efta


def test_seed_offices_are_loaded_with_their_roles(store):
    padborg = service.office("DK009264")
    assert padborg.name == "Told Padborg" and padborg.may_act_as("DEP") and padborg.may_act_as("DES")
    assert not padborg.may_act_as("GUA")
    assert service.office("DK009761").may_act_as("TRA")


def test_the_eu_office_list_is_loaded(store):
    offices = service.snapshot().offices.values()
    assert sum(1 for o in offices if o.country == "DK") == 53
    assert len(offices) > 4100
    for country in ("DE", "CH", "NO", "IT", "SE", "GB", "XI", "TR", "UA"):
        assert any(o.country == country and o.may_act_as("DES") and o.may_act_as("TRA") for o in offices), country


def test_unknown_office_is_not_found(store):
    with pytest.raises(NotFound) as raised:
        service.office("DK999999")
    assert raised.value.problems[0].pointer == "office"


def test_countries_know_eu_efta_and_common_transit(store):
    countries = service.snapshot().countries
    assert countries["DK"].eu and not countries["DK"].efta
    assert countries["CH"].efta and countries["CH"].common_transit and not countries["CH"].eu
    assert countries["TR"].common_transit and not countries["TR"].eu
    assert countries["XI"].common_transit
    assert is_efta("NO") and not is_efta("DE")


def test_eur_dkk_rate_is_configurable(store):
    assert service.snapshot().eur_rate("DKK") == Decimal("7.46")
    service.set_eur_rate("DKK", Decimal("7.50"))
    assert service.snapshot().eur_rate("DKK") == Decimal("7.50")


def test_code_lists_are_keyed_by_official_id(store):
    snap = service.snapshot()
    assert snap.has_code("CL017", "1A") and snap.has_code("CL251", "B") and snap.has_code("CL008", "XI")
    assert "B" in snap.code_lists["CL251"] and "6" not in snap.code_lists["CL251"]  # type 6 is phase 4 only
    assert snap.entry("CL017", "CT").en == "Carton" and snap.entry("CL017", "CT").da == "Karton"
    assert snap.lists["CL017"].name == "KindOfPackages"
    assert "GuaranteeType" not in snap.code_lists


def test_snapshot_is_reused_until_something_changes(store, tmp_path):
    first = service.snapshot()
    assert service.snapshot() is first
    service.forget_snapshot()
    assert service.snapshot() is first  # nothing moved: the same snapshot, no re-read
    path = tmp_path / "cl017.csv"
    path.write_text("list,code,en\nCL017,CT,Carton\n")
    service.load_file(path)
    assert service.snapshot() is not first and service.snapshot().code_lists["CL017"] == {"CT"}


def test_loading_a_code_list_replaces_it_whole_and_leaves_the_others(store, tmp_path):
    before = service.snapshot()
    path = tmp_path / "packages.csv"
    path.write_text("list,code,en,da,valid_from,valid_to\n"
                    "CL017,CT,Carton,Karton,2024-01-01,\n"
                    "CL017,XX,Invented for a test,Opfundet til en test,,\n"
                    "CL251,B,Guarantee for goods dispatched under TIR procedure,,,\n", encoding="utf-8")
    loaded = service.load_file(path)
    assert loaded.kind == "code-lists" and loaded.rows == 3 and loaded.lists == ("CL017", "CL251")
    snap = service.snapshot()
    assert snap.code_lists["CL017"] == {"CT", "XX"} and snap.code_lists["CL251"] == {"B"}
    assert snap.code_lists["CL008"] == before.code_lists["CL008"]
    assert snap.entry("CL017", "CT").valid_from == date(2024, 1, 1)
    assert "packages.csv" in snap.lists["CL017"].source and snap.lists["CL017"].name == "KindOfPackages"
    counts = service.load_bundled()  # the bundled lists come back; only the two changed ones are rewritten
    assert counts["code_lists"] == 2 and counts["offices"] == 0
    assert len(service.snapshot().code_lists["CL017"]) > 400


def test_loading_the_bundled_data_again_rewrites_nothing(store):
    counts = service.load_bundled()
    assert counts["offices"] == counts["code_lists"] == counts["code_list_entries"] == 0
    assert counts["unchanged_parts"] > 60


@pytest.mark.parametrize(("content", "line", "says"), [
    ("list,code,en\nCL017,CT,Carton\nGuaranteeType,B,TIR\n", 3, "not an official code list id"),
    ("list,code,en\nCL017,CT,Carton\nCL017,BX\n", 3, "has 2 fields; the header has 3"),
    ("list,code,en,valid_to\nCL017,CT,Carton,2024-13-01\n", 2, "is not a date"),
    ("list,code,en\nCL017,CT,Carton\nCL017,PX,Pallet\nCL017,CT,Carton again\n", 4, "repeats code CT of CL017 of line 2"),
    ("list,code,en\nCL017,,Nothing\n", 2, "code '' must be"),
    ("list,code,en,valid_from,valid_to\nCL017,CT,Carton,2025-01-02,2025-01-01\n", 2, "is before valid_from"),
    ("list,code,en\nCL017,CT,\"Carton\n", 2, "is not valid CSV"),
    ("list,code\nCL017,CT\n", 1, "the header must have the columns"),
    ("list,code,en,colour\nCL017,CT,Carton,brown\n", 1, "the header must have the columns"),
])
def test_a_malformed_code_list_is_refused_naming_the_line_and_nothing_changes(store, tmp_path, content, line, says):
    before = service.snapshot().code_lists["CL017"]
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(Rejected) as raised:
        service.load_file(path, kind="code-lists")
    found = raised.value.problems[0]
    assert found.pointer == f"code-lists:line {line}" and found.line == line
    assert says in found.en and found.da
    assert service.snapshot().code_lists["CL017"] == before


def test_a_file_with_one_bad_list_changes_no_list(store, tmp_path):
    path = tmp_path / "two.csv"
    path.write_text("list,code,en\nCL251,B,TIR\nCL017,CT,Carton\nCL017,C T!,Bad\n")
    with pytest.raises(Rejected) as raised:
        service.load_file(path)
    assert raised.value.problems[0].pointer == "code-lists:line 4"
    assert len(service.snapshot().code_lists["CL251"]) == 12


def test_a_file_that_is_not_utf8_is_refused_naming_the_line(store, tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("list,code,en\nCL017,CT,Carton\nCL008,DK,Dänemark\n".encode("latin-1"))
    with pytest.raises(Rejected) as raised:
        service.load_file(path)
    assert raised.value.problems[0].pointer == "csv:line 3"


def test_a_file_of_no_known_layout_is_refused(store, tmp_path):
    path = tmp_path / "what.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(Rejected) as raised:
        service.load_file(path)
    assert raised.value.problems[0].code == "reference.kind"


def test_a_code_past_its_end_date_is_listed_but_not_usable(store, tmp_path, fixed_clock):
    path = tmp_path / "ended.csv"
    path.write_text("list,code,en,valid_to\nCL019,1,Deviation from the itinerary,\n"
                    "CL019,9,Withdrawn for a test,2026-11-22\n")
    service.load_file(path)
    snap = service.snapshot()
    assert snap.code_lists["CL019"] == {"1"} and snap.entry("CL019", "9").valid_to == date(2026, 11, 22)
    fixed_clock.advance(days=-2)  # before its end the code is usable again (after the next check)
    service.forget_snapshot()
    assert service.snapshot().code_lists["CL019"] == {"1", "9"}


def test_offices_can_be_added_from_csv(store, tmp_path):
    extra = tmp_path / "offices.csv"
    extra.write_text("reference_number,usual_name,city,postal_code,roles\nFI000001,Vaalimaa,Vaalimaa,49960,DEP;DES;TRA\n")
    loaded = service.load_file(extra)
    assert loaded.kind == "offices" and loaded.rows == 1
    assert service.office("FI000001").may_act_as("TRA")
    assert service.office("DK009264").name == "Told Padborg"  # the others stay


def test_offices_can_replace_the_whole_list(store, tmp_path):
    only = tmp_path / "offices.csv"
    only.write_text("reference_number,usual_name,roles\nDK009264,Told Padborg,DEP;DES;INC\n")
    service.load_file(only, replace=True)
    assert set(service.snapshot().offices) == {"DK009264"}
    assert service.snapshot().code_lists["CL171"] == {"DK009264"}
    service.load_bundled()
    assert len(service.snapshot().offices) > 4100


def test_bad_office_csv_changes_nothing(store, tmp_path):
    bad = tmp_path / "offices.csv"
    bad.write_text("reference_number,usual_name,roles\nFI000002,Fine,DEP\nnot-a-code,Bad,DEP\nFI000003,Worse,DEPARTURE\n")
    with pytest.raises(Rejected) as raised:
        service.load_file(bad, kind="offices")
    assert [p.pointer for p in raised.value.problems] == ["offices:line 3", "offices:line 4"]
    assert service.snapshot().office("FI000002") is None


def test_reference_api_lists_offices_by_role(store, client, officer_headers):
    answer = client.get("/api/reference/offices", params={"country": "DK", "role": "GUA"}, headers=officer_headers)
    assert answer.status_code == 200
    assert {"DK009860", "DK000461"} <= {o["code"] for o in answer.json()}
    assert all("GUA" in o["roles"] for o in answer.json())
    gb = client.get("/api/reference/offices", params={"country": "GB", "role": "DEP"}, headers=officer_headers)
    assert "GB000060" in {o["code"] for o in gb.json()}


def test_reference_api_serves_code_lists_by_official_id(store, client, officer_headers):
    index = {row["list"]: row for row in client.get("/api/reference/code-lists", headers=officer_headers).json()}
    assert index["CL017"]["name"] == "KindOfPackages" and index["CL017"]["codes"] >= 400
    assert index["CL171"]["source"].startswith("derived from the customs offices")
    guarantee_types = client.get("/api/reference/code-lists/CL251", headers=officer_headers).json()
    assert {"B", "R"} <= {e["code"] for e in guarantee_types}
    one = client.get("/api/reference/code-lists/CL008", params={"code": "XI"}, headers=officer_headers).json()
    assert one == [{"code": "XI", "en": "United Kingdom (Northern Ireland)", "da": "Det Forenede Kongerige (Nordirland)",
                    "valid_from": one[0]["valid_from"], "valid_to": None}]
    page = client.get("/api/reference/code-lists/CL244", params={"limit": 5, "offset": 10}, headers=officer_headers)
    assert len(page.json()) == 5
    missing = client.get("/api/reference/code-lists/GuaranteeType", headers=officer_headers)
    assert missing.status_code == 404 and "CL" in missing.text


def test_reference_api_countries_carry_danish_names(store, client, officer_headers):
    countries = {c["code"]: c for c in client.get("/api/reference/countries", headers=officer_headers).json()}
    assert countries["DE"]["name_da"] == "Tyskland" and countries["DE"]["eu"]
    assert countries["GB"]["common_transit"] and not countries["GB"]["eu"]
