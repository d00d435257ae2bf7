"""`told export`: lodge a file, show it, and the office's decisions to the exit, on the terminal."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from tests.export.service.helpers import arrival, b1
from toldsystem.cli import app

runner = CliRunner()


def told(*args: str):
    return runner.invoke(app, ["export", *args])


def test_from_lodging_a_file_to_the_exit_on_the_terminal(store, tmp_path):
    declaration = tmp_path / "b1.xml"
    declaration.write_bytes(b1("LRN-CLI-1"))
    lodged = told("lodge", str(declaration))
    assert lodged.exit_code == 0, lodged.output
    mrn = re.search(r"MRN (\w{18}) \(accepted\)", lodged.output).group(1)
    assert "ACCEPTED" in lodged.output
    for step in (["release", mrn, "--reason", "green"], ["present", mrn]):
        assert told(*step).exit_code == 0
    cc507 = tmp_path / "cc507.xml"
    cc507.write_bytes(arrival(mrn))
    assert "ARRIVED_AT_EXIT" in told("arrive", str(cc507)).output
    assert "EXIT_CONFIRMED" in told("exit", mrn).output
    shown = told("show", mrn)
    assert "exited" in shown.output and "confirm_exit" in shown.output


def test_a_refused_step_says_why_and_exits_non_zero(store, tmp_path):
    declaration = tmp_path / "b1.xml"
    declaration.write_bytes(b1("LRN-CLI-2"))
    mrn = re.search(r"MRN (\w{18})", told("lodge", str(declaration)).output).group(1)
    refused = told("exit", mrn)
    assert refused.exit_code == 1 and "export.transition.not_allowed" in refused.output
    unknown = told("show", "26DK0031020000XXA0")
    assert unknown.exit_code == 1 and "No export declaration" in unknown.output
