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
Score = expected revenue denied = revenue on reached placements x compliance x (1 - substitution).
The fixture has no compliance or substitution figures (acting for sure, nothing replaced: an
upper bound), and act reaches every placement but h3's, which carries no revenue: so each
score equals the revenue at stake, and the hosts rank h1 800 > h2 300 > h3 0, the routes
e1 600 > e5 225 > e2 200.
With compliance h1 0.5, h2 0.2 and substitution 0.25 (test_compliance_and_substitution_by_hand):
    h1 = 800 x .5 x .75 = 300; h2 = 300 x .2 x .75 = 45; o1 = 600 x .5 x .75 + 300 x .2 x .75 = 270;
    s1 = (270+90+120) x .5 x .75 + 300 x .2 x .75 = 180 + 45 = 225
"""

from __future__ import annotations

from pathlib import Path

import pytest

import labournet
from labournet.analysis.pressure import FRAME_COLUMNS, PressurePoint, pressure_points

SMALL = Path(__file__).parents[1] / "fixtures" / "pressure-small"

EXPECTED = {  # id: (level, revenue, workers, actors, dependent hosts, score, rank in level)
    "h1": ("host", 800, 100, 1, 1, 800, 1),
    "h2": ("host", 300, 50, 1, 1, 300, 2),
    "h3": ("host", 0, 10, 0, 1, 0, 3),
    "s1": ("sector", 780, 110, 1, 1, 780, 1),
    "s2": ("sector", 320, 40, 1, 0, 320, 2),
    "o1": ("intermediary", 900, 125, 1, 1, 900, 1),
    "b1": ("intermediary", 675, 93.75, 1, 0, 675, 2),
    "w1": ("placement", 480, 60, 1, 0, 480, 1),
    "e1": ("route", 600, 75, 1, 0, 600, 1),
    "e5": ("route", 225, 31.25, 1, 0, 225, 2),
    "e2": ("route", 200, 25, 1, 0, 200, 3),
}


@pytest.fixture(scope="module")
def result():
    return pressure_points(labournet.load_dataset(SMALL))


@pytest.fixture(scope="module")
def table(result):
    return result.to_frame()


def test_the_result_is_typed(result):
    point = result["h1"]
    assert isinstance(point, PressurePoint)
    assert (point.level, point.rank, point.score) == ("host", 1, pytest.approx(800))
    assert point.revenue.best == pytest.approx(800) and point.actors == ("act",)
    assert [p.id for p in result.level("host")] == ["h1", "h2", "h3"]
    assert [p.id for p in result.leaders(1)] == ["h1", "s1", "o1", "w1", "e1"]
    assert "h1" in result and "zz" not in result
    with pytest.raises(KeyError, match="'zz' is not a candidate"):
        result["zz"]
    frame = result.to_frame()
    assert list(frame.columns) == list(FRAME_COLUMNS) and list(frame.index) == list(result.ids)
    assert frame.loc["h2", "equivalent"] == result["h2"].equivalent  # a tuple, not a string


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


def test_without_compliance_figures_the_score_is_an_upper_bound(table):
    assert (table["score"] == table["denied_best"]).all()
    assert table.loc["h1", ["reached_share", "compliance", "substitution"]].tolist() == [1, 1, 0]
    assert table.loc["h3", "reached_share"] == 0  # nobody presses host three


def test_notes_say_the_score_is_an_upper_bound(result):
    assert any("upper bound" in note for note in result.notes)


def test_compliance_and_substitution_by_hand(tmp_path):
    import shutil

    folder = tmp_path / "small"
    shutil.copytree(SMALL, folder)
    with (folder / "figures.csv").open("a", encoding="utf-8") as file:
        file.write("f-h1-c,h1,compliance,0.4,0.5,0.6,fraction,2024,Assumed,s-test,,\n")
        file.write("f-h2-c,h2,compliance,0.2,0.2,0.2,fraction,2024,Assumed,s-test,,\n")
        file.write("f-rg-s,rg,substitution,0.25,0.25,0.25,fraction,2024,Assumed,s-test,,\n")
    table = pressure_points(labournet.load_dataset(folder)).to_frame()
    expected = {"h1": 300, "h2": 45, "o1": 270, "s1": 225}
    for candidate, denied in expected.items():
        assert table.loc[candidate, "denied_best"] == pytest.approx(denied), candidate
    assert table.loc["h1", "compliance"] == pytest.approx(0.5)
    assert table.loc["s1", "compliance"] == pytest.approx((480 * 0.5 + 300 * 0.2) / 780)
    # The interval of a product of independent draws lies strictly inside its corners: h1's
    # revenue at its low (600) x compliance 0.4 x 0.75 = 180; at the highs 1000 x 0.6 x 0.75 = 450.
    low, high = table.loc["h1", ["denied_low", "denied_high"]]
    assert 180 < low < 300 < high < 450
    assert "f-h1-c" in table.loc["h1", "figures"] and "f-rg-s" in table.loc["h1", "figures"]


def test_ranges_by_hand(table):
    # h1 = e1 + 200 with e1 ~ triangular(400, 600, 800): 5th and 95th percentiles 663.2, 936.8
    low, high = table.loc["h1", ["revenue_low", "revenue_high"]]
    assert (low, high) == (pytest.approx(663.2, abs=12), pytest.approx(936.8, abs=12))
    # s2 (host one's second sector) = h1's revenue x w2 / (w1 + w2): inside its corners, share
    # 20/80 of 600 = 150 and 60/120 of 1000 = 500
    low, high = table.loc["s2", ["revenue_low", "revenue_high"]]
    assert 150 < low < 320 < high < 500


def test_equivalent_candidates_share_a_row(table):
    assert set(table.loc["h2", "equivalent"]) == {"r2", "w3", "e3"}
    assert set(table.loc["b1", "equivalent"]) == {"e4", "e6"}
    assert table.loc["s2", "equivalent"] == ("w2",)


def test_reach_and_measures(table):
    assert table.loc["h1", "actors"] == ("act",)
    assert table.loc["h1", "measures"] == ()  # m1 touches host two's sector one only
    assert table.loc["h2", "measures"] == ("m1",)
    assert table.loc["s1", "measures"] == ("m1",)


def test_traceability(table, result):
    assert table.loc["e2", "figures"] == ("f-r1", "f-w1", "f-w2", "f-e1", "f-e2")
    assert table.loc["e2", "assumptions"] == ("a-h1-split",)
    assert table.loc["h2", "assumptions"] == ("a-o1-route",)
    assert not table.loc["h3", "assumed"]
    assert result.sources_of("h1") == ("s-test",) and table.loc["h1", "source_groups"]
    assert result.formula.startswith("expected revenue denied (USD per year)")


def test_bundled_dataset_ranks_within_levels_and_marks_residuals():
    table = pressure_points(labournet.load_dataset()).to_frame()
    assert list(table["level"].unique()) == ["host", "sector", "placement"]
    hosts = table[table["level"] == "host"]
    assert list(hosts["rank"]) == list(range(1, 12))
    # in dollars denied: a small host that may act beats a big one that will not ...
    assert hosts.loc["qa", "denied_best"] == pytest.approx(10e6 * 0.4 * 0.75)
    assert hosts.loc["cn", "denied_best"] == pytest.approx(132e6 * 0.05 * 0.75)
    assert hosts.loc["qa", "rank"] < hosts.loc["pl", "rank"] < hosts.loc["mt", "rank"]
    assert list(hosts.index[-1:]) == ["mt"]  # US$80k, and its workers have already left
    assert table.loc["construction", ["level", "rank"]].tolist() == ["sector", 2]
    residual = set(table.index[table["residual"]])
    assert residual == {"other-hosts", "other-sectors", "r-pl-works-other-sectors"}
    assert table["assumed"].all()  # the per-host split rests on assumptions
