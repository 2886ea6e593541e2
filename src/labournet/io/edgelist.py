"""CSV edge lists: a header ``source,target[,weight,...]`` and one edge per row.

Extra columns become edge attributes (numbers where every value parses as one); every problem is
located as ``FILE:LINE: FIELD: reason``.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path
from typing import Any

import networkx as nx

from labournet._text import plural
from labournet.errors import GraphFormatError, Problem
from labournet.io.csvlimit import field_limit
from labournet.io.networkx import add_edge

__all__ = ["read_edge_list", "EDGE_LIST_SUFFIXES"]

EDGE_LIST_SUFFIXES = (".csv", ".tsv", ".txt")


def read_edge_list(file: Path, *, directed: bool, multigraph: bool) -> nx.Graph:
    """The graph of an edge list (``.tsv``: tab-separated); without `multigraph` a repeated
    edge is an error."""
    with field_limit():
        return _read_edge_list(file, directed=directed, multigraph=multigraph)


def _read_edge_list(file: Path, *, directed: bool, multigraph: bool) -> nx.Graph:
    name = str(file)
    raw = file.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise GraphFormatError([Problem(name, line, "encoding", "invalid UTF-8")]) from error
    delimiter = "\t" if file.suffix.lower() == ".tsv" else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [column.strip() for column in next(reader, [])]
        problems = _header_problems(name, header)
        if problems:
            raise GraphFormatError(problems, f"{name} is not an edge list (source,target[,...])")
        rows = _edge_rows(name, reader, header, problems)
        if not rows and not problems:
            problems.append(Problem(name, 2, "row", "no edges: the file has a header and no rows"))
    except csv.Error as error:
        raise GraphFormatError(
            [Problem(name, reader.line_num or 1, "row", f"malformed CSV: {error}")]
        ) from None
    attributes = [column for column in header if column not in ("source", "target")]
    numeric = {column: _all_numbers(record[column] for _, record in rows) for column in attributes}
    for column in (c for c, is_numeric in numeric.items() if is_numeric):
        for start, record in rows:
            if record[column] and not math.isfinite(float(record[column])):
                problems.append(
                    Problem(name, start, column, f"'{record[column]}' is not a finite number")
                )
    if "weight" in numeric and not numeric["weight"]:
        for start, record in rows:
            if not _is_number(record["weight"]):
                problems.append(
                    Problem(name, start, "weight", f"'{record['weight']}' is not a number")
                )
    graph: nx.Graph = _empty_graph(directed, multigraph)
    first_seen: dict[tuple[str, str], int] = {}
    for start, record in rows:
        u, v = record["source"], record["target"]
        edge = (u, v) if directed else tuple(sorted((u, v)))
        if not multigraph and edge in first_seen:
            problems.append(
                Problem(
                    name,
                    start,
                    "target",
                    f"repeated edge {u} -> {v} (first on line {first_seen[edge]}); "
                    "read it as a multigraph",
                )
            )
            continue
        first_seen.setdefault(edge, start)  # type: ignore[arg-type]
        data = {
            column: float(record[column]) if numeric[column] else record[column]
            for column in attributes
            if record[column] != ""
        }
        add_edge(graph, u, v, data)
    if problems:
        raise GraphFormatError(problems, f"{plural(len(problems), 'problem')} in edge list {name}")
    return graph


def _header_problems(name: str, header: list[str]) -> list[Problem]:
    """source and target present; no column blank or twice (the last would silently win)."""
    problems = [
        Problem(name, 1, column, "required column is missing")
        for column in ("source", "target")
        if column not in header
    ]
    seen: set[str] = set()
    for position, column in enumerate(header, start=1):
        if not column:
            problems.append(Problem(name, 1, f"column {position}", "the column has no name"))
        elif column in seen:
            problems.append(Problem(name, 1, column, "column appears twice"))
        seen.add(column)
    return problems


def _edge_rows(
    name: str, reader: Any, header: list[str], problems: list[Problem]
) -> list[tuple[int, dict[str, str]]]:
    """Each row (with the line it starts on) as a record; short, long or empty-ended rows are
    problems."""
    rows: list[tuple[int, dict[str, str]]] = []
    line = 2
    for row in reader:
        start, line = line, reader.line_num + 1
        if not row:
            continue
        if len(row) != len(header):
            problems.append(
                Problem(name, start, "row", f"{len(row)} fields, header has {len(header)}")
            )
            continue
        record = dict(zip(header, (value.strip() for value in row), strict=True))
        for column in ("source", "target"):
            if not record[column]:
                problems.append(Problem(name, start, column, "required field is empty"))
        rows.append((start, record))
    return rows


def _empty_graph(directed: bool, multigraph: bool) -> nx.Graph:
    if multigraph:
        return nx.MultiDiGraph() if directed else nx.MultiGraph()
    return nx.DiGraph() if directed else nx.Graph()


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _all_numbers(values: object) -> bool:
    texts = [text for text in values if text != ""]  # type: ignore[attr-defined]
    return bool(texts) and all(_is_number(text) for text in texts)
