"""tools/reference_data.py: CS/RD2 exports (XML, JSON, DPS pages, tcl.xsd) into our CSVs, which load back."""

from __future__ import annotations

import importlib.util
import json
from datetime import date
from pathlib import Path

import pytest

from toldsystem.reference import convert, csrd2, csvfiles

TOOL = Path(__file__).resolve().parents[2] / "tools" / "reference_data.py"

# A CS/RD2 XML export in the COL's layout, written for the test: two lists and three offices.
COL_XML = """<?xml version="1.0" encoding="UTF-8"?>
<ns6:RDEntityList xmlns:ns0="http://xmlns.ec.eu/BusinessObjects/CSRD2/RDEntityEntryListType/V2"
  xmlns:ns1="http://xmlns.ec.eu/BusinessObjects/CSRD2/RDEntityType/V2"
  xmlns:ns2="http://xmlns.ec.eu/BusinessObjects/CSRD2/RDEntryType/V2"
  xmlns:ns3="http://xmlns.ec.eu/BusinessObjects/CSRD2/RDStatusType/V2"
  xmlns:ns5="http://xmlns.ec.eu/BusinessObjects/CSRD2/LsdListType/V2"
  xmlns:ns6="http://xmlns.ec.eu/BusinessObjects/CSRD2/ReferenceDataSubscriptionReceiverCBSServiceType/V2">
  <ns0:RDEntity name="CountryCodesFullList">
    <ns1:RDEntry>
      <ns2:RDEntryStatus><ns3:state>valid</ns3:state><ns3:activeFrom>2022-12-15</ns3:activeFrom></ns2:RDEntryStatus>
      <ns2:dataItem name="CountryCode">XI</ns2:dataItem>
      <ns2:dataItem name="NctsEntryDate">20210101</ns2:dataItem>
      <ns2:LsdList>
        <ns5:description lang="da">Det Forenede Kongerige (Nordirland)</ns5:description>
        <ns5:description lang="en">United Kingdom (Northern Ireland)</ns5:description>
      </ns2:LsdList>
    </ns1:RDEntry>
    <ns1:RDEntry>
      <ns2:RDEntryStatus><ns3:state>invalid</ns3:state><ns3:activeFrom>2021-01-01</ns3:activeFrom></ns2:RDEntryStatus>
      <ns2:dataItem name="CountryCode">AN</ns2:dataItem>
      <ns2:LsdList><ns5:description lang="en">Netherlands Antilles</ns5:description></ns2:LsdList>
    </ns1:RDEntry>
    <ns1:RDEntry>
      <ns2:RDEntryStatus><ns3:state>valid</ns3:state><ns3:activeFrom>2024-02-21</ns3:activeFrom></ns2:RDEntryStatus>
      <ns2:dataItem name="CountryCode">CH</ns2:dataItem>
      <ns2:LsdList>
        <ns5:description lang="da">Schweiz</ns5:description><ns5:description lang="en">Switzerland</ns5:description>
      </ns2:LsdList>
    </ns1:RDEntry>
  </ns0:RDEntity>
  <ns0:RDEntity name="GeoInfoCodes">
    <ns1:RDEntry>
      <ns2:RDEntryStatus><ns3:state>valid</ns3:state><ns3:activeFrom>2024-10-25</ns3:activeFrom></ns2:RDEntryStatus>
      <ns2:dataItem name="GeoInfoCode">AL/MK</ns2:dataItem>
    </ns1:RDEntry>
  </ns0:RDEntity>
  <ns0:RDEntity name="CustomsOffices">
    <ns1:RDEntry>
      <ns2:RDEntryStatus><ns3:state>valid</ns3:state><ns3:activeFrom>2024-08-22</ns3:activeFrom></ns2:RDEntryStatus>
      <ns2:dataItem name="ReferenceNumber">XI000142</ns2:dataItem>
      <ns2:dataItem name="ReferenceNumberCompetentAuthorityOfEnquiry">XI000001</ns2:dataItem>
      <ns2:dataItem name="ReferenceNumberCompetentAuthorityOfRecovery">XI000001</ns2:dataItem>
      <ns2:dataItem name="CountryCode">XI</ns2:dataItem>
      <ns2:dataItem name="PostalCode">BT3 9LA</ns2:dataItem>
      <ns2:dataGroup name="CustomsOfficeLsd">
        <ns2:dataItem name="LanguageCode">EN</ns2:dataItem>
        <ns2:dataItem name="CustomsOfficeUsualName">Belfast</ns2:dataItem>
        <ns2:dataItem name="City">Belfast</ns2:dataItem>
      </ns2:dataGroup>
      <ns2:dataGroup name="CustomsOfficeTimetable">
        <ns2:dataGroup name="CustomsOfficeTimetableLine">
          <ns2:dataGroup name="CustomsOfficeRoleTrafficCompetence">
            <ns2:dataItem name="Role">DEP</ns2:dataItem><ns2:dataItem name="TrafficType">R</ns2:dataItem>
          </ns2:dataGroup>
          <ns2:dataGroup name="CustomsOfficeRoleTrafficCompetence">
            <ns2:dataItem name="Role">TRA</ns2:dataItem><ns2:dataItem name="TrafficType">R</ns2:dataItem>
          </ns2:dataGroup>
        </ns2:dataGroup>
        <ns2:dataGroup name="CustomsOfficeTimetableLine">
          <ns2:dataGroup name="CustomsOfficeRoleTrafficCompetence">
            <ns2:dataItem name="Role">DES</ns2:dataItem><ns2:dataItem name="TrafficType">R</ns2:dataItem>
          </ns2:dataGroup>
        </ns2:dataGroup>
      </ns2:dataGroup>
    </ns1:RDEntry>
    <ns1:RDEntry>
      <ns2:RDEntryStatus><ns3:state>valid</ns3:state><ns3:activeFrom>2023-04-25</ns3:activeFrom></ns2:RDEntryStatus>
      <ns2:dataItem name="ReferenceNumber">DK009264</ns2:dataItem>
      <ns2:dataItem name="PostalCode">6330</ns2:dataItem>
      <ns2:dataGroup name="CustomsOfficeLsd">
        <ns2:dataItem name="LanguageCode">DA</ns2:dataItem>
        <ns2:dataItem name="CustomsOfficeUsualName">Told Padborg</ns2:dataItem>
        <ns2:dataItem name="City">PADBORG</ns2:dataItem>
      </ns2:dataGroup>
      <ns2:dataGroup name="CustomsOfficeTimetable">
        <ns2:dataGroup name="CustomsOfficeTimetableLine">
          <ns2:dataGroup name="CustomsOfficeRoleTrafficCompetence">
            <ns2:dataItem name="Role">DEP</ns2:dataItem><ns2:dataItem name="TrafficType">R</ns2:dataItem>
          </ns2:dataGroup>
        </ns2:dataGroup>
      </ns2:dataGroup>
    </ns1:RDEntry>
    <ns1:RDEntry>
      <ns2:RDEntryStatus><ns3:state>valid</ns3:state><ns3:activeFrom>2022-07-26</ns3:activeFrom></ns2:RDEntryStatus>
      <ns2:dataItem name="ReferenceNumber">CH001001</ns2:dataItem>
      <ns2:dataGroup name="CustomsOfficeLsd">
        <ns2:dataItem name="LanguageCode">DE</ns2:dataItem>
        <ns2:dataItem name="CustomsOfficeUsualName">Zoll Nord</ns2:dataItem>
        <ns2:dataItem name="City">Basel</ns2:dataItem>
      </ns2:dataGroup>
    </ns1:RDEntry>
  </ns0:RDEntity>
</ns6:RDEntityList>
"""

