"""Every coded element is checked against its official code list (error code 12).

The official schemas annotate each coded element with its list (e.g. typeOfPackages: CL017);
the tables below are ours, element path -> list id, for the messages traders send. A path
marks repeated elements with "[]". NATIONAL_CODES adds the few codes the Danish DMS takes beside
an official list. The customs-office lists (CL141, CL171-CL175) are not
here: the office rules check those elements with the roles the offices have. A list that
is not loaded is not checked (see facts.py).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from toldsystem.core.errors import Problem
from toldsystem.transit.declaration import Declaration
from toldsystem.transit.declaration.pointers import Place, pointer_of
from toldsystem.transit.rules.facts import Result, RuleContext, transit_problem

# Codes the Danish DMS takes beside a list's official ones.
NATIONAL_CODES: Mapping[str, frozenset[str]] = {
    # The agency's own authorised-consignor template (skat/dms-public, "IE015-GA skabelon") names the
    # comprehensive-guarantee authorisation CGU (C505) beside ACR (C521); the official CL235 holds C521,
    # C523 and C524 only.
    "CL235": frozenset({"C505"}),
}

_CONSIGNMENT_ITEM = "Consignment/HouseConsignment[]/ConsignmentItem[]"
_HOUSE = "Consignment/HouseConsignment[]"

DECLARATION_LISTS: Mapping[str, str] = {
    "TransitOperation/declarationType": "CL231",
    "TransitOperation/additionalDeclarationType": "CL042",
    "TransitOperation/security": "CL217",
    "TransitOperation/reducedDatasetIndicator": "CL027",
    "TransitOperation/specificCircumstanceIndicator": "CL296",
    "TransitOperation/communicationLanguageAtDeparture": "CL192",
    "TransitOperation/bindingItinerary": "CL027",
    "TransitOperation/amendmentTypeFlag": "CL027",
    "Authorisation[]/type": "CL235",
    "HolderOfTheTransitProcedure/Address/country": "CL248",
    "Representative/status": "CL094",
    "Guarantee[]/guaranteeType": "CL251",
    "Guarantee[]/GuaranteeReference[]/currency": "CL048",
    "Consignment/countryOfDispatch": "CL008",
    "Consignment/countryOfDestination": "CL008",
    "Consignment/containerIndicator": "CL027",
    "Consignment/inlandModeOfTransport": "CL218",
    "Consignment/modeOfTransportAtTheBorder": "CL218",
    "Consignment/Consignor/Address/country": "CL248",
    "Consignment/Consignee/Address/country": "CL248",
    "Consignment/AdditionalSupplyChainActor[]/role": "CL704",
    "Consignment/LocationOfGoods/typeOfLocation": "CL347",
    "Consignment/LocationOfGoods/qualifierOfIdentification": "CL326",
    "Consignment/LocationOfGoods/UNLocode": "CL244",
    "Consignment/LocationOfGoods/Address/country": "CL009",
    "Consignment/LocationOfGoods/PostcodeAddress/country": "CL190",
    "Consignment/DepartureTransportMeans[]/typeOfIdentification": "CL750",
    "Consignment/DepartureTransportMeans[]/nationality": "CL165",
    "Consignment/CountryOfRoutingOfConsignment[]/country": "CL008",
    "Consignment/ActiveBorderTransportMeans[]/typeOfIdentification": "CL219",
    "Consignment/ActiveBorderTransportMeans[]/nationality": "CL165",
    "Consignment/PlaceOfLoading/UNLocode": "CL244",
    "Consignment/PlaceOfLoading/country": "CL008",
    "Consignment/PlaceOfUnloading/UNLocode": "CL244",
    "Consignment/PlaceOfUnloading/country": "CL008",
    "Consignment/PreviousDocument[]/type": "CL214",
    "Consignment/SupportingDocument[]/type": "CL213",
    "Consignment/TransportDocument[]/type": "CL754",
    "Consignment/AdditionalReference[]/type": "CL380",
    "Consignment/AdditionalInformation[]/code": "CL239",
    "Consignment/TransportCharges/methodOfPayment": "CL116",
    f"{_HOUSE}/countryOfDispatch": "CL008",
    f"{_HOUSE}/countryOfDestination": "CL008",
    f"{_HOUSE}/Consignor/Address/country": "CL248",
    f"{_HOUSE}/Consignee/Address/country": "CL248",
    f"{_HOUSE}/AdditionalSupplyChainActor[]/role": "CL704",
    f"{_HOUSE}/DepartureTransportMeans[]/typeOfIdentification": "CL750",
    f"{_HOUSE}/DepartureTransportMeans[]/nationality": "CL165",
    f"{_HOUSE}/PreviousDocument[]/type": "CL228",
    f"{_HOUSE}/SupportingDocument[]/type": "CL213",
    f"{_HOUSE}/TransportDocument[]/type": "CL754",
    f"{_HOUSE}/AdditionalReference[]/type": "CL380",
    f"{_HOUSE}/AdditionalInformation[]/code": "CL239",
    f"{_HOUSE}/TransportCharges/methodOfPayment": "CL116",
    f"{_CONSIGNMENT_ITEM}/declarationType": "CL232",
    f"{_CONSIGNMENT_ITEM}/countryOfDispatch": "CL008",
    f"{_CONSIGNMENT_ITEM}/countryOfDestination": "CL008",
    f"{_CONSIGNMENT_ITEM}/Consignee/Address/country": "CL248",
    f"{_CONSIGNMENT_ITEM}/AdditionalSupplyChainActor[]/role": "CL704",
    f"{_CONSIGNMENT_ITEM}/Commodity/cusCode": "CL016",
    f"{_CONSIGNMENT_ITEM}/Commodity/CommodityCode/harmonizedSystemSubHeadingCode": "CL152",
    f"{_CONSIGNMENT_ITEM}/Commodity/DangerousGoods[]/UNNumber": "CL101",
    f"{_CONSIGNMENT_ITEM}/Packaging[]/typeOfPackages": "CL017",
    f"{_CONSIGNMENT_ITEM}/PreviousDocument[]/type": "CL214",
    f"{_CONSIGNMENT_ITEM}/PreviousDocument[]/typeOfPackages": "CL017",
    f"{_CONSIGNMENT_ITEM}/PreviousDocument[]/measurementUnitAndQualifier": "CL349",
    f"{_CONSIGNMENT_ITEM}/SupportingDocument[]/type": "CL213",
    f"{_CONSIGNMENT_ITEM}/TransportDocument[]/type": "CL754",
    f"{_CONSIGNMENT_ITEM}/AdditionalReference[]/type": "CL380",
    f"{_CONSIGNMENT_ITEM}/AdditionalInformation[]/code": "CL239",
    f"{_CONSIGNMENT_ITEM}/TransportCharges/methodOfPayment": "CL116",
}

ARRIVAL_LISTS: Mapping[str, str] = {  # CC007C
    "TransitOperation/simplifiedProcedure": "CL027",
    "TransitOperation/incidentFlag": "CL027",
    "Authorisation[]/type": "CL236",
    "TraderAtDestination/communicationLanguageAtDestination": "CL192",
    "Consignment/LocationOfGoods/typeOfLocation": "CL347",
    "Consignment/LocationOfGoods/qualifierOfIdentification": "CL326",
    "Consignment/LocationOfGoods/UNLocode": "CL244",
    "Consignment/LocationOfGoods/Address/country": "CL009",
    "Consignment/LocationOfGoods/PostcodeAddress/country": "CL190",
    "Consignment/Incident[]/code": "CL019",
    "Consignment/Incident[]/Endorsement/country": "CL009",
    "Consignment/Incident[]/Location/qualifierOfIdentification": "CL038",
    "Consignment/Incident[]/Location/UNLocode": "CL244",
    "Consignment/Incident[]/Location/country": "CL009",
    "Consignment/Incident[]/Transhipment/containerIndicator": "CL027",
    "Consignment/Incident[]/Transhipment/TransportMeans/typeOfIdentification": "CL750",
    "Consignment/Incident[]/Transhipment/TransportMeans/nationality": "CL165",
}

UNLOADING_REMARKS_LISTS: Mapping[str, str] = {  # CC044C
    "UnloadingRemark/conform": "CL027",
    "UnloadingRemark/unloadingCompletion": "CL027",
    "UnloadingRemark/stateOfSeals": "CL027",
    "Consignment/DepartureTransportMeans[]/typeOfIdentification": "CL750",
    "Consignment/DepartureTransportMeans[]/nationality": "CL165",
    "Consignment/SupportingDocument[]/type": "CL213",
    "Consignment/TransportDocument[]/type": "CL754",
    "Consignment/AdditionalReference[]/type": "CL380",
    f"{_HOUSE}/DepartureTransportMeans[]/typeOfIdentification": "CL750",
    f"{_HOUSE}/DepartureTransportMeans[]/nationality": "CL165",
    f"{_HOUSE}/SupportingDocument[]/type": "CL213",
    f"{_HOUSE}/TransportDocument[]/type": "CL754",
    f"{_HOUSE}/AdditionalReference[]/type": "CL380",
    f"{_CONSIGNMENT_ITEM}/Commodity/cusCode": "CL016",
    f"{_CONSIGNMENT_ITEM}/Commodity/CommodityCode/harmonizedSystemSubHeadingCode": "CL152",
    f"{_CONSIGNMENT_ITEM}/Packaging[]/typeOfPackages": "CL017",
    f"{_CONSIGNMENT_ITEM}/SupportingDocument[]/type": "CL213",
    f"{_CONSIGNMENT_ITEM}/TransportDocument[]/type": "CL754",
    f"{_CONSIGNMENT_ITEM}/AdditionalReference[]/type": "CL380",
}

INVALIDATION_LISTS: Mapping[str, str] = {  # CC014C
    "Invalidation/decision": "CL027",
    "Invalidation/initiatedByCustoms": "CL027",
    "HolderOfTheTransitProcedure/Address/country": "CL248",
}


def coded_elements_are_in_their_code_lists(decl: Declaration, ctx: RuleContext) -> Result:
    """R/C rules name each element's list (CL008, CL017, CL251 ...): every coded value is one of its list's codes."""
    return code_list_problems(decl.source, decl.root, DECLARATION_LISTS, ctx)


class _Step:
    """One element of the paths in a table: the lists of its leaves and the steps below it."""

    __slots__ = ("leaves", "children")

    def __init__(self) -> None:
        self.leaves: dict[str, str] = {}
        self.children: dict[str, tuple[bool, _Step]] = {}  # name -> (repeated, step)


def _compiled(lists: Mapping[str, str]) -> _Step:
    """The table as a tree, so that one walk of the message visits each element once."""
    root = _Step()
    for path, list_id in lists.items():
        *groups, leaf = path.split("/")
        step = root
        for group in groups:
            name, repeated = group.removesuffix("[]"), group.endswith("[]")
            step = step.children.setdefault(name, (repeated, _Step()))[1]
        step.leaves[leaf] = list_id
    return root


_TREES: dict[int, tuple[Mapping[str, str], _Step]] = {}


def code_list_problems(data: dict, root: str, lists: Mapping[str, str], ctx: RuleContext) -> list[Problem]:
    """Every value at a path of `lists` that its (loaded) code list does not hold, pointed at."""
    known = _TREES.get(id(lists))
    if known is None or known[0] is not lists:
        known = _TREES[id(lists)] = (lists, _compiled(lists))
    found: list[Problem] = []
    _check(data, root, known[1], {}, ctx, found)
    return found


def _check(node: dict, at: Place, step: _Step, codes: dict[str, Collection[str]], ctx: RuleContext,
           found: list[Problem]) -> None:
    for leaf, list_id in step.leaves.items():
        value = node.get(leaf)
        if value is None:
            continue
        if value.__class__ is not str:
            if isinstance(value, (dict, list)):
                continue
            value = str(value)
        allowed = codes.get(list_id)
        if allowed is None:
            allowed = codes[list_id] = _with_national(list_id, ctx.codes(list_id))
        if allowed and value not in allowed:
            text = value.strip()
            if text and text not in allowed:
                found.append(transit_problem("code_list.unknown", f"{pointer_of(at)}/{leaf}",
                                             f"{text!r} is not a code of list {list_id}",
                                             f"{text!r} er ikke en kode i liste {list_id}"))
    for name, (repeated, below) in step.children.items():
        child = node.get(name)
        if child is None:
            continue
        if repeated:
            for index, entry in enumerate(child if child.__class__ is list else [child], start=1):
                if entry.__class__ is dict:
                    _check(entry, (at, name, index), below, codes, ctx, found)
        else:
            if child.__class__ is list:  # lenient JSON: a single element as a list of one
                child = child[0] if child else None
            if child.__class__ is dict:
                _check(child, (at, name, 0), below, codes, ctx, found)


def _with_national(list_id: str, official: Collection[str]) -> Collection[str]:
    """A loaded list with the codes the DMS takes beside it (NATIONAL_CODES); a list not loaded stays unchecked."""
    national = NATIONAL_CODES.get(list_id)
    return frozenset(official) | national if official and national else official


RULES = (coded_elements_are_in_their_code_lists,)
