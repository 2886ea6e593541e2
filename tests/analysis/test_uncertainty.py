"""Seeded Monte Carlo: reproducible, sensitive to the seed, and consistent with the ranges."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import labournet
from labournet.analysis.flows import build_flow_model
from labournet.analysis.uncertainty import draw_figures, monte_carlo
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
