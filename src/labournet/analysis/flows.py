"""The flow model: how workers and revenue move between the regime, hosts, sectors and middlemen.

Pressure-point analysis asks what the regime loses if one part of its network is cut. This module
turns a dataset (or its networkx graph) into *placements*, the units that can be cut, and says
which placement depends on which candidate.

The model
---------
* **Regime**: the entity whose ``role`` is ``regime`` (or the one passed as ``regime=``).
* **Hosts**: targets of the regime's ``sends_workers`` relations, and any other country from which
  a ``remits_to`` route reaches the regime.
* **Workers in a host** ``W[h]``: the ``workers`` figure of ``regime -sends_workers-> h`` (summed if
  there are several); without one, the sum of the host's ``works_in`` workers figures.
* **Sector shares** ``s[h, x]``: each ``h -works_in-> x`` relation is a *slot*; its share of the
  host is its ``workers`` figure divided by the sum of the host's slot figures. A host whose slots
  lack figures splits equally; a host without ``works_in`` has one slot with no sector.
* **Routes**: every simple path of ``remits_to`` relations from a host to the regime (through
  organisations, or other countries, acting as intermediaries). The revenue of a route is the
  ``revenue`` figure on its first relation (what the host sends along it) times, at each
  intermediary, the share of that intermediary's onward ``remits_to`` figures that takes the
  route's next relation (equal shares where an onward relation has no figure). Money sent to a
  dead end never reaches the regime.
* **Placements** ``(host, slot, route)``: revenue ``route_revenue * s[h, x]``; workers
  ``W[h] * s[h, x] * q[h, route]``, where ``q`` is the route's share of the host's revenue (equal
  shares when the host sends nothing). A host with workers but no route gets a route-less
  placement with workers and no revenue.
* **Candidates** are the hosts, sectors and intermediaries on some placement, and the
  ``sends_workers``, ``works_in`` and ``remits_to`` relations they use. A placement *depends on* its
  host, the host's ``sends_workers`` relations, its slot's relation and sector, and every relation
  and intermediary on its route.
* **At stake** for a candidate: the sum over the placements that depend on it. A cut removes every
  placement that depends on a cut candidate, revenue and workers together (a placement stands or
  falls as a whole), and nothing re-routes: money and workers do not move to other routes.
  So revenue through a host is the sum of its remittances, through a sector the revenue of each
  host split by the host's workers in that sector, through an organisation the flows routed
  through it.
* **Ranges**: every quantity is reported as low, best and high. *best* is the model at every
  figure's estimate (its best value, else the middle of its range; a derived figure from its
  inputs' estimates). *low* and *high* are the 5th and 95th percentiles over `INTERVAL_DRAWS`
  joint draws of the figures (seed `INTERVAL_SEED`; `labournet.formulas`): inputs drawn within
  their ranges, derived figures (shares of a total, splits over sectors, residuals, revenue as
  workers x yield) computed in each draw from the drawn inputs. So the parts of one whole add up
  in every draw and a total keeps its sourced range, instead of every figure sitting at its end
  at once. `labournet.analysis.uncertainty` uses the same draws for rank stability.

Every model is built *as of a year* (``as_of``, by default the latest year any figure has): for
each subject and measure the figure of the latest year up to ``as_of`` counts, later ones are left
out (`labournet.dataset.figures_as_of`, the same rule as `Dataset.as_of`). Validation makes sure
a host's workers and revenue figures cover the same years, so one host never combines two.

Example:
    >>> import labournet
    >>> from labournet.analysis.flows import build_flow_model
    >>> model = build_flow_model(labournet.load_dataset("tests/fixtures/mini"))
    >>> model.regime, model.hosts
    ('kp', ('cn',))
    >>> model.totals().revenue.best
    225000000.0
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
from scipy import sparse

from labournet.dataset import Dataset, Figure, figures_as_of
from labournet.errors import AnalysisError
from labournet.formulas import FigureSystem, FormulaError, parse_formula

__all__ = [
    "FlowModel",
    "Range",
    "Totals",
    "build_flow_model",
    "as_flow_model",
    "find_regime",
    "CANDIDATE_TYPES",
    "FLOW_RELATIONS",
    "LEVELS",
    "RESIDUAL_ROLE",
]

FLOW_RELATIONS = ("sends_workers", "works_in", "remits_to")
"""The relation kinds that carry workers and revenue."""

CANDIDATE_TYPES = ("host", "sector", "organisation", "relation")
"""Types of candidate, in the order that picks a group's representative (see `FlowModel`)."""

LEVELS = ("host", "sector", "intermediary", "placement", "route")
"""Levels candidates are ranked within: a sector is never an alternative to the hosts whose
placements it spans, nor a host-sector placement (a ``works_in`` relation) to its host or sector.
``route`` holds the ``sends_workers`` and ``remits_to`` relations."""

