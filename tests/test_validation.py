"""One broken dataset per class of problem: each must be reported with file, line, field, reason."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from labournet import DatasetError, load_dataset
from labournet.errors import Problem


def replace_in(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture lost {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems_of(folder: Path) -> list[Problem]:
    with pytest.raises(DatasetError) as caught:
        load_dataset(folder)
    return caught.value.problems


def only_problem(folder: Path) -> Problem:
    problems = problems_of(folder)
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def test_the_fixture_is_valid(mini_folder: Path) -> None:
    dataset = load_dataset(mini_folder)
    assert len(dataset.entities) == 6
    assert len(dataset.relations) == 5


def test_missing_column(mini_folder: Path) -> None:
    replace_in(
        mini_folder,
        "relations.csv",
        "id,kind,source,target,claim,sources,",
        "id,kind,source,target,sources,",
    )
    replace_in(mini_folder, "relations.csv", "The regime sends workers to China,", "")
    problem = problems_of(mini_folder)[0]
    assert (problem.file, problem.line, problem.field) == (
        str(mini_folder / "relations.csv"),
        1,
        "claim",
    )
    assert problem.reason == "required column is missing"


def test_unknown_column(mini_folder: Path) -> None:
    replace_in(mini_folder, "sources.csv", "url,note", "url,notes")
    problem = only_problem(mini_folder)
    assert (Path(problem.file).name, problem.line, problem.field) == ("sources.csv", 1, "notes")
    assert problem.reason.startswith("unknown column")


def test_unknown_entity_kind(mini_folder: Path) -> None:
    replace_in(mini_folder, "entities.csv", "garments,sector,", "garments,sectr,")
    problem = only_problem(mini_folder)
    assert (Path(problem.file).name, problem.line, problem.field) == ("entities.csv", 4, "kind")
    assert problem.reason.startswith("unknown kind 'sectr'")


def test_unknown_relation_kind(mini_folder: Path) -> None:
    replace_in(mini_folder, "relations.csv", "r-press,pressures,", "r-press,presses,")
    problem = only_problem(mini_folder)
    assert (Path(problem.file).name, problem.line, problem.field) == ("relations.csv", 5, "kind")
    assert "unknown kind 'presses'" in problem.reason


def test_relation_endpoint_that_does_not_exist(mini_folder: Path) -> None:
    replace_in(mini_folder, "relations.csv", "r-press,pressures,us,cn", "r-press,pressures,uk,cn")
    problem = only_problem(mini_folder)
    assert (Path(problem.file).name, problem.line, problem.field) == ("relations.csv", 5, "source")
    assert problem.reason == "unknown entity 'uk'"


def test_relation_endpoint_that_breaks_the_schema(mini_folder: Path) -> None:
    replace_in(
        mini_folder, "relations.csv", "r-work,works_in,cn,garments", "r-work,works_in,garments,cn"
    )
    problems = problems_of(mini_folder)
    assert [(p.line, p.field) for p in problems] == [(3, "source"), (3, "target")]
    assert problems[0].reason == (
        "a 'works_in' relation needs a source of kind country, but 'garments' is a sector"
    )


def test_duplicate_id(mini_folder: Path) -> None:
    replace_in(mini_folder, "entities.csv", "us,country,United States", "cn,country,United States")
    replace_in(mini_folder, "relations.csv", "r-press,pressures,us,cn", "r-press,pressures,kp,cn")
    problem = only_problem(mini_folder)
    assert (Path(problem.file).name, problem.line, problem.field) == ("entities.csv", 5, "id")
    assert problem.reason == "duplicate id 'cn' (first on line 3)"


def test_id_shared_between_files(mini_folder: Path) -> None:
    replace_in(mini_folder, "relations.csv", "r-est,estimates", "dbc,estimates")
    problem = only_problem(mini_folder)
    assert (Path(problem.file).name, problem.line, problem.field) == ("relations.csv", 6, "id")
    assert problem.reason == "id 'dbc' is already used in entities.csv"


def test_truncated_row(mini_folder: Path) -> None:
    replace_in(
        mini_folder,
        "figures.csv",
        "f-wage,r-work,wage,300,300,300,USD per month,2016,Monthly pay,s-st,,",
        "f-wage,r-work,wage,300",
    )
    problem = only_problem(mini_folder)
    assert (Path(problem.file).name, problem.line, problem.field) == ("figures.csv", 4, "best")
    assert problem.reason == "truncated row: 4 of 12 fields"


def test_non_numeric_figure(mini_folder: Path) -> None:
    replace_in(
        mini_folder, "figures.csv", "f-send,r-send,workers,30000,", "f-send,r-send,workers,30k,"
    )
    problem = only_problem(mini_folder)
    assert (Path(problem.file).name, problem.line, problem.field) == ("figures.csv", 3, "low")
    assert problem.reason == "'30k' is not a number"


def test_negative_figure(mini_folder: Path) -> None:
    replace_in(mini_folder, "figures.csv", "f-wage,r-work,wage,300,", "f-wage,r-work,wage,-300,")
    problem = only_problem(mini_folder)
    assert (Path(problem.file).name, problem.line, problem.field) == ("figures.csv", 4, "low")
    assert problem.reason == "-300 is negative"


def test_low_above_high(mini_folder: Path) -> None:
    replace_in(
        mini_folder,
        "figures.csv",
        "f-abroad,kp,workers_abroad,50000,,100000",
        "f-abroad,kp,workers_abroad,150000,,100000",
    )
    problem = only_problem(mini_folder)
    assert (Path(problem.file).name, problem.line, problem.field) == ("figures.csv", 2, "low")
    assert problem.reason == "low 150000 is above high 100000"


def test_best_outside_range(mini_folder: Path) -> None:
    replace_in(mini_folder, "figures.csv", "30000,37500,60000", "30000,67500,60000")
    problem = only_problem(mini_folder)
    assert (problem.line, problem.field) == (3, "best")


def test_unknown_source_id(mini_folder: Path) -> None:
    replace_in(
        mini_folder, "relations.csv", "Earnings flow back,s-st", "Earnings flow back,s-st;s-voa"
    )
    problem = only_problem(mini_folder)
    assert (Path(problem.file).name, problem.line, problem.field) == ("relations.csv", 4, "sources")
    assert problem.reason == "unknown source 's-voa'"


def test_unknown_assumption_id(mini_folder: Path) -> None:
    replace_in(
        mini_folder,
        "relations.csv",
        "Earnings flow back,s-st,a-split",
        "Earnings flow back,s-st,a-nope",
    )
    problem = only_problem(mini_folder)
    assert (problem.line, problem.field, problem.reason) == (
        4,
        "assumptions",
        "unknown assumption 'a-nope'",
    )


def test_empty_required_field(mini_folder: Path) -> None:
    replace_in(mini_folder, "relations.csv", "The US presses China", "")
    problem = only_problem(mini_folder)
    assert (Path(problem.file).name, problem.line, problem.field) == ("relations.csv", 5, "claim")
    assert problem.reason == "required field is empty"


def test_invalid_utf8(mini_folder: Path) -> None:
    path = mini_folder / "entities.csv"
    path.write_bytes(path.read_bytes().replace(b"Garments", b"Garm\xe9nts"))
    problem = only_problem(mini_folder)
    assert (Path(problem.file).name, problem.line, problem.field) == ("entities.csv", 4, "encoding")
    assert problem.reason == "invalid UTF-8 byte 0xe9 at column 21"


def test_unit_must_match_the_measure(mini_folder: Path) -> None:
    replace_in(mini_folder, "figures.csv", "300,300,300,USD per month", "300,300,300,USD")
    problem = only_problem(mini_folder)
    assert (problem.line, problem.field) == (4, "unit")
    assert problem.reason == "'USD' is not the unit of wage ('USD per month')"


def test_measure_not_allowed_on_subject_kind(mini_folder: Path) -> None:
    replace_in(mini_folder, "figures.csv", "f-wage,r-work,wage", "f-wage,r-press,wage")
    problem = only_problem(mini_folder)
    assert (problem.line, problem.field) == (4, "measure")
    assert problem.reason.startswith("a pressures cannot carry 'wage'")


def test_property_not_declared_for_the_kind(mini_folder: Path) -> None:
    replace_in(mini_folder, "entities.csv", "Garments,,s-st,,,", "Garments,,s-st,,,2016")
    problem = only_problem(mini_folder)
    assert (problem.line, problem.field, problem.reason) == (
        4,
        "date",
        "kind 'sector' has no property 'date'",
    )


def test_missing_required_file(mini_folder: Path) -> None:
    (mini_folder / "sources.csv").unlink()
    problems = problems_of(mini_folder)
    assert problems[0] == Problem(
        str(mini_folder / "sources.csv"), None, "file", "required file is missing"
    )


def test_several_problems_are_reported_together(mini_folder: Path) -> None:
    replace_in(mini_folder, "entities.csv", "garments,sector,", "garments,sectr,")
    replace_in(mini_folder, "relations.csv", "r-press,pressures,us,cn", "r-press,pressures,uk,cn")
    replace_in(
        mini_folder,
        "figures.csv",
        "f-abroad,kp,workers_abroad,50000,",
        "f-abroad,kp,workers_abroad,lots,",
    )
    replace_in(mini_folder, "sources.csv", "The Straits Times", "")
    problems = problems_of(mini_folder)
    located = {(Path(p.file).name, p.line, p.field) for p in problems}
    assert located == {
        ("sources.csv", 2, "publisher"),
        ("entities.csv", 4, "kind"),
        ("relations.csv", 5, "source"),
        ("figures.csv", 2, "low"),
    }
    with pytest.raises(DatasetError) as caught:
        load_dataset(mini_folder)
    assert caught.value.summary.startswith("4 problems in dataset")
    assert "nothing was loaded" in caught.value.summary


def test_two_figures_of_one_item_measure_and_year(mini_folder: Path) -> None:
    with (mini_folder / "figures.csv").open("a", encoding="utf-8") as file:
        file.write("f-send-again,r-send,workers,1,2,3,persons,2016,Another count,s-st,,\n")
    problem = only_problem(mini_folder)
    assert (Path(problem.file).name, problem.line, problem.field) == ("figures.csv", 7, "year")
    assert "r-send already has a workers figure for 2016 (line 3)" in problem.reason


def test_a_host_whose_workers_and_revenue_disagree_on_year(mini_folder: Path) -> None:
    """Russia's 2018 permit count alone would run 2018 workers against 2016 revenue."""
    with (mini_folder / "figures.csv").open("a", encoding="utf-8") as file:
        file.write("f-send-2018,r-send,workers,11490,11490,11490,persons,2018,Permits,s-st,,\n")
    problem = only_problem(mini_folder)
    assert (Path(problem.file).name, problem.line, problem.field) == ("figures.csv", 7, "year")
    assert "r-send has a workers figure for 2018 but cn's remits_to relations have no " in (
        problem.reason
    )
    assert "would mix years" in problem.reason
    with (mini_folder / "figures.csv").open("a", encoding="utf-8") as file:
        file.write("f-remit-2018,r-remit,revenue,1,2,3,USD per year,2018,Revenue,s-st,,\n")
    assert load_dataset(mini_folder).years == (2016, 2018)


