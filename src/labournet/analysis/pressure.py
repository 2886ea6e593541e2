"""Pressure points: what is at stake at each candidate, who can reach it, and what the regime
is expected to lose a year if pressure is applied there.

Candidates are the hosts, sectors, intermediaries and flow relations of the flow model
(`labournet.analysis.flows`). For each, `pressure_points` reports:

* **at stake**: the revenue (USD per year) and workers on the placements that depend on it, as
  low / best / high;
* **reach**: the pressuring actors that can reach it: actors with a ``pressures`` relation to one
  of its hosts, and actors that ``takes_measure`` a measure that touches it; and the measures
  that already touch it. A measure touches the placements that match every kind of target it
  names (hosts, sectors, organisations): one that targets Malta and construction touches
  Malta's construction placements only;
* **structure**: ``dependent_hosts``, the number of hosts whose placements *all* depend on it
  (cut it, and the regime loses those hosts entirely);
* **level**: candidates are ranked within their level (`labournet.analysis.flows.LEVELS`: hosts,
  sectors, intermediaries, host-sector placements, routes), never against what contains them;
  ``rank`` is the rank within the level; ``residual`` marks a residual bucket (the unnamed hosts,
  unspecified work), shown but no lever;
* **score**, the decision figure, in US$ a year: the *expected revenue denied* to the regime if
  pressure is applied to the candidate, over a one-year horizon::

      denied = sum over its placements p of
               revenue[p] x reached[p] x compliance[host of p] x (1 - substitution)

  ``reached`` is 1 where an actor can reach the placement (a ``pressures`` relation to its host,
  or a measure someone takes that touches it), else 0: nobody presses there. ``compliance`` is
  the host's chance of acting when pressed and ``substitution`` the share of a loss the regime
  recovers elsewhere; both are figures (``compliance`` on host countries, ``substitution`` on the
  regime), usually assumptions with ranges and reasoning, and the Monte Carlo draws them with
  the other figures. Without them a host counts as acting for sure and the regime as replacing
  nothing, so the figure is an upper bound (the notes say so). ``denied_low`` and
  ``denied_high``, like every low and high, are the 5th and 95th percentiles over the joint
  draws of the figures (`labournet.analysis.flows`, "Ranges"). The breakdown is
  in the columns: ``revenue_best`` at stake, ``reached_share`` of it that actors can reach,
  ``compliance`` (revenue-weighted over the reached placements), ``substitution``. Workers,
  actors and dependent hosts are their own columns, not folded into the score.

Candidates with exactly the same placements (a host with one sector and one route, its
``sends_workers``, ``works_in`` and ``remits_to`` relations) are one row: the first by type
(host, sector, organisation, relation) represents them, and ``equivalent`` lists the others.

Every number is traceable: ``figures`` lists the figures the row is computed from,
``source_groups`` the groups of their sources (`PressureResult.sources_of` lists them) and
``assumptions`` every assumption behind them, including those of the
``pressures``, ``takes_measure`` and ``targets`` relations its reach rests on (``assumed`` is true
when there is at least one).

Example:
    >>> import labournet
    >>> result = labournet.pressure_points(labournet.load_dataset("tests/fixtures/mini"))
    >>> china = result["cn"]
    >>> china.revenue.best, china.workers.best, china.actors, china.rank
    (225000000.0, 37500.0, ('us',), 1)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
from scipy import sparse

from labournet._display import table_html
from labournet._text import plural
from labournet.analysis.flows import (
    CANDIDATE_TYPES,
    LEVELS,
    FlowModel,
    Range,
    Totals,
    as_flow_model,
)
from labournet.analysis.provenance import _structure, _tuples, provenance, sources_in
from labournet.errors import AnalysisError
from labournet.model.dataset import Dataset
from labournet.model.dates import DateLike, PartialDate

__all__ = [
    "pressure_points",
    "PressureResult",
    "PressurePoint",
    "SCORE_FORMULA",
    "FRAME_COLUMNS",
    "Components",
    "components",
    "rank_components",
]

SCORE_FORMULA = (
    "expected revenue denied (USD per year) = sum over the candidate's placements of revenue x "
    "compliance of the placement's host (if an actor can reach it, else 0) x "
    "(1 - the regime's substitution)"
)
"""How ``score`` is computed; stored with every write-back (`labournet db analyse`)."""


PROJECTION = (
    "placements (host, sector slot, remittance route) built from sends_workers, works_in and "
    "remits_to; see labournet.analysis.flows"
)
"""What the pressure analysis is computed on."""


@dataclass(frozen=True)
class PressurePoint:
    """One candidate: what is at stake there, who reaches it, and the revenue denied a year.

    ``revenue``, ``workers`` and ``denied`` are `Range` (best at the estimates, low and high the
    5th and 95th percentiles of the joint draws). ``rank`` is within ``level``. ``figures``
    lists at most the ``trace_limit`` first figure ids; ``n_figures`` counts them all.
    ``source_groups`` names the groups of sources behind the row
    (`labournet.analysis.provenance`); `PressureResult.sources_of` lists its sources.
    """

    id: str
    name: str
    type: str
    kind: str
    level: str
    rank: int
    residual: bool
    revenue: Range
    workers: Range
    denied: Range
    revenue_share: float
    reached_share: float
    compliance: float
    substitution: float
    actors: tuple[str, ...]
    measures: tuple[str, ...]
    dependent_hosts: int
    assumptions: tuple[str, ...]
    figures: tuple[str, ...]
    n_figures: int
    source_groups: tuple[str, ...]
    equivalent: tuple[str, ...]

    @property
    def score(self) -> float:
        """The decision figure: expected revenue denied, US$ a year (``denied.best``)."""
        return self.denied.best

    @property
    def assumed(self) -> bool:
        """True when the row rests on at least one assumption."""
        return bool(self.assumptions)


DISPLAY_COLUMNS = (
    "name", "level", "rank", "denied_best", "revenue_best", "workers_best", "n_actors", "assumed",
)  # fmt: skip
"""The columns a notebook shows (`PressureResult._repr_html_`)."""

DISPLAY_PER_LEVEL = 3
"""How many candidates of each level a notebook shows."""

FRAME_COLUMNS = (
    "name", "type", "kind", "level", "residual", "revenue_low", "revenue_best", "revenue_high",
    "revenue_share", "workers_low", "workers_best", "workers_high", "actors", "n_actors",
    "measures", "dependent_hosts", "reached_share", "compliance", "substitution", "denied_low",
    "denied_best", "denied_high", "score", "rank", "assumed", "assumptions", "figures",
    "n_figures", "source_groups", "equivalent",
)  # fmt: skip
"""The columns of `PressureResult.to_frame`, in order."""


@dataclass(frozen=True, eq=False)
class PressureResult:
    """The ranked pressure points of a network as of a year: level by level, best first.

    Iterate over it for `PressurePoint` records, index it by candidate id, or take
    `to_frame` for pandas. ``totals`` are over what the analysis counts (after any cuts).
    """

    regime: str
    regime_name: str
    as_of: PartialDate
    totals: Totals
    notes: tuple[str, ...]
    points: tuple[PressurePoint, ...]
    formula: str = SCORE_FORMULA
    projection: str = PROJECTION
    network: nx.MultiDiGraph | None = field(default=None, repr=False)
    """The network analysed (the snapshot as of `as_of`), for views of the result."""
    parts: Components | None = field(default=None, repr=False)
    """The components the table was computed from, for the Monte Carlo to reuse."""
    source_groups: Mapping[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    """The sources of each group the points' ``source_groups`` name, by group id."""

    def __len__(self) -> int:
        return len(self.points)

    def __iter__(self) -> Iterator[PressurePoint]:
        return iter(self.points)

    def __contains__(self, candidate: object) -> bool:
        return candidate in self._by_id()

    def __getitem__(self, candidate: str) -> PressurePoint:
        """The point of `candidate`; `KeyError` naming it if it is not a candidate."""
        try:
            return self._by_id()[candidate]
        except KeyError:
            raise KeyError(f"'{candidate}' is not a candidate of this analysis") from None

    def _by_id(self) -> dict[str, PressurePoint]:
        cached = self.__dict__.get("_index")
        if cached is None:
            cached = {p.id: p for p in self.points}
            object.__setattr__(self, "_index", cached)
        return cached

    def sources_of(self, candidate: str) -> tuple[str, ...]:
        """The sources behind a candidate's row, sorted: the union of its source groups.

        >>> import labournet
        >>> result = labournet.pressure_points(labournet.load_dataset())
        >>> result["qa"].source_groups, result.sources_of("qa")
        (('g1', 'g2'), ('s-dcnkhr-estimate', 's-st-2016-09-13'))
        """
        return sources_in(self[candidate].source_groups, self.source_groups)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.points)

    def level(self, level: str) -> tuple[PressurePoint, ...]:
        """The points of one level (`labournet.analysis.flows.LEVELS`), best first."""
        if level not in LEVELS:
            raise AnalysisError(f"unknown level '{level}' (use {', '.join(LEVELS)})")
        return tuple(p for p in self.points if p.level == level)

    def levels(self) -> dict[str, tuple[PressurePoint, ...]]:
        """Every level that has points, in `LEVELS` order."""
        return {name: found for name in LEVELS if (found := self.level(name))}

    def leaders(self, k: int = 1, *, residual: bool = False) -> tuple[PressurePoint, ...]:
        """The first `k` of every level, place by place (every level's first, then every
        level's second, ...), residual buckets left out unless `residual`: the order a view
        that mixes levels shows them in."""
        chosen: list[tuple[int, int, PressurePoint]] = []
        for name, found in self.levels().items():
            kept = [p for p in found if residual or not p.residual][:k]
            chosen.extend((place, LEVELS.index(name), p) for place, p in enumerate(kept))
        return tuple(p for *_, p in sorted(chosen, key=lambda t: (t[0], t[1])))

    def to_frame(self) -> pd.DataFrame:
        """One row per point, indexed by id, in ranking order (`FRAME_COLUMNS`); list fields
        are tuples, ranges are ``*_low``/``*_best``/``*_high`` columns."""
        rows = []
        for p in self.points:
            rows.append(
                {
                    "name": p.name,
                    "type": p.type,
                    "kind": p.kind,
                    "level": p.level,
                    "residual": p.residual,
                    "revenue_low": p.revenue.low,
                    "revenue_best": p.revenue.best,
                    "revenue_high": p.revenue.high,
                    "revenue_share": p.revenue_share,
                    "workers_low": p.workers.low,
                    "workers_best": p.workers.best,
                    "workers_high": p.workers.high,
                    "actors": p.actors,
                    "n_actors": len(p.actors),
                    "measures": p.measures,
                    "dependent_hosts": p.dependent_hosts,
                    "reached_share": p.reached_share,
                    "compliance": p.compliance,
                    "substitution": p.substitution,
                    "denied_low": p.denied.low,
                    "denied_best": p.denied.best,
                    "denied_high": p.denied.high,
                    "score": p.score,
                    "rank": p.rank,
                    "assumed": p.assumed,
                    "assumptions": p.assumptions,
                    "figures": p.figures,
                    "n_figures": p.n_figures,
                    "source_groups": p.source_groups,
                    "equivalent": p.equivalent,
                }  # fmt: skip
            )
        frame = pd.DataFrame(rows, columns=list(FRAME_COLUMNS), index=pd.Index(self.ids, name="id"))
        return frame.astype(
            {"rank": int, "n_actors": int, "dependent_hosts": int, "n_figures": int}
        )

    def summary(self) -> dict[str, object]:
        """The analysis's metadata as plain values (for JSON and write-back)."""
        return {
            "regime": self.regime,
            "as_of": str(self.as_of),
            "formula": self.formula,
            "projection": self.projection,
            "totals": {
                "revenue": self.totals.revenue.values(),
                "workers": self.totals.workers.values(),
            },
            "notes": list(self.notes),
        }

    def _repr_html_(self) -> str:
        """The first `DISPLAY_PER_LEVEL` of each level, their main columns, escaped."""
        frame = self.to_frame()
        shown = frame.groupby("level", sort=False).head(DISPLAY_PER_LEVEL)
        levels = frame["level"].nunique()
        title = (
            f"Pressure points on {self.regime_name} as of {self.as_of}: "
            f"{plural(len(frame), 'candidate')} in {plural(levels, 'level')}, "
            "by expected revenue denied (denied_best, USD a year)"
        )
        return table_html(
            shown[list(DISPLAY_COLUMNS)], title=title, total=len(frame), more="candidates"
        )


