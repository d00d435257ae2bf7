"""What every operation promises, checked on the app itself: errors documented with their real body,
every integer bounded, media types negotiated (406, 415), the size limit (413), the version in the path,
and problem lists bounded — all through the one shared mechanism, so a route added later gets it too."""

from __future__ import annotations

import json

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient

from toldsystem import config, demo
from toldsystem.access.authorisation import rule_of
from toldsystem.app import _require_shared_checks, create_app
from toldsystem.core.api import room_router

FORWARDER = {"Authorization": "Bearer told_demo_forwarder"}
OFFICER = {"Authorization": "Bearer told_demo_officer"}
JSON = {"Content-Type": "application/json"}


@pytest.fixture
def world(store):
    demo.load()


@pytest.fixture(scope="module")
def document() -> dict:
    return TestClient(create_app()).get("/openapi.json").json()


def operations(document: dict):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield method.upper(), path, operation


def resolve(document: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


# --- the document ------------------------------------------------------------------------------------------

def test_every_error_status_is_documented_with_the_errors_body(document):
    for method, path, operation in operations(document):
        for status, response in operation["responses"].items():
            if int(status) >= 400:
                body = json.dumps(response["content"]["application/json"]["schema"])
                assert "#/components/schemas/Errors" in body, (method, path, status)
    errors = document["components"]["schemas"]["Errors"]
    assert errors["required"] == ["errors"]
    assert "HTTPValidationError" not in json.dumps(document) and '"detail"' not in json.dumps(document)


def test_the_statuses_the_shared_checks_give_are_documented_where_they_occur(document):
    for method, path, operation in operations(document):
        if path == "/health":
            continue
        statuses = set(operation["responses"])
        public = not rule_of(method, path)[2].actors  # the table says anyone, without a token (the board)
        assert public or {"401", "403"} <= statuses, (method, path)
        assert "413" in statuses, (method, path)  # a body past the limit, to any operation
        assert "406" in statuses or set(operation["responses"]) & {"200", "201"} == set(), (method, path)
        if "{" in path:
            assert "404" in statuses, (method, path)
        if "requestBody" in operation:
            assert {"413", "415", "422"} <= statuses, (method, path)
        if operation.get("parameters"):
            assert "422" in statuses, (method, path)
    assert "429" in document["paths"]["/api/v1/guarantees/balance"]["post"]["responses"]
    assert "409" in document["paths"]["/api/v1/transit/messages"]["post"]["responses"]


def test_every_integer_a_client_may_send_is_bounded(document):
    """Parameters and request body fields alike: no integer without a minimum and a maximum."""
    unbounded = []
    for method, path, operation in operations(document):
        for parameter in operation.get("parameters", []):
            for schema in [parameter["schema"], *parameter["schema"].get("anyOf", [])]:
                if schema.get("type") == "integer" and not ("minimum" in schema and "maximum" in schema):
                    unbounded.append((method, path, parameter["name"]))
        for media in operation.get("requestBody", {}).get("content", {}).values():
            body = resolve(document, media.get("schema", {}))
            for name, field in body.get("properties", {}).items():
                for schema in [field, *field.get("anyOf", [])]:
                    if schema.get("type") == "integer" and not ("minimum" in schema and "maximum" in schema):
                        unbounded.append((method, path, name))
    assert unbounded == []


def test_the_document_has_only_versioned_paths(document):
    assert all(p.startswith("/api/v1/") or p == "/health" for p in document["paths"])


def test_a_route_outside_the_shared_mechanism_is_refused_at_start():
    plain = APIRouter(prefix="/extra")

    @plain.get("/thing")
    def thing() -> dict:
        return {}

    with pytest.raises(TypeError, match="room_router"):
        _require_shared_checks(plain)
    with pytest.raises(ValueError, match="leaves out /api"):
        room_router("/api/extra", tags=["extra"])


def test_a_route_added_later_gets_the_bounds_and_the_documentation_by_itself():
    later = room_router("/later", tags=["later"])

    @later.get("/{thing_id}")
    def one(thing_id: int, page: int = 1) -> dict:
        return {"thing_id": thing_id, "page": page}

    from fastapi import FastAPI

    from toldsystem.core.api import install_error_handlers, openapi_document

    app = FastAPI()
    install_error_handlers(app)
    app.include_router(later)
    app.openapi = lambda: openapi_document(app)
    client = TestClient(app)
    answer = client.get(f"/later/{2**64}", params={"page": str(-(2**70))})
    assert answer.status_code == 422
    assert {e["pointer"] for e in answer.json()["errors"]} == {"path/thing_id", "query/page"}
    assert client.get("/later/7").json() == {"thing_id": 7, "page": 1}
    responses = client.get("/openapi.json").json()["paths"]["/later/{thing_id}"]["get"]["responses"]
    assert {"404", "406", "422"} <= set(responses)
    assert responses["422"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Errors"}


# --- negotiation, limits and shapes at work ---------------------------------------------------------------------

def test_a_body_in_a_media_type_the_operation_does_not_read_is_415(world, client):
    for headers, body in (({"Content-Type": "text/plain"}, b'{"grn": "x", "access_code": "y"}'),
                          ({"Content-Type": "application/json; charset=latin-1"}, b"{}"),
                          ({}, b'{"grn": "x", "access_code": "y"}')):
        answer = client.post("/api/v1/guarantees/balance", content=body, headers=FORWARDER | headers)
        assert answer.status_code == 415, answer.text
        [error] = answer.json()["errors"]
        assert error["code"] == "request.unsupported_media_type" and error["pointer"] == "Content-Type"
    answer = client.post("/api/v1/transit/messages", content=b"a=1",
                         headers=FORWARDER | {"Content-Type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 415 and "application/xml" in answer.json()["errors"][0]["message"]


def test_an_accept_header_no_answer_can_meet_is_406(world, client):
    assert client.get("/api/v1/guarantees", headers=FORWARDER | {"Accept": "application/xml"}).status_code == 406
    assert client.get("/api/v1/guarantees", headers=FORWARDER | {"Accept": "application/json;q=0"}).status_code == 406
    for accept in ("*/*", "application/*", "text/html, application/json;q=0.5", "application/json"):
        assert client.get("/api/v1/guarantees", headers=FORWARDER | {"Accept": accept}).status_code == 200, accept
    answer = client.get("/api/v1/transit/outbox", headers=FORWARDER | {"Accept": "image/png"})
    assert answer.status_code == 406 and answer.json()["errors"][0]["pointer"] == "Accept"


def test_a_body_past_the_configured_limit_is_413(world, client):
    settings = config.settings()
    config.override(type(settings)(**{**vars(settings), "limits": type(settings.limits)(max_body_bytes=1000)}))
    try:
        answer = client.post("/api/v1/transit/messages", content=b"<a/>" * 300,
                             headers=FORWARDER | {"Content-Type": "application/xml"})
    finally:
        config.override(settings)
    assert answer.status_code == 413
    assert answer.json()["errors"][0]["message"] == (
        "the body is larger than 1000 bytes, the most this server accepts")


def test_json_errors_are_at_most_the_configured_number(world, client):
    answer = client.post("/api/v1/guarantees/check-and-reserve", headers=FORWARDER,
                         json={"grn": 1, "access_code": 2, "amount": 3, "currency": "EURO",
                               "route_countries": ["DEN"] * 99})  # 99 + 5 problems, movement_ref missing
    assert answer.status_code == 422
    errors = answer.json()["errors"]
    assert len(errors) == 100
    assert errors[-1] == {"code": "problems.more", "pointer": "/", "message": "and 5 more problems, not listed",
                          "message_da": "og 5 fejl mere, som ikke er vist"}


def test_a_nul_character_is_refused_by_name(world, client):
    answer = client.get("/api/v1/transit/movements", params={"lrn": "A\x00B"}, headers=FORWARDER)
    assert answer.status_code == 422 and answer.json()["errors"][0]["pointer"] == "lrn"
    answer = client.post("/api/v1/guarantees/balance", headers=FORWARDER,
                         json={"grn": "26DK\x0000", "access_code": "AB12"})
    assert answer.status_code == 422 and answer.json()["errors"][0]["pointer"] == "/grn"


def test_unknown_paths_and_methods_answer_in_the_errors_shape(world, client):
    answer = client.get("/api/v1/nothing-here", headers=FORWARDER)
    assert answer.status_code == 404 and answer.json()["errors"][0]["code"] == "http.404"
    answer = client.delete("/api/v1/guarantees", headers=FORWARDER)
    assert answer.status_code == 405 and answer.json()["errors"][0]["code"] == "http.405"


def test_the_unversioned_paths_serve_version_1_and_link_along_the_path_used(world, client):
    declaration = demo.declaration()
    v1 = client.post("/api/v1/transit/messages", json=declaration, headers=FORWARDER)
    assert v1.headers["Location"].startswith("/api/v1/transit/movements/")
    assert v1.json()["answers"][0]["links"]["self"].startswith("/api/v1/transit/messages/")
    again = client.post("/api/transit/messages", json=declaration, headers=FORWARDER)  # the same message: replayed
    assert again.headers["X-Told-Replay"] == "true"
    assert again.headers["Location"] == v1.headers["Location"].replace("/api/v1/", "/api/")
    assert [a["id"] for a in again.json()["answers"]] == [a["id"] for a in v1.json()["answers"]]
    assert client.get("/api/guarantees", headers=FORWARDER).json() == client.get(
        "/api/v1/guarantees", headers=FORWARDER).json()
