"""End to end over HTTP: JSON and hand-written DEC-DMS XML in, DMS notifications out (JSON or XML), the officer's
operations, the consignee's notice, the due list, and another company's MRN answering as an unknown one."""

from __future__ import annotations

import hashlib

from lxml import etree

from tests.conftest import FORWARDER, IMPORTER, STRANGER, company_headers
from tests.imports.service.helpers import full_express, simplified, world
from toldsystem.access import service as access

ROOT = "/api/v1/imports"
XML = {"Content-Type": "application/xml"}

# Written by hand from the agency's element names (DMS_H1_V2.5.xsd): a full express declaration, type A.
HAND_WRITTEN = b"""<?xml version="1.0" encoding="UTF-8"?>
<Declaration xmlns="urn:wco:datamodel:WCO:DEC-DMS:2">
  <FunctionCode>9</FunctionCode>
  <ProcedureCategory>H1</ProcedureCategory>
  <FunctionalReferenceID>HAND-2026-0001</FunctionalReferenceID>
  <TypeCode>IMA</TypeCode>
  <DeclarationOfficeID>DK003102</DeclarationOfficeID>
  <Submitter><Name>Nordic Forwarding ApS</Name><ID>DK13585628</ID></Submitter>
  <Agent><ID>DK13585628</ID><FunctionCode>2</FunctionCode></Agent>
  <Declarant><Name>Nordic Forwarding ApS</Name><ID>DK13585628</ID></Declarant>
  <GoodsShipment>
    <Consignment>
      <BorderTransportMeans><ModeCode>4</ModeCode></BorderTransportMeans>
      <ContainerCode>0</ContainerCode>
      <GoodsLocation><ID>DK003102</ID><TypeCode>A</TypeCode><IdentificationType>V</IdentificationType></GoodsLocation>
    </Consignment>
    <GovernmentAgencyGoodsItem>
      <SequenceNumeric>1</SequenceNumeric>
      <StatisticalValueAmount currencyID="DKK">800.00</StatisticalValueAmount>
      <Commodity>
        <Description>Books</Description>
        <Classification><SequenceNumeric>1</SequenceNumeric><ID>49019900</ID><IdentificationTypeCode>TSP</IdentificationTypeCode></Classification>
        <Classification><SequenceNumeric>2</SequenceNumeric><ID>00</ID><IdentificationTypeCode>TRC</IdentificationTypeCode></Classification>
        <Classification><SequenceNumeric>3</SequenceNumeric><ID>0000</ID><IdentificationTypeCode>TRA</IdentificationTypeCode></Classification>
        <GoodsMeasure>
          <GrossMassMeasure unitCode="KGM">3</GrossMassMeasure><NetNetWeightMeasure unitCode="KGM">2.5</NetNetWeightMeasure>
        </GoodsMeasure>
        <InvoiceLine><ItemChargeAmount>800.00</ItemChargeAmount></InvoiceLine>
      </Commodity>
      <CustomsValuation><MethodCode>1</MethodCode></CustomsValuation>
      <GovernmentProcedure><SequenceNumeric>1</SequenceNumeric><CurrentCode>40</CurrentCode><PreviousCode>00</PreviousCode></GovernmentProcedure>
      <GovernmentProcedure><SequenceNumeric>2</SequenceNumeric><CurrentCode>000</CurrentCode></GovernmentProcedure>
      <Origin><SequenceNumeric>1</SequenceNumeric><CountryCode>US</CountryCode><TypeCode>1</TypeCode></Origin>
      <Packaging><SequenceNumeric>1</SequenceNumeric><MarksNumbersID>BOOKS-1</MarksNumbersID><QuantityQuantity>1</QuantityQuantity><TypeCode>PK</TypeCode></Packaging>
    </GovernmentAgencyGoodsItem>
    <Importer><ID>DK12345674</ID></Importer>
    <TradeTerms><ConditionCode>DAP</ConditionCode></TradeTerms>
    <DispatchCountry><ID>US</ID></DispatchCountry>
  </GoodsShipment>
  <PresentationOffice><ID>DK003102</ID></PresentationOffice>
</Declaration>
"""


def test_json_declaration_is_accepted_and_released_and_read_back(client, store, fixed_clock):
    world()
    forwarder = company_headers(FORWARDER)
    answer = client.post(f"{ROOT}/declarations", json=full_express(), headers=forwarder)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert [n["event"] for n in body["notifications"]] == ["ACCEPTED", "RELEASED"]
    assert answer.headers["Location"].endswith(f"/declarations/{body['mrn']}")
    shown = client.get(f"{ROOT}/declarations/{body['mrn']}", headers=forwarder).json()
    assert shown["state"] == "released" and shown["lane"]["lane"] == "green"
    again = client.post(f"{ROOT}/declarations", json=full_express(), headers=forwarder)
    assert again.headers["X-Told-Replay"] == "true" and again.json()["mrn"] == body["mrn"]


def test_hand_written_xml_is_answered_with_a_notification_in_xml(client, store, fixed_clock):
    world()
    answer = client.post(f"{ROOT}/declarations", content=HAND_WRITTEN, headers=XML | company_headers(FORWARDER))
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/xml")
    root = etree.fromstring(answer.content)
    assert root.tag == "Notification" and root.findtext("NotificationEventType") == "ACCEPTED"
    mrn = root.findtext("Declaration/MRN")
    assert mrn and mrn[16] == "R"
    stored = client.get(f"{ROOT}/declarations/{mrn}", headers=company_headers(FORWARDER)).json()
    assert stored["data"]["FunctionalReferenceID"] == "HAND-2026-0001"