@dataclass(frozen=True, eq=False)
class Components:
    """The pieces of a pressure table, before formatting (shared with the Monte Carlo).

    ``rows`` are candidate rows of the flow model (one representative per group of equivalent
    candidates), ``incidence`` their placements (alive only), ``reach`` and ``structure`` the
    constant inputs, ``reached`` which placements an actor can reach (pressure on their host,
    or a measure that touches them), ``levels`` each row's index in `LEVELS` (rows are ranked
    within their level).
    """

    model: FlowModel
    rows: np.ndarray
    levels: np.ndarray
    groups: tuple[tuple[str, ...], ...]
    incidence: sparse.csr_matrix
    actors: tuple[tuple[str, ...], ...]
    measures: tuple[tuple[str, ...], ...]
    reach_assumptions: tuple[tuple[str, ...], ...]
    structure: np.ndarray
    reached: np.ndarray
    weight: np.ndarray

    @property
    def alive(self) -> np.ndarray:
        """The placements that (at least partly) survive the cuts."""
        return self.weight > 0

    def denied(self, revenue: np.ndarray, values: np.ndarray) -> np.ndarray:
        """Expected revenue denied per row, ``(n_rows, n)``, for placement revenue
        ``(n_placements, n)`` and the figure values ``(n_figures, n)`` it was evaluated from."""
        compliance, kept = self.model.leverage(values)
        # revenue x compliance x reached x kept, in place in the compliance array
        compliance *= revenue
        compliance *= (self.reached * self.weight)[:, None]
        compliance *= kept[None, :]
        return np.asarray(self.incidence @ compliance)


