"""Every command that reads a dataset says which folder it read, first (CliRunner and the
console script)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from labournet.cli import app
from labournet.resources import bundled_dataset_path

runner = CliRunner()
BUNDLED = str(bundled_dataset_path().resolve())


@pytest.mark.parametrize(
    "args",
    [
        ("validate",),
        ("info",),
        ("report", "--draws", "0", "-o", "{tmp}/report"),
        ("scenario", "--cut", "ru"),
        ("scenario", "--cut", "ru", "-f", "json"),
        ("key-players", "-k", "1"),
        ("centrality", "--top", "2"),
        ("export", "html", "-o", "{tmp}/view.html"),
        ("export", "graphml", "-o", "{tmp}/network.graphml"),
    ],
)
def test_the_first_line_names_the_bundled_folder(args: tuple[str, ...], tmp_path: Path) -> None:
    result = runner.invoke(app, [a.format(tmp=tmp_path) for a in args], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert first == f"dataset: {BUNDLED} (bundled; give a folder to read another)"


def test_a_given_folder_is_named_without_the_bundled_tag(tmp_path: Path, entry) -> None:
    folder = tmp_path / "clone" / "data"
    shutil.copytree(bundled_dataset_path(), folder)
    done = entry("scenario", str(folder), "--cut", "ru", "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[0] == f"dataset: {folder.resolve()}"
    assert done.stdout.startswith("cuts,measure,stage")  # the data stay clean on stdout
