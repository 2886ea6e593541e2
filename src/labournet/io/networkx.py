"""Between datasets and networkx, and reading any network file into networkx.

`to_networkx` gives a `networkx.MultiDiGraph`:

* one node per entity (node id = entity id) with ``kind``, ``name``, ``description``,
  ``sources`` and ``assumptions`` (tuples of ids), ``figures`` (tuple of `Figure`) and each
  filled schema property (``role``, ``date``, ...) as a string;
* one edge per relation, keyed by the relation id, with ``id``, ``kind``, ``claim``,
  ``sources``, ``assumptions``, ``figures`` and its filled properties;
* ``G.graph``: ``name``, ``sources`` and ``assumptions`` (dicts by id) and ``schema``.

Sources are kept in ``G.graph`` rather than as nodes, so that they do not distort centralities.
`from_networkx` reverses it exactly.

Example:
    >>> import labournet
    >>> G = labournet.to_networkx(labournet.load_dataset())
    >>> G.nodes["kp"]["kind"], G.nodes["kp"]["name"]
    ('country', 'North Korea')
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import networkx as nx

from labournet._text import plural
from labournet.errors import ExportError, GraphFormatError, LabournetError, Problem
from labournet.model.dataset import Dataset, Entity, Figure, Relation
from labournet.model.schema import load_schema

__all__ = [
    "to_networkx",
    "from_networkx",
    "read_graph",
    "add_node",
    "add_edge",
    "as_graph",
    "fill_file_defaults",
    "NODE_FIELDS",
    "EDGE_FIELDS",
]

NODE_FIELDS = ("kind", "name", "description", "sources", "assumptions", "figures")
EDGE_FIELDS = ("id", "kind", "claim", "sources", "assumptions", "figures")


def add_node(graph: nx.Graph, node: Any, attrs: Mapping[str, Any]) -> None:
    """Add `node` with `attrs` set as a mapping, never as keyword arguments: attribute names are
    data and must not meet networkx's own parameters (``node_for_adding``)."""
    graph.add_node(node)
    graph.nodes[node].update(attrs)


def add_edge(graph: nx.Graph, u: Any, v: Any, attrs: Mapping[str, Any], key: Any = None) -> None:
    """Add the edge `u` -> `v` (with `key` in a multigraph) and set `attrs` as a mapping (names
    such as ``key`` or ``u_of_edge`` are data)."""
    if graph.is_multigraph():
        key = graph.add_edge(u, v, key=key)
        graph.edges[u, v, key].update(attrs)
    else:
        graph.add_edge(u, v)
        graph.edges[u, v].update(attrs)


def to_networkx(dataset: Dataset) -> nx.MultiDiGraph:
    """The dataset as a MultiDiGraph with typed node and edge attributes."""
    graph = nx.MultiDiGraph(
        name=dataset.name,
        sources={source.id: source for source in dataset.sources},
        assumptions={assumption.id: assumption for assumption in dataset.assumptions},
        schema=dataset.schema,
    )
    for entity in dataset.entities:
        add_node(
            graph,
            entity.id,
            {
                **entity.properties,
                "kind": entity.kind,
                "name": entity.name,
                "description": entity.description,
                "sources": entity.sources,
                "assumptions": entity.assumptions,
                "figures": dataset.figures_for(entity.id),
            },
        )
    for relation in dataset.relations:
        add_edge(
            graph,
            relation.source,
            relation.target,
            {
                **relation.properties,
                "id": relation.id,
                "kind": relation.kind,
                "claim": relation.claim,
                "sources": relation.sources,
                "assumptions": relation.assumptions,
                "figures": dataset.figures_for(relation.id),
            },
            key=relation.id,
        )
    return graph


def from_networkx(graph: nx.MultiDiGraph) -> Dataset:
    """Rebuild the Dataset that `to_networkx` turned into `graph`."""
    missing = [node for node, data in graph.nodes(data=True) if "kind" not in data]
    if missing:
        raise GraphFormatError(
            [
                Problem("<graph>", None, "kind", f"node '{node}' has no kind")
                for node in missing[:20]
            ],
            "the graph was not made by labournet.to_networkx (nodes without a kind)",
        )
    entities = []
    figures: list[Figure] = []
    for node, data in graph.nodes(data=True):
        entities.append(
            Entity(
                str(node),
                data["kind"],
                data.get("name", str(node)),
                data.get("description", ""),
                tuple(data.get("sources", ())),
                tuple(data.get("assumptions", ())),
                {k: str(v) for k, v in data.items() if k not in NODE_FIELDS},
            )
        )
        figures.extend(data.get("figures", ()))
    relations = []
    for source, target, key, data in graph.edges(keys=True, data=True):
        relations.append(
            Relation(
                str(data.get("id", key)),
                data["kind"],
                str(source),
                str(target),
                data.get("claim", ""),
                tuple(data.get("sources", ())),
                tuple(data.get("assumptions", ())),
                {k: str(v) for k, v in data.items() if k not in EDGE_FIELDS},
            )
        )
        figures.extend(data.get("figures", ()))
    return Dataset(
        name=graph.graph.get("name", ""),
        entities=tuple(entities),
        relations=tuple(relations),
        figures=tuple(figures),
        sources=tuple(graph.graph.get("sources", {}).values()),
        assumptions=tuple(graph.graph.get("assumptions", {}).values()),
        schema=graph.graph.get("schema") or load_schema(),
    )


