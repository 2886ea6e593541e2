"""Planning a load: every name checked before any query; rows and back (no server).

A recording runner stands in for the database (the query-runner seam), so these tests see
exactly which statements a load would send.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import pytest

from labournet.errors import QueryError
from labournet.model.dataset import Dataset
from labournet.model.schema import EntityKind, RelationKind, Schema, load_schema
from labournet.store import Result, Store
from labournet.store.rows import (
    build_dataset,
    plan_load,
    schema_from_yaml,
    schema_statements,
    schema_to_yaml,
)


class RecordingRunner:
    """A QueryRunner that records every statement and answers with empty results."""

    backend = "falkordb"
    target = "fake://"

    def __init__(self) -> None:
        self.sent: list[tuple[str, Mapping[str, Any], bool]] = []

    def run(self, cypher: str, parameters: Mapping[str, Any], *, write: bool) -> Result:
        self.sent.append((cypher, parameters, write))
        return Result([], [], {})

    def run_schema(self, statement: str) -> bool:
        self.sent.append((statement, {}, True))
        return True

    def wipe(self) -> None:
        self.sent.append(("<wipe>", {}, True))

    def close(self) -> None:
        pass


def _with_entity_kind(dataset: Dataset, kind: str) -> Dataset:
    first = dataclasses.replace(dataset.entities[0], kind=kind)
    return dataclasses.replace(dataset, entities=(first, *dataset.entities[1:]))


def _with_schema(dataset: Dataset, schema: Schema) -> Dataset:
    return dataclasses.replace(dataset, schema=schema)


UNSAFE = "Country`) DETACH DELETE n //"


def _unsafe_datasets(bundled: Dataset) -> dict[str, tuple[Dataset, str]]:
    schema = bundled.schema
    bad_label = dict(schema.entities)
    bad_label["country"] = dataclasses.replace(bad_label["country"], label=UNSAFE)
    bad_type = dict(schema.relations)
    bad_type["works_in"] = dataclasses.replace(bad_type["works_in"], type="WORKS_IN]->() DELETE r")
    bad_prop = dict(schema.entities)
    bad_prop["country"] = dataclasses.replace(bad_prop["country"], properties=("role} SET n.x=1",))
    reserved = dict(schema.relations)
    reserved["works_in"] = dataclasses.replace(reserved["works_in"], properties=("claim",))
    entity_prop = dataclasses.replace(bundled.entities[0], properties={"role`]": "x"})
    relation = dataclasses.replace(bundled.relations[0], kind="sends_workers`]->()")
    return {
        "unknown entity kind": (_with_entity_kind(bundled, UNSAFE), "unknown kind"),
        "unsafe label": (
            _with_schema(bundled, dataclasses.replace(schema, entities=bad_label)),
            "unsafe label",
        ),
        "unsafe relationship type": (
            _with_schema(bundled, dataclasses.replace(schema, relations=bad_type)),
            "unsafe relationship type",
        ),
        "unsafe schema property": (
            _with_schema(bundled, dataclasses.replace(schema, entities=bad_prop)),
            "unsafe entity property",
        ),
        "reserved property": (
            _with_schema(bundled, dataclasses.replace(schema, relations=reserved)),
            "clashes with a property labournet writes",
        ),
        "unsafe entity property": (
            dataclasses.replace(bundled, entities=(entity_prop, *bundled.entities[1:])),
            "unsafe property",
        ),
        "unknown relation kind": (
            dataclasses.replace(bundled, relations=(relation, *bundled.relations[1:])),
            "unknown kind",
        ),
    }


@pytest.mark.parametrize(
    "case",
    [
        "unknown entity kind",
        "unsafe label",
        "unsafe relationship type",
        "unsafe schema property",
        "reserved property",
        "unsafe entity property",
        "unknown relation kind",
    ],
)
def test_unsafe_names_are_rejected_before_any_query(bundled: Dataset, case: str) -> None:
    dataset, message = _unsafe_datasets(bundled)[case]
    runner = RecordingRunner()
    with pytest.raises(QueryError, match=message):
        Store(runner).load(dataset)
    assert runner.sent == []


def test_relations_must_join_entities_and_figures_be_finite(bundled: Dataset) -> None:
    runner = RecordingRunner()
    dangling = dataclasses.replace(bundled.relations[0], target="nowhere")
    with pytest.raises(QueryError, match="'nowhere' is not an entity"):
        Store(runner).load(dataclasses.replace(bundled, relations=(dangling,)))
    infinite = dataclasses.replace(bundled.figures[0], high=float("inf"))
    with pytest.raises(QueryError, match="high must be a finite number"):
        Store(runner).load(dataclasses.replace(bundled, figures=(infinite,)))
    assert runner.sent == []


def test_a_load_sends_schema_then_batches_and_only_parameters(bundled: Dataset) -> None:
    runner = RecordingRunner()
    Store(runner).load(bundled, batch_size=10)
    statements = [cypher for cypher, _, _ in runner.sent]
    # which dataset the graph holds (another one is refused), then what it holds
    assert statements[0].startswith("MATCH (d:Dataset {id: 'dataset'})\nRETURN d.name AS name")
    assert statements[1] == "MATCH (n)\nRETURN labels(n) AS labels, count(*) AS count"
    ddl = [s for s in statements if s.startswith("CREATE INDEX")]
    assert len(ddl) == len(schema_statements(bundled.schema, "falkordb"))
    loads = [(c, p) for c, p, w in runner.sent if "UNWIND $rows" in c]
    assert all(len(p["rows"]) <= 10 for _, p in loads)
    assert sum(len(p["rows"]) for _, p in loads) == plan_load(bundled, "falkordb").total_rows
    for cypher, _ in loads:  # no value ever appears in the query text
        assert "North Korea" not in cypher and "s-st-2016-09-13" not in cypher
    # the graph records the load as started before the first batch and complete after the last
    started = next(i for i, c in enumerate(statements) if "d.load_complete = false" in c)
    finished = next(i for i, c in enumerate(statements) if "d.load_complete = true" in c)
    batches = [i for i, c in enumerate(statements) if "UNWIND $rows" in c]
    assert started < batches[0] and batches[-1] < finished
    head = runner.sent[started][1]
    assert head["expected"] == [
        len(bundled.sources), len(bundled.assumptions), len(bundled.entities),
        len(bundled.relations), len(bundled.figures),
    ]  # fmt: skip


def test_schema_statements_are_expanded_for_every_label_and_type() -> None:
    schema = load_schema()
    statements = schema_statements(schema, "neo4j")
    assert "CREATE INDEX label_Country_id IF NOT EXISTS FOR (n:Country) ON (n.id)" in statements
    assert (
        "CREATE CONSTRAINT relation_WORKS_IN_id IF NOT EXISTS FOR ()-[r:WORKS_IN]-() "
        "REQUIRE r.id IS UNIQUE" in statements
    )
    # Source is both a core label (sources.csv) and an entity kind's label: indexed once.
    assert not any("label_Source_id" in s for s in statements)
    falkordb = schema_statements(schema, "falkordb")
    assert "CREATE INDEX FOR (n:Country) ON (n.id)" in falkordb
    # one id index per relationship type: concurrent MERGEs need it (see the file)
    assert "CREATE INDEX FOR ()-[r:SENDS_WORKERS]-() ON (r.id)" in falkordb
    assert len([s for s in falkordb if "]-()" in s]) == len(schema.relations)


def test_rows_rebuild_the_dataset(bundled: Dataset, graph_records: Any) -> None:
    """build_dataset(records shaped like the pull queries' rows) == the planned dataset."""
    records = graph_records(bundled)
    rebuilt = build_dataset("x", bundled.schema, records)
    assert rebuilt == bundled
    for part in ("entities", "relations", "figures", "sources", "assumptions"):
        # the files' order, which a diff of a pulled dataset against its source depends on
        assert [r.id for r in getattr(rebuilt, part)] == [r.id for r in getattr(bundled, part)]


def test_a_custom_schema_survives_the_trip_through_yaml(bundled: Dataset) -> None:
    schema = bundled.schema
    entities = dict(schema.entities)
    entities["vessel"] = EntityKind("vessel", "Vessel", "A ship", ("flag",), ())
    relations = dict(schema.relations)
    relations["crews"] = RelationKind("crews", "CREWS", ("country",), ("vessel",), "", (), ())
    custom = Schema(entities, relations, schema.measures)
    assert schema_from_yaml(schema_to_yaml(custom)) == custom
    assert schema_from_yaml(schema_to_yaml(schema)).path == schema.path  # the packaged one
    assert schema_from_yaml(None) == schema


def test_entities_carry_their_kinds_properties_so_emptied_ones_are_removed(
    bundled: Dataset,
) -> None:
    plan = plan_load(bundled, "falkordb")
    step = next(step for step in plan.steps if step.stage == "entities Country")
    at = step.file.row.index("properties")
    kp = next(row for row in step.rows if row[0] == "kp")
    assert kp[at] == {"iso_code": "KP", "role": "regime"}
    other = next(row for row in step.rows if row[0] == "other-hosts")
    assert other[at] == {"iso_code": None, "role": "aggregate"}


def test_entity_kinds_cannot_take_labournet_labels(bundled: Dataset) -> None:
    entities = dict(bundled.schema.entities)
    entities["country"] = dataclasses.replace(entities["country"], label="Figure")
    runner = RecordingRunner()
    dataset = _with_schema(bundled, dataclasses.replace(bundled.schema, entities=entities))
    with pytest.raises(QueryError, match="label 'Figure' is reserved"):
        Store(runner).load(dataset)
    assert runner.sent == []
