"""Building the flow model: from a graph to placements, the candidates they depend on, and
the figure each part is evaluated from (`labournet.analysis.flows` documents the model).

`build_parts` runs the stages in order, each a function with one job:

1. `find_regime`, `snapshot_date`: whose network, as of which date (and `snapshot_graph`: the
   nodes and relations in force then);
2. `_flow_edges`, `_find_hosts`: the ``sends_workers``, ``works_in`` and ``remits_to`` relations,
   and the hosts they reach;
3. `_host_figures`: each host's workers and compliance, the regime's substitution;
4. `_slots`: each host's sectors and the figure that weighs each;
5. `_routes`: each remittance route to the regime, its revenue figure and the onward splits at
   each intermediary;
6. `_placements`, `_dependencies`: slot x route within each host, and the candidates each
   placement depends on;
7. `_traceability`: the figures and assumptions behind each host, slot and route.

Where a part may lack a figure, a `FigureRef` says so by name (``present``) and says what stands
in for it (`FigureRef.take`'s default), instead of a sentinel row.
"""

from __future__ import annotations

import datetime
import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
from scipy import sparse

from labournet.errors import AnalysisError
from labournet.io.networkx import snapshot_graph
from labournet.model.dataset import Figure, figures_as_of
from labournet.model.dates import DateLike, PartialDate, as_date
from labournet.model.formulas import FigureSystem, FormulaError, parse_formula
from labournet.names import did_you_mean

__all__ = [
    "FLOW_RELATIONS",
    "FigureRef",
    "Slots",
    "Splits",
    "Routes",
    "Trace",
    "FlowParts",
    "build_parts",
    "find_regime",
    "snapshot_date",
    "MAX_ROUTE_LENGTH",
    "MAX_ROUTES_PER_HOST",
    "MAX_ROUTE_STEPS",
]

FLOW_RELATIONS = ("sends_workers", "works_in", "remits_to")
"""The relation kinds that carry workers and revenue."""

MAX_ROUTE_LENGTH = 8
MAX_ROUTES_PER_HOST = 20_000
MAX_ROUTE_STEPS = 2_000_000
"""Relations the route search may follow from one host before it stops (a dense mesh)."""


@dataclass(frozen=True)
class FigureRef:
    """For each item, the row of the figure that gives its value, where it has one."""

    row: np.ndarray  # int64; meaningful where ``present``
    present: np.ndarray  # bool

    @classmethod
    def of(cls, rows: Sequence[int | None]) -> FigureRef:
        present = np.array([r is not None for r in rows], dtype=bool)
        row = np.array([r if r is not None else 0 for r in rows], dtype=np.int64)
        return cls(row, present)

    def take(self, values: np.ndarray, default: float) -> np.ndarray:
        """``(n_items, n_columns)``: each item's figure value, `default` where it has none."""
        if len(self.row) == 0:
            return np.zeros((0, values.shape[1]))
        return np.where(self.present[:, None], values[self.row], default)

    def rows(self) -> list[int | None]:
        return [int(r) if p else None for r, p in zip(self.row, self.present, strict=True)]


@dataclass(frozen=True)
class Slots:
    """A host's sectors: each ``works_in`` relation of a host (or one slot with no sector)."""

    host: np.ndarray
    relation: tuple[str | None, ...]
    sector: tuple[str | None, ...]
    weight: FigureRef
    """The ``workers`` figure that weighs the slot within its host; without one, weight 1."""
    even: np.ndarray
    """The slot's share when its host's weights sum to zero: one over the host's slots."""
    to_host: sparse.csr_matrix
    """``(n_hosts, n_slots)``: sums slots into their host."""


@dataclass(frozen=True)
class Splits:
    """How each intermediary passes money on: one entry per onward ``remits_to`` relation."""

    group: np.ndarray
    """The intermediary (a group of splits) each entry belongs to."""
    weight: FigureRef
    """The ``revenue`` figure of the onward relation; without one, weight 1."""
    equal: np.ndarray
    """True where the intermediary splits equally (an onward relation lacks a figure)."""
    even: np.ndarray
    """One over the intermediary's onward relations."""
    n_groups: int
    to_group: sparse.csr_matrix
    """``(n_groups, n_splits)``: sums splits into their intermediary."""


