"""`told import …` at the terminal: the officers' settings, lodging from a file, showing, the due list, the sweep."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from tests.conftest import IMPORTER
from tests.imports.service.helpers import SAMPLES, simplified, world
from toldsystem.cli import app

runner = CliRunner()


def told(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.output


def test_the_officers_settings_and_a_lodging_at_the_terminal(sqlite_store, fixed_clock, tmp_path):
    world(credit="")
    assert f"{IMPORTER}: withdrawn since 2026-11-23" in told("import", "credit", "set", IMPORTER, "withdrawn")
    tariff = tmp_path / "tariff.csv"
    tariff.write_text("commodity_code,duty_rate\n85,2\n")
    assert "tariff version 1 active" in told("import", "tariff", "set", str(tariff))
    rules = tmp_path / "rules.txt"
    rules.write_text("commodity 8517* -> red\n")
    assert "rule set version 1 active (seed s)" in told("import", "rules", "set", str(rules), "--seed", "s")
    lodged = told("import", "lodge", str(SAMPLES / "full_express_a.xml"))
    assert "ACCEPTED" in lodged and "CONTROL" in lodged
    mrn = lodged.split("MRN ")[1].split()[0]
    shown = json.loads(told("import", "show", mrn))
    assert shown["lane"]["lane"] == "red" and shown["duties"]["duty"] == "250.00"
    assert "RELEASED" in told("import", "control-result", mrn, "--released")


def test_a_refusal_due_list_and_sweep_at_the_terminal(sqlite_store, fixed_clock, tmp_path):
    world()
    refused = tmp_path / "bad.json"
    data = simplified()
    data["GoodsShipment"]["Importer"] = {"ID": "DE123456789012"}
    refused.write_text(json.dumps(data))
    out = told("import", "lodge", str(refused))
    assert "REJECTED" in out and "/Declaration/GoodsShipment/Importer" in out and "MRN" not in out
    good = tmp_path / "good.json"
    good.write_text(json.dumps(simplified("LRN-CLI-2")))
    mrn = told("import", "lodge", str(good)).split("MRN ")[1].split()[0]
    assert mrn in told("import", "due")
    assert "OVERDUE" in told("import", "due", "--today", "2027-01-10")
    assert "opened 0 case(s)" in told("import", "sweep", "--today", "2027-01-10")  # the list opened it
    assert mrn in told("import", "cases")
