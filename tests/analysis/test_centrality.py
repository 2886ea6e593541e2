"""labournet.analysis.centrality against networkx, the reference, and against hand computation.

Every engine is forced on every graph: an engine that cannot serve a request must fall back to
networkx (and say so), one that can must give networkx's values to 1e-9.
"""

from __future__ import annotations

import functools
import importlib
import math
import random
import sys
import warnings

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from labournet.analysis import (
    ENGINE_THRESHOLD,
    MEASURES,
    centrality,
    describe_projection,
    project_graph,
    rank_nodes,
)
from labournet.errors import AnalysisError

TOL = 1e-9

# igraph, networkit and rustworkx come with the fast extra: tests/conftest.py skips their
# cases without it (and fails them in CI)
ENGINES = ["auto", "networkx", "igraph", "networkit", "rustworkx", "scipy"]

DISTANCE = ("betweenness", "closeness", "harmonic")


def reference(H: nx.Graph, measure: str, weight: str | None = None, **kw) -> dict:
    """networkx's value of ``measure`` on the simple graph ``H``."""
    if measure == "degree":
        return nx.degree_centrality(H)
    if measure == "in_degree":
        return nx.in_degree_centrality(H)
    if measure == "out_degree":
        return nx.out_degree_centrality(H)
    if measure == "betweenness":
        return nx.betweenness_centrality(H, weight=weight, **kw)
    if measure == "closeness":
        return nx.closeness_centrality(H, distance=weight, **kw)
    if measure == "harmonic":
        return nx.harmonic_centrality(H, distance=weight)
    if measure == "eigenvector":
        return nx.eigenvector_centrality(H, weight=weight, **kw)
    if measure == "pagerank":
        return nx.pagerank(H, weight=None if weight is None else weight, **kw)
    return nx.katz_centrality(H, weight=weight, **kw)


def assert_column(frame: pd.DataFrame, measure: str, expected: dict, tol: float = TOL) -> None:
    assert set(frame.index) == set(expected), f"{measure}: nodes differ"
    got = frame[measure].to_numpy()
    want = np.array([expected[node] for node in frame.index], dtype=float)
    diff = np.abs(got - want)
    worst = int(np.argmax(diff)) if len(diff) else 0
    assert len(diff) == 0 or diff[worst] <= tol * max(1.0, abs(want[worst])), (
        f"{measure} by {frame.attrs['projection'][measure]['engine']}: node "
        f"{frame.index[worst]!r} is {got[worst]!r}, networkx says {want[worst]!r}"
    )


def assert_reference(frame: pd.DataFrame, measure: str, H: nx.Graph, weight, **kw) -> None:
    """The column equals networkx on ``H``; NaN where networkx's iteration does not converge."""
    try:
        expected = reference(H, measure, weight, **kw)
    except nx.PowerIterationFailedConvergence:
        assert frame[measure].isna().all(), f"{measure} should be NaN: networkx fails"
        assert "did not converge" in frame.attrs["projection"][measure]["note"]
        return
    assert_column(frame, measure, expected)