def pressure_points(
    data: Dataset | nx.MultiDiGraph | FlowModel,
    *,
    cuts: Iterable[str] = (),
    weight: np.ndarray | None = None,
    regime: str | None = None,
    as_of: DateLike | None = None,
    trace_limit: int | None = 25,
) -> PressureResult:
    """Rank the candidate pressure points of a network, level by level, best first.

    Parameters
    ----------
    data : a `Dataset`, its graph (`labournet.to_networkx`) or a built `FlowModel`.
    cuts : candidates already cut; the table then ranks what remains (see `scenario`).
    weight : per placement, the part of it that remains (see `components`).
    regime : id of the regime; by default the entity whose role is ``regime``.
    as_of : the date of the snapshot (`labournet.Dataset.as_of`); by default the latest period of
        any figure.
    trace_limit : list at most this many figure ids per row (``None``: all); ``n_figures``
        always gives the full count.

    Returns
    -------
    A `PressureResult`: `PressurePoint` records level by level, best first, each with its
    ``revenue``, ``workers`` and ``denied`` ranges (``score`` = ``denied.best``, US$ a year),
    ``rank`` within its level, reach, structure and provenance; the regime, the year
    (``as_of``), the formula, the totals and the flow model's notes. ``to_frame()`` gives the
    same as a pandas DataFrame (`FRAME_COLUMNS`).

    Examples
    --------
    >>> import labournet
    >>> result = labournet.pressure_points(labournet.load_dataset())
    >>> qatar = result["qa"]
    >>> qatar.level, qatar.rank, qatar.score
    ('host', 4, 3000000.0)
    >>> [p.id for p in result.level("host")[:3]]
    ['other-hosts', 'cn', 'ru']
    >>> [p.id for p in result.leaders(1)]
    ['cn', 'construction', 'r-cn-works-garments']
    """
    model = as_flow_model(data, regime=regime, as_of=as_of)
    parts = components(model, cuts=cuts, weight=weight)
    return rank_components(parts, trace_limit=trace_limit)


