"""`labournet.io.ftm` and `labournet.io.ftm_import`: a dataset as FollowTheMoney entities that
the followthemoney model accepts, read back equal, and FtM from elsewhere mapped or listed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from followthemoney import model

import labournet
from labournet.errors import ExportError, GraphFormatError
from labournet.io.ftm import NOTE_PREFIX, dataset_to_ftm, export_ftm, ftm_id
from labournet.io.ftm_import import import_ftm, read_ftm

ROOT = Path(__file__).parents[2]
DATED = ROOT / "data" / "dprk-labour-2016-2024"
FIXTURES = ROOT / "tests" / "fixtures" / "ftm"


def check_with_the_model(entities: list[dict[str, Any]]) -> None:
    """Every entity passes followthemoney's own checks: a known, concrete schema, only its
    properties, valid values, the required properties, and references to entities of the
    file whose schema is the property's range."""
    schemata = {entity["id"]: model.get(entity["schema"]) for entity in entities}
    for entity in entities:
        schema = model.get(entity["schema"])
        assert schema is not None and not schema.abstract, entity["id"]
        assert set(entity["properties"]) <= set(schema.properties), entity["id"]
        schema.validate(entity)  # raises InvalidData
        assert all(entity["properties"].get(name) for name in schema.required), entity["id"]
        proxy = model.get_proxy(entity, cleaned=False)  # cleaning keeps every value
        assert proxy.to_dict()["properties"] == entity["properties"], entity["id"]
        for name, values in entity["properties"].items():
            prop = schema.properties[name]
            if prop.type.name == "entity":
                for value in values:
                    assert schemata[value].is_a(prop.range), (entity["id"], name, value)


@pytest.fixture(scope="module")
def dated() -> labournet.Dataset:
    return labournet.load_dataset(DATED)


