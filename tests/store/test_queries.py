"""Cypher files as text: headers, parameters, templates, the read-only guard (no server)."""

from __future__ import annotations

from pathlib import Path

import pytest

from labournet.errors import QueryError, StoreError
from labournet.resources import cypher_path
from labournet.store.queries import (
    check_identifier,
    fill_template,
    find_query,
    library,
    parse_cypher,
    read_cypher,
    split_statements,
    used_parameters,
    write_keywords,
)
from labournet.store.rows import ROW_EXTRAS, ROWS

ALL_FILES = sorted(cypher_path().rglob("*.cypher"))
QUERIES = sorted(cypher_path("queries").glob("*.cypher"))

HEADER = """\
// name: demo
// title: A demo
// purpose: Shows the header
//   over two lines.
// param: limit (integer, default 5): rows
// param: who (string, required, example "cn"): an id
// param: tags (list, default ["a, b"]): labels
// note: first note
MATCH (n {id: $who}) WHERE any(t IN $tags WHERE t = n.tag) RETURN n LIMIT $limit
"""


def test_header_is_parsed() -> None:
    query = parse_cypher(HEADER, "demo.cypher")
    assert (query.name, query.title, query.mode) == ("demo", "A demo", "read")
    assert query.purpose == "Shows the header over two lines."
    assert [(p.name, p.type, p.required, p.default) for p in query.parameters] == [
        ("limit", "integer", False, 5),
        ("who", "string", True, None),
        ("tags", "list", False, ["a, b"]),
    ]
    assert query.parameter("who").example == "cn"
    assert query.notes == ("first note",)
    assert query.body.startswith("MATCH")


def test_a_scores_header_names_declared_parameters() -> None:
    query = parse_cypher('// param: score (string, default "s"): x\n// scores: score\nRETURN 1')
    assert query.scores == ("score",)
    assert parse_cypher(HEADER).scores == ()
    with pytest.raises(QueryError, match="header scores names 'nope', which is not a param"):
        parse_cypher("// scores: nope\nRETURN 1", "bad.cypher")


def test_bind_fills_defaults_and_coerces_command_line_text() -> None:
    query = parse_cypher(HEADER, "demo.cypher")
    assert query.bind({"who": "cn", "limit": "3", "tags": "x,y"}) == {
        "limit": 3,
        "who": "cn",
        "tags": ["x", "y"],
    }
    assert query.bind({}, examples=True)["who"] == "cn"


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"who": "cn", "limt": 3}, "demo.cypher: unknown parameter limt (this query takes"),
        ({}, 'demo.cypher: missing parameter who (string, e.g. "cn")'),
        ({"who": "cn", "limit": "ten"}, "demo.cypher: parameter limit: 'ten' is not an integer"),
        ({"who": 5}, "demo.cypher: parameter who: expected string, got 5"),
    ],
)
def test_bad_parameters_name_the_file(given: dict[str, object], message: str) -> None:
    with pytest.raises(StoreError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        parse_cypher(HEADER, "demo.cypher").bind(given)


def test_undeclared_parameter_in_body_is_reported() -> None:
    query = parse_cypher("// param: a (integer, default 1): x\nRETURN $a, $b", "q.cypher")
    with pytest.raises(StoreError, match=r"q.cypher: the query uses \$b"):
        query.bind({})


def test_bad_header_lines_are_reported() -> None:
    with pytest.raises(StoreError, match="x.cypher: param n: type must be one of"):
        parse_cypher("// param: n (number, default 1): x\nRETURN 1", "x.cypher")
    with pytest.raises(StoreError, match="x.cypher: bad param line"):
        parse_cypher("// param: oops\nRETURN 1", "x.cypher")
    with pytest.raises(StoreError, match="must be a JSON literal"):
        parse_cypher("// param: n (string, default kp): x\nRETURN 1", "x.cypher")


def test_parameters_and_keywords_inside_strings_and_comments_do_not_count() -> None:
    body = """
        // CREATE nothing here, $not_a_param
        MATCH (n) WHERE n.note = 'SET $x DELETE' AND n.`MERGE` = "DROP"
        /* REMOVE $hidden */
        RETURN n.set, $real
    """
    assert used_parameters(body) == ("real",)
    assert write_keywords(body) == ()
    assert write_keywords("MATCH (n) DETACH DELETE n") == ("DETACH", "DELETE")
    assert write_keywords("match (n) set n.x = 1") == ("SET",)


def test_statements_split_on_semicolons_outside_strings() -> None:
    body = "// head\nCREATE INDEX a;\nRETURN 'x;y';\n\n// tail comment\n"
    assert split_statements(body) == ["CREATE INDEX a", "RETURN 'x;y'"]


@pytest.mark.parametrize(
    "name",
    ["Country`) DETACH DELETE n //", "1abc", "", "a b", "Ωmega", "x" * 65, None, "a-b"],
)
def test_unsafe_identifiers_are_refused(name: object) -> None:
    with pytest.raises(StoreError, match="unsafe"):
        check_identifier(name, "label")


def test_identifiers_outside_the_allow_list_are_refused() -> None:
    assert check_identifier("Country", "label", {"Country"}) == "Country"
    with pytest.raises(StoreError, match="unknown label 'Vessel'"):
        check_identifier("Vessel", "label", {"Country"})


def test_templates_take_only_checked_names() -> None:
    file = parse_cypher("MATCH (n:{{label}}) RETURN n", "t.cypher")
    assert fill_template(file, label="Country") == "MATCH (n:Country) RETURN n"
    with pytest.raises(StoreError, match="unsafe label"):
        fill_template(file, label="Country) DETACH DELETE n //")
    with pytest.raises(StoreError, match="template needs"):
        fill_template(file, type="X")


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: str(p.relative_to(cypher_path())))
def test_every_cypher_file_declares_what_it_uses(path: Path) -> None:
    """Every file has a header; its declared parameters are exactly the ones its body uses."""
    query = read_cypher(path)
    assert query.name and query.purpose, f"{path}: header needs name and purpose"
    declared = {p.name for p in query.parameters}
    if query.mode == "schema":
        assert not declared
        return
    assert declared == set(query.used_parameters), path
    for param in query.parameters:
        assert param.required or param.example is None
        assert param.doc, f"{path}: describe parameter {param.name}"


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.stem)
def test_library_queries_are_read_only_and_runnable_with_defaults(path: Path) -> None:
    query = read_cypher(path)
    assert query.mode == "read" and not write_keywords(query.body)
    assert query.name == path.stem
    assert query.title
    assert not query.placeholders
    for param in query.parameters:
        assert not param.required or param.example is not None, "required needs an example"
    query.bind({}, examples=True)


