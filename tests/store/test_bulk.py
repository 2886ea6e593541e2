"""A first load into a new FalkorDB graph goes as GRAPH.BULK commands, and stores exactly what
the load's CREATE statements store.

The forms are checked without a server; the loads run on the session's real FalkorDB server
(tests/store/conftest.py), each in graphs of its own.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest

from labournet.errors import QueryError, StoreError
from labournet.model.dataset import Dataset
from labournet.store import Store, bulk, connect
from labournet.store.bulk import BulkForm, bulk_commands, bulk_form
from labournet.store.rows import plan_load

NODE = "UNWIND $rows AS row\nCREATE (n:Entity:Country {id: row[0]})\n"


def test_every_load_statement_has_its_bulk_form(bundled: Dataset) -> None:
    plan = plan_load(bundled, "falkordb")
    forms = {step.stage: bulk_form(step.create) for step in plan.steps}
    assert all(form is not None for form in forms.values())
    country = forms["entities Country"]
    assert country == BulkForm(
        labels=("Entity", "Country"),
        ends=None,
        assignments=country.assignments,
        maps=(2,),
    )
    assert country.assignments[:2] == (("id", 0), ("load_order", 1))
    links = forms["figure links"]
    assert links == BulkForm(("FIGURE_OF",), (("Figure", 0), ("Entity", 1)), (), ())


@pytest.mark.parametrize(
    "cypher",
    [
        NODE.replace("CREATE", "MERGE"),  # not a CREATE
        NODE + "SET n += row[2]\nSET n.name = row[1]",  # an assignment after a map: order matters
        NODE + "WITH n\nSET n.name = row[1]",  # a clause the bulk format has no room for
        NODE + "SET m.name = row[1]",  # another variable
        NODE + "SET n.name = toUpper(row[1])",  # an expression, not a row value
        "UNWIND $rows AS row\nMATCH (a:Entity {id: row[1]})\nCREATE (a)-[:X]->(b)",  # b unbound
    ],
)
def test_a_statement_of_another_form_goes_as_cypher(cypher: str) -> None:
    assert bulk_form(cypher) is None


def test_a_map_entry_wins_over_the_assignment_before_it_where_the_row_has_it() -> None:
    form = BulkForm(("Country",), None, (("id", 0), ("role", 1)), (2,))
    rows = [
        ["a", "host", {"role": "regime", "iso": "A"}],  # the map's entry wins
        ["b", "host", {"role": None}],  # a null entry removes the assigned value
        ["c", "host", {}],  # no entry: the assignment stands
    ]
    names, columns = bulk._columns(rows, form)
    assert dict(zip(names, columns, strict=True)) == {
        "id": ["a", "b", "c"],
        "role": ["regime", None, "host"],
        "iso": ["A", None, None],
    }


def test_commands_number_nodes_and_carry_every_row(bundled: Dataset) -> None:
    plan = plan_load(bundled, "falkordb")
    forms = [bulk_form(step.create) for step in plan.steps]
    commands = list(bulk_commands(plan, forms, first_id=1, rows=5))  # type: ignore[arg-type]
    nodes = sum(len(s.rows) for s, f in zip(plan.steps, forms, strict=True) if f and f.is_node)
    assert all(c.rows <= 5 for c in commands)
    assert sum(c.rows for c in commands if c.is_node) == nodes
    assert sum(c.rows for c in commands) == plan.total_rows
    first_relation = next(i for i, c in enumerate(commands) if not c.is_node)
    assert all(not c.is_node for c in commands[first_relation:])  # nodes before their ends
    samples = {k: v for c in commands for k, v in c.samples.items()}
    assert samples[1] == plan.steps[0].rows[0][0]  # the first node made is the first source
    assert max(samples) == nodes  # and the last node made has the id counted to it


def test_relationship_ends_are_the_internal_ids_of_their_nodes(bundled: Dataset) -> None:
    import struct

    plan = plan_load(bundled, "falkordb")
    forms = [bulk_form(step.create) for step in plan.steps]
    commands = list(bulk_commands(plan, forms, first_id=1, rows=5))  # type: ignore[arg-type]
    numbered: dict[str, int] = {}
    for step, form in zip(plan.steps, forms, strict=True):
        if form is not None and form.is_node:
            numbered |= {row[0]: len(numbered) + 1 for row in step.rows}
    step = next(s for s in plan.steps if s.stage.startswith("relations"))
    form = bulk_form(step.create)
    assert form is not None and form.ends is not None
    command = next(c for c in commands if c.stage == step.stage)
    header = len(":".join(form.labels)) + 1 + 4  # the name, NUL, the property count
    header += sum(len(name) + 1 for name in bulk._columns(step.rows[: command.rows], form)[0])
    source, target = struct.unpack_from("<QQ", command.token, header)
    (_, source_at), (_, target_at) = form.ends
    assert (source, target) == (
        numbered[step.rows[0][source_at]],
        numbered[step.rows[0][target_at]],
    )


def test_an_end_no_node_has_is_named() -> None:
    form = BulkForm(("LEADS",), (("Entity", 0), ("Entity", 1)), (), ())
    step = type("Step", (), {"stage": "relations LEADS", "file": type("F", (), {"path": "x"})})
    with pytest.raises(QueryError, match="x: no Entity node has id 'b'"):
        bulk._end_ids([["a", "b"]], form, {"Entity": {"a": 1}}, step)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("nul \x00 byte", "NUL character"),
        (["fine", "nul \x00"], "NUL character"),
        (float("inf"), "finite numbers"),
        ({"a": 1}, "cannot store a dict"),
        (2**70, "64-bit integer"),
    ],
)
def test_a_value_falkordb_cannot_store_is_named(value: Any, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        bulk._encode_column(["ok", value], "name", "entities.cypher")


# -- on the server ----------------------------------------------------------------------------


class WithoutBulk:
    """A FalkorDB runner that cannot bulk load, so that a first load sends CREATE statements."""

    def __init__(self, runner: object) -> None:
        self._runner = runner

    def __getattr__(self, name: str) -> object:
        if name in ("bulk", "bulk_ready"):
            raise AttributeError(name)
        return getattr(self._runner, name)


@pytest.fixture
def two_graphs(falkordb_uri: str) -> Iterator[tuple[Store, Store]]:
    """Two new graphs, deleted again afterwards: one loaded by bulk, one by statements."""
    with connect(f"{falkordb_uri}_bulk") as by_bulk, connect(f"{falkordb_uri}_cypher") as other:
        other.runner = WithoutBulk(other.runner)  # type: ignore[assignment]
        for store in (by_bulk, other):
            store.wipe()
        try:
            yield by_bulk, other
        finally:
            for store in (by_bulk, other):
                store.wipe()


def everything(store: Store) -> tuple[list[str], list[str]]:
    """Every node (labels, properties) and relationship (ends, type, properties), as text,
    without the load's start and finish times."""

    def props(values: dict[str, Any]) -> str:
        kept = {k: v for k, v in values.items() if k not in ("load_started", "load_finished")}
        return repr(sorted(kept.items()))

    nodes = store.runner.run("MATCH (n) RETURN labels(n), properties(n)", {}, write=False)
    rels = store.runner.run(
        "MATCH (a)-[r]->(b) RETURN a.id, type(r), b.id, properties(r)", {}, write=False
    )
    return (
        sorted(f"{sorted(labels)} {props(p)}" for labels, p in nodes.rows),
        sorted(f"{a} {t} {b} {props(p)}" for a, t, b, p in rels.rows),
    )


