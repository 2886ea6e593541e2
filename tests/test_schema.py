"""The schema file: loaded as data, checked at once, problems named with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from labournet import SchemaError, load_dataset, load_schema
from labournet.model.schema import default_schema_path


def test_default_schema_declares_the_required_kinds() -> None:
    schema = load_schema()
    assert {"country", "sector", "organisation", "person", "measure", "event", "source"} <= set(
        schema.entities
    )
    assert {
        "sends_workers", "works_in", "remits_to", "pressures", "takes_measure", "targets",
        "exports_to", "estimates", "affiliated_with",
    } <= set(schema.relations)  # fmt: skip
    assert schema.relations["targets"].target == ("country", "sector", "organisation", "person")
    assert schema.label("country") == "Country"
    assert schema.relationship_type("sends_workers") == "SENDS_WORKERS"


def write_schema(tmp_path: Path, old: str, new: str) -> Path:
    text = default_schema_path().read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "schema.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_unsafe_label_is_rejected_with_its_line(tmp_path: Path) -> None:
    path = write_schema(tmp_path, "label: Country", "label: Country) DETACH DELETE (n")
    with pytest.raises(SchemaError) as caught:
        load_schema(path)
    (problem,) = caught.value.problems
    assert problem.file == str(path)
    assert problem.field == "entities.country.label"
    line = path.read_text().splitlines()[problem.line - 1]
    assert line.strip() == "label: Country) DETACH DELETE (n"


def test_relation_with_unknown_endpoint_kind(tmp_path: Path) -> None:
    path = write_schema(
        tmp_path,
        "source: [person]\n    target: [organisation]",
        "source: [persn]\n    target: [organisation]",
    )
    with pytest.raises(SchemaError) as caught:
        load_schema(path)
    assert [(p.field, p.reason) for p in caught.value.problems] == [
        ("relations.affiliated_with.source", "unknown entity kind 'persn'")
    ]


def test_a_user_adds_a_kind_in_the_datasets_schema(mini_folder: Path) -> None:
    text = default_schema_path().read_text(encoding="utf-8")
    text = text.replace(
        "  source:\n    label: Source",
        "  vessel:\n    label: Vessel\n    description: A ship.\n\n  source:\n    label: Source",
    )
    (mini_folder / "schema.yaml").write_text(text, encoding="utf-8")
    with (mini_folder / "entities.csv").open("a", encoding="utf-8") as handle:
        handle.write("ship-1,vessel,Ship One,,s-st,,,\n")
    dataset = load_dataset(mini_folder)
    assert dataset.entity("ship-1").kind == "vessel"
    assert dataset.schema.label("vessel") == "Vessel"


def _alias_bomb(levels: int) -> str:
    """The classic: each level lists the previous one nine times (9**levels leaves)."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\nversion: 1\n"


def test_yaml_aliases_are_refused_before_they_expand(tmp_path: Path) -> None:
    import time

    path = tmp_path / "schema.yaml"
    path.write_text(_alias_bomb(10), encoding="utf-8")  # ran out of memory before
    start = time.perf_counter()
    with pytest.raises(SchemaError) as caught:
        load_schema(path)
    assert time.perf_counter() - start < 5
    (problem,) = caught.value.problems
    assert (problem.line, problem.field) == (1, "yaml")
    assert "anchors and aliases" in problem.reason


def test_deep_nesting_is_a_located_problem(tmp_path: Path) -> None:
    path = tmp_path / "schema.yaml"
    path.write_text("version: 1\nentities: " + "[" * 500 + "]" * 500 + "\n", encoding="utf-8")
    with pytest.raises(SchemaError) as caught:  # RecursionError before
        load_schema(path)
    (problem,) = caught.value.problems
    assert problem.line == 2 and "nested more than 20 levels" in problem.reason


def test_a_huge_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "schema.yaml"
    path.write_text("version: 1\n" + "# padding\n" * 120_000, encoding="utf-8")
    with pytest.raises(SchemaError, match="larger than 1,000,000 bytes"):
        load_schema(path)


@pytest.mark.parametrize("bound", [".nan", ".inf", "-.inf", "true"])
def test_a_measure_bound_must_be_a_finite_number(tmp_path: Path, bound: str) -> None:
    path = write_schema(
        tmp_path, "    unit: fraction\n    max: 1", f"    unit: fraction\n    max: {bound}"
    )
    with pytest.raises(SchemaError) as caught:
        load_schema(path)
    (problem,) = caught.value.problems
    assert problem.field.endswith(".max") and "finite number" in problem.reason


def test_a_dataset_with_a_hostile_schema_fails_cleanly_on_the_command_line(
    mini_folder: Path,
) -> None:
    import subprocess

    (mini_folder / "schema.yaml").write_text(_alias_bomb(10), encoding="utf-8")
    done = subprocess.run(
        ["labournet", "validate", str(mini_folder)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert "schema.yaml:1: yaml: YAML anchors and aliases" in done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr


@pytest.mark.parametrize("name", ["key", "node_for_adding", "figures", "name"])
def test_a_property_may_not_take_a_reserved_name(tmp_path: Path, name: str) -> None:
    path = write_schema(tmp_path, "properties: [iso_code, role]", f"properties: [iso_code, {name}]")
    with pytest.raises(SchemaError) as caught:
        load_schema(path)
    (problem,) = caught.value.problems
    assert problem.field == "entities.country.properties" and problem.line is not None
    assert f"'{name}' is a name labournet uses itself" in problem.reason
