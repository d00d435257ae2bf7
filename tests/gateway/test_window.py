"""The board governs the file channel (SPEC O, issue 11): a window that rejects DMS Forsendelse's file access
refuses an upload, naming the window (title, work order, until when); one that queues keeps every file and
processes them in arrival order once it ends."""

from __future__ import annotations

import ftplib
import time

import asyncssh
import pytest
from lxml import etree

from tests.gateway.conftest import ftps, ftps_put, run, wait_for
from tests.gateway.test_sftp import _get, _put, listed
from tests.operations.test_gating import QUEUED, REJECTED, TITLE, WORK_ORDER, window
from toldsystem import demo
from toldsystem.access import service as access
from toldsystem.access.rules import OPERATOR
from toldsystem.operations import service as operations
from toldsystem.transit.messages import render


def test_a_rejecting_window_refuses_uploads_naming_it(gateway):
    window(*REJECTED, minutes=90)
    with pytest.raises(asyncssh.SFTPFailure) as refused:
        run(_put(gateway.sftp_port, gateway.forwarder, "inbox/declaration.xml", render("CC015C", demo.declaration())))
    for text in str(refused.value).split(" / "):  # English, then Danish
        assert TITLE in text and WORK_ORDER in text
    assert "Danish time" in str(refused.value) and "dansk tid" in str(refused.value)
    client = ftps(gateway.ftps_port, gateway.forwarder)
    try:
        with pytest.raises(ftplib.error_perm, match=f"^550.*{WORK_ORDER}"):
            ftps_put(client, "inbox/declaration.xml", render("CC015C", demo.declaration()))
    finally:
        client.quit()
    assert listed(gateway.sftp_port, gateway.forwarder, "inbox") == []
    assert listed(gateway.sftp_port, gateway.forwarder, "outbox") == []


def test_a_queued_window_keeps_the_files_and_processes_them_in_arrival_order_after_it(gateway):
    made = window(*QUEUED)
    first, second = demo.declaration(), demo.declaration()
    run(_put(gateway.sftp_port, gateway.forwarder, "inbox/first.xml", render("CC015C", first)))
    client = ftps(gateway.ftps_port, gateway.forwarder)
    ftps_put(client, "inbox/second.xml", render("CC015C", second))
    client.quit()
    time.sleep(1.5)  # the nudge has drained meanwhile: the window holds them
    assert listed(gateway.sftp_port, gateway.forwarder, "inbox") == ["first.xml", "second.xml"]
    assert listed(gateway.sftp_port, gateway.forwarder, "outbox") == []

    operations.end(made.id)  # the officer ends the window
    answers = wait_for(lambda: (lambda found: found if len(found) >= 6 else None)(
        listed(gateway.sftp_port, gateway.forwarder, "outbox")))
    acknowledgements = [n for n in answers if n.endswith("_CC928C.xml")]
    correlations = [etree.fromstring(run(_get(gateway.sftp_port, gateway.forwarder, f"outbox/{n}")))
                    .findtext("correlationIdentifier") for n in acknowledgements]
    assert correlations == [first["messageIdentification"], second["messageIdentification"]]
    assert wait_for(lambda: listed(gateway.sftp_port, gateway.forwarder, "archive") == ["first.xml", "second.xml"])
    # processed as the user who sent each file, through its channel, from its address (not "internal")
    audited = {e.target: (e.actor, e.channel, e.client)
               for e in access.audit.read(OPERATOR, action="transit.message").entries}
    assert audited[first["messageIdentification"]] == (gateway.forwarder.username, "sftp", "127.0.0.1")
    assert audited[second["messageIdentification"]] == (gateway.forwarder.username, "ftps", "127.0.0.1")
