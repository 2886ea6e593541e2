"""`labournet export ftm` and `labournet import ftm` through the console script."""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path
from typing import Any

import pytest

import labournet

if importlib.util.find_spec("followthemoney") is None:
    if os.environ.get("CI") == "true":
        raise RuntimeError("the FollowTheMoney tests must run in CI: pip install '.[ftm]'")
    pytest.skip("followthemoney not installed (pip install '.[ftm]')", allow_module_level=True)

ROOT = Path(__file__).parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "ftm"
DATED = ROOT / "data" / "dprk-labour-2016-2024"


def test_export_then_import_gives_the_dataset_back(entry: Any, tmp_path: Path) -> None:
    out = tmp_path / "dated.ftm.json"
    exported = entry("export", "ftm", str(DATED), "-o", str(out))
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.startswith("wrote FollowTheMoney JSON lines")
    assert len(out.read_text(encoding="utf-8").splitlines()) == 302  # the stamp, then 301
    imported = entry("import", "ftm", str(out), "-o", str(tmp_path / "back"))
    assert imported.returncode == 0, imported.stderr
    assert "Sanction" in imported.stdout and "targets (labournet's own)" in imported.stdout
    assert imported.stdout.rstrip().endswith("40 assumptions")
    assert labournet.load_dataset(tmp_path / "back") == labournet.load_dataset(DATED)


def test_export_to_standard_output(entry: Any) -> None:
    result = entry("export", "ftm", "-o", "-")
    assert result.returncode == 0, result.stderr
    stamp, first = (json.loads(line) for line in result.stdout.splitlines()[:2])
    assert stamp["id"] == "labournet-stamp" and "labournet export ftm" in json.dumps(stamp)
    assert first["schema"] == "Article"


def test_import_lists_what_it_does_not_map(entry: Any, tmp_path: Path) -> None:
    result = entry("import", "ftm", str(FIXTURES / "elsewhere.ftm.json"), "-o", str(tmp_path / "x"))
    assert result.returncode == 0, result.stderr
    rows = {tuple(line.split("│")[1:4]) for line in result.stdout.splitlines() if "│" in line}
    cells = {tuple(cell.strip() for cell in row) for row in rows}
    assert ("Vessel", "not imported: labournet has no kind for an FtM Vessel", "1") in cells
    assert (
        "BankAccount",
        "not imported: labournet has no kind for an FtM BankAccount",
        "1",
    ) in cells
    assert ("Email", "not imported: labournet has no kind for an FtM Email", "1") in cells
    assert ("Person.birthDate", "not carried: labournet has no field for it", "1") in cells
    assert ("Person", "-> person", "1") in cells


def test_malformed_lines_exit_2_with_located_lines(entry: Any, tmp_path: Path) -> None:
    result = entry("import", "ftm", str(FIXTURES / "malformed.ftm.json"), "-o", str(tmp_path / "x"))
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert lines[0].startswith("FollowTheMoney: ")
    assert any(
        line.endswith("malformed.ftm.json:3: json: an FtM entity is a JSON object, not list")
        for line in lines
    )
    assert lines[-1].startswith("error: 6 problems in ")
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x").exists()


def test_a_missing_file_and_a_non_empty_folder_exit_2(entry: Any, tmp_path: Path) -> None:
    missing = entry("import", "ftm", str(tmp_path / "nope.json"), "-o", str(tmp_path / "x"))
    assert missing.returncode == 2 and "cannot read" in missing.stderr
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "a").write_text("")
    full = entry(
        "import", "ftm", str(FIXTURES / "elsewhere.ftm.json"), "-o", str(tmp_path / "full")
    )
    assert full.returncode == 2 and "is not empty" in full.stderr and "--force" in full.stderr


def test_export_ftm_needs_a_dataset_folder(entry: Any, tmp_path: Path) -> None:
    edges = tmp_path / "edges.csv"
    edges.write_text("source,target\na,b\n")
    result = entry("export", "ftm", str(edges), "-o", str(tmp_path / "x.json"))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1] == (
        f"error: {edges}: export ftm needs a dataset folder (its sources and figures)"
    )
