"""Whatever bytes arrive, parse_message answers with problems or a message and never raises."""

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toldsystem.core.errors import Problem
from toldsystem.transit.messages import ParsedMessage, parse_message

SAMPLE = (Path(__file__).parent / "samples" / "cc015c_padborg_to_hamburg.xml").read_bytes()
NAMES = st.sampled_from(["CC015C", "ncts:CC015C", "TransitOperation", "LRN", "a", "Consignment", "x:y"])


def assert_answered(result) -> None:
    assert isinstance(result, ParsedMessage) or (
        isinstance(result, list) and result and all(isinstance(p, Problem) for p in result))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_never_raise(data):
    assert_answered(parse_message(data))


@st.composite
def mutated_sample(draw) -> bytes:
    data = bytearray(SAMPLE)
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["flip", "delete", "insert"]))
        at = draw(st.integers(0, len(data) - 1))
        if kind == "flip":
            data[at] = draw(st.integers(0, 255))
        elif kind == "delete":
            del data[at:at + draw(st.integers(1, 40))]
        else:
            data[at:at] = draw(st.sampled_from([b"<", b">", b"&", b"<!DOCTYPE a>", b"]]>", b"\x00", b"<x>", b"</Consignment>"]))
    return bytes(data)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_sample())
def test_mutations_of_the_valid_sample_never_raise(data):
    assert_answered(parse_message(data))


xml_trees = st.recursive(
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=20).map(
        lambda t: t.replace("&", "&amp;").replace("<", "&lt;")),
    lambda children: st.tuples(NAMES, st.lists(children, max_size=4)).map(
        lambda node: f"<{node[0]}>{''.join(node[1])}</{node[0]}>"),
    max_leaves=30,
)


@settings(max_examples=200, deadline=None)
@given(NAMES, xml_trees, st.sampled_from(["http://ncts.dgtaxud.ec", "urn:other", ""]))
def test_random_well_formed_xml_never_raises(root, body, namespace):
    name = root.split(":")[-1]
    data = f'<ncts:{name} xmlns:ncts="{namespace}" xmlns:x="urn:x">{body}</ncts:{name}>' if namespace else f"<{name}>{body}</{name}>"
    assert_answered(parse_message(data.encode("utf-8")))


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.sampled_from(["TransitOperation", "LRN", "Guarantee", "messageSender", "bogus"]),
                       st.one_of(st.none(), st.text(max_size=5), st.lists(st.text(max_size=3), max_size=2),
                                 st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=2)), max_size=5))
def test_random_json_data_never_raises(data):
    from toldsystem.transit.messages import validate_data
    assert all(isinstance(p, Problem) for p in validate_data("CC015C", data))
