"""Analysis results show in a notebook as short, escaped HTML tables (``_repr_html_``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

import labournet
from labournet._display import DISPLAY_ROWS
from labournet.analysis.compare import compare
from labournet.analysis.pressure import DISPLAY_PER_LEVEL

RESULTS: dict[str, Callable[[labournet.Dataset], Any]] = {
    "pressure": labournet.pressure_points,
    "monte_carlo": lambda d: labournet.monte_carlo(d, draws=20, seed=1),
    "scenario": lambda d: labournet.scenario(d, ["cn=0.5"]),
    "key_players": lambda d: labournet.key_players(d, 1),
}


def _rows(page: str) -> int:
    body = page.split("<tbody>", 1)[1]
    return body.count("<tr>")


@pytest.mark.parametrize("name", RESULTS)
def test_a_result_is_an_escaped_table(name: str, hostile: labournet.Dataset) -> None:
    page = RESULTS[name](hostile)._repr_html_()
    assert "<table" in page and "</table>" in page
    assert "<script" not in page
    if name in ("pressure", "monte_carlo"):  # the results that name the entities
        assert "&lt;script&gt;alert(" in page and "&lt;/script&gt; &amp; " in page


def test_the_pressure_table_is_short_and_says_how_many_more() -> None:
    result = labournet.pressure_points(labournet.load_dataset())
    page = result._repr_html_()
    levels = len(result.levels())
    assert _rows(page) == DISPLAY_PER_LEVEL * levels
    left = len(result) - DISPLAY_PER_LEVEL * levels
    assert f"… and {left} more candidates" in page
    assert "China" in page and "denied_best" in page
    assert "figures" not in re.findall(r"<th>(\w+)</th>", page)  # the main columns only


def test_a_short_result_has_no_more_line(mini: labournet.Dataset) -> None:
    page = labournet.scenario(mini, ["cn"])._repr_html_()
    assert _rows(page) == 5  # before, gross, rerouted, net, remaining
    assert "more" not in page


def test_the_scenario_frame_has_one_row_per_stage(mini: labournet.Dataset) -> None:
    result = labournet.scenario(mini, ["cn"])
    frame = result.to_frame()
    assert list(frame.index) == ["before", "gross", "rerouted", "net", "remaining"]
    assert frame.loc["net", "revenue_best"] == result.net.revenue.best
    assert frame.loc["gross", "workers_low"] == result.gross.workers.low


def test_the_comparison_is_a_short_table() -> None:
    result = compare(labournet.load_dataset("data/dprk-labour-2016-2024"), 2016, 2019)
    page = result._repr_html_()
    assert _rows(page) == DISPLAY_ROWS
    assert f"… and {len(result.changes) - DISPLAY_ROWS} more changes" in page
    assert "not proof" in page  # its limits travel with it


def test_centrality_is_a_dataframe_which_jupyter_shows_as_a_table(
    mini: labournet.Dataset,
) -> None:
    scores = labournet.centrality(labournet.to_networkx(mini), measures=["degree"])
    assert "<table" in scores._repr_html_()
