"""The store against real servers: load, reload, round trip, write-back, safety.

Every test runs on FalkorDB (a server started by the session) and, when LABOURNET_NEO4J_URI is
set, on Neo4j.
"""

from __future__ import annotations

import dataclasses
from collections import Counter

import numpy as np
import pandas as pd
import pytest

import labournet
from labournet.errors import DatasetError, QueryError, StoreError
from labournet.io.stamp import dataset_hash, make_stamp
from labournet.model.dataset import Dataset
from labournet.model.schema import EntityKind, Schema
from labournet.store import Store, connect


def expected_counts(dataset: Dataset) -> tuple[dict[str, int], dict[str, int]]:
    """The nodes and relationships a load of `dataset` must leave, from the data alone."""
    schema = dataset.schema
    nodes = Counter(f"Entity:{schema.label(e.kind)}" for e in dataset.entities)
    nodes.update(
        {
            "Source": len(dataset.sources),
            "Assumption": len(dataset.assumptions),
            "Figure": len(dataset.figures),
            "Dataset": 1,
        }
    )
    rels = Counter(schema.relationship_type(r.kind) for r in dataset.relations)
    entity_ids = {e.id for e in dataset.entities}
    links = sum(1 for f in dataset.figures if f.subject in entity_ids)
    if links:
        rels["FIGURE_OF"] = links
    return {k: v for k, v in nodes.items() if v}, dict(rels)


def test_load_gives_exactly_the_data(store: Store, bundled: Dataset) -> None:
    summary = store.load(bundled)
    nodes, rels = expected_counts(bundled)
    assert dict(summary.after.nodes) == nodes
    assert dict(summary.after.relationships) == rels
    assert summary.before.total_nodes == 0
    assert summary.nodes_created == sum(nodes.values())
    assert summary.relationships_created == sum(rels.values())
    assert store.duplicates() == []


def test_a_second_load_changes_nothing(store: Store, bundled: Dataset) -> None:
    first = store.load(bundled)
    second = store.load(bundled)
    assert second.before == second.after == first.after
    assert (second.nodes_created, second.relationships_created, second.repaired) == (0, 0, 0)


def test_pull_gives_back_the_loaded_dataset(store: Store, bundled: Dataset) -> None:
    store.load(bundled)
    pulled = store.pull()
    assert pulled == bundled
    assert pulled.name == bundled.name


def test_awkward_text_and_numbers_survive_the_round_trip(store: Store, network: Dataset) -> None:
    summary = store.load(network, batch_size=700)
    assert summary.batches > 10
    pulled = store.pull()
    assert pulled == network
    regime = pulled.figures_for("c0", "revenue")[0]
    assert (regime.low, regime.best, regime.high, regime.stated_by) == (1e8, 2e8, 3e8, "o0")
    exact = pulled.figures_for("c0", "share_kept")[0]
    assert (exact.low, exact.high) == (0.1 + 0.2, 1 / 3)  # 17 digits, more than FalkorDB answers


def test_replace_empties_the_graph_first(store: Store, bundled: Dataset, network: Dataset) -> None:
    store.load(network)
    summary = store.load(bundled, replace=True)
    assert summary.replaced
    nodes, rels = expected_counts(bundled)
    assert dict(summary.after.nodes) == nodes
    assert dict(summary.after.relationships) == rels
    assert store.pull() == bundled


def test_a_reload_follows_changed_kinds_ends_and_properties(store: Store, bundled: Dataset) -> None:
    """MERGE cannot move a node to a new label or a relationship to new ends; the load does."""
    store.load(bundled)
    entities = [
        dataclasses.replace(e, kind="sector", properties={})
        if e.id == "mn"
        else dataclasses.replace(e, properties={})
        if e.id == "kp"
        else e
        for e in bundled.entities
    ]
    relations = [
        dataclasses.replace(r, target="ru") if r.id == "r-kp-exports-cn" else r
        for r in bundled.relations
    ]
    figures = [
        dataclasses.replace(f, subject="cn") if f.id == "f-ru-share" else f for f in bundled.figures
    ]
    changed = dataclasses.replace(
        bundled, entities=tuple(entities), relations=tuple(relations), figures=tuple(figures)
    )
    summary = store.load(changed)
    assert summary.repaired == 2  # the node mn (new label), r-kp-exports-cn (new end)
    assert store.duplicates() == []
    assert summary.after.nodes["Entity:Sector"] == summary.before.nodes["Entity:Sector"] + 1
    assert summary.after.total_relationships == summary.before.total_relationships
    moved = store.query(
        "MATCH (a:Entity)-[r {id: 'r-kp-exports-cn'}]->(b:Entity) RETURN a.id AS a, b.id AS b"
    )
    assert moved.values.tolist() == [["kp", "ru"]]
    kinds = store.query("MATCH (e:Entity) WHERE e.id IN ['mn', 'kp'] RETURN e.id, e.kind, e.role")
    assert sorted(kinds.values.tolist()) == [["kp", "country", None], ["mn", "sector", None]]
    # the changed data breaks the schema's rules (mn is a sector now): a pull says so
    with pytest.raises(DatasetError, match="'mn' is a sector"):
        store.pull()
    links = store.query(
        "MATCH (f:Figure {id: 'f-ru-share'})-[:FIGURE_OF]->(e:Entity) RETURN e.id AS id"
    )
    assert links["id"].tolist() == ["cn"]