def assert_equal_to_networkx(
    G: nx.Graph, weight: str | None, engine: str, **options
) -> pd.DataFrame:
    """Every measure of ``centrality(G)`` equals networkx on ``G`` itself (a simple graph)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "eigenvector did not converge", RuntimeWarning)
        frame = centrality(G, weight=weight, engine=engine, **options)
    for measure in frame.columns:
        w = None if measure in ("degree", "in_degree", "out_degree") else weight
        assert_reference(frame, measure, G, w, **options.get(measure, {}))
    return frame


# ---------------------------------------------------------------------------------------------
# graphs


def directed_unreachable() -> nx.DiGraph:
    """Two strongly connected parts, a chain into them, a source, a sink and an isolated node."""
    G = nx.DiGraph()
    G.add_edges_from([(0, 1), (1, 2), (2, 0), (2, 3), (3, 4), (4, 3), (5, 0), (4, 6)])
    G.add_edges_from([("x", "y"), ("y", "z")])
    G.add_node("lonely")
    return G


def weighted_kite() -> nx.Graph:
    G = nx.krackhardt_kite_graph()
    rng = random.Random(11)
    for _, _, data in G.edges(data=True):
        data["w"] = rng.choice([1, 2, 3, 0.5, 1.25])
    return G


def random_graph(directed: bool, weighted: bool, n: int = 300, m: int = 1200) -> nx.Graph:
    G = nx.gnm_random_graph(n, m, seed=42, directed=directed)
    G.add_nodes_from(range(n, n + 4))  # unreachable nodes
    rng = random.Random(7)
    if weighted:
        for _, _, data in G.edges(data=True):
            data["w"] = rng.uniform(0.2, 4.0)
    return G


NAMED = {
    "kite": (nx.krackhardt_kite_graph, None),
    "florentine": (nx.florentine_families_graph, None),
    "directed_unreachable": (directed_unreachable, None),
    "weighted_kite": (weighted_kite, "w"),
}


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", list(NAMED))
def test_named_graphs_equal_networkx(name: str, engine: str):
    make, weight = NAMED[name]
    G = make()
    frame = assert_equal_to_networkx(G, weight, engine)
    expected = [m for m in MEASURES if G.is_directed() or m not in ("in_degree", "out_degree")]
    assert list(frame.columns) == expected


@functools.cache
def random_reference(directed: bool, weighted: bool, measure: str) -> dict:
    """networkx on `random_graph`, computed once for all the engines."""
    G = random_graph(directed, weighted)
    weight = "w" if weighted and measure not in ("degree", "in_degree", "out_degree") else None
    return reference(G, measure, weight, **({"alpha": 0.05} if measure == "katz" else {}))


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("directed", [True, False], ids=["directed", "undirected"])
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_random_graphs_equal_networkx(directed: bool, weighted: bool, engine: str):
    G = random_graph(directed, weighted)
    weight = "w" if weighted else None
    # Katz's default alpha 0.1 diverges on these graphs (largest eigenvalue about 8)
    frame = centrality(G, weight=weight, engine=engine, katz={"alpha": 0.05})
    for measure in frame.columns:
        assert_column(frame, measure, random_reference(directed, weighted, measure))


@pytest.mark.fast
@pytest.mark.parametrize("directed", [True, False], ids=["directed", "undirected"])
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_auto_leaves_only_degree_to_networkx_on_large_graphs(directed: bool, weighted: bool):
    G = random_graph(directed, weighted)
    frame = centrality(G, weight="w" if weighted else None, katz={"alpha": 0.05})
    used = {m: frame.attrs["projection"][m]["engine"] for m in frame.columns}
    # large enough for the compiled engines: only degree (networkx's own count on a simple
    # graph, no edge arrays needed) stays with networkx
    assert G.number_of_nodes() >= ENGINE_THRESHOLD
    slow = {m: e for m, e in used.items() if e == "networkx"}
    assert set(slow) <= {"degree", "in_degree", "out_degree"}, used


@pytest.mark.parametrize("directed", [True, False], ids=["directed", "undirected"])
def test_bit_parallel_search_across_batches_and_threads(directed: bool):
    # one 64-bit word per batch: 5 batches of 64 searches, the last one partly filled
    from labournet.analysis import _engines

    G = random_graph(directed, weighted=False)
    p = _engines.project(_engines.edge_arrays(G, None, None), directed=directed, multi=False,
                         reading="unweighted")  # fmt: skip
    reached, total, inverse = _engines.path_sums(p, batch_words=1)
    closeness = nx.closeness_centrality(G)
    harmonic = nx.harmonic_centrality(G)
    nodes = list(G)
    frame = pd.DataFrame(
        {
            "closeness": _engines.closeness_from_sums(reached, total, p.n, wf_improved=True),
            "harmonic": inverse,
        },
        index=pd.Index(nodes, name="node"),
    )
    frame.attrs["projection"] = {"closeness": {"engine": "scipy"}, "harmonic": {"engine": "scipy"}}
    assert_column(frame, "closeness", closeness)
    assert_column(frame, "harmonic", harmonic)
    assert reached[nodes.index(300)] == 0  # an isolated node is reached by no one


def test_auto_uses_networkx_below_the_threshold():
    frame = centrality(nx.krackhardt_kite_graph())
    assert {info["engine"] for info in frame.attrs["projection"].values()} == {"networkx"}


# ---------------------------------------------------------------------------------------------
# hand-computed values


@pytest.mark.parametrize("engine", ENGINES)
def test_hand_computed_directed(engine: str):
    # a -> b -> c <- d, n = 4. Closeness reads distances TO the node (incoming):
    #   a: no one reaches a -> 0;  d: 0
    #   b: reached by a (1):              r = 1, (r / sum) * (r / (n-1)) = (1/1) * (1/3) = 1/3
    #   c: reached by b (1), a (2), d (1): r = 3, (3/4) * (3/3) = 3/4
    # Harmonic sums 1/d over the nodes reaching it: b = 1, c = 1 + 1/2 + 1 = 2.5.
    # Betweenness: only a -> c passes through b; normalised by (n-1)(n-2) = 6 -> 1/6.
    # In-degree / (n-1): a 0, b 1/3, c 2/3, d 0; out-degree: a 1/3, b 1/3, c 0, d 1/3.
    G = nx.DiGraph([("a", "b"), ("b", "c"), ("d", "c")])
    frame = centrality(G, ["closeness", "harmonic", "betweenness", "in_degree", "out_degree"],
                       engine=engine)  # fmt: skip
    expected = {
        "closeness": {"a": 0.0, "b": 1 / 3, "c": 0.75, "d": 0.0},
        "harmonic": {"a": 0.0, "b": 1.0, "c": 2.5, "d": 0.0},
        "betweenness": {"a": 0.0, "b": 1 / 6, "c": 0.0, "d": 0.0},
        "in_degree": {"a": 0.0, "b": 1 / 3, "c": 2 / 3, "d": 0.0},
        "out_degree": {"a": 1 / 3, "b": 1 / 3, "c": 0.0, "d": 1 / 3},
    }
    for measure, values in expected.items():
        assert_column(frame, measure, values)
    # without the Wasserman-Faust correction c is 3/4 and b is 1/1
    plain = centrality(G, ["closeness"], engine=engine, closeness={"wf_improved": False})
    assert_column(plain, "closeness", {"a": 0.0, "b": 1.0, "c": 0.75, "d": 0.0})


@pytest.mark.parametrize("engine", ENGINES)
def test_hand_computed_weighted(engine: str):
    # Undirected, weights as distances: a-b 1, b-c 1, a-c 3, c-d 0.5.
    # Shortest distances: a-b 1, a-c 2 (via b, not the direct 3), a-d 2.5, b-c 1, b-d 1.5, c-d 0.5
    # Closeness (n-1 = 3 reached nodes each): a 3/5.5, b 3/3.5, c 3/3.5, d 3/4.5
    # Harmonic: a 1 + 1/2 + 1/2.5 = 1.9; b 1 + 1 + 1/1.5; c 1/2 + 1 + 2 = 3.5; d 1/2.5 + 1/1.5 + 2
    # Betweenness: b lies on a-c and a-d, c on a-d and b-d: 2 unordered pairs each; networkx
    #   normalises undirected sums by (n-1)(n-2)/2 = 3 -> 2/3; unnormalised: 2.
    # Degree ignores the weight: a 2/3, b 2/3, c 1, d 1/3.
    G = nx.Graph()
    G.add_weighted_edges_from([("a", "b", 1), ("b", "c", 1), ("a", "c", 3), ("c", "d", 0.5)])
    frame = centrality(G, ["degree", "betweenness", "closeness", "harmonic"], weight="weight",
                       engine=engine)  # fmt: skip
    expected = {
        "degree": {"a": 2 / 3, "b": 2 / 3, "c": 1.0, "d": 1 / 3},
        "betweenness": {"a": 0.0, "b": 2 / 3, "c": 2 / 3, "d": 0.0},
        "closeness": {"a": 3 / 5.5, "b": 3 / 3.5, "c": 3 / 3.5, "d": 3 / 4.5},
        "harmonic": {"a": 1.9, "b": 2 + 1 / 1.5, "c": 3.5, "d": 1 / 2.5 + 1 / 1.5 + 2},
    }
    for measure, values in expected.items():
        assert_column(frame, measure, values)
    raw = centrality(G, ["betweenness"], weight="weight", normalized=False, engine=engine)
    assert_column(raw, "betweenness", {"a": 0.0, "b": 2.0, "c": 2.0, "d": 0.0})


def test_hand_computed_pagerank_and_eigenvector_read_strength():
    # Star b-a, b-c with strengths 1 and 3 (undirected). Exact PageRank with alpha = 0.85:
    #   x_a = 0.05 + 0.85 * x_b / 4,  x_c = 0.05 + 0.85 * 3 x_b / 4,  x_b = 0.05 + 0.85 (x_a + x_c)
    #   => x_b = 0.05 + 0.85 (0.1 + 0.85 x_b) => x_b = 0.135 / 0.2775
    # networkx stops its power iteration early, so compare to 1e-5 here (and to 1e-9 elsewhere).
    # Eigenvector of A: lambda = sqrt(1 + 9), x = (1, sqrt(10), 3) / sqrt(20).
    G = nx.Graph()
    G.add_weighted_edges_from([("a", "b", 1.0), ("b", "c", 3.0)])
    frame = centrality(G, ["pagerank", "eigenvector"], weight="weight")
    x_b = 0.135 / 0.2775
    exact = {"a": 0.05 + 0.85 * x_b / 4, "b": x_b, "c": 0.05 + 0.85 * 3 * x_b / 4}
    assert_column(frame, "pagerank", exact, tol=1e-5)
    root = math.sqrt(20)
    assert_column(
        frame, "eigenvector", {"a": 1 / root, "b": math.sqrt(10) / root, "c": 3 / root}, tol=1e-4
    )


# ---------------------------------------------------------------------------------------------
# projections: multigraphs, the undirected view, relation kinds


def multigraph() -> nx.MultiDiGraph:
    M = nx.MultiDiGraph()
    M.add_edge("kp", "cn", kind="sends_workers", w=5.0)
    M.add_edge("kp", "cn", kind="sends_workers", w=1.0)
    M.add_edge("cn", "kp", kind="remits_to", w=2.0)
    M.add_edge("cn", "construction", kind="works_in", w=4.0)
    M.add_edge("ru", "construction", kind="works_in")  # no weight: 1, as networkx reads it
    M.add_edge("kp", "ru", kind="sends_workers", w=3.0)
    M.add_edge("us", "cn", kind="pressures", w=1.5)
    M.add_edge("us", "cn", kind="pressures", w=0.5)
    M.add_node("lonely")
    return M


def test_project_graph_merges_parallel_edges_by_reading():
    M = multigraph()
    distance = project_graph(M, "w")
    strength = project_graph(M, "w", reading="strength")
    assert isinstance(distance, nx.DiGraph) and not distance.is_multigraph()
    assert list(distance) == list(M)
    assert distance["kp"]["cn"]["w"] == 1.0 and strength["kp"]["cn"]["w"] == 6.0
    assert distance["us"]["cn"]["w"] == 0.5 and strength["us"]["cn"]["w"] == 2.0
    assert distance["ru"]["construction"]["w"] == 1.0
    assert distance.number_of_edges() == strength.number_of_edges() == 6
    unweighted = project_graph(M)
    assert unweighted.number_of_edges() == 6
    assert all(not data for _, _, data in unweighted.edges(data=True))


@pytest.mark.parametrize("engine", ENGINES)
def test_multigraph_equals_networkx_on_the_hand_built_projection(engine: str):
    M = multigraph()
    # written out by hand: smallest weight for distances, summed weight for strengths
    pairs = [("kp", "cn"), ("cn", "kp"), ("cn", "construction"), ("ru", "construction"),
             ("kp", "ru"), ("us", "cn")]  # fmt: skip
    shortest = dict(zip(pairs, [1.0, 2.0, 4.0, 1.0, 3.0, 0.5], strict=True))
    summed = dict(zip(pairs, [6.0, 2.0, 4.0, 1.0, 3.0, 2.0], strict=True))
    D, S = nx.DiGraph(), nx.DiGraph()
    D.add_nodes_from(M)
    S.add_nodes_from(M)
    D.add_weighted_edges_from(((u, v, w) for (u, v), w in shortest.items()), weight="w")
    S.add_weighted_edges_from(((u, v, w) for (u, v), w in summed.items()), weight="w")
    frame = centrality(M, weight="w", engine=engine)
    for measure in frame.columns:
        if measure in DISTANCE:
            expected = reference(D, measure, "w")
        elif measure in ("degree", "in_degree", "out_degree"):
            expected = reference(D, measure)  # linked neighbours, parallel edges once
        else:
            expected = reference(S, measure, "w")
        assert_column(frame, measure, expected)
    # networkx's own shortest paths on the multigraph agree with the "smallest weight" rule
    assert_column(frame, "closeness", nx.closeness_centrality(M, distance="w"))
    projection = frame.attrs["projection"]
    assert "smallest" in projection["betweenness"]["multi_edges"]
    assert "summed" in projection["pagerank"]["multi_edges"]


@pytest.mark.parametrize("engine", ENGINES)
def test_undirected_view_merges_both_directions(engine: str):
    # a -> b (2) and b -> a (5) become one undirected link: distance 2, strength 7
    G = nx.DiGraph()
    G.add_weighted_edges_from([("a", "b", 2.0), ("b", "a", 5.0), ("b", "c", 1.0)], weight="w")
    frame = centrality(G, ["closeness", "pagerank"], weight="w", directed=False, engine=engine)
    H = project_graph(G, "w", directed=False)
    assert not H.is_directed() and H["a"]["b"]["w"] == 2.0
    assert project_graph(G, "w", reading="strength", directed=False)["a"]["b"]["w"] == 7.0
    # a: distances 2 (b) and 3 (c) -> 2/5; b: 2 + 1 -> 2/3; c: 1 + 3 -> 2/4
    assert_column(frame, "closeness", {"a": 0.4, "b": 2 / 3, "c": 0.5})
    S = nx.Graph()
    S.add_weighted_edges_from([("a", "b", 7.0), ("b", "c", 1.0)], weight="w")
    assert_column(frame, "pagerank", nx.pagerank(S, weight="w"))
    assert frame.attrs["projection"]["closeness"]["directed"] is False
    with pytest.raises(AnalysisError, match="in_degree"):
        centrality(G, ["in_degree"], directed=False)


@pytest.mark.parametrize("engine", ENGINES)
def test_relation_kinds_keep_only_those_edges(engine: str):
    M = multigraph()
    kinds = {"sends_workers", "works_in"}
    with pytest.warns(RuntimeWarning, match="eigenvector did not converge"):
        # what is left is acyclic: the eigenvector iteration cannot settle
        frame = centrality(M, weight="w", relation_kinds=kinds, engine=engine)
    kept = nx.MultiDiGraph()
    kept.add_nodes_from(M)
    kept.add_edges_from((u, v, d) for u, v, d in M.edges(data=True) if d["kind"] in kinds)
    assert kept.number_of_edges() == 5
    for measure in frame.columns:
        reading = "distance" if measure in DISTANCE else "strength"
        w = None if measure in ("degree", "in_degree", "out_degree") else "w"
        H = project_graph(kept, w, reading=reading)
        assert_reference(frame, measure, H, w)
    assert frame.at["us", "out_degree"] == 0.0  # its pressures edges are filtered out
    assert frame.attrs["projection"]["degree"]["relation_kinds"] == sorted(kinds)
    assert frame.attrs["projection"]["degree"]["edges"] == 4


def test_one_relation_kind_may_be_a_string():
    frame = centrality(multigraph(), ["out_degree"], relation_kinds="pressures")
    assert frame.attrs["projection"]["out_degree"]["relation_kinds"] == ["pressures"]
    assert frame["out_degree"].gt(0).sum() == 1  # only us -> cn is left


# ---------------------------------------------------------------------------------------------
# options


@pytest.mark.fast
@pytest.mark.parametrize("directed", [True, False], ids=["directed", "undirected"])
@pytest.mark.parametrize("normalized", [True, False], ids=["normalized", "raw"])
def test_sampled_betweenness_equals_networkx_with_the_same_seed(directed, normalized):
    G = random_graph(directed, weighted=False)
    frame = centrality(G, ["betweenness"], k=40, seed=3, normalized=normalized)
    assert frame.attrs["projection"]["betweenness"]["engine"] == "igraph"
    expected = nx.betweenness_centrality(G, k=40, seed=3, normalized=normalized)
    assert_column(frame, "betweenness", expected)
    info = frame.attrs["projection"]["betweenness"]
    assert info["exact"] is False and info["k"] == 40 and info["seed"] == 3
    text = describe_projection(frame)
    assert "approximate (40 sampled sources, seed 3)" in text


def test_sampled_weighted_betweenness_falls_back_to_networkx_and_matches():
    G = random_graph(True, weighted=True, n=150, m=500)
    frame = centrality(G, ["betweenness"], weight="w", k=30, seed=1)
    assert frame.attrs["projection"]["betweenness"]["engine"] == "networkx"
    assert_column(frame, "betweenness", nx.betweenness_centrality(G, k=30, seed=1, weight="w"))


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("directed", [True, False], ids=["directed", "undirected"])
def test_betweenness_with_endpoints(engine: str, directed: bool):
    G = random_graph(directed, weighted=False, n=120, m=400)
    for normalized in (True, False):
        frame = centrality(G, ["betweenness"], endpoints=True, normalized=normalized,
                           engine=engine)  # fmt: skip
        expected = nx.betweenness_centrality(G, endpoints=True, normalized=normalized)
        assert_column(frame, "betweenness", expected)
        assert frame.attrs["projection"]["betweenness"]["engine"] in ("rustworkx", "networkx")


@pytest.mark.parametrize("engine", ENGINES)
def test_per_measure_options_reach_networkx_semantics(engine: str):
    G = random_graph(True, weighted=True, n=150, m=600)
    frame = centrality(
        G,
        ["pagerank", "katz", "eigenvector", "closeness"],
        weight="w",
        engine=engine,
        pagerank={"alpha": 0.7, "tol": 1e-9},
        katz={"alpha": 0.02, "beta": 0.5, "normalized": False},
        eigenvector={"max_iter": 500},
        closeness={"wf_improved": False},
    )
    assert_column(frame, "pagerank", nx.pagerank(G, alpha=0.7, tol=1e-9, weight="w"))
    assert_column(
        frame, "katz", nx.katz_centrality(G, alpha=0.02, beta=0.5, normalized=False, weight="w")
    )
    assert_column(frame, "eigenvector", nx.eigenvector_centrality(G, max_iter=500, weight="w"))
    assert_column(frame, "closeness", nx.closeness_centrality(G, distance="w", wf_improved=False))
    assert frame.attrs["projection"]["pagerank"]["parameters"]["alpha"] == 0.7


@pytest.mark.fast
def test_zero_distances_fall_back_to_networkx_with_a_note():
    G = random_graph(True, weighted=True, n=150, m=500)
    first = next(iter(G.edges()))
    G.edges[first]["w"] = 0.0
    frame = centrality(G, ["closeness", "harmonic"], weight="w")
    assert_column(frame, "closeness", nx.closeness_centrality(G, distance="w"))
    assert_column(frame, "harmonic", nx.harmonic_centrality(G, distance="w"))
    frame = centrality(G, ["closeness"], weight="w", engine="igraph")
    assert frame.attrs["projection"]["closeness"]["engine"] == "networkx"
    assert "zero distances" in frame.attrs["projection"]["closeness"]["note"]


@pytest.mark.fast
def test_auto_falls_back_when_a_library_is_missing(monkeypatch: pytest.MonkeyPatch):
    # the package re-exports the function under the module's name: fetch the module itself
    module = importlib.import_module("labournet.analysis.centrality")
    monkeypatch.setattr(module, "_installed", lambda engine: engine == "scipy")
    G = random_graph(True, weighted=False, n=150, m=500)
    with pytest.warns(UserWarning, match="betweenness on 154 nodes computed by networkx"):
        frame = centrality(G, ["betweenness", "closeness", "pagerank"])
    engines = {m: info["engine"] for m, info in frame.attrs["projection"].items()}
    assert engines == {"betweenness": "networkx", "closeness": "scipy", "pagerank": "scipy"}
    assert_column(frame, "betweenness", nx.betweenness_centrality(G))
    monkeypatch.setattr(module, "_installed", lambda engine: engine != "igraph")
    frame = centrality(G, ["betweenness"])
    assert frame.attrs["projection"]["betweenness"]["engine"] in ("networkit", "rustworkx")
    W = random_graph(True, weighted=True, n=150, m=500)
    frame = centrality(W, ["harmonic"], weight="w")
    assert frame.attrs["projection"]["harmonic"]["engine"] == "networkit"
    assert_column(frame, "harmonic", nx.harmonic_centrality(W, distance="w"))


@pytest.mark.parametrize("engine", ["scipy", "igraph"])
def test_forced_engine_that_cannot_serve_a_measure_says_so(engine: str):
    frame = centrality(nx.krackhardt_kite_graph(), ["pagerank"], engine=engine)
    if engine == "scipy":
        assert frame.attrs["projection"]["pagerank"]["engine"] == "scipy"
    else:
        info = frame.attrs["projection"]["pagerank"]
        assert info["engine"] == "networkx" and "computed by networkx" in info["note"]


def without_fast_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every import of igraph, networkit and rustworkx fail, as without the extra."""
    for name in ("igraph", "networkit", "rustworkx"):
        monkeypatch.setitem(sys.modules, name, None)


