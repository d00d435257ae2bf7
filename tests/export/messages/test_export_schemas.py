"""Our export schemas keep the agency's elements: names, order and cardinalities as in skat/dms-public.

The lists are transcribed from the agency's files named in docs/export-messages.md; each entry is
(name, minOccurs, maxOccurs)."""

from __future__ import annotations

import pytest

from toldsystem.export.messages.schemas import KINDS, compiled_schema, content_model

# Export XSDs/B1 XSDs/DMS_B1_v1.29.xsd, Declaration
B1 = [("Extensions", 0, 15), ("AcceptanceDateTime", 0, 1), ("FunctionCode", 1, 1), ("ProcedureCategory", 1, 1),
      ("FunctionalReferenceID", 1, 1), ("TypeCode", 1, 1), ("DeclarationOfficeID", 1, 1), ("InvoiceAmount", 1, 1),
      ("SpecificCircumstancesCodeCode", 0, 1), ("Submitter", 1, 1), ("AdditionalDocument", 0, 1), ("Agent", 0, 1),
      ("Authorisation", 0, 9), ("Consignment", 0, 1), ("CurrencyExchange", 0, 1), ("Declarant", 1, 1),
      ("ExitOffice", 1, 1), ("Exporter", 1, 1), ("GoodsShipment", 1, 1), ("PresentationOffice", 0, 1),
      ("SupervisingOffice", 0, 1), ("ExportOffice", 1, 1), ("SecurityCode", 1, 1)]
# Export XSDs/B1 XSDs/DMS_B1_Amendment_Correction_v1.29.xsd: the MRN after the LRN, the reason after Authorisation
AMENDMENT = [*B1[:5], ("ID", 1, 1), *B1[5:13], ("Amendment", 1, 1), *B1[13:]]
# Export XSDs/B1 XSDs/DMS_B1_Invalidation_v1.22.xsd
INVALIDATION = [("FunctionCode", 1, 1), ("ProcedureCategory", 1, 1), ("FunctionalReferenceID", 1, 1), ("ID", 1, 1),
                ("TypeCode", 1, 1), ("Submitter", 1, 1), ("Amendment", 0, 1)]
GOODS_SHIPMENT = [("Extensions", 0, 15), ("SupportingDocument", 0, 99), ("AdditionalReference", 0, 99),
                  ("AdditionalInformation", 0, 99), ("TransactionNatureCode", 0, 1),
                  ("AEOMutualRecognitionParty", 0, 99), ("Consignee", 0, 1), ("Consignment", 1, 1),
                  ("Consignor", 0, 1), ("Destination", 0, 1), ("ExportCountry", 0, 1), ("GoodsMeasure", 0, 1),
                  ("GovernmentAgencyGoodsItem", 1, 999), ("PreviousDocument", 0, 99), ("TradeTerms", 0, 1),
                  ("UCR", 0, 1), ("Warehouse", 0, 1)]
CONSIGNMENT = [("BorderTransportMeans", 1, 1), ("ContainerCode", 1, 1), ("DepartureTransportMeans", 0, 999),
               ("GoodsLocation", 0, 1), ("TransportEquipment", 0, 9999), ("TransportContractDocument", 0, 99),
               ("Freight", 0, 1)]
GOODS_LOCATION = [("Name", 0, 1), ("ID", 0, 1), ("TypeCode", 1, 1), ("IdentificationType", 1, 1), ("Address", 0, 1),
                  ("authorisationReferenceNumber", 0, 1), ("CustomsOffice", 0, 1), ("latitude", 0, 1),
                  ("longitude", 0, 1), ("EconomicOperator", 0, 1), ("Contact", 0, 1)]
GOODS_ITEM = [("SequenceNumeric", 1, 1), ("Extensions", 0, 15), ("StatisticalValueAmount", 0, 1),
              ("TransactionNatureCode", 0, 1), ("AdditionalInformation", 0, 99), ("AEOMutualRecognitionParty", 0, 99),
              ("Commodity", 1, 1), ("Consignee", 0, 1), ("Consignor", 0, 1), ("Destination", 0, 1),
              ("ExportCountry", 0, 1), ("GovernmentProcedure", 2, 100), ("Origin", 0, 1), ("Packaging", 1, 99),
              ("PreviousDocument", 0, 99), ("UCR", 0, 1), ("SupportingDocument", 0, 99),
              ("AdditionalReference", 0, 99), ("Authorisation", 0, 9), ("Freight", 0, 1),
              ("TransportContractDocument", 0, 99)]
