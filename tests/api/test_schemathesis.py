"""Property-based run of the whole API from its own OpenAPI document (schemathesis): whatever a client
sends — valid or not, in range or far out of it — the server never fails (no 5xx), answers only with
statuses the document lists for the operation, in the media types it lists, with bodies that match
the documented schemas."""

from __future__ import annotations

import dataclasses

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, response_schema_conformance,
                                               status_code_conformance)

from tests.conftest import _installed
from toldsystem import config, demo
from toldsystem.app import create_app
from toldsystem.config import Smtp

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
MAX_EXAMPLES = 20  # per operation and database: keeps the whole run to a minute or two
# Every case is sent by an officer and by a company (which is refused some operations, and sees less).
TOKENS = ("told_demo_officer", "told_demo_forwarder")

# The document as the app makes it, read without a request: loading it over ASGI at import would start
# the app (its lifespan, the webhook worker) before the test settings are in place.
app = create_app()
schema = schemathesis.openapi.from_dict(app.openapi())
schema.app = app  # the cases are sent to the app in-process, as from_asgi sets up


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def world(request):
    """The demo companies, tokens and guarantees on each database, made once for all operations (SQLite takes
    anything in a column; PostgreSQL refuses an integer past 32 bits or a string past its length). A mail server
    is configured, as on a server that offers e-mail subscriptions (nobody listens on it: the mails just wait)."""
    settings = config.settings()
    config.override(dataclasses.replace(settings, smtp=Smtp("127.0.0.1", 9)))
    for engine in _installed(request.getfixturevalue(f"{request.param}_engine")):
        demo.load()
        yield engine
    config.override(settings)


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_to_its_own_document(case, world):
    for token in TOKENS:
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
