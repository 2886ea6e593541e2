"""Which part of a network a view shows, and what a cut would remove.

Pure functions over a networkx graph (the model of `labournet.to_networkx`); the HTML exporter
draws what they select.

* `node_values`: the number each node is sized and ranked by (a score column, else degree).
* `select_view`: the whole network, the top-k nodes with their neighbours, or one entity's
  neighbourhood.
* `cut_scenario`: cut entities and relations, and what is then no longer connected to the
  regime node.

Example:
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("kp", "cn", key="r1", id="r1")
    >>> _ = G.add_edge("cn", "garments", key="r2", id="r2")
    >>> marks = cut_scenario(G, ["cn"], regime="kp")
    >>> sorted(marks.cut_nodes), sorted(marks.disconnected_nodes)
    (['cn'], ['garments'])
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Container, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import networkx as nx

from labournet.errors import AnalysisError, ExportError
from labournet.names import resolve_graph_id

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "LARGE_GRAPH_NODES",
    "PHYSICS_MAX_NODES",
    "ViewKind",
    "NodeValues",
    "View",
    "CutMarks",
    "node_values",
    "find_regime",
    "select_view",
    "cut_scenario",
    "flow_cut_marks",
]

LARGE_GRAPH_NODES = 2000
"""Above this many nodes the ``auto`` view shows the top-k pressure points and their
neighbours (at most this many nodes) instead of the whole network, with a note saying so."""

PHYSICS_MAX_NODES = 300
"""Above this many drawn nodes a view is laid out in Python with physics off: vis-network's
in-browser layout takes tens of seconds to settle a 2,000-node view."""

ViewKind = Literal["auto", "network", "top", "focus"]

EdgeKey = tuple[Hashable, Hashable, Hashable]


@dataclass(frozen=True)
class NodeValues:
    """The number each node is sized and ranked by, and where it comes from."""

    values: Mapping[Hashable, float]
    column: str
    """The score column used, or ``"degree"`` when the fallback was taken."""
    fallback: bool = False
    """True when the asked-for score was absent and degree was used instead."""
    order: tuple[Hashable, ...] = ()
    """The analysis's own order, when it has one: candidates level by level, rank by rank,
    residual buckets left out (`labournet.analysis.pressure.PressureResult.leaders`). The top
    view takes its nodes in this order."""

    @property
    def label(self) -> str:
        """The column for a reader: ``pressure score`` for ``pressure_score``."""
        return self.column.replace("_", " ")

    def ranked(
        self, count: int | None = None, among: Container[Hashable] | None = None
    ) -> list[Hashable]:
        """Node ids in `order` (if any), then from the highest value down (ties by id),
        optionally the first ``count`` of those in ``among``."""
        values = self.values
        nodes: Iterable[Hashable] = values
        if among is not None:
            nodes = [node for node in values if node in among]

        def key(node: Hashable) -> tuple[float, str]:
            return (-values[node], str(node))

        if self.order and among is None:
            first = [node for node in self.order if node in values]
            taken = set(first)
            rest = sorted((node for node in nodes if node not in taken), key=key)
            return (first + rest)[:count] if count is not None else first + rest
        if count is None:
            return sorted(nodes, key=key)
        return heapq.nsmallest(count, nodes, key=key)


@dataclass(frozen=True)
class View:
    """The nodes a view draws, with what the page should say about the choice."""

    kind: Literal["network", "top", "focus"]
    nodes: frozenset[Hashable]
    top: tuple[Hashable, ...] = ()
    """The ranked top-k nodes (for the top view; empty otherwise)."""
    focus: Hashable | None = None
    depth: int = 0
    note: str = ""
    """Why the view is not the whole network, when it was chosen for the reader."""


@dataclass(frozen=True)
class CutMarks:
    """What a scenario cut removes: the cut itself, and what loses its link to the regime."""

    regime: Hashable
    cut_nodes: frozenset[Hashable] = frozenset()
    cut_edges: frozenset[EdgeKey] = frozenset()
    """Cut relations, and every relation of a cut entity."""
    disconnected_nodes: frozenset[Hashable] = frozenset()
    """Nodes connected to the regime (ignoring direction) before the cut and not after."""
    disconnected_edges: frozenset[EdgeKey] = field(default_factory=frozenset)
    """Relations of disconnected nodes that are not cut themselves."""
    requested: tuple[str, ...] = ()
    basis: Literal["links", "flows"] = "links"
    """``flows``: the flow analysis decided what is lost (every flow through it is cut);
    ``links``: the graph's connections did (a network without flows to analyse)."""


