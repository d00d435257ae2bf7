"""Every message customs sends renders from a small dict and validates against its schema."""

import pytest

from toldsystem.transit.messages import ParsedMessage, parse_message, render, validate_data
from toldsystem.transit.messages.schemas import CUSTOMS_MESSAGES, compiled_schema
from lxml import etree

MRN = "24DK00926400000HJ5"
LRN = "1358562820240514000001"
HOLDER = {"identificationNumber": "DK13585628", "name": "Nordisk Spedition A/S",
          "Address": {"streetAndNumber": "Industrivej 12", "postcode": "6330", "city": "Padborg", "country": "DK"}}
DEPARTURE = {"referenceNumber": "DK009264"}
DESTINATION = {"referenceNumber": "DE004058"}
HEADER = {"messageSender": "NTA.DK", "messageRecipient": "DK13585628",
          "preparationDateAndTime": "2024-05-14T08:31:00", "messageIdentification": "NTA-0000001"}
ITEM = {"goodsItemNumber": "1", "declarationGoodsItemNumber": "1",
        "Commodity": {"descriptionOfGoods": "Steel tubes", "GoodsMeasure": {"grossMass": "8200"}},
        "Packaging": [{"sequenceNumber": "1", "typeOfPackages": "PX", "numberOfPackages": "12"}]}
CONSIGNMENT = {"grossMass": "8200", "HouseConsignment": [{"sequenceNumber": "1", "grossMass": "8200", "ConsignmentItem": [ITEM]}]}
ERROR = {"errorPointer": "/CC015C/TransitOperation/LRN", "errorCode": "12", "errorReason": "R0001"}

