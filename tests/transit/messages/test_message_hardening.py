"""Unsafe or malformed input is refused with a clear Problem, before or instead of schema checks."""

from toldsystem.core.errors import Problem
from toldsystem.transit.messages import ParsedMessage, parse_message
from toldsystem.transit.messages.parser import DEFAULT_MAX_BYTES


def codes(result) -> list[str]:
    assert isinstance(result, list) and all(isinstance(p, Problem) for p in result), result
    assert all(p.en and p.da for p in result)
    return [p.code for p in result]


def test_document_with_doctype_is_refused(declaration_bytes):
    data = declaration_bytes.replace(b"<ncts:CC015C", b'<!DOCTYPE x [ <!ENTITY e SYSTEM "file:///etc/passwd"> ]>\n<ncts:CC015C', 1)
    assert codes(parse_message(data)) == ["xml.doctype"]


def test_external_entity_is_refused():
    data = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "http://example.com/x">]>'
            b'<ncts:CC014C xmlns:ncts="http://ncts.dgtaxud.ec">&xxe;</ncts:CC014C>')
    assert codes(parse_message(data)) == ["xml.doctype"]


def test_billion_laughs_is_refused():
    lol = "".join(f'<!ENTITY l{i} "{"&l%d;" % (i - 1) * 10}">' for i in range(1, 10))
    data = f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY l0 "lol">{lol}]><r>&l9;</r>'.encode()
    assert codes(parse_message(data)) == ["xml.doctype"]


def test_undeclared_entity_reference_is_malformed():
    data = b'<ncts:CC014C xmlns:ncts="http://ncts.dgtaxud.ec">&xxe;</ncts:CC014C>'
    assert codes(parse_message(data)) == ["xml.malformed"]


def test_document_over_the_size_limit_is_refused(declaration_bytes):
    assert codes(parse_message(declaration_bytes, max_bytes=1024)) == ["xml.too_large"]
    assert codes(parse_message(b"<a/>" + b" " * DEFAULT_MAX_BYTES)) == ["xml.too_large"]


def test_document_nested_too_deep_is_refused():
    data = b'<ncts:CC015C xmlns:ncts="http://ncts.dgtaxud.ec">' + b"<a>" * 100 + b"</a>" * 100 + b"</ncts:CC015C>"
    assert codes(parse_message(data)) == ["xml.too_deep"]
    assert codes(parse_message(b"<a>" * 10000 + b"</a>" * 10000)) == ["xml.too_deep"]


def test_a_valid_message_deeper_than_the_bound_is_refused(declaration_bytes):
    """The depth bound holds for messages the schema admits too: by their schema's own depth, or through the
    DMS Extensions, which nest without end."""
    assert isinstance(parse_message(declaration_bytes), ParsedMessage)
    assert codes(parse_message(declaration_bytes, max_depth=5)) == ["xml.too_deep"]  # CC015C nests 7 deep

    def extension(levels: int, tag: str = "ext:Extensions") -> str:
        inner = extension(levels - 1) if levels > 1 else ""
        return (f"<{tag}><ext:SequenceNumeric>1</ext:SequenceNumeric><ext:Key>k</ext:Key>"
                f"<ext:Value>v</ext:Value><ext:DataType>object</ext:DataType>{inner}</{tag}>")

    def with_extensions(levels: int) -> bytes:  # the sample declares the ext prefix on its root
        root_end = declaration_bytes.index(b">", declaration_bytes.index(b"<ncts:CC015C")) + 1
        return declaration_bytes[:root_end] + extension(levels, "Extensions").encode() + declaration_bytes[root_end:]

    assert isinstance(parse_message(with_extensions(10)), ParsedMessage)
    assert codes(parse_message(with_extensions(10), max_depth=8)) == ["xml.too_deep"]


def test_invalid_utf8_is_refused(declaration_bytes):
    data = declaration_bytes.replace(b"Padborg", b"Padb\xf8rg", 1)
    assert codes(parse_message(data)) == ["xml.not_utf8"]


def test_other_declared_encoding_is_refused():
    data = b'<?xml version="1.0" encoding="ISO-8859-1"?><ncts:CC014C xmlns:ncts="http://ncts.dgtaxud.ec"/>'
    assert codes(parse_message(data)) == ["xml.not_utf8"]


def test_unknown_root_element_is_refused():
    result = parse_message(b'<ncts:CC999C xmlns:ncts="http://ncts.dgtaxud.ec"/>')
    assert codes(result) == ["xml.unknown_message"] and result[0].pointer == "/CC999C"


def test_wrong_namespace_is_refused(declaration_bytes):
    data = declaration_bytes.replace(b'xmlns:ncts="http://ncts.dgtaxud.ec"', b'xmlns:ncts="http://example.com/ncts"')
    assert codes(parse_message(data)) == ["xml.wrong_namespace"]
    assert codes(parse_message(b"<CC015C/>")) == ["xml.wrong_namespace"]


def test_malformed_xml_is_refused_with_its_position():
    result = parse_message(b'<ncts:CC015C xmlns:ncts="http://ncts.dgtaxud.ec">\n<a></b>')
    assert codes(result) == ["xml.malformed"] and "line 2" in result[0].en
    assert result[0].line == 2 and result[0].column > 0  # the column where the parser stopped


def test_empty_or_non_bytes_input_is_refused():
    assert codes(parse_message(b"")) == ["xml.empty"]
    assert codes(parse_message("<a/>")) == ["xml.not_bytes"]


def test_schema_violation_points_at_the_offending_element(declaration_bytes):
    data = declaration_bytes.replace(
        b"<descriptionOfGoods>Rapeseed oil, crude, in bulk</descriptionOfGoods>", b"<descriptionOfGoods></descriptionOfGoods>")
    result = parse_message(data)
    assert codes(result) == ["xml.schema.pattern"]
    assert result[0].pointer == "/CC015C/Consignment/HouseConsignment[1]/ConsignmentItem[2]/Commodity/descriptionOfGoods"
    # and the line it is on, as received
    lines = data.decode().splitlines()
    assert result[0].line == lines.index(next(line for line in lines if "<descriptionOfGoods></" in line)) + 1


def test_wrong_message_type_in_the_header_is_a_schema_violation(declaration_bytes):
    data = declaration_bytes.replace(b"<messageType>CC015C</messageType>", b"<messageType>CC013C</messageType>")
    result = parse_message(data)
    assert codes(result) == ["xml.message_type_mismatch"] and result[0].pointer == "/CC015C/messageType"


def test_bad_office_reference_is_pointed_at(declaration_bytes):
    data = declaration_bytes.replace(b"<referenceNumber>DE004851</referenceNumber>", b"<referenceNumber>DE4058</referenceNumber>")
    result = parse_message(data)
    assert [p.pointer for p in result] == ["/CC015C/CustomsOfficeOfDestinationDeclared/referenceNumber"]


def test_comments_and_processing_instructions_are_harmless(declaration_bytes):
    data = declaration_bytes.replace(b"<TransitOperation>", b"<!-- note --><?pi x?><TransitOperation>", 1)
    assert isinstance(parse_message(data), ParsedMessage)
