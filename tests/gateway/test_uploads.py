"""The portal's uploads (gateway/uploads.py): a browser's file name kept as the gateway names files."""

from toldsystem.gateway import uploads


def test_a_browsers_file_name_is_kept_plain_as_the_gateways_inbox_allows():
    assert uploads.plain_name("C:\\Users\\mette\\CC015C 1.xml") == "CC015C_1.xml"
    assert uploads.plain_name("../../etc/passwd") == "passwd"
    assert uploads.plain_name(".hidden.xml") == "upload-.hidden.xml"
    assert uploads.plain_name("æøå.xml") == "upload-___.xml"
    assert uploads.plain_name("") == "upload.xml"
    assert len(uploads.plain_name("x" * 300)) == 128
