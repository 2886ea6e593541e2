"""Key players on tests/fixtures/pressure-small, against hand computation.

Single cuts (best revenue): o1 900 > h1 800 > s1 780 > b1 675 > ... so k=1 is o1.
Any pair covering everything removes all 1100 (o1 + h1, o1 + e2, h1 + h2, h1 + o1 ...), so the best
pair removes 1100. Greedy picks o1 (900) then something with the 200 left (h1, r1 or e2).
Structural: undirected flow graph; h1 holds s2, h3 holds o2 -> articulation points h1, h3.
Minimum node cut hosts -> regime over remits_to: h1 remits directly (must be cut) and h2 goes
through o1 (cut h2 or o1): size 2.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import labournet
from labournet.analysis import keyplayers
from labournet.analysis.centrality import centrality
from labournet.analysis.flows import FlowModel, build_flow_model
from labournet.analysis.keyplayers import (
    NAIVE_MEASURES,
    _articulation_points,
    _min_node_cut,
    _top,
    flow_network,
    key_players,
    structural_cuts,
)
from labournet.analysis.pressure import components
from labournet.errors import AnalysisError

SMALL = Path(__file__).parents[1] / "fixtures" / "pressure-small"


@pytest.fixture(scope="module")
def dataset():
    return labournet.load_dataset(SMALL)


def test_best_single_cut(dataset):
    result = key_players(dataset, 1, measures=())
    assert result.method == "exact"
    assert result.cuts == ("o1",)
    assert result.revenue.best == pytest.approx(900)


def test_best_pair_takes_everything(dataset):
    for method in ("exact", "greedy"):
        result = key_players(dataset, 2, method=method, measures=())
        assert result.method == method
        assert result.revenue.best == pytest.approx(1100)
        assert result.revenue_share == pytest.approx(1.0)
    assert key_players(dataset, 2, method="greedy", measures=()).cuts[0] == "o1"


def test_naive_centrality_picks_fall_short(dataset):
    result = key_players(dataset, 1, measures=("degree",))
    naive = result.naive
    assert naive.loc["key players (this analysis)", "revenue_best"] == pytest.approx(900)
    degree = naive.loc["degree"]
    # degree counts links: h1 has 6 (r1, w1, w2, e1, e2, p1), o1 has 5 -> h1
    assert degree["picks"] == "h1"
    assert degree["revenue_best"] == pytest.approx(800)
    assert degree["shortfall_best"] == pytest.approx(100)


def test_structural_cuts(dataset):
    cuts = structural_cuts(dataset)
    assert cuts.articulation_points == ("h1", "h3")
    assert len(cuts.min_node_cut) == 2 and "h1" in cuts.min_node_cut
    assert cuts.min_node_cut_revenue.best == pytest.approx(1100)


def test_k_larger_than_useful_candidates(dataset):
    result = key_players(dataset, 50, measures=())
    assert result.revenue.best == pytest.approx(1100)
    assert result.notes


def test_k_larger_than_possible_says_what_was_possible(dataset):
    result = key_players(dataset, 50, measures=())
    assert result.requested == 50
    assert result.k == len(result.cuts) < 50
    assert result.fewer is not None
    assert "asked for 50 cuts" in result.fewer
    assert f"the best set has {result.k}" in result.fewer
    assert key_players(dataset, 1, measures=()).fewer is None


@pytest.mark.parametrize("k", [0, -1])
def test_bad_k(dataset, k):
    with pytest.raises(AnalysisError):
        key_players(dataset, k)


def test_bundled_key_players_beat_naive_picks():
    result = key_players(labournet.load_dataset(), 2)
    assert result.method == "exact"
    assert set(result.cuts) == {"cn", "ru"}
    assert result.revenue.best == pytest.approx(240e6)
    assert (result.naive["shortfall_best"] >= 0).all()


def test_residual_buckets_are_no_lever_by_default():
    dataset = labournet.load_dataset()
    result = key_players(dataset, 3)
    residual = {"other-hosts", "other-sectors", "r-pl-works-other-sectors"}
    assert not residual & set(result.cuts)
    assert any("residual buckets left out" in note for note in result.notes)
    for picks in result.naive["picks"]:
        assert not residual & set(picks.split(";"))
    assert residual & set(key_players(dataset, 3, residual=True).cuts)


def test_naive_picks_are_taken_on_the_flow_network():
    result = key_players(labournet.load_dataset(), 3)
    picked = {node for picks in result.naive["picks"] for node in picks.split(";")}
    assert not picked & {"us", "kr", "kookmin", "dcnkhr"}  # actors and sources are no flow


# -- reusing the pressure table's components; structural cuts and naive picks against their
# references (networkx, and the pandas ranking the naive picks used to take) ---------------

ROOT = Path(__file__).parents[2]
BUNDLED = ("dprk-labour-2016", "dprk-labour-2016-2024")


def _generated(folder: Path, seed: int) -> FlowModel:
    spec = importlib.util.spec_from_file_location("generate", ROOT / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    path = module.generate(folder / f"net{seed}", entities=1500, relations=7500, seed=seed)
    return build_flow_model(labournet.load_dataset(path))


@pytest.fixture(scope="module")
def models(tmp_path_factory) -> dict[str, FlowModel]:
    out = {name: build_flow_model(labournet.load_dataset(ROOT / "data" / name)) for name in BUNDLED}
    folder = tmp_path_factory.mktemp("generated")
    out.update({f"generated-{seed}": _generated(folder, seed) for seed in (1, 2)})
    return out


def _networkx_structure(model: FlowModel) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The structural cuts as networkx computes them (what `structural_cuts` returned before)."""
    flow, remits = nx.Graph(), nx.DiGraph()
    for u, v, kind in model.relations().values():
        if kind in ("sends_workers", "works_in", "remits_to"):
            flow.add_edge(u, v)
        if kind == "remits_to":
            remits.add_edge(u, v)
    points = sorted(str(n) for n in nx.articulation_points(flow) if n != model.regime)
    cut: list[str] = []
    remitting = [h for h in model.hosts if h in remits and model.regime in remits]
    if remitting:
        remits.add_edges_from((("__hosts__",), h) for h in remitting)
        cut = sorted(str(n) for n in nx.minimum_node_cut(remits, ("__hosts__",), model.regime))
    return tuple(points), tuple(cut)


