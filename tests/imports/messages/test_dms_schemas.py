"""Our schemas keep the agency's elements: names, order and cardinalities as in skat/dms-public.

The lists here are transcribed from the agency's files named in docs/imports-messages.md (no tool reads
their files: they are not in the project); each is (name, minOccurs, maxOccurs or None for unbounded)."""

from __future__ import annotations

import pytest

from toldsystem.imports.messages.schemas import ContentModel, content_model

# Import XSDs/H1_XSDS/DMS_H1_V2.5.xsd, Declaration
H1 = [("Extensions", 0, 15), ("AcceptanceDateTime", 0, 1), ("FunctionCode", 1, 1), ("ProcedureCategory", 1, 1),
      ("FunctionalReferenceID", 1, 1), ("TypeCode", 1, 1), ("DeclarationOfficeID", 1, 1), ("InvoiceAmount", 0, 1),
      ("Submitter", 1, 1), ("Agent", 0, 1), ("Authorisation", 0, 99), ("CurrencyExchange", 0, 1),
      ("Declarant", 1, 1), ("GoodsShipment", 1, 1), ("ObligationGuarantee", 0, 99), ("PresentationOffice", 0, 1),
      ("SupervisingOffice", 0, 1), ("AdmissionUseProcessingAuthorisation", 0, 1)]
# Import XSDs/H1_XSDS/DMS_H1_AMENDMENT_CORRECTION_V2.5.xsd, Declaration: H1 with the MRN and the reason
AMENDMENT = [*H1[:5], ("ID", 1, 1), *H1[5:11], ("Amendment", 1, 1), *H1[11:]]
# Import XSDs/H1_XSDS/DMS_H1_INVALIDATION_AND_REPAYMENT_V1.2.xsd, Declaration
INVALIDATION = [("FunctionCode", 1, 1), ("ProcedureCategory", 1, 1), ("FunctionalReferenceID", 1, 1), ("ID", 1, 1),
                ("TypeCode", 1, 1), ("Submitter", 1, 1), ("Amendment", 1, 1),
                ("RepaymentRemissionAuthorisation", 1, 1)]
GOODS_SHIPMENT = [("SupportingDocument", 0, 99), ("AdditionalReference", 0, 99), ("AdditionalInformation", 0, 99),
                  ("TransactionNatureCode", 0, 1), ("AEOMutualRecognitionParty", 0, 99), ("Buyer", 0, 1),
                  ("Consignment", 1, 1), ("Consignor", 0, 1), ("CustomsValuation", 0, 1), ("Destination", 0, 1),
                  ("DomesticDutyTaxParty", 0, 99), ("GoodsMeasure", 0, 1), ("GovernmentAgencyGoodsItem", 1, 9999),
                  ("Importer", 1, 1), ("Payer", 0, 1), ("PreviousDocument", 0, 99), ("Seller", 0, 1),
                  ("Surety", 0, 1), ("TradeTerms", 1, 1), ("UCR", 0, 1), ("Warehouse", 0, 1),
                  ("DispatchCountry", 0, 1)]
GOODS_ITEM = [("SequenceNumeric", 1, 1), ("StatisticalValueAmount", 1, 1), ("TransactionNatureCode", 0, 1),
              ("AdditionalInformation", 0, 99), ("AEOMutualRecognitionParty", 0, 99), ("Buyer", 0, 1),
              ("Commodity", 1, 1), ("Consignor", 0, 1), ("CustomsValuation", 1, 1), ("Destination", 0, 1),
              ("DomesticDutyTaxParty", 0, 99), ("GovernmentProcedure", 2, 100), ("Origin", 0, 2),
              ("Packaging", 1, 99), ("PreviousDocument", 0, 99), ("Seller", 0, 1), ("UCR", 0, 1),
              ("ValuationAdjustment", 0, 1), ("DispatchCountry", 0, 1), ("SupportingDocument", 0, 99),
              ("AdditionalReference", 0, 99), ("Authorisation", 0, 99), ("TransportContractDocument", 0, 99)]
COMMODITY = [("Description", 1, 1), ("Classification", 3, 202), ("DutyTaxFee", 0, 99), ("GoodsMeasure", 1, 1),
             ("InvoiceLine", 1, 1)]
CONSIGNMENT = [("BorderTransportMeans", 1, 1), ("ContainerCode", 1, 1), ("ArrivalTransportMeans", 0, 1),
               ("GoodsLocation", 1, 1), ("TransportEquipment", 0, 9999), ("TransportContractDocument", 0, 99)]
# Import XSDs/APPLICATION_XSDS/8F_TEMPORARYADMISSION_ENDUSE_INWARDPROCESSING_OUTWARDPROCESSING.xsd (the two
# import duty elements are a choice: each optional here)
ADMISSION = [("CustomsOfficesOfDischarge", 0, 999), ("IdentificationOfGoods", 0, 999),
             ("DetailsOfPlannedActivities", 0, 1), ("DetailsOfPlannedActivitiesEUCDM7", 0, 99),
             ("AdditionalInformation", 0, 1), ("GoodsOwner", 0, 99),
             ("PlaceWhereMainAccountsForCustomsPurposesAreHeldOrAccessible", 0, 1),
             ("FirstPlaceOfUseOrProcessing", 0, 1), ("PlaceOfProcessingOrUse", 0, 999), ("DischargePeriod", 0, 1),
             ("YieldRate", 0, 999), ("ProcessedProducts", 0, 999), ("EconomicConditions", 0, 999),
             ("ImportDuty", 0, 1), ("ImportDutyEUCDM7", 0, 1), ("PlaceWhereRecordsAreKept", 0, 99)]
