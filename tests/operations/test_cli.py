"""`told ops` as an operator uses it: import the agency's page, list it as JSON with the fields the issue names,
the availability history for 2025, and a window published, asked about and ended at the terminal."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.cli.test_told import told

AGENCY = Path(__file__).parent / "data" / "driftsmeddelelser-2024-2025.txt"
FIELDS = {"categories", "environment", "kind", "title", "updated", "created", "work_order", "body", "window_start",
          "window_end", "file_access", "online_access", "sign_in", "extended_response_times", "effects", "fallback"}


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> dict:
    var = tmp_path_factory.mktemp("ops-cli")
    environment = dict(os.environ, TOLD_VAR_DIR=str(var), TOLD_DATABASE_URL=f"sqlite:///{var / 'told.db'}",
                       TOLD_SECRET_KEY="cli-test", COLUMNS="200")
    assert told(environment, "db", "upgrade").returncode == 0
    return environment


def test_import_list_report(env):
    imported = told(env, "ops", "import", str(AGENCY))
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.startswith("698 blocks, 234 messages: 234 created, 0 updated, 0 unchanged")
    assert "line 1: not read: text outside any message" in imported.stdout
    again = json.loads(told(env, "ops", "import", str(AGENCY), "--json").stdout)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 234)
    listed = json.loads(told(env, "ops", "list", "--json").stdout)
    assert len(listed) == 234 and all(FIELDS <= set(m) for m in listed)
    nemlog = next(m for m in listed if m["title"] == "PRD-servicewindow NemLog-In (MitID) December 18, 2025")
    assert nemlog["categories"] == ["DMS eksport", "DMS Forsendelse (NCTS)", "DMS Import", "EU-systems", "ICS2",
                                    "Manifest"]
    assert (nemlog["window_start"], nemlog["window_end"]) == ("2025-12-18T00:01:00+01:00", "2025-12-18T03:00:00+01:00")
    assert (nemlog["file_access"], nemlog["sign_in"], nemlog["fallback"]) == ("not_affected", "unavailable",
                                                                              "on_request")
    assert (nemlog["updated"], nemlog["created"]) == ("2025-12-17T22:05:00+01:00", "2025-12-17T10:26:00+01:00")
    tfe = json.loads(told(env, "ops", "list", "--json", "--environment", "TFE").stdout)
    assert tfe and all("TFE" in m["environment"] for m in tfe)
    report = json.loads(told(env, "ops", "report", "--year", "2025", "--json", "--system", "emcs").stdout)
    assert next(r for r in report if r["month"] == 11)["planned_minutes"] == 35
    table = told(env, "ops", "report", "--year", "2025")
    assert table.returncode == 0 and "DMS Forsendelse (NCTS)" in table.stdout


def test_publish_ask_and_end_at_the_terminal(env):
    made = told(env, "ops", "create", "PRD-servicewindow Gateways", "--system", "DMS Forsendelse (NCTS)",
                "--start", "2030-01-08T18:15", "--end", "2030-01-08T19:30", "--effect", "file=queued",
                "--work-order", "WO0000001700001")
    assert made.returncode == 0, made.stderr
    message_id = made.stdout.split()[0].lstrip("#")
    asked = json.loads(told(env, "ops", "availability", "dms_transit", "--at", "2030-01-08T19:00").stdout)
    assert asked["state"] == "queued" and asked["until"] == "2030-01-08T19:30:00+01:00"
    bad = told(env, "ops", "create", "x", "--system", "nowhere", "--start", "2030-01-08T18:15", "--end",
               "2030-01-08T17:00")
    assert bad.returncode == 1 and "systems/0" in bad.stderr and "window_end" in bad.stderr
    assert told(env, "ops", "withdraw", message_id, "--note", "cancelled").returncode == 0
    shown = told(env, "ops", "show", message_id)
    assert "withdrawn" in shown.stdout and "cancelled" in shown.stdout