RESIDUAL_ROLE = "aggregate"
"""The ``role`` of an entity that stands for what the sources leave unnamed (``other-hosts``,
``other-sectors``): a residual bucket, not a lever anyone can pull."""

INTERVAL = (5, 95)
"""Percentiles of the joint draws that every low and high of an analysis reports."""
INTERVAL_DRAWS = 1000
INTERVAL_SEED = 0
MIN_INTERVAL_DRAWS = 200
INTERVAL_BUDGET = 5e7
"""Values kept for the intervals of one table; on very large networks fewer draws are used."""

Reducer = Callable[[np.ndarray, np.ndarray, np.ndarray], list[np.ndarray]]

MAX_ROUTE_LENGTH = 8
MAX_ROUTES_PER_HOST = 20_000


@dataclass(frozen=True)
class Range:
    """A quantity as low, best and high."""

    low: float
    best: float
    high: float

    @classmethod
    def of(cls, values: Sequence[float] | np.ndarray) -> Range:
        """From values evaluated at (low, best, high): low and high are the min and max."""
        lo, best, hi = (float(v) for v in values)
        return cls(min(lo, best, hi), best, max(lo, best, hi))

    def values(self) -> list[float]:
        """``[low, best, high]``."""
        return [self.low, self.best, self.high]

    def __sub__(self, other: Range) -> Range:
        return Range(self.low - other.low, self.best - other.best, self.high - other.high)


@dataclass(frozen=True)
class Totals:
    """Revenue (USD per year) and workers over a set of placements."""

    revenue: Range
    workers: Range