COMMODITY = [("Description", 1, 1), ("Classification", 2, 99), ("DangerousGoods", 0, 99), ("DutyTaxFee", 0, 99),
             ("GoodsMeasure", 1, 1)]
ITEM_PREVIOUS_DOCUMENT = [("SequenceNumeric", 1, 1), ("WriteOff", 0, 1), ("ID", 1, 1), ("TypeCode", 1, 1),
                          ("LineNumeric", 0, 1)]
# Export XSDs/C1 XSDs/DMS_C1_v1.31.xsd: the declaration level is B1's but the invoice amount is optional
C1 = [*B1[:7], ("InvoiceAmount", 0, 1), *B1[8:]]
C1_GOODS_SHIPMENT = [*GOODS_SHIPMENT[:14], ("UCR", 0, 1)]  # no trade terms, no warehouse
C1_CONSIGNMENT = [("BorderTransportMeans", 0, 1), ("DepartureTransportMeans", 0, 999), ("GoodsLocation", 0, 1),
                  ("TransportEquipment", 0, 9999), ("TransportContractDocument", 0, 99), ("Freight", 0, 1)]
C1_GOODS_ITEM = [*GOODS_ITEM[:3], *GOODS_ITEM[4:]]  # no nature of transaction
C1_COMMODITY = [("Description", 1, 1), ("Classification", 2, 99), ("DangerousGoods", 0, 99), ("GoodsMeasure", 1, 1)]
ITEM_AUTHORISATION = [("SequenceNumeric", 1, 1), ("ID", 1, 1), ("Type", 1, 1), ("AuthorisationHolder", 1, 1)]


def listed(kind: str, *path: str) -> list[tuple[str, int, int | None]]:
    model = content_model(kind)
    type_key = model.root.type_key
    for name in path:
        type_key = model.child(type_key, name).type_key
    return [(d.name, d.min_occurs, d.max_occurs) for d in model.children(type_key)]


@pytest.mark.parametrize(("kind", "expected"), [("declaration", B1), ("simplified", C1), ("amendment", AMENDMENT),
                                                ("invalidation", INVALIDATION)])
def test_the_declaration_level_is_the_agencys(kind, expected):
    assert listed(kind) == expected


@pytest.mark.parametrize(("path", "expected"), [
    (("GoodsShipment",), GOODS_SHIPMENT), (("GoodsShipment", "Consignment"), CONSIGNMENT),
    (("GoodsShipment", "Consignment", "GoodsLocation"), GOODS_LOCATION),
    (("GoodsShipment", "GovernmentAgencyGoodsItem"), GOODS_ITEM),
    (("GoodsShipment", "GovernmentAgencyGoodsItem", "Commodity"), COMMODITY),
    (("GoodsShipment", "GovernmentAgencyGoodsItem", "PreviousDocument"), ITEM_PREVIOUS_DOCUMENT),
    (("GoodsShipment", "GovernmentAgencyGoodsItem", "Authorisation"), ITEM_AUTHORISATION),
])
def test_the_parts_are_the_agencys(path, expected):
    assert listed("declaration", *path) == expected
    assert listed("amendment", *path) == expected


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_compiles_and_has_a_root(kind):
    assert compiled_schema(kind) is not None
    assert content_model(kind).root.name in ("Declaration", "Notification", "CC507C")


@pytest.mark.parametrize(("path", "expected"), [
    (("GoodsShipment",), C1_GOODS_SHIPMENT), (("GoodsShipment", "Consignment"), C1_CONSIGNMENT),
    (("GoodsShipment", "Consignment", "GoodsLocation"), GOODS_LOCATION),
    (("GoodsShipment", "GovernmentAgencyGoodsItem"), C1_GOODS_ITEM),
    (("GoodsShipment", "GovernmentAgencyGoodsItem", "Commodity"), C1_COMMODITY),
    (("GoodsShipment", "GovernmentAgencyGoodsItem", "PreviousDocument"), ITEM_PREVIOUS_DOCUMENT),
    (("GoodsShipment", "GovernmentAgencyGoodsItem", "Origin"), [("SequenceNumeric", 1, 1), ("CountryCode", 1, 1)]),
    (("GoodsShipment", "Consignment", "BorderTransportMeans"),
     [("ID", 0, 1), ("IdentificationTypeCode", 0, 1), ("RegistrationNationalityCode", 0, 1)]),
])
def test_the_simplified_parts_are_the_agencys(path, expected):
    assert listed("simplified", *path) == expected