@pytest.mark.parametrize("engine", ["igraph", "networkit", "rustworkx"])
def test_a_named_engine_without_the_fast_extra_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, engine: str
):
    without_fast_extra(monkeypatch)
    with pytest.raises(AnalysisError) as raised:
        centrality(nx.path_graph(3), engine=engine)
    assert str(raised.value) == (
        f"engine '{engine}' is not installed; the compiled engines come with "
        "pip install 'labournet[fast]'"
    )


def test_auto_without_the_fast_extra_falls_back_to_networkx_with_one_warning(
    monkeypatch: pytest.MonkeyPatch,
):
    without_fast_extra(monkeypatch)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        small = centrality(nx.krackhardt_kite_graph())  # below the threshold: no warning
    assert caught == []
    assert {info["engine"] for info in small.attrs["projection"].values()} == {"networkx"}
    G = random_graph(True, weighted=True, n=150, m=500)
    with pytest.warns(UserWarning) as caught:
        frame = centrality(G, ["betweenness", "closeness", "pagerank"], weight="w")
    assert [str(record.message) for record in caught] == [
        "betweenness, closeness on 154 nodes computed by networkx, which is slower: the "
        "compiled engines are not installed (pip install 'labournet[fast]')"
    ]
    engines = {m: info["engine"] for m, info in frame.attrs["projection"].items()}
    assert engines == {"betweenness": "networkx", "closeness": "networkx", "pagerank": "scipy"}
    assert "pip install 'labournet[fast]'" in frame.attrs["projection"]["closeness"]["note"]
    assert_column(frame, "betweenness", nx.betweenness_centrality(G, weight="w"))
    assert_column(frame, "closeness", nx.closeness_centrality(G, distance="w"))
    # unweighted closeness and harmonic are labournet's own numpy search: no compiled engine
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        frame = centrality(G, ["closeness", "harmonic"])
    assert {info["engine"] for info in frame.attrs["projection"].values()} == {"scipy"}


