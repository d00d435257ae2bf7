"""Intake under concurrency and hostile input: unique MRNs, one movement per message, a webhook URL checked,
and a server that answers garbage with an error instead of falling over (SPEC T)."""

from __future__ import annotations

import copy
import uuid
from concurrent.futures import ThreadPoolExecutor

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from toldsystem import db, demo
from toldsystem.access.rules import Party
from toldsystem.core.identifiers import is_valid_mrn
from toldsystem.transit import service, store
from toldsystem.transit.messages import render

HOLDER = Party(kind="company", name="DK13585628", eori="DK13585628")
FORWARDER = {"Authorization": "Bearer told_demo_forwarder"}


def movement_count() -> int:
    with db.reading() as conn:
        return conn.execute(select(func.count()).select_from(store.movements)).scalar_one()


def test_mrns_are_unique_under_concurrency(store):
    demo.load()
    declarations = [demo.declaration() for _ in range(32)]
    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(lambda d: service.receive_data(HOLDER, "CC015C", d), declarations))
    mrns = [r.mrn for r in results]
    assert all(r.answers[-1].message_type == "CC029C" for r in results)
    assert len(set(mrns)) == 32 and all(is_valid_mrn(m) for m in mrns)
    assert movement_count() == 32


def test_same_message_sent_concurrently_makes_one_movement_and_one_answer(store):
    demo.load()
    declaration = demo.declaration()
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: service.receive_data(HOLDER, "CC015C", copy.deepcopy(declaration)),
                                range(8)))
    assert movement_count() == 1
    assert len({tuple(a.id for a in r.answers) for r in results}) == 1
    assert sum(not r.repeated for r in results) == 1


def test_same_lrn_in_different_messages_concurrently_makes_one_movement(store):
    demo.load()
    declaration = demo.declaration()
    copies = []
    for _ in range(8):
        one = copy.deepcopy(declaration)
        one["messageIdentification"] = uuid.uuid4().hex[:35]
        copies.append(one)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda d: service.receive_data(HOLDER, "CC015C", d), copies))
    assert movement_count() == 1
    kinds = sorted(r.answers[0].message_type for r in results)
    assert kinds == ["CC056C"] * 7 + ["CC928C"]


def test_webhook_must_be_an_http_url(store, client):
    demo.load()
    answer = client.put("/api/transit/webhook", json={"url": "file:///etc/passwd"}, headers=FORWARDER)
    assert answer.status_code == 422 and answer.json()["errors"][0]["pointer"] == "url"


VALID = None


def _valid_xml() -> bytes:
    global VALID
    if VALID is None:
        VALID = render("CC015C", demo.declaration())
    return VALID


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(
    st.binary(max_size=2000),
    st.tuples(st.integers(min_value=0, max_value=4000), st.binary(min_size=1, max_size=40)),
    st.text(max_size=300).map(lambda t: f"<ncts:CC015C xmlns:ncts=\"http://ncts.dgtaxud.ec\">{t}</ncts:CC015C>"
                              .encode("utf-8", "surrogatepass")),
))
def test_random_and_broken_messages_never_break_the_intake(sqlite_store, client, garbage):
    demo.load()
    if isinstance(garbage, tuple):  # a valid declaration with a slice of it overwritten
        at, junk = garbage
        valid = _valid_xml()
        at = at % len(valid)
        garbage = valid[:at] + junk + valid[at + len(junk):]
    answer = client.post("/api/transit/messages", content=garbage,
                         headers=FORWARDER | {"Content-Type": "application/xml", "Accept": "application/json"})
    assert answer.status_code in (200, 400, 409, 422), answer.text
    assert answer.json()  # always a readable answer
    assert client.get("/health").status_code == 200