def node_values(
    G: nx.MultiDiGraph, scores: pd.DataFrame | None = None, size_by: str = "pressure_score"
) -> NodeValues:
    """The ``size_by`` column of ``scores`` for each node, falling back to degree if absent.

    Nodes missing from ``scores`` (or with NaN) get 0, so that every drawn node has a size.
    """
    if scores is not None and size_by in getattr(scores, "columns", ()):
        column = scores[size_by]
        known: dict[Hashable, float] = {}
        for node, value in column.items():
            number = _finite(value)
            if number is not None:
                known[node] = number
        if any(node in G for node in known):
            order = tuple((getattr(scores, "attrs", {}).get("levels") or {}).get("order", ()))
            return NodeValues(
                {node: known.get(node, 0.0) for node in G},
                size_by,
                order=tuple(n for n in order if n in G),
            )
    return NodeValues({node: float(degree) for node, degree in G.degree()}, "degree", fallback=True)


def find_regime(G: nx.MultiDiGraph, regime: Hashable | None = None) -> Hashable:
    """The regime node, found as every analysis finds it (`labournet.analysis.flows.find_regime`:
    the one given, ``G.graph["regime"]``, or the one node whose role is regime)."""
    from labournet.analysis.flowbuild import find_regime as find_flow_regime

    try:
        return find_flow_regime(G, None if regime is None else str(regime))
    except AnalysisError as error:
        raise ExportError(str(error)) from None


def select_view(
    G: nx.MultiDiGraph,
    values: NodeValues,
    *,
    view: ViewKind = "auto",
    top_k: int = 10,
    focus: Hashable | None = None,
    depth: int = 1,
    max_nodes: int = LARGE_GRAPH_NODES,
) -> View:
    """Choose the nodes to draw.

    ``auto`` is ``focus`` when a focus is given, ``top`` when the network has more than
    ``max_nodes`` nodes, and ``network`` otherwise.
    """
    if top_k < 1:
        raise ExportError(f"top_k must be at least 1, not {top_k}")
    if depth < 0:
        raise ExportError(f"depth must be 0 or more, not {depth}")
    note = ""
    if view == "auto":
        if focus is not None:
            view = "focus"
        elif G.number_of_nodes() > max_nodes:
            view = "top"
            note = (
                f"This network has {G.number_of_nodes():,} entities, more than the "
                f"{max_nodes:,} a browser draws comfortably, so this view shows the top {top_k} "
                f"by {values.label} and their neighbours. Export with the view 'network' "
                "to draw everything (laid out in advance, physics off)."
            )
        else:
            view = "network"
    if view == "network":
        return View("network", frozenset(G.nodes), note=note)
    if view == "top":
        top = tuple(values.ranked(top_k))
        nodes = _neighbourhood(G, top, 1)
        if len(nodes) > max_nodes:
            neighbours = nodes - set(top)
            room = max(max_nodes - len(top), 0)
            kept = values.ranked(room, among=neighbours)
            note = (
                f"{note} Of the {len(neighbours):,} neighbours of the top {len(top)}, the "
                f"{len(kept):,} with the highest {values.label} are drawn."
            ).strip()
            nodes = frozenset((*top, *kept))
        return View("top", nodes, top=top, note=note)
    if view == "focus":
        if focus is None:
            raise ExportError("the focus view needs an entity id (--focus ID)")
        if focus not in G:
            focus = resolve_graph_id(
                G, str(focus), option="--focus", relations=False, error=ExportError
            )
        return View("focus", _neighbourhood(G, [focus], depth), focus=focus, depth=depth)
    raise ExportError(f"unknown view '{view}' (use auto, network, top or focus)")