def components(
    model: FlowModel, *, cuts: Iterable[str] = (), weight: np.ndarray | None = None
) -> Components:
    """Group equivalent candidates and compute reach and structure, after `cuts`.

    ``weight`` (per placement, default 1) scales what each placement carries: 0 where a cut
    removes it, a fraction where a cut takes part of it, more than 1 where a scenario re-routes
    lost placements to it (`labournet.analysis.scenario`).
    """
    weight = (
        np.ones(model.n_placements) if weight is None else np.asarray(weight, dtype=float).copy()
    )
    weight[~model.alive_after(cuts)] = 0.0
    alive = weight > 0
    incidence = model.incidence @ sparse.diags(alive.astype(np.float64))
    incidence = sparse.csr_matrix(incidence)
    incidence.eliminate_zeros()
    live = np.flatnonzero(np.diff(incidence.indptr) > 0)
    priority = {t: i for i, t in enumerate(CANDIDATE_TYPES)}
    by_set: dict[bytes, list[int]] = defaultdict(list)
    for row in live:
        key = incidence.indices[incidence.indptr[row] : incidence.indptr[row + 1]].tobytes()
        by_set[key].append(int(row))
    groups: list[list[int]] = [
        sorted(members, key=lambda r: (priority.get(model.candidate_type[r], 2.5), r))
        for members in by_set.values()
    ]
    groups.sort(key=lambda members: members[0])
    rows = np.array([members[0] for members in groups], dtype=np.int64)
    sub = incidence[rows].astype(np.float64)
    # Hosts of each row, and whether the row holds all of a host's live placements.
    n_hosts = len(model.hosts)
    onehot = sparse.csr_matrix(
        (alive.astype(np.float64), (np.arange(model.n_placements), model.placement_host)),
        shape=(model.n_placements, n_hosts),
    )
    per_host = sparse.csr_matrix(sub @ onehot)
    host_live = np.bincount(model.placement_host[alive], minlength=n_hosts)
    full = per_host.copy()
    full.data = (full.data == host_live[full.indices]).astype(np.float64)
    structure = np.asarray(full.sum(axis=1)).ravel().astype(np.int64)
    actors, measures, reach_assumed, reached = _reach(model, rows, per_host, sub)
    levels = np.array(
        [LEVELS.index(model.level(model.candidates[r])) for r in rows], dtype=np.int64
    )
    return Components(
        model=model,
        rows=rows,
        levels=levels,
        groups=tuple(tuple(model.candidates[r] for r in members) for members in groups),
        incidence=sparse.csr_matrix(sub),
        actors=actors,
        measures=measures,
        reach_assumptions=reach_assumed,
        structure=structure,
        reached=reached,
        weight=weight,
    )


