"""The column-wise reader gives the records a plain row-by-row reading gives, and its fast
checks let through only what the exact, row-by-row checks would let through."""

from __future__ import annotations

import csv
import dataclasses
import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from labournet import DatasetError, load_dataset
from labournet.io.validation import _CONTROL, _extra_columns, _has_control, _is_control, check_rows
from labournet.model.dataset import FILES, NO_PROPERTIES, RECORDS, Dataset
from labournet.model.formulas import derive_figures
from labournet.model.schema import load_schema

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = [ROOT / "data" / "dprk-labour-2016", ROOT / "data" / "dprk-labour-2016-2024"]
PARTS = tuple(record.part() for record in RECORDS)


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate", ROOT / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["generate"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("net") / "net"
    return Path(_generator().generate(out, entities=3000, relations=15000, seed=11))


def _rows(folder: Path, name: str, allowed: tuple[str, ...]) -> list[dict[str, str]]:
    """A file's rows as `csv.DictReader` gives them, stripped, every allowed column filled."""
    path = folder / name
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    return [{c: (row.get(c) or "").strip() for c in allowed} for row in rows]


def _reference(folder: Path) -> dict[str, tuple[Any, ...]]:
    """The records of a valid dataset folder read row by row with `Record.from_row`, derived
    figures filled by `derive_figures`: the reading the column-wise reader must match."""
    schema = load_schema(folder / "schema.yaml" if (folder / "schema.yaml").exists() else None)
    parts: dict[str, tuple[Any, ...]] = {}
    for record in RECORDS:
        allowed = FILES[record.FILE] + _extra_columns(record.FILE, schema)
        rows = _rows(folder, record.FILE, allowed)
        parts[record.part()] = tuple(record.from_row(row) for row in rows)
    parts["figures"] = derive_figures(parts["figures"])[0]
    return parts


def _records(dataset: Dataset) -> dict[str, tuple[Any, ...]]:
    return {part: getattr(dataset, part) for part in PARTS}


@pytest.mark.parametrize("folder", BUNDLED, ids=lambda folder: folder.name)
def test_bundled_datasets_read_as_row_by_row(folder: Path) -> None:
    assert _records(load_dataset(folder)) == _reference(folder)


def test_a_generated_network_reads_as_row_by_row(generated: Path) -> None:
    dataset = load_dataset(generated)
    assert len(dataset.relations) == 15000
    assert _records(dataset) == _reference(generated)
    assert any(relation.properties for relation in dataset.relations)


def test_checked_rows_build_the_dataset_a_folder_does(generated: Path) -> None:
    schema = load_schema(None)
    rows = {
        name: _rows(generated, name, FILES[name] + _extra_columns(name, schema)) for name in FILES
    }
    built = check_rows("net", schema, rows, label="graph net")
    assert _records(built) == _records(load_dataset(generated))


@pytest.mark.parametrize("record", RECORDS, ids=lambda record: record.__name__)
def test_from_columns_equals_from_row(record: Any) -> None:
    folder = BUNDLED[1]
    schema = load_schema(None)
    allowed = FILES[record.FILE] + _extra_columns(record.FILE, schema)
    rows = _rows(folder, record.FILE, allowed)
    columns = {column: [row[column] for row in rows] for column in allowed}
    built = record.from_columns(columns)
    assert built == [record.from_row(row) for row in rows]
    assert all(dataclasses.is_dataclass(item) and type(item) is record for item in built)
    properties = [item.properties for item in built if hasattr(item, "properties")]
    filled = [found for found in properties if found]
    assert len({id(found) for found in filled}) == len(filled)  # no filled one shared
    assert all(found is NO_PROPERTIES for found in properties if not found)
    if len(filled) < len(properties):  # the shared empty one cannot be changed
        with pytest.raises(TypeError, match="read-only"):
            next(found for found in properties if not found)["x"] = "y"


def test_the_control_pattern_is_is_control() -> None:
    for code in [*range(0x10000), 0x10FFFF, 0x1F600]:
        char = chr(code)
        expected = _is_control(char) and char not in "\t\n\r"
        assert (_CONTROL.search(char) is not None) is expected, hex(code)
        assert _has_control(f"a{char}b") is expected, hex(code)


def test_an_id_with_a_space_is_one_bad_id(mini_folder: Path) -> None:
    text = (mini_folder / "entities.csv").read_text(encoding="utf-8")
    (mini_folder / "entities.csv").write_text(text.replace("\nus,", "\nu s,"), encoding="utf-8")
    with pytest.raises(DatasetError) as caught:
        load_dataset(mini_folder)
    reasons = [p.reason for p in caught.value.problems if p.field == "id"]
    assert reasons == ["'u s' is not a valid id (letters, digits, _ . : - only)"]


def test_a_row_over_two_lines_keeps_the_lines_of_the_rows_after_it(mini_folder: Path) -> None:
    path = mini_folder / "relations.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("The regime sends workers to China", '"The regime sends\nworkers"')
    lines[-1] = lines[-1].replace(",s-st,", ",s-nowhere,", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DatasetError) as caught:
        load_dataset(mini_folder)
    (problem,) = caught.value.problems
    assert (Path(problem.file).name, problem.line, problem.field) == (
        "relations.csv",
        len(lines) + 1,
        "sources",
    )


def test_a_control_character_in_checked_rows_is_located(mini_folder: Path) -> None:
    copy = mini_folder.parent / "copy"
    shutil.copytree(mini_folder, copy)
    schema = load_schema(None)
    rows = {name: _rows(copy, name, FILES[name] + _extra_columns(name, schema)) for name in FILES}
    rows["entities.csv"][1]["description"] = "bad\x1bcontrol"
    with pytest.raises(DatasetError) as caught:
        check_rows("mini", schema, rows, label="graph mini")
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.field) == ("entities.csv", 3, "description")
    assert problem.reason == "control character U+001B in the text; remove it"
