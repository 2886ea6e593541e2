"""Between datasets and networkx: `to_networkx` and `from_networkx`, lossless both ways.

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

import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any, TypeAlias

import networkx as nx

from labournet.errors import AnalysisError, ExportError, GraphFormatError, Problem
from labournet.model.dataset import Dataset, Entity, Relation
from labournet.model.dates import (
    END,
    POINT,
    START,
    DateLike,
    PartialDate,
    as_date,
    in_period,
    record_period,
)
from labournet.model.schema import load_schema

__all__ = [
    "to_networkx",
    "from_networkx",
    "add_node",
    "add_edge",
    "as_graph",
    "Network",
    "fill_file_defaults",
    "snapshot_graph",
    "NODE_FIELDS",
    "EDGE_FIELDS",
]

Network: TypeAlias = Dataset | nx.Graph
"""What the exports and views take: a dataset, or any networkx graph."""

NODE_FIELDS = (*(c for c in Entity.columns() if c != "id"), "figures")
"""A node's own attributes: the entity's columns but its id (the node), and its figures; the
rest are the entity's properties."""
EDGE_FIELDS = (*(c for c in Relation.columns() if c not in ("source", "target")), "figures")
"""An edge's own attributes: the relation's columns but its ends, and its figures."""


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
    # the attributes are set as a mapping, so names that are data never meet networkx's
    # keyword parameters (see `add_node`)
    figures = dataset.figures_by_subject()
    _add_nodes(
        graph, ((entity.id, _attrs(entity, ("id",), figures)) for entity in dataset.entities)
    )
    _add_edges(
        graph,
        (
            (relation.source, relation.target, relation.id, _attrs(relation, _ENDS, figures))
            for relation in dataset.relations
        ),
    )
    return graph


def _add_nodes(graph: nx.MultiDiGraph, nodes: Iterable[tuple[Any, dict[str, Any]]]) -> None:
    """``graph.add_nodes_from(nodes)``, each new node written straight into networkx's own
    layout (its attribute dict, empty successors and predecessors), which is 4x faster than
    through `add_nodes_from` at 50,000 nodes; a node already there goes through `add_node`."""
    attributes, succ, pred = graph._node, graph._succ, graph._pred
    for node, attrs in nodes:
        if node in succ or node is None:
            add_node(graph, node, attrs)
        else:
            attributes[node], succ[node], pred[node] = attrs, {}, {}
    _forget_cache(graph)


def _forget_cache(graph: nx.Graph) -> None:
    """Drop what networkx cached about `graph` (3.3 and later), as its own methods do on a
    change."""
    cache = getattr(graph, "__networkx_cache__", None)
    if cache:
        cache.clear()


def _add_edges(
    graph: nx.MultiDiGraph, edges: Iterable[tuple[Any, Any, Any, dict[str, Any]]]
) -> None:
    """``graph.add_edges_from(edges)`` for keyed edges, each new one written straight into
    networkx's own layout (``succ[u][v][key]`` is its attribute dict, and ``pred[v][u]`` the
    same key dict), which is 4x faster than through `add_edges_from` (1.4 s at 250,000
    edges); an edge whose ends are not nodes yet, or whose key is taken, goes through
    `add_edge`."""
    succ, pred = graph._succ, graph._pred
    for u, v, key, attrs in edges:
        if u in succ and v in succ:
            keys = succ[u].get(v)
            if keys is None:
                succ[u][v] = pred[v][u] = {key: attrs}
                continue
            if key not in keys:
                keys[key] = attrs
                continue
        add_edge(graph, u, v, attrs, key)
    _forget_cache(graph)


_ENDS = ("source", "target")


def _attrs(
    record: Entity | Relation, left_out: tuple[str, ...], figures: Mapping[str, tuple[Any, ...]]
) -> dict[str, Any]:
    """A node's or edge's attributes: the record's properties, then its columns but those
    `left_out` (a column wins over a property of its name), then its figures."""
    attrs = {**record.properties, **record.values()}
    for name in left_out:
        del attrs[name]
    attrs["figures"] = figures.get(record.id, ())
    return attrs


def snapshot_graph(graph: nx.MultiDiGraph, as_of: DateLike) -> nx.MultiDiGraph:
    """The graph as of a date: the nodes and edges that `Dataset.as_of` keeps (by their
    ``date``, ``valid_from`` and ``valid_until``), the graph itself when every one of them is
    kept. Figures stay on their items; analyses pick each item's figure as of the date.

    `AnalysisError` names the node or edge whose date is not a date (a graph from elsewhere).
    """
    cutoff = _cutoff(as_of)
    nodes = [node for node, attrs in graph.nodes(data=True) if _kept(attrs, cutoff, node)]
    kept = set(nodes)
    edges: list[tuple[Any, Any, Any]] = []
    n_edges = 0
    for u, targets in graph.adjacency():
        for v, keyed in targets.items():
            n_edges += len(keyed)
            if u in kept and v in kept:
                edges.extend(
                    (u, v, key) for key, attrs in keyed.items() if _kept(attrs, cutoff, key)
                )
    if len(nodes) == graph.number_of_nodes() and len(edges) == n_edges:
        return graph
    snapshot = graph.__class__()
    snapshot.graph.update(graph.graph)
    snapshot.add_nodes_from((node, graph.nodes[node]) for node in nodes)
    snapshot.add_edges_from((u, v, key, graph.edges[u, v, key]) for u, v, key in edges)
    return snapshot


def _cutoff(as_of: DateLike) -> PartialDate:
    try:
        return as_date(as_of)
    except ValueError as error:
        raise AnalysisError(f"as of: {error}") from None


def _kept(attrs: Mapping[str, Any], cutoff: PartialDate, where: Any) -> bool:
    if not (attrs.get(START) or attrs.get(POINT) or attrs.get(END)):
        return True  # undated: in every snapshot, and nothing to parse
    try:
        return in_period(*record_period(attrs), cutoff)
    except ValueError as error:
        raise AnalysisError(f"{where}: {error}") from None


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
    entities, relations, figures = [], [], []
    for node, data in graph.nodes(data=True):
        entities.append(_record(Entity, data, id=str(node), name=data.get("name", str(node))))
        figures.extend(data.get("figures", ()))
    for source, target, key, data in graph.edges(keys=True, data=True):
        edge_id = str(data.get("id", key))
        relations.append(
            _record(Relation, data, id=edge_id, source=str(source), target=str(target))
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


def _record(record: type[Any], data: Mapping[str, Any], **given: Any) -> Any:
    """An Entity or Relation from a node's or edge's attributes: its columns (lists as tuples,
    missing ones at their defaults), `given` values, and the other attributes as properties."""
    fields = {f.name: f for f in dataclasses.fields(record)}
    values = dict(given)
    for column in record.columns():
        if column in values:
            continue
        is_list = str(fields[column].type).startswith("tuple")
        if column in data:
            values[column] = tuple(data[column]) if is_list else data[column]
        elif fields[column].default is dataclasses.MISSING:
            values[column] = () if is_list else ""
    own = set(NODE_FIELDS if record is Entity else EDGE_FIELDS)
    values["properties"] = {k: str(v) for k, v in data.items() if k not in own}
    return record(**values)


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


def as_graph(source: Network) -> nx.MultiGraph:
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