def _reach(
    model: FlowModel, rows: np.ndarray, per_host: sparse.csr_matrix, incidence: sparse.csr_matrix
) -> tuple[Any, Any, Any, np.ndarray]:
    """Actors that can reach each row, the measures that touch it, the assumptions used, and
    which placements some actor reaches (pressure on the host, or a measure someone takes)."""
    pressurers: dict[str, set[str]] = defaultdict(set)
    targets: dict[str, set[str]] = defaultdict(set)
    takers: dict[str, set[str]] = defaultdict(set)
    pressure_assumed: dict[str, set[str]] = defaultdict(set)
    measure_assumed: dict[str, set[str]] = defaultdict(set)
    for key, (u, v, kind) in model.relations().items():
        if kind not in ("pressures", "targets", "takes_measure"):
            continue
        assumed = set(model.graph.edges[u, v, key].get("assumptions", ()))
        if kind == "pressures":
            pressurers[v].add(u)
            pressure_assumed[v] |= assumed
        elif kind == "targets":
            targets[u].add(v)
            measure_assumed[u] |= assumed
        else:
            takers[v].add(u)
            measure_assumed[v] |= assumed
    touch = _measure_placements(model, targets)
    names = sorted(touch)
    hits = _structure(incidence @ _lists_matrix([touch[m] for m in names], model.n_placements).T)
    hosts = _structure(per_host)
    actor_ids = sorted(
        (
            {a for m in names for a in takers.get(m, ())}
            | {a for h in model.hosts for a in pressurers.get(h, ())}
        )
        - {model.regime}
    )
    assumption_ids = sorted(
        {a for m in names for a in measure_assumed.get(m, ())}
        | {a for h in model.hosts for a in pressure_assumed.get(h, ())}
    )
    by_measure = [takers.get(m, set()) for m in names]
    by_host = [pressurers.get(h, set()) for h in model.hosts]
    actors = _structure(
        hits @ _names_matrix(by_measure, actor_ids) + hosts @ _names_matrix(by_host, actor_ids)
    )
    assumed = _structure(
        hits @ _names_matrix([measure_assumed.get(m, set()) for m in names], assumption_ids)
        + hosts
        @ _names_matrix([pressure_assumed.get(h, set()) for h in model.hosts], assumption_ids)
    )
    pressed = np.array([bool(found - {model.regime}) for found in by_host], dtype=bool)
    reached = pressed[model.placement_host] if len(model.hosts) else np.zeros(0, dtype=bool)
    for measure, placements in touch.items():
        if takers.get(measure, set()) - {model.regime}:
            reached[placements] = True
    return (
        _tuples(actors, np.array(actor_ids, dtype=object)),
        _tuples(hits, np.array(names, dtype=object)),
        _tuples(assumed, np.array(assumption_ids, dtype=object)),
        reached,
    )


