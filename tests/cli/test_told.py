"""The `told` command line as an operator uses it, from a fresh database to a written-off movement."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from toldsystem.transit.messages import parse_message


def told(env: dict, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from toldsystem.cli import main; main()", *args],
                          env=env, capture_output=True, text=True, input=stdin, timeout=120)


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> dict:
    var = tmp_path_factory.mktemp("cli-var")
    environment = dict(os.environ, TOLD_VAR_DIR=str(var), TOLD_DATABASE_URL=f"sqlite:///{var / 'told.db'}",
                       TOLD_SECRET_KEY="cli-test", COLUMNS="200")
    assert told(environment, "db", "upgrade").returncode == 0
    loaded = told(environment, "demo", "load")
    assert loaded.returncode == 0, loaded.stderr
    return environment


def test_demo_load_prints_tokens_and_guarantee_codes(env):
    shown = told(env, "demo", "show")
    assert "told_demo_forwarder" in shown.stdout and "DEM1" in shown.stdout
    assert "File gateway: the clerk 13585628-002, password Clerk123" in shown.stdout  # README's sftp example
    assert told(env, "demo", "load").stdout.startswith("Demo data was already loaded")


def test_reference_offices_by_role(env):
    offices = told(env, "reference", "offices", "--role", "GUA", "--country", "DK").stdout
    assert "DK009860" in offices and "DK009264" not in offices


def test_declare_show_release_arrive_close_from_the_cli(env, tmp_path):
    declaration = tmp_path / "cc015c.xml"
    declaration.write_text(told(env, "demo", "declaration", "--items", "3").stdout)
    declared = told(env, "transit", "declare", str(declaration))
    assert declared.returncode == 0, declared.stdout + declared.stderr
    assert "CC029C" in declared.stdout
    mrn = declared.stdout.split("MRN ")[1].split()[0]
    assert "released" in told(env, "transit", "show", mrn).stdout
    pdf = tmp_path / "tad.pdf"
    assert told(env, "transit", "tad", mrn, "-o", str(pdf)).returncode == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    again = told(env, "transit", "declare", str(declaration))
    assert again.returncode == 0 and mrn in again.stdout  # the same message: the same answer


def test_a_rejected_declaration_exits_1_naming_the_element(env, tmp_path):
    xml = told(env, "demo", "declaration").stdout.replace("<typeOfPackages>CT</typeOfPackages>",
                                                         "<typeOfPackages>VL</typeOfPackages>", 1)
    bad = tmp_path / "bad.xml"
    bad.write_text(xml)
    rejected = told(env, "transit", "declare", str(bad))
    assert rejected.returncode == 1
    assert "CC056C" in rejected.stdout and "numberOfPackages" in rejected.stdout


def test_generated_declaration_is_valid_phase5_xml(env):
    parsed = parse_message(told(env, "demo", "declaration").stdout.encode())
    assert not isinstance(parsed, list), parsed
    assert parsed.message_type == "CC015C"


def test_usage_error_exits_2_and_unknown_movement_exits_1(env):
    assert told(env, "companies", "grant", "DK13585628").returncode == 2
    missing = told(env, "transit", "show", "26DK009264999999J0")
    assert missing.returncode == 1 and "no movement" in missing.stderr


def test_authorisation_and_registration_and_token_revocation(env):
    listed = told(env, "companies", "authorisations", "DK12345674").stdout
    first_id = next(line.split()[1] for line in listed.splitlines() if "simplified_express" in line)
    assert told(env, "companies", "revoke", first_id).returncode == 0
    assert "yes" in told(env, "companies", "authorisations", "DK12345674").stdout
    changed = told(env, "companies", "registration", "DK12345674", "--no-import")
    assert "EORI-registered False" in changed.stdout
    token = told(env, "access", "officer-token", "Olsen").stdout.strip()
    assert told(env, "access", "revoke", token).returncode == 0
    assert told(env, "access", "revoke", token).returncode == 0  # revoking again is harmless
    assert Path(env["TOLD_VAR_DIR"]).joinpath("told.db").exists()


def test_standard_release_with_box_d_and_seals_then_recovery_from_the_cli(env, tmp_path):
    import json

    declaration = json.loads(told(env, "demo", "declaration", "--json").stdout)
    del declaration["Authorisation"], declaration["TransitOperation"]["limitDate"]
    standard = tmp_path / "standard.json"
    standard.write_text(json.dumps(declaration))
    declared = told(env, "transit", "send", str(standard))
    assert declared.returncode == 0 and "CC029C" not in declared.stdout, declared.stdout + declared.stderr
    mrn = declared.stdout.split("MRN ")[1].split()[0]
    past = told(env, "transit", "release", mrn, "--limit-date", "2020-01-01")
    assert past.returncode == 1 and "time limit" in past.stderr
    released = told(env, "transit", "release", mrn, "--limit-date", "2099-01-31", "--seal", "DK 0101", "--seal",
                    "DK 0102")
    assert released.returncode == 0 and "CC029C" in released.stdout, released.stdout + released.stderr
    recovered = told(env, "transit", "recovery", mrn, "--text", "Varerne er ikke ankommet")
    assert "CC035C" in recovered.stdout and "CC045C" in recovered.stdout, recovered.stdout + recovered.stderr
    assert "recovered" in told(env, "transit", "show", mrn).stdout