@pytest.mark.parametrize("text", ["inf", "1e309", "-inf", "Infinity"])
def test_an_infinite_figure_is_a_located_problem(mini_folder: Path, text: str) -> None:
    replace_in(mini_folder, "figures.csv", "30000,37500,60000", f"30000,37500,{text}")
    problem = only_problem(mini_folder)
    assert (Path(problem.file).name, problem.line, problem.field) == ("figures.csv", 3, "high")
    assert problem.reason == f"'{text}' is not a finite number"


@pytest.mark.parametrize("date", ["٢٠١٦-09-13", "2016-13", "2016-02-30", "2016-00-10", "0000"])
def test_a_date_must_be_real_and_in_ascii_digits(mini_folder: Path, date: str) -> None:
    replace_in(mini_folder, "sources.csv", "2016-09-13", date)
    problem = only_problem(mini_folder)
    assert (Path(problem.file).name, problem.line, problem.field) == ("sources.csv", 2, "date")
    assert problem.reason.startswith(f"'{date}' is not a date")


@pytest.mark.parametrize("date", ["2016", "2016-02", "2016-02-29"])
def test_real_dates_pass(mini_folder: Path, date: str) -> None:
    replace_in(mini_folder, "sources.csv", "2016-09-13", date)
    assert load_dataset(mini_folder).sources[0].date == date


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x07", "\x85", "\x7f"])
def test_control_characters_are_located(mini_folder: Path, char: str) -> None:
    replace_in(mini_folder, "entities.csv", "The regime", f"The{char}regime")
    problem = only_problem(mini_folder)
    assert (Path(problem.file).name, problem.line, problem.field) == (
        "entities.csv",
        2,
        "description",
    )
    assert problem.reason == f"control character U+{ord(char):04X} in the text; remove it"


