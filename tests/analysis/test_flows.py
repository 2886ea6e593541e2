"""The flow model on tests/fixtures/pressure-small, against hand computation.

The fixture (best estimates; figures in brackets are low/high where they differ):

    rg -> h1 100 workers [80, 120]; h1 works_in s1 60, s2 40 [20, 60]  -> shares 0.6 / 0.4
    rg -> h2 50 workers [40, 60];   h2 works_in s1 50                   -> share 1
    rg -> h3 10 workers;            no works_in                          -> one slot, no sector
    h1 -remits-> o1 600 [400, 800], h1 -remits-> rg 200
    h2 -remits-> o1 300
    o1 -remits-> b1 3, o1 -remits-> rg 1     -> o1 splits 0.75 / 0.25
    b1 -remits-> rg (no figure, its only onward relation -> 1)
    h3 -remits-> o2, and o2 forwards nothing: h3's money never reaches the regime.

Routes and their revenue (best):
    h1: a = e1,e4,e6 = 600 * 0.75 = 450; b = e1,e5 = 600 * 0.25 = 150; c = e2 = 200 -> 800
    h2: a2 = e3,e4,e6 = 225; b2 = e3,e5 = 75 -> 300
Placements (revenue, workers = W * sector share * route share of the host's revenue):
    (h1,s1,a) 270, 100*.6*450/800 = 33.75   (h1,s2,a) 180, 22.5
    (h1,s1,b)  90, 11.25                     (h1,s2,b)  60,  7.5
    (h1,s1,c) 120, 15                        (h1,s2,c)  80, 10
    (h2,s1,a2) 225, 37.5   (h2,s1,b2) 75, 12.5   (h3,-,-) 0, 10
Totals: revenue 1100, workers 160.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pytest

import labournet
from labournet.analysis.flows import build_flow_model
from labournet.errors import AnalysisError

SMALL = Path(__file__).parents[1] / "fixtures" / "pressure-small"


@pytest.fixture(scope="module")
def model():
    return build_flow_model(labournet.load_dataset(SMALL))


def test_regime_hosts_and_placements(model):
    assert model.regime == "rg"
    assert model.hosts == ("h1", "h2", "h3")
    assert model.n_placements == 9  # 2 slots x 3 routes + 1 x 2 + 1 route-less


def test_totals_by_hand(model):
    totals = model.totals()
    assert totals.revenue.best == pytest.approx(1100)
    assert totals.workers.best == pytest.approx(160)
    # Revenue = e1 + 200 + 300 with e1 ~ triangular(400, 600, 800): its 5th percentile solves
    # (x - 400)^2 / (400 * 200) = 0.05, x = 463.2, so the interval is 963.2-1236.8 (1000 draws).
    assert totals.revenue.low == pytest.approx(963.2, abs=12)
    assert totals.revenue.high == pytest.approx(1236.8, abs=12)
    # Workers = h1 (80-120) + h2 (40-60) + 10, drawn jointly: strictly inside the corners
    # 130-190 (every figure at its end at once), symmetric about 160.
    assert 130 < totals.workers.low < 160 < totals.workers.high < 190
    assert totals.workers.low + totals.workers.high == pytest.approx(320, abs=4)


def test_placements_by_hand(model):
    revenue, workers = model.evaluate(model.estimates())
    best = sorted(zip(np.round(revenue[:, 0], 6), np.round(workers[:, 0], 6), strict=True))
    assert best == sorted(
        [(270, 33.75), (90, 11.25), (120, 15), (180, 22.5), (60, 7.5), (80, 10),
         (225, 37.5), (75, 12.5), (0, 10)]
    )  # fmt: skip


def test_latest_figure_wins(model):
    used = {f.id for f in model.figures}
    assert "f-e2" in used and "f-old" not in used


def test_dead_end_is_noted(model):
    assert any("h3" in note for note in model.notes)
    assert "o2" not in model.candidate_index() and "e7" not in model.candidate_index()


def test_unknown_and_non_candidate_ids(model):
    with pytest.raises(AnalysisError, match="unknown id 'zz'"):
        model.alive_after(["zz"])
    with pytest.raises(AnalysisError, match="'act'"):
        model.alive_after(["act"])
    with pytest.raises(AnalysisError, match="regime itself"):
        model.alive_after(["rg"])


def test_regime_must_be_found():
    dataset = labournet.load_dataset(SMALL)
    with pytest.raises(AnalysisError, match="unknown regime"):
        build_flow_model(dataset, regime="nowhere")
    assert build_flow_model(labournet.to_networkx(dataset), regime="rg").regime == "rg"


def test_bundled_totals_match_the_stated_total():
    model = build_flow_model(labournet.load_dataset())
    stated = labournet.load_dataset().figures_for("kp", "revenue")[0]
    assert model.totals().revenue.best == pytest.approx(stated.best)


def test_the_model_is_built_as_of_the_latest_year_by_default(model):
    assert str(model.as_of) == "2024"
    assert {f.year for f in model.figures} == {2024}


def test_as_of_an_earlier_year_uses_only_figures_up_to_it():
    early = build_flow_model(labournet.load_dataset(SMALL), as_of=2020)
    assert str(early.as_of) == "2020"
    assert {f.id for f in early.figures} == {"f-r1-2020", "f-old"}
    totals = early.totals()
    # h1: 90 workers (2020), straight to the regime 999 (f-old); e1 has no 2020 figure
    assert (totals.workers.best, totals.revenue.best) == (pytest.approx(90), pytest.approx(999))
    assert any("h2: no workers figure" in note for note in early.notes)


def test_as_of_before_any_figure_is_an_error():
    with pytest.raises(AnalysisError, match="no figure is dated 2019 or earlier"):
        build_flow_model(labournet.load_dataset(SMALL), as_of=2019)
    with pytest.raises(AnalysisError, match="as of 2015 no workers or revenue figure applies"):
        build_flow_model(labournet.load_dataset(), as_of=2015)


def test_dataset_as_of_applies_the_same_rule():
    dataset = labournet.load_dataset(SMALL)
    assert dataset.years == (2020, 2024)
    snapshot = dataset.as_of(2020)
    assert {f.id for f in snapshot.figures} == {"f-r1-2020", "f-old"}
    assert {f.id for f in dataset.as_of(2024).figures} == {
        f.id for f in dataset.figures if f.id not in ("f-r1-2020", "f-old")
    }
    rebuilt = build_flow_model(snapshot)
    assert (
        str(rebuilt.as_of) == "2020"
        and rebuilt.totals() == build_flow_model(dataset, as_of=2020).totals()
    )


def test_large_tables_use_fewer_interval_draws_in_chunks(model, monkeypatch):
    import labournet.analysis.flows as flows

    full = model.totals()
    monkeypatch.setattr(flows, "INTERVAL_BUDGET", 2 * flows.MIN_INTERVAL_DRAWS)  # 200 draws
    monkeypatch.setattr(flows, "CHUNK_VALUES", 9 * 7)  # 9 placements: 7 draws at a time
    fresh = build_flow_model(labournet.load_dataset(SMALL))
    reduced = fresh.totals()
    # fewer draws give the same best and an interval close to the full one (same stream)
    assert reduced.revenue.best == full.revenue.best
    assert reduced.revenue.low == pytest.approx(full.revenue.low, rel=0.05)
    assert reduced.revenue.high == pytest.approx(full.revenue.high, rel=0.05)


def test_the_regime_message_names_the_cli_option():
    graph = labournet.to_networkx(labournet.load_dataset(SMALL))
    nx.set_node_attributes(graph, {"rg": ""}, "role")
    with pytest.raises(AnalysisError, match="--regime ID"):
        build_flow_model(graph)


def test_each_table_draws_its_intervals_again_in_chunks_and_keeps_none(monkeypatch):
    """A table draws the interval draws chunk by chunk (at a million entities all of them
    would take gigabytes) and keeps none; smaller chunks give the same table."""
    import labournet.analysis.flows as flows
    from labournet.analysis.pressure import pressure_points

    dataset = labournet.load_dataset()
    expected = pressure_points(build_flow_model(dataset)).to_frame()
    model = build_flow_model(dataset)
    monkeypatch.setattr(flows, "CHUNK_VALUES", 40 * model.n_placements)  # 40 draws a chunk
    drawn: list[int] = []
    draw = flows.FlowModel.draw

    def counted(self, draws, rng, distribution="triangular"):
        drawn.append(draws)
        return draw(self, draws, rng, distribution)

    monkeypatch.setattr(flows.FlowModel, "draw", counted)
    assert pressure_points(model).to_frame().equals(expected)
    assert len(drawn) > 2 and max(drawn) <= 40 and sum(drawn) == flows.INTERVAL_DRAWS
    kept = [v for v in vars(model).values() if isinstance(v, np.ndarray) and v.ndim == 2]
    assert all(array.shape[1] < flows.INTERVAL_DRAWS for array in kept)
