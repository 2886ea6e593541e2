"""`match_designations`: which organisations and persons of a dataset a UN list may designate,
with the evidence, on invented parties (and on the real list for KPe.050)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from labournet import AnalysisError, Dataset, Entity, load_dataset
from labournet.analysis.matching import Match, match_designations, normalise_name
from labournet.io.unlist import UnList, read_un_list
from labournet.io.unlist_dataset import designations_to_dataset

MINI = Path(__file__).parents[1] / "fixtures" / "mini"


def with_entities(*entities: Entity) -> Dataset:
    """The mini dataset holding only `entities` (matching reads entities alone)."""
    return dataclasses.replace(load_dataset(MINI), entities=entities)


def org(entity_id: str, name: str, **properties: str) -> Entity:
    return Entity(entity_id, "organisation", name, properties=properties)


def person(entity_id: str, name: str, **properties: str) -> Entity:
    return Entity(entity_id, "person", name, properties=properties)


@pytest.fixture
def small(fixtures: Path) -> UnList:
    return read_un_list(fixtures / "small.xml")


def only(matches: tuple[Match, ...]) -> Match:
    assert len(matches) == 1, [m.evidence for m in matches]
    return matches[0]


# ---- the real list -----------------------------------------------------------------------------


def test_mansudae_overseas_project_group_matches_kpe_050(real_list: Path) -> None:
    dataset = with_entities(org("mansudae", "Mansudae Overseas Project Group"))
    found = match_designations(dataset, read_un_list(real_list, regime="DPRK"))
    match = only(found)
    assert (match.entity, match.reference, match.party) == ("mansudae", "KPe.050", "un-kpe-050")
    assert match.score >= 0.85
    assert match.listed in ("MANSUDAE OVERSEAS PROJECT GROUP OF COMPANIES", "Mansudae Art Studio")
    assert match.listed in match.evidence and "Mansudae Overseas Project Group" in match.evidence


def test_the_bundled_dataset_names_no_listed_party(real_list: Path) -> None:
    """Korean names share syllables ('Kim Jong Un', 'KIM JONG SIK'): none passes 0.85."""
    assert match_designations(load_dataset(), read_un_list(real_list)) == ()


# ---- how names match -----------------------------------------------------------------------------


def test_an_alias_equal_once_normalised_scores_one(small: UnList) -> None:
    match = only(match_designations(with_entities(org("k", "KOMUN trading co ltd")), small))
    assert (match.reference, match.score, match.method) == ("KPe.901", 1.0, "exact")
    assert (match.matched, match.matched_as) == ("KOMUN trading co ltd", "name")
    assert (match.listed, match.listed_as) == ("Kŏmun Trading Co., Ltd.", "alias (f.k.a.)")
    assert match.evidence == (
        "name 'KOMUN trading co ltd' = alias (f.k.a.) 'Kŏmun Trading Co., Ltd.' (normalised)"
    )


def test_the_same_words_apart_from_legal_forms_and_order(small: UnList) -> None:
    dataset = with_entities(
        org("h", "Harbour Lantern Shipping Group"),  # "... GROUP OF COMPANIES"
        org("n", "Export Machinery Northwind Corporation"),
    )
    found = match_designations(dataset, small)
    assert [(m.entity, m.reference, m.score, m.method) for m in found] == [
        ("h", "KPe.902", 0.95, "same words"),
        ("n", "KPe.901", 0.95, "same words"),
    ]
    assert "legal forms and order aside" in found[0].evidence


def test_group_is_not_a_legal_form(small: UnList) -> None:
    (match,) = match_designations(with_entities(org("h", "Harbour Lantern Shipping Co")), small)
    assert match.method == "similar" and 0.85 <= match.score < 0.95


def test_a_parenthesised_abbreviation_is_a_name_of_its_own(small: UnList) -> None:
    dataset = with_entities(org("a", "NMEC"), org("b", "Northwind Machinery Export Company (NMEC)"))
    found = match_designations(dataset, small)
    assert [(m.entity, m.score, m.method, m.listed_as) for m in found] == [
        ("b", 1.0, "exact", "name"),
        ("a", 0.9, "abbreviation", "abbreviation"),
    ]
    assert found[0].listed == "NORTHWIND MACHINERY EXPORT COMPANY (NMEC)"


def test_an_abbreviation_matches_only_exactly(small: UnList) -> None:
    assert match_designations(with_entities(org("a", "NMEX"), org("b", "(NMEX)")), small) == ()


def test_the_datasets_aliases_are_compared_too(small: UnList) -> None:
    dataset = with_entities(org("z", "Zeta Holdings", aliases="Blue Pier; Northwind Art Works"))
    match = only(match_designations(dataset, small))
    assert (match.reference, match.score) == ("KPe.901", 1.0)
    assert (match.matched, match.matched_as) == ("Northwind Art Works", "alias")
    assert (match.listed, match.listed_as) == ("Northwind Art Works", "alias (a.k.a.)")


def test_people_match_people_in_any_word_order_and_spacing(small: UnList) -> None:
    dataset = with_entities(
        person("p1", "Sol Kang Example"),
        person("p2", "Kang Exsol"),  # the list's "Kang Ex-sol"
        person("p3", "Comrade Sample"),
        person("p4", "Northwind Art Works"),  # an entity's alias: not a person
    )
    found = {m.entity: m for m in match_designations(dataset, small)}
    assert sorted(found) == ["p1", "p2", "p3"]
    assert (found["p1"].method, found["p1"].score) == ("same words", 0.95)
    assert (found["p2"].method, found["p2"].listed) == ("exact", "Kang Ex-sol")
    assert found["p3"].listed_as == "alias (low quality)"
    assert {m.reference for m in found.values()} == {"KPi.901"}


def test_a_un_reference_matches_whatever_the_name_and_kind(small: UnList) -> None:
    dataset = with_entities(person("x", "Someone Else", un_reference=" kpe.902 "))
    match = only(match_designations(dataset, small))
    assert (match.reference, match.score, match.method) == ("KPe.902", 1.0, "reference")
    assert match.evidence == "un_reference ' kpe.902 ' is the list's reference KPe.902"


def test_loose_names_do_not_match(small: UnList) -> None:
    dataset = with_entities(
        org("a", "Northwind"), org("b", "Lantern"), org("c", "Export Company"), person("d", "Kang")
    )
    assert match_designations(dataset, small) == ()


def test_countries_sectors_and_measures_are_not_matched(fixtures: Path, small: UnList) -> None:
    dataset = with_entities(Entity("m", "measure", "Northwind Machinery Export Company"))
    assert match_designations(dataset, small) == ()


def test_best_first_one_match_per_entity_and_party(small: UnList) -> None:
    dataset = with_entities(
        org("a", "Harbour Lantern Shipping Co"),
        org("b", "Northwind Machinery Export Company", aliases="Northwind Art Works;NMEC"),
    )
    found = match_designations(dataset, small, threshold=0.5)
    assert [(m.entity, m.reference) for m in found] == [("b", "KPe.901"), ("a", "KPe.902")]
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)
    assert found[0].matched_as == "name"  # the name wins over the aliases that also match


def test_the_threshold(small: UnList) -> None:
    dataset = with_entities(org("h", "Harbour Lantern Shipping Group"))
    assert len(match_designations(dataset, small, threshold=0.95)) == 1
    assert match_designations(dataset, small, threshold=0.96) == ()
    for wrong in (0, -1, 1.5):
        with pytest.raises(AnalysisError, match="threshold"):
            match_designations(dataset, small, threshold=wrong)


def test_a_dataset_of_designations_serves_as_the_list(small: UnList) -> None:
    dataset = with_entities(
        org("n", "Northwind Machinery Export Co"), person("p", "Kang Ex-sol"), org("a", "NMEC")
    )

    def found(matches: tuple[Match, ...]) -> list[tuple[str, str, float]]:
        return [(m.entity, m.reference, m.score) for m in matches]

    from_list = match_designations(dataset, small)
    assert len(from_list) == 3
    assert found(match_designations(dataset, designations_to_dataset(small))) == found(from_list)


def test_matching_changes_nothing(small: UnList) -> None:
    dataset = with_entities(org("h", "Harbour Lantern Shipping Group"))
    before = dataclasses.replace(dataset)
    match_designations(dataset, small)
    assert dataset == before and [e.id for e in dataset.entities] == ["h"]


@pytest.mark.parametrize(
    ("name", "normal"),
    [
        ("  MANSUDAE   Art\tStudio ", "mansudae art studio"),
        ("Workers’ Party of Korea", "workers party of korea"),
        ('People\'s "Example" Bank', "peoples example bank"),
        ("Kŏmun Trading Co., Ltd.", "komun trading co ltd"),
        ("Société Générale d'Exemple", "societe generale dexemple"),
        ("Ri Je-son", "ri je son"),
        ("Straße", "strasse"),
    ],
)
def test_normal_names(name: str, normal: str) -> None:
    assert normalise_name(name) == normal
