"""Scenarios on tests/fixtures/pressure-small, against hand computation.

Best estimates (see test_flows.py): revenue 1100, workers 160.
Cut o1: routes a, b, a2, b2 go: revenue 900, workers 125. What remains: h1's direct route c
(120 + 80 = 200, workers 15 + 10 = 25) and h3 (0 revenue, 10 workers): 200 and 35.
The fixture has no substitution figure, so nothing re-routes: net = gross.

With the regime's substitution at 0.25 (`rerouting` fixture), a quarter of what a cut removes is
placed again in what remains, in proportion to what each placement carries:
    cut o1: rerouted 225 (all to h1, the only remaining revenue), net 675, remaining 425;
            workers rerouted 31.25, net 93.75, remaining 66.25.
    cut h1=0.5: gross 400 (half of h1's 800), workers 50; rerouted 100, to h1 (400 left) and
            h2 (300): 100 x 4/7 and 100 x 3/7.
    cut h1=0.5 and s1=0.5: (h1, s1) keeps 0.25 of 480, (h1, s2) 0.5 of 320, (h2, s1) 0.5 of 300:
            gross 360 + 160 + 150 = 670.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import labournet
from labournet.analysis.scenario import Cut, parse_cut, scenario, scenarios
from labournet.errors import AnalysisError

SMALL = Path(__file__).parents[1] / "fixtures" / "pressure-small"


@pytest.fixture(scope="module")
def dataset():
    return labournet.load_dataset(SMALL)


@pytest.fixture(scope="module")
def rerouting(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rerouting") / "small"
    shutil.copytree(SMALL, folder)
    with (folder / "figures.csv").open("a", encoding="utf-8") as file:
        file.write("f-rg-s,rg,substitution,0.25,0.25,0.25,fraction,2024,Assumed,s-test,,\n")
    return labournet.load_dataset(folder)


def test_cut_o1_by_hand(dataset):
    result = scenario(dataset, ["o1"])
    assert result.gross.revenue.best == pytest.approx(900)
    assert result.gross.workers.best == pytest.approx(125)
    assert result.net.revenue.best == pytest.approx(900)  # no substitution figure
    assert result.rerouted.revenue.best == 0 and result.rerouted_to == {}
    assert result.remaining.revenue.best == pytest.approx(200)
    assert result.remaining.workers.best == pytest.approx(35)
    # lost = e1 + 300 with e1 ~ triangular(400, 600, 800): percentiles 763.2 and 1036.8
    assert result.gross.revenue.low == pytest.approx(763.2, abs=12)
    assert result.gross.revenue.high == pytest.approx(1036.8, abs=12)
    assert result.placements_cut == 6
    assert result.revenue_lost_share == pytest.approx(900 / 1100)
    # within levels: hosts h1 (200, 25) and h3 (0, 10); sectors s1 (120, 15) and s2 (80, 10)
    assert result.ranking.ids == ("h1", "h3", "s1", "s2")
    assert [p.rank for p in result.ranking] == [1, 2, 1, 2]
    assert [p.score for p in result.ranking] == pytest.approx([200, 0, 120, 80])


def test_the_regime_reroutes_its_substitution_share(rerouting):
    result = scenario(rerouting, ["o1"])
    assert result.substitution == pytest.approx(0.25)
    assert result.gross.revenue.best == pytest.approx(900)
    assert result.rerouted.revenue.best == pytest.approx(225)
    assert result.net.revenue.best == pytest.approx(675)
    assert result.remaining.revenue.best == pytest.approx(425)
    assert (result.rerouted.workers.best, result.net.workers.best) == pytest.approx((31.25, 93.75))
    assert result.remaining.workers.best == pytest.approx(66.25)
    assert result.rerouted_to == pytest.approx({"h1": 225})
    # what remains carries the re-routed money: h1 at stake 200 x (1 + 225 / 200) = 425
    assert result.ranking["h1"].revenue.best == pytest.approx(425)


def test_a_partial_cut_by_hand(rerouting):
    result = scenario(rerouting, ["h1=0.5"])
    assert result.cuts == (Cut("h1", 0.5),)
    assert (result.gross.revenue.best, result.gross.workers.best) == pytest.approx((400, 50))
    assert result.rerouted.revenue.best == pytest.approx(100)
    assert result.rerouted_to == pytest.approx({"h1": 400 / 7, "h2": 300 / 7})
    assert result.placements_cut == 0 and result.placements_touched == 6


def test_partial_cuts_combine_by_what_each_leaves(rerouting):
    result = scenario(rerouting, ["h1=0.5", "s1=0.5"])
    assert result.gross.revenue.best == pytest.approx(670)


def test_nothing_reroutes_when_nothing_remains(rerouting):
    result = scenario(rerouting, ["h1", "h2", "h3"])
    assert result.net.revenue.best == pytest.approx(1100) and result.rerouted.revenue.best == 0
    assert len(result.ranking) == 0


def test_side_by_side_cut_sets(rerouting):
    first, second = scenarios(rerouting, [["o1"], ["h1=0.5"]])
    assert (first.label, second.label) == ("o1", "h1=0.5")
    assert first.net.revenue.best > second.net.revenue.best
    rows = first.rows()
    assert {(r["measure"], r["stage"]) for r in rows} >= {("revenue", "net"), ("workers", "gross")}


def test_overlapping_cuts_are_not_double_counted(dataset):
    # h1 (800) and s1 (780) overlap in (h1, s1, *) = 480: 800 + 780 - 480 = 1100, all revenue
    result = scenario(dataset, ["h1", "s1"])
    assert result.gross.revenue.best == pytest.approx(1100)
    assert result.remaining.revenue.best == pytest.approx(0)
    assert result.remaining.workers.best == pytest.approx(10)  # h3 stays


def test_relation_cut(dataset):
    result = scenario(dataset, ["e5"])  # o1 -> rg carries a quarter of o1's money
    assert result.gross.revenue.best == pytest.approx(225)


@pytest.mark.parametrize(
    ("text", "message"),
    [("h1=0", "above 0 and at most 1"), ("h1=1.5", "at most 1"), ("h1=half", "not a fraction"),
     ("=0.5", "names no candidate")],
)  # fmt: skip
def test_bad_cuts_are_named(text, message):
    with pytest.raises(AnalysisError, match=message):
        parse_cut(text)


def test_unknown_ids_are_named(dataset):
    with pytest.raises(AnalysisError, match="unknown id 'nowhere'"):
        scenario(dataset, ["h1", "nowhere"])
    with pytest.raises(AnalysisError, match="'p1'"):
        scenario(dataset, ["p1"])  # a pressures relation carries no flow
    with pytest.raises(AnalysisError, match="at least one cut"):
        scenario(dataset, [])
    with pytest.raises(AnalysisError, match="cut twice with different fractions"):
        scenario(dataset, ["h1=0.5", "h1"])


def test_bundled_cut_china_and_russia():
    result = scenario(labournet.load_dataset(), ["cn", "ru"])
    # 132M + 108M = 0.8 x US$300M in every joint draw
    gross = result.gross.revenue
    assert (gross.low, gross.best, gross.high) == pytest.approx((240e6, 240e6, 240e6))
    assert result.gross.workers.best == pytest.approx(60000)  # 33,000 + 27,000
    # the regime re-routes its substitution share (best 25%) to the other hosts
    assert result.net.revenue.best == pytest.approx(240e6 * 0.75)
    assert "cn" not in result.ranking
    assert "a-substitution" in result.assumptions


def test_cuts_by_name_or_iso_code_ignoring_case():
    bundled = labournet.load_dataset()
    by_id = scenario(bundled, ["ru", "cn=0.5"])
    by_name = scenario(bundled, ["Russia", "china=0.5"])
    by_code = scenario(bundled, ["RU", "Cn=0.5"])
    for result in (by_name, by_code):
        assert [str(c) for c in result.cuts] == ["ru", "cn=0.5"]
        assert result.gross.revenue.best == pytest.approx(by_id.gross.revenue.best)


def test_a_mistyped_cut_suggests_close_ids_and_names():
    with pytest.raises(AnalysisError, match=r"unknown id 'Rusia' \(--cut\).*did you mean 'Russia'"):
        scenario(labournet.load_dataset(), ["Rusia"])