def _lists_matrix(lists: list[np.ndarray], n_cols: int) -> sparse.csr_matrix:
    """A 0/1 matrix with a one at (i, j) for every j in lists[i]."""
    return sparse.csr_matrix(
        (
            np.ones(sum(len(x) for x in lists)),
            np.concatenate([np.zeros(0, dtype=np.int64), *lists]).astype(np.int64),
            np.cumsum([0, *(len(x) for x in lists)]),
        ),
        shape=(len(lists), n_cols),
    )


def _names_matrix(sets: list[set[str]], names: list[str]) -> sparse.csr_matrix:
    """A 0/1 matrix with a one at (i, j) where names[j] is in sets[i] (others ignored)."""
    index = {name: j for j, name in enumerate(names)}
    return _lists_matrix(
        [np.array(sorted(index[x] for x in found if x in index), dtype=np.int64) for found in sets],
        len(names),
    )


def _measure_placements(model: FlowModel, targets: Mapping[str, set[str]]) -> dict[str, np.ndarray]:
    """Placements each measure touches, sorted.

    A measure touches a placement when the placement matches every kind of target it names: one
    of its target hosts (if it names any), one of its target sectors (if any) and a route through
    one of its target organisations (if any). A measure that targets Malta, construction and
    garments touches Malta's construction and garment placements, not China's garment ones.
    Each measure costs the placements of what it targets, not all placements.
    """
    host_index = {h: i for i, h in enumerate(model.hosts)}
    by_host = _groups(model.placement_host, len(model.hosts))
    sector_names = sorted({s for s in model.slot_sector if s})
    sector_index = {s: i for i, s in enumerate(sector_names)}
    slot_code = np.array([sector_index.get(s or "", -1) for s in model.slot_sector], dtype=np.int64)
    placement_sector = slot_code[model.placement_slot] if len(slot_code) else slot_code
    by_sector = _groups(placement_sector, len(sector_names))
    index = model.candidate_index()
    out: dict[str, np.ndarray] = {}
    for measure, aimed in targets.items():
        hosts = [host_index[x] for x in aimed if x in host_index]
        sectors = [
            x for x in aimed if x not in host_index and model.graph.nodes[x].get("kind") == "sector"
        ]
        others = [x for x in aimed if x not in host_index and x not in sectors and x in index]
        if not (hosts or sectors or others):
            continue
        sets = []
        if hosts:
            sets.append(np.sort(np.concatenate([by_host[h] for h in hosts])))
        if sectors:
            held = [by_sector[sector_index[x]] for x in sectors if x in sector_index]
            sets.append(np.sort(np.concatenate([np.zeros(0, dtype=np.int64), *held])))
        if others:
            sets.append(np.unique(np.concatenate([model.placements_of(x) for x in others])))
        found = sets[0]
        for other in sets[1:]:
            found = np.intersect1d(found, other, assume_unique=True)
        if len(found):
            out[measure] = found.astype(np.int64)
    return out