@dataclass(frozen=True)
class Routes:
    """Every simple ``remits_to`` path from a host to the regime (a host without one has one
    route with no relations, which carries no revenue)."""

    host: np.ndarray
    relations: tuple[tuple[str, ...], ...]
    revenue: FigureRef
    """The ``revenue`` figure on the route's first relation; without one, the route carries 0."""
    hops: np.ndarray
    """``(n_routes, longest - 1)``: the split taken after each intermediary, where ``hop_used``."""
    hop_used: np.ndarray
    even: np.ndarray
    """One over the host's routes: each route's share of the host's workers if it sends nothing."""
    to_host: sparse.csr_matrix
    """``(n_hosts, n_routes)``: sums routes into their host."""


@dataclass(frozen=True)
class Trace:
    """0/1 matrices: the figures and assumptions behind each host, slot and route."""

    host_figures: sparse.csr_matrix
    slot_figures: sparse.csr_matrix
    route_figures: sparse.csr_matrix
    host_assumptions: sparse.csr_matrix
    slot_assumptions: sparse.csr_matrix
    route_assumptions: sparse.csr_matrix


@dataclass(frozen=True)
class FlowParts:
    """Everything `build_parts` finds; `labournet.analysis.flows.FlowModel` holds it."""

    regime: str
    as_of: PartialDate
    graph: nx.MultiDiGraph
    """The snapshot of the graph as of `as_of`: what the flows were found in."""
    hosts: tuple[str, ...]
    figures: tuple[Figure, ...]
    system: FigureSystem
    host_workers: sparse.csr_matrix
    """``(n_hosts, n_figures)``: the workers figures that add up to each host's workers."""
    compliance: FigureRef
    substitution: FigureRef
    slots: Slots
    splits: Splits
    routes: Routes
    placement_host: np.ndarray
    placement_slot: np.ndarray
    placement_route: np.ndarray
    candidates: tuple[str, ...]
    candidate_type: tuple[str, ...]
    incidence: sparse.csr_matrix
    traced: Trace
    assumption_ids: tuple[str, ...]
    notes: tuple[str, ...]


class _FigureRows:
    """The figures the model uses, each given a row the first time it is asked for."""

    def __init__(self, as_of: PartialDate) -> None:
        self.as_of = as_of
        self.figures: list[Figure] = []
        self.index: dict[str, int] = {}

    def of(self, attrs: Mapping[str, Any], measure: str) -> int | None:
        """Row of the figure of `measure` on a node or edge, as of the year; None if none."""
        chosen = _pick_figure(attrs.get("figures", ()), measure, self.as_of)
        if chosen is None:
            return None
        if chosen.id not in self.index:
            self.index[chosen.id] = len(self.figures)
            self.figures.append(chosen)
        return self.index[chosen.id]


@dataclass(frozen=True)
class _FlowEdges:
    sends: Mapping[str, list[str]]
    works: Mapping[str, list[tuple[str, str]]]
    remits_out: Mapping[str, list[tuple[str, str]]]
    ends: Mapping[str, tuple[str, str]]


