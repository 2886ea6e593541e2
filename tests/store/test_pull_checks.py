"""A pull checks what the graph holds before anyone uses it (no server: a runner that answers
the pull queries with the records a test gives it, as another tool might have left them)."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

import pytest

from labournet.errors import DatasetError, IncompleteGraphError, QueryError, SchemaError
from labournet.model.dataset import Dataset
from labournet.store import Result, Store
from labournet.store.base import PULLED
from labournet.store.rows import load_file, schema_to_yaml

Records = Callable[[Dataset], dict[str, list[dict[str, Any]]]]
"""The `graph_records` fixture: the records the pull queries return for a dataset."""


class GraphRunner:
    """Answers the pull queries from `head` (the Dataset node) and `records`."""

    backend = "falkordb"
    target = "falkordb://fake:6379/g"

    def __init__(self, head: dict[str, Any] | None, records: dict[str, list[dict[str, Any]]]):
        self.head = head
        self.records = records
        self.queries = {load_file("pull", f"{part}.cypher").body: part for part in PULLED}
        self.head_query = load_file("pull", "dataset.cypher").body

    def run(self, cypher: str, parameters: Mapping[str, Any], *, write: bool) -> Result:
        assert not write, "a pull never writes"
        if cypher == self.head_query:
            rows = [] if self.head is None else [list(self.head.values())]
            return Result(list(self.head or {}), rows)
        found = self.records[self.queries[cypher]]
        columns = list(found[0]) if found else []
        return Result(columns, [[r.get(c) for c in columns] for r in found])

    def close(self) -> None:
        pass


def head_of(dataset: Dataset, **changes: Any) -> dict[str, Any]:
    head = {
        "name": dataset.name,
        "schema": schema_to_yaml(dataset.schema),
        "load_complete": True,
        "load_started": "2026-12-02T01:00:00+00:00",
        "load_finished": "2026-12-02T01:00:05+00:00",
        "load_expected": [
            len(dataset.sources), len(dataset.assumptions), len(dataset.entities),
            len(dataset.relations), len(dataset.figures),
        ],
    }  # fmt: skip
    return head | changes


def pull(head: dict[str, Any] | None, records: dict[str, list[dict[str, Any]]]) -> Dataset:
    return Store(GraphRunner(head, records)).pull()  # type: ignore[arg-type]


def test_a_whole_graph_pulls_back_equal(bundled: Dataset, graph_records: Records) -> None:
    assert pull(head_of(bundled), graph_records(bundled)) == bundled


def test_a_load_that_did_not_finish_is_refused(bundled: Dataset, graph_records: Records) -> None:
    records = graph_records(bundled)
    records["relations"] = records["relations"][:3]
    records["figures"] = []
    with pytest.raises(IncompleteGraphError, match=r"started 2026-12-02T01:00:00\+00:00\) did"):
        pull(head_of(bundled, load_complete=False), records)


def test_records_deleted_since_the_load_are_counted_and_refused(
    bundled: Dataset, graph_records: Records
) -> None:
    records = graph_records(bundled)
    records["figures"] = records["figures"][:-2]
    total = len(bundled.figures)
    with pytest.raises(IncompleteGraphError, match=f"holds {total - 2} of the {total} figures"):
        pull(head_of(bundled), records)


def test_records_beyond_the_load_are_pulled_with_a_warning(
    bundled: Dataset, graph_records: Records
) -> None:
    records = graph_records(bundled)
    head = head_of(bundled)
    head["load_expected"][2] -= 1  # the graph holds one entity more than the load wrote
    with pytest.warns(UserWarning, match="holds 1 entity more than its last load"):
        assert pull(head, records) == bundled


def test_a_graph_without_a_load_record_is_pulled_with_a_warning(
    bundled: Dataset, graph_records: Records
) -> None:
    head = head_of(bundled, load_complete=None, load_expected=None)
    with pytest.warns(UserWarning, match="does not record whether the load"):
        assert pull(head, graph_records(bundled)) == bundled


def test_a_graph_without_a_dataset_says_so(bundled: Dataset, graph_records: Records) -> None:
    with pytest.raises(QueryError, match="holds no labournet dataset"):
        pull(None, graph_records(bundled))


def _foreign(
    records: dict[str, list[dict[str, Any]]], part: str, **record: Any
) -> dict[str, list[dict[str, Any]]]:
    records = copy.deepcopy(records)
    records[part].append(record)
    return records


FOREIGN: dict[str, tuple[str, dict[str, Any], list[str]]] = {
    "a figure without numbers": (
        "figures",
        {"id": "f-foreign", "subject": "cn", "measure": "workers", "unit": "workers",
         "year": 2016, "claim": "x", "sources": ["s-st-2016-09-13"]},
        ["figures.csv:", "low: required field is empty", "high: required field is empty"],
    ),
    "text where a number belongs": (
        "figures",
        {"id": "f-text", "subject": "cn", "measure": "workers", "low": "many", "high": 5,
         "unit": "workers", "year": "soon", "claim": "x", "sources": ["s-st-2016-09-13"]},
        ["low:", "'many'", "year:"],
    ),
    "a number that is not finite": (
        "figures",
        {"id": "f-inf", "subject": "cn", "measure": "workers", "low": 1.0,
         "high": float("inf"), "unit": "workers", "year": 2016, "claim": "x",
         "sources": ["s-st-2016-09-13"]},
        ["high: 'inf' is not a finite number"],
    ),
    "an entity without an id": (
        "entities",
        {"kind": "country", "name": "Nowhere", "sources": ["s-st-2016-09-13"]},
        ["entities.csv:", "id: required field is empty"],
    ),
    "an unknown kind": (
        "entities",
        {"id": "x1", "kind": "planet", "name": "Mars", "load_order": "first"},
        ["kind:", "'planet'"],
    ),
    "a relation to nowhere": (
        "relations",
        {"id": "r-x", "kind": "works_in", "source": "cn", "target": "atlantis",
         "claim": "x", "sources": ["s-st-2016-09-13"], "properties": "not a list"},
        ["target:", "'atlantis'"],
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", list(FOREIGN))
def test_records_another_tool_wrote_are_located_problems(
    bundled: Dataset, graph_records: Records, case: str
) -> None:
    part, record, expected = FOREIGN[case]
    records = _foreign(graph_records(bundled), part, **record)
    head = head_of(bundled)
    head["load_expected"] = None  # the counts are another test's business
    with pytest.raises(DatasetError) as caught:
        pull(head, records)
    text = str(caught.value)
    assert "the dataset falkordb://fake:6379/g holds" in caught.value.summary
    assert "nothing was written" in caught.value.summary
    for part_of_message in expected:
        assert part_of_message in text, text


def test_odd_values_are_read_as_text_where_text_belongs(
    bundled: Dataset, graph_records: Records
) -> None:
    records = graph_records(bundled)
    records["entities"][0]["name"] = 42  # another tool stored a number as a name
    records["entities"][0]["description"] = ["two", "lines"]
    pulled = pull(head_of(bundled), records)
    assert pulled.entities[0].name == "42"
    assert pulled.entities[0].description == "two;lines"  # as a list field is written


@pytest.mark.parametrize(
    ("stored", "message"),
    [(5, "not the text of a schema.yaml but a int"), ("version: [", "yaml")],
)
def test_a_stored_schema_that_is_not_one_is_located(
    bundled: Dataset, graph_records: Records, stored: Any, message: str
) -> None:
    with pytest.raises(SchemaError) as caught:
        pull(head_of(bundled, schema=stored), graph_records(bundled))
    assert "the schema stored in falkordb://fake:6379/g" in str(caught.value)
    assert message in str(caught.value)