# Import XSDs/APPLICATION_XSDS/4C_REPAYMENT_REMISSION.xsd, RepaymentRemissionAuthorisation
REPAYMENT = [("ApplicationCodeType", 1, 1), ("DecisionCodeType", 0, 1), ("ApplicationSignature", 0, 1),
             ("DecisionSignature", 0, 1), ("DecisionReferenceNumber", 0, 1), ("DecisionCustomsAuthority", 0, 1),
             ("AttachedDocument", 0, 999), ("ApplicationHolder", 0, 1), ("DecisionHolder", 0, 1),
             ("ApplicationHolderId", 0, 1), ("DecisionHolderId", 0, 1), ("ApplicationSupervisor", 0, 1),
             ("ApplicationDate", 0, 1), ("DecisionDate", 0, 1), ("GeneralRemarks", 0, 1), ("Representative", 0, 1),
             ("RepresentativeId", 0, 1), ("GoodsLocation", 0, 9999), ("TraderCommodityCode", 0, 999),
             ("CustomsCommodityCode", 0, 1), ("GoodsDescription", 0, 999), ("TraderGoodsQuantity", 0, 999),
             ("CustomsGoodsQuantity", 0, 1), ("AdditionalInformation", 0, 1), ("RecoveryTitle", 0, 999),
             ("CustomsOfficeNotified", 0, 1), ("CustomsOfficeLocation", 0, 1), ("CustomsOfficeComments", 0, 1),
             ("CustomsProcedure", 0, 1), ("CustomsValue", 0, 1), ("AmountDuty", 1, 1), ("DutyType", 0, 99),
             ("LegalBasis", 1, 1), ("GoodsDestination", 0, 1), ("CompletionTimeLimit", 0, 1),
             ("CustomsStatement", 0, 1), ("TraderGroundsDescription", 0, 1), ("CustomsGroundsDescription", 0, 1),
             ("BankDetails", 0, 1)]
# Notification XSDs/Import/common/trader-portal-common.xsd, Notification
NOTIFICATION = [("NotificationEventType", 1, 1), ("NotificationSID", 1, 1), ("Declaration", 1, 1),
                ("ControlResult", 0, None), ("AdmissionUseProcessingAuthorisation", 0, 1), ("Control", 0, None),
                ("Error", 0, None), ("AdditionalInformation", 0, 1), ("CustomsPosition", 0, 1),
                ("NotificationCreatedDate", 0, 1), ("IssueDateTime", 0, 1), ("GoodsItemsReleaseIndicators", 0, 1),
                ("DueDate", 0, 1), ("AdditionalDocument", 0, None), ("AdditionalMessage", 0, 1),
                ("Goodsitem", 0, None)]


def _children(model: ContentModel, *path: str) -> list[tuple[str, int, int | None]]:
    type_key = model.root.type_key
    for name in path:
        type_key = model.child(type_key, name).type_key
    return [(d.name, d.min_occurs, d.max_occurs) for d in model.children(type_key)]


@pytest.mark.parametrize(("kind", "path", "expected"), [
    ("declaration", (), H1),
    ("amendment", (), AMENDMENT),
    ("invalidation", (), INVALIDATION),
    ("invalidation", ("RepaymentRemissionAuthorisation",), REPAYMENT),
    ("declaration", ("AdmissionUseProcessingAuthorisation",), ADMISSION),
    ("declaration", ("AdmissionUseProcessingAuthorisation", "GoodsOwner"),
     [("Name", 1, 1), ("StreetAndNumber", 1, 1), ("CountryCode", 1, 1), ("PostCode", 1, 1), ("City", 1, 1),
      ("SequenceNumeric", 1, 1)]),
    ("declaration", ("GoodsShipment",), GOODS_SHIPMENT),
    ("amendment", ("GoodsShipment",), GOODS_SHIPMENT),
    ("declaration", ("GoodsShipment", "GovernmentAgencyGoodsItem"), GOODS_ITEM),
    ("declaration", ("GoodsShipment", "GovernmentAgencyGoodsItem", "Commodity"), COMMODITY),
    ("declaration", ("GoodsShipment", "Consignment"), CONSIGNMENT),
    ("notification", (), NOTIFICATION),
])
def test_the_agency_elements_are_all_there_in_their_order(kind, path, expected):
    assert _children(content_model(kind), *path) == expected


def test_leaves_that_carry_attributes_know_them():
    model = content_model("declaration")
    item = model.child(model.child(model.root.type_key, "GoodsShipment").type_key, "GovernmentAgencyGoodsItem")
    value = model.child(item.type_key, "StatisticalValueAmount")
    assert value.type_key is None and value.attributes == {"currencyID"}
    date = model.child(model.child(item.type_key, "PreviousDocument").type_key, "AcceptanceDateTime")
    assert [(d.name, d.attributes) for d in model.children(date.type_key)] == [("DateTimeString", {"formatCode"})]