def test_tabs_and_line_breaks_in_quoted_text_are_fine(mini_folder: Path) -> None:
    replace_in(mini_folder, "entities.csv", "The regime", '"The\tregime,\nover two lines"')
    assert "over two lines" in load_dataset(mini_folder).entity("kp").description


def test_a_typo_in_the_regime_role_is_located(mini_folder: Path) -> None:
    replace_in(mini_folder, "entities.csv", "The regime,s-st,,regime,", "The regime,s-st,,regim,")
    problem = only_problem(mini_folder)
    assert (Path(problem.file).name, problem.line, problem.field) == ("entities.csv", 2, "role")
    assert "'regim'" in problem.reason and "did you mean 'regime'" in problem.reason
    assert "--regime ID" in problem.reason


def test_no_regime_role_points_at_the_entity_that_sends_workers(mini_folder: Path) -> None:
    replace_in(mini_folder, "entities.csv", "The regime,s-st,,regime,", "The regime,s-st,,,")
    problem = only_problem(mini_folder)
    assert (Path(problem.file).name, problem.line, problem.field) == ("entities.csv", 2, "role")
    assert "'kp' sends workers" in problem.reason


def test_two_regimes_are_located(mini_folder: Path) -> None:
    replace_in(mini_folder, "entities.csv", "A host,s-st,,host,", "A host,s-st,,regime,")
    problems = problems_of(mini_folder)
    assert [(p.line, p.field) for p in problems] == [(2, "role"), (3, "role")]
    assert "several entities have role 'regime' (kp, cn)" in problems[0].reason