def build_parts(graph: nx.MultiDiGraph, regime: str | None, as_of: DateLike | None) -> FlowParts:
    """Run every stage of the build on a graph made by `labournet.to_networkx`, as of a date."""
    every_figure = graph_figures(graph)
    regime = find_regime(graph, regime)
    year = snapshot_date(graph, as_of, figures=every_figure)
    whole, graph = graph, snapshot_graph(graph, year)
    if regime not in graph:
        raise AnalysisError(f"the regime '{regime}' is not in the network as of {year}")
    notes: list[str] = []
    edges = _flow_edges(graph, regime)
    hosts = _find_hosts(graph, regime, edges)
    rows = _FigureRows(year)
    compliance, substitution, workers = _host_figures(graph, regime, hosts, edges, rows, notes)
    slots = _slots(graph, hosts, edges, rows, notes)
    routes, splits = _routes(graph, regime, hosts, edges, rows, notes)
    p_host, p_slot, p_route = _placements(len(hosts), slots, routes)
    elements = _elements(hosts, edges, slots, routes)
    candidates, types, incidence = _dependencies(
        graph, regime, hosts, elements, p_host, p_slot, p_route
    )
    if not rows.figures:
        raise AnalysisError(
            f"as of {year} no workers or revenue figure applies to the flows; choose a later "
            "--as-of (the figures' years: "
            f"{', '.join(str(y) for y in sorted({f.period.year for f in every_figure}))})"
        )
    assumption_ids = tuple(sorted(graph.graph.get("assumptions", {})))
    trace = _traceability(
        graph, hosts, edges, elements, rows.figures, assumption_ids, workers, compliance,
        substitution, slots, routes, splits,
    )  # fmt: skip
    n_fig = len(rows.figures)
    w_hosts, w_rows = zip(*workers, strict=True) if workers else ((), ())
    host_workers = sparse.csr_matrix(
        (np.ones(len(w_rows)), (w_hosts, w_rows)), shape=(len(hosts), n_fig)
    )
    return FlowParts(
        regime=regime,
        as_of=year,
        graph=graph,
        hosts=tuple(hosts),
        figures=tuple(rows.figures),
        system=_figure_system(
            every_figure if graph is whole else graph_figures(graph), rows.figures
        ),
        host_workers=host_workers,
        compliance=compliance,
        substitution=substitution,
        slots=slots,
        splits=splits,
        routes=routes,
        placement_host=p_host,
        placement_slot=p_slot,
        placement_route=p_route,
        candidates=candidates,
        candidate_type=types,
        incidence=incidence,
        traced=trace,
        assumption_ids=assumption_ids,
        notes=tuple(dict.fromkeys(notes)),
    )


# -- stages --------------------------------------------------------------------------------------


def find_regime(graph: nx.MultiDiGraph, regime: str | None = None) -> str:
    """The regime's node: `regime` if given, else the graph's ``regime`` attribute, else the
    one entity whose ``role`` is ``regime``. Every analysis and view finds it this way.

    `AnalysisError` when the named node is missing, or no (or more than one) entity qualifies.
    """
    if regime is None and graph.graph.get("regime") is not None:
        regime = graph.graph["regime"]
    how = "give its id with --regime ID (regime=ID in Python)"
    if regime is not None:
        if regime not in graph:
            hint = did_you_mean(regime, map(str, graph.nodes))
            raise AnalysisError(f"unknown regime '{regime}': no entity has this id{hint}")
        return regime
    found = [node for node, role in graph.nodes(data="role") if role == "regime"]
    if len(found) == 1:
        return str(found[0])
    if not found:
        raise AnalysisError(
            f"no entity has role 'regime': set one entity's role to regime, or {how}"
        )
    raise AnalysisError(f"several entities have role 'regime' ({', '.join(found)}): {how}")


def snapshot_date(
    graph: nx.MultiDiGraph, as_of: DateLike | None, *, figures: Iterable[Figure] | None = None
) -> PartialDate:
    """`as_of` as a date (a year, ``YYYY-MM`` or a day), checked against the periods the
    figures cover; by default the latest of them. `figures`: the graph's, if already found
    (`graph_figures`)."""
    periods = {f.period for f in (graph_figures(graph) if figures is None else figures)}
    if as_of is None:
        return max(periods) if periods else as_date(datetime.date.today())
    try:
        date = as_date(as_of)
    except ValueError as error:
        raise AnalysisError(f"--as-of: {error}") from None
    if periods and date.last_day < min(periods).first_day:
        first, last = min(periods), max(periods)
        raise AnalysisError(
            f"no figure is dated {date} or earlier: the figures cover {first}-{last}"
        )
    return date