def test_records_dropped_from_the_data_stay_until_replace(store: Store, bundled: Dataset) -> None:
    store.load(bundled)
    smaller = dataclasses.replace(bundled, relations=bundled.relations[1:])
    assert store.load(smaller).after.total_relationships == store.counts().total_relationships
    with pytest.warns(UserWarning, match="holds 1 relation more than its last load"):
        assert store.pull() == bundled
    store.load(smaller, replace=True)
    assert store.pull() == smaller


def test_a_custom_schema_is_stored_with_the_data(store: Store, bundled: Dataset) -> None:
    entities = dict(bundled.schema.entities)
    entities["vessel"] = EntityKind("vessel", "Vessel", "A ship", ("flag",), ())
    schema = Schema(entities, bundled.schema.relations, bundled.schema.measures)
    ship = dataclasses.replace(bundled.entities[0], id="ship-1", kind="vessel",
                               properties={"flag": "KP"})  # fmt: skip
    dataset = dataclasses.replace(bundled, entities=(*bundled.entities, ship), schema=schema)
    store.load(dataset)
    assert store.counts().nodes["Entity:Vessel"] == 1
    pulled = store.pull()
    assert pulled.schema == schema
    assert pulled == dataset


def test_scores_are_written_as_properties_with_a_run_record(store: Store, bundled: Dataset) -> None:
    store.load(bundled)
    frame = pd.DataFrame(
        {
            "pagerank": [0.5, 0.25, np.nan],
            "rank": np.array([1, 2, 3], dtype=np.int64),
            "assumed": [True, False, True],
        },
        index=["cn", "r-cn-works-garments", "nowhere"],
    )
    summary = store.write_scores(frame, settings={"weights": {"revenue": 0.5}, "k": 3})
    assert (summary.entities, summary.relations, summary.unmatched) == (1, 1, ("nowhere",))
    assert summary.properties == ("score_pagerank", "score_rank", "score_assumed")
    node = store.query(
        "MATCH (n:Entity {id: 'cn'}) RETURN n.score_pagerank AS p, n.score_rank AS r, "
        "n.score_assumed AS a"
    )
    assert node.iloc[0].tolist() == [0.5, 1, True]
    edge = store.query(
        "MATCH ()-[r:WORKS_IN {id: 'r-cn-works-garments'}]->() RETURN r.score_pagerank AS p"
    )
    assert edge["p"].tolist() == [0.25]
    run = store.query(
        "MATCH (run:AnalysisRun {id: $id}) RETURN run.setting_weights_revenue AS w, "
        "run.setting_k AS k, run.properties AS props, run.unmatched AS unmatched",
        id=summary.run_id,
    )
    assert run.iloc[0].tolist() == [0.5, 3, list(summary.properties), 1]
    stamped = make_stamp(bundled, as_of=2016, seed=7, call="test()")
    later = store.write_scores(frame.iloc[:1], stamp=stamped)
    record = store.query(
        "MATCH (run:AnalysisRun {id: $id}) RETURN run.stamp_version AS v, "
        "run.stamp_dataset_hash AS h, run.stamp_as_of AS a, run.stamp_seed AS s, "
        "run.stamp_command AS c",
        id=later.run_id,
    )
    assert record.iloc[0].tolist() == [
        labournet.__version__,
        dataset_hash(bundled),
        "2016",
        7,
        "python: labournet.test()",
    ]
    # NaN removes a property; scores never leak into a pull
    store.write_scores(pd.DataFrame({"pagerank": [np.nan]}, index=["cn"]))
    again = store.query("MATCH (n:Entity {id: 'cn'}) RETURN n.score_pagerank AS p")
    assert again["p"].isna().all()
    assert store.pull() == bundled


def test_scores_must_be_numeric_and_safely_named(store: Store, bundled: Dataset) -> None:
    store.load(bundled)
    with pytest.raises(QueryError, match="score column 'name' is not numeric"):
        store.write_scores(pd.DataFrame({"name": ["x"]}, index=["cn"]))
    with pytest.raises(QueryError, match="unsafe score property"):
        store.write_scores(pd.DataFrame({"bad name}": [1.0]}, index=["cn"]))
    with pytest.raises(QueryError, match="infinite"):
        store.write_scores(pd.DataFrame({"x": [np.inf]}, index=["cn"]))