NCTS_JSON = {
    "messageInformation": {"snapshotDate": "2025-02-12"},
    "lists": {
        "GuaranteeType": {"listName": "GuaranteeType", "listEntries": [
            {"state": "valid", "activeFrom": "2024-10-25", "code": "B",
             "description": "Guarantee for goods dispatched under TIR procedure"},
            {"state": "valid", "activeFrom": "2024-10-25", "code": "1", "description": "Comprehensive guarantee"}]},
        "CountryCodesCommonTransit": {"listName": "CountryCodesCommonTransit", "listEntries": [
            {"state": "valid", "activeFrom": "2024-02-21", "code": "CH", "description": "Switzerland"}]},
        "UnLocodeExtended": {"listName": "UnLocodeExtended", "listEntries": [
            {"state": "valid", "activeFrom": "2023-04-13", "unLocodeExtendedCode": "DKCPH", "name": "København"}]},
        "SomethingUnannotated": {"listName": "SomethingUnannotated", "listEntries": [
            {"state": "valid", "activeFrom": "2024-01-01", "code": "Q"}]},
    },
}

DPS_PAGE = {"elements": [
    {"code_list_code": "CL251", "code_list_name": "GuaranteeType", "rdentry": [
        {"dataitem": [{"dataitem_name": "GuaranteeTypeCode", "dataitem_value": "1"},
                      {"dataitem_name": "RDEntryStatus_state", "dataitem_value": "valid"},
                      {"dataitem_name": "RDEntryStatus_activeFrom", "dataitem_value": "19-11-2025"}],
         "language": [{"lang_code": "en", "lang_desc": "Comprehensive guarantee (newer text)"}]},
        {"dataitem": [{"dataitem_name": "GuaranteeTypeCode", "dataitem_value": "R"},
                      {"dataitem_name": "RDEntryStatus_state", "dataitem_value": "valid"},
                      {"dataitem_name": "RDEntryStatus_activeFrom", "dataitem_value": "19-11-2025"}],
         "language": [{"lang_code": "en", "lang_desc": "Rhine and Danube"}]}]},
    {"code_list_code": "BC11", "code_list_name": "NationalAdministration", "rdentry": [
        {"dataitem": [{"dataitem_name": "CountryCode", "dataitem_value": "DK"}], "language": []}]},
]}

