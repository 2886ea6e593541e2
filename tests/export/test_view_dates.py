"""The validity the HTML view carries for its date control (`labournet.views._page.view_dates`)."""

from __future__ import annotations

import datetime
from pathlib import Path

import networkx as nx
import pytest
from export_samples import PAYLOADS
from test_html import page_data
from typer.testing import CliRunner

import labournet
from labournet.cli.export import export_app
from labournet.errors import ExportError
from labournet.views.html import build_html

DATED = Path(__file__).resolve().parents[1] / "fixtures" / "dated-view"


@pytest.fixture(scope="module")
def dataset() -> labournet.Dataset:
    return labournet.load_dataset(DATED)


@pytest.fixture(scope="module")
def dates(dataset: labournet.Dataset) -> dict:
    data = page_data(build_html(dataset, view="network"))
    return {"data": data, **data["dates"]}


def validity(dates: dict, side: str, item: str) -> tuple[str | None, str | None]:
    ids = dates["data"]["nodes"]["id"] if side == "nodes" else dates["data"]["edges"]["rid"]
    i = ids.index(item)
    return dates[side]["start"][i], dates[side]["end"][i]


@pytest.mark.parametrize(
    ("side", "item", "start", "end"),
    [
        ("nodes", "m-visa", "2017-08-05", "2019-12-31"),  # date 2017-08-05, valid_until 2019-12
        ("nodes", "m-permit", "2016-07-01", "2017-06-30"),  # a month counts from its first day
        ("nodes", "m-resolution", "2017-12-22", None),  # valid_from, no end
        ("nodes", "front", "2018-03-01", "2018-09-15"),
        ("nodes", "test-2017", "2017-09-01", None),  # an event: its date starts it
        ("nodes", "m-embargo", None, None),  # undated
        ("nodes", "kp", None, None),
        ("edges", "r-send-ru", "2018-01-01", None),  # valid_from 2018: from its first day
        ("edges", "r-work", None, "2019-06-30"),  # only an end
        ("edges", "r-take-visa", "2017-08-05", None),
        ("edges", "r-send-cn", None, None),
    ],
)
def test_each_item_carries_its_start_and_end_days(
    dates: dict, side: str, item: str, start: str | None, end: str | None
) -> None:
    assert validity(dates, side, item) == (start, end)


def test_the_change_days_are_every_start_and_the_day_after_every_end(dates: dict) -> None:
    assert dates["changes"] == [
        "2016-07-01",  # the permit freeze starts
        "2017-07-01",  # and has ended
        "2017-08-05",  # the visa stop
        "2017-09-01",  # the test
        "2017-12-22",  # the resolution
        "2018-01-01",  # Russia's placements
        "2018-03-01",  # the front company
        "2018-06-01",  # its remittances
        "2018-09-16",  # the front company has gone
        "2019-07-01",  # the garment placements have ended
        "2020-01-01",  # the visa stop has ended
    ]


def test_the_embedded_days_give_the_snapshot_of_dataset_as_of(
    dataset: labournet.Dataset, dates: dict
) -> None:
    """The rule on the page's own data reproduces `Dataset.as_of` on and before each change."""
    data = dates["data"]

    def kept(side: str, cutoff: str) -> list[int]:
        starts, ends = dates[side]["start"], dates[side]["end"]
        return [
            i
            for i in range(len(starts))
            if (starts[i] is None or starts[i] <= cutoff) and (ends[i] is None or ends[i] >= cutoff)
        ]

    for change in dates["changes"]:
        for day in (datetime.date.fromisoformat(change) - datetime.timedelta(days=1), change):
            cutoff = str(day)
            nodes = set(kept("nodes", cutoff))
            edges = [
                j
                for j in kept("edges", cutoff)
                if data["edges"]["from"][j] in nodes and data["edges"]["to"][j] in nodes
            ]
            snapshot = dataset.as_of(cutoff)
            assert sorted(data["nodes"]["id"][i] for i in nodes) == sorted(
                e.id for e in snapshot.entities
            )
            assert sorted(data["edges"]["rid"][j] for j in edges) == sorted(
                r.id for r in snapshot.relations
            )