def indexes(store: Store) -> list[str]:
    found = store.runner.run(
        "CALL db.indexes() YIELD label, properties, entitytype, status "
        "RETURN label, properties, entitytype, status",
        {},
        write=False,
    )
    return sorted(map(repr, found.rows))


def bulk_calls(store: Store, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The rows of each bulk command `store` sends, recorded as it sends them."""
    sent: list[int] = []
    send = store.runner.bulk  # type: ignore[attr-defined]

    def recorded(command: bulk.BulkCommand) -> None:
        sent.append(command.rows)
        send(command)

    monkeypatch.setattr(store.runner, "bulk", recorded)
    return sent


@pytest.mark.falkordb
@pytest.mark.parametrize("split", [False, True])
def test_a_bulk_load_stores_what_the_create_statements_store(
    two_graphs: tuple[Store, Store],
    network: Dataset,
    monkeypatch: pytest.MonkeyPatch,
    split: bool,
) -> None:
    by_bulk, by_statements = two_graphs
    rows = 7 if split else 5000  # many small commands, numbered on from one to the next
    sent = bulk_calls(by_bulk, monkeypatch)
    bulk_summary = by_bulk.load(network, batch_size=rows)
    statement_summary = by_statements.load(network, batch_size=300)
    assert sum(sent) == plan_load(network, "falkordb").total_rows and max(sent) <= rows
    assert bulk_summary.batches == len(sent)
    assert bulk_summary.created and statement_summary.created
    for field in ("nodes_created", "relationships_created", "properties_set", "after"):
        assert getattr(bulk_summary, field) == getattr(statement_summary, field), field
    assert everything(by_bulk) == everything(by_statements)
    assert indexes(by_bulk) == indexes(by_statements)
    assert all("OPERATIONAL" in index for index in indexes(by_bulk))
    assert by_bulk.pull() == network
    again = by_bulk.load(network)  # and a second load MERGEs over it, creating nothing
    assert not again.created and (again.nodes_created, again.relationships_created) == (0, 0)
    assert again.after == again.before and by_bulk.duplicates() == []


@pytest.mark.falkordb
def test_the_indexes_made_before_the_bulk_commands_hold_every_record(
    two_graphs: tuple[Store, Store], network: Dataset
) -> None:
    """The bulk load makes the indexes first and the server fills them command by command:
    every record is found by its id through its index, as a MERGE load will look it up."""
    store, _ = two_graphs
    assert store.load(network, batch_size=500).created
    plan = plan_load(network, "falkordb")
    by_type: dict[str, list[str]] = {}
    for relation_id, (rel_type, _, _) in plan.relation_shapes.items():
        by_type.setdefault(rel_type, []).append(relation_id)
    by_label: dict[str, list[str]] = {}
    for entity_id, label in plan.entity_labels.items():
        by_label.setdefault(label, []).append(entity_id)
    lookups = [
        (f"UNWIND $ids AS i MATCH ()-[r:{rel_type} {{id: i}}]->() RETURN count(r)", ids)
        for rel_type, ids in by_type.items()
    ] + [
        (f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) RETURN count(n)", ids)
        for label, ids in by_label.items()
    ]
    assert len(by_type) >= 3 and len(by_label) >= 3
    for query, ids in lookups:
        shown = "\n".join(store.runner._graph.explain(query, {"ids": ids[:2]}).plan)  # type: ignore[attr-defined]
        assert "Index Scan" in shown, shown
        assert store.runner.run(query, {"ids": ids}, write=False).rows == [[len(ids)]], query


@pytest.mark.falkordb
def test_a_graph_that_exists_empty_gets_create_statements(
    two_graphs: tuple[Store, Store], bundled: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An existing graph may hold deleted node slots that the server gives out again, so the
    load cannot know the ids a bulk command would get: it sends statements."""
    store, _ = two_graphs
    store.apply_schema(bundled)  # the graph exists now, with indexes and no nodes
    sent = bulk_calls(store, monkeypatch)
    summary = store.load(bundled)
    assert summary.created and sent == []
    assert store.pull() == bundled


@pytest.mark.falkordb
def test_a_value_the_server_cannot_store_leaves_no_graph(
    two_graphs: tuple[Store, Store], bundled: Dataset
) -> None:
    store, _ = two_graphs
    last = bundled.figures[-1]
    broken = dataclasses.replace(
        bundled, figures=(*bundled.figures[:-1], dataclasses.replace(last, claim="a\x00b"))
    )
    with pytest.raises(QueryError, match=r"figures\.cypher \(figures\): claim: .*NUL"):
        store.load(broken)
    assert store.runner.bulk_ready()  # type: ignore[attr-defined]  # the graph is gone
    assert store.counts().total_nodes == 0


@pytest.mark.falkordb
def test_nodes_numbered_otherwise_than_the_load_did_are_refused(
    two_graphs: tuple[Store, Store], bundled: Dataset
) -> None:
    store, _ = two_graphs
    store.load(bundled)
    first_source = bundled.sources[0].id
    store._check_numbering({1: first_source})  # as loaded: no error
    with pytest.raises(StoreError, match=r"numbered the loaded nodes otherwise .*node 1 holds"):
        store._check_numbering({1: "not-the-first-source"})
