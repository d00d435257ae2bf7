"""The bundled reference data holds what real declarations use (read without a store: pure and fast)."""

from __future__ import annotations

import pytest

from toldsystem.reference import service
from toldsystem.reference.rules import OFFICE_LISTS

# Business code lists the official v2.1 XSDs annotate and a public source gives values for
# (docs/operations.md lists the others and why they are missing).
EXPECTED_LISTS = {
    "CL008", "CL009", "CL010", "CL016", "CL017", "CL019", "CL038", "CL042", "CL048", "CL094", "CL101",
    "CL112", "CL116", "CL147", "CL152", "CL165", "CL178", "CL181", "CL182", "CL190", "CL195", "CL196",
    "CL198", "CL213", "CL214", "CL215", "CL217", "CL218", "CL219", "CL226", "CL228", "CL229", "CL230",
    "CL231", "CL232", "CL234", "CL235", "CL236", "CL239", "CL244", "CL248", "CL251", "CL252", "CL286",
    "CL296", "CL326", "CL347", "CL349", "CL380", "CL505", "CL560", "CL580", "CL581", "CL704", "CL716",
    "CL750", "CL754",
    # technical lists the schemas enumerate (tcl.xsd)
    "CL024", "CL026", "CL027", "CL030", "CL060", "CL070", "CL079", "CL180",
}


@pytest.fixture(scope="module")
def bundled():
    return service.bundled_snapshot()


def test_every_list_the_official_messages_use_and_a_source_gives_is_bundled(bundled):
    assert EXPECTED_LISTS - set(bundled.code_lists) == set()
    assert set(OFFICE_LISTS) <= set(bundled.code_lists)  # CL141, CL171 ... derived from the offices
    assert all(i.source for i in bundled.lists.values())


def test_codes_real_declarations_use_are_known(bundled):
    lists = bundled.code_lists
    assert {"XI", "XC", "XL", "XS", "GB", "DK"} <= lists["CL008"]
    assert {"1A", "4G", "CT", "PX", "VL", "NE", "ZZ"} <= lists["CL017"] and len(lists["CL017"]) >= 400
    assert {"0", "1", "2", "3", "4", "5", "8", "9", "A", "B", "J", "R"} == lists["CL251"]
    assert {"T", "T1", "T2", "T2F", "T2SM", "TIR"} == lists["CL231"]
    assert {"A", "D"} == lists["CL042"]
    assert {"DKK", "EUR", "GBP", "CHF", "NOK", "SEK", "PLN", "TRY", "UAH"} <= lists["CL048"]
    assert "N380" in lists["CL213"] and {"N730", "N740"} <= lists["CL754"] and "N830" in lists["CL228"]
    assert {"00200", "20300", "30600"} <= lists["CL239"]
    assert {"847130", "852852"} <= lists["CL152"]
    assert {"DKCPH", "DKAAR", "GBDVR", "DEHAM"} <= lists["CL244"]
    assert {"A1", "A2", "A3"} == lists["CL196"] and {"A1", "A2"} == lists["CL195"]


def test_memberships_are_lists(bundled):
    lists = bundled.code_lists
    assert {"DK", "DE", "PL", "SE", "FI", "XI"} <= lists["CL010"] and not {"GB", "CH", "NO", "TR"} & lists["CL010"]
    assert {"CH", "NO", "IS", "LI", "GB", "XI", "TR", "MK", "RS", "UA", "GE", "MD", "ME"} <= lists["CL009"]
    assert {"CH", "GB", "NO", "TR", "UA"} <= lists["CL112"] and "DK" not in lists["CL112"]
    assert {"CH", "NO", "DK"} <= lists["CL147"] and "GB" not in lists["CL147"]


def test_countries_come_from_cl008_with_memberships_and_danish_names(bundled):
    countries = bundled.countries
    assert countries["XI"].common_transit and countries["XI"].eu and not countries["XI"].efta
    assert countries["GB"].common_transit and not countries["GB"].eu
    assert countries["NO"].efta and not countries["NO"].eu
    assert countries["JP"].name == "Japan" and not countries["JP"].common_transit
    assert bundled.entry("CL008", "DE").da == "Tyskland"
    assert bundled.entry("CL009", "CH").da == "Schweiz"  # country lists take Danish names from CL008
    assert bundled.entry("CL251", "B").da.startswith("Sikkerhedsstillelse")


def _with_role(bundled, country: str, role: str) -> set[str]:
    return {o.code for o in bundled.offices.values() if o.country == country and o.may_act_as(role)}


@pytest.mark.parametrize("country", ["DK", "SE", "FI", "DE", "NL", "PL"])
def test_eu_countries_have_offices_of_departure_destination_transit_and_exit(bundled, country):
    for role in ("DEP", "DES", "TRA", "EXT"):
        assert _with_role(bundled, country, role), f"{country} has no office with role {role}"


@pytest.mark.parametrize("country", ["NO", "IS", "CH", "GB", "XI", "TR", "MK", "RS", "UA", "GE", "AD", "SM"])
def test_common_transit_countries_have_offices_of_destination(bundled, country):
    assert _with_role(bundled, country, "DES")


@pytest.mark.parametrize("country", ["NO", "CH", "GB", "XI", "TR", "UA", "RS", "MK", "GE"])
def test_common_transit_countries_have_offices_of_transit(bundled, country):
    assert _with_role(bundled, country, "TRA")


def test_gb_and_xi_offices_of_departure_and_destination(bundled):
    assert _with_role(bundled, "GB", "DEP") and _with_role(bundled, "XI", "DEP")
    dover = bundled.office("GB000060")
    assert dover.name.startswith("Dover") and {"DEP", "DES", "TRA"} <= dover.roles
    assert bundled.office("XI000142") is not None and bundled.office("XI000142").may_act_as("DEP")


def test_the_whole_eu_office_list_is_bundled(bundled):
    assert len(bundled.offices) > 4100
    assert len({o.country for o in bundled.offices.values()}) >= 39


def test_danish_offices_are_the_seeds_53_with_their_roles(bundled):
    danish = {code: o for code, o in bundled.offices.items() if o.country == "DK"}
    assert len(danish) == 53
    assert danish["DK009264"].name == "Told Padborg" and danish["DK009264"].roles == {"DEP", "DES", "INC"}
    assert {"DEP", "DES", "GUA", "TRA"} <= danish["DK009860"].roles
    assert danish["DK000460"].roles == {"CAU", "DEP", "DES", "ENQ", "REC"}
    assert not danish["DK000010"].may_act_as("DEP")


def test_office_lists_follow_the_roles(bundled):
    lists = bundled.code_lists
    assert "DK009264" in lists["CL171"] and "DK009264" in lists["CL172"] and "DK009264" not in lists["CL173"]
    assert "DK009860" in lists["CL174"] and "DK000461" in lists["CL175"]
    assert lists["CL141"] == set(bundled.offices)
    assert "DK000460" in lists["CL176"] and "DK000460" in lists["CL179"]
