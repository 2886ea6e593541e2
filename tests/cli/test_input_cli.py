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


MINI = Path(__file__).parents[1] / "fixtures" / "mini"


@pytest.mark.parametrize("command", [("export", "html", "-o", "-"), ("centrality",)])
@pytest.mark.parametrize("suffix", [".graphml", ".json"])
def test_a_cut_or_edited_graph_file_is_a_located_error_without_a_traceback(
    tmp_path: Path, entry, command: tuple[str, ...], suffix: str
) -> None:
    import json

    import labournet
    from labournet.io.graphfile import export_graphml, export_json

    dataset = labournet.load_dataset(MINI)
    if suffix == ".graphml":
        path = export_graphml(dataset, tmp_path / "net.graphml")
        text = path.read_text(encoding="utf-8")
        path.write_text(text[: len(text) // 2], encoding="utf-8")  # cut in half
    else:
        path = export_json(dataset, tmp_path / "net.json")
        data = json.loads(path.read_text(encoding="utf-8"))
        data["graph"]["schema"]["measures"] = "garbage"  # AttributeError before
        path.write_text(json.dumps(data), encoding="utf-8")
    args = (
        (*command[:2], str(path), *command[2:]) if command[0] == "export" else (*command, str(path))
    )
    result = entry(*args)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert f"{path}" in result.stderr
