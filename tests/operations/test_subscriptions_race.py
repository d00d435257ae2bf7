"""Two identical e-mail subscriptions at the same moment: one is made, the other gets the answer a repeated one gets
(409 subscription.exists), never a 500 — on PostgreSQL both may look before either inserts, and the unique
constraint on owner and address decides."""

from __future__ import annotations

import threading

from tests.conftest import FORWARDER, company_headers
from tests.operations.test_subscriptions_mail import mail_configured, smtp_port  # noqa: F401 — fixtures
from toldsystem.access.rules import Party
from toldsystem.core.errors import Conflict
from toldsystem.operations.service import subscriptions


def test_two_identical_subscriptions_at_once_make_one_and_answer_the_other_as_a_repeat(mail_configured,
                                                                                       monkeypatch):
    company_headers(FORWARDER)
    party = Party.company(FORWARDER)
    both_looked = threading.Barrier(2, timeout=3)  # SQLite's one writer runs them one after the other: no wait
    looked = subscriptions._room_for_one_more

    def after_both_looked(conn, table, owner):
        looked(conn, table, owner)
        try:
            both_looked.wait()
        except threading.BrokenBarrierError:
            pass

    monkeypatch.setattr(subscriptions, "_room_for_one_more", after_both_looked)
    answers: list = []

    def subscribe() -> None:
        try:
            answers.append(subscriptions.subscribe_mail(party, "drift@spedition.example.dk", ["dms_transit"]))
        except Conflict as refused:
            answers.append((refused.status, refused.problems[0].code))
        except Exception as error:  # noqa: BLE001 — what a 500 would be
            answers.append(error)

    threads = [threading.Thread(target=subscribe) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    made = [a for a in answers if isinstance(a, dict)]
    assert len(made) == 1 and made[0]["address"] == "drift@spedition.example.dk"
    assert [a for a in answers if not isinstance(a, dict)] == [(409, "subscription.exists")]
    assert len(subscriptions.mail_subscriptions(party)) == 1
