"""Scenarios on tests/fixtures/pressure-small, against hand computation.

Cut o1: routes a, b, a2, b2 go (revenue 900, workers 125 at best). What remains: h1's direct
route c (120 + 80 = 200, workers 15 + 10 = 25) and h3 (0 revenue, 10 workers): 200 and 35.
New ranking over what remains (max revenue 200, workers 25, actors 1, dependent hosts 1):
    h1 (= r1 = e2 now) = .5 + .2 + .1 + .2 = 1
    s1 (= w1): 120, 15 -> .5*.6 + .2*.6 + .1 = .52
    s2 (= w2): 80, 10  -> .5*.4 + .2*.4 + .1 = .38
    h3: 0, 10, no actor, dependent 1 -> .2*.4 + .2 = .28
"""

from __future__ import annotations

from pathlib import Path

import pytest

import labournet
from labournet.analysis.scenario import scenario
from labournet.errors import AnalysisError

SMALL = Path(__file__).parents[1] / "fixtures" / "pressure-small"


@pytest.fixture(scope="module")
def dataset():
    return labournet.load_dataset(SMALL)


def test_cut_o1_by_hand(dataset):
    result = scenario(dataset, ["o1"])
    assert result.lost.revenue.best == pytest.approx(900)
    assert result.lost.workers.best == pytest.approx(125)
    assert result.remaining.revenue.best == pytest.approx(200)
    assert result.remaining.workers.best == pytest.approx(35)
    # lost = e1 + 300 with e1 ~ triangular(400, 600, 800): percentiles 763.2 and 1036.8
    assert result.lost.revenue.low == pytest.approx(763.2, abs=12)
    assert result.lost.revenue.high == pytest.approx(1036.8, abs=12)
    assert result.placements_cut == 6
    assert result.revenue_lost_share == pytest.approx(900 / 1100)
    # within levels: hosts h1 (200, 25) and h3 (0, 10); sectors s1 (120, 15) and s2 (80, 10)
    assert list(result.ranking.index) == ["h1", "h3", "s1", "s2"]
    assert result.ranking["rank"].tolist() == [1, 2, 1, 2]
    # US$ denied: no compliance figures, so what remains at stake where act reaches it
    assert result.ranking["score"].tolist() == pytest.approx([200, 0, 120, 80])
    assert set(result.ranking.loc["h1", "equivalent"].split(";")) == {"r1", "e2"}


def test_overlapping_cuts_are_not_double_counted(dataset):
    # h1 (800) and s1 (780) overlap in (h1, s1, *) = 480: 800 + 780 - 480 = 1100, all revenue
    result = scenario(dataset, ["h1", "s1"])
    assert result.lost.revenue.best == pytest.approx(1100)
    assert result.remaining.revenue.best == pytest.approx(0)
    assert result.remaining.workers.best == pytest.approx(10)  # h3 stays


def test_relation_cut(dataset):
    result = scenario(dataset, ["e5"])  # o1 -> rg carries a quarter of o1's money
    assert result.lost.revenue.best == pytest.approx(225)


def test_unknown_ids_are_named(dataset):
    with pytest.raises(AnalysisError, match="unknown id 'nowhere'"):
        scenario(dataset, ["h1", "nowhere"])
    with pytest.raises(AnalysisError, match="'p1'"):
        scenario(dataset, ["p1"])  # a pressures relation carries no flow
    with pytest.raises(AnalysisError, match="at least one cut"):
        scenario(dataset, [])


def test_bundled_cut_china_and_russia():
    result = scenario(labournet.load_dataset(), ["cn", "ru"])
    assert result.revenue_lost.best == pytest.approx(240e6)  # 132M + 108M
    assert result.workers_lost.best == pytest.approx(60000)  # 33,000 + 27,000
    assert "cn" not in result.ranking.index