def test_the_measures_are_listed_by_start(dates: dict) -> None:
    names = dates["data"]["nodeInfo"]["name"]
    assert [names[i] for i in dates["measures"]] == [
        "Standing embargo",  # undated first
        "Permit freeze",
        "Visa stop",
        "Resolution on workers abroad",
    ]


def test_the_page_opens_at_all_dates_or_the_as_of_day(dataset: labournet.Dataset) -> None:
    assert page_data(build_html(dataset))["dates"]["initial"] is None
    for as_of, day in [("2018", "2018-12-31"), ("2018-06", "2018-06-30"), (2017, "2017-12-31")]:
        assert page_data(build_html(dataset, as_of=as_of))["dates"]["initial"] == day
    assert page_data(build_html(dataset, as_of=datetime.date(2019, 3, 4)))["dates"]["initial"] == (
        "2019-03-04"
    )
    with pytest.raises(ExportError, match="as_of: 'soon' is not a date"):
        build_html(dataset, as_of="soon")


def test_a_focus_view_carries_only_its_own_items(dataset: labournet.Dataset) -> None:
    data = page_data(build_html(dataset, focus="front", depth=1))
    assert sorted(data["nodes"]["id"]) == ["front", "kp"]
    assert data["dates"]["nodes"]["start"] == [
        "2018-03-01" if node == "front" else None for node in data["nodes"]["id"]
    ]
    assert data["dates"]["changes"] == ["2018-03-01", "2018-06-01", "2018-09-16"]
    assert data["dates"]["measures"] == []


def test_an_undated_network_has_no_dates_block(toy: nx.MultiDiGraph) -> None:
    for _, attrs in toy.nodes(data=True):
        attrs.pop("date", None)
    for _, _, attrs in toy.edges(data=True):
        attrs.pop("date", None)
    page = build_html(toy, as_of="2016")
    assert page_data(page)["dates"] is None
    assert "choose a date" not in page


def test_the_toy_networks_dates_are_carried(toy: nx.MultiDiGraph) -> None:
    data = page_data(build_html(toy))
    assert data["dates"]["changes"] == ["2016-01-01"]  # m1 2016-01 and r-us-cn 2016 both begin then
    assert "choose a date to see the network then" in build_html(toy)


def test_an_unreadable_date_counts_as_undated_with_a_note(toy: nx.MultiDiGraph) -> None:
    toy.nodes["cn"]["valid_until"] = "sometime"
    toy.nodes["ru"]["date"] = datetime.datetime(2016, 5, 1, 12, 30)  # a moment: its day
    toy.edges["kp", "cn", "r-kp-cn"]["date"] = PAYLOADS[0]
    page = build_html(toy)
    data = page_data(page)
    ids = data["nodes"]["id"]
    assert data["dates"]["nodes"]["end"][ids.index("cn")] is None
    assert data["dates"]["nodes"]["start"][ids.index("ru")] == "2016-05-01"
    assert "counts as undated what has a date it cannot read: node cn: 'sometime'" in data["note"]
    assert "relation r-kp-cn: '<script>" in data["note"]
    body = page.split("<body>", 1)[1]
    assert PAYLOADS[0] not in body  # escaped in the note and in the data block


def test_the_command_opens_the_view_at_as_of(tmp_path: Path) -> None:
    out = tmp_path / "view.html"
    result = CliRunner().invoke(
        export_app, ["html", str(DATED), "--as-of", "2018-07", "--no-scores", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert page_data(out.read_text(encoding="utf-8"))["dates"]["initial"] == "2018-07-31"


def test_the_command_refuses_an_as_of_that_is_not_a_date(tmp_path: Path) -> None:
    out = tmp_path / "view.html"
    result = CliRunner().invoke(export_app, ["html", "--as-of", "2018-13", "-o", str(out)])
    assert result.exit_code != 0
    assert "--as-of: '2018-13' is not a date" in result.output
    assert not out.exists()