def test_load_files_declare_the_rows_the_code_builds() -> None:
    for relative, columns in ROWS.items():
        query = read_cypher(cypher_path(relative))
        assert query.row == columns, relative


def test_record_loads_and_pulls_take_their_columns_from_the_records() -> None:
    """Each record load's row is the record's columns and known extras, each set from its place
    in the row, and each pull returns every column: a new field needs no Cypher edit."""
    from labournet.store.rows import RECORD_FILES, load_file

    for part, record in RECORD_FILES.items():
        load = load_file("load", f"{part}.cypher")
        assert set(load.row) == set(record.columns()) | set(ROW_EXTRAS[part]), part
        for column in record.columns():
            if column not in ("id", "source", "target"):  # those are the MERGE's and MATCH's
                assert f".{column} = row[{load.row.index(column)}]" in load.body, (part, column)
        pulled = load_file("pull", f"{part}.cypher").body
        for column in record.columns():
            assert f" AS {column}" in pulled, (part, column)
        assert "{{" not in load.body.replace("{{label}}", "").replace("{{type}}", "")


def test_a_new_field_of_a_record_reaches_its_load_and_pull() -> None:
    import dataclasses

    from labournet.model.dataset import Figure
    from labournet.resources import cypher_path
    from labournet.store.rows import with_columns

    @dataclasses.dataclass(frozen=True)
    class Observed(Figure):
        observed: str = ""

    load = with_columns(read_cypher(cypher_path("load", "figures.cypher")), Observed)
    assert load.row[-1] == "observed" and f"f.observed = row[{len(load.row) - 1}]" in load.body
    pull = with_columns(read_cypher(cypher_path("pull", "figures.cypher")), Observed)
    assert "f.observed AS observed" in pull.body


def test_the_library_has_the_queries_the_issue_asks_for() -> None:
    assert set(library()) >= {
        "hosts_by_workers",
        "sectors_per_host",
        "revenue_routes",
        "actor_reach",
        "measures_and_targets",
        "evidence",
        "assumptions",
        "top_pressure_points",
        "neighbourhood",
    }


def test_find_query_by_name_or_path(tmp_path: Path) -> None:
    assert find_query("neighbourhood").name == "neighbourhood"
    own = tmp_path / "mine.cypher"
    own.write_text("MATCH (n) RETURN count(n) AS n\n", encoding="utf-8")
    assert find_query(own).body.startswith("MATCH")
    with pytest.raises(StoreError, match="no query file or shipped query named 'nope'"):
        find_query("nope")
    with pytest.raises(StoreError, match="no such Cypher file"):
        find_query(tmp_path / "missing.cypher")


def test_a_writing_query_says_how_to_allow_it_on_the_command_line_and_in_python() -> None:
    from labournet.store.queries import parse_cypher

    with pytest.raises(QueryError) as caught:
        parse_cypher("MATCH (n) SET n.x = 1").check_read_only()
    assert "--write on the command line, write=True in Python" in str(caught.value)
