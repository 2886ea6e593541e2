"""The extended dataset through time: the 2016 analysis reproduced, later snapshots, compare."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import labournet
from labournet.analysis.compare import compare
from labournet.errors import AnalysisError

DATA = Path(__file__).parents[2] / "data"
ORIGINAL, EXTENDED = DATA / "dprk-labour-2016", DATA / "dprk-labour-2016-2024"
NUMBERS = [
    "level", "revenue_low", "revenue_best", "revenue_high", "workers_low", "workers_best",
    "workers_high", "dependent_hosts", "denied_low", "denied_best", "denied_high", "rank",
]  # fmt: skip


@pytest.fixture(scope="module")
def extended() -> labournet.Dataset:
    return labournet.load_dataset(EXTENDED)


@pytest.fixture(scope="module")
def article() -> pd.DataFrame:
    return labournet.pressure_points(labournet.load_dataset(ORIGINAL)).to_frame()


def test_as_of_the_article_the_extended_data_gives_the_2016_analysis_exactly(extended, article):
    pd.testing.assert_frame_equal(
        labournet.pressure_points(extended, as_of="2016-09-13").to_frame(), article
    )


def test_as_of_2016_every_number_of_the_2016_analysis_is_unchanged(extended, article):
    later = labournet.pressure_points(extended, as_of=2016).to_frame()
    pd.testing.assert_frame_equal(later[NUMBERS], article[NUMBERS])
    # what 2016 adds after the article: resolution 2321's statue ban reaches the sculptors
    changed = later.index[later["measures"] != article["measures"]]
    assert sorted(changed) == ["na", "sculpture", "sn"]
    assert all("unsc-2321" in later.loc[host, "measures"] for host in changed)


def test_as_of_2019_only_what_was_known_by_2019_is_used(extended):
    model = labournet.analysis.flows.build_flow_model(extended, as_of=2019)
    assert all(f.period.first_day.year <= 2019 for f in model.figures)
    assert "kw" in model.hosts
    ids = {f.id for f in model.figures}
    assert "f-kp-sends-cn-workers-2019" in ids and "f-kp-sends-ru-workers-2020" not in ids
    assert "f-kp-sends-sn-workers-2020" not in ids  # the route through Mansudae is 2020


def test_a_dispatching_company_is_a_pressure_point_once_the_data_knows_it(extended):
    before = labournet.pressure_points(extended, as_of=2016)
    after = labournet.pressure_points(extended, as_of=2020)
    assert not any("mansudae" in (p.id, *p.equivalent) for p in before)
    # Mansudae carries exactly the sculptors' placements (Namibia, Senegal): one row with them
    sculpture = after["sculpture"]
    assert "mansudae" in sculpture.equivalent and sculpture.dependent_hosts == 2


def test_compare_2016_2019_states_each_change_with_its_sources(extended):
    result = compare(extended, 2016, 2019)
    russia = result.change("ru", "workers")
    assert russia.observed and "s-cnn-2019-03" in russia.now_sources
    assert russia.now.best < russia.then.best
    malta = result.change("mt", "workers")
    assert (malta.then.best, malta.now.best) == (20, 0)
    mongolia = result.change("mn", "workers")
    assert not mongolia.observed and mongolia.now.best == mongolia.then.best
    assert [m.id for m in result.measures][:1] == ["unsc-2371"]
    assert {"unsc-2371", "unsc-2375", "unsc-2397"} <= {m.id for m in result.measures}
    assert "unsc-2321" not in {m.id for m in result.measures}  # in force before the first date


def test_the_backtest_says_where_the_whole_range_fell_and_what_it_cannot_show(extended):
    result = compare(extended, 2016, 2019)
    verdicts = {row.id: row.verdict for row in result.backtest}
    assert verdicts["qa"] == "fell" and verdicts["cn"] == "rose"
    assert verdicts["mn"] == "no later evidence"
    assert result.correlated_hosts == sum(row.observed for row in result.backtest)
    assert any("not proof of effect" in limit for limit in result.limits)


def test_compare_refuses_dates_in_the_wrong_order(extended):
    with pytest.raises(AnalysisError, match="must be later than"):
        compare(extended, 2019, 2016)


def test_compare_names_the_date_that_has_no_figures(extended):
    with pytest.raises(AnalysisError, match=r"compare --from 2010: no figure is dated 2010"):
        compare(extended, 2010, 2019)
