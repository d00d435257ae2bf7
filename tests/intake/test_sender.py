"""A held submission keeps who sent it (issue 11 part 6, the audit log): the user, its roles, the channel and the
client's address are kept with the row, and it is processed later as that party — the audit log names the user
and the channel it came through, not "internal"."""

from __future__ import annotations

from tests.operations.test_gating import QUEUED, window
from tests.transit.phase5_flows import send_json, world  # noqa: F401
from toldsystem import demo
from toldsystem.access import service as access
from toldsystem.access.rules import OPERATOR, Party
from toldsystem.intake import service as intake
from toldsystem.operations import service as operations
from toldsystem.transit.service.gate import HANDLER

HOLDER = "DK13585628"


def test_the_sender_user_roles_channel_and_address_are_kept_with_the_held_row(store):
    demo.load()
    sender = Party(kind="company", name="13585628-002", eori=HOLDER, user="13585628-002",
                   roles=frozenset({"transit"}), channel="sftp", client="192.0.2.7")
    held = intake.hold(system="dms_transit", environment="PRD", channel="file", handler=HANDLER,
                       party=sender, payload=b"{}", digest="d1", summary={"form": "json"})
    assert intake.get(sender, held).party == sender


def test_a_message_held_by_a_window_is_processed_and_audited_as_the_user_who_sent_it(client, world):
    user, temporary = access.users.create("Mette Hansen", ["transit"], eori=HOLDER)
    token = access.issue_user_token(user.username, "erp")
    made = window(*QUEUED)
    declaration = demo.declaration()
    answered = send_json(client, {"Authorization": f"Bearer {token}"}, declaration)
    assert answered.status_code == 202, answered.text
    operations.end(made.id)
    assert intake.drain() == 1
    found = [e for e in access.audit.read(OPERATOR, action="transit.message").entries
             if e.target == declaration["messageIdentification"]]
    assert [(e.actor, e.actor_eori, e.channel, e.client) for e in found] == [
        (user.username, HOLDER, "api", "testclient")]