def cut_scenario(
    G: nx.MultiDiGraph, cut: Iterable[str], *, regime: Hashable | None = None
) -> CutMarks:
    """Mark what cutting entities or relations (by id) removes from the regime's network.

    A relation is found by its ``id`` attribute or its edge key. Connection is taken without
    regard to direction: a sector only reached through a cut host is disconnected.
    """
    requested = tuple(
        dict.fromkeys(
            resolve_graph_id(G, str(item), option="--cut", error=ExportError) for item in cut
        )
    )
    root = find_regime(G, regime)
    by_id: dict[str, list[EdgeKey]] = {}
    for u, v, key, rid in G.edges(keys=True, data="id"):
        by_id.setdefault(str(rid if rid is not None else key), []).append((u, v, key))
    nodes_by_str = {str(node): node for node in G}
    cut_nodes: set[Hashable] = set()
    cut_edges: set[EdgeKey] = set()
    unknown = []
    for item in requested:
        if item in nodes_by_str:
            cut_nodes.add(nodes_by_str[item])
        elif item in by_id:
            cut_edges.update(by_id[item])
        else:
            unknown.append(item)
    if unknown:
        raise ExportError(f"unknown entity or relation id to cut: {', '.join(unknown)}")
    if root in cut_nodes:
        raise ExportError(f"cannot cut the regime node '{root}' itself")
    cut_edges.update(_incident_edges(G, cut_nodes))
    before = nx.node_connected_component(G.to_undirected(as_view=True), root)
    remaining = nx.restricted_view(G, cut_nodes, cut_edges)
    after = nx.node_connected_component(remaining.to_undirected(as_view=True), root)
    lost = frozenset(before - after - cut_nodes)
    lost_edges = _incident_edges(G, lost) - cut_edges
    return CutMarks(
        regime=root,
        cut_nodes=frozenset(cut_nodes),
        cut_edges=frozenset(cut_edges),
        disconnected_nodes=lost,
        disconnected_edges=frozenset(lost_edges),
        requested=requested,
    )


def flow_cut_marks(
    G: nx.MultiDiGraph,
    cut: Iterable[str],
    lost: Iterable[str],
    *,
    regime: Hashable,
    requested: Iterable[str] = (),
) -> CutMarks:
    """Marks for a cut the flow analysis evaluated (`labournet.analysis.scenario`): the cut
    entities and relations, and the candidates `lost` because every flow of workers and money
    through them is cut (not merely their link in the drawing)."""
    cut = tuple(dict.fromkeys(str(item) for item in cut))
    by_id = {
        str(rid if rid is not None else key): (u, v, key)
        for u, v, key, rid in G.edges(keys=True, data="id")
    }
    cut_nodes = {item for item in cut if item in G}
    cut_edges = {by_id[item] for item in cut if item in by_id}
    cut_edges.update(_incident_edges(G, cut_nodes))
    lost_nodes = {item for item in lost if item in G} - cut_nodes
    lost_edges = {by_id[item] for item in lost if item in by_id} - cut_edges
    return CutMarks(
        regime=regime,
        cut_nodes=frozenset(cut_nodes),
        cut_edges=frozenset(cut_edges),
        disconnected_nodes=frozenset(lost_nodes),
        disconnected_edges=frozenset(lost_edges),
        requested=tuple(requested) or cut,
        basis="flows",
    )


def _incident_edges(G: nx.MultiGraph, nodes: Iterable[Hashable]) -> set[EdgeKey]:
    """The edges at any of ``nodes``, each as ``(u, v, key)`` in the orientation ``G.edges``
    reports it, so that an undirected edge matches whichever end it was found from."""
    nodes = list(nodes)
    if G.is_directed():
        return {*G.in_edges(nodes, keys=True), *G.out_edges(nodes, keys=True)}
    # G.edges gives an undirected edge from the end that comes first in node order
    first = {node: i for i, node in enumerate(G)}
    return {
        (u, v, k) if first[u] <= first[v] else (v, u, k) for u, v, k in G.edges(nodes, keys=True)
    }


def _neighbourhood(G: nx.MultiDiGraph, seeds: Iterable[Hashable], depth: int) -> frozenset:
    """Nodes within ``depth`` steps of any seed, ignoring edge direction."""
    seen = set(seeds)
    frontier = set(seen)
    for _ in range(depth):
        nxt: set[Hashable] = set()
        for node in frontier:
            nxt.update(nx.all_neighbors(G, node))
        frontier = nxt - seen
        if not frontier:
            break
        seen |= frontier
    return frozenset(seen)


def _finite(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None