def test_a_refusal_in_xml_names_each_error_with_its_pointer(client, store, fixed_clock):
    world(authorised=False)
    from toldsystem.imports.messages import render
    body = render("declaration", simplified())
    answer = client.post(f"{ROOT}/declarations", content=body, headers=XML | company_headers(FORWARDER))
    assert answer.status_code == 400
    root = etree.fromstring(answer.content)
    assert root.findtext("NotificationEventType") == "REJECTED"
    assert root.findtext("Error/ValidationCode") == "import.simplified_express.not_authorised"
    assert root.findtext("Error/Pointer/DocumentSectionCode") == "/Declaration/Authorisation"


def test_broken_xml_and_json_are_clear_errors(client, store, fixed_clock):
    world()
    broken = client.post(f"{ROOT}/declarations", content=b"<Declaration", headers=XML | company_headers(FORWARDER))
    assert broken.status_code == 400 and b"REJECTED" in broken.content
    not_object = client.post(f"{ROOT}/declarations", json=[1, 2], headers=company_headers(FORWARDER))
    assert not_object.status_code == 422


def test_another_companys_mrn_is_the_same_404_as_an_unknown_one(client, store, fixed_clock):
    world()
    mrn = client.post(f"{ROOT}/declarations", json=full_express(), headers=company_headers(FORWARDER)).json()["mrn"]
    stranger = company_headers(STRANGER)
    theirs = client.get(f"{ROOT}/declarations/{mrn}", headers=stranger)
    unknown = client.get(f"{ROOT}/declarations/26DK003102ZZZZZZR0", headers=stranger)
    assert theirs.status_code == unknown.status_code == 404
    assert theirs.text.replace(mrn, "X") == unknown.text.replace("26DK003102ZZZZZZR0", "X")
    assert client.get(f"{ROOT}/declarations/{mrn}", headers=company_headers(IMPORTER)).status_code == 200


def test_control_then_the_officers_result_over_http(client, store, fixed_clock, officer_headers):
    world()
    national = {"Authorization": f"Bearer {access.issue_officer_token('National')}"}
    assert client.put(f"{ROOT}/settings/rules", json={"text": "origin CN -> yellow\n", "seed": "x"},
                      headers=national).status_code == 200
    answer = client.post(f"{ROOT}/declarations", json=full_express(), headers=company_headers(FORWARDER)).json()
    assert [n["event"] for n in answer["notifications"]] == ["ACCEPTED", "CONTROL"]
    office = {"Authorization": f"Bearer {access.issue_officer_token('Olsen', office='DK003102')}"}
    result = client.post(f"{ROOT}/declarations/{answer['mrn']}/control-result", json={"released": True},
                         headers=office)
    assert result.status_code == 200 and "RELEASED" in [n["event"] for n in result.json()["notifications"]]
    again = client.post(f"{ROOT}/declarations/{answer['mrn']}/control-result", json={"released": True},
                        headers=office)
    assert again.status_code == 409


def test_the_consignee_downloads_its_notice_and_its_digest_is_the_proof(client, store, fixed_clock):
    world()
    mrn = client.post(f"{ROOT}/declarations", json=simplified(), headers=company_headers(FORWARDER)).json()["mrn"]
    pdf = client.get(f"{ROOT}/declarations/{mrn}/consignee-notice.pdf", headers=company_headers(IMPORTER))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["X-Told-Digest"] == hashlib.sha256(pdf.content).hexdigest()
    due = client.get(f"{ROOT}/due", headers=company_headers(FORWARDER)).json()
    assert [d["mrn"] for d in due] == [mrn] and due[0]["overdue"] is False


def test_settings_are_the_national_officers(client, store, fixed_clock):
    world()
    office = {"Authorization": f"Bearer {access.issue_officer_token('Olsen', office='DK003102')}"}
    assert client.put(f"{ROOT}/settings/tariff", json={"text": "commodity_code,duty_rate\n85,2\n"},
                      headers=office).status_code == 403
    national = {"Authorization": f"Bearer {access.issue_officer_token('National')}"}
    refused = client.put(f"{ROOT}/settings/rules", json={"text": "commodity 85* -> purple\n"}, headers=national)
    assert refused.status_code == 422 and "line 1" in refused.text
    assert client.put(f"{ROOT}/settings/credit/{IMPORTER}", json={"status": "withdrawn"},
                      headers=national).json()["status"] == "withdrawn"


def test_a_rejecting_service_window_answers_503_with_retry_after(client, store, fixed_clock):
    from datetime import timedelta

    from toldsystem.operations import service as operations
    from toldsystem.operations.rules import Effect
    world()
    now = fixed_clock.now()
    operations.create(systems=["dms_import"], kind="service_window", title="PRD-servicewindow DMS Import",
                      window_start=now - timedelta(minutes=5), window_end=now + timedelta(minutes=55),
                      effects=[Effect("file", "rejected")])
    answer = client.post(f"{ROOT}/declarations", json=full_express(), headers=company_headers(FORWARDER))
    assert answer.status_code == 503 and answer.json()["errors"][0]["code"] == "service.unavailable"
    assert 0 < int(answer.headers["Retry-After"]) <= 3300
    assert client.get(f"{ROOT}/declarations", headers=company_headers(FORWARDER)).json() == []