COL_JSON = {"messageInformation": {"snapshotDate": "2025-02-12"}, "lists": {"customsOffices": {"listEntries": [
    {"state": "valid", "activeFrom": "2024-01-01", "languageCode": "EN", "name": "BCP Sarpi", "id": "GEBCP601",
     "countryId": "GE", "roles": [{"role": "DES"}, {"role": "TRA"}]},
    {"state": "valid", "activeFrom": "2025-01-01", "languageCode": "DA", "name": "Told Padborg (newer)",
     "id": "DK009264", "countryId": "DK", "roles": [{"role": "DEP"}, {"role": "GUA"}]}]}}}

TCL_XSD = """<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <!--===== Flag                                                                 -->
  <!--===== CL027                                                                -->
  <xs:simpleType name="Flag">
    <xs:restriction base="xs:token">
      <xs:enumeration value="0"><xs:annotation><xs:documentation>No</xs:documentation></xs:annotation></xs:enumeration>
      <xs:enumeration value="1"><xs:annotation><xs:documentation>Yes</xs:documentation></xs:annotation></xs:enumeration>
    </xs:restriction>
  </xs:simpleType>
</xs:schema>
"""

CTYPES_XSD = """<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:annotation><xs:documentation>
<codeList code="CL251" type="business" name="GuaranteeType" />
<codeList code="CL009" type="business" name="CountryCodesCommonTransit" />
<codeList code="CL244" type="business" name="UnLocodeExtended" />
<codeList code="CL008" type="business" name="CountryCodesFullList" />
</xs:documentation></xs:annotation></xs:schema>"""


@pytest.fixture
def exports(tmp_path) -> Path:
    (tmp_path / "COL-Generic-20241105.xml").write_text(COL_XML, encoding="utf-8")
    (tmp_path / "RD_NCTS-P5.json").write_text(json.dumps(NCTS_JSON), encoding="utf-8")
    (tmp_path / "COL-Generic-20250212.json").write_text(json.dumps(COL_JSON), encoding="utf-8")
    (tmp_path / "dps" / "CL251").mkdir(parents=True)
    (tmp_path / "dps" / "CL251" / "CL251_page1.json").write_text(json.dumps(DPS_PAGE), encoding="utf-8")
    (tmp_path / "xsd").mkdir()
    (tmp_path / "xsd" / "tcl.xsd").write_text(TCL_XSD, encoding="utf-8")
    (tmp_path / "xsd" / "ctypes.xsd").write_text(CTYPES_XSD, encoding="utf-8")
    (tmp_path / "stated.csv").write_text("list,code,en,da,source\nCL196,A3,Simplified procedure,Forenklet procedure,"
                                         "DDNTA G0126\nCL251,Z,Not really,,a text\n", encoding="utf-8")
    (tmp_path / "danish.csv").write_text("list,code,da\nCL251,B,Sikkerhed for TIR\nCL251,Y,Ingen\n", encoding="utf-8")
    (tmp_path / "out").mkdir()
    return tmp_path


def test_the_xml_reader_takes_entries_with_every_language_and_offices_with_all_roles(exports):
    lists, offices = csrd2.read_xml(exports / "COL-Generic-20241105.xml")
    countries = next(found for found in lists if found.name == "CountryCodesFullList")
    by_code = {e.code: e for e in countries.entries}
    assert by_code["XI"].descriptions == {"da": "Det Forenede Kongerige (Nordirland)",
                                          "en": "United Kingdom (Northern Ireland)"}
    assert by_code["XI"].valid_from == date(2022, 12, 15) and by_code["XI"].valid_to is None
    assert by_code["AN"].valid_to == date(2020, 12, 31)  # invalid from 2021-01-01: valid until the day before
    belfast = next(o for o in offices if o.code == "XI000142")
    assert belfast.roles == {"DEP", "TRA", "DES"} and belfast.city == "Belfast" and belfast.postcode == "BT3 9LA"
    assert belfast.enquiry == belfast.recovery == "XI000001" and convert.usual_name(belfast) == "Belfast"


