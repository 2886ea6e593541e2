"""`designations_to_dataset` and `import_un_list`: a UN list as a dataset labournet accepts,
written whole or not at all."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from labournet import ExportError, load_dataset, write_dataset
from labournet.errors import SanctionsListError
from labournet.io.unlist import Alias, Designation, UnList, read_un_list
from labournet.io.unlist_dataset import designations_to_dataset, import_un_list


def test_the_real_dprk_regime_as_a_dataset(real_list: Path, tmp_path: Path) -> None:
    import_un_list(real_list, tmp_path / "dprk", regime="DPRK")
    dataset = load_dataset(tmp_path / "dprk")
    parties = [e for e in dataset.entities if e.properties.get("role") == "listed-party"]
    assert Counter(e.kind for e in parties) == {"organisation": 75, "person": 80}
    assert Counter(e.kind for e in dataset.entities)["measure"] == 155
    assert Counter(r.kind for r in dataset.relations) == {"takes_measure": 155, "targets": 155}
    mansudae = dataset.entity("un-kpe-050")
    assert mansudae.name == "MANSUDAE OVERSEAS PROJECT GROUP OF COMPANIES"
    assert (
        mansudae.description == "Listed by the UN Security Council (DPRK) on 2017-08-05 as KPe.050"
    )
    assert mansudae.properties["aliases"] == "Mansudae Art Studio"
    assert dataset.entity("un-listing-kpe-050").properties["date"] == "2017-08-05"
    (source,) = dataset.sources
    assert (source.date, source.url) == (
        "2025-04-19", "https://scsanctions.un.org/resources/xml/en/consolidated.xml",
    )  # fmt: skip
    assert source.note == (
        "Imported by labournet from un-sc-consolidated-2025-04-19.xml (regime DPRK)."
    )


def test_a_small_list_as_a_dataset(fixtures: Path, tmp_path: Path) -> None:
    dataset = designations_to_dataset(read_un_list(fixtures / "small.xml"), name="small")
    assert load_dataset(write_dataset(dataset, tmp_path / "small")) == dataset
    assert [e.id for e in dataset.entities] == [
        "unsc",
        "un-kpi-901", "un-listing-kpi-901",
        "un-tai-901", "un-listing-tai-901",
        "un-kpe-901", "un-listing-kpe-901",
        "un-kpe-902", "un-listing-kpe-902",
    ]  # fmt: skip
    unsc = dataset.entity("unsc")
    assert (unsc.kind, unsc.name, unsc.properties) == (
        "organisation", "United Nations Security Council", {"role": "actor"},
    )  # fmt: skip
    (source,) = dataset.sources
    assert (source.id, source.publisher, source.date) == (
        "un-sc-consolidated", "United Nations Security Council", "2024-03-02",
    )  # fmt: skip
    assert source.title == "Consolidated United Nations Security Council Sanctions List"
    assert source.note == "Imported by labournet from small.xml (all regimes)."

    kang = dataset.entity("un-kpi-901")
    assert (kang.kind, kang.name) == ("person", "KANG EXAMPLE SOL")
    assert kang.description == "Listed by the UN Security Council (DPRK) on 2018-01-02 as KPi.901"
    assert kang.sources == ("un-sc-consolidated",)
    assert dict(kang.properties) == {
        "role": "listed-party",
        "aliases": "Kang Ex-sol;Comrade Sample",
        "un_reference": "KPi.901",
        "countries": "Democratic People's Republic of Korea;Ruritania",
        "addresses": "Testville, Ruritania",
    }
    listing = dataset.entity("un-listing-kpi-901")
    assert (listing.kind, listing.name) == ("measure", "UN listing of KANG EXAMPLE SOL (KPi.901)")
    assert listing.description == "Invented individual for the tests."
    assert dict(listing.properties) == {
        "date": "2018-01-02",
        "instrument": "UN Security Council designation",
        "reference": "KPi.901",
        "regime": "DPRK",
    }
    takes, targets = dataset.relation("un-takes-kpi-901"), dataset.relation("un-targets-kpi-901")
    assert (takes.kind, takes.source, takes.target) == (
        "takes_measure", "unsc", "un-listing-kpi-901",
    )  # fmt: skip
    assert takes.properties == {"date": "2018-01-02"}
    assert takes.claim == (
        "The UN Security Council designated KANG EXAMPLE SOL (KPi.901) under its DPRK sanctions "
        "regime on 2018-01-02."
    )
    assert (targets.kind, targets.source, targets.target) == (
        "targets", "un-listing-kpi-901", "un-kpi-901",
    )  # fmt: skip
    assert all(r.sources == ("un-sc-consolidated",) and r.claim for r in dataset.relations)


def test_the_narrative_stays_on_the_listing(fixtures: Path) -> None:
    dataset = designations_to_dataset(read_un_list(fixtures / "small.xml"))
    narrative = "Invented company that sends invented workers to invented places."
    assert dataset.entity("un-listing-kpe-901").description == narrative
    assert all(narrative not in e.description for e in dataset.entities if e.kind != "measure")
    assert all(narrative not in r.claim for r in dataset.relations)


def test_missing_fields_leave_their_properties_out(fixtures: Path, tmp_path: Path) -> None:
    dataset = designations_to_dataset(read_un_list(fixtures / "missing-optional.xml"))
    assert load_dataset(write_dataset(dataset, tmp_path / "bare")) == dataset
    bare = dataset.entity("un-kpe-903")
    assert bare.description == "Listed by the UN Security Council as KPe.903"
    assert dict(bare.properties) == {"role": "listed-party", "un_reference": "KPe.903"}
    assert dict(dataset.entity("un-listing-kpe-903").properties) == {
        "instrument": "UN Security Council designation", "reference": "KPe.903",
    }  # fmt: skip
    takes = dataset.relation("un-takes-kpe-903")
    assert takes.properties == {}
    assert takes.claim == "The UN Security Council designated BARE MINIMUM TRADING (KPe.903)."


def test_a_list_without_its_date_is_dated_by_its_latest_listing(fixtures: Path) -> None:
    (source,) = designations_to_dataset(read_un_list(fixtures / "no-date.xml")).sources
    assert source.date == "2017-08-05"
    assert "no generation date: the date is its latest listing date" in source.note


def _designation(reference: str, name: str = "INVENTED PARTY", **fields: object) -> Designation:
    return Designation(reference, "entity", name, "DPRK", **fields)  # type: ignore[arg-type]


def test_a_list_with_no_date_at_all_cannot_be_a_source() -> None:
    un_list = UnList(None, (_designation("KPe.1"),), path="undated.xml")
    with pytest.raises(SanctionsListError, match="cannot be dated"):
        designations_to_dataset(un_list)


def test_references_that_make_the_same_id_are_refused() -> None:
    un_list = UnList("2024-01-01", (_designation("KPe.1"), _designation("KPE-1")), path="x.xml")
    with pytest.raises(SanctionsListError) as caught:
        designations_to_dataset(un_list)
    (problem,) = caught.value.problems
    assert problem.reason == "'KPE-1' makes the id 'un-kpe-1', as 'KPe.1' does"


def test_a_separator_inside_a_listed_value_stays_inside_it(tmp_path: Path) -> None:
    party = _designation("KPe.1", aliases=(Alias("North; South Trading"), Alias("NST")))
    dataset = designations_to_dataset(UnList("2024-01-01", (party,), path="x.xml"))
    loaded = load_dataset(write_dataset(dataset, tmp_path / "x"))
    assert loaded.entity("un-kpe-1").properties["aliases"] == "North, South Trading;NST"


# ---- the import: whole or not at all ---------------------------------------------------------


def test_the_import_writes_a_new_or_empty_folder(fixtures: Path, tmp_path: Path) -> None:
    un_list = import_un_list(fixtures / "small.xml", tmp_path / "new" / "dprk", regime="DPRK")
    assert un_list.summary == "2 entities, 1 individual, regime DPRK, list generated 2024-03-02"
    assert len(load_dataset(tmp_path / "new" / "dprk").entities) == 1 + 2 * 3
    (tmp_path / "empty").mkdir()
    import_un_list(fixtures / "small.xml", tmp_path / "empty")
    assert load_dataset(tmp_path / "empty").entity("un-tai-901").kind == "person"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty", "new"]  # no temporary left


def test_the_import_leaves_a_folder_that_holds_something_alone(
    fixtures: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ExportError, match="is not empty"):
        import_un_list(fixtures / "small.xml", out)
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    import_un_list(fixtures / "small.xml", out, force=True)
    assert not (out / "notes.txt").exists()
    assert (out / "entities.csv").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_the_import_keeps_the_folder_it_writes_into(
    fixtures: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Importing into the working folder (``-o .``) leaves it in place, not a deleted one."""
    here = tmp_path / "here"
    here.mkdir()
    inode = here.stat().st_ino
    monkeypatch.chdir(here)
    import_un_list(fixtures / "small.xml", ".")
    import_un_list(fixtures / "small.xml", ".", regime="Taliban", force=True)
    assert Path.cwd().exists() and here.stat().st_ino == inode
    assert [e.id for e in load_dataset(here).entities] == [
        "unsc",
        "un-tai-901",
        "un-listing-tai-901",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["here"]


def test_a_failed_move_puts_the_old_files_back(
    fixtures: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    import_un_list(fixtures / "small.xml", out, regime="Taliban")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real_rename = Path.rename

    def rename(self: Path, target: Path) -> Path:
        moving_in = Path(target).parent == out and self.parent.name.endswith(".tmp")
        if self.name == "relations.csv" and moving_in:  # the new relations.csv, moving in
            raise OSError(28, "No space left on device")
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(ExportError, match="No space left on device"):
        import_un_list(fixtures / "small.xml", out, force=True)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_failed_import_writes_nothing(fixtures: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(SanctionsListError):
        import_un_list(fixtures / "bad-date.xml", out)
    with pytest.raises(SanctionsListError):
        import_un_list(fixtures / "small.xml", out, regime="Iran")
    assert list(tmp_path.iterdir()) == []
    out.mkdir()
    (out / "entities.csv").write_text("kept", encoding="utf-8")
    with pytest.raises(SanctionsListError):
        import_un_list(fixtures / "malformed.xml", out, force=True)
    assert (out / "entities.csv").read_text(encoding="utf-8") == "kept"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_the_import_will_not_replace_a_file(fixtures: Path, tmp_path: Path) -> None:
    (tmp_path / "out").write_text("a file", encoding="utf-8")
    with pytest.raises(ExportError, match="it is a file, not a folder"):
        import_un_list(fixtures / "small.xml", tmp_path / "out", force=True)
