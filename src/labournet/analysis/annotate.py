"""The numbers a graph file carries for Gephi: pressure scores and centralities per node, a
weight and the workers and revenue figures per edge, all as of one date.

`annotate` computes them; `labournet.io.graphfile.export_graphml` and `export_gexf` write them
(``node_attributes=``, ``edge_attributes=``) as typed attributes beside the network's own:
numbers as GraphML ``double``/``long`` and GEXF ``double``/``long``, text as ``string``.

Per node (absent, not 0, where the node has none):

* ``pressure_score`` (the expected revenue denied, US$ a year), ``pressure_denied_low`` and
  ``pressure_denied_high``, ``pressure_rank`` (within its level), ``pressure_level`` (host,
  sector, intermediary), ``pressure_residual`` (a residual bucket, never a cut) and the stake:
  ``pressure_revenue_low``/``_best``/``_high`` (US$ a year) and
  ``pressure_workers_low``/``_best``/``_high``, from `labournet.pressure_points`, for the
  candidates of a network with flows. A candidate the analysis folds into another with the
  same placements (Mansudae into sculpture) carries that row and ``pressure_same_as``, the id
  of the row's candidate; the ranks are the row's.
* ``score_degree``, ``score_in_degree``, ``score_out_degree`` (directed networks),
  ``score_betweenness``, ``score_closeness`` and ``score_pagerank``: `labournet.centrality`
  on the snapshot, unweighted (every relation one link), named as ``db analyse --write``
  names them.

Per edge, on a network whose relations carry figures (a dataset, or labournet's GraphML):

* ``workers_low``/``_best``/``_high`` and ``revenue_low``/``_best``/``_high``: the relation's
  figure of that measure as of the date (`labournet.model.dataset.figures_as_of`; best is the
  best estimate, else the middle of the range);
* ``weight``: ``workers_best`` or ``revenue_best`` (``weight=``), only where it is above 0.
  A relation without that figure, or whose figure is 0, has no ``weight``: Gephi reads a
  missing weight as 1 (negligible beside workers or US$) and keeps the edge, where it drops
  an edge of weight 0 on import. The zero stays visible in ``workers_best``.
* relation candidates (host-sector placements, routes) get the ``pressure_*`` columns too.

Items outside the snapshot (not started by the date, or ended before it) get none of these.
An item that already has an attribute of one of these names (a file labournet exported
before) keeps its own value, and a note says so.

Example:
    >>> import labournet
    >>> notes = annotate(labournet.load_dataset(), weight="revenue")
    >>> china = notes.nodes["cn"]
    >>> china["pressure_rank"], china["pressure_level"], china["pressure_workers_best"]
    (2, 'host', 33000.0)
    >>> us = notes.nodes["us"]  # no candidate: centralities, no pressure columns
    >>> "score_pagerank" in us, [name for name in us if name.startswith("pressure")]
    (True, [])
    >>> edge = notes.edges["cn", "kp", "r-cn-remits-kp"]
    >>> edge["weight"] == edge["revenue_best"] == 132000000.0
    True
    >>> "weight" in notes.edges["kp", "cn", "r-kp-sends-cn"]  # no revenue figure
    False
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import networkx as nx
import pandas as pd

from labournet.analysis.centrality import NotConvergedError, centrality
from labournet.analysis.flowbuild import snapshot_date
from labournet.analysis.pressure import PressurePoint, pressure_points
from labournet.errors import AnalysisError
from labournet.io.graphcodec import Scalar
from labournet.io.networkx import Network, as_graph, snapshot_graph
from labournet.model.dataset import Figure, figures_as_of
from labournet.model.dates import DateLike, PartialDate, as_date

__all__ = ["annotate", "Annotations", "WEIGHT_MEASURES", "CENTRALITIES"]

WEIGHT_MEASURES = ("workers", "revenue")
"""The figure measures an edge carries, and the choices of ``weight=``."""

CENTRALITIES = ("degree", "in_degree", "out_degree", "betweenness", "closeness", "pagerank")
"""The centralities written as ``score_<measure>`` (in and out degree on directed networks)."""

EdgeId = tuple[Hashable, Hashable, Hashable]


@dataclass(frozen=True)
class Annotations:
    """Per-node and per-edge attributes for a graph file, as of ``as_of`` (None: a network
    without figures, taken whole). ``notes`` say what could not be computed and why."""

    nodes: dict[Hashable, dict[str, Scalar]]
    edges: dict[EdgeId, dict[str, Scalar]]
    as_of: PartialDate | None
    weight: str
    centralities: tuple[str, ...]
    notes: tuple[str, ...]

    def to_frame(self, scope: Literal["node", "edge"] = "node") -> pd.DataFrame:
        """The node (or edge) attributes as a table, one row per annotated item."""
        table: Mapping[Any, Mapping[str, Scalar]] = self.nodes if scope == "node" else self.edges
        frame = pd.DataFrame.from_dict(dict(table), orient="index")
        frame.index.name = "node" if scope == "node" else "edge"
        return frame


def annotate(
    network: Network,
    *,
    as_of: DateLike | None = None,
    weight: str = "workers",
    scores: bool = True,
    regime: str | None = None,
) -> Annotations:
    """Pressure scores, centralities, weights and figures of a network as of a date (see the
    module docstring for every attribute).

    ``as_of`` defaults to the latest period of any figure (as every analysis); on a network
    without figures it only picks the snapshot of dated items. ``scores=False`` leaves out the
    pressure scores and centralities (weights and figures stay). ``regime`` names the regime
    for the pressure analysis. `AnalysisError` for an unknown ``weight`` or a date that is
    not one; a network the pressure analysis cannot read (no regime, no flows) gets no
    pressure columns and a note.
    """
    if weight not in WEIGHT_MEASURES:
        raise AnalysisError(f"weight must be one of {', '.join(WEIGHT_MEASURES)}, not '{weight}'")
    G = as_graph(network)
    figured = _has_figures(G)
    date = _date(G, as_of, figured)
    snapshot = snapshot_graph(G, date) if date is not None else G
    nodes: dict[Hashable, dict[str, Scalar]] = {}
    edges: dict[EdgeId, dict[str, Scalar]] = {}
    for u, v, key, data in snapshot.edges(keys=True, data=True):
        if values := _edge_values(data, date, weight):
            edges[u, v, key] = values
    notes: list[str] = []
    measures: tuple[str, ...] = ()
    if scores:
        measures = _add_centralities(nodes, snapshot, notes)
        if figured:
            _add_pressure(nodes, edges, G, date, regime, notes)
        else:
            notes.append("no pressure scores: the network has no figures (centralities only)")
    _keep_own(G, nodes, edges, notes)
    return Annotations(nodes, edges, date, weight, measures, tuple(notes))


def _keep_own(
    G: nx.MultiGraph,
    nodes: dict[Hashable, dict[str, Scalar]],
    edges: dict[EdgeId, dict[str, Scalar]],
    notes: list[str],
) -> None:
    """Drop computed values whose name the item already has (a file labournet exported
    before): the network's own values are kept, never overwritten, and a note says so."""
    kept: set[str] = set()
    tables: list[tuple[dict[str, Scalar], Mapping[str, Any]]] = [
        (values, G.nodes[node]) for node, values in nodes.items()
    ]
    tables += [(values, G.edges[edge]) for edge, values in edges.items()]
    for values, own in tables:
        for name in [name for name in values if name in own]:
            kept.add(name)
            del values[name]
    if kept:
        notes.append(f"kept the network's own {', '.join(sorted(kept))} (not recomputed)")