def test_the_json_dps_and_xsd_readers(exports):
    lists = {found.name: found for found in csrd2.read_json_lists(exports / "RD_NCTS-P5.json")}
    assert lists["GuaranteeType"].source == "RD_NCTS-P5.json (snapshot 2025-02-12)"
    assert [e.code for e in lists["UnLocodeExtended"].entries] == ["DKCPH"]
    dps = {found.list_id: found for found in csrd2.read_dps_pages((exports / "dps").rglob("*.json"))}
    assert [e.code for e in dps["CL251"].entries] == ["1", "R"]
    assert dps["CL251"].entries[0].valid_from == date(2025, 11, 19)
    (flag,) = csrd2.read_xsd_enumerations(exports / "xsd" / "tcl.xsd")
    assert flag.list_id == "CL027" and [(e.code, e.descriptions["en"]) for e in flag.entries] == [("0", "No"),
                                                                                                 ("1", "Yes")]
    assert csrd2.read_xsd_list_names(exports / "xsd")["CL251"] == "GuaranteeType"


def test_merging_keeps_every_code_takes_the_newest_text_and_keeps_danish(exports):
    col_lists, _ = csrd2.read_xml(exports / "COL-Generic-20241105.xml")
    sources = col_lists + csrd2.read_json_lists(exports / "RD_NCTS-P5.json") + \
        csrd2.read_dps_pages((exports / "dps").rglob("*.json"))
    names = csrd2.read_xsd_list_names(exports / "xsd")
    merged = convert.merge_code_lists(sources, names)
    assert set(merged) == {"CL008", "CL009", "CL244", "CL251"}  # unannotated, EMCS (BC11) and GeoInfo lists left out
    guarantee = merged["CL251"].entries
    assert set(guarantee) == {"1", "B", "R"}
    assert guarantee["1"].descriptions["en"] == "Comprehensive guarantee (newer text)"
    assert guarantee["1"].valid_from == date(2024, 10, 25)  # the earliest start any source gives
    convert.add_country_names_in_danish(merged)
    assert merged["CL009"].entries["CH"].descriptions["da"] == "Schweiz"
    assert convert.add_stated_lists(merged, names, [{"list": "CL251", "code": "Z", "en": "x", "source": "s"}]) == ["CL251"]
    assert "Z" not in merged["CL251"].entries


def test_newer_col_adds_only_the_countries_the_snapshot_lacks(exports):
    _, offices = csrd2.read_xml(exports / "COL-Generic-20241105.xml")
    chosen = {o.code: o for o in convert.select_offices(offices, csrd2.read_json_offices(exports / "COL-Generic-20250212.json"))}
    assert set(chosen) == {"CH001001", "DK009264", "GEBCP601", "XI000142"}
    assert chosen["DK009264"].roles == {"DEP"}  # the snapshot's Danish office, not the newer one
    assert chosen["GEBCP601"].roles == {"DES", "TRA"} and chosen["GEBCP601"].city == ""


def test_the_tool_writes_csvs_that_load_back(exports, capsys):
    spec = importlib.util.spec_from_file_location("reference_data_tool", TOOL)
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    out = exports / "out"
    assert tool.main(["--col", str(exports / "COL-Generic-20241105.xml"),
                      "--col-newer", str(exports / "COL-Generic-20250212.json"),
                      "--lists", str(exports / "RD_NCTS-P5.json"), "--dps", str(exports / "dps"),
                      "--xsd", str(exports / "xsd"), "--stated", str(exports / "stated.csv"),
                      "--danish", str(exports / "danish.csv"), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "CL251 is stated" in printed and "CL251 Y matches no code" in printed
    entries = csvfiles.code_list_entries((out / "code-lists.csv").read_text(encoding="utf-8"))
    by_code = {(r["list"], r["code"]): r for rows in entries.values() for r in rows}
    assert by_code[("CL251", "B")]["da"] == "Sikkerhed for TIR"
    assert by_code[("CL196", "A3")]["da"] == "Forenklet procedure"
    assert by_code[("CL008", "AN")]["valid_to"] == date(2020, 12, 31)
    assert by_code[("CL027", "1")]["en"] == "Yes"
    large = csvfiles.code_list_entries((out / "code-list-CL244.csv").read_text(encoding="utf-8"))
    assert [r["code"] for r in large["CL244"]] == ["DKCPH"]
    offices = {r["code"]: r for r in csvfiles.office_rows((out / "customs-offices.csv").read_text(encoding="utf-8"))}
    assert offices["XI000142"]["roles"] == "DEP;DES;TRA" and offices["CH001001"]["name"] == "Zoll Nord"
    index = csvfiles.index_rows((out / "code-list-index.csv").read_text(encoding="utf-8"))
    assert index["CL196"]["source"] == "DDNTA G0126" and "RD_NCTS-P5.json" in index["CL251"]["source"]
