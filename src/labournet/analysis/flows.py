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
  falls as a whole): what is at stake is what a cut removes before the regime adapts
  (`labournet.analysis.scenario` adds partial cuts and the regime's re-routing). So revenue
  through a host is the sum of its remittances, through a sector the revenue of each host split
  by the host's workers in that sector, through an organisation the flows routed through it.
* **Ranges**: every quantity is reported as low, best and high. *best* is the model at every
  figure's estimate (its best value, else the middle of its range; a derived figure from its
  inputs' estimates). *low* and *high* are the 5th and 95th percentiles over `INTERVAL_DRAWS`
  joint draws of the figures (seed `INTERVAL_SEED`; `labournet.model.formulas`): inputs drawn within
  their ranges, derived figures (shares of a total, splits over sectors, residuals, revenue as
  workers x yield) computed in each draw from the drawn inputs. So the parts of one whole add up
  in every draw and a total keeps its sourced range, instead of every figure sitting at its end
  at once. `labournet.analysis.uncertainty` uses the same draws for rank stability.

Every model is built *as of a date* (``as_of``: a year, a month or a day; by default the latest
period any figure describes): the nodes and relations in force then
(`labournet.io.networkx.snapshot_graph`) and, for each subject and measure, the latest figure up to
``as_of``; later ones are left out (`labournet.model.dataset.figures_as_of`, the same rule as
`Dataset.as_of`, written in `labournet.model.dates`). Validation makes sure a host's workers and
revenue figures cover the same years, so one host never combines two.

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

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, cast

import networkx as nx
import numpy as np
from scipy import sparse

from labournet._threads import Buffers, for_each, shared_chunk
from labournet.analysis.flowbuild import (
    FigureRef,
    Routes,
    Slots,
    Splits,
    Trace,
    build_parts,
)
from labournet.errors import AnalysisError
from labournet.io.networkx import to_networkx
from labournet.model.dataset import Dataset, Figure
from labournet.model.dates import DateLike, PartialDate, as_date
from labournet.model.formulas import FigureSystem
from labournet.names import did_you_mean

__all__ = [
    "unfunded_host_warnings",
    "FlowModel",
    "Range",
    "Totals",
    "build_flow_model",
    "as_flow_model",
    "CANDIDATE_TYPES",
    "LEVELS",
    "RESIDUAL_ROLE",
]

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
CHUNK_VALUES = 8e6
"""Placement values evaluated at once (placements x draws), so memory stays bounded."""
PERCENTILE_VALUES = 2e6
"""Drawn values of an output's rows partitioned at once for its percentiles (rows x draws)."""

Reducer = Callable[[np.ndarray, np.ndarray, np.ndarray], list[np.ndarray]]


@dataclass(frozen=True)
class Range:
    """A quantity as low, best and high."""

    low: float
    best: float
    high: float

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

    regime: str
    as_of: PartialDate
    graph: nx.MultiDiGraph = field(repr=False)
    """The network as of `as_of` (`labournet.io.networkx.snapshot_graph`)."""
    hosts: tuple[str, ...]
    figures: tuple[Figure, ...] = field(repr=False)
    """The figures the flows are evaluated from, as of the year; rows of every value array."""
    system: FigureSystem = field(repr=False)
    """`figures` and, after them, the inputs of their formulas: the joint draws."""
    host_workers: sparse.csr_matrix = field(repr=False)
    compliance: FigureRef = field(repr=False)
    substitution: FigureRef = field(repr=False)
    slots: Slots = field(repr=False)
    splits: Splits = field(repr=False)
    routes: Routes = field(repr=False)
    placement_host: np.ndarray = field(repr=False)
    placement_slot: np.ndarray = field(repr=False)
    placement_route: np.ndarray = field(repr=False)
    candidates: tuple[str, ...] = field(repr=False)
    candidate_type: tuple[str, ...] = field(repr=False)
    incidence: sparse.csr_matrix = field(repr=False)  # (n_candidates, n_placements) of 0/1
    traced: Trace = field(repr=False)
    assumption_ids: tuple[str, ...] = field(repr=False)
    notes: tuple[str, ...] = ()

    @property
    def slot_relation(self) -> tuple[str | None, ...]:
        return self.slots.relation

    @property
    def slot_sector(self) -> tuple[str | None, ...]:
        return self.slots.sector

    @property
    def route_relations(self) -> tuple[tuple[str, ...], ...]:
        return self.routes.relations

    def display_name(self, candidate: str) -> str:
        """What people call a candidate: an entity's name, a relation's ``Source -> Target``."""
        graph = self.graph
        if candidate in graph:
            return str(graph.nodes[candidate].get("name") or candidate)
        ends = self.relations().get(candidate)
        if ends is None:
            return candidate
        u, v = ends[0], ends[1]
        return f"{graph.nodes[u].get('name') or u} -> {graph.nodes[v].get('name') or v}"

    def labelled(self, candidates: Iterable[str]) -> str:
        """``China (cn), Russia (ru)``: names for people, ids for the next command's --cut."""
        return ", ".join(
            name if (name := self.display_name(c)).casefold() == c.casefold() else f"{name} ({c})"
            for c in candidates
        )

    def hosts_without_revenue(self) -> tuple[str, ...]:
        """Hosts with a remittance route to the regime but no revenue figure on any of them:
        the model counts their revenue as 0, so they rank last though they may matter."""
        funded = np.zeros(len(self.hosts), dtype=bool)
        routed = np.zeros(len(self.hosts), dtype=bool)
        for h, path, row in zip(
            self.routes.host, self.routes.relations, self.routes.revenue.rows(), strict=True
        ):
            routed[h] |= bool(path)
            funded[h] |= row is not None
        return tuple(h for h, r, f in zip(self.hosts, routed, funded, strict=True) if r and not f)

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
            cached = {
                key: (u, v, attrs.get("kind"))
                for u, targets in self.graph.adjacency()
                for v, keyed in targets.items()
                for key, attrs in keyed.items()
            }
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
        return not self._residual_nodes().isdisjoint(items)

    def _residual_nodes(self) -> frozenset[str]:
        cached = self.__dict__.get("_residuals")
        if cached is None:
            roles = self.graph.nodes(data="role")
            cached = frozenset(node for node, role in roles if role == RESIDUAL_ROLE)
            object.__setattr__(self, "_residuals", cached)
        return cast(frozenset[str], cached)

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
            hint = did_you_mean(item, [*index, *map(str, self.graph.nodes)])
            raise AnalysisError(f"unknown id '{item}': no entity or relation has this id{hint}")
        return ids

    def alive_after(self, cuts: Iterable[str]) -> np.ndarray:
        """Boolean mask of the placements that survive cutting `cuts`."""
        alive = np.ones(self.n_placements, dtype=bool)
        for item in self.check_candidates(cuts):
            alive[self.placements_of(item)] = False
        return alive

    # -- evaluation --------------------------------------------------------------------------

    def evaluate(
        self, values: np.ndarray, scratch: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Placement revenue and workers, each ``(n_placements, n_columns)``.

        ``values`` is ``(n_figures, n_columns)``: one value of every figure per column (rows
        of `system`; the formula inputs after `figures` are not read here). With ``scratch``
        (`evaluation_scratch` of at least ``n_columns``) the results are written into it: views
        that the next call overwrites, for a caller that evaluates chunk after chunk without
        fresh memory for each.
        """
        values = np.asarray(values, dtype=float)[: len(self.figures)]
        share = self._slot_shares(values)
        route_value = self._route_revenue(values)
        host_revenue = self.routes.to_host @ route_value
        of_host = host_revenue[self.routes.host]
        with np.errstate(divide="ignore", invalid="ignore"):
            within = np.where(of_host > 0, route_value / of_host, self.routes.even[:, None])
        workers_host = self.host_workers @ values
        if scratch is None:
            scratch = self.evaluation_scratch(values.shape[1])
        size = self.n_placements * values.shape[1]
        revenue, workers, factor = (
            row[:size].reshape(self.n_placements, values.shape[1]) for row in scratch
        )
        # the indices are in range: "clip" only spares take the buffering that "raise" does
        slot, route = self.placement_slot, self.placement_route
        route_value.take(route, axis=0, out=revenue, mode="clip")
        share.take(slot, axis=0, out=factor, mode="clip")
        revenue *= factor
        workers_host.take(self.placement_host, axis=0, out=workers, mode="clip")
        workers *= factor
        workers *= within.take(route, axis=0, out=factor, mode="clip")
        return revenue, workers

    def evaluation_scratch(self, n_columns: int) -> np.ndarray:
        """Memory for `evaluate` of up to ``n_columns`` columns: ``(3, n_placements x n)``."""
        return np.empty((3, self.n_placements * n_columns))

    def _slot_shares(self, values: np.ndarray) -> np.ndarray:
        """Each slot's share of its host's workers: its weight over the host's weights."""
        slots = self.slots
        weight = slots.weight.take(values, 1.0)
        total = (slots.to_host @ weight)[slots.host]
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(total > 0, weight / total, slots.even[:, None])

    def _route_revenue(self, values: np.ndarray) -> np.ndarray:
        """Each route's revenue: its first relation's, times the split at every intermediary."""
        splits, routes = self.splits, self.routes
        weight = splits.weight.take(values, 1.0)
        total = (splits.to_group @ weight)[splits.group]
        with np.errstate(divide="ignore", invalid="ignore"):
            fraction = np.where(
                splits.equal[:, None] | (total <= 0), splits.even[:, None], weight / total
            )
        revenue = routes.revenue.take(values, 0.0)
        for hop in range(routes.hops.shape[1]):
            used = routes.hop_used[:, hop]
            if used.any():
                step = np.ones_like(revenue)
                step[used] = fraction[routes.hops[used, hop]]
                revenue = revenue * step
        return revenue

    def leverage(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each placement's chance that its host acts, and the share the regime keeps of a loss.

        Returns ``(n_placements, n_columns)`` compliance and ``(n_columns,)`` ``1 - substitution``
        for figure values ``(n_figures, n_columns)``. A host without a ``compliance`` figure
        counts as acting for sure (1), a regime without ``substitution`` as replacing nothing
        (0): the expected loss is then an upper bound, and `notes` say so.
        """
        values = np.asarray(values, dtype=float)
        compliance = self.compliance.take(values, 1.0)[self.placement_host]
        return compliance, 1.0 - self.substitution.take(values, 0.0)[0]

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
        derived figures computed from them (`labournet.model.formulas`), negatives counted as 0."""
        try:
            values = self.system.draw(draws, rng, distribution)
        except ValueError as error:
            raise AnalysisError(str(error)) from None
        return np.maximum(values, 0.0, out=values)

    def interval_chunks(self, draws: int, chunk: int) -> Iterator[tuple[int, np.ndarray]]:
        """The first `draws` joint draws behind every interval (seed `INTERVAL_SEED`), `chunk`
        at a time: ``(first draw, values)``. Drawn again for each table, chunk by chunk from one
        stream, which gives the values that drawing them all at once would (the stream is
        draw-major) without ever holding them all: at a million entities they would take 4 GB,
        and at 100,000 drawing them in chunks was faster than drawing them once and keeping
        them (the chunks stay in cache)."""
        rng = np.random.default_rng(INTERVAL_SEED)
        for first in range(0, draws, chunk):
            yield first, self.draw(min(chunk, draws - first), rng)

    def ranges(self, reduce: Reducer, n_rows: int) -> list[np.ndarray]:
        """Best estimate and joint interval of quantities computed from placement values.

        ``reduce(revenue, workers, values)`` maps placement revenue and workers
        ``(n_placements, n)`` and the figure values ``(n_figures, n)`` behind them to a list of
        ``(n_rows, n)`` arrays. Returns one ``(n_rows, 3)`` array (low, best, high) per output:
        best at the estimates, low and high the `INTERVAL` percentiles over the joint draws
        (widened to include best). Draws are evaluated in chunks, so memory stays bounded.
        """
        return self.joint_ranges([(reduce, n_rows)])[0]

    def joint_ranges(self, requests: Sequence[tuple[Reducer, int]]) -> list[list[np.ndarray]]:
        """`ranges` of several ``(reduce, n_rows)`` requests in one pass over the draws: each
        draw is evaluated once for all of them, and each request gets the same draws and the
        same values as it would alone (the budget caps each request's draws by its own size)."""
        if not requests:
            return []
        estimates = self.estimates()
        at_best = self.evaluate(estimates)
        best = [
            [np.asarray(x, dtype=float)[:, 0] for x in r(*at_best, estimates)] for r, _ in requests
        ]
        draws = [
            self._interval_count(INTERVAL_DRAWS, n_rows, len(b))
            for (_, n_rows), b in zip(requests, best, strict=True)
        ]
        samples = [
            [np.empty((n_rows, n), dtype=np.float32) for _ in b]
            for (_, n_rows), n, b in zip(requests, draws, best, strict=True)
        ]
        n_max = max(draws, default=0)
        whole_chunk = max(1, min(n_max, int(CHUNK_VALUES // max(1, self.n_placements))))
        chunk, threads = shared_chunk(n_max, whole_chunk)
        scratches = Buffers(lambda: self.evaluation_scratch(chunk), threads)

        def evaluate_chunk(item: tuple[int, np.ndarray]) -> None:
            start, part = item
            with scratches.lent() as scratch:
                revenue, workers = self.evaluate(part, scratch)
                for (reduce, _), n, outs in zip(requests, draws, samples, strict=True):
                    if start >= n:
                        continue
                    width = min(n, start + part.shape[1]) - start
                    cut = part.shape[1] > width
                    sliced = (
                        (revenue[:, :width], workers[:, :width], part[:, :width])
                        if cut
                        else (revenue, workers, part)
                    )
                    for out, found in zip(outs, reduce(*sliced), strict=True):
                        out[:, start : start + width] = np.asarray(found)

        for_each(evaluate_chunk, self.interval_chunks(n_max, chunk), workers=threads)
        return [
            [_interval(centre, sample) for centre, sample in zip(b, outs, strict=True)]
            for b, outs in zip(best, samples, strict=True)
        ]

    def _interval_count(self, available: int, n_rows: int, n_outputs: int) -> int:
        """Draws behind a request's intervals: all of them, unless its rows x outputs would
        pass `INTERVAL_BUDGET` values (then fewer, but never under `MIN_INTERVAL_DRAWS`)."""
        if n_rows * n_outputs == 0:
            return available
        return max(MIN_INTERVAL_DRAWS, min(available, int(INTERVAL_BUDGET // (n_rows * n_outputs))))

    def totals(self, alive: np.ndarray | None = None) -> Totals:
        """Revenue and workers over all placements, or over those where `alive` is true (or
        the part of each placement that `alive` gives); the whole network's once per model."""
        return self.ranges_and_totals(alive, None, 0)[1]

    def ranges_and_totals(
        self, alive: np.ndarray | None, reduce: Reducer | None, n_rows: int
    ) -> tuple[list[np.ndarray], Totals]:
        """`ranges` of ``reduce`` (none without it) and `totals` of ``alive``, in one pass over
        the draws, with the values each would give alone."""
        whole = alive is None or bool(np.all(np.asarray(alive) == 1))
        requests = [] if reduce is None else [(reduce, n_rows)]
        cached = self.__dict__.get("_totals") if whole else None
        if cached is not None:
            found = self.joint_ranges(requests)
            return (found[0] if found else []), cast(Totals, cached)
        mask = np.ones(self.n_placements) if alive is None else np.asarray(alive, dtype=float)
        weights = sparse.csr_matrix(mask[None, :], dtype=float)
        *found, sums = self.joint_ranges([*requests, (_sums(weights), 1)])
        total = _as_totals(*sums)[0]
        if whole:
            object.__setattr__(self, "_totals", total)
        return (found[0] if found else []), total

    def totals_of(self, weights: np.ndarray | sparse.spmatrix) -> list[Totals]:
        """Revenue and workers for each row of `weights` ``(n_rows, n_placements)``: a mask of
        placements, or the fraction of each placement to count."""
        weights = sparse.csr_matrix(weights, dtype=float)
        return _as_totals(*self.ranges(_sums(weights), weights.shape[0]))


def _sums(weights: sparse.csr_matrix) -> Reducer:
    """The reducer of placement revenue and workers to their sums under each row of weights."""

    def sums(revenue: np.ndarray, workers: np.ndarray, _: np.ndarray) -> list[Any]:
        return [weights @ revenue, weights @ workers]

    return sums


def _as_totals(revenue: np.ndarray, workers: np.ndarray) -> list[Totals]:
    """`Totals` per row of the ``(n_rows, 3)`` revenue and workers ranges."""
    return [
        Totals(Range(*map(float, r)), Range(*map(float, w)))
        for r, w in zip(revenue, workers, strict=True)
    ]


def _interval(centre: np.ndarray, sample: np.ndarray) -> np.ndarray:
    """``(n_rows, 3)`` low, best, high: the `INTERVAL` percentiles of ``sample``
    ``(n_rows, n)``, widened to include ``centre``; ``sample`` is reordered in place (the
    percentiles partition it rather than a copy)."""
    low, high = np.zeros((2, len(centre)))
    step = max(1, int(PERCENTILE_VALUES // max(1, sample.shape[1])))

    def percentiles(start: int) -> None:
        block = slice(start, start + step)
        low[block], high[block] = np.percentile(
            sample[block], INTERVAL, axis=1, overwrite_input=True
        )

    for_each(percentiles, range(0, len(centre), step))  # per row: the same values
    return np.column_stack([np.minimum(low, centre), centre, np.maximum(high, centre)])


def as_flow_model(
    data: Dataset | nx.MultiDiGraph | FlowModel,
    *,
    regime: str | None = None,
    as_of: DateLike | None = None,
) -> FlowModel:
    """`data` as a `FlowModel`, building it unless it is one already."""
    if isinstance(data, FlowModel):
        if regime is not None and regime != data.regime:
            raise AnalysisError(
                f"the flow model was built for regime '{data.regime}', not '{regime}'"
            )
        if as_of is not None and _same_date(as_of) != data.as_of:
            raise AnalysisError(f"the flow model was built as of {data.as_of}, not {as_of}")
        return data
    return build_flow_model(data, regime=regime, as_of=as_of)


def build_flow_model(
    data: Dataset | nx.MultiDiGraph, *, regime: str | None = None, as_of: DateLike | None = None
) -> FlowModel:
    """Build the placements of a dataset or of a graph made by `labournet.to_networkx`.

    ``regime`` names the regime's node; by default the one entity whose ``role`` is ``regime``
    (`find_regime`). ``as_of`` is the date of the snapshot (a year, ``YYYY-MM`` or a day;
    `labournet.model.dates` gives the rule); by default the latest period of any figure.
    Raises `AnalysisError` when there is no regime, no placement, or no figure up to
    ``as_of``. The stages of the build are in `labournet.analysis.flowbuild`.
    """
    graph = to_networkx(data) if isinstance(data, Dataset) else data
    if not isinstance(graph, nx.MultiDiGraph):
        raise AnalysisError("pressure-point analysis needs a dataset or its MultiDiGraph")
    parts = build_parts(graph, regime, as_of)
    return FlowModel(**{f.name: getattr(parts, f.name) for f in fields(parts)})


def _same_date(as_of: DateLike) -> PartialDate | None:
    try:
        return as_date(as_of)
    except ValueError as error:
        raise AnalysisError(f"as_of: {error}") from None


def unfunded_host_warnings(model: FlowModel) -> list[tuple[str, str]]:
    """``(host, sentence)`` for each of `FlowModel.hosts_without_revenue`, for people to read."""
    out = []
    for host in model.hosts_without_revenue():
        name = model.graph.nodes[host].get("name") or host
        out.append((
            host,
            f"{name} ({host}) has a route to the regime but no revenue figure as of "
            f"{model.as_of}: it counts as US$0 and ranks last; add a revenue figure on its "
            "remits_to relation",
        ))  # fmt: skip
    return out
