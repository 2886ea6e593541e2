"""`labournet import un-list` and `labournet match` on the command line: what they print, the
folder they write, and one located line with exit code 2 for each mistake, no traceback."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner
from un_samples import line_of, run_labournet

from labournet import load_dataset
from labournet.cli import app

runner = CliRunner()
MINI = Path(__file__).parents[1] / "fixtures" / "mini"


def dataset_with(tmp_path: Path, *rows: str) -> Path:
    """A copy of the mini dataset with more entities.csv rows (id,kind,name)."""
    folder = tmp_path / "mine"
    shutil.copytree(MINI, folder)
    with (folder / "entities.csv").open("a", encoding="utf-8") as handle:
        for row in rows:
            handle.write(f"{row},,s-st,,,\n")
    return folder


# ---- the real list -----------------------------------------------------------------------------


def test_import_the_real_dprk_regime_and_validate_it(real_list: Path, tmp_path: Path) -> None:
    done = run_labournet("import", "un-list", real_list, "--regime", "DPRK", "-o", "dprk",
                         cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (
        "wrote dprk: 75 entities, 80 individuals, regime DPRK, list generated 2025-04-19"
    )
    assert done.stderr.splitlines()[0] == f"list: {real_list.resolve()}"
    checked = run_labournet("validate", "dprk", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "311 entities, 310 relations, 0 figures, 1 source, 0 assumptions" in checked.stdout
    dataset = load_dataset(tmp_path / "dprk")
    kinds = [e.kind for e in dataset.entities if e.properties.get("role") == "listed-party"]
    assert (kinds.count("organisation"), kinds.count("person")) == (75, 80)


def test_match_against_the_real_list_and_its_import(real_list: Path, tmp_path: Path) -> None:
    mine = dataset_with(tmp_path, "mansudae,organisation,Mansudae Overseas Project Group")
    result = runner.invoke(
        app, ["match", str(mine), "--list", str(real_list), "--regime", "dprk", "-f", "csv"]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["entity"], r["reference"], r["method"]) for r in rows] == [
        ("mansudae", "KPe.050", "same words")
    ]
    assert float(rows[0]["score"]) >= 0.85
    assert "MANSUDAE OVERSEAS PROJECT GROUP OF COMPANIES" in rows[0]["evidence"]
    imported = tmp_path / "dprk"
    assert runner.invoke(app, ["import", "un-list", str(real_list), "-o", str(imported),
                               "--regime", "DPRK"]).exit_code == 0  # fmt: skip
    again = runner.invoke(app, ["match", str(mine), "--list", str(imported), "-f", "csv"])
    assert again.exit_code == 0, again.output
    assert list(csv.DictReader(io.StringIO(again.stdout)))[0]["reference"] == "KPe.050"


# ---- import --------------------------------------------------------------------------------------


def test_import_prints_its_counts_and_writes_a_dataset(fixtures: Path, tmp_path: Path) -> None:
    out = tmp_path / "small"
    result = runner.invoke(app, ["import", "un-list", str(fixtures / "small.xml"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"wrote {out}: 2 entities, 2 individuals, all 2 regimes, list generated 2024-03-02" in (
        result.stdout
    )
    assert load_dataset(out).entity("un-kpe-901").name.startswith("NORTHWIND")


def test_import_refuses_a_folder_that_holds_something(fixtures: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    args = ["import", "un-list", str(fixtures / "small.xml"), "-o", str(out)]
    refused = runner.invoke(app, args)
    assert refused.exit_code == 2
    assert f"error: {out} is not empty" in refused.output and "--force" in refused.output
    assert (out / "keep.txt").exists()
    forced = runner.invoke(app, [*args, "--force"])
    assert forced.exit_code == 0, forced.output
    assert not (out / "keep.txt").exists() and (out / "sources.csv").exists()


@pytest.mark.parametrize(
    ("file", "marker", "located"),
    [
        ("malformed.xml", "NORTHWIND & SONS", "XML: malformed XML: not well-formed"),
        ("dtd-entities.xml", "<!DOCTYPE", "DOCTYPE: a document type declaration (DTD) is refused"),
        ("no-reference.xml", "<REFERENCE_NUMBER>   <", None),
        ("bad-date.xml", "<LISTED_ON>", "INDIVIDUAL/LISTED_ON: '5 Aug. 2017' is not a date"),
        ("wrong-root.xml", "<sanctionsData>", "sanctionsData: the root element is <sanctionsData>"),
    ],
)
def test_import_errors_are_one_located_line_and_exit_two(
    fixtures: Path, tmp_path: Path, file: str, marker: str, located: str | None
) -> None:
    path, out = fixtures / file, tmp_path / "out"
    result = runner.invoke(app, ["import", "un-list", str(path), "-o", str(out)])
    assert result.exit_code == 2
    assert list(tmp_path.iterdir()) == []
    errors = result.stderr.splitlines()
    assert errors[0] == f"list: {path}"
    assert errors[-1].startswith("error: ") and "nothing was read" in errors[-1]
    if located is None:  # the problem is on the record's first line, not on the marker's
        line = line_of(path, marker) - 3
        located = "ENTITY/REFERENCE_NUMBER: missing or empty"
    else:
        line = line_of(path, marker)
    assert errors[1].startswith(f"{path}:{line}: {located}"), errors


def test_an_import_error_through_the_real_command_has_no_traceback(
    fixtures: Path, tmp_path: Path
) -> None:
    path = fixtures / "malformed.xml"
    done = run_labournet("import", "un-list", path, "-o", "out", cwd=tmp_path)
    assert done.returncode == 2
    assert "Traceback" not in done.stdout + done.stderr
    assert done.stderr.splitlines()[1:] == [
        f"{path}:5: XML: malformed XML: not well-formed (invalid token) (column 30)",
        f"error: 1 problem in the UN list {path}; nothing was read",
    ]
    assert list(tmp_path.iterdir()) == []


def test_import_an_unknown_regime_or_a_missing_file(fixtures: Path, tmp_path: Path) -> None:
    small = fixtures / "small.xml"
    result = runner.invoke(app, ["import", "un-list", str(small), "--regime", "Iran", "-o", "x"])
    assert result.exit_code == 2
    assert f"{small}: regime: no designations of regime 'Iran'; the list has: DPRK, Taliban" in (
        result.output
    )
    missing = runner.invoke(app, ["import", "un-list", str(tmp_path / "no.xml"), "-o", "x"])
    assert missing.exit_code == 2
    assert f"{tmp_path / 'no.xml'}: file: not found" in missing.output
    assert runner.invoke(app, ["import", "un-list", str(small)]).exit_code == 2  # no -o


# ---- match ---------------------------------------------------------------------------------------


def test_match_as_a_table_csv_and_json(fixtures: Path, tmp_path: Path) -> None:
    mine = dataset_with(
        tmp_path,
        "hl,organisation,Harbour Lantern Shipping Group",
        "kang,person,Kang Ex-sol",
    )
    small = str(fixtures / "small.xml")
    table = runner.invoke(app, ["match", str(mine), "--list", small], env={"COLUMNS": "250"})
    assert table.exit_code == 0, table.output
    assert "KPe.902" in table.stdout and "KPi.901" in table.stdout
    assert "2 possible matches at score >= 0.85 among 3 organisations and persons" in table.stdout
    as_json = runner.invoke(app, ["match", str(mine), "--list", small, "--format", "json"])
    rows = json.loads(as_json.stdout)
    assert [(r["entity"], r["reference"], r["score"]) for r in rows] == [
        ("kang", "KPi.901", 1.0),
        ("hl", "KPe.902", 0.95),
    ]
    assert rows[0]["evidence"] == "name 'Kang Ex-sol' = alias (good quality) 'Kang Ex-sol' " \
        "(normalised)"  # fmt: skip
    assert "2 possible matches" in as_json.stderr  # the summary leaves standard output to JSON
    as_csv = runner.invoke(app, ["match", str(mine), "--list", small, "-f", "csv", "-t", "0.99"])
    assert [r["entity"] for r in csv.DictReader(io.StringIO(as_csv.stdout))] == ["kang"]


def test_match_the_bundled_dataset_by_default(fixtures: Path) -> None:
    result = runner.invoke(app, ["match", "--list", str(fixtures / "small.xml")])
    assert result.exit_code == 0, result.output
    assert "(bundled; give a folder to read another)" in result.stderr
    assert "no match at score >= 0.85" in result.stdout


def test_match_mistakes_exit_two(fixtures: Path, tmp_path: Path) -> None:
    small = str(fixtures / "small.xml")
    bad = runner.invoke(app, ["match", "--list", small, "--threshold", "1.5"])
    assert bad.exit_code == 2 and "the threshold must be above 0" in bad.output
    regime = runner.invoke(app, ["match", "--list", small, "--regime", "Talibam"])
    assert regime.exit_code == 2 and "(did you mean 'Taliban'?)" in regime.output
    broken = runner.invoke(app, ["match", "--list", str(fixtures / "malformed.xml")])
    assert broken.exit_code == 2 and "malformed.xml:5: XML: malformed XML" in broken.output
    plain = runner.invoke(app, ["match", "--list", str(MINI)])
    assert plain.exit_code == 2 and "holds no designations" in plain.output
    assert runner.invoke(app, ["match"]).exit_code == 2  # --list is needed
    assert all("Traceback" not in r.output for r in (bad, regime, broken, plain))