@pytest.mark.parametrize("name", [*BUNDLED, "generated-1", "generated-2"])
def test_structural_cuts_equal_networkx(models, name):
    model = models[name]
    points, cut = _networkx_structure(model)
    cuts = structural_cuts(model)
    assert cuts.articulation_points == points
    assert cuts.min_node_cut == cut
    assert cut  # the comparison is not vacuous


def test_bundled_structural_cuts():
    cuts = structural_cuts(labournet.load_dataset())
    assert cuts.articulation_points == ("pl", "ru")
    assert cuts.min_node_cut == (
        "cn", "kh", "ly", "mn", "mt", "na", "other-hosts", "pl", "qa", "ru", "sn",
    )  # fmt: skip


def _random_digraph(seed: int, n: int, p: float) -> nx.DiGraph:
    """A seeded random digraph with a few self-loops (the node-split graph must bear them)."""
    graph = nx.gnp_random_graph(n, p, seed=seed, directed=True)
    rng = np.random.default_rng(seed)
    graph.add_edges_from((int(i), int(i)) for i in rng.choice(n, size=3, replace=False))
    return graph


@pytest.mark.parametrize("seed", range(12))
def test_min_node_cut_matches_networkx_on_random_graphs(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(8, 40))
    graph = _random_digraph(seed, n, float(rng.uniform(0.05, 0.3)))
    target = n - 1
    sources = [int(s) for s in rng.choice(n - 1, size=int(rng.integers(1, 5)), replace=False)]
    cut = _min_node_cut(n, list(graph.edges()), sources, target)
    reference = graph.copy()
    reference.add_edges_from(("s", s) for s in sources)
    expected = nx.minimum_node_cut(reference, "s", target)
    assert len(cut) == len(expected)
    assert set(cut) == expected  # the same rule: the minimum cut closest to the target
    remaining = graph.subgraph(set(graph) - set(cut))
    assert not any(nx.has_path(remaining, s, target) for s in sources if s in remaining)


@pytest.mark.parametrize("seed", range(12))
def test_articulation_points_match_networkx_on_random_graphs(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 60))
    graph = nx.gnp_random_graph(n, float(rng.uniform(0.02, 0.15)), seed=seed)
    edges = list(graph.edges()) + [(v, u) for u, v in list(graph.edges())[:3]] + [(0, 0)]
    found = set(np.flatnonzero(_articulation_points(n, edges)).tolist())
    assert found == set(nx.articulation_points(graph))


