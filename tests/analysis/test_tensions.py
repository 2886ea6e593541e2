"""Tensions between what the model derives and what the sources state, by hand."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import labournet
from labournet.analysis.flows import build_flow_model
from labournet.analysis.tensions import find_tensions

SMALL = Path(__file__).parents[1] / "fixtures" / "pressure-small"


def test_the_bundled_dataset_shows_the_seamstress_and_its_totals_hold():
    model = build_flow_model(labournet.load_dataset())
    found = find_tensions(model)
    assert [(t.kind, t.subject) for t in found] == [("yield per worker", "r-cn-works-garments")]
    seamstress = found[0]
    assert seamstress.sourced == pytest.approx((300 - 100) * 12)  # US$2,400 a year
    assert seamstress.derived == pytest.approx(132e6 / 33000)  # US$4,000 under a-revenue-per-host
    # per worker = US$300M / workers abroad, workers abroad ~ triangular(50k, 75k, 100k): its
    # 5th and 95th percentiles are 57,906 and 92,094, so the yield's are 3,258 and 5,181
    low, high = seamstress.derived_range.low, seamstress.derived_range.high
    assert (low, high) == (pytest.approx(3258, abs=60), pytest.approx(5181, abs=60))
    assert seamstress.sourced_from == ("f-cn-works-garments-wage", "f-cn-works-garments-kept")
    # the totals lie within the sourced ranges they reproduce: no total tension
    totals = model.totals()
    assert (totals.revenue.low, totals.revenue.high) == (pytest.approx(300e6), pytest.approx(300e6))
    assert 50_000 <= totals.workers.low < totals.workers.high <= 100_000


def test_a_changed_figure_that_lifts_the_total_above_its_source():
    dataset = labournet.load_dataset()
    figures = tuple(
        dataclasses.replace(f, low=150e6, best=200e6, high=250e6, formula=None)
        if f.id == "f-cn-remits-revenue" else f
        for f in dataset.figures
    )  # fmt: skip
    model = build_flow_model(dataclasses.replace(dataset, figures=figures))
    total = next(t for t in find_tensions(model) if t.sourced_from == ("f-kp-revenue",))
    assert total.derived == pytest.approx(368e6)  # 300M - 132M + 200M
    assert "lies outside the stated US$300M–US$300M" in total.message


def test_a_total_wider_than_its_source_is_a_tension():
    # China's workers typed in as a wide range of their own, no longer a share of the total
    dataset = labournet.load_dataset()
    figures = tuple(
        dataclasses.replace(f, low=5_000, best=33_000, high=90_000, formula=None)
        if f.id == "f-kp-sends-cn-workers" else f
        for f in dataset.figures
    )  # fmt: skip
    model = build_flow_model(dataclasses.replace(dataset, figures=figures))
    total = next(t for t in find_tensions(model) if t.sourced_from == ("f-kp-workers-abroad",))
    assert "wider than the stated 50,000–100,000" in total.message


def test_no_stated_total_and_no_pay_means_no_tension():
    assert find_tensions(build_flow_model(labournet.load_dataset(SMALL))) == ()


def test_report_terminal_and_html_list_the_tensions(tmp_path: Path):
    from labournet.report.build import build_report, write_html_views, write_report

    report = build_report(labournet.load_dataset(), draws=0)
    write_report(report, tmp_path, writers=(write_html_views,))
    from labournet.report.markdown import render_markdown

    markdown = render_markdown(report)
    assert "### Tensions between the model and its sources" in markdown
    assert "the sourced pay in r-cn-works-garments leaves US$2,400" in markdown
    assert "## Doubts the dataset records" in markdown and "seamstress pay" in markdown
    page = (tmp_path / "network.html").read_text(encoding="utf-8")
    assert "Tension: cn: the model has each worker yield US$4,000 a year" in page
    assert report.to_dict()["tensions"][-1]["sourced"] == pytest.approx(2400)
