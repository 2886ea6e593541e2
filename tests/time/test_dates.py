"""Partial dates and the snapshot rule (labournet.model.dates), on records, graphs and files."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest

import labournet
from labournet.errors import DatasetError
from labournet.io.networkx import snapshot_graph
from labournet.model.dataset import in_snapshot
from labournet.model.dates import as_date, in_period, parse_date

EXTENDED = Path(__file__).parents[2] / "data" / "dprk-labour-2016-2024"


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2016", datetime.date(2016, 1, 1), datetime.date(2016, 12, 31)),
        ("2016-02", datetime.date(2016, 2, 1), datetime.date(2016, 2, 29)),
        ("2017-02", datetime.date(2017, 2, 1), datetime.date(2017, 2, 28)),
        ("2019-12-16", datetime.date(2019, 12, 16), datetime.date(2019, 12, 16)),
    ],
)
def test_a_partial_date_names_a_period(text, first, last):
    date = parse_date(text)
    assert (date.first_day, date.last_day, str(date)) == (first, last, text)


@pytest.mark.parametrize("text", ["16", "2016-13", "2016-02-30", "2016-1", "２０１６", " 2016", ""])
def test_what_is_not_a_date_is_refused_with_the_reason(text):
    with pytest.raises(ValueError, match="is not a date"):
        parse_date(text)


def test_a_year_as_an_int_and_a_day_as_a_date_are_accepted():
    assert as_date(2019) == parse_date("2019")
    assert as_date(datetime.date(2019, 3, 1)) == parse_date("2019-03-01")


@pytest.mark.parametrize(
    ("start", "end", "cutoff", "kept"),
    [
        ("2016", None, "2016-09-13", True),  # a record of 2016 counts for the whole year
        ("2017-08-05", None, "2017-08-04", False),
        ("2017-08-05", None, "2017-08", True),
        ("2016", "2017-08-04", "2017", False),  # ended before the cutoff
        ("2016", "2017-08", "2017-08-31", True),  # ends on the last day of its month
        (None, "2016-06", "2016", False),
        (None, None, "1900", True),
    ],
)
def test_the_snapshot_rule(start, end, cutoff, kept):
    period = [parse_date(x) if x else None for x in (start, end)]
    assert in_period(*period, parse_date(cutoff)) is kept


def test_valid_from_takes_precedence_over_date():
    assert in_snapshot({"date": "2015", "valid_from": "2018"}, 2017) is False
    assert in_snapshot({"date": "2018"}, 2017) is False
    assert in_snapshot({"date": "2015"}, 2017) is True


def test_dataset_and_graph_snapshots_keep_the_same_records():
    dataset = labournet.load_dataset(EXTENDED)
    graph = labournet.to_networkx(dataset)
    for date in ("2016-09-13", "2016", "2017-08-04", "2017-08-05", "2019", "2020-04-21"):
        snapshot = dataset.as_of(date)
        sub = snapshot_graph(graph, date)
        assert set(sub.nodes) == {e.id for e in snapshot.entities}, date
        assert {k for *_, k in sub.edges(keys=True)} == {r.id for r in snapshot.relations}, date


def test_a_later_snapshot_replaces_a_direct_route_by_the_dispatching_company():
    dataset = labournet.load_dataset(EXTENDED)
    before = {r.id for r in dataset.as_of("2017-08-04").relations}
    after = {r.id for r in dataset.as_of("2017-08-05").relations}
    assert "r-na-remits-kp" in before and "r-na-remits-mansudae" not in before
    assert "r-na-remits-kp" not in after and "r-na-remits-mansudae" in after


def test_a_derived_figure_keeps_its_inputs_in_a_later_snapshot():
    snapshot = labournet.load_dataset(EXTENDED).as_of(2019)
    ids = {f.id for f in snapshot.figures}
    # China's 2016 sector split is derived from the 2016 total, which 2019 replaces for kp
    assert {"f-cn-works-garments-workers", "f-kp-workers-abroad", "f-kp-workers-abroad-2019"} <= ids


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(EXTENDED, folder)
    return folder


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def test_a_bad_date_on_a_dated_kind_is_located(tmp_path):
    folder = _copy(tmp_path)
    _edit(
        folder / "entities.csv",
        ",2017-08-05,UN Security Council resolution,",
        ",2017-02-30,UN Security Council resolution,",
    )
    line = _line_of(folder / "entities.csv", "2017-02-30")
    with pytest.raises(DatasetError) as caught:
        labournet.load_dataset(folder)
    assert f"entities.csv:{line}: date: '2017-02-30' is not a date" in str(caught.value)


def test_an_interval_that_ends_before_it_starts_is_located(tmp_path):
    folder = _copy(tmp_path)
    relations = folder / "relations.csv"
    _edit(relations, "a-kw-2019,,2019-12,,", "a-kw-2019,,2019-12,2019-01,")
    line = _line_of(relations, "2019-12,2019-01,")
    with pytest.raises(DatasetError) as caught:
        labournet.load_dataset(folder)
    assert f"relations.csv:{line}: valid_until: 2019-01 is before valid_from 2019-12" in str(
        caught.value
    )


def test_a_figure_date_outside_its_year_is_located(tmp_path):
    folder = _copy(tmp_path)
    figures = folder / "figures.csv"
    _edit(figures, "persons,2019,2019-12,", "persons,2019,2018-12,")
    line = _line_of(figures, "persons,2019,2018-12,")
    with pytest.raises(DatasetError) as caught:
        labournet.load_dataset(folder)
    assert f"figures.csv:{line}: date: 2018-12 is not in the figure's year 2019" in str(
        caught.value
    )


def test_the_schema_says_which_kinds_are_dated():
    schema = labournet.load_schema()
    assert schema.entities["measure"].dates == ("date", "valid_from", "valid_until")
    assert schema.relations["sends_workers"].dates == ("date", "valid_from", "valid_until")
    assert schema.entities["country"].dates == ()
    assert set(schema.entities["measure"].dates) <= set(schema.entities["measure"].properties)
