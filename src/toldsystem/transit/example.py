"""A complete, valid CC015C for a known holder and guarantee: for the demo, the docs, tests and benchmarks."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from toldsystem.core import clock

GOODS = [
    ("Bærbare computere", "847130", "CT"), ("Computerskærme", "852852", "CT"), ("Kontorstole", "940139", "PX"),
    ("Rapsolie i tankcontainer", "151411", "VL"), ("Byggestål, ikke emballeret", "721420", "NE"),
]


def _address(street: str, postcode: str, city: str, country: str) -> dict:
    return {"streetAndNumber": street, "postcode": postcode, "city": city, "country": country}


def _item(number: int) -> dict:
    description, hs, package = GOODS[(number - 1) % len(GOODS)]
    packaging: dict = {"sequenceNumber": "1", "typeOfPackages": package}
    if package == "NE":  # C0060: unpacked goods count their pieces as the number of packages; no marks
        packaging.update(numberOfPackages="12")
    elif package != "VL":  # bulk goods state no number of packages (C0060, box 31)
        packaging.update(numberOfPackages=str(10 * number), shippingMarks=f"PS-{number}")
    item = {
        "goodsItemNumber": str(number), "declarationGoodsItemNumber": str(number),
        "Commodity": {"descriptionOfGoods": description, "CommodityCode": {"harmonizedSystemSubHeadingCode": hs},
                      "GoodsMeasure": {"grossMass": f"{100 * number}.5", "netMass": f"{90 * number}"}},
        "Packaging": [packaging],
        "SupportingDocument": [{"sequenceNumber": "1", "type": "N380", "referenceNumber": f"INV-{number:04d}"}],
    }
    return item


def example_declaration(holder: str, holder_name: str, grn: str, access_code: str, *, lrn: str | None = None,
                        items: int = 2, amount: str = "1000.00", authorised_consignor: bool = False,
                        destination: str = "DE004851", today: date | None = None,
                        representative: str | None = None) -> dict:
    """A T1 from Padborg (DK009264) to Hamburg in one sealed container, ready to send as JSON or XML; with a
    `representative`, lodged by it in the holder's name (it is then the messageSender)."""
    today = today or clock.local(clock.now()).date()
    now = datetime.combine(today, clock.local(clock.now()).time()).replace(microsecond=0)
    lrn = lrn or f"{holder[2:10]}{today:%Y%m%d}{uuid.uuid4().int % 1_000_000:06d}"
    goods = [_item(n) for n in range(1, items + 1)]
    gross = sum(float(g["Commodity"]["GoodsMeasure"]["grossMass"]) for g in goods)
    operation = {"LRN": lrn, "declarationType": "T1", "additionalDeclarationType": "A", "security": "0",
                 "reducedDatasetIndicator": "0", "communicationLanguageAtDeparture": "DA", "bindingItinerary": "0"}
    data: dict = {
        "messageSender": representative or holder, "messageRecipient": "NTA.DK", "preparationDateAndTime": now.isoformat(),
        "messageIdentification": uuid.uuid4().hex[:35], "messageType": "CC015C",
        "TransitOperation": operation,
    }
    if authorised_consignor:
        operation["limitDate"] = (today + timedelta(days=5)).isoformat()  # box D: at most 8 days
        data["Authorisation"] = [{"sequenceNumber": "1", "type": "C521", "referenceNumber": f"DKACR{holder[2:]}"}]
    data.update({
        "CustomsOfficeOfDeparture": {"referenceNumber": "DK009264"},
        "CustomsOfficeOfDestinationDeclared": {"referenceNumber": destination},
        "HolderOfTheTransitProcedure": {"identificationNumber": holder, "name": holder_name,
                                        "Address": _address("Industrivej 12", "6330", "Padborg", "DK")},
        **({"Representative": {"identificationNumber": representative, "status": "2"}} if representative else {}),
        "Guarantee": [{"sequenceNumber": "1", "guaranteeType": "1", "GuaranteeReference": [
            {"sequenceNumber": "1", "GRN": grn, "accessCode": access_code, "amountToBeCovered": amount,
             "currency": "EUR"}]}],
        "Consignment": {
            "countryOfDispatch": "DK", "countryOfDestination": destination[:2], "containerIndicator": "1",
            "inlandModeOfTransport": "3", "grossMass": f"{gross:.1f}",
            "Consignor": {"name": "Jysk Elektronik ApS", "Address": _address("Fabriksvej 2", "7100", "Vejle", "DK")},
            "Consignee": {"name": "Hamburger Handel GmbH",
                          "Address": _address("Hafenstraße 5", "21129", "Hamburg", destination[:2])},
            "TransportEquipment": [{"sequenceNumber": "1", "containerIdentificationNumber": "MSKU1234565",
                                    "numberOfSeals": "2",
                                    "Seal": [{"sequenceNumber": "1", "identifier": "DK0001"},
                                             {"sequenceNumber": "2", "identifier": "DK0002"}]}],
            "DepartureTransportMeans": [{"sequenceNumber": "1", "typeOfIdentification": "30",
                                         "identificationNumber": "AB12345", "nationality": "DK"}],
            "ActiveBorderTransportMeans": [{"sequenceNumber": "1", "customsOfficeAtBorderReferenceNumber": "DK009264",
                                            "typeOfIdentification": "30", "identificationNumber": "AB12345",
                                            "nationality": "DK"}],
            "HouseConsignment": [{"sequenceNumber": "1", "grossMass": f"{gross:.1f}", "ConsignmentItem": goods}],
        },
    })
    return data


def example_arrival(mrn: str, trader: str, office: str = "DE004851", simplified: bool = True) -> dict:
    """A CC007C arrival notification for a released movement."""
    now = clock.local(clock.now()).replace(microsecond=0, tzinfo=None)
    arrival = {"messageSender": trader, "messageRecipient": "NTA.DK", "preparationDateAndTime": now.isoformat(),
               "messageIdentification": uuid.uuid4().hex[:35], "messageType": "CC007C",
               "TransitOperation": {"MRN": mrn, "arrivalNotificationDateAndTime": now.isoformat(),
                                    "simplifiedProcedure": "1" if simplified else "0", "incidentFlag": "0"}}
    if simplified:  # C0102: the authorised consignee names its authorisation (C522, ACE)
        arrival["Authorisation"] = [{"sequenceNumber": "1", "type": "C522", "referenceNumber": f"ACE{trader}"}]
    return arrival | {
        "CustomsOfficeOfDestinationActual": {"referenceNumber": office},
        "TraderAtDestination": {"identificationNumber": trader},
        "Consignment": {"LocationOfGoods": {"typeOfLocation": "B", "qualifierOfIdentification": "Y",
                                            "authorisationNumber": f"ACE{trader}"}}}