# ---------------------------------------------------------------------------------------------
# errors and edge cases


def test_unknown_measure_lists_the_valid_names():
    with pytest.raises(AnalysisError) as caught:
        centrality(nx.path_graph(3), ["degree", "betweeness"])
    message = str(caught.value)
    assert "'betweeness'" in message
    for name in MEASURES:
        assert name in message


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"engine": "graph-tool"}, "unknown engine"),
        ({"pagerank": {"damping": 0.9}}, "unknown pagerank option 'damping'"),
        ({"colour": {"x": 1}}, "unknown option 'colour'"),
        ({"k": 0}, "k must be"),
        ({"k": 99}, "k must be"),
        ({"directed": True}, "needs a directed graph"),
    ],
)
def test_bad_options_raise_analysis_error(kwargs, match):
    with pytest.raises(AnalysisError, match=match):
        centrality(nx.path_graph(3), **kwargs)


def test_in_degree_of_an_undirected_graph_is_refused():
    with pytest.raises(AnalysisError, match="need a directed graph"):
        centrality(nx.path_graph(3), ["in_degree"])


def test_bad_weights_raise_analysis_error():
    G = nx.DiGraph([("a", "b", {"w": -1.0}), ("b", "c", {"w": 2.0})])
    with pytest.raises(AnalysisError, match="must not be negative"):
        centrality(G, ["closeness"], weight="w")
    # a negative strength is networkx's business, not refused
    centrality(G, ["pagerank"], weight="w")
    G["a"]["b"]["w"] = "heavy"
    with pytest.raises(AnalysisError, match=r"edge \('a', 'b'\).*'heavy'"):
        centrality(G, ["pagerank"], weight="w")


