"""A dataset's summary and its records as DataFrames (`labournet.model.frames`)."""

from __future__ import annotations

import dataclasses
import math

import pytest

import labournet
from labournet.model.dataset import RECORDS


def test_the_repr_is_a_summary_not_the_records(mini: labournet.Dataset) -> None:
    text = repr(mini)
    assert text == (
        "<Dataset 'mini': 6 entities, 5 relations, 5 figures, 1 source, 1 assumption; "
        "figures 2016; dated 2016-01 to 2016>"
    )
    assert "Entity(" not in text


def test_the_summary_names_the_dates_covered() -> None:
    dataset = labournet.load_dataset("data/dprk-labour-2016-2024")
    summary = dataset.summary()
    assert summary.endswith("figures 2015-2023; dated 2011 to 2020-11-19")
    assert len(repr(dataset)) < 200


def test_an_empty_dataset_says_only_its_counts(mini: labournet.Dataset) -> None:
    empty = dataclasses.replace(mini, entities=(), relations=(), figures=())
    assert empty.dates is None
    assert empty.summary() == "0 entities, 0 relations, 0 figures, 1 source, 1 assumption"
    assert len(empty.frames.entities) == 0


@pytest.mark.parametrize("part", [record.part() for record in RECORDS])
def test_one_row_per_record_indexed_by_id(mini: labournet.Dataset, part: str) -> None:
    frame = getattr(mini.frames, part)
    records = getattr(mini, part)
    assert len(frame) == len(records)
    assert frame.index.name == "id"
    assert list(frame.index) == [record.id for record in records]
    record_type = next(r for r in RECORDS if r.part() == part)
    base = [c for c in record_type.columns() if c != "id"]
    assert list(frame.columns[: len(base)]) == base


def test_properties_are_columns_and_lists_are_tuples() -> None:
    dataset = labournet.load_dataset()
    entities = dataset.frames.entities
    assert {"role", "iso_code"} <= set(entities.columns)
    assert entities.loc["kp", "role"] == "regime"
    assert entities.loc["kp", "sources"] == ("s-st-2016-09-13",)
    assert all(isinstance(value, tuple) for value in entities["assumptions"])
    relations = dataset.frames.relations
    assert list(relations.columns[:3]) == ["kind", "source", "target"]
    assert len(relations) == len(dataset.relations)


def test_figures_keep_their_numbers(mini: labournet.Dataset) -> None:
    figures = mini.frames.figures
    first = mini.figures[0]
    assert figures.loc[first.id, "low"] == first.low
    assert figures.loc[first.id, "year"] == first.year
    best = figures.loc[first.id, "best"]
    assert best == first.best or (first.best is None and math.isnan(best))


def test_a_frame_is_a_copy(mini: labournet.Dataset) -> None:
    frame = mini.frames.entities
    frame.loc["cn", "name"] = "changed"
    assert mini.entity("cn").name == "China"
    assert mini.frames.entities.loc["cn", "name"] == "China"


def test_the_entities_stay_records(mini: labournet.Dataset) -> None:
    assert isinstance(mini.entities, tuple)
    assert isinstance(mini.entities[0], labournet.Entity)


def test_the_html_summary_is_escaped(hostile: labournet.Dataset) -> None:
    page = hostile._repr_html_()
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    assert "<table" in page