@dataclass(frozen=True, eq=False)
class FlowModel:
    """Placements, the candidates they depend on, and the figures behind them.

    Build with `build_flow_model`. Arrays are indexed by placement (``p``), candidate (``c``),
    figure (``f``), slot and route. `evaluate` turns figure values into placement revenue and
    workers, vectorised over any number of columns (draws).
    """

    graph: nx.MultiDiGraph = field(repr=False)
    regime: str
    hosts: tuple[str, ...]
    as_of: int
    figures: tuple[Figure, ...] = field(repr=False)
    system: FigureSystem = field(repr=False)  # the figures with their formulas: joint draws
    candidates: tuple[str, ...] = field(repr=False)
    candidate_type: tuple[str, ...] = field(repr=False)
    incidence: sparse.csr_matrix = field(repr=False)  # (n_candidates, n_placements) of 0/1
    placement_host: np.ndarray = field(repr=False)
    placement_slot: np.ndarray = field(repr=False)
    placement_route: np.ndarray = field(repr=False)
    slot_relation: tuple[str | None, ...] = field(repr=False)
    slot_sector: tuple[str | None, ...] = field(repr=False)
    route_relations: tuple[tuple[str, ...], ...] = field(repr=False)
    host_compliance: np.ndarray = field(repr=False)  # figure row per host; -1: none
    substitution: int = field(repr=False)  # figure row of the regime's substitution; -1: none
    assumption_ids: tuple[str, ...] = field(repr=False)
    notes: tuple[str, ...] = ()
    _eval: Mapping[str, Any] = field(default_factory=dict, repr=False)
    _trace: Mapping[str, sparse.csr_matrix] = field(default_factory=dict, repr=False)

    # -- sizes and lookups ------------------------------------------------------------------

    @property
    def n_placements(self) -> int:
        return len(self.placement_host)

    def candidate_index(self) -> dict[str, int]:
        """Candidate id -> row of `incidence`."""
        cached = self.__dict__.get("_candidate_index")
        if cached is None:
            cached = {c: i for i, c in enumerate(self.candidates)}
            object.__setattr__(self, "_candidate_index", cached)
        return cached

    def relations(self) -> dict[str, tuple[str, str, str]]:
        """Relation id -> (source, target, kind) for every edge of the graph."""
        cached = self.__dict__.get("_relations")
        if cached is None:
            cached = {k: (u, v, kind) for u, v, k, kind in self.graph.edges(keys=True, data="kind")}
            object.__setattr__(self, "_relations", cached)
        return cached

    def level(self, candidate: str) -> str:
        """The `LEVELS` entry a candidate is ranked within."""
        kind = self.candidate_type[self.candidate_index()[candidate]]
        if kind in ("host", "sector"):
            return kind
        if kind != "relation":
            return "intermediary"  # an organisation, or a country that passes money on
        return "placement" if self.relations()[candidate][2] == "works_in" else "route"

    def residual(self, candidate: str) -> bool:
        """True for a residual bucket (`RESIDUAL_ROLE`) and for a relation that touches one."""
        ends = self.relations().get(candidate)
        items = ends[:2] if ends is not None else (candidate,)
        return any(self.graph.nodes[item].get("role") == RESIDUAL_ROLE for item in items)

    def placements_of(self, candidate: str) -> np.ndarray:
        """Indices of the placements that depend on `candidate`."""
        row = self.candidate_index()[candidate]
        start, end = self.incidence.indptr[row], self.incidence.indptr[row + 1]
        return self.incidence.indices[start:end]

    def check_candidates(self, ids: Iterable[str]) -> list[str]:
        """The ids as a list; `AnalysisError` naming any that is not a candidate."""
        ids = list(ids)
        index = self.candidate_index()
        for item in ids:
            if item in index:
                continue
            if item == self.regime:
                raise AnalysisError(f"cannot cut '{item}': it is the regime itself")
            if item in self.graph or item in self.relations():
                raise AnalysisError(
                    f"cannot cut '{item}': it is not a host, sector, intermediary or flow "
                    "relation on any route of workers or revenue to the regime"
                )
            raise AnalysisError(f"unknown id '{item}': no entity or relation has this id")
        return ids

    def alive_after(self, cuts: Iterable[str]) -> np.ndarray:
        """Boolean mask of the placements that survive cutting `cuts`."""
        alive = np.ones(self.n_placements, dtype=bool)
        for item in self.check_candidates(cuts):
            alive[self.placements_of(item)] = False
        return alive

    def trace(self, rows: np.ndarray | None = None) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
        """Figures and assumptions behind candidates: two 0/1 matrices.

        ``(n_rows, n_figures)`` and ``(n_rows, n_assumptions)`` for the candidate rows `rows`
        (all by default): every figure the candidate's at-stake numbers are computed from, and
        every assumption those figures, the relations and the entities on its placements rest on.
        """
        incidence = self.incidence if rows is None else self.incidence[rows]
        t = self._trace
        reach = []
        for part, index in (
            ("host", self.placement_host),
            ("slot", self.placement_slot),
            ("route", self.placement_route),
        ):
            n_parts = t[f"{part}_figures"].shape[0]
            onehot = sparse.csr_matrix(
                (np.ones(len(index)), (np.arange(len(index)), index)),
                shape=(len(index), n_parts),
            )
            reach.append(((incidence @ onehot) > 0).astype(np.float64))
        figures = sum(
            r @ t[f"{p}_figures"] for r, p in zip(reach, ("host", "slot", "route"), strict=True)
        )
        assumptions = sum(
            r @ t[f"{p}_assumptions"] for r, p in zip(reach, ("host", "slot", "route"), strict=True)
        )
        return (figures > 0).tocsr(), (assumptions > 0).tocsr()

    # -- evaluation --------------------------------------------------------------------------

    def evaluate(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Placement revenue and workers, each ``(n_placements, n_columns)``.

        ``values`` is ``(n_figures, n_columns)``: one value of every figure per column.
        """
        e = self._eval
        values = np.asarray(values, dtype=float)[: len(self.figures)]  # formula inputs follow
        ncol = values.shape[1]
        padded = np.vstack([values, np.zeros((1, ncol)), np.ones((1, ncol))])  # -1: 0, -2: 1
        # Slot shares within each host.
        slot_value = padded[e["slot_fig"]]
        host_slot_total = e["slot_to_host"] @ slot_value
        total = host_slot_total[e["slot_host"]]
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(total > 0, slot_value / total, e["slot_equal"][:, None])
        # Intermediaries' onward splits.
        split_value = padded[e["split_fig"]]
        group_total = (e["split_to_group"] @ split_value)[e["split_group"]]
        with np.errstate(divide="ignore", invalid="ignore"):
            frac = np.where(
                e["split_equal"][:, None] | (group_total <= 0),
                e["split_even"][:, None],
                split_value / group_total,
            )
        frac = np.vstack([frac, np.ones((1, ncol))])
        route_value = padded[e["route_first_fig"]]
        for column in range(e["route_later"].shape[1]):
            route_value = route_value * frac[e["route_later"][:, column]]
        host_revenue = e["route_to_host"] @ route_value
        hr = host_revenue[e["route_host"]]
        with np.errstate(divide="ignore", invalid="ignore"):
            within = np.where(hr > 0, route_value / hr, e["route_even"][:, None])
        workers_host = e["workers_matrix"] @ values
        slot, route = self.placement_slot, self.placement_route
        revenue = route_value[route] * share[slot]
        workers = workers_host[self.placement_host] * share[slot] * within[route]
        return revenue, workers

    def leverage(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each placement's chance that its host acts, and the share the regime keeps of a loss.

        Returns ``(n_placements, n_columns)`` compliance and ``(n_columns,)`` ``1 - substitution``
        for figure values ``(n_figures, n_columns)``. A host without a ``compliance`` figure
        counts as acting for sure (1), a regime without ``substitution`` as replacing nothing
        (0): the expected loss is then an upper bound, and `notes` say so.
        """
        values = np.asarray(values, dtype=float)
        ncol = values.shape[1]
        rows = self.host_compliance
        per_host = np.where(rows[:, None] >= 0, values[np.maximum(rows, 0)], 1.0)
        compliance = per_host[self.placement_host] if len(rows) else np.ones((0, ncol))
        lost = np.ones(ncol) if self.substitution < 0 else 1.0 - values[self.substitution]
        return compliance, lost

    # -- figure values and joint intervals ---------------------------------------------------

    def estimates(self) -> np.ndarray:
        """Every figure at its estimate, ``(n_figures, 1)``; derived figures from their inputs."""
        cached = self.__dict__.get("_estimates")
        if cached is None:
            cached = self.system.estimates()[:, None]
            object.__setattr__(self, "_estimates", cached)
        return cached

    def draw(
        self, draws: int, rng: np.random.Generator, distribution: str = "triangular"
    ) -> np.ndarray:
        """Joint draws of every figure, ``(n_figures, draws)``: inputs within their ranges,
        derived figures computed from them (`labournet.formulas`), negatives counted as 0."""
        try:
            values = self.system.draw(draws, rng, distribution)
        except ValueError as error:
            raise AnalysisError(str(error)) from None
        return np.maximum(values, 0.0)

    def interval_draws(self) -> np.ndarray:
        """The joint draws behind every interval (`INTERVAL_DRAWS`, seed `INTERVAL_SEED`)."""
        cached = self.__dict__.get("_interval_draws")
        if cached is None:
            cached = self.draw(INTERVAL_DRAWS, np.random.default_rng(INTERVAL_SEED))
            object.__setattr__(self, "_interval_draws", cached)
        return cached

    def ranges(self, reduce: Reducer, n_rows: int) -> list[np.ndarray]:
        """Best estimate and joint interval of quantities computed from placement values.

        ``reduce(revenue, workers, values)`` maps placement revenue and workers
        ``(n_placements, n)`` and the figure values ``(n_figures, n)`` behind them to a list of
        ``(n_rows, n)`` arrays. Returns one ``(n_rows, 3)`` array (low, best, high) per output:
        best at the estimates, low and high the `INTERVAL` percentiles over the joint draws
        (widened to include best). Draws are evaluated in chunks, so memory stays bounded.
        """
        estimates = self.estimates()
        best = [
            np.asarray(x, dtype=float)[:, 0] for x in reduce(*self.evaluate(estimates), estimates)
        ]
        values = self.interval_draws()
        n = values.shape[1]
        if n_rows * len(best) > 0:
            n = max(MIN_INTERVAL_DRAWS, min(n, int(INTERVAL_BUDGET // (n_rows * len(best)))))
        chunk = max(1, min(n, int(8e6 // max(1, self.n_placements))))
        samples = [np.empty((n_rows, n), dtype=np.float32) for _ in best]
        for start in range(0, n, chunk):
            part = values[:, start : start + chunk]
            for sample, out in zip(samples, reduce(*self.evaluate(part), part), strict=True):
                sample[:, start : start + part.shape[1]] = np.asarray(out)
        results = []
        for centre, sample in zip(best, samples, strict=True):
            if n_rows:
                low, high = np.percentile(sample, INTERVAL, axis=1)
            else:
                low = high = np.zeros(0)
            results.append(
                np.column_stack([np.minimum(low, centre), centre, np.maximum(high, centre)])
            )
        return results

    def totals(self, alive: np.ndarray | None = None) -> Totals:
        """Revenue and workers over all placements, or over those where `alive` is true."""
        mask = np.ones(self.n_placements) if alive is None else np.asarray(alive, dtype=float)
        return self.totals_of(mask[None, :])[0]

    def totals_of(self, weights: np.ndarray | sparse.spmatrix) -> list[Totals]:
        """Revenue and workers for each row of `weights` ``(n_rows, n_placements)``: a mask of
        placements, or the fraction of each placement to count."""
        weights = sparse.csr_matrix(weights, dtype=float)

        def sums(revenue: np.ndarray, workers: np.ndarray, _: np.ndarray) -> list[Any]:
            return [weights @ revenue, weights @ workers]

        revenue, workers = self.ranges(sums, weights.shape[0])
        return [
            Totals(Range(*map(float, r)), Range(*map(float, w)))
            for r, w in zip(revenue, workers, strict=True)
        ]


def as_flow_model(
    data: Dataset | nx.MultiDiGraph | FlowModel,
    *,
    regime: str | None = None,
    as_of: int | None = None,
) -> FlowModel:
    """`data` as a `FlowModel`, building it unless it is one already."""
    if isinstance(data, FlowModel):
        if regime is not None and regime != data.regime:
            raise AnalysisError(
                f"the flow model was built for regime '{data.regime}', not '{regime}'"
            )
        if as_of is not None and as_of != data.as_of:
            raise AnalysisError(f"the flow model was built as of {data.as_of}, not {as_of}")
        return data
    return build_flow_model(data, regime=regime, as_of=as_of)


def build_flow_model(
    data: Dataset | nx.MultiDiGraph, *, regime: str | None = None, as_of: int | None = None
) -> FlowModel:
    """Build the placements of a dataset or of a graph made by `Dataset.to_networkx`.

    ``regime`` names the regime's node; by default the one entity whose ``role`` is ``regime``.
    ``as_of`` is the year of the snapshot; by default the latest year of any figure. Raises
    `AnalysisError` when there is no regime, no placement, or no figure up to ``as_of``.
    """
    graph = data.to_networkx() if isinstance(data, Dataset) else data
    if not isinstance(graph, nx.MultiDiGraph):
        raise AnalysisError("pressure-point analysis needs a dataset or its MultiDiGraph")
    regime = find_regime(graph, regime)
    as_of = _snapshot_year(graph, as_of)
    notes: list[str] = []
    by_kind: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for u, v, key, kind in graph.edges(keys=True, data="kind"):
        if kind in FLOW_RELATIONS:
            by_kind[kind].append((u, v, key))
    figure_rows: dict[str, int] = {}
    figures: list[Figure] = []

    def figure_of(attrs: Mapping[str, Any], measure: str) -> int:
        """Row of the figure of `measure` on a node or edge; -1 if none."""
        chosen = _pick_figure(attrs.get("figures", ()), measure, as_of)
        if chosen is None:
            return -1
        if chosen.id not in figure_rows:
            figure_rows[chosen.id] = len(figures)
            figures.append(chosen)
        return figure_rows[chosen.id]

    sends: dict[str, list[str]] = defaultdict(list)
    for u, v, key in by_kind["sends_workers"]:
        if u == regime and v != regime:
            sends[v].append(key)
    works: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for u, v, key in by_kind["works_in"]:
        works[u].append((key, v))
    remits_out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for u, v, key in by_kind["remits_to"]:
        remits_out[u].append((key, v))
    edge_ends = {key: (u, v) for kind in FLOW_RELATIONS for u, v, key in by_kind[kind]}

    hosts = list(sends)
    for node in remits_out:
        if (
            node not in sends
            and node != regime
            and graph.nodes[node].get("kind") == "country"
            and _reaches(remits_out, node, regime)
        ):
            hosts.append(node)
    if not hosts:
        raise AnalysisError(
            f"no placements: the regime '{regime}' sends no workers (sends_workers) and no country "
            "remits to it (remits_to)"
        )
    host_index = {h: i for i, h in enumerate(hosts)}

    # Leverage: each host's chance of acting, the regime's substitution.
    host_compliance = np.array(
        [figure_of(graph.nodes[host], "compliance") for host in hosts], dtype=np.int64
    )
    missing = [host for host, row in zip(hosts, host_compliance, strict=True) if row < 0]
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
    substitution = figure_of(graph.nodes[regime], "substitution")
    if substitution < 0:
        notes.append(
            "no substitution figure on the regime: it replaces none of what it loses, so the "
            "expected losses are upper bounds"
        )

    # Workers per host: sends_workers figures, else the sum of works_in figures.
    w_rows: list[int] = []
    w_cols: list[int] = []
    for h, host in enumerate(hosts):
        rows = [figure_of(graph.edges[regime, host, key], "workers") for key in sends.get(host, ())]
        rows = [r for r in rows if r >= 0]
        if not rows:
            rows = [
                figure_of(graph.edges[host, x, key], "workers") for key, x in works.get(host, ())
            ]
            if rows and min(rows) >= 0:
                notes.append(f"{host}: workers are the sum of its works_in figures")
            else:
                rows = []
                notes.append(f"{host}: no workers figure; its workers count as 0")
        w_rows.extend([h] * len(rows))
        w_cols.extend(rows)

    # Slots: (host, works_in relation, sector).
    slot_host: list[int] = []
    slot_relation: list[str | None] = []
    slot_sector: list[str | None] = []
    slot_fig: list[int] = []
    slot_equal: list[float] = []
    for h, host in enumerate(hosts):
        mine = works.get(host, [])
        if not mine:
            slot_host.append(h)
            slot_relation.append(None)
            slot_sector.append(None)
            slot_fig.append(-2)  # weight 1
            slot_equal.append(1.0)
            continue
        rows = [figure_of(graph.edges[host, x, key], "workers") for key, x in mine]
        if min(rows) < 0:
            notes.append(
                f"{host}: a works_in relation has no workers figure; sectors split equally"
            )
            rows = [-2] * len(rows)
        for (key, sector), row in zip(mine, rows, strict=True):
            slot_host.append(h)
            slot_relation.append(key)
            slot_sector.append(sector)
            slot_fig.append(row)
            slot_equal.append(1.0 / len(mine))

    # Routes: simple remits_to paths from each host to the regime.
    route_host: list[int] = []
    route_relations: list[tuple[str, ...]] = []
    for h, host in enumerate(hosts):
        found = _routes(remits_out, host, regime)
        if not found:
            route_host.append(h)
            route_relations.append(())
            if host in remits_out:
                notes.append(f"{host}: its remittances reach no route to the regime")
        for path in found:
            route_host.append(h)
            route_relations.append(path)
    route_first_fig: list[int] = []
    split_index: dict[str, int] = {}
    split_fig: list[int] = []
    split_group: list[int] = []
    split_even: list[float] = []
    split_equal: list[bool] = []
    groups: dict[str, int] = {}
    longest = max((len(p) for p in route_relations), default=1)
    route_later = np.full((len(route_relations), max(1, longest - 1)), -1, dtype=np.int64)
    for r, path in enumerate(route_relations):
        if not path:
            route_first_fig.append(-1)
            continue
        u, v = edge_ends[path[0]]
        first = figure_of(graph.edges[u, v, path[0]], "revenue")
        if first < 0:
            notes.append(f"{path[0]}: no revenue figure; the route carries no revenue")
        route_first_fig.append(first)
        for position, key in enumerate(path[1:]):
            node = edge_ends[key][0]
            if node not in groups:
                groups[node] = len(groups)
                onward = remits_out[node]
                rows = [figure_of(graph.edges[node, t, k], "revenue") for k, t in onward]
                equal = min(rows) < 0
                if equal and len(onward) > 1:
                    notes.append(f"{node}: an onward remits_to has no revenue figure; equal split")
                for (k, _), row in zip(onward, rows, strict=True):
                    split_index[k] = len(split_fig)
                    split_fig.append(row if row >= 0 else -2)
                    split_group.append(groups[node])
                    split_even.append(1.0 / len(onward))
                    split_equal.append(equal)
            route_later[r, position] = split_index[key]
    route_later[route_later < 0] = len(split_fig)  # the padding row of ones
    n_routes_of = np.bincount(np.asarray(route_host), minlength=len(hosts))

    # Placements: slot x route within each host.
    slots_of: dict[int, list[int]] = defaultdict(list)
    for s, h in enumerate(slot_host):
        slots_of[h].append(s)
    routes_of: dict[int, list[int]] = defaultdict(list)
    for r, h in enumerate(route_host):
        routes_of[h].append(r)
    p_host: list[int] = []
    p_slot: list[int] = []
    p_route: list[int] = []
    for h in range(len(hosts)):
        for s in slots_of[h]:
            for r in routes_of[h]:
                p_host.append(h)
                p_slot.append(s)
                p_route.append(r)
    n_placements = len(p_host)

    # What each placement depends on.
    host_elements = [[host, *sends.get(host, ())] for host in hosts]
    slot_elements = [
        [x for x in (rel, sector) if x is not None]
        for rel, sector in zip(slot_relation, slot_sector, strict=True)
    ]
    route_elements = []
    for path in route_relations:
        items = list(path)
        items.extend(edge_ends[key][1] for key in path[:-1])  # intermediaries
        route_elements.append(items)
    candidates: list[str] = []
    cand_index: dict[str, int] = {}
    rows_i: list[int] = []
    cols_i: list[int] = []
    for p in range(n_placements):
        elements = {
            *host_elements[p_host[p]],
            *slot_elements[p_slot[p]],
            *route_elements[p_route[p]],
        }
        for item in elements:
            if item == regime:
                continue
            c = cand_index.get(item)
            if c is None:
                c = cand_index[item] = len(candidates)
                candidates.append(item)
            rows_i.append(c)
            cols_i.append(p)
    incidence = sparse.csr_matrix(
        (np.ones(len(rows_i), dtype=np.int8), (rows_i, cols_i)),
        shape=(len(candidates), n_placements),
    )
    incidence.sum_duplicates()
    incidence.sort_indices()
    candidate_type = tuple(_candidate_type(graph, c, host_index) for c in candidates)

    # Traceability: the figures and assumptions behind each host, slot and route.
    host_figs: dict[int, list[int]] = defaultdict(list)
    for h, f in zip(w_rows, w_cols, strict=True):
        host_figs[h].append(f)
    for s, h in enumerate(slot_host):
        if slot_fig[s] >= 0:
            host_figs[h].append(slot_fig[s])  # a sector share uses every slot of the host
    group_figs: dict[int, list[int]] = defaultdict(list)
    for g, f in zip(split_group, split_fig, strict=True):
        if f >= 0:
            group_figs[g].append(f)
    split_group_arr = np.asarray(split_group, dtype=np.int64)
    route_figs: list[list[int]] = []
    for r in range(len(route_relations)):
        used = [route_first_fig[r]] if route_first_fig[r] >= 0 else []
        for sidx in route_later[r]:
            if sidx < len(split_fig):
                used.extend(group_figs[split_group[sidx]])
        route_figs.append(used)
    for h in range(len(hosts)):
        # a route's share of its host's workers uses the revenue of every route of the host
        host_figs[h].extend(f for r in routes_of[h] for f in route_figs[r][:1])
        # the expected loss uses the host's compliance and the regime's substitution
        host_figs[h].extend(int(f) for f in (host_compliance[h], substitution) if f >= 0)

    assumption_ids = sorted(graph.graph.get("assumptions", {}))
    a_index = {a: i for i, a in enumerate(assumption_ids)}

    def assumed(attrs: Mapping[str, Any]) -> set[int]:
        return {a_index[a] for a in attrs.get("assumptions", ()) if a in a_index}

    fig_assumed = [{a_index[a] for a in f.assumptions if a in a_index} for f in figures]

    def element_assumed(item: str) -> set[int]:
        if item in edge_ends:
            u, v = edge_ends[item]
            return assumed(graph.edges[u, v, item])
        return assumed(graph.nodes[item]) if item in graph else set()

    def component(elements: list[list[str]], figs: list[list[int]]) -> list[set[int]]:
        out = []
        for items, used in zip(elements, figs, strict=True):
            found: set[int] = set()
            for item in items:
                found |= element_assumed(item)
            for f in used:
                found |= fig_assumed[f]
            out.append(found)
        return out

    slot_figs = [[f] if f >= 0 else [] for f in slot_fig]
    host_assumed = component(host_elements, [host_figs[h] for h in range(len(hosts))])
    slot_assumed = component(slot_elements, slot_figs)
    route_assumed = component(route_elements, route_figs)
    n_a = len(assumption_ids)
    trace = {
        "host_figures": _rows_matrix([host_figs[h] for h in range(len(hosts))], len(figures)),
        "slot_figures": _rows_matrix(slot_figs, len(figures)),
        "route_figures": _rows_matrix(route_figs, len(figures)),
        "host_assumptions": _rows_matrix(host_assumed, n_a),
        "slot_assumptions": _rows_matrix(slot_assumed, n_a),
        "route_assumptions": _rows_matrix(route_assumed, n_a),
    }

    n_fig = len(figures)
    if not n_fig:
        raise AnalysisError(
            f"as of {as_of} no workers or revenue figure applies to the flows; choose a later "
            "--as-of (the figures' years: "
            f"{', '.join(str(y) for y in sorted(_years(graph)))})"
        )

    def fix(rows: list[int]) -> np.ndarray:
        # -1 (no figure) -> row n_fig (zeros); -2 (weight one) -> row n_fig + 1 (ones)
        arr = np.asarray(rows, dtype=np.int64)
        return np.where(arr == -1, n_fig, np.where(arr == -2, n_fig + 1, arr))

    slot_host_arr = np.asarray(slot_host, dtype=np.int64)
    route_host_arr = np.asarray(route_host, dtype=np.int64)
    evaluation = {
        "slot_fig": fix(slot_fig),
        "slot_host": slot_host_arr,
        "slot_equal": np.asarray(slot_equal),
        "slot_to_host": _group_matrix(slot_host_arr, len(hosts)),
        "split_fig": fix(split_fig),
        "split_group": split_group_arr,
        "split_to_group": _group_matrix(split_group_arr, len(groups)),
        "split_even": np.asarray(split_even),
        "split_equal": np.asarray(split_equal, dtype=bool),
        "route_first_fig": fix(route_first_fig),
        "route_later": route_later,
        "route_host": route_host_arr,
        "route_to_host": _group_matrix(route_host_arr, len(hosts)),
        "route_even": 1.0 / n_routes_of[route_host_arr],
        "workers_matrix": sparse.csr_matrix(
            (np.ones(len(w_rows)), (w_rows, w_cols)), shape=(len(hosts), n_fig)
        ),
    }
    system = _figure_system(graph, figures)
    return FlowModel(
        graph=graph,
        regime=regime,
        hosts=tuple(hosts),
        as_of=as_of,
        figures=tuple(figures),
        system=system,
        candidates=tuple(candidates),
        candidate_type=candidate_type,
        incidence=incidence,
        placement_host=np.asarray(p_host, dtype=np.int64),
        placement_slot=np.asarray(p_slot, dtype=np.int64),
        placement_route=np.asarray(p_route, dtype=np.int64),
        slot_relation=tuple(slot_relation),
        slot_sector=tuple(slot_sector),
        route_relations=tuple(route_relations),
        host_compliance=host_compliance,
        substitution=substitution,
        assumption_ids=tuple(assumption_ids),
        notes=tuple(dict.fromkeys(notes)),
        _eval=evaluation,
        _trace=trace,
    )


# -- helpers -----------------------------------------------------------------------------------


def _figure_system(graph: nx.MultiDiGraph, used: list[Figure]) -> FigureSystem:
    """The figures the flows use, appended with every figure their formulas need."""
    everything = {
        figure.id: figure
        for attrs in itertools.chain(
            (a for _, a in graph.nodes(data=True)), (a for *_, a in graph.edges(data=True))
        )
        for figure in attrs.get("figures", ())
    }
    figures = list(used)
    seen = {figure.id for figure in figures}
    pending = [figure for figure in figures if figure.formula]
    while pending:
        figure = pending.pop()
        for ref in parse_formula(figure.formula or "").references:
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


def find_regime(graph: nx.MultiDiGraph, regime: str | None = None) -> str:
    """The regime's node: `regime` if given, else the graph's ``regime`` attribute, else the
    one entity whose ``role`` is ``regime``. Every analysis and view finds it this way.

    `AnalysisError` when the named node is missing, or no (or more than one) entity qualifies.
    """
    if regime is None and graph.graph.get("regime") is not None:
        regime = graph.graph["regime"]
    if regime is not None:
        if regime not in graph:
            raise AnalysisError(f"unknown regime '{regime}': no entity has this id")
        return regime
    found = [node for node, role in graph.nodes(data="role") if role == "regime"]
    if len(found) == 1:
        return str(found[0])
    if not found:
        raise AnalysisError("no entity has role 'regime'; name the regime with regime=ID")
    raise AnalysisError(f"several entities have role 'regime' ({', '.join(found)}); pass regime=ID")


def _years(graph: nx.MultiDiGraph) -> set[int]:
    """The years of every figure on the graph's nodes and edges."""
    attrs = [a for _, a in graph.nodes(data=True)] + [a for *_, a in graph.edges(data=True)]
    return {figure.year for a in attrs for figure in a.get("figures", ())}


def _snapshot_year(graph: nx.MultiDiGraph, as_of: int | None) -> int:
    """`as_of`, checked against the years the figures cover; by default the latest of them."""
    years = _years(graph)
    if not years:
        return int(as_of) if as_of is not None else 0
    if as_of is None:
        return max(years)
    if as_of < min(years):
        raise AnalysisError(
            f"no figure is dated {as_of} or earlier: the figures cover {min(years)}-{max(years)}"
        )
    return int(as_of)


def _pick_figure(figures: Iterable[Figure], measure: str, as_of: int) -> Figure | None:
    """The snapshot rule of `labournet.dataset.figures_as_of`, for one item and measure."""
    return next(iter(figures_as_of([f for f in figures if f.measure == measure], as_of)), None)


def _reaches(out: Mapping[str, list[tuple[str, str]]], start: str, goal: str) -> bool:
    seen, stack = {start}, [start]
    while stack:
        node = stack.pop()
        for _, target in out.get(node, ()):
            if target == goal:
                return True
            if target not in seen:
                seen.add(target)
                stack.append(target)
    return False


def _routes(
    out: Mapping[str, list[tuple[str, str]]], host: str, regime: str
) -> list[tuple[str, ...]]:
    """Every simple remits_to path (as relation ids) from `host` to `regime`."""
    found: list[tuple[str, ...]] = []
    stack: list[tuple[str, tuple[str, ...], frozenset[str]]] = [(host, (), frozenset([host]))]
    while stack:
        node, path, seen = stack.pop()
        if len(path) >= MAX_ROUTE_LENGTH:
            continue
        for key, target in out.get(node, ()):
            if target == regime:
                found.append((*path, key))
                if len(found) > MAX_ROUTES_PER_HOST:
                    raise AnalysisError(
                        f"more than {MAX_ROUTES_PER_HOST} remittance routes from '{host}'; "
                        "the flow model needs a sparser remits_to network"
                    )
            elif target not in seen:
                stack.append((target, (*path, key), seen | {target}))
    found.reverse()
    return found


def _candidate_type(graph: nx.MultiDiGraph, item: str, hosts: Mapping[str, int]) -> str:
    if item in hosts:
        return "host"
    if item in graph:
        kind = graph.nodes[item].get("kind")
        return (
            "sector"
            if kind == "sector"
            else "organisation"
            if kind == "organisation"
            else str(kind)
        )
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
