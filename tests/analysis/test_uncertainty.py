"""Seeded Monte Carlo: reproducible, sensitive to the seed, and consistent with the ranges."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import labournet
from labournet._threads import chunk_workers
from labournet.analysis import uncertainty
from labournet.analysis.flows import build_flow_model
from labournet.analysis.pressure import components, pressure_points
from labournet.analysis.uncertainty import (
    _ranks,
    _top_counts,
    chunk_size,
    draw_figures,
    monte_carlo,
)
from labournet.errors import AnalysisError

SMALL = Path(__file__).parents[1] / "fixtures" / "pressure-small"


@pytest.fixture(scope="module")
def bundled():
    return build_flow_model(labournet.load_dataset())


def test_same_seed_same_result(bundled):
    first = monte_carlo(bundled, draws=300, seed=42).table
    second = monte_carlo(bundled, draws=300, seed=42).table
    assert first.equals(second)


def test_different_seed_differs(bundled):
    first = monte_carlo(bundled, draws=300, seed=1).table
    second = monte_carlo(bundled, draws=300, seed=2).table
    assert not first["revenue_p50"].equals(second["revenue_p50"])


def test_chunking_does_not_change_results(bundled):
    whole = monte_carlo(bundled, draws=200, seed=3, chunk=200).table
    parts = monte_carlo(bundled, draws=200, seed=3, chunk=7).table
    assert np.allclose(whole["p_top_k"], parts["p_top_k"])


def test_inputs_are_drawn_within_their_ranges(bundled):
    rng = np.random.default_rng(0)
    inputs = bundled.system.inputs()
    low = np.array([f.low for f in bundled.system.figures])[inputs, None]
    high = np.array([f.high for f in bundled.system.figures])[inputs, None]
    for distribution in ("triangular", "uniform"):
        values = draw_figures(bundled, 500, rng, distribution)[inputs]
        assert (values >= low - 1e-9).all() and (values <= high + 1e-9).all()
    with pytest.raises(AnalysisError, match="unknown distribution"):
        draw_figures(bundled, 5, rng, "normal")


def _rows(model, *ids):
    index = {f.id: i for i, f in enumerate(model.system.figures)}
    return [index[i] for i in ids]


def test_joint_draws_add_up_and_hold_the_sourced_totals(bundled):
    values = draw_figures(bundled, 2000, np.random.default_rng(9))
    hosts = ["cn", "ru", "kh", "ly", "sn", "na", "mn", "qa", "mt", "pl", "other-hosts"]
    abroad, revenue, cn_share, ru_share = (
        values[r] for r in _rows(bundled, "f-kp-workers-abroad", "f-kp-revenue", "f-cn-share",
                                 "f-ru-share")
    )  # fmt: skip
    workers = values[_rows(bundled, *(f"f-kp-sends-{h}-workers" for h in hosts))].sum(axis=0)
    money = values[_rows(bundled, *(f"f-{h}-remits-revenue" for h in hosts))].sum(axis=0)
    # China and Russia hold the sourced 80% in every draw, not 0.73-0.88
    assert np.allclose(cn_share + ru_share, 0.8)
    # the hosts' workers are the drawn total abroad, inside the sourced 50,000-100,000
    assert np.allclose(workers, abroad) and workers.min() >= 50_000 and workers.max() <= 100_000
    # the hosts' revenue is the sourced US$300 million in every draw
    assert np.allclose(money, revenue) and np.allclose(money, 300e6)
    # China's sectors split China's workers
    cn, garments, construction = (
        values[r] for r in _rows(bundled, "f-kp-sends-cn-workers", "f-cn-works-garments-workers",
                                 "f-cn-works-construction-workers")
    )  # fmt: skip
    assert np.allclose(garments + construction, cn)


def test_derived_figures_are_recomputed_in_every_draw(bundled):
    values = draw_figures(bundled, 2000, np.random.default_rng(4))
    cn_workers, cn_revenue, abroad, revenue = (
        values[r] for r in _rows(bundled, "f-kp-sends-cn-workers", "f-cn-remits-revenue",
                                 "f-kp-workers-abroad", "f-kp-revenue")
    )  # fmt: skip
    # China's revenue per worker is the drawn yield (revenue / workers abroad), never drawn alone:
    # it stays within US$3,000-6,000 (the dataset's yield at 100,000 and 50,000 workers)
    per_worker = cn_revenue / cn_workers
    assert np.allclose(per_worker, revenue / abroad)
    assert per_worker.min() >= 3000 - 1e-6 and per_worker.max() <= 6000 + 1e-6


def test_triangular_mean():
    # triangular(0, 0, 3) has mean 1: check the sampler on a synthetic model's figure values
    model = build_flow_model(labournet.load_dataset(SMALL))
    values = draw_figures(model, 200_000, np.random.default_rng(5))
    row = [f.id for f in model.figures].index("f-w2")  # 20, 40, 60 -> mean 40
    assert values[row].mean() == pytest.approx(40, rel=0.01)


def test_probabilities_and_intervals(bundled):
    table = monte_carlo(bundled, draws=1000, seed=0, k=3).table
    assert table["p_top_k"].between(0, 1).all()
    # three places in the top 3 of each level per draw
    sizes = table.groupby("level").size()
    assert table["p_top_k"].sum() == pytest.approx(sum(min(3, n) for n in sizes))
    assert (table["rank_p05"] <= table["rank_p95"]).all()
    assert table.loc["cn", "p_top_k"] > 0.9
    assert table["assumed"].any()


def test_constant_figures_give_constant_results():
    table = monte_carlo(labournet.load_dataset(SMALL), draws=50, seed=0).table
    # h2's figures (50 workers, 300 revenue, o1's 3:1 split) are all constant except r2's workers
    assert table.loc["h2", "revenue_p05"] == pytest.approx(300)
    assert table.loc["h2", "revenue_p95"] == pytest.approx(300)


def test_bad_draws(bundled):
    with pytest.raises(AnalysisError):
        monte_carlo(bundled, draws=0)


# -- equality with the code before the chunked, sort-free ranking ---------------------------

FROZEN = Path(__file__).parents[1] / "fixtures" / "monte-carlo"
MC_COLUMNS = [
    "level", "p_top_k", "rank_p05", "rank_p50", "rank_p95", "revenue_p05", "revenue_p50",
    "revenue_p95", "workers_p05", "workers_p95",
]  # fmt: skip
FROZEN_CASES = {
    "report": {"draws": 1000, "seed": 0, "k": 3},
    "uniform-k5-track4": {"draws": 300, "seed": 11, "k": 5, "distribution": "uniform", "track": 4},
}


@pytest.mark.parametrize("budget", [{}, {"memory_mb": 1e-6}], ids=["default", "tiny-budget"])
@pytest.mark.parametrize("case", sorted(FROZEN_CASES))
@pytest.mark.parametrize("name", ["dprk-labour-2016", "dprk-labour-2016-2024"])
def test_bundled_results_equal_the_frozen_tables(name, case, budget):
    # tests/fixtures/monte-carlo/*.csv: written by the code at commit 4e6d3b7 (full float64
    # placement arrays, a stable argsort of every level in every draw); equal to the last bit
    dataset = labournet.load_dataset(Path(__file__).parents[2] / "data" / name)
    got = monte_carlo(dataset, **FROZEN_CASES[case], **budget).table[MC_COLUMNS]
    frozen = pd.read_csv(FROZEN / f"{name}-{case}.csv", index_col="id")
    pd.testing.assert_frame_equal(got, frozen, check_exact=True)


def _reference(model, draws, seed, k, track):
    """The Monte Carlo as it was written before: every draw at once, every row ranked by a
    stable argsort of its level."""
    parts = components(model)
    base = pressure_points(model, trace_limit=0)
    order = {c: i for i, c in enumerate(model.candidates[r] for r in parts.rows)}
    position = np.array([order[c] for c in base.ids])
    tracked = position[:track]
    values = model.draw(draws, np.random.default_rng(seed))
    revenue, workers = model.evaluate(values)
    scores = parts.denied(revenue, values)
    rank = np.empty(scores.shape, dtype=np.int64)
    for level in np.unique(parts.levels):
        members = np.flatnonzero(parts.levels == level)
        by_score = np.argsort(-scores[members], axis=0, kind="stable")
        place = np.empty_like(by_score)
        np.put_along_axis(place, by_score, np.arange(1, len(members) + 1)[:, None], axis=0)
        rank[members] = place
    out = pd.DataFrame(index=pd.Index(base.ids, name="id"))
    out["p_top_k"] = (rank <= k).sum(axis=1)[position] / draws
    for name, array in (
        ("rank", rank[tracked]),
        ("revenue", np.asarray(parts.incidence[tracked] @ revenue)),
        ("workers", np.asarray(parts.incidence[tracked] @ workers)),
    ):
        quantiles = np.percentile(array, [5, 50, 95], axis=1)
        for q, column in zip(("p05", "p50", "p95"), quantiles, strict=True):
            out[f"{name}_{q}"] = np.concatenate([column, np.full(len(out) - len(tracked), np.nan)])
    return out.drop(columns="workers_p50")


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    spec = importlib.util.spec_from_file_location(
        "generate", Path(__file__).parents[2] / "benchmarks" / "generate.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    folder = tmp_path_factory.mktemp("net") / "net"
    module.generate(folder, entities=500, relations=2500, seed=3)
    return build_flow_model(labournet.load_dataset(folder))


@pytest.mark.parametrize("budget", [{}, {"memory_mb": 0.5}], ids=["default", "small-budget"])
def test_generated_network_equals_the_reference(generated, budget):
    got = monte_carlo(generated, draws=300, seed=5, k=3, track=100, **budget)
    assert budget == {} or got.chunk < 300
    want = _reference(generated, draws=300, seed=5, k=3, track=100)
    pd.testing.assert_frame_equal(got.table[list(want.columns)], want, check_exact=True)


def test_ties_keep_row_order():
    # many exact ties (and zeros), as where no actor reaches a candidate: ranks and top-k
    # counts as a stable sort gives them
    block = np.random.default_rng(2).integers(0, 4, size=(40, 30)).astype(float)
    by_score = np.argsort(-block, axis=0, kind="stable")
    rank = np.empty_like(by_score)
    np.put_along_axis(rank, by_score, np.arange(1, 41)[:, None], axis=0)
    rows = np.array([0, 3, 17, 39])
    assert (_ranks(block, rows) == rank[rows]).all()
    for k in (1, 3, 40, 50):
        assert (_top_counts(block, k) == (rank <= k).sum(axis=1)).all()


# -- memory budget and reuse --------------------------------------------------------------


def test_chunk_size_follows_the_budget(bundled):
    n_rows = len(pressure_points(bundled))
    sizes = [chunk_size(bundled, n_rows, 10_000, mb) for mb in (0.01, 0.1, 1.0)]
    assert sizes[0] < sizes[1] < sizes[2]
    assert sizes[2] // 10 == sizes[1]  # draws per chunk in proportion to the budget
    assert chunk_size(bundled, n_rows, 10_000, 1e-9) == 1
    assert chunk_size(bundled, n_rows, 50, 1e3) == 50
    whole = monte_carlo(bundled, draws=200, seed=3)
    tiny = monte_carlo(bundled, draws=200, seed=3, memory_mb=0.05)
    assert whole.chunk == 200 and 1 < tiny.chunk < 50  # 200 draws in many chunks
    size = chunk_size(bundled, n_rows, 200, 0.05)  # shared by the threads' chunks
    assert tiny.chunk == max(1, size // chunk_workers(-(-200 // size)))
    assert tiny.table.equals(whole.table)
    assert monte_carlo(bundled, draws=200, seed=3, chunk=7).chunk == 7


def test_bad_budget(bundled):
    with pytest.raises(AnalysisError, match="memory_mb"):
        monte_carlo(bundled, draws=10, memory_mb=0)
    with pytest.raises(AnalysisError, match="chunk"):
        monte_carlo(bundled, draws=10, chunk=0)


def test_reuses_the_components_of_the_result(bundled, monkeypatch):
    result = pressure_points(bundled)
    expected = monte_carlo(bundled, draws=100, seed=1, result=result).table

    def recompute(*args, **kwargs):
        raise AssertionError("components recomputed")

    monkeypatch.setattr(uncertainty, "components", recompute)
    assert monte_carlo(bundled, draws=100, seed=1, result=result).table.equals(expected)


def test_at_the_interval_seed_it_draws_what_the_intervals_drew():
    """The pressure table's intervals and a Monte Carlo at seed 0 see the same draws: the
    intervals' chunks are the one stream that drawing everything at once gives."""
    from labournet.analysis.flows import INTERVAL_SEED

    model = build_flow_model(labournet.load_dataset())
    chunks = list(model.interval_chunks(300, 70))
    assert [first for first, _ in chunks] == [0, 70, 140, 210, 280]
    at_once = uncertainty.draw_figures(
        model, 300, np.random.default_rng(INTERVAL_SEED), "triangular"
    )
    assert np.array_equal(np.concatenate([values for _, values in chunks], axis=1), at_once)
