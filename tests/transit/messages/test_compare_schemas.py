"""tools/compare_schemas.py: it finds every kind of difference between two schema sets, and our own
set compared with itself has none. (Run against the official XSDs it is a developer's check:
docs/operations.md; those files are not in the repository.)"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
TOOL = ROOT / "tools" / "compare_schemas.py"
OURS = ROOT / "src" / "toldsystem" / "transit" / "messages" / "schemas"


def run(official: Path, *args: str) -> tuple[int, str]:
    done = subprocess.run([sys.executable, str(TOOL), str(official), *args], capture_output=True, text=True,
                          timeout=300)
    return done.returncode, done.stdout + done.stderr


@pytest.fixture
def reference(tmp_path) -> Path:
    """A copy of our schemas standing in for the official set, to be changed by a test."""
    copy = tmp_path / "official"
    shutil.copytree(OURS, copy)
    return copy


def edit(directory: Path, file: str, old: str, new: str) -> None:
    path = directory / file
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def test_our_set_compared_with_itself_has_no_difference():
    status, out = run(OURS)
    assert status == 0, out
    assert "33 message type(s) compared, 0 difference(s)" in out
    assert len(re.findall(r"^CC\d{3}C: same", out, re.M)) == 33


def test_a_looser_facet_is_a_difference(reference):
    # the reference (official) allows 70 characters where ours would allow 71
    edit(reference, "types.xsd", '<xs:simpleType name="TrimmedText70"><xs:restriction base="xs:normalizedString">'
         '<xs:maxLength value="70"/>', '<xs:simpleType name="TrimmedText70"><xs:restriction base="xs:normalizedString">'
         '<xs:maxLength value="69"/>')
    status, out = run(reference, "--type", "CC015C")
    assert status == 1
    assert "CC015C/HolderOfTheTransitProcedure/name: type differs" in out
    assert "maxLength=70" in out and "maxLength=69" in out


def test_occurrences_order_and_missing_elements_are_differences(reference):
    edit(reference, "cc928c.xsd", '<xs:element name="TransitOperation" type="TransitOperationCC928CType"/>',
         '<xs:element name="TransitOperation" type="TransitOperationCC928CType" maxOccurs="2"/>')
    edit(reference, "cc014c.xsd", '<xs:element name="HolderOfTheTransitProcedure"',
         '<xs:element name="Extra" type="Flag" minOccurs="0"/><xs:element name="HolderOfTheTransitProcedure"')
    status, out = run(reference, "--type", "CC928C", "--type", "CC014C")
    assert status == 1
    assert "CC928C/TransitOperation: occurs [1..1] in ours, [1..2] officially" in out
    assert "CC014C/Extra: missing in ours (official [0..1])" in out


def test_an_element_only_in_ours_is_a_difference_but_the_dms_extensions_are_the_documented_exception(reference):
    edit(reference, "cc015c.xsd",
         '<xs:element name="Extensions" type="ext:ExtensionType" minOccurs="0" maxOccurs="unbounded"/>', "")
    edit(reference, "cc928c.xsd", '<xs:element name="CustomsOfficeOfDeparture"', '<xs:element name="CustomsOfficeOfDepartur"')
    status, out = run(reference, "--type", "CC015C", "--type", "CC928C")
    assert status == 1
    assert "CC015C: same, 1 exception(s)" in out and "DMS Extensions" in out
    assert "CC928C/CustomsOfficeOfDeparture: only in ours [1..1], not allowed officially" in out


def test_an_unreadable_directory_is_exit_status_2(tmp_path):
    assert run(tmp_path / "missing")[0] == 2
    assert run(tmp_path)[0] == 2  # no cc*.xsd in it