def test_queries_are_read_only_unless_asked(store: Store, bundled: Dataset) -> None:
    store.load(bundled)
    with pytest.raises(QueryError, match=r"<query>: this query writes \(SET\)"):
        store.query("MATCH (n:Entity {id: 'cn'}) SET n.hacked = true")
    # the server itself refuses a write it is asked to run read-only
    with pytest.raises(StoreError):
        store.runner.run("MATCH (n:Entity {id: 'cn'}) SET n.hacked = true", {}, write=False)
    store.query("MATCH (n:Entity {id: 'cn'}) SET n.touched = true", write=True)
    touched = store.query("MATCH (n:Entity {id: 'cn'}) RETURN n.touched AS t, n.hacked AS h")
    assert bool(touched["t"].iloc[0]) is True
    assert touched["h"].isna().all()


def test_syntax_errors_and_bad_parameters_name_the_file(
    store: Store, bundled: Dataset, tmp_path
) -> None:
    store.load(bundled)
    bad = tmp_path / "typo.cypher"
    bad.write_text("// name: typo\nMATCH (n) RETURN n LIMT 3\n", encoding="utf-8")
    with pytest.raises(StoreError, match=f"^{bad}: "):
        store.query(bad)
    with pytest.raises(QueryError, match="neighbourhood.cypher: unknown parameter ids"):
        store.query("neighbourhood", ids="cn")
    with pytest.raises(QueryError, match="neighbourhood.cypher: missing parameter id"):
        store.query("neighbourhood")


def test_an_unsafe_kind_never_reaches_the_server(store: Store, bundled: Dataset) -> None:
    first = dataclasses.replace(bundled.entities[0], kind="country`) DETACH DELETE n //")
    bad = dataclasses.replace(bundled, entities=(first, *bundled.entities[1:]))
    with pytest.raises(QueryError, match="unknown kind"):
        store.load(bad)
    assert store.counts().total_nodes == 0


def test_pull_of_an_empty_graph_says_so(store: Store) -> None:
    with pytest.raises(QueryError, match="holds no labournet dataset"):
        store.pull()


def test_credentials_never_appear_in_targets(falkordb_uri: str) -> None:
    uri = falkordb_uri.replace("falkordb://", "falkordb://someone:s3cret-pass@")
    with pytest.raises(StoreError) as caught:
        connect(uri)
    assert "s3cret-pass" not in str(caught.value)
    with connect(falkordb_uri) as store:
        assert "s3cret" not in repr(store)


def test_unknown_schemes_and_unreachable_servers_are_clear_errors() -> None:
    with pytest.raises(StoreError, match="unsupported URI 'http://h'"):  # no user, no password
        connect("http://x:pw@h")
    with pytest.raises(StoreError, match="cannot reach FalkorDB at falkordb://127.0.0.1:1/g"):
        connect("falkordb://127.0.0.1:1/g")


def test_nodes_relationships_and_paths_come_back_as_plain_values(
    store: Store, bundled: Dataset
) -> None:
    store.load(bundled)
    row = store.query(
        "MATCH p = (a:Entity {id: 'kp'})-[r:SENDS_WORKERS]->(b:Entity {id: 'cn'}) "
        "RETURN a, r, p, {n: 1, l: [1.5, null, true]} AS m"
    ).iloc[0]
    assert sorted(row["a"]["_labels"]) == ["Country", "Entity"]
    assert row["a"]["name"] == "North Korea"
    assert row["r"]["_type"] == "SENDS_WORKERS" and row["r"]["id"] == "r-kp-sends-cn"
    assert [node["id"] for node in row["p"]] == ["kp", "cn"]
    assert row["m"] == {"n": 1, "l": [1.5, None, True]}


@pytest.mark.neo4j
def test_a_bolt_uri_on_a_silent_port_fails_after_the_connect_timeout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Something listens but never answers the Bolt handshake: a clear error, not a 60 s wait."""
    import socket

    monkeypatch.setenv("LABOURNET_CONNECT_TIMEOUT", "1.5")
    monkeypatch.setenv("NEO4J_PASSWORD", "irrelevant-here")
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        with pytest.raises(StoreError, match=r"(?s)cannot reach Neo4j .*timeout=1\.5") as caught:
            connect(f"bolt://127.0.0.1:{port}")
    assert "labournet db start --backend neo4j" in str(caught.value)
    monkeypatch.setenv("LABOURNET_CONNECT_TIMEOUT", "soon")
    with pytest.raises(StoreError, match="LABOURNET_CONNECT_TIMEOUT must be a number"):
        connect(f"bolt://127.0.0.1:{port}")