def _has_figures(G: nx.Graph) -> bool:
    """Whether any node or edge carries labournet figures (a dataset's graph)."""
    items = [d for _, d in G.nodes(data=True)] + [d for *_, d in G.edges(data=True)]
    return any(isinstance(f, Figure) for d in items for f in _figures(d))


def _figures(data: Mapping[str, Any]) -> tuple[Figure, ...]:
    found = data.get("figures", ())
    if not isinstance(found, tuple):
        return ()
    return tuple(f for f in found if isinstance(f, Figure))


def _date(G: nx.MultiGraph, as_of: DateLike | None, figured: bool) -> PartialDate | None:
    """The snapshot date: as every analysis picks it when there are figures, else `as_of`."""
    if figured and isinstance(G, nx.MultiDiGraph):
        return snapshot_date(G, as_of)
    if as_of is None:
        return None
    try:
        return as_date(as_of)
    except ValueError as error:
        raise AnalysisError(f"--as-of: {error}") from None


def _edge_values(
    data: Mapping[str, Any], date: PartialDate | None, weight: str
) -> dict[str, Scalar]:
    """An edge's figures of `WEIGHT_MEASURES` as of `date`, and its weight where above 0."""
    figures = _figures(data)
    if date is not None:
        figures = figures_as_of(figures, date)
    values: dict[str, Scalar] = {}
    for measure in WEIGHT_MEASURES:
        figure = _latest(figures, measure)
        if figure is not None:
            values[f"{measure}_low"] = float(figure.low)
            values[f"{measure}_best"] = float(figure.estimate)
            values[f"{measure}_high"] = float(figure.high)
    best = values.get(f"{weight}_best")
    if isinstance(best, float) and best > 0:
        values["weight"] = best
    return values


