"""Designations a dataset includes: the listings of its own parties, by their un_reference."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from un_samples import run_labournet

import labournet
from labournet.io.unlist import read_un_list
from labournet.io.unlist_dataset import include_designations

MINI = Path(__file__).parents[1] / "fixtures" / "mini"


def _tagged(**references: str) -> labournet.Dataset:
    """The mini dataset with these entities given an ``un_reference``."""
    mini = labournet.load_dataset(MINI)
    entities = tuple(
        dataclasses.replace(e, properties={**e.properties, "un_reference": references[e.id]})
        if e.id in references
        else e
        for e in mini.entities
    )
    return dataclasses.replace(mini, entities=entities)


def test_a_party_with_its_reference_gets_its_listing(fixtures: Path) -> None:
    un_list = read_un_list(fixtures / "small.xml", regime="DPRK")
    dataset, added = include_designations(_tagged(dbc="KPe.901"), un_list)
    assert added == ("KPe.901",)
    listing = dataset.entity("un-listing-kpe-901")
    assert listing.kind == "measure" and listing.properties["date"] == "2017-08-05"
    aims = [r for r in dataset.relations if r.kind == "targets" and r.source == listing.id]
    assert [r.target for r in aims] == ["dbc"]  # the dataset's own entity, no copy of it
    takes = [r for r in dataset.relations if r.kind == "takes_measure" and r.target == listing.id]
    assert [r.source for r in takes] == ["unsc"]
    assert "un-kpe-901" not in {e.id for e in dataset.entities}
    assert dataset.as_of("2017-08-04").entities != dataset.as_of("2017-08-05").entities


def test_including_twice_adds_nothing_and_a_name_alone_adds_nothing(fixtures: Path) -> None:
    un_list = read_un_list(fixtures / "small.xml", regime="DPRK")
    once, _ = include_designations(_tagged(dbc="KPe.901"), un_list)
    again, added = include_designations(once, un_list)
    assert added == () and again == once
    untagged = labournet.load_dataset(MINI)
    assert include_designations(untagged, un_list) == (untagged, ())


def test_the_command_writes_the_dataset_with_its_listings(fixtures: Path, tmp_path: Path) -> None:
    source = tmp_path / "mine"
    labournet.write_dataset(_tagged(dbc="KPe.901"), source)
    out = tmp_path / "with-listings"
    done = run_labournet(
        "import", "un-list", str(fixtures / "small.xml"), "--regime", "DPRK",
        "--into", str(source), "-o", str(out), cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "1 UN listing added: KPe.901" in done.stdout
    written = labournet.load_dataset(out)
    assert written.entity("un-listing-kpe-901").properties["reference"] == "KPe.901"
    assert written.entity("dbc").properties["un_reference"] == "KPe.901"


def test_the_bundled_later_dataset_already_holds_mansudaes_listing(real_list: Path) -> None:
    extended = labournet.load_dataset(Path(__file__).parents[2] / "data" / "dprk-labour-2016-2024")
    assert include_designations(extended, read_un_list(real_list, regime="DPRK"))[1] == ()