@pytest.fixture(scope="module")
def exported(dated: labournet.Dataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export_ftm(dated, tmp_path_factory.mktemp("ftm") / "dated.ftm.json")  # type: ignore[return-value]


def test_every_line_is_an_entity_the_followthemoney_model_accepts(exported: Path) -> None:
    lines = exported.read_text(encoding="utf-8").splitlines()
    entities = [json.loads(line) for line in lines]
    assert len(entities) == len({e["id"] for e in entities}) == 302  # 301 records, 1 stamp
    assert entities[0]["id"] == "labournet-stamp"
    check_with_the_model(entities)


def test_the_2016_dataset_too() -> None:
    check_with_the_model(dataset_to_ftm(labournet.load_dataset()))


def test_the_mapping(dated: labournet.Dataset) -> None:
    entities = {e["id"]: e for e in dataset_to_ftm(dated)}
    counts: dict[str, int] = {}
    for entity in entities.values():
        counts[entity["schema"]] = counts.get(entity["schema"], 0) + 1
    assert counts["Sanction"] == sum(1 for r in dated.relations if r.kind == "targets")
    assert counts["Article"] == len(dated.sources)
    kp = entities["labournet-country-kp"]
    assert (kp["schema"], kp["properties"]["country"]) == ("PublicBody", ["kp"])
    assert entities["labournet-sector-garments"]["schema"] == "Note"
    mansudae = entities["labournet-organisation-mansudae"]
    assert mansudae["schema"] == "Company"  # role intermediary
    assert mansudae["properties"]["alias"] == ["Mansudae Art Studio"]
    listing = next(
        e for e in entities.values()
        if e["schema"] == "Sanction" and e["properties"].get("unscId") == ["KPe.050"]
    )  # fmt: skip
    props = listing["properties"]
    assert props["entity"] == ["labournet-organisation-mansudae"]
    assert props["authority"] == ["United Nations Security Council"]
    assert props["startDate"] == props["listingDate"] == ["2017-08-05"]
    assert "labournet-source-s-un-list-2025-04-19" in props["proof"]
    payment = entities["labournet-relation-r-mansudae-remits-kp"]
    assert payment["schema"] == "Payment"
    assert payment["properties"]["payer"] == ["labournet-organisation-mansudae"]
    assert payment["properties"]["beneficiary"] == ["labournet-country-kp"]
    sends = entities["labournet-relation-r-kp-sends-cn"]
    assert (sends["schema"], sends["properties"]["role"]) == ("UnknownLink", ["sends_workers"])
    assert any(line.startswith("labournet figure ") for line in sends["properties"]["summary"])


def test_the_note_carries_the_record_and_its_figures(dated: labournet.Dataset) -> None:
    (kp,) = [e for e in dataset_to_ftm(dated) if e["id"] == "labournet-country-kp"]
    (note,) = [n for n in kp["properties"]["notes"] if n.startswith(NOTE_PREFIX)]
    data = json.loads(note.removeprefix(NOTE_PREFIX))
    assert (data["v"], data["record"], data["row"]["id"], data["row"]["kind"]) == (
        1, "entity", "kp", "country",
    )  # fmt: skip
    assert {row["id"] for row in data["figures"]} == {f.id for f in dated.figures_for("kp")}


def test_ids_ftm_does_not_allow_get_a_slug_and_a_hash() -> None:
    assert ftm_id("relation", "r_1:x") != ftm_id("relation", "r-1-x")
    assert ftm_id("country", "kp") == "labournet-country-kp"


def test_the_dated_dataset_round_trips(exported: Path, dated: labournet.Dataset) -> None:
    back = read_ftm(exported)
    assert back.dataset == dated  # every record, property and figure, with its provenance
    assert not back.skipped and not back.unread
    assert back.mapped[("Sanction", "targets (labournet's own)")] == 55


def test_import_writes_a_folder_load_dataset_reads_back_equal(
    exported: Path, dated: labournet.Dataset, tmp_path: Path
) -> None:
    import_ftm(exported, tmp_path / "back")
    assert labournet.load_dataset(tmp_path / "back") == dated


def test_an_ftm_file_from_elsewhere(tmp_path: Path) -> None:
    result = import_ftm(FIXTURES / "elsewhere.ftm.json", tmp_path / "elsewhere")
    dataset = labournet.load_dataset(tmp_path / "elsewhere")
    assert dataset == result.dataset
    assert dict(result.mapped) == {
        ("Person", "person"): 1,
        ("Company", "organisation"): 1,
        ("Territory", "country"): 1,
        ("Sanction", "measure + targets"): 1,
        ("Employment", "affiliated_with"): 1,
    }
    assert {schema: n for (schema, _), n in result.skipped.items()} == {
        "Vessel": 1, "BankAccount": 1, "Email": 1, "Ownership": 1, "Payment": 1,
        "Sanction": 1, "UnknownLink": 1,
    }  # fmt: skip
    assert result.skipped[("Sanction", "its entity is not imported")] == 1  # the vessel's
    assert dict(result.unread) == {
        ("Person.birthDate", "labournet has no field for it"): 1,
        ("Person.topics", "labournet has no field for it"): 1,
        ("Employment.startDate", "labournet has no field for it"): 1,
    }
    person = dataset.entity("NK-person-1")
    assert (person.kind, person.name) == ("person", "Ri Example")
    assert dict(person.properties) == {
        "aliases": "Ri Ex-ample;Comrade Ri",
        "countries": "North Korea",
    }
    measure = dataset.entity("NK-sanction-1")
    assert dict(measure.properties) == {
        "date": "2017-08-05", "instrument": "sanction", "reference": "KPe.999",
        "regime": "UN SC 1718 (DPRK)",
    }  # fmt: skip
    assert dataset.relation("NK-sanction-1-targets").target == "NK-company-1"
    taken = dataset.relation("NK-sanction-1-taken-by-un-security-council")
    assert (taken.kind, taken.source) == ("takes_measure", "authority-un-security-council")
    assert dataset.entity("NK-territory-kp").properties["iso_code"] == "KP"
    (source,) = dataset.sources
    assert (source.id, source.publisher, source.date) == (
        "ftm-elsewhere",
        "OpenSanctions",
        "2024-05-02",
    )


def test_labournet_entities_without_their_notes_map_as_from_elsewhere(
    dated: labournet.Dataset, tmp_path: Path
) -> None:
    """The native FtM properties alone make a valid dataset: what another tool sees."""
    stripped = []
    for entity in dataset_to_ftm(dated):
        props = entity["properties"]
        for name in ("notes", "summary"):
            kept = [v for v in props.get(name, []) if not v.startswith(NOTE_PREFIX)]
            props.pop(name, None)
            if kept:
                props[name] = kept
        stripped.append(entity)
    path = tmp_path / "stripped.ftm.json"
    path.write_text("".join(json.dumps(e) + "\n" for e in stripped), encoding="utf-8")
    result = import_ftm(path, tmp_path / "stripped")
    kinds = {e.kind for e in result.dataset.entities}
    assert {"person", "organisation", "measure"} <= kinds
    on_sectors = sum(1 for r in dated.relations if r.kind == "targets" and r.target in {
        e.id for e in dated.entities if e.kind == "sector"})  # fmt: skip
    assert result.mapped[("Sanction", "measure + targets")] == 55 - on_sectors
    assert result.skipped[("Sanction", "its entity is not imported")] == on_sectors  # a Note
    assert result.skipped[("Note", "labournet has no kind for an FtM Note")] == 40 + 7


def test_malformed_lines_are_located_and_nothing_is_written(tmp_path: Path) -> None:
    with pytest.raises(GraphFormatError) as caught:
        import_ftm(FIXTURES / "malformed.ftm.json", tmp_path / "out")
    shown = [str(p).removeprefix(str(FIXTURES) + "/") for p in caught.value.problems]
    assert shown == [
        "malformed.ftm.json:2: json: not valid JSON: Expecting property name enclosed in double "
        "quotes at column 40",
        "malformed.ftm.json:3: json: an FtM entity is a JSON object, not list",
        "malformed.ftm.json:4: schema: missing: every FtM entity has a schema",
        "malformed.ftm.json:5: schema: unknown FtM schema 'Vesel' (did you mean 'Vessel'?)",
        "malformed.ftm.json:6: birthDate: Invalid value: 'yesterday'",
        "malformed.ftm.json:8: entity: required by Sanction",
    ]
    assert not (tmp_path / "out").exists()


def test_a_folder_that_holds_anything_is_replaced_only_by_force(
    exported: Path, tmp_path: Path
) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("mine")
    with pytest.raises(ExportError, match="not empty"):
        import_ftm(exported, tmp_path / "out")
    import_ftm(exported, tmp_path / "out", force=True)
    assert not (tmp_path / "out" / "keep.txt").exists()
