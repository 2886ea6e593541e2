"""A first load into an empty FalkorDB graph CREATEs under the load lock; every other load MERGEs.

Each test runs on the session's real FalkorDB server (tests/store/conftest.py), in a graph of
its own.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Iterator

import pytest
from test_store import expected_counts

from labournet.errors import IncompleteGraphError, QueryError, StoreError
from labournet.model.dataset import Dataset
from labournet.store import LoadSummary, Store, connect
from labournet.store import falkordb as falkordb_store
from labournet.store.falkordb import encode_parameters
from labournet.store.rows import create_form, load_file, plan_load

pytestmark = pytest.mark.falkordb


class Interrupted(Exception):
    pass


@pytest.fixture
def empty(falkordb_uri: str) -> Iterator[Store]:
    """An empty FalkorDB graph, deleted again afterwards."""
    with connect(falkordb_uri, query_timeout=120) as opened:
        opened.wipe()
        try:
            yield opened
        finally:
            opened.wipe()


def lock_key(store: Store) -> str:
    return f"labournet:load-lock:{store.runner.graph_name}"  # type: ignore[attr-defined]


def redis_of(store: Store) -> object:
    return store.runner._db.connection  # type: ignore[attr-defined]


def assert_holds_exactly(store: Store, dataset: Dataset) -> None:
    nodes, rels = expected_counts(dataset)
    counts = store.counts()
    assert dict(counts.nodes) == nodes
    assert dict(counts.relationships) == rels
    assert store.duplicates() == []
    assert store.pull() == dataset


def relationship_indexes(store: Store) -> dict[str, str]:
    found = store.runner.run(
        "CALL db.indexes() YIELD label, entitytype, status "
        "WHERE entitytype = 'RELATIONSHIP' RETURN label, status",
        {},
        write=False,
    )
    return dict(found.rows)


def test_a_first_load_creates_and_pulls_back_the_dataset(empty: Store, network: Dataset) -> None:
    summary = empty.load(network, batch_size=700)
    assert summary.created
    assert summary.relationships_created == sum(expected_counts(network)[1].values())
    assert_holds_exactly(empty, network)
    types = {kind.type for kind in network.schema.relations.values()}
    assert relationship_indexes(empty) == dict.fromkeys(types, "OPERATIONAL")
    assert not redis_of(empty).exists(lock_key(empty))  # type: ignore[attr-defined]


def test_a_second_load_merges_and_creates_nothing(empty: Store, network: Dataset) -> None:
    empty.load(network, batch_size=700)
    again = empty.load(network, batch_size=700)
    assert not again.created
    assert (again.nodes_created, again.relationships_created) == (0, 0)
    assert again.before == again.after
    assert_holds_exactly(empty, network)


def test_a_load_that_replaces_the_graph_creates(empty: Store, bundled: Dataset) -> None:
    empty.load(bundled)
    replaced = empty.load(bundled, replace=True)
    assert replaced.created and replaced.removed == replaced.after
    assert_holds_exactly(empty, bundled)


def concurrent_loads(uri: str, dataset: Dataset, n: int) -> list[LoadSummary]:
    """`n` loads of `dataset` started at once, each on its own connection."""
    summaries: list[LoadSummary] = []
    errors: list[BaseException] = []
    start = threading.Barrier(n)

    def load() -> None:
        try:
            with connect(uri, query_timeout=120) as own:
                start.wait()
                summaries.append(own.load(dataset, batch_size=300))
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=load) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return summaries


def test_first_loads_at_once_create_once_and_leave_no_duplicates(
    empty: Store, falkordb_uri: str, network: Dataset
) -> None:
    summaries = concurrent_loads(falkordb_uri, network, 3)
    assert sorted(s.created for s in summaries) == [False, False, True]
    assert [s.relationships_created for s in summaries if not s.created] == [0, 0]
    assert_holds_exactly(empty, network)


def test_merge_loads_at_once_leave_no_duplicates(
    empty: Store, falkordb_uri: str, network: Dataset
) -> None:
    """After a small first load, three loads of the whole network MERGE side by side."""
    start = dataclasses.replace(network, relations=network.relations[:50], figures=())
    assert empty.load(start).created
    summaries = concurrent_loads(falkordb_uri, network, 3)
    assert [s.created for s in summaries] == [False, False, False]
    assert_holds_exactly(empty, network)


def test_a_failed_first_load_is_marked_unfinished_then_completed(
    empty: Store, network: Dataset
) -> None:
    def progress(stage: str, done: int, total: int) -> None:
        if done >= total // 2:
            raise Interrupted()

    with pytest.raises(Interrupted):
        empty.load(network, batch_size=400, progress=progress)
    assert not redis_of(empty).exists(lock_key(empty))  # type: ignore[attr-defined]
    with pytest.raises(IncompleteGraphError, match="did not finish"):
        empty.pull()  # the part written is never passed off as the dataset
    summary = empty.load(network, batch_size=400)
    assert not summary.created  # the graph is not empty: MERGE completes it
    assert_holds_exactly(empty, network)


def test_a_refused_first_load_writes_nothing(empty: Store, bundled: Dataset) -> None:
    """A dataset with an unsafe name is refused before the lock is taken or a query is sent."""
    kind = next(iter(bundled.schema.entities))
    bad = dataclasses.replace(
        bundled.schema,
        entities={
            **bundled.schema.entities,
            kind: dataclasses.replace(bundled.schema.entities[kind], label="Bad-Label"),
        },
    )
    with pytest.raises(QueryError):
        empty.load(dataclasses.replace(bundled, schema=bad))
    assert empty.counts().total_nodes == 0
    assert not redis_of(empty).exists(lock_key(empty))  # type: ignore[attr-defined]


def test_a_load_waits_for_the_lock_another_client_holds(empty: Store, bundled: Dataset) -> None:
    """A held lock (a first load of another client) is waited for, then the load goes on."""
    redis_of(empty).set(lock_key(empty), "someone-else", px=600)  # type: ignore[attr-defined]
    summary = empty.load(bundled)
    assert summary.created  # the holder wrote nothing; the lock expired
    assert_holds_exactly(empty, bundled)


def test_a_first_load_waits_for_a_running_merge_load(empty: Store, bundled: Dataset) -> None:
    loads = f"labournet:loads:{empty.runner.graph_name}"  # type: ignore[attr-defined]
    redis = redis_of(empty)
    redis.zadd(loads, {"merging": time.time() * 1000 + 60_000})  # type: ignore[attr-defined]
    done: list[LoadSummary] = []
    thread = threading.Thread(target=lambda: done.append(empty.load(bundled)))
    thread.start()
    time.sleep(0.5)
    assert done == [] and empty.dataset_name() is None  # nothing written while it MERGEs
    redis.zrem(loads, "merging")  # type: ignore[attr-defined]
    thread.join(timeout=60)
    assert done and done[0].created
    assert_holds_exactly(empty, bundled)


def test_a_load_that_loses_its_lock_fails_clearly(
    empty: Store, bundled: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(falkordb_store, "LOCK_SECONDS", 0.5)

    def progress(stage: str, done: int, total: int) -> None:
        if stage == "start":
            redis_of(empty).delete(lock_key(empty))  # type: ignore[attr-defined]
            time.sleep(0.4)  # a heartbeat finds it gone

    with pytest.raises(StoreError, match="lost its claim"):
        empty.load(bundled, batch_size=20, progress=progress)
    with pytest.raises(IncompleteGraphError):
        empty.pull()


def test_every_load_statement_has_a_create_form(network: Dataset) -> None:
    plan = plan_load(network, "falkordb")
    assert plan.unique_ids
    for step in plan.steps:
        assert step.create == step.cypher.replace("\nMERGE ", "\nCREATE ")
        assert "MERGE" not in step.create
    file = load_file("load", "complete.cypher")
    with pytest.raises(QueryError, match="one MERGE clause, not 0"):
        create_form(file, file.body)


def test_a_dataset_that_repeats_an_id_is_merged(empty: Store, bundled: Dataset) -> None:
    """Only MERGE folds copies into one, as the loads always did."""
    doubled = dataclasses.replace(bundled, sources=(*bundled.sources, bundled.sources[0]))
    assert not plan_load(doubled, "falkordb").unique_ids
    summary = empty.load(doubled)
    assert not summary.created
    assert summary.after.nodes["Source"] == len(bundled.sources)


def test_batches_encode_alike_with_the_plans_map_keys(network: Dataset, bundled: Dataset) -> None:
    """The keys a plan vouches for give the same text as walking the rows to find them."""
    for dataset in (network, bundled):
        plan = plan_load(dataset, "falkordb")
        for step in plan.steps:
            rows = {"rows": step.rows}
            assert encode_parameters(rows, plan.map_keys) == encode_parameters(rows)
