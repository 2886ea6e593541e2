"""The view's date control in headless Chromium: it keeps exactly what `Dataset.as_of` keeps.

The page applies the snapshot rule in its own JavaScript (``inSnapshot`` in view.js); these
tests set the control to dates around every start and end of ``tests/fixtures/dated-view`` and
compare what the page draws, and the measures it lists, with the Python snapshot.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from chromium import Page

import labournet
from labournet.model.dates import as_date
from labournet.views.html import export_html

pytestmark = pytest.mark.browser

DATED = Path(__file__).resolve().parents[1] / "fixtures" / "dated-view"

# a year's end, a month's end, a mid-year day, and either side of each end in the fixture
AS_OF = (
    "2016-01-01",  # before anything dated: the undated records only
    "2016",
    "2017-06-30",  # the permit freeze's last day
    "2017-07-01",  # and the day after
    "2017",
    "2018-06",
    "2018-07-01",
    "2018-09-15",  # the front company's last day
    "2018-09-16",
    "2018",  # Russia's placements are in (valid_from 2018: from its first day)
    "2019-06-30",
    "2019-07-01",  # the garment placements have ended
    "2019-12-31",  # the visa stop's last day (valid_until 2019-12)
    "2020-01-01",
    "2031-05-17",
)


@pytest.fixture(scope="module")
def dataset() -> labournet.Dataset:
    return labournet.load_dataset(DATED)


@pytest.fixture
def dated_view(dataset: labournet.Dataset, tmp_path: Path, open_view: Callable[..., Page]) -> Page:
    return open_view(export_html(dataset, tmp_path / "dated.html"))


def day(as_of: str) -> str:
    """The day a date's snapshot is taken on: the last day of the period it names."""
    return as_date(as_of).last_day.isoformat()


def shown(page: Page) -> dict:
    """What the page draws and lists now."""
    return page.evaluate(
        "({nodes: labournet.visibleNodeIds().sort(),"
        " relations: labournet.visibleRelationIds().sort(),"
        " drawn: labournet.network.body.nodeIndices.length,"
        " measures: [...document.querySelectorAll('#ln-measures button')]"
        "   .map(b => b.textContent).sort(),"
        " label: document.getElementById('ln-date-shown').textContent,"
        " slider: document.getElementById('ln-date-range').getAttribute('aria-valuetext'),"
        " day: document.getElementById('ln-date-day').value})"
    )


def expected(dataset: labournet.Dataset, as_of: str) -> dict:
    snapshot = dataset.as_of(as_of)
    return {
        "nodes": sorted(e.id for e in snapshot.entities),
        "relations": sorted(r.id for r in snapshot.relations),
        "measures": sorted(e.name for e in snapshot.entities if e.kind == "measure"),
    }


def test_the_control_is_shown_at_all_dates_first(
    dated_view: Page, dataset: labournet.Dataset
) -> None:
    now = shown(dated_view)
    assert now["nodes"] == sorted(e.id for e in dataset.entities)
    assert now["relations"] == sorted(r.id for r in dataset.relations)
    assert now["label"] == now["slider"] == "All dates"
    assert now["measures"] == sorted(e.name for e in dataset.entities if e.kind == "measure")
    assert dated_view.evaluate("labournet.date()") is None
    assert dated_view.exceptions == []


@pytest.mark.parametrize("as_of", AS_OF)
def test_the_page_keeps_what_the_snapshot_keeps(
    dated_view: Page, dataset: labournet.Dataset, as_of: str
) -> None:
    assert dated_view.evaluate(f"labournet.setDate({json.dumps(day(as_of))})") is True
    now = shown(dated_view)
    assert {k: now[k] for k in ("nodes", "relations", "measures")} == expected(dataset, as_of)
    assert now["drawn"] == len(now["nodes"])
    assert now["label"] == now["slider"] == f"As of {day(as_of)}"
    assert now["day"] == day(as_of)
    heading = dated_view.evaluate("document.querySelector('.ln-date-measures').textContent")
    assert heading == f"Measures in force on {day(as_of)}"


def test_every_step_and_the_day_before_it_match_the_snapshot(
    dated_view: Page, dataset: labournet.Dataset
) -> None:
    changes = dated_view.evaluate("labournet.data.dates.changes")
    assert len(changes) == 11
    for change in changes:
        before = (datetime.date.fromisoformat(change) - datetime.timedelta(days=1)).isoformat()
        for as_of in (before, change):
            dated_view.evaluate(f"labournet.setDate({json.dumps(as_of)})")
            now = shown(dated_view)
            assert {k: now[k] for k in ("nodes", "relations", "measures")} == expected(
                dataset, as_of
            ), as_of


def test_the_slider_moves_by_keyboard_through_the_change_days(
    dated_view: Page, dataset: labournet.Dataset
) -> None:
    changes = dated_view.evaluate("labournet.data.dates.changes")
    label = dated_view.evaluate("document.querySelector('label[for=ln-date-range]').textContent")
    assert label == "Snapshot date"

    def press(key: str, code: int) -> dict:
        dated_view.evaluate("document.getElementById('ln-date-range').focus(); true")
        for kind in ("rawKeyDown", "keyUp"):
            dated_view.send(
                "Input.dispatchKeyEvent",
                {"type": kind, "key": key, "code": key, "windowsVirtualKeyCode": code},
            )
        return shown(dated_view)

    now = press("Home", 36)  # the first step: the day before the first change
    first = (datetime.date.fromisoformat(changes[0]) - datetime.timedelta(days=1)).isoformat()
    assert now["label"] == f"As of {first}"
    assert now["nodes"] == expected(dataset, first)["nodes"]
    for change in changes:
        now = press("ArrowRight", 39)
        assert now["label"] == f"As of {change}"
        assert now["relations"] == expected(dataset, change)["relations"]
    assert press("ArrowRight", 39)["label"] == "All dates"  # the last step
    assert press("ArrowLeft", 37)["label"] == f"As of {changes[-1]}"
    assert press("End", 35)["nodes"] == sorted(e.id for e in dataset.entities)


