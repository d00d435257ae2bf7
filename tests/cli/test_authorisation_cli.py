"""The CLI commands of the authorisation model: powers of attorney, officers' offices, failed attempts, the table."""

from __future__ import annotations

from typer.testing import CliRunner

from tests.conftest import CONSIGNOR, FORWARDER, STRANGER, register_company
from tests.guarantees.conftest import comprehensive
from toldsystem.cli import app
from toldsystem.companies import service as companies
from toldsystem.guarantees import rules_codes, service as guarantees

runner = CliRunner()


def told(*args: str):
    result = runner.invoke(app, list(args), catch_exceptions=False, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.output


def test_a_power_of_attorney_is_granted_listed_and_revoked_at_the_terminal(sqlite_store):
    register_company(FORWARDER)
    register_company(CONSIGNOR)
    granted = told("companies", "grant-power", CONSIGNOR, FORWARDER, "--scope", "transit.declare",
                   "--valid-from", "2026-01-01")
    assert f"{FORWARDER} represents {CONSIGNOR} (transit.declare)" in granted
    assert CONSIGNOR in told("companies", "powers", FORWARDER)
    power = companies.powers_for(companies.OPERATOR, CONSIGNOR)[0]
    assert "no longer represents" in told("companies", "revoke-power", str(power.id))
    assert companies.power_scopes(CONSIGNOR, FORWARDER) == frozenset()


def test_an_officer_token_for_an_office(sqlite_store):
    token = told("access", "officer-token", "Mette Hansen", "--office", "DK009264").strip()
    from toldsystem.access import service as access

    assert access.authenticate(token).office == "DK009264"


def test_the_holder_sees_and_clears_failed_attempts_at_the_terminal(sqlite_store):
    register_company(STRANGER)
    g, code = comprehensive()
    for n in range(rules_codes.FREE_FAILURES):
        try:
            guarantees.balance(g.grn, f"Q{n:03d}", caller=STRANGER)
        except Exception:  # noqa: BLE001 - wrong on purpose
            pass
    listed = told("guarantees", "access-code", "attempts", FORWARDER, g.grn)
    assert STRANGER in listed and str(rules_codes.FREE_FAILURES) in listed
    assert "Cleared 3 failed attempts" in told("guarantees", "access-code", "clear", FORWARDER, g.grn, STRANGER)
    assert guarantees.failed_attempts(companies.OPERATOR, g.grn) == []


def test_the_authorisation_table_prints_as_markdown(sqlite_store):
    table = told("access", "table")
    assert "| message `CC007C` | `CC007C` | trader at destination |" in table
