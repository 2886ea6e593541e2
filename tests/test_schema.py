"""The schema file: loaded as data, checked at once, problems named with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from labournet import SchemaError, load_dataset, load_schema
from labournet.schema import default_schema_path


def test_default_schema_declares_the_required_kinds() -> None:
    schema = load_schema()
    assert {"country", "sector", "organisation", "person", "measure", "event", "source"} <= set(
        schema.entities
    )
    assert {
        "sends_workers", "works_in", "remits_to", "pressures", "takes_measure", "targets",
        "exports_to", "estimates", "affiliated_with",
    } <= set(schema.relations)  # fmt: skip
    assert schema.relations["targets"].target == ("country", "sector", "organisation")
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