def test_a_named_regime_needs_no_role(mini_folder: Path) -> None:
    replace_in(mini_folder, "entities.csv", "The regime,s-st,,regime,", "The regime,s-st,,regim,")
    assert len(load_dataset(mini_folder, regime="kp").entities) == 6


def test_an_unclosed_quote_is_one_problem_at_its_line(mini_folder: Path) -> None:
    # the quote opens the sources field of line 2 and is never closed: the csv module would
    # swallow the following rows, and every reference into them would fail
    replace_in(mini_folder, "relations.csv", ",s-st,", ',"s-st,')
    problem = only_problem(mini_folder)
    assert (Path(problem.file).name, problem.line, problem.field) == ("relations.csv", 2, "row")
    assert problem.reason.startswith("unclosed quote: the field opened by the quote at column")


def test_an_unclosed_quote_in_the_bundled_data_stops_that_files_checks(tmp_path: Path) -> None:
    from labournet.resources import bundled_dataset_path

    folder = tmp_path / "data"
    shutil.copytree(bundled_dataset_path(), folder)
    relations = folder / "relations.csv"
    lines = relations.read_text("utf-8").splitlines(keepends=True)
    lines[4] = lines[4].replace(",s-st", ',"s-st', 1)
    relations.write_text("".join(lines), "utf-8")
    problem = only_problem(folder)
    assert (Path(problem.file).name, problem.line) == ("relations.csv", 5)
    assert "unclosed quote" in problem.reason


def test_a_folder_where_a_csv_file_should_be(mini_folder: Path) -> None:
    (mini_folder / "entities.csv").unlink()
    (mini_folder / "entities.csv").mkdir()  # IsADirectoryError before
    problems = problems_of(mini_folder)
    assert problems[0] == Problem(
        str(mini_folder / "entities.csv"), None, "file", "is a folder, not a CSV file"
    )


def test_an_unreadable_csv_file(mini_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # tests run as root, who can read any file: refuse the read instead
    original = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "relations.csv":
            raise PermissionError(13, "Permission denied", str(self))
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    problems = problems_of(mini_folder)
    assert problems[0] == Problem(
        str(mini_folder / "relations.csv"), None, "file", "cannot be read: Permission denied"
    )


def test_a_blank_column_name_is_named_by_its_position(mini_folder: Path) -> None:
    replace_in(mini_folder, "relations.csv", "id,kind,source,target,", "id,kind,source,,target,")
    row = "r-send,sends_workers,kp,"
    replace_in(mini_folder, "relations.csv", row, row + ",")
    problems = [p for p in problems_of(mini_folder) if p.line == 1]
    # was "relations.csv:1: : unknown column"
    assert problems == [
        Problem(str(mini_folder / "relations.csv"), 1, "column 4", "the column has no name")
    ]


def test_two_blank_column_names_are_not_a_repeated_column(mini_folder: Path) -> None:
    text = (mini_folder / "entities.csv").read_text(encoding="utf-8")
    lines = [line + ",," for line in text.splitlines()]
    (mini_folder / "entities.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = problems_of(mini_folder)
    fields = [(p.line, p.field, p.reason) for p in problems]
    assert fields == [
        (1, "column 9", "the column has no name"),
        (1, "column 10", "the column has no name"),
    ]


def test_a_huge_field_is_a_located_problem_whatever_the_global_csv_limit(tmp_path):
    import csv

    folder = tmp_path / "mini"
    shutil.copytree(Path(__file__).parent / "fixtures" / "mini", folder)
    entities = folder / "entities.csv"
    lines = entities.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace("A host", "x" * 200_000, 1)
    entities.write_text("\n".join(lines) + "\n", encoding="utf-8")
    old = csv.field_size_limit(10**8)  # as followthemoney does on import
    try:
        with pytest.raises(DatasetError) as caught:
            load_dataset(folder)
    finally:
        csv.field_size_limit(old)
    assert "entities.csv:3:" in str(caught.value) and "field larger than" in str(caught.value)