def test_a_weight_no_edge_has_is_refused_naming_the_edge_attributes():
    G = nx.les_miserables_graph()
    with pytest.raises(AnalysisError) as caught:
        centrality(G, ["betweenness"], weight="wieght")
    assert str(caught.value) == (
        "no edge has the weight attribute 'wieght' (did you mean 'weight'?); "
        "edge attributes: weight"
    )
    with pytest.raises(AnalysisError, match="the edges have no attributes"):
        centrality(nx.path_graph(3), ["pagerank"], weight="w")
    with pytest.raises(AnalysisError, match="edge attributes: kind, w"):
        project_graph(nx.Graph([("a", "b", {"w": 1, "kind": "x"})]), "size")
    # some edges without it weigh 1, as in networkx
    partly = nx.Graph([("a", "b", {"w": 3.0}), ("b", "c", {})])
    assert centrality(partly, ["closeness"], weight="w")["closeness"]["c"] == pytest.approx(
        nx.closeness_centrality(partly, distance="w")["c"]
    )


def test_misspelt_measures_and_engines_get_a_suggestion():
    with pytest.raises(AnalysisError, match=r"'betweeness' \(did you mean 'betweenness'\?\)"):
        centrality(nx.path_graph(3), ["betweeness"])
    with pytest.raises(AnalysisError, match=r"'netwrokx' \(did you mean 'networkx'\?\)"):
        centrality(nx.path_graph(3), engine="netwrokx")
    with pytest.raises(AnalysisError) as caught:
        centrality(nx.path_graph(3), engine="graph-tool")
    assert "did you mean" not in str(caught.value)


