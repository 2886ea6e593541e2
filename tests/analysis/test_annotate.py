"""`annotate`: the per-node and per-edge numbers of a Gephi file, on small networks."""

from __future__ import annotations

import networkx as nx
import pytest

import labournet
from labournet.analysis.annotate import annotate
from labournet.errors import AnalysisError


def test_a_path_gets_hand_checked_centralities_and_no_pressure() -> None:
    found = annotate(nx.path_graph(["a", "b", "c"]))
    assert found.as_of is None and found.edges == {}
    assert found.nodes["b"]["score_degree"] == 1.0
    assert found.nodes["b"]["score_betweenness"] == 1.0
    assert found.nodes["a"]["score_closeness"] == pytest.approx(2 / 3)
    assert found.centralities == ("degree", "betweenness", "closeness", "pagerank")
    assert found.notes == ("no pressure scores: the network has no figures (centralities only)",)


def test_without_scores_only_figures_and_weights_remain() -> None:
    found = annotate(labournet.load_dataset(), scores=False)
    assert found.nodes == {} and found.centralities == ()
    assert found.edges["kp", "cn", "r-kp-sends-cn"]["weight"] == 33000.0
    assert found.to_frame("edge").loc[("kp", "cn", "r-kp-sends-cn"), "workers_low"] == 23960.0


def test_relation_candidates_carry_their_row_on_the_edge() -> None:
    found = annotate(labournet.load_dataset())
    garments = found.edges["cn", "garments", "r-cn-works-garments"]
    assert garments["pressure_level"] == "placement" and garments["pressure_rank"] == 1
    assert found.edges["kp", "cn", "r-kp-sends-cn"]["pressure_same_as"] == "cn"


def test_own_attributes_win_over_computed_ones() -> None:
    G = nx.path_graph(["a", "b", "c"])
    G.nodes["b"]["score_degree"] = "from an earlier export"
    found = annotate(G)
    assert "score_degree" not in found.nodes["b"] and "score_degree" in found.nodes["a"]
    assert "kept the network's own score_degree (not recomputed)" in found.notes


def test_an_unknown_weight_or_date_is_an_analysis_error() -> None:
    with pytest.raises(AnalysisError, match="weight must be one of workers, revenue"):
        annotate(nx.path_graph(2), weight="money")
    with pytest.raises(AnalysisError, match="--as-of"):
        annotate(nx.path_graph(2), as_of="2016-13")