def _flow_edges(graph: nx.MultiDiGraph, regime: str) -> _FlowEdges:
    sends: dict[str, list[str]] = defaultdict(list)
    works: dict[str, list[tuple[str, str]]] = defaultdict(list)
    remits_out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    ends: dict[str, tuple[str, str]] = {}
    for u, v, key, kind in graph.edges(keys=True, data="kind"):
        if kind not in FLOW_RELATIONS:
            continue
        ends[key] = (u, v)
        if kind == "sends_workers":
            if u == regime and v != regime:
                sends[v].append(key)
        elif kind == "works_in":
            works[u].append((key, v))
        else:
            remits_out[u].append((key, v))
    return _FlowEdges(sends, works, remits_out, ends)


def _find_hosts(graph: nx.MultiDiGraph, regime: str, edges: _FlowEdges) -> list[str]:
    """Targets of the regime's sends_workers, and countries whose remittances reach it."""
    hosts = list(edges.sends)
    reaching = _reaching(edges.remits_out, regime)
    for node in edges.remits_out:
        if (
            node not in edges.sends
            and node != regime
            and graph.nodes[node].get("kind") == "country"
            and node in reaching
        ):
            hosts.append(node)
    if not hosts:
        raise AnalysisError(
            f"no placements: the regime '{regime}' sends no workers (sends_workers) and no country "
            "remits to it (remits_to)"
        )
    return hosts


def _host_figures(
    graph: nx.MultiDiGraph,
    regime: str,
    hosts: list[str],
    edges: _FlowEdges,
    rows: _FigureRows,
    notes: list[str],
) -> tuple[FigureRef, FigureRef, list[tuple[int, int]]]:
    """Each host's compliance, the regime's substitution, and (host, figure row) pairs whose
    workers figures add up to each host's workers (sends_workers, else the works_in ones)."""
    compliance = [rows.of(graph.nodes[host], "compliance") for host in hosts]
    missing = [host for host, row in zip(hosts, compliance, strict=True) if row is None]
    if missing and len(missing) < len(hosts):
        notes.append(
            f"no compliance figure for {', '.join(missing)}: each counts as acting for sure, so "
            "its expected loss is an upper bound"
        )
    elif missing:
        notes.append(
            "no host has a compliance figure: every host counts as acting for sure, so the "
            "expected losses are upper bounds"
        )
    substitution = rows.of(graph.nodes[regime], "substitution")
    if substitution is None:
        notes.append(
            "no substitution figure on the regime: it replaces none of what it loses, so the "
            "expected losses are upper bounds"
        )
    workers: list[tuple[int, int]] = []
    for h, host in enumerate(hosts):
        found = [rows.of(graph.edges[regime, host, key], "workers") for key in edges.sends[host]]
        sent = [r for r in found if r is not None]
        if not sent:
            in_sectors = [
                rows.of(graph.edges[host, x, key], "workers") for key, x in edges.works[host]
            ]
            if in_sectors and all(r is not None for r in in_sectors):
                sent = [r for r in in_sectors if r is not None]
                notes.append(f"{host}: workers are the sum of its works_in figures")
            else:
                notes.append(f"{host}: no workers figure; its workers count as 0")
        workers.extend((h, r) for r in sent)
    return FigureRef.of(compliance), FigureRef.of([substitution]), workers


def _slots(
    graph: nx.MultiDiGraph,
    hosts: list[str],
    edges: _FlowEdges,
    rows: _FigureRows,
    notes: list[str],
) -> Slots:
    host: list[int] = []
    relation: list[str | None] = []
    sector: list[str | None] = []
    weight: list[int | None] = []
    even: list[float] = []
    for h, name in enumerate(hosts):
        mine = edges.works[name]
        if not mine:
            host.append(h)
            relation.append(None)
            sector.append(None)
            weight.append(None)
            even.append(1.0)
            continue
        found = [rows.of(graph.edges[name, x, key], "workers") for key, x in mine]
        if any(r is None for r in found):
            notes.append(
                f"{name}: a works_in relation has no workers figure; sectors split equally"
            )
            found = [None] * len(found)
        for (key, target), row in zip(mine, found, strict=True):
            host.append(h)
            relation.append(key)
            sector.append(target)
            weight.append(row)
            even.append(1.0 / len(mine))
    host_arr = np.asarray(host, dtype=np.int64)
    return Slots(
        host_arr, tuple(relation), tuple(sector), FigureRef.of(weight), np.asarray(even),
        _group_matrix(host_arr, len(hosts)),
    )  # fmt: skip