def test_non_convergence_raises_when_asked_and_is_nan_otherwise():
    G = nx.complete_graph(5)  # largest eigenvalue 4: Katz with alpha 0.5 diverges
    with pytest.raises(AnalysisError, match="katz did not converge"):
        centrality(G, ["katz"], katz={"alpha": 0.5})
    with pytest.warns(RuntimeWarning, match="katz did not converge"):
        frame = centrality(G, katz={"alpha": 0.5})
    assert frame["katz"].isna().all()
    assert frame["degree"].eq(1.0).all()
    assert "did not converge" in frame.attrs["projection"]["katz"]["note"]


@pytest.mark.parametrize("engine", ENGINES)
def test_empty_and_single_node_graphs(engine: str):
    empty = centrality(nx.DiGraph(), engine=engine)
    assert empty.empty and list(empty.columns) == list(MEASURES)
    one = nx.Graph()
    one.add_node("only")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        frame = centrality(one, engine=engine)
    for measure in frame.columns:
        assert_column(frame, measure, reference(one, measure))


# ---------------------------------------------------------------------------------------------
# the projection metadata


def test_projection_metadata_describes_every_measure():
    M = multigraph()
    frame = centrality(M, weight="w", relation_kinds=["sends_workers", "remits_to"])
    projection = frame.attrs["projection"]
    assert set(projection) == set(frame.columns)
    for measure, info in projection.items():
        assert info["measure"] == measure
        assert info["reference"] == f"networkx.{nx_name(measure)}"
        assert info["directed"] is True
        assert info["relation_kinds"] == ["remits_to", "sends_workers"]
        assert info["nodes"] == M.number_of_nodes()
        assert info["engine"] in ENGINES
        expected = (
            "unweighted"
            if measure in ("degree", "in_degree", "out_degree")
            else "distance"
            if measure in DISTANCE
            else "strength"
        )
        assert info["reading"] == expected
        assert info["weight"] == (None if expected == "unweighted" else "w")
        assert info["exact"] is True and info["k"] is None
    text = describe_projection(frame)
    assert text.count("\n") == len(frame.columns) - 1
    assert "betweenness: exact; directed; weight 'w' read as a distance" in text
    assert "pagerank: directed; weight 'w' read as a strength" in text
    assert "summed weight" in text and "smallest weight" in text
    assert "relation kinds remits_to, sends_workers" in text
    assert describe_projection(frame, "katz").startswith("katz: ")
    with pytest.raises(AnalysisError):
        describe_projection(frame, "nope")