def test_the_day_field_takes_any_day_and_all_dates_resets(
    dated_view: Page, dataset: labournet.Dataset
) -> None:
    dated_view.evaluate(
        "(() => { const d = document.getElementById('ln-date-day'); d.value = '2018-08-01';"
        " d.dispatchEvent(new Event('change')); })()"
    )
    now = shown(dated_view)
    assert now["label"] == "As of 2018-08-01"
    assert now["nodes"] == expected(dataset, "2018-08-01")["nodes"]
    assert "front" in now["nodes"] and "r-remit-front" in now["relations"]
    dated_view.evaluate("document.querySelector('.ln-date-all').click(); true")
    assert shown(dated_view)["label"] == "All dates"
    assert len(shown(dated_view)["nodes"]) == len(dataset.entities)


def test_a_measure_in_the_panel_focuses_its_node(dated_view: Page) -> None:
    dated_view.evaluate("labournet.setDate('2018-01-01')")
    text = dated_view.evaluate(
        "(() => { const b = [...document.querySelectorAll('#ln-measures button')]"
        "  .find(b => b.textContent === 'Visa stop'); b.click();"
        " return [b.parentNode.textContent, document.getElementById('ln-tooltip').textContent];"
        "})()"
    )
    assert text[0] == "Visa stop 2017-08-05 to 2019-12-31"
    assert text[1].startswith("Visa stop")
    assert dated_view.evaluate("labournet.network.getSelectedNodes().length") == 1


def test_a_filtered_node_comes_back_where_it_was(dated_view: Page) -> None:
    before = dated_view.evaluate("labournet.network.getPositions()")
    dated_view.evaluate("labournet.setDate('2016-01-01'); labournet.setDate(null)")
    after = dated_view.evaluate("labournet.network.getPositions()")
    assert after.keys() == before.keys()
    for key, place in before.items():
        assert abs(after[key]["x"] - place["x"]) <= 1 and abs(after[key]["y"] - place["y"]) <= 1


def test_dates_and_kind_filters_combine(dated_view: Page, dataset: labournet.Dataset) -> None:
    dated_view.evaluate("labournet.setKindVisible('node', 'measure', false)")
    dated_view.evaluate("labournet.setDate('2018-07-01')")
    now = shown(dated_view)
    snapshot = expected(dataset, "2018-07-01")
    kinds = {e.id: e.kind for e in dataset.entities}
    assert now["nodes"] == [n for n in snapshot["nodes"] if kinds[n] != "measure"]
    assert now["measures"] == snapshot["measures"]  # the panel lists them still


def test_the_page_opens_at_its_as_of_date(
    dataset: labournet.Dataset, tmp_path: Path, open_view: Callable[..., Page]
) -> None:
    page = open_view(export_html(dataset, tmp_path / "at.html", as_of="2018-06"))
    now = shown(page)
    assert now["label"] == "As of 2018-06-30"
    assert {k: now[k] for k in ("nodes", "relations", "measures")} == expected(dataset, "2018-06")
    assert now["drawn"] == len(now["nodes"])
    # every node was laid out, so a later date shows the rest in place
    page.evaluate("labournet.setDate(null)")
    positions = page.evaluate("labournet.network.getPositions()")
    assert len(positions) == len(dataset.entities)
    assert len({(round(p["x"]), round(p["y"])) for p in positions.values()}) == len(positions)
    assert page.exceptions == []


def test_the_command_opens_the_view_at_as_of(
    labournet_cli: Callable[..., Any],
    tmp_path: Path,
    open_view: Callable[..., Page],
    dataset: labournet.Dataset,
) -> None:
    done = labournet_cli("export", "html", DATED, "--as-of", "2017", "-o", "at.html")
    assert done.returncode == 0, done.stderr
    page = open_view(tmp_path / "at.html")
    now = shown(page)
    assert now["label"] == "As of 2017-12-31"
    assert now["nodes"] == expected(dataset, "2017")["nodes"]
    assert now["measures"] == expected(dataset, "2017")["measures"]


def test_a_network_without_dates_has_no_date_control(
    tmp_path: Path, open_view: Callable[..., Page]
) -> None:
    G = nx.MultiDiGraph(name="undated")
    G.add_node("kp", kind="country", name="Regime", role="regime")
    G.add_node("m", kind="measure", name="A measure")
    G.add_edge("m", "kp", key="r", id="r", kind="targets")
    page = open_view(export_html(G, tmp_path / "undated.html", as_of="2018"))
    assert page.evaluate("labournet.data.dates") is None
    assert page.evaluate("document.getElementById('ln-dates')") is None
    assert page.evaluate("document.querySelector('input[type=range], input[type=date]')") is None
    assert page.evaluate("labournet.setDate('2018-12-31')") is False
    assert sorted(page.evaluate("labournet.visibleNodeIds()")) == ["kp", "m"]
    assert "choose a date" not in page.evaluate("document.getElementById('ln-help').textContent")
    assert page.exceptions == []
