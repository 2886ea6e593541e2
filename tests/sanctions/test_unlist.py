"""`labournet.io.unlist.read_un_list`: the real UN list, each quirk of its vintages, and each
located error, on hand-made lists of invented parties."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from un_samples import line_of

from labournet.errors import SanctionsListError
from labournet.io.unlist import Alias, parse_list_date, read_un_list

# ---- the real list -------------------------------------------------------------------------


def test_the_real_dprk_regime_has_75_entities_and_80_individuals(real_list: Path) -> None:
    un_list = read_un_list(real_list, regime="DPRK")
    assert len(un_list.entities) == 75
    assert len(un_list.individuals) == 80
    assert un_list.generated == "2025-04-19"
    assert un_list.regime == "DPRK"
    assert {d.regime for d in un_list.designations} == {"DPRK"}
    assert all(d.reference.startswith("KPe.") for d in un_list.entities)
    assert all(d.reference.startswith("KPi.") for d in un_list.individuals)


def test_the_real_kpe_050_mansudae(real_list: Path) -> None:
    mansudae = read_un_list(real_list, regime="DPRK").designation("KPe.050")
    assert mansudae.kind == "entity"
    assert mansudae.name == "MANSUDAE OVERSEAS PROJECT GROUP OF COMPANIES"
    assert mansudae.listed_on == "2017-08-05"
    assert "Mansudae Art Studio" in mansudae.alias_names
    assert Alias("Mansudae Art Studio", "a.k.a.") in mansudae.aliases
    assert "Democratic People's Republic of Korea" in mansudae.countries
    assert mansudae.narrative.startswith("Mansudae Overseas Project Group")


def test_the_real_references_are_stripped_and_unique(real_list: Path) -> None:
    un_list = read_un_list(real_list)
    references = [d.reference for d in un_list.designations]
    assert all(r == r.strip() and r for r in references)
    assert len(set(references)) == len(references)
    assert "KPe.051" in references  # "KPe.051 " in the file
    assert len(un_list.entities) == 193 and len(un_list.individuals) == 684
    assert {"DPRK", "Taliban", "Al-Qaida"} <= set(un_list.regimes)


def test_the_real_regime_is_chosen_ignoring_case(real_list: Path) -> None:
    assert read_un_list(real_list, regime="dprk") == read_un_list(real_list, regime="DPRK")


# ---- what the reader makes of a list --------------------------------------------------------


def test_a_small_list(fixtures: Path) -> None:
    un_list = read_un_list(fixtures / "small.xml")
    assert un_list.generated == "2024-03-02"
    assert un_list.regime is None and un_list.regimes == ("DPRK", "Taliban")
    assert [d.reference for d in un_list.designations] == [
        "KPi.901", "TAi.901", "KPe.901", "KPe.902",
    ]  # fmt: skip
    assert un_list.summary == "2 entities, 2 individuals, all 2 regimes, list generated 2024-03-02"
    kang = un_list.designation("KPi.901")
    assert (kang.kind, kang.name) == ("individual", "KANG EXAMPLE SOL")
    assert kang.listed_on == "2018-01-02"
    assert kang.aliases == (Alias("Kang Ex-sol", "good"), Alias("Comrade Sample", "low"))
    assert kang.countries == ("Democratic People's Republic of Korea", "Ruritania")
    assert kang.addresses == ("Testville, Ruritania",)
    assert kang.line == line_of(fixtures / "small.xml", "<INDIVIDUAL>")
    northwind = un_list.designation(" kpe.901 ")
    assert northwind.name == "NORTHWIND MACHINERY EXPORT COMPANY (NMEC)"
    assert northwind.aliases == (
        Alias("Northwind Art Works", "a.k.a."), Alias("Kŏmun Trading Co., Ltd.", "f.k.a."),
    )  # fmt: skip
    assert northwind.addresses == ("1 Sample Street, Testville, Ruritania", "Elsewhere, Freedonia")
    assert northwind.countries == ("Ruritania", "Freedonia")
    assert northwind.narrative == "Invented company that sends invented workers to invented places."


def test_the_regime_selects_ignoring_case(fixtures: Path) -> None:
    un_list = read_un_list(fixtures / "small.xml", regime="  dprk ")
    assert un_list.regime == "DPRK"  # as the list spells it
    assert [d.reference for d in un_list.designations] == ["KPi.901", "KPe.901", "KPe.902"]
    assert un_list.summary == "2 entities, 1 individual, regime DPRK, list generated 2024-03-02"
    assert un_list.regimes == ("DPRK", "Taliban")


def test_whitespace_around_and_inside_values(fixtures: Path) -> None:
    un_list = read_un_list(fixtures / "whitespace.xml", regime="DPRK")
    (designation,) = un_list.designations
    assert un_list.generated == "2024-03-02"
    assert designation.reference == "KPe.901"
    assert designation.name == "NORTHWIND MACHINERY EXPORT COMPANY"
    assert designation.regime == "DPRK"
    assert designation.listed_on == "2017-08-05"
    assert designation.narrative == "Invented company, over two lines."
    assert designation.aliases == (Alias("Northwind Art Works", "a.k.a."),)
    assert designation.addresses == ("Testville, Ruritania",)


def test_empty_elements_count_as_absent(fixtures: Path) -> None:
    (kang,) = read_un_list(fixtures / "empty-elements.xml").designations
    assert kang.name == "KANG EXAMPLE"
    assert kang.aliases == (Alias("Kang Ex", ""),)
    assert (kang.listed_on, kang.narrative, kang.addresses, kang.countries) == (None, "", (), ())


def test_only_the_reference_and_name_are_needed(fixtures: Path) -> None:
    (bare,) = read_un_list(fixtures / "missing-optional.xml").designations
    assert (bare.reference, bare.name, bare.kind) == ("KPe.903", "BARE MINIMUM TRADING", "entity")
    assert (bare.regime, bare.listed_on, bare.aliases, bare.countries) == ("", None, (), ())


def test_a_list_without_its_date_and_with_other_date_forms(fixtures: Path) -> None:
    un_list = read_un_list(fixtures / "no-date.xml")
    assert un_list.generated is None
    assert un_list.summary.endswith("list date unknown")
    assert [d.listed_on for d in un_list.designations] == ["2017-08-05", "2016-03-02"]


def test_another_element_order_and_a_namespace(fixtures: Path) -> None:
    un_list = read_un_list(fixtures / "other-order.xml", regime="DPRK")
    northwind, kang = un_list.designations
    assert northwind.reference == "KPe.901"
    assert northwind.name == "NORTHWIND MACHINERY EXPORT COMPANY"
    assert northwind.listed_on == "2017-08-05"
    assert northwind.aliases == (Alias("Northwind Art Works", "a.k.a."),)
    assert northwind.addresses == ("Testville, Ruritania",)  # in address order, not the file's
    assert (kang.name, kang.countries) == ("KANG EXAMPLE", ("Ruritania",))


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2017-08-05", "2017-08-05"),
        (" 2017-08-05 ", "2017-08-05"),
        ("2015-07-01-04:00", "2015-07-01"),
        ("2017-08-05Z", "2017-08-05"),
        ("2017-08-05T00:00:00", "2017-08-05"),
        ("2025-04-19T23:00:04.625Z", "2025-04-19"),
        ("2017-08-05 12:30+02:00", "2017-08-05"),
        ("2017-02-30", None),
        ("5 Aug. 2017", None),
        ("2017", None),
        ("", None),
    ],
)
def test_list_dates(text: str, day: str | None) -> None:
    assert parse_list_date(text) == day


# ---- located errors --------------------------------------------------------------------------


def problems(path: Path, regime: str | None = None) -> list[tuple[int | None, str, str]]:
    with pytest.raises(SanctionsListError) as caught:
        read_un_list(path, regime=regime)
    assert all(problem.file == str(path) for problem in caught.value.problems)
    return [(p.line, p.field, p.reason) for p in caught.value.problems]


def test_malformed_xml_names_the_parsers_line_and_column(fixtures: Path) -> None:
    path = fixtures / "malformed.xml"
    ((line, field, reason),) = problems(path)
    assert (line, field) == (line_of(path, "NORTHWIND & SONS"), "XML")
    column = path.read_text().splitlines()[line - 1].index("&") + 1
    assert reason == f"malformed XML: not well-formed (invalid token) (column {column + 1})"


def test_an_unfinished_or_empty_file_is_malformed(tmp_path: Path) -> None:
    path = tmp_path / "cut.xml"
    path.write_text("<CONSOLIDATED_LIST>\n  <ENTITIES>\n", encoding="utf-8")
    ((line, field, reason),) = problems(path)
    assert (line, field) == (3, "XML") and "no element found" in reason
    path.write_bytes(b"")
    assert problems(path)[0][:2] == (1, "XML")


def test_a_dtd_with_entities_is_refused_before_it_expands(fixtures: Path) -> None:
    path = fixtures / "dtd-entities.xml"
    start = time.perf_counter()
    ((line, field, reason),) = problems(path)
    assert time.perf_counter() - start < 1
    assert (line, field) == (line_of(path, "<!DOCTYPE"), "DOCTYPE")
    assert reason.startswith("a document type declaration (DTD) is refused")


def test_an_external_entity_is_refused(fixtures: Path) -> None:
    path = fixtures / "external-entity.xml"
    ((line, field, reason),) = problems(path)
    assert (line, field) == (line_of(path, "<!DOCTYPE"), "DOCTYPE")
    assert "refused" in reason and "passwd" not in reason


def test_records_without_reference_or_name_are_located(fixtures: Path) -> None:
    path = fixtures / "no-reference.xml"
    lines = [n for n, text in enumerate(path.read_text().splitlines(), 1) if "<ENTITY>" in text]
    assert problems(path) == [
        (lines[1], "ENTITY/REFERENCE_NUMBER",
         "missing or empty: every ENTITY needs its reference number"),
        (lines[2], "ENTITY/FIRST_NAME",
         "KPe.904 has no name (FIRST_NAME to FOURTH_NAME are missing or empty)"),
    ]  # fmt: skip
    with pytest.raises(SanctionsListError) as caught:
        read_un_list(path)
    assert str(caught.value.problems[0]).startswith(f"{path}:{lines[1]}: ENTITY/REFERENCE_NUMBER: ")
    assert caught.value.summary == f"2 problems in the UN list {path}; nothing was read"


def test_a_listing_date_that_is_not_a_date(fixtures: Path) -> None:
    path = fixtures / "bad-date.xml"
    assert problems(path) == [
        (line_of(path, "<LISTED_ON>"), "INDIVIDUAL/LISTED_ON",
         "'5 Aug. 2017' is not a date (YYYY-MM-DD, optionally with a time or a UTC offset) "
         "(KPi.901)"),
    ]  # fmt: skip


def test_a_control_character_is_located(tmp_path: Path, fixtures: Path) -> None:
    path = tmp_path / "list.xml"
    text = (fixtures / "small.xml").read_text(encoding="utf-8")
    path.write_text(text.replace("Northwind Art Works", "Northwind&#x80;Art"), encoding="utf-8")
    assert problems(path) == [
        (line_of(path, "Northwind&#x80;Art"), "ENTITY/ENTITY_ALIAS/ALIAS_NAME",
         "control character U+0080 in the text"),
    ]  # fmt: skip


def test_a_generation_date_that_is_not_a_date(tmp_path: Path, fixtures: Path) -> None:
    path = tmp_path / "list.xml"
    text = (fixtures / "small.xml").read_text(encoding="utf-8")
    path.write_text(text.replace("2024-03-02T10:00:00.000Z", "yesterday"), encoding="utf-8")
    assert problems(path) == [
        (line_of(path, "<CONSOLIDATED_LIST"), "CONSOLIDATED_LIST/@dateGenerated",
         "'yesterday' is not a date"),
    ]  # fmt: skip


def test_a_reference_listed_twice(tmp_path: Path, fixtures: Path) -> None:
    path = tmp_path / "list.xml"
    text = (fixtures / "small.xml").read_text(encoding="utf-8")
    path.write_text(text.replace(">KPe.902<", "> KPe.901 <"), encoding="utf-8")
    first = line_of(path, "NORTHWIND MACHINERY") - 2
    assert problems(path) == [
        (line_of(path, "HARBOUR LANTERN") - 2, "ENTITY/REFERENCE_NUMBER",
         f"'KPe.901' is listed twice (first on line {first})"),
    ]  # fmt: skip


def test_a_root_that_is_not_a_un_list(fixtures: Path) -> None:
    path = fixtures / "wrong-root.xml"
    assert problems(path) == [
        (2, "sanctionsData", "the root element is <sanctionsData>, not <CONSOLIDATED_LIST>: "
         "not a UN list"),
    ]  # fmt: skip


def test_an_unknown_regime_lists_the_regimes_present(fixtures: Path) -> None:
    path = fixtures / "small.xml"
    assert problems(path, regime="Iran") == [
        (None, "regime", "no designations of regime 'Iran'; the list has: DPRK, Taliban")
    ]
    ((_, _, reason),) = problems(path, regime="Talibam")
    assert "(did you mean 'Taliban'?)" in reason


def test_a_missing_file_a_folder_and_a_huge_file(tmp_path: Path) -> None:
    assert problems(tmp_path / "nope.xml") == [(None, "file", "not found")]
    assert problems(tmp_path) == [(None, "file", "is a folder, not a UN list XML file")]
    huge = tmp_path / "huge.xml"
    with huge.open("wb") as handle:
        handle.truncate(200_000_001)  # sparse: no disk used
    ((line, field, reason),) = problems(huge)
    assert (line, field) == (None, "file")
    assert reason.startswith("is 200,000,001 bytes, larger than the 200 MB a UN list is read")
