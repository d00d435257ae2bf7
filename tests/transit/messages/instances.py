"""Messages of any of the 33 types, built from our content model: every element (full) or only the
required ones (minimal), with a valid value for each simple type, in the data shape of convert.py."""

from __future__ import annotations

from typing import Any

from toldsystem.transit.messages.schemas import ElementDecl, content_model

# One valid value per simple type of types.xsd (and the built-ins the DMS extensions use). Texts
# carry inner spaces where the type allows them, as real senders' postcodes, LRNs and names do.
VALUES = {
    "TrimmedText2Exactly": "A1", "TrimmedText4": "A 1", "TrimmedText4Exactly": "AB12", "TrimmedText17": "GB DEP E20 1HZ",
    "TrimmedText20": "SEAL 0001 A", "TrimmedText22": "LRN 2024 DK 0001", "TrimmedText35": "Padborg Transport Center",
    "TrimmedText70": "Nordisk Spedition A/S", "TrimmedText512": "Steel tubes, seamless, in bundles",
    "Text2Exactly": "01", "Text3": "A10", "Text4": "1234", "Text5": "T2F", "Text7": "R0001", "Text17": "DE 123 456",
    "Text20": "SEAL 0002", "Text22": "LRN 2024 DK 0002", "Text35": "Hamburg Hafen", "Text70": "Hamburger Str. 4",
    "Text512": "Control by the office of departure", "CountryPrefixedIdentifier17": "DK13585628",
    "Printable17": "CONV 123", "Printable35": "UCR 24 DK 0001", "PrintableTrimmed17": "REF 17 A",
    "PrintableTrimmed35": "24DK UCR 0001 A", "Code2": "1A", "Code3": "A20", "Code4": "N380", "Code5": "20300",
    "Code6": "CC015C", "Code8": "73042300", "Code9": "AB1234567", "Digit": "3", "Digits1To2": "10", "Digits2": "30",
    "Letter": "B", "Letters1To3": "T", "Letters2": "da", "Letters3": "EUR", "Token3": "T2F", "Token4": "C521",
    "Token5": "T2SM", "Token17": "DKCPH", "Token35": "+45 70 12 34 56", "UpperCase1": "D", "UpperCase2": "XI",
    "UpperCaseOrDigit1": "B", "CustomsOfficeReferenceNumber": "DK009264", "EmailAddress": "trafik@example.dk",
    "EmailAddressAsSent": "toldsystem@example.dk", "ExportMRN": "24DK00926400000AE1",
    "GuaranteeReferenceNumber": "24DK0000000000A18", "Latitude": "54.82735", "Longitude": "9.36211",
    "TIRCarnetNumber": "XA25123456", "TransitMRN": "24DK00926400000HJ5", "Amount16x2": "18500.25",
    "Decimal16x6": "0.000001", "Integer0To9999": "0", "Integer0To99999999": "12", "Integer0To999999999": "3",
    "Integer1To9": "1", "Integer1To999": "2", "Integer1To1999": "1999", "Integer1To99999": "1",
    "Integer1To99999999": "4", "PositiveDecimal16x6": "8200.123456", "Date": "2024-05-14",
    "DateTime": "2024-05-14T08:31:00", "CustomsOfficeCountryCode": "DK", "Flag": "1", "FunctionalErrorCode": "12",
    "PhaseIdentifier": "NCTS5.1", "XmlErrorCode": "13",
    "nonNegativeInteger": "1",
}
# The DMS extension block's leaves have inline types.
EXTENSION_VALUES = {"ID": "ext-1", "Key": "isFallback", "Value": "0", "DataType": "numeric"}


def message(message_type: str, *, full: bool = True, repeats: int = 1) -> dict[str, Any]:
    """A message of the type: all elements (full) or only required ones, repeatable ones `repeats` times."""
    model = content_model(message_type)
    data = _fill(model, model.root.type_key, full, repeats, depth=0)
    # messageType in its place in the header, as to_data reads it
    return {name: (message_type if name == "messageType" else data[name])
            for name in [d.name for d in model.children(model.root.type_key)] if name in data or name == "messageType"}


def _fill(model, type_key: str, full: bool, repeats: int, depth: int) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for decl in model.children(type_key):
        if decl.min_occurs == 0 and not full or decl.name == "messageType":
            continue  # messageType is the message's own, set by message()
        if decl.name == "Extensions" and depth > 0:
            continue  # nested extensions: one level shows the shape
        count = max(decl.min_occurs, min(repeats, decl.max_occurs or repeats)) if decl.repeats else 1
        values = [_value(model, decl, full, repeats, depth, index) for index in range(1, count + 1)]
        data[decl.name] = values if decl.repeats else values[0]
    return data


def _value(model, decl: ElementDecl, full: bool, repeats: int, depth: int, index: int) -> Any:
    if decl.type_key is not None:
        return _fill(model, decl.type_key, full, repeats, depth + 1)
    if decl.simple_type is None:
        return EXTENSION_VALUES[decl.name]
    if decl.name == "sequenceNumber" or decl.simple_type == "Integer1To99999" and index > 1:
        return str(index)
    return VALUES[decl.simple_type]