def _routes(
    graph: nx.MultiDiGraph,
    regime: str,
    hosts: list[str],
    edges: _FlowEdges,
    rows: _FigureRows,
    notes: list[str],
) -> tuple[Routes, Splits]:
    route_host: list[int] = []
    paths: list[tuple[str, ...]] = []
    reaching = _reaching(edges.remits_out, regime)
    for h, host in enumerate(hosts):
        found = _remittance_paths(edges.remits_out, host, regime, reaching)
        if not found:
            route_host.append(h)
            paths.append(())
            if host in edges.remits_out:
                notes.append(f"{host}: its remittances reach no route to the regime")
        for path in found:
            route_host.append(h)
            paths.append(path)
    revenue: list[int | None] = []
    split_of: dict[str, int] = {}
    split_weight: list[int | None] = []
    split_group: list[int] = []
    split_even: list[float] = []
    split_equal: list[bool] = []
    groups: dict[str, int] = {}
    longest = max((len(p) for p in paths), default=1)
    hops = np.zeros((len(paths), max(1, longest - 1)), dtype=np.int64)
    hop_used = np.zeros(hops.shape, dtype=bool)
    for r, path in enumerate(paths):
        if not path:
            revenue.append(None)
            continue
        u, v = edges.ends[path[0]]
        first = rows.of(graph.edges[u, v, path[0]], "revenue")
        if first is None:
            notes.append(f"{path[0]}: no revenue figure; the route carries no revenue")
        revenue.append(first)
        for position, key in enumerate(path[1:]):
            node = edges.ends[key][0]
            if node not in groups:
                groups[node] = len(groups)
                onward = edges.remits_out[node]
                weights = [rows.of(graph.edges[node, t, k], "revenue") for k, t in onward]
                equal = any(w is None for w in weights)
                if equal and len(onward) > 1:
                    notes.append(f"{node}: an onward remits_to has no revenue figure; equal split")
                for (k, _), row in zip(onward, weights, strict=True):
                    split_of[k] = len(split_weight)
                    split_weight.append(row)
                    split_group.append(groups[node])
                    split_even.append(1.0 / len(onward))
                    split_equal.append(equal)
            hops[r, position] = split_of[key]
            hop_used[r, position] = True
    host_arr = np.asarray(route_host, dtype=np.int64)
    n_routes_of = np.bincount(host_arr, minlength=len(hosts))
    routes = Routes(
        host=host_arr,
        relations=tuple(paths),
        revenue=FigureRef.of(revenue),
        hops=hops,
        hop_used=hop_used,
        even=1.0 / n_routes_of[host_arr],
        to_host=_group_matrix(host_arr, len(hosts)),
    )
    group_arr = np.asarray(split_group, dtype=np.int64)
    splits = Splits(
        group=group_arr,
        weight=FigureRef.of(split_weight),
        equal=np.asarray(split_equal, dtype=bool),
        even=np.asarray(split_even),
        n_groups=len(groups),
        to_group=_group_matrix(group_arr, len(groups)),
    )
    return routes, splits


