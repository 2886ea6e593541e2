"""Pressure points on tests/fixtures/pressure-small, against hand computation.

At stake (best; see test_flows.py for the placements):
    o1 = routes a, b, a2, b2 = 270+90+180+60+225+75 = 900;
         workers 33.75+11.25+22.5+7.5+37.5+12.5 = 125
    s1 = 270+90+120+225+75 = 780; workers 110       h1 = 800; 100      b1 = 270+180+225 = 675; 93.75
    e1 = 600; 75     h2 = 300; 50     w1 = 480; 60     s2 = 320; 40     e5 = 225; 31.25
    e2 = 200; 25     h3 = 0; 10
Reach: act pressures h1 and takes m1, which targets h2 and s1 (so touches h2's s1 placements):
    every row reaches act (1 actor) except h3 (0). Rows touched by m1: o1, s1, b1, h2, e5.
Dependent hosts: h1, h2, h3 (themselves), s1 (all of h2), o1 (all of h2) -> 1; others 0.
Levels (candidates are ranked within their level, never against what contains them):
    host h1, h2, h3; sector s1, s2; intermediary o1, b1; placement w1; route e1, e5, e2.
Score = .5 rev/max + .2 workers/max + .1 actors/max + .2 dependent/max, each max within the level:
    hosts (800, 100, 1, 1):  h1 = 1;  h2 = .5*300/800 + .2*50/100 + .1 + .2 = .5875;
                             h3 = .2*10/100 + .2 = .22
    sectors (780, 110, 1, 1): s1 = 1;  s2 = .5*320/780 + .2*40/110 + .1 = .377855
    intermediaries (900, 125, 1, 1): o1 = 1;  b1 = .375 + .15 + .1 = .625
    placement w1 alone (dependent max 0): .5 + .2 + .1 = .8
    routes (600, 75, 1, 0): e1 = .8;  e5 = .1875 + .083333 + .1 = .370833;
                            e2 = .166667 + .066667 + .1 = .333333
"""

from __future__ import annotations

from pathlib import Path

import pytest

import labournet
from labournet.analysis.pressure import DEFAULT_WEIGHTS, pressure_points
from labournet.errors import AnalysisError

SMALL = Path(__file__).parents[1] / "fixtures" / "pressure-small"

EXPECTED = {  # id: (level, revenue, workers, actors, dependent hosts, score, rank in level)
    "h1": ("host", 800, 100, 1, 1, 1.0, 1),
    "h2": ("host", 300, 50, 1, 1, 0.5875, 2),
    "h3": ("host", 0, 10, 0, 1, 0.22, 3),
    "s1": ("sector", 780, 110, 1, 1, 1.0, 1),
    "s2": ("sector", 320, 40, 1, 0, 0.377855, 2),
    "o1": ("intermediary", 900, 125, 1, 1, 1.0, 1),
    "b1": ("intermediary", 675, 93.75, 1, 0, 0.625, 2),
    "w1": ("placement", 480, 60, 1, 0, 0.8, 1),
    "e1": ("route", 600, 75, 1, 0, 0.8, 1),
    "e5": ("route", 225, 31.25, 1, 0, 0.370833, 2),
    "e2": ("route", 200, 25, 1, 0, 0.333333, 3),
}


@pytest.fixture(scope="module")
def table():
    return pressure_points(labournet.load_dataset(SMALL))


def test_ranking_within_levels_and_scores_by_hand(table):
    assert list(table.index) == list(EXPECTED)
    for candidate, (level, revenue, workers, actors, dependent, score, rank) in EXPECTED.items():
        row = table.loc[candidate]
        assert (row["level"], row["rank"]) == (level, rank), candidate
        assert not row["residual"], candidate
        assert row["revenue_best"] == pytest.approx(revenue), candidate
        assert row["workers_best"] == pytest.approx(workers), candidate
        assert row["n_actors"] == actors, candidate
        assert row["dependent_hosts"] == dependent, candidate
        assert row["score"] == pytest.approx(score, abs=1e-6), candidate


def test_components_add_up_to_the_score(table):
    parts = table[["c_revenue", "c_workers", "c_reach", "c_structure"]].sum(axis=1)
    assert parts.to_numpy() == pytest.approx(table["score"].to_numpy())


def test_ranges_by_hand(table):
    # h1: low e1=400 -> 300+100+200 = 600, high e1=800 -> 1000
    assert table.loc["h1", ["revenue_low", "revenue_high"]].tolist() == [600, 1000]
    # s2 (host one's second sector): low share 20/80 of 600 = 150; high 60/120 of 1000 = 500
    assert table.loc["s2", ["revenue_low", "revenue_high"]].tolist() == pytest.approx([150, 500])


def test_equivalent_candidates_share_a_row(table):
    assert set(table.loc["h2", "equivalent"].split(";")) == {"r2", "w3", "e3"}
    assert set(table.loc["b1", "equivalent"].split(";")) == {"e4", "e6"}
    assert table.loc["s2", "equivalent"] == "w2"


def test_reach_and_measures(table):
    assert table.loc["h1", "actors"] == "act"
    assert table.loc["h1", "measures"] == ""  # m1 touches host two's sector one only
    assert table.loc["h2", "measures"] == "m1"
    assert table.loc["s1", "measures"] == "m1"


def test_traceability(table):
    assert table.loc["e2", "figures"].split(";") == ["f-r1", "f-w1", "f-w2", "f-e1", "f-e2"]
    assert table.loc["e2", "assumptions"] == "a-h1-split"
    assert table.loc["h2", "assumptions"] == "a-o1-route"
    assert not table.loc["h3", "assumed"]
    assert table.loc["h1", "sources"] == "s-test"
    assert table.attrs["weights"] == dict(DEFAULT_WEIGHTS)


def test_weights_change_the_ranking():
    table = pressure_points(
        labournet.load_dataset(SMALL),
        weights={"revenue": 1, "workers": 0, "reach": 0, "structure": 0},
    )
    hosts = table[table["level"] == "host"]
    assert list(hosts.index) == ["h1", "h2", "h3"]  # 800 > 300 > 0
    assert table.loc["h2", "score"] == pytest.approx(300 / 800)
    assert table.loc["e5", "score"] == pytest.approx(225 / 600)  # routes: against e1 only


@pytest.mark.parametrize("weights", [{"charm": 1}, {"revenue": -1}])
def test_bad_weights(weights):
    with pytest.raises(AnalysisError):
        pressure_points(labournet.load_dataset(SMALL), weights=weights)


def test_bundled_dataset_ranks_within_levels_and_marks_residuals():
    table = pressure_points(labournet.load_dataset())
    assert list(table["level"].unique()) == ["host", "sector", "placement"]
    hosts = table[table["level"] == "host"]
    assert list(hosts.index[:2]) == ["cn", "ru"] and list(hosts["rank"]) == list(range(1, 12))
    assert table.loc["construction", ["level", "rank"]].tolist() == ["sector", 1]
    residual = set(table.index[table["residual"]])
    assert residual == {"other-hosts", "other-sectors", "r-pl-works-other-sectors"}
    assert table["assumed"].all()  # the per-host split rests on assumptions