def _latest(figures: Iterable[Figure], measure: str) -> Figure | None:
    """The figure of the latest period of one measure (the first listed on a tie)."""
    chosen: Figure | None = None
    for figure in figures:
        if figure.measure == measure and (chosen is None or figure.period > chosen.period):
            chosen = figure
    return chosen


def _add_centralities(
    nodes: dict[Hashable, dict[str, Scalar]], G: nx.MultiGraph, notes: list[str]
) -> tuple[str, ...]:
    """``score_<measure>`` on every node of `G`; a measure that does not converge is noted."""
    if G.number_of_nodes() == 0:
        return ()
    wanted = [m for m in CENTRALITIES if G.is_directed() or m not in ("in_degree", "out_degree")]
    while wanted:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # engines not installed: networkx is fine here
                frame = centrality(G, wanted)
            break
        except NotConvergedError as error:
            notes.append(f"no score_{error.measure}: {error}")
            wanted.remove(error.measure)
    else:
        return ()
    for node, row in frame.iterrows():
        values = {f"score_{m}": float(v) for m, v in row.items() if pd.notna(v)}
        nodes.setdefault(node, {}).update(values)
    return tuple(wanted)


def _add_pressure(
    nodes: dict[Hashable, dict[str, Scalar]],
    edges: dict[EdgeId, dict[str, Scalar]],
    G: nx.MultiGraph,
    date: PartialDate | None,
    regime: str | None,
    notes: list[str],
) -> None:
    """The ``pressure_*`` columns of every candidate, on its node or its relation's edge."""
    if not isinstance(G, nx.MultiDiGraph):
        notes.append("no pressure scores: the flow analysis needs a directed network")
        return
    try:
        result = pressure_points(G, regime=regime, as_of=date)
    except AnalysisError as error:
        notes.append(f"no pressure scores: {error}")
        return
    relations = {key: (u, v, key) for u, v, key in G.edges(keys=True)}
    for point in result:
        for member in (point.id, *point.equivalent):
            values = _pressure_values(point)
            if member != point.id:
                values["pressure_same_as"] = point.id
            if member in relations:
                edges.setdefault(relations[member], {}).update(values)
            elif member in G:
                nodes.setdefault(member, {}).update(values)


def _pressure_values(point: PressurePoint) -> dict[str, Scalar]:
    """One candidate's score, rank, level and stake, as plain numbers and text."""
    values: dict[str, Scalar] = {
        "pressure_score": float(point.score),
        "pressure_denied_low": float(point.denied.low),
        "pressure_denied_high": float(point.denied.high),
        "pressure_rank": int(point.rank),
        "pressure_level": point.level,
        "pressure_residual": bool(point.residual),
    }
    for name, stake in (("revenue", point.revenue), ("workers", point.workers)):
        values[f"pressure_{name}_low"] = float(stake.low)
        values[f"pressure_{name}_best"] = float(stake.best)
        values[f"pressure_{name}_high"] = float(stake.high)
    return values