def _placements(
    n_hosts: int, slots: Slots, routes: Routes
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (host, slot, route) of the same host: placement host, slot and route indices."""
    slots_of: dict[int, list[int]] = defaultdict(list)
    for s, h in enumerate(slots.host):
        slots_of[int(h)].append(s)
    routes_of: dict[int, list[int]] = defaultdict(list)
    for r, h in enumerate(routes.host):
        routes_of[int(h)].append(r)
    found = [(h, s, r) for h in range(n_hosts) for s in slots_of[h] for r in routes_of[h]]
    p_host, p_slot, p_route = (np.array(x, dtype=np.int64) for x in zip(*found, strict=True))
    return p_host, p_slot, p_route


Elements = tuple[list[list[str]], list[list[str]], list[list[str]]]


def _elements(hosts: list[str], edges: _FlowEdges, slots: Slots, routes: Routes) -> Elements:
    """The entities and relations each host, slot and route uses: a host and its sends_workers
    relations; a slot's works_in relation and sector; a route's relations and intermediaries."""
    host_elements = [[host, *edges.sends[host]] for host in hosts]
    slot_elements = [
        [x for x in (rel, sector) if x is not None]
        for rel, sector in zip(slots.relation, slots.sector, strict=True)
    ]
    route_elements = [
        [*path, *(edges.ends[key][1] for key in path[:-1])] for path in routes.relations
    ]
    return host_elements, slot_elements, route_elements


def _dependencies(
    graph: nx.MultiDiGraph,
    regime: str,
    hosts: list[str],
    elements: Elements,
    p_host: np.ndarray,
    p_slot: np.ndarray,
    p_route: np.ndarray,
) -> tuple[tuple[str, ...], tuple[str, ...], sparse.csr_matrix]:
    """The candidates, their types, and which placements depend on which candidate."""
    host_elements, slot_elements, route_elements = elements
    candidates: list[str] = []
    index: dict[str, int] = {}
    rows_i: list[int] = []
    cols_i: list[int] = []
    for p in range(len(p_host)):
        used = dict.fromkeys(  # first seen first: the candidates' order is the same every run
            [*host_elements[p_host[p]], *slot_elements[p_slot[p]], *route_elements[p_route[p]]]
        )
        for item in used:
            if item == regime:
                continue
            c = index.get(item)
            if c is None:
                c = index[item] = len(candidates)
                candidates.append(item)
            rows_i.append(c)
            cols_i.append(p)
    incidence = sparse.csr_matrix(
        (np.ones(len(rows_i), dtype=np.int8), (rows_i, cols_i)),
        shape=(len(candidates), len(p_host)),
    )
    incidence.sum_duplicates()
    incidence.sort_indices()
    host_index = {h: i for i, h in enumerate(hosts)}
    types = tuple(_candidate_type(graph, c, host_index) for c in candidates)
    return tuple(candidates), types, incidence


def _traceability(
    graph: nx.MultiDiGraph,
    hosts: list[str],
    edges: _FlowEdges,
    elements: Elements,
    figures: list[Figure],
    assumption_ids: tuple[str, ...],
    workers: list[tuple[int, int]],
    compliance: FigureRef,
    substitution: FigureRef,
    slots: Slots,
    routes: Routes,
    splits: Splits,
) -> Trace:
    """The figures each host, slot and route is computed from, and the assumptions behind
    them and behind the entities and relations they use."""
    host_figs: dict[int, list[int]] = defaultdict(list)
    for h, f in workers:
        host_figs[h].append(f)
    for h, row in zip(slots.host, slots.weight.rows(), strict=True):
        if row is not None:
            host_figs[int(h)].append(row)  # a sector share uses every slot of the host
    group_figs: dict[int, list[int]] = defaultdict(list)
    for g, row in zip(splits.group, splits.weight.rows(), strict=True):
        if row is not None:
            group_figs[int(g)].append(row)
    route_figs: list[list[int]] = []
    for r, first in enumerate(routes.revenue.rows()):
        used = [first] if first is not None else []
        for split, hop in zip(routes.hops[r], routes.hop_used[r], strict=True):
            if hop:
                used.extend(group_figs[int(splits.group[split])])
        route_figs.append(used)
    leverage = [r for r in substitution.rows() if r is not None]
    for h, row in enumerate(compliance.rows()):
        # a route's share of its host's workers uses the revenue of every route of the host
        host_figs[h].extend(
            route_figs[r][0] for r in np.flatnonzero(routes.host == h) if route_figs[r]
        )
        # the expected loss uses the host's compliance and the regime's substitution
        host_figs[h].extend([row, *leverage] if row is not None else leverage)

    a_index = {a: i for i, a in enumerate(assumption_ids)}

    def assumed(attrs: Mapping[str, Any]) -> set[int]:
        return {a_index[a] for a in attrs.get("assumptions", ()) if a in a_index}

    fig_assumed = [{a_index[a] for a in f.assumptions if a in a_index} for f in figures]

    def element_assumed(item: str) -> set[int]:
        if item in edges.ends:
            u, v = edges.ends[item]
            return assumed(graph.edges[u, v, item])
        return assumed(graph.nodes[item]) if item in graph else set()

    def behind(elements: list[list[str]], figs: list[list[int]]) -> list[set[int]]:
        out = []
        for items, used in zip(elements, figs, strict=True):
            found: set[int] = set()
            for item in items:
                found |= element_assumed(item)
            for f in used:
                found |= fig_assumed[f]
            out.append(found)
        return out

    host_elements, slot_elements, route_elements = elements
    slot_figs = [[row] if row is not None else [] for row in slots.weight.rows()]
    per_host = [host_figs[h] for h in range(len(hosts))]
    n_f, n_a = len(figures), len(assumption_ids)
    return Trace(
        host_figures=_rows_matrix(per_host, n_f),
        slot_figures=_rows_matrix(slot_figs, n_f),
        route_figures=_rows_matrix(route_figs, n_f),
        host_assumptions=_rows_matrix(behind(host_elements, per_host), n_a),
        slot_assumptions=_rows_matrix(behind(slot_elements, slot_figs), n_a),
        route_assumptions=_rows_matrix(behind(route_elements, route_figs), n_a),
    )


# -- helpers -------------------------------------------------------------------------------------


def _figure_system(present: Iterable[Figure], used: list[Figure]) -> FigureSystem:
    """The figures the flows use, appended with every figure their formulas need (from the
    figures `present` on the graph)."""
    everything = {figure.id: figure for figure in present}
    figures = list(used)
    seen = {figure.id for figure in figures}
    pending = [figure for figure in figures if figure.formula]
    while pending:
        figure = pending.pop()
        try:
            references = parse_formula(figure.formula or "").references
        except FormulaError as error:  # a graph file's formulas were never validated
            raise AnalysisError(f"figure {figure.id}: formula: {error}") from None
        for ref in references:
            if ref in seen:
                continue
            if ref not in everything:
                raise AnalysisError(f"figure {figure.id}: its formula uses unknown figure '{ref}'")
            seen.add(ref)
            figures.append(everything[ref])
            if everything[ref].formula:
                pending.append(everything[ref])
    try:
        return FigureSystem.of(figures)
    except FormulaError as error:
        raise AnalysisError(str(error)) from None


def graph_figures(graph: nx.MultiDiGraph) -> list[Figure]:
    """Every figure on the graph's nodes and edges, in one pass; `AnalysisError` where a
    ``figures`` attribute is not a tuple of `Figure` (a network file that was not written by
    labournet, or lost its encoding record, can carry anything under that name)."""
    items = itertools.chain(
        (("node", n, a) for n, a in graph.nodes(data=True)),
        (
            ("edge", key, attrs)
            for _, targets in graph.adjacency()
            for keyed in targets.values()
            for key, attrs in keyed.items()
        ),
    )
    found: list[Figure] = []
    for what, where, attrs in items:
        figures = attrs.get("figures", ())
        if not isinstance(figures, tuple | list) or (
            figures and not all(isinstance(f, Figure) for f in figures)
        ):
            raise AnalysisError(
                f"{what} {where}: its figures are not labournet figures; analyse a dataset folder "
                "or a graph file labournet wrote"
            )
        found.extend(figures)
    return found


def _pick_figure(figures: Iterable[Figure], measure: str, as_of: PartialDate) -> Figure | None:
    """The snapshot rule of `labournet.model.dataset.figures_as_of`, for one item and measure."""
    return next(iter(figures_as_of([f for f in figures if f.measure == measure], as_of)), None)


def _reaching(out: Mapping[str, list[tuple[str, str]]], regime: str) -> set[str]:
    """Every node from which some remits_to path reaches the regime."""
    into: dict[str, list[str]] = defaultdict(list)
    for node, onward in out.items():
        for _, target in onward:
            into[target].append(node)
    seen, stack = {regime}, [regime]
    while stack:
        for source in into.get(stack.pop(), ()):
            if source not in seen:
                seen.add(source)
                stack.append(source)
    return seen


def _remittance_paths(
    out: Mapping[str, list[tuple[str, str]]],
    host: str,
    regime: str,
    reaching: set[str] | None = None,
) -> list[tuple[str, ...]]:
    """Every simple remits_to path (as relation ids) from `host` to `regime`.

    The search enters only nodes from which the regime can be reached (`reaching`), so money
    sent into a dead end costs nothing however it circulates there; and it stops with an
    `AnalysisError` naming the fan-out after `MAX_ROUTES_PER_HOST` routes or `MAX_ROUTE_STEPS`
    steps, so a densely meshed remits_to network fails fast instead of running for hours.
    """
    reaching = _reaching(out, regime) if reaching is None else reaching
    found: list[tuple[str, ...]] = []
    steps = 0
    stack: list[tuple[str, tuple[str, ...], frozenset[str]]] = [(host, (), frozenset([host]))]
    while stack:
        node, path, seen = stack.pop()
        if len(path) >= MAX_ROUTE_LENGTH:
            continue
        for key, target in out.get(node, ()):
            steps += 1
            if target == regime:
                found.append((*path, key))
            elif target not in seen and target in reaching:
                stack.append((target, (*path, key), seen | {target}))
            if len(found) > MAX_ROUTES_PER_HOST or steps > MAX_ROUTE_STEPS:
                raise AnalysisError(_fan_out_message(out, host, reaching, len(found), steps))
    found.reverse()
    return found


def _fan_out_message(
    out: Mapping[str, list[tuple[str, str]]], host: str, reaching: set[str], routes: int, steps: int
) -> str:
    """Why the route search stopped: the intermediaries with the most onward relations."""
    meshed = sorted(
        (node for node in reaching if node in out),
        key=lambda node: (-len(out[node]), node),
    )[:5]
    fan = ", ".join(f"{node} ({len(out[node])} onward)" for node in meshed)
    return (
        f"too many remittance routes from '{host}' (stopped after {routes:,} routes and "
        f"{steps:,} steps; the limits are {MAX_ROUTES_PER_HOST:,} routes of at most "
        f"{MAX_ROUTE_LENGTH} relations): its remits_to relations form a dense mesh, most onward "
        f"relations at {fan}. Merge the intermediaries that pass money among themselves, or "
        "keep only the relations money is known to take"
    )


def _candidate_type(graph: nx.MultiDiGraph, item: str, hosts: Mapping[str, int]) -> str:
    if item in hosts:
        return "host"
    if item in graph:
        kind = graph.nodes[item].get("kind")
        return str(kind)
    return "relation"


def _group_matrix(groups: np.ndarray, n_groups: int) -> sparse.csr_matrix:
    """``(n_groups, len(groups))`` 0/1 matrix that sums members into their group."""
    return sparse.csr_matrix(
        (np.ones(len(groups)), (groups, np.arange(len(groups)))), shape=(n_groups, len(groups))
    )


def _rows_matrix(rows: Sequence[Iterable[int]], n_cols: int) -> sparse.csr_matrix:
    """A 0/1 matrix with a one at (i, j) for every j in rows[i]."""
    indptr = [0]
    indices: list[int] = []
    for row in rows:
        indices.extend(sorted(set(row)))
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float64)
    return sparse.csr_matrix((data, indices, indptr), shape=(len(rows), n_cols))