def test_articulation_points_of_a_long_path_need_no_recursion():
    n = 20_000
    found = _articulation_points(n, [(i, i + 1) for i in range(n - 1)])
    assert found.sum() == n - 2 and not found[0] and not found[-1]


def _reference_picks(model: FlowModel, scores: pd.DataFrame, measure: str, k: int) -> list[str]:
    """The naive picks as they were taken with pandas, one lookup per node."""
    ranked = scores[measure].drop(index=model.regime, errors="ignore")
    ranked = ranked[[not model.residual(n) for n in ranked.index]]
    return sorted(ranked.index, key=lambda n: (-ranked[n], str(n)))[:k]


@pytest.mark.parametrize("name", [*BUNDLED, "generated-1"])
def test_naive_picks_equal_the_pandas_ranking(models, name):
    model = models[name]
    measures = ["degree", "betweenness", "pagerank", "closeness"]
    scores = centrality(flow_network(model), measures=measures)
    result = key_players(model, 3, measures=measures)
    for measure in measures:
        expected = _reference_picks(model, scores, measure, 3)
        assert result.naive.loc[measure, "picks"] == ";".join(expected)


def test_top_ranks_ties_by_name():
    values = np.array([1.0, 3.0, 3.0, 2.0, 3.0, 0.0])
    names = ["f", "e", "d", "c", "b", "a"]
    eligible = np.array([True, True, True, True, False, True])
    assert _top(values, eligible, names, 2) == [2, 1]  # 3.0 for d and e; b is not eligible
    assert _top(values, eligible, names, 9) == [2, 1, 3, 0, 5]
    rng = np.random.default_rng(0)
    for _ in range(50):
        values = rng.integers(0, 4, size=30).astype(float)
        eligible = rng.random(30) > 0.2
        names = [f"n{i}" for i in rng.permutation(30)]
        k = int(rng.integers(1, 8))
        pool = np.flatnonzero(eligible).tolist()
        assert (
            _top(values, eligible, names, k)
            == sorted(pool, key=lambda i: (-values[i], names[i]))[:k]
        )


def test_sampled_betweenness_is_taken_in_the_same_call(models, monkeypatch):
    model = models["dprk-labour-2016"]
    monkeypatch.setattr(keyplayers, "LARGE_GRAPH", 10)
    result = key_players(model, 2)
    graph = flow_network(model)
    samples = min(keyplayers.BETWEENNESS_SAMPLES, graph.number_of_nodes())
    scores = centrality(graph, measures=["degree", "pagerank"])
    scores["betweenness"] = centrality(graph, ["betweenness"], k=samples, seed=0)["betweenness"]
    for measure in ("degree", "betweenness", "pagerank"):
        expected = _reference_picks(model, scores, measure, 2)
        assert result.naive.loc[measure, "picks"] == ";".join(expected)
    assert any("sampled sources" in note for note in result.notes)


@pytest.mark.parametrize("name", [*BUNDLED, "generated-1"])
def test_totals_in_one_pass_equal_separate_totals(models, name):
    model = models[name]
    result = key_players(model, 3)
    index = model.candidate_index()
    covered = model.alive_after([]) & ~model.alive_after(result.cuts)
    assert result.revenue == model.totals(covered).revenue
    assert result.workers == model.totals(covered).workers
    assert result.structural == structural_cuts(model)
    for measure in NAIVE_MEASURES:
        picks = [n for n in result.naive.loc[measure, "picks"].split(";") if n in index]
        removed = model.totals(~model.alive_after(picks)).revenue
        assert result.naive.loc[measure, "revenue_best"] == removed.best
        assert result.naive.loc[measure, "revenue_low"] == removed.low


@pytest.mark.parametrize("name", [*BUNDLED, "generated-1"])
def test_given_parts_give_the_identical_result(models, name, monkeypatch):
    model = models[name]
    expected = key_players(model, 3).to_dict()
    parts = components(model)

    def not_again(*args, **kwargs):
        raise AssertionError("components computed again")

    monkeypatch.setattr(keyplayers, "components", not_again)
    assert key_players(model, 3, parts=parts).to_dict() == expected


def test_parts_of_another_model_or_after_cuts_are_refused(models):
    model = models["dprk-labour-2016"]
    with pytest.raises(AnalysisError, match="another flow model"):
        key_players(model, 2, parts=components(models["dprk-labour-2016-2024"]))
    with pytest.raises(AnalysisError, match="uncut"):
        key_players(model, 2, parts=components(model, cuts=["cn"]))