# Export XSDs/Exit XSDs/IE Messages/IE507.xsd, CC507C (AES P1 51.8.6)
CC507C = [("messageSender", 1, 1), ("messageRecipient", 1, 1), ("preparationDateAndTime", 1, 1),
          ("messageIdentification", 1, 1), ("messageType", 1, 1), ("correlationIdentifier", 0, 1),
          ("ExportOperation", 1, 1), ("Authorisation", 0, 9), ("CustomsOfficeOfExitActual", 1, 1),
          ("GoodsShipment", 1, 1)]
EXPORT_OPERATION = [("MRN", 1, 1), ("arrivalNotificationDateAndTime", 1, 1), ("arrivalNotificationPlace", 0, 1),
                    ("storingFlag", 1, 1), ("discrepanciesExist", 1, 1)]
ARRIVAL_CONSIGNMENT = [("modeOfTransportAtTheBorder", 0, 1), ("referenceNumberUCR", 0, 1), ("ExitCarrier", 1, 1),
                       ("TransportEquipment", 0, 9999), ("LocationOfGoods", 1, 9), ("ActiveBorderTransportMeans", 0, 1),
                       ("TransportDocument", 0, 99)]
ARRIVAL_GOODS_ITEM = [("declarationGoodsItemNumber", 1, 1), ("referenceNumberUCR", 0, 1), ("Authorisation", 0, 9),
                      ("Commodity", 0, 1), ("Packaging", 0, 99), ("TransportDocument", 0, 99)]


@pytest.mark.parametrize(("path", "expected"), [
    ((), CC507C), (("ExportOperation",), EXPORT_OPERATION), (("GoodsShipment", "Consignment"), ARRIVAL_CONSIGNMENT),
    (("GoodsShipment", "GoodsItem"), ARRIVAL_GOODS_ITEM)])
def test_the_arrival_at_exit_is_the_agencys(path, expected):
    assert listed("arrival_at_exit", *path) == expected


def test_the_arrival_at_exit_elements_are_unqualified_under_an_ecs_root():
    model = content_model("arrival_at_exit")
    assert model.root.namespace == "http://ecs.dgtaxud.ec"
    assert {d.namespace for d in model.children(model.root.type_key)} == {None}


# Notification XSDs/Export/common/trader-portal-common.xsd @ 7712b93, Notification and DeclarationType
NOTIFICATION = [("NotificationEventType", 1, 1), ("NotificationSID", 1, 1), ("Declaration", 1, 1),
                ("Control", 0, None), ("Error", 0, None), ("AdditionalInformation", 0, 1), ("CustomsPosition", 0, 1),
                ("NotificationCreatedDate", 0, 1), ("IssueDateTime", 0, 1), ("DueDate", 0, 1),
                ("AdditionalDocument", 0, None), ("AdditionalMessage", 0, 1)]
NOTIFICATION_DECLARATION = [("EffectiveDateTime", 0, 1), ("MRN", 0, 1), ("LRN", 0, 1), ("CustomsOfficeOfExport", 0, 1),
                            ("Exporter", 0, 1), ("Declarant", 0, 1), ("Agent", 0, 1), ("VersionID", 0, 1),
                            ("SubmitterReferenceNumber", 0, 1), ("AcceptanceDateTime", 0, 1),
                            ("CancellationDateTime", 0, 1), ("RejectionDateTime", 0, 1), ("DutyTaxFee", 0, 1),
                            ("GoodsShipment", 0, 1), ("amendment", 0, None), ("TimerExpirationInfo", 0, 1),
                            ("SubmitterID", 0, 1)]


@pytest.mark.parametrize(("path", "expected"), [((), NOTIFICATION), (("Declaration",), NOTIFICATION_DECLARATION),
                                                (("CustomsPosition",), [("ID", 0, 1), ("Type", 0, 1)])])
def test_the_export_notification_is_the_agencys(path, expected):
    assert listed("notification", *path) == expected
