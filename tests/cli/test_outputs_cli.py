"""Unwritable outputs fail at once, before any computation, with one clear line (CliRunner)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import labournet.cli.centrality
import labournet.cli.dataset
import labournet.cli.db
import labournet.cli.export
import labournet.cli.report
from labournet.cli import app

runner = CliRunner()


def _never(*args: object, **kwargs: object) -> None:
    raise AssertionError("computed before checking the output")


@pytest.fixture
def a_file(tmp_path: Path) -> Path:
    file = tmp_path / "passwd"
    file.write_text("root:x:0:0\n", encoding="utf-8")
    return file


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("report", "-o", "{file}"), "it is a file, not a folder"),
        (("report", "-o", "{file}/sub"), "is a file, not a folder"),
        (("export", "html", "-o", "{file}/view.html"), "is a file, not a folder"),
        (("export", "html", "-o", "{tmp}"), "it is a folder, not a file"),
        (("export", "graphml", "-o", "{file}/g.graphml"), "is a file, not a folder"),
        (("centrality", "-o", "{file}/c.json"), "is a file, not a folder"),
        (("db", "pull", "-o", "{file}"), "it is a file, not a folder"),
    ],
)
def test_an_unwritable_output_fails_before_computing(
    args: tuple[str, ...], message: str, a_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(labournet.cli.report, "load_dataset", _never)
    monkeypatch.setattr(labournet.cli.export, "load_network", _never)
    monkeypatch.setattr(labournet.cli.centrality, "read_network", _never)
    monkeypatch.setattr(labournet.cli.dataset, "load_dataset", _never)
    monkeypatch.setattr(labournet.cli.db, "_connect", _never)
    filled = [a.format(file=a_file, tmp=a_file.parent) for a in args]
    result = runner.invoke(app, filled, env={"COLUMNS": "200"})
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert "Traceback" not in result.output


def test_a_read_only_folder_is_found_before_computing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(labournet.cli.report, "load_dataset", _never)
    monkeypatch.setattr("tempfile.TemporaryFile", refuse)
    result = runner.invoke(app, ["report", "-o", str(tmp_path / "out")], env={"COLUMNS": "200"})
    assert result.exit_code == 2, result.output
    assert "Permission denied" in result.output and str(tmp_path) in result.output
