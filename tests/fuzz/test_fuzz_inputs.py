"""Property-based fuzzing: hostile text in every place a user's input reaches.

The property is always the same: labournet either accepts the input or refuses it with one of
its own errors (a located problem for files, exit 2 for the command line); it never lets another
exception escape.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import json
import shutil
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import labournet
from labournet.errors import LabournetError
from labournet.model.formulas import FormulaError, parse_formula

MINI = Path(__file__).parents[1] / "fixtures" / "mini"
FILES = ("sources.csv", "assumptions.csv", "entities.csv", "relations.csv", "figures.csv")

# text that tends to break things: CSV syntax, numbers that are not, control characters,
# markup, surrogate-free unicode, formula operators
hostile = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            '"',
            '""',
            ",",
            "\n",
            "\r",
            "\x00",
            "\x1b[2J",
            "inf",
            "-inf",
            "nan",
            "1e309",
            "-1",
            "1e-400",
            "٢٠١٦",
            "2016-13-99",
            ";",
            ";;",
            "[/b]",
            "<script>",
            "$x$",
            "constructor",
            "regime",
            "aggregate",
            " ",
            "0x10",
            "1_000",
            "10**9",
            "*",
            "a - b",
            "(",
            "f-send *",
        ]
    ),  # fmt: skip
)


def _rows(name: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO((MINI / name).read_text(encoding="utf-8"))))


@given(
    file=st.sampled_from(FILES),
    row=st.integers(min_value=0, max_value=8),
    column=st.integers(min_value=0, max_value=12),
    value=hostile,
)
def test_the_dataset_reader_accepts_or_locates_every_edit(
    tmp_path_factory, file: str, row: int, column: int, value: str
) -> None:
    folder = tmp_path_factory.mktemp("ds") / "mini"
    shutil.copytree(MINI, folder)
    rows = _rows(file)
    r = min(row, len(rows) - 1)
    c = min(column, len(rows[r]) - 1)
    rows[r][c] = value
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    (folder / file).write_text(buffer.getvalue(), encoding="utf-8")
    try:
        dataset = labournet.load_dataset(folder)
    except LabournetError:
        return
    # a dataset that validates can be analysed or is refused with an analysis error
    with contextlib.suppress(LabournetError):
        labournet.pressure_points(dataset)


@given(st.binary(max_size=300))
def test_the_dataset_reader_takes_any_bytes(tmp_path_factory, raw: bytes) -> None:
    folder = tmp_path_factory.mktemp("ds") / "mini"
    shutil.copytree(MINI, folder)
    (folder / "figures.csv").write_bytes(raw)
    with contextlib.suppress(LabournetError):
        labournet.load_dataset(folder)


@given(st.text(max_size=60))
def test_the_formula_parser_parses_or_says_why(text: str) -> None:
    try:
        formula = parse_formula(text)
    except FormulaError as error:
        assert str(error)
        return
    assert all(isinstance(ref, str) and ref for ref in formula.references)


@given(st.binary(max_size=400), st.sampled_from([".csv", ".tsv", ".txt"]))
def test_the_edge_list_reader_takes_any_bytes(tmp_path_factory, raw: bytes, suffix: str) -> None:
    path = tmp_path_factory.mktemp("g") / f"edges{suffix}"
    path.write_bytes(b"source,target,weight\n" + raw)
    with contextlib.suppress(LabournetError):
        labournet.read_graph(path)


def _written_graph_files(folder: Path) -> dict[str, str]:
    """The mini dataset as labournet writes it to GraphML and JSON."""
    from labournet.io.graphfile import export_graphml, export_json

    dataset = labournet.load_dataset(MINI)
    return {
        ".graphml": export_graphml(dataset, folder / "mini.graphml").read_text("utf-8"),
        ".json": export_json(dataset, folder / "mini.json").read_text("utf-8"),
    }


_GRAPH_FILES: dict[str, str] = {}
garbage = st.one_of(
    hostile,
    st.sampled_from(
        ['null', '[]', '{}', '-1', '1e999', 'true', '"x"', '<x>', '</node>', '&', '"',
         '{"$tuple": 1}']
    ),
)  # fmt: skip


@given(
    suffix=st.sampled_from([".graphml", ".json"]),
    edit=st.sampled_from(["cut", "replace", "delete"]),
    start=st.floats(min_value=0, max_value=1),
    length=st.integers(min_value=1, max_value=80),
    value=garbage,
)
def test_a_cut_or_edited_graph_file_labournet_wrote_is_read_or_refused(
    tmp_path_factory, suffix: str, edit: str, start: float, length: int, value: str
) -> None:
    folder = tmp_path_factory.mktemp("g")
    if not _GRAPH_FILES:
        _GRAPH_FILES.update(_written_graph_files(folder))
    text = _GRAPH_FILES[suffix]
    at = int(start * len(text))
    if edit == "cut":
        text = text[:at]
    else:
        text = text[:at] + (value if edit == "replace" else "") + text[at + length :]
    path = folder / f"edited{suffix}"
    path.write_text(text, encoding="utf-8")
    try:
        graph = labournet.read_graph(path)
    except LabournetError:
        return
    # a file that reads can be analysed, or is refused with labournet's own error
    with contextlib.suppress(LabournetError):
        labournet.pressure_points(graph)


def _json_paths(value: object, path: tuple = ()) -> list[tuple]:
    paths = [path]
    items = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    for key, item in items:
        paths += _json_paths(item, (*path, key))
    return paths


@given(
    choice=st.floats(min_value=0, max_value=1, exclude_max=True),
    remove=st.booleans(),
    value=st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), hostile,
                    st.just([]), st.just({}), st.just([1]), st.just({"a": 1})),
)  # fmt: skip
def test_a_labournet_json_with_one_value_changed_or_removed_is_read_or_refused(
    tmp_path_factory, choice: float, remove: bool, value: object
) -> None:
    folder = tmp_path_factory.mktemp("g")
    if not _GRAPH_FILES:
        _GRAPH_FILES.update(_written_graph_files(folder))
    data = json.loads(_GRAPH_FILES[".json"])
    paths = _json_paths(data)[1:]
    *parents, last = paths[int(choice * len(paths))]
    parent = data
    for key in parents:
        parent = parent[key]
    if remove:
        del parent[last]
    else:
        parent[last] = value
    path = folder / "edited.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    try:
        graph = labournet.read_graph(path)
    except LabournetError:
        return
    with contextlib.suppress(LabournetError):
        labournet.pressure_points(graph)


runner = CliRunner()
CLI_EXAMPLES = max(10, settings.default.max_examples // 3)
"""Each command-line run builds the flow model: fewer of them in the same budget."""


def _cli(*args: str) -> int:
    from labournet.cli import app

    result = runner.invoke(app, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code


@settings(max_examples=CLI_EXAMPLES)
@given(cut=hostile)
def test_scenario_cuts_are_accepted_or_refused(cut: str) -> None:
    assert _cli("scenario", "--cut", cut) in (0, 2)


@settings(max_examples=CLI_EXAMPLES)
@given(year=st.integers(min_value=-(10**20), max_value=10**20))
def test_any_as_of_year_is_accepted_or_refused(year: int) -> None:
    assert _cli("key-players", "--as-of", str(year), "-k", "1") in (0, 2)


@settings(max_examples=CLI_EXAMPLES)
@given(measure=hostile, weight=hostile)
def test_centrality_options_are_accepted_or_refused(measure: str, weight: str) -> None:
    assert _cli("centrality", "-m", measure, "-w", weight) in (0, 2)


@functools.cache
def _mini() -> labournet.Dataset:
    return labournet.load_dataset(MINI)


stored_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    hostile,
    st.lists(st.one_of(hostile, st.integers(), st.none()), max_size=3),
)
"""What another tool may leave in a property: any value a graph database stores."""


@given(data=st.data(), value=stored_values)
def test_a_pulled_graph_with_one_value_changed_is_read_or_refused(
    graph_records, data: st.DataObject, value: object
) -> None:
    """Any one value of any record, changed or removed: the pull builds a dataset or raises
    one of labournet's errors (located problems), never another exception."""
    from labournet.store.rows import build_dataset

    dataset = _mini()
    records = graph_records(dataset)
    part = data.draw(st.sampled_from(sorted(part for part in records if records[part])))
    record = data.draw(st.sampled_from(records[part]))
    key = data.draw(st.sampled_from(sorted(record)))
    if data.draw(st.booleans()):
        record[key] = value
    else:
        del record[key]
    with contextlib.suppress(LabournetError):
        build_dataset(dataset.name, dataset.schema, records)
