"""Seeded Monte Carlo: reproducible, sensitive to the seed, and consistent with the ranges."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import labournet
from labournet.analysis.flows import build_flow_model
from labournet.analysis.pressure import pressure_points
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


def test_draws_stay_within_ranges(bundled):
    rng = np.random.default_rng(0)
    for distribution in ("triangular", "uniform"):
        values = draw_figures(bundled, 500, rng, distribution)
        low, high = bundled.figure_values[:, [0]], bundled.figure_values[:, [2]]
        assert (values >= low - 1e-9).all() and (values <= high + 1e-9).all()
    with pytest.raises(AnalysisError, match="unknown distribution"):
        draw_figures(bundled, 5, rng, "normal")


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
    sizes = table.groupby(pressure_points(bundled)["level"]).size()
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