OUTGOING = {
    "CC928C": {"TransitOperation": {"LRN": LRN, "MRN": MRN}, "CustomsOfficeOfDeparture": DEPARTURE,
               "HolderOfTheTransitProcedure": HOLDER},
    "CC028C": {"TransitOperation": {"LRN": LRN, "MRN": MRN, "declarationAcceptanceDate": "2024-05-14"},
               "CustomsOfficeOfDeparture": DEPARTURE, "HolderOfTheTransitProcedure": HOLDER},
    "CC029C": {"TransitOperation": {"LRN": LRN, "MRN": MRN, "declarationType": "T1", "additionalDeclarationType": "A",
                                    "declarationAcceptanceDate": "2024-05-14", "releaseDate": "2024-05-14",
                                    "security": "0", "reducedDatasetIndicator": "0", "bindingItinerary": "0",
                                    "limitDate": "2024-05-20"},
               "CustomsOfficeOfDeparture": DEPARTURE, "CustomsOfficeOfDestinationDeclared": DESTINATION,
               "HolderOfTheTransitProcedure": HOLDER,
               "ControlResult": {"code": "A1", "date": "2024-05-14", "controlledBy": "DK009264"},
               "Guarantee": [{"sequenceNumber": "1", "guaranteeType": "1", "GuaranteeReference": [
                   {"sequenceNumber": "1", "GRN": "24DK0000000000A18", "amountToBeCovered": "18500.00", "currency": "EUR"}]}],
               "Consignment": CONSIGNMENT},
    "CC055C": {"TransitOperation": {"MRN": MRN, "declarationAcceptanceDate": "2024-05-14"},
               "CustomsOfficeOfDeparture": DEPARTURE, "HolderOfTheTransitProcedure": HOLDER,
               "GuaranteeReference": [{"sequenceNumber": "1", "GRN": "24DK0000000000A18", "InvalidGuaranteeReason": [
                   {"sequenceNumber": "1", "code": "G02", "text": "Reference amount exceeded"}]}]},
    "CC056C": {"TransitOperation": {"LRN": LRN, "businessRejectionType": "015", "rejectionDateAndTime": "2024-05-14T08:31:00",
                                    "rejectionCode": "12"},
               "CustomsOfficeOfDeparture": DEPARTURE, "HolderOfTheTransitProcedure": HOLDER, "FunctionalError": [ERROR]},
    "CC009C": {"TransitOperation": {"LRN": LRN, "MRN": MRN},
               "Invalidation": {"decisionDateAndTime": "2024-05-14T09:30:00", "decision": "1", "initiatedByCustoms": "0"},
               "CustomsOfficeOfDeparture": DEPARTURE, "HolderOfTheTransitProcedure": HOLDER},
    "CC051C": {"TransitOperation": {"MRN": MRN, "declarationSubmissionDateAndTime": "2024-05-14T08:30:00",
                                    "noReleaseMotivationCode": "G1", "noReleaseMotivationText": "Guarantee not valid"},
               "CustomsOfficeOfDeparture": DEPARTURE, "HolderOfTheTransitProcedure": HOLDER},
    "CC060C": {"TransitOperation": {"MRN": MRN, "controlNotificationDateAndTime": "2024-05-14T09:00:00", "notificationType": "0"},
               "CustomsOfficeOfDeparture": DEPARTURE, "HolderOfTheTransitProcedure": HOLDER,
               "TypeOfControls": [{"sequenceNumber": "1", "type": "44", "text": "Fysisk kontrol"}]},
    "CC043C": {"TransitOperation": {"MRN": MRN, "security": "0", "reducedDatasetIndicator": "0"},
               "CustomsOfficeOfDestinationActual": DESTINATION, "TraderAtDestination": {"identificationNumber": "DE123456789012345"},
               "Consignment": CONSIGNMENT},
    "CC025C": {"TransitOperation": {"MRN": MRN, "releaseDate": "2024-05-16", "releaseIndicator": "1"},
               "CustomsOfficeOfDestinationActual": DESTINATION, "TraderAtDestination": {"identificationNumber": "DE123456789012345"}},
    "CC045C": {"TransitOperation": {"MRN": MRN, "writeOffDate": "2024-05-17"},
               "CustomsOfficeOfDeparture": DEPARTURE, "HolderOfTheTransitProcedure": HOLDER},
    "CC906C": {"Header": {"LRN": LRN}, "FunctionalError": [ERROR]},
    "CC917C": {"Header": {"LRN": LRN}, "XMLError": [{"errorLineNumber": 3, "errorColumnNumber": 0,
                                                     "errorPointer": "/CC015C", "errorCode": "14", "errorText": "Not well-formed"}]},
}


def test_every_outgoing_message_has_a_test_dict():
    assert set(OUTGOING) == set(CUSTOMS_MESSAGES)


@pytest.mark.parametrize("message_type", sorted(OUTGOING))
def test_outgoing_message_renders_and_validates_against_its_schema(message_type):
    data = {**HEADER, **OUTGOING[message_type]}
    xml = render(message_type, data)
    assert xml.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    root = etree.fromstring(xml)
    assert root.tag == f"{{http://ncts.dgtaxud.ec}}{message_type}" and root.prefix == "ncts"
    compiled_schema(message_type).assertValid(root.getroottree())
    assert validate_data(message_type, data) == []


@pytest.mark.parametrize("message_type", sorted(OUTGOING))
def test_outgoing_message_reads_back_to_the_same_data(message_type):
    data = {**HEADER, **OUTGOING[message_type]}
    parsed = parse_message(render(message_type, data))
    assert isinstance(parsed, ParsedMessage), parsed
    assert parsed.data["messageType"] == message_type


def test_render_refuses_data_the_schema_does_not_know():
    with pytest.raises(ValueError, match="colour"):
        render("CC928C", {**HEADER, **OUTGOING["CC928C"], "colour": "blue"})


def test_flags_may_be_given_as_booleans():
    data = {**HEADER, **OUTGOING["CC009C"]}
    data["Invalidation"] = {**data["Invalidation"], "decision": True, "initiatedByCustoms": False}
    assert validate_data("CC009C", data) == []
    assert b"<decision>1</decision>" in render("CC009C", data)
