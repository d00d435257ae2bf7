"""`told reference` as an operator uses it: load a CSV, see the error naming the line, list the codes."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def told(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from toldsystem.cli import main; main()", *args],
                          env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> dict:
    var = tmp_path_factory.mktemp("reference-cli")
    environment = dict(os.environ, TOLD_VAR_DIR=str(var), TOLD_DATABASE_URL=f"sqlite:///{var / 'told.db'}",
                       TOLD_SECRET_KEY="cli-test", COLUMNS="200")
    assert told(environment, "db", "upgrade").returncode == 0
    return environment


def test_a_code_list_file_loads_and_its_codes_are_listed(env, tmp_path):
    path = tmp_path / "incidents.csv"
    path.write_text("list,code,en,da\nCL019,1,Deviation from the itinerary,Afvigelse fra ruten\n"
                    "CL019,2,Seals broken,Plomber brudt\n", encoding="utf-8")
    loaded = told(env, "reference", "load", str(path))
    assert loaded.returncode == 0, loaded.stderr
    assert "Loaded 2 code-lists rows (CL019)" in loaded.stdout
    shown = told(env, "reference", "codes", "CL019")
    assert "Plomber brudt" in shown.stdout and "Deviation" in shown.stdout
    assert "CL019" in told(env, "reference", "lists").stdout


def test_a_malformed_file_exits_1_naming_the_line(env, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("list,code,en\nCL019,1,Deviation\nIncidentCode,2,Seals broken\n", encoding="utf-8")
    refused = told(env, "reference", "load", str(path))
    assert refused.returncode == 1
    assert "code-lists:line 3" in refused.stderr and "CLnnn" in refused.stderr
    assert told(env, "reference", "codes", "CL099").returncode == 1