def nx_name(measure: str) -> str:
    return {
        "degree": "degree_centrality",
        "in_degree": "in_degree_centrality",
        "out_degree": "out_degree_centrality",
        "pagerank": "pagerank",
    }.get(measure, f"{measure}_centrality")


def test_frame_is_indexed_by_node_in_graph_order():
    G = nx.DiGraph([("z", "a"), ("a", "m")])
    frame = centrality(G, "degree")
    assert list(frame.index) == ["z", "a", "m"] and frame.index.name == "node"
    assert frame["degree"].dtype == np.float64


def test_rank_nodes_orders_by_a_measure_highest_first():
    G = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "d"), ("x", "c")])
    frame = centrality(G, ["betweenness", "in_degree"])
    # betweenness (ordered pairs, / (n-1)(n-2) = 12): c lies on 4 paths, b on 2, others 0
    ranked = rank_nodes(frame, k=3)
    assert list(ranked.index) == ["c", "b", "a"]  # the tie of a, d and x keeps graph order
    assert ranked.attrs["projection"] == frame.attrs["projection"]
    assert list(rank_nodes(frame, "in_degree").index) == ["c", "b", "d", "a", "x"]
    assert len(rank_nodes(frame)) == len(frame)
    with pytest.raises(AnalysisError, match=r"no centrality column 'indegree' \(did you mean"):
        rank_nodes(frame, "indegree")


def test_an_overflowing_katz_is_reported_without_numpy_warnings():
    import warnings

    from labournet.analysis.centrality import NotConvergedError

    G = nx.complete_graph(6)  # largest eigenvalue 5: alpha 50 overflows floats within 1000 steps
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a numpy overflow warning would fail the test
        with pytest.raises(NotConvergedError, match="overflowed") as caught:
            centrality(G, ["katz"], katz={"alpha": 50.0}, engine="scipy")
    assert caught.value.diverged and caught.value.measure == "katz"