def _groups(codes: np.ndarray, n_groups: int) -> list[np.ndarray]:
    """For each code 0..n_groups-1, the sorted positions that hold it (negative codes: none)."""
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(n_groups + 1))
    return [order[bounds[g] : bounds[g + 1]] for g in range(n_groups)]


def rank_components(parts: Components, *, trace_limit: int | None = 25) -> PressureResult:
    """The pressure table of computed `components` (`pressure_points` without recomputing
    them, for a caller that shares them with the Monte Carlo and the key players)."""
    model = parts.model
    weight = parts.weight[:, None]
    ids = [model.candidates[r] for r in parts.rows]

    def at_stake(revenue: np.ndarray, workers: np.ndarray, values: np.ndarray) -> list[Any]:
        return [
            parts.incidence @ (revenue * weight),
            parts.incidence @ (workers * weight),
            parts.denied(revenue, values),
        ]

    (rev, wk, denied), totals = model.ranges_and_totals(parts.weight, at_stake, len(ids))
    estimates = model.estimates()
    revenue = model.evaluate(estimates)[0][:, 0]
    total_best = float((revenue * parts.weight).sum())
    compliance, kept = model.leverage(estimates)
    reached = parts.reached * parts.weight
    on_stake = np.asarray(parts.incidence @ (revenue * parts.weight))
    on_reached = np.asarray(parts.incidence @ (revenue * reached))
    weighted_compliance = np.asarray(parts.incidence @ (revenue * reached * compliance[:, 0]))
    with np.errstate(divide="ignore", invalid="ignore"):
        reached_share = np.where(on_stake > 0, on_reached / on_stake, 0.0)
        mean_compliance = np.where(on_reached > 0, weighted_compliance / on_reached, np.nan)
    traced = provenance(model, parts.rows, trace_limit)
    graph = model.graph
    substitution = 1.0 - float(kept[0])
    # the table's order: by level, then denied, revenue and workers at best, each descending;
    # stable, so ties keep the candidates' order
    order = np.lexsort((-wk[:, 1], -rev[:, 1], -denied[:, 1], parts.levels))
    ranked: list[PressurePoint] = []
    seen: dict[str, int] = defaultdict(int)
    for i in order.tolist():
        candidate = ids[i]
        level = LEVELS[parts.levels[i]]
        seen[level] += 1
        if candidate in graph:
            name = str(graph.nodes[candidate].get("name", candidate))
            kind = str(graph.nodes[candidate].get("kind", ""))
        else:
            u, v, kind = model.relations()[candidate]
            name = f"{_name(graph, u)} -> {_name(graph, v)}"
        ranked.append(
            PressurePoint(
                id=candidate,
                name=name,
                type=model.candidate_type[parts.rows[i]],
                kind=kind,
                level=level,
                rank=seen[level],
                residual=model.residual(candidate),
                revenue=Range(*map(float, rev[i])),
                workers=Range(*map(float, wk[i])),
                denied=Range(*map(float, denied[i])),
                revenue_share=float(rev[i, 1] / total_best) if total_best > 0 else 0.0,
                reached_share=float(reached_share[i]),
                compliance=float(mean_compliance[i]),
                substitution=substitution,
                actors=parts.actors[i],
                measures=parts.measures[i],
                dependent_hosts=int(parts.structure[i]),
                assumptions=tuple(sorted({*traced.assumptions[i], *parts.reach_assumptions[i]})),
                figures=traced.figures[i],
                n_figures=int(traced.n_figures[i]),
                source_groups=traced.source_groups[i],
                equivalent=parts.groups[i][1:],
            )
        )
    return PressureResult(
        regime=model.regime,
        regime_name=_name(graph, model.regime),
        as_of=model.as_of,
        totals=totals,
        notes=model.notes,
        points=tuple(ranked),
        network=graph,
        parts=parts,
        source_groups=traced.groups,
    )


def _name(graph: nx.MultiDiGraph, node: Any) -> str:
    return str(graph.nodes[node].get("name", node))
