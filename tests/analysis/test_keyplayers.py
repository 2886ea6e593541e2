"""Key players on tests/fixtures/pressure-small, against hand computation.

Single cuts (best revenue): o1 900 > h1 800 > s1 780 > b1 675 > ... so k=1 is o1.
Any pair covering everything removes all 1100 (o1 + h1, o1 + e2, h1 + h2, h1 + o1 ...), so the best
pair removes 1100. Greedy picks o1 (900) then something with the 200 left (h1, r1 or e2).
Structural: undirected flow graph; h1 holds s2, h3 holds o2 -> articulation points h1, h3.
Minimum node cut hosts -> regime over remits_to: h1 remits directly (must be cut) and h2 goes
through o1 (cut h2 or o1): size 2.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import labournet
from labournet.analysis.keyplayers import key_players, structural_cuts
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