@pytest.mark.parametrize("engine", ["networkx", "scipy"])
def test_an_iteration_that_stops_short_is_reported_the_same_by_every_engine(engine: str):
    from labournet.analysis.centrality import ConvergenceWarning, NotConvergedError

    G = nx.path_graph(6)
    with pytest.raises(NotConvergedError, match="pagerank did not converge in 2 iter") as caught:
        centrality(G, ["pagerank"], pagerank={"max_iter": 2}, engine=engine)
    assert (caught.value.max_iter, caught.value.diverged) == (2, False)
    with pytest.warns(ConvergenceWarning, match="eigenvector did not converge in 2 iter"):
        frame = centrality(G, eigenvector={"max_iter": 2}, engine=engine)
    assert frame["eigenvector"].isna().all() and frame["degree"].notna().all()


# ---------------------------------------------------------------------------------------------
# choosing the engine by its expected time


@pytest.mark.fast
@pytest.mark.parametrize("directed", [True, False], ids=["directed", "undirected"])
@pytest.mark.parametrize(("load", "expected"), [(0.0, "rustworkx"), (3.0, "igraph")])
def test_auto_betweenness_takes_the_engine_expected_first_on_the_free_cores(
    monkeypatch: pytest.MonkeyPatch, directed: bool, load: float, expected: str
):
    from labournet.analysis import _engines

    monkeypatch.delenv("RAYON_NUM_THREADS", raising=False)
    monkeypatch.setattr(_engines, "machine_cores", lambda window=0.0: _engines.Cores(2, load))
    G = random_graph(directed, weighted=False)
    frame = centrality(G, ["betweenness"])
    info = frame.attrs["projection"]["betweenness"]
    assert info["engine"] == expected
    reason = info["engine_reason"]
    assert reason.startswith(f"auto: least expected time with {_engines.Cores(2, load).free:.2g}")
    assert reason.index(expected) < min(
        reason.index(e) for e in ("rustworkx", "igraph", "networkit") if e != expected
    )
    assert_column(frame, "betweenness", random_reference(directed, False, "betweenness"))


@pytest.mark.fast
def test_auto_betweenness_is_the_same_whichever_engine_the_load_picks(
    monkeypatch: pytest.MonkeyPatch,
):
    from labournet.analysis import _engines

    G = random_graph(True, weighted=False)
    columns = {}
    for load in (0.0, 3.0):
        monkeypatch.setattr(
            _engines, "machine_cores", lambda window=0.0, load=load: _engines.Cores(2, load)
        )
        frame = centrality(G, ["betweenness"])
        columns[frame.attrs["projection"]["betweenness"]["engine"]] = frame["betweenness"]
    assert set(columns) == {"rustworkx", "igraph"}
    assert np.allclose(columns["rustworkx"], columns["igraph"], rtol=0, atol=1e-15)


@pytest.mark.fast
def test_a_named_engine_is_not_weighed_against_the_load(monkeypatch: pytest.MonkeyPatch):
    from labournet.analysis import _engines

    monkeypatch.setattr(_engines, "machine_cores", lambda window=0.0: _engines.Cores(2, 9.0))
    frame = centrality(random_graph(True, weighted=False), ["betweenness"], engine="rustworkx")
    info = frame.attrs["projection"]["betweenness"]
    assert (info["engine"], info["engine_reason"]) == ("rustworkx", "asked for")


@pytest.mark.fast
def test_single_candidate_betweenness_says_why_without_weighing():
    G = random_graph(True, weighted=True, n=150, m=500)
    info = centrality(G, ["betweenness"], weight="w").attrs["projection"]["betweenness"]
    assert info["engine"] == "networkit"  # rustworkx is unweighted only, igraph's ties differ
    assert info["engine_reason"] == (
        "auto: the first installed engine of rustworkx, igraph, networkit that reproduces "
        "networkx here"
    )


def test_every_measure_records_why_its_engine_was_chosen():
    small = centrality(nx.krackhardt_kite_graph())
    reasons = {m: info["engine_reason"] for m, info in small.attrs["projection"].items()}
    assert reasons["degree"] == "networkx counts a simple graph's degrees"
    assert reasons["betweenness"] == f"auto: fewer than {ENGINE_THRESHOLD} nodes"
    named = centrality(nx.krackhardt_kite_graph(), ["pagerank"], engine="networkx")
    assert named.attrs["projection"]["pagerank"]["engine_reason"] == "asked for"


@pytest.mark.fast
def test_a_named_engine_that_cannot_serve_records_why():
    frame = centrality(nx.krackhardt_kite_graph(), ["pagerank"], engine="igraph")
    info = frame.attrs["projection"]["pagerank"]
    assert (
        info["engine_reason"]
        == "igraph cannot serve: igraph does not reproduce networkx's pagerank"
    )


@pytest.mark.parametrize("folder", ["dprk-labour-2016", "dprk-labour-2016-2024"])
def test_bundled_datasets_keep_networkx_betweenness(folder: str):
    from pathlib import Path

    from labournet.io.folder import load_dataset
    from labournet.io.networkx import to_networkx

    root = Path(__file__).resolve().parents[2] / "data" / folder
    G = to_networkx(load_dataset(root))
    frame = centrality(G, ["betweenness"])
    assert frame.attrs["projection"]["betweenness"]["engine"] == "networkx"
    expected = nx.betweenness_centrality(project_graph(G))
    assert frame["betweenness"].to_dict() == expected
