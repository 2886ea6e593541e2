"""Centralities by GDS inside Neo4j equal labournet's own, after the documented conventions.

Exact measures (degree, betweenness, closeness, harmonic) must agree to rounding; PageRank and
eigenvector centrality to the convergence tolerance of networkx's iteration (labournet's values
stop at an L1 change below n * 1e-6; GDS runs here to 1e-10 per score).
"""

from __future__ import annotations

import numpy as np
import pytest
from store_network import make_network

import labournet
from labournet.analysis.centrality import centrality
from labournet.errors import AnalysisError, QueryError
from labournet.model.dataset import Dataset
from labournet.store import Store, connect
from labournet.store.gds import GDS_MEASURES, write_gds_centrality

pytestmark = pytest.mark.neo4j
EXACT = ("degree", "in_degree", "out_degree", "betweenness", "closeness", "harmonic")
ITERATIVE = ("pagerank", "eigenvector")


@pytest.fixture
def neo4j_store(neo4j_uri: str) -> Store:
    opened = connect(neo4j_uri, query_timeout=600)
    opened.wipe()
    yield opened
    opened.wipe()
    opened.close()


def _stored(store: Store, measures: tuple[str, ...]) -> dict[str, dict[str, float]]:
    result = store.runner.run("MATCH (n:Entity) RETURN n.id, n{.*}", {}, write=False)
    return {
        measure: {row[0]: row[1].get(f"score_{measure}") for row in result.rows}
        for measure in measures
    }


def _compare(store: Store, dataset: Dataset) -> dict[str, float]:
    store.load(dataset)
    run = write_gds_centrality(store)
    expected = centrality(labournet.to_networkx(dataset), list(GDS_MEASURES))
    got = _stored(store, GDS_MEASURES)
    n = len(expected)
    assert run.nodes == n and set(run.summary.properties) == {f"score_{m}" for m in GDS_MEASURES}
    gaps: dict[str, float] = {}
    for measure in GDS_MEASURES:
        values = np.array([got[measure][node] for node in expected.index], dtype=float)
        gaps[measure] = float(np.max(np.abs(values - expected[measure].to_numpy())))
    for measure in EXACT:
        assert gaps[measure] < 1e-9, (measure, gaps[measure])
    for measure in ITERATIVE:
        assert gaps[measure] < n * 1e-6, (measure, gaps[measure])
    return gaps


def test_gds_agrees_on_the_bundled_dataset(neo4j_store: Store, bundled: Dataset) -> None:
    _compare(neo4j_store, bundled)
    runs = neo4j_store.runner.run(
        "MATCH (r:AnalysisRun) WHERE r.setting_engine = 'gds' RETURN r{.*}", {}, write=False
    ).rows
    assert len(runs) == 1
    record = runs[0][0]
    assert record["prefix"] == "score_" and record["entities"] == len(bundled.entities)
    assert record["setting_not_computed"] == ["katz: GDS has no Katz centrality"]
    assert "useWassermanFaust" in record["setting_conventions_closeness"]
    assert record["setting_iterations_pagerank"] > 1


def test_gds_agrees_on_a_generated_network_of_5000_entities(neo4j_store: Store) -> None:
    network = make_network(entities=5000, relations=20000, seed=11)
    gaps = _compare(neo4j_store, network)
    assert set(gaps) == set(GDS_MEASURES)


def test_the_stored_scores_feed_the_shipped_query(neo4j_store: Store, bundled: Dataset) -> None:
    neo4j_store.load(bundled)
    write_gds_centrality(neo4j_store, ["pagerank"])
    top = neo4j_store.query("top_pressure_points", score="score_pagerank", assumed="none", limit=3)
    assert len(top) == 3 and top["score"].is_monotonic_decreasing
    assert top["id"].iloc[0] == "kp"


def test_what_gds_cannot_do_is_an_error(neo4j_store: Store, falkordb_uri: str) -> None:
    with pytest.raises(AnalysisError, match="GDS has no Katz"):
        write_gds_centrality(neo4j_store, ["katz"])
    with pytest.raises(AnalysisError, match="unknown measure 'wieght'"):
        write_gds_centrality(neo4j_store, ["wieght"])
    with connect(falkordb_uri) as falkordb, pytest.raises(QueryError, match="needs Neo4j"):
        write_gds_centrality(falkordb)


def test_degree_alone_leaves_other_runs_in_and_out_degree(
    neo4j_store: Store, bundled: Dataset
) -> None:
    neo4j_store.load(bundled)
    write_gds_centrality(neo4j_store, ["in_degree", "out_degree"])
    before = _stored(neo4j_store, ("in_degree", "out_degree"))
    run = write_gds_centrality(neo4j_store, ["degree"])
    assert run.summary.properties == ("score_degree",)
    assert _stored(neo4j_store, ("in_degree", "out_degree")) == before
    keys = neo4j_store.runner.run(
        "MATCH (n:Entity) UNWIND keys(n) AS key RETURN collect(DISTINCT key)", {}, write=False
    ).rows[0][0]
    assert not [key for key in keys if key.startswith("labournet_scratch")]


def test_an_eigenvector_that_is_no_vector_is_not_kept(
    neo4j_store: Store, bundled: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As GDS 2.13.9 did at 100,000 entities: 'converged', and 0 for every entity."""
    import labournet.store.gds as gds

    real = gds._run

    def overflowing(store, file_name, parameters, *, write=True):
        result = real(store, file_name, parameters, write=write)
        if file_name == "eigenvector.cypher":
            store.runner.run("MATCH (n:Entity) SET n.score_eigenvector = 0.0", {}, write=True)
        return result

    neo4j_store.load(bundled)
    monkeypatch.setattr(gds, "_run", overflowing)
    run = write_gds_centrality(neo4j_store, ["pagerank", "eigenvector"])
    assert (
        set(run.failed) == {"eigenvector"} and "wrote no eigenvector" in run.failed["eigenvector"]
    )
    assert run.measures == ("pagerank",) and run.summary.properties == ("score_pagerank",)
    assert set(_stored(neo4j_store, ("eigenvector",))["eigenvector"].values()) == {None}
    record = neo4j_store.runner.run(
        "MATCH (r:AnalysisRun) RETURN r.setting_not_computed", {}, write=False
    ).rows[0][0]
    assert any(item.startswith("eigenvector: GDS reported convergence") for item in record)