def read_graph(path: str | Path, *, directed: bool = True, multigraph: bool = False) -> nx.Graph:
    """Read a network from GraphML, GEXF, node-link JSON, a CSV edge list or a dataset folder.

    The one reader of network files: every command that takes a network calls it.

    * ``.graphml`` / ``.gexf`` / ``.json``: read by networkx, keeping the file's own graph type.
      A file labournet wrote (it carries a ``labournet.encoding`` record) is decoded back into
      the graph `labournet.to_networkx` made (see `labournet.io.graphcodec`). Attribute defaults the
      file declares are filled into the nodes and edges without a value (`fill_file_defaults`).
    * ``.csv`` (or ``.tsv``, ``.txt``): an edge list with a header ``source,target[,weight,...]``;
      extra columns become edge attributes (numbers where every value parses as one).
      ``directed`` and ``multigraph`` choose the graph type; without ``multigraph`` a repeated
      edge is an error.
    * a folder: a labournet dataset, as `labournet.to_networkx`.
    """
    file = Path(path)
    if file.is_dir():
        from labournet.io.folder import load_dataset

        return to_networkx(load_dataset(file))
    if not file.exists():
        raise GraphFormatError([Problem(str(file), None, "path", "no such file or folder")])
    suffix = file.suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        return _read_edge_list(file, directed=directed, multigraph=multigraph)
    if suffix not in (".graphml", ".xml", ".gexf", ".json"):
        raise GraphFormatError(
            [
                Problem(
                    str(file),
                    None,
                    "path",
                    "unknown format (use .graphml, .gexf, .json, .csv or a dataset folder)",
                )
            ]
        )
    from labournet.io.graphcodec import UndecodableError

    try:
        return _read_graph_file(file, suffix)
    except UndecodableError as error:
        raise GraphFormatError(
            [Problem(str(file), None, error.where, error.reason)],
            f"{file} was written by labournet but cannot be read back (cut or edited?)",
        ) from error
    # networkx's readers meet a malformed file with whichever error its code hits first
    except (
        OSError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        nx.NetworkXError,
        ExportError,
    ) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        line = getattr(error, "lineno", None) if isinstance(error, json.JSONDecodeError) else None
        raise GraphFormatError([Problem(str(file), line, "file", reason)]) from error
    except LabournetError:
        raise
    except Exception as error:  # XML parse errors come in several classes
        if type(error).__name__ == "ParseError":
            line = getattr(error, "position", (None,))[0]
            raise GraphFormatError([Problem(str(file), line, "xml", str(error))]) from error
        raise


def _read_graph_file(file: Path, suffix: str) -> nx.Graph:
    from labournet.io.graphcodec import ENCODING_KEY, decode_graph_json, unflatten_graph

    if suffix == ".json":
        data = json.loads(file.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError("not node-link JSON (the file holds no object)")
        if not isinstance(data.get("graph", {}), dict):
            raise ValueError("not node-link JSON (its graph attributes are not an object)")
        if ENCODING_KEY in data.get("graph", {}):
            return decode_graph_json(data)
        edges = "links" if "links" in data and "edges" not in data else "edges"
        return fill_file_defaults(nx.node_link_graph(data, edges=edges))
    if suffix == ".gexf":
        return fill_file_defaults(nx.read_gexf(file))
    graph = nx.read_graphml(file)
    if ENCODING_KEY in graph.graph:
        # written by labournet: keep its edge keys (the relation ids) and decode
        return unflatten_graph(nx.read_graphml(file, force_multigraph=True, edge_key_type=str))
    return fill_file_defaults(graph)


def fill_file_defaults(graph: nx.Graph) -> nx.Graph:
    """Move the attribute defaults networkx's file readers leave in ``graph.graph``
    (``node_default`` and ``edge_default``) into the nodes and edges that lack them.

    They describe the file, not the network; left in place, a writer would take them for its
    own settings. Works in place and returns ``graph``.

    >>> G = nx.Graph(node_default={"colour": "grey"}, edge_default={})
    >>> G.add_node("a", colour="red"); G.add_node("b")
    >>> fill_file_defaults(G).nodes(data="colour"), G.graph
    (NodeDataView({'a': 'red', 'b': 'grey'}, data='colour'), {})
    """
    node_default = graph.graph.pop("node_default", None)
    edge_default = graph.graph.pop("edge_default", None)
    if isinstance(node_default, dict):
        for _, data in graph.nodes(data=True):
            for key, value in node_default.items():
                data.setdefault(key, value)
    if isinstance(edge_default, dict):
        for *_, data in graph.edges(data=True):
            for key, value in edge_default.items():
                data.setdefault(key, value)
    return graph


def as_graph(source: Any) -> nx.MultiGraph:
    """The networkx multigraph of a Dataset (``to_networkx``) or of a networkx graph.

    A directed graph becomes a `networkx.MultiDiGraph`, an undirected one a
    `networkx.MultiGraph`: an undirected edge stays one edge, never a pair of arcs. Graphs
    that are multigraphs already are returned as they are.

    >>> as_graph(nx.path_graph(3)).number_of_edges(), as_graph(nx.path_graph(3)).is_directed()
    (2, False)
    """
    if isinstance(source, nx.Graph):
        if source.is_multigraph():
            return source
        return nx.MultiDiGraph(source) if source.is_directed() else nx.MultiGraph(source)
    if isinstance(source, Dataset):
        return to_networkx(source)
    raise ExportError(
        f"cannot export a {type(source).__name__}: give a Dataset or a networkx graph"
    )


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
