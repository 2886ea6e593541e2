"""Key players: the set of k cuts that takes the most revenue, against naive centrality picks.

`key_players` finds the k candidates whose joint cut removes the most best-estimate revenue (a
weighted maximum-coverage problem over placements, see `labournet.analysis.flows`):

* **exact** when the number of k-subsets of the useful candidates is at most ``exact_limit``
  (default 200,000): candidates whose placements are a subset of another candidate's are dropped
  first (this cannot change the optimum), then every k-subset is evaluated with numpy;
* **greedy** otherwise: repeatedly add the candidate with the largest marginal revenue. For
  maximum coverage greedy is guaranteed to reach at least 1 - 1/e (63 %) of the optimum.

The result says which method was used. Next to it, for each centrality measure, it takes the k
nodes (other than the regime) that the measure ranks highest, cuts them, and reports the
revenue that naive choice removes and how far it falls short of the best set.

It also reports structural cuts of the flow graph (``sends_workers``, ``works_in`` and
``remits_to`` relations): the articulation points of its undirected version (other than the
regime) and a minimum node cut between the hosts and the regime in the ``remits_to`` graph (the
fewest entities whose removal disconnects every host's remittances; hosts themselves count when
they remit directly).

Example:
    >>> import labournet
    >>> result = labournet.key_players(labournet.load_dataset(), 2)
    >>> result.method, result.cuts
    ('exact', ('cn', 'ru'))
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import combinations

import networkx as nx
import numpy as np
import pandas as pd
from scipy import sparse

from labournet._display import table_html
from labournet._number import format_quantity
from labournet.analysis.flowbuild import FLOW_RELATIONS
from labournet.analysis.flows import FlowModel, Range, as_flow_model
from labournet.analysis.pressure import components
from labournet.errors import AnalysisError
from labournet.model.dataset import Dataset
from labournet.model.dates import DateLike

__all__ = [
    "key_players",
    "flow_network",
    "KeyPlayersResult",
    "StructuralCuts",
    "NAIVE_MEASURES",
]

NAIVE_MEASURES = ("degree", "betweenness", "pagerank")
"""Centralities compared by default; any column of `labournet.analysis.centrality` works."""

DISPLAY_COLUMNS = ("picks", "revenue_best", "workers_best", "shortfall_best")
"""The columns of ``naive`` a notebook shows (`KeyPlayersResult._repr_html_`)."""

LARGE_GRAPH = 5_000
"""Above this many nodes, betweenness for the naive picks is estimated from k-sampled sources."""

BETWEENNESS_SAMPLES = 64


@dataclass(frozen=True)
class StructuralCuts:
    """Cuts read off the shape of the flow graph, whatever the figures say."""

    articulation_points: tuple[str, ...]
    min_node_cut: tuple[str, ...]
    min_node_cut_revenue: Range


@dataclass(frozen=True, eq=False)
class KeyPlayersResult:
    """The best k cuts, the naive picks by centrality and the structural cuts.

    ``k`` is the size of the set found, ``requested`` the size asked for; when fewer cuts are
    possible than asked, ``fewer`` says why (e.g. only 8 candidates carry revenue that can be cut).
    """

    k: int
    method: str
    cuts: tuple[str, ...]
    revenue: Range
    workers: Range
    revenue_share: float
    naive: pd.DataFrame = field(repr=False)
    structural: StructuralCuts | None = None
    notes: tuple[str, ...] = ()
    requested: int | None = None
    fewer: str | None = None

    def to_frame(self) -> pd.DataFrame:
        """The best set against the naive picks, one row per method (``naive``, a copy)."""
        return self.naive.copy()

    def _repr_html_(self) -> str:
        """The best set and the naive picks as a table, escaped, with the notes."""
        title = (
            f"Key players: the best {self.k} cuts ({self.method}) are {', '.join(self.cuts)}, "
            f"{format_quantity(self.revenue.best)} USD a year ({self.revenue_share:.0%} of the "
            "revenue), against the top picks by centrality"
        )
        columns = [c for c in DISPLAY_COLUMNS if c in self.naive.columns]
        notes = list(self.notes)
        if self.structural is not None and self.structural.min_node_cut:
            notes.append(f"minimum node cut: {', '.join(self.structural.min_node_cut)}")
        return table_html(self.naive[columns], title=title, notes=notes)

    def to_dict(self) -> dict[str, object]:
        """A JSON-friendly summary."""
        out: dict[str, object] = {
            "k": self.k,
            "requested": self.requested if self.requested is not None else self.k,
            "fewer": self.fewer,
            "method": self.method,
            "cuts": list(self.cuts),
            "revenue": vars(self.revenue),
            "workers": vars(self.workers),
            "revenue_share": self.revenue_share,
            "naive": self.naive.reset_index().to_dict(orient="records"),
            "notes": list(self.notes),
        }
        if self.structural is not None:
            out["structural"] = {
                "articulation_points": list(self.structural.articulation_points),
                "min_node_cut": list(self.structural.min_node_cut),
                "min_node_cut_revenue": vars(self.structural.min_node_cut_revenue),
            }
        return out


def key_players(
    data: Dataset | nx.MultiDiGraph | FlowModel,
    k: int = 3,
    *,
    method: str = "auto",
    measures: Sequence[str] = NAIVE_MEASURES,
    exact_limit: int = 200_000,
    structural: bool = True,
    regime: str | None = None,
    as_of: DateLike | None = None,
    seed: int | None = 0,
    residual: bool = False,
) -> KeyPlayersResult:
    """The `k` cuts that remove the most best-estimate revenue, with naive and structural cuts.

    ``method`` is ``"auto"`` (exact where at most `exact_limit` subsets, else greedy),
    ``"exact"`` or ``"greedy"``. ``measures`` are the centralities for the naive picks (empty for
    none), taken on the flow network (the regime, hosts, sectors and intermediaries joined by
    ``sends_workers``, ``works_in`` and ``remits_to``), not on the pressuring actors. ``seed``
    seeds sampled betweenness on large graphs. Residual buckets (`FlowModel.residual`: the
    unnamed hosts, unspecified work) are no lever and are left out of both the best set and the
    naive picks unless ``residual=True``.

    Examples
    --------
    >>> import labournet
    >>> result = labournet.key_players(labournet.load_dataset("tests/fixtures/mini"), 1)
    >>> result.cuts, result.revenue.best
    (('cn',), 225000000.0)
    """
    if not isinstance(k, int | np.integer) or k < 1:
        raise AnalysisError(f"k must be a whole number >= 1, not {k!r}")
    if method not in ("auto", "exact", "greedy"):
        raise AnalysisError(f"unknown method '{method}' (use auto, exact or greedy)")
    model = as_flow_model(data, regime=regime, as_of=as_of)
    parts = components(model)
    revenue, workers = (x[:, 0] for x in model.evaluate(model.estimates()))
    best = revenue
    ids = [model.candidates[r] for r in parts.rows]
    matrix = parts.incidence.tocsr()
    gain = np.asarray(matrix @ best).ravel()
    allowed = np.array([residual or not model.residual(c) for c in ids], dtype=bool)
    useful = np.flatnonzero((gain > 0) & allowed)
    notes: list[str] = []
    if not residual and not allowed.all():
        left_out = sorted(c for c, ok in zip(ids, allowed, strict=True) if not ok)
        notes.append(f"residual buckets left out as cuts: {', '.join(left_out)}")
    if len(useful) == 0:
        raise AnalysisError("no candidate carries any revenue: nothing to cut")
    pool = useful
    if len(pool) <= 3000:
        pool = _undominated(matrix, pool, gain)
    k_eff = min(k, len(pool))
    subsets = math.comb(len(pool), k_eff)
    chosen_method = method
    if method == "auto":
        chosen_method = "exact" if subsets <= exact_limit else "greedy"
    if chosen_method == "exact":
        if subsets > max(exact_limit, 5_000_000):
            raise AnalysisError(
                f"exact search would evaluate {subsets:,} sets of {k_eff}; use method='greedy'"
            )
        picked = _exact(matrix, pool, best, k_eff)
    else:
        picked = _greedy(matrix, useful, best, k_eff)
    cuts = tuple(ids[i] for i in picked)
    fewer = None
    if len(cuts) < k:
        fewer = _why_fewer(k, len(cuts), len(pool), len(useful), residual or bool(allowed.all()))
        notes.append(fewer)
    covered = _covered(matrix, picked)
    total = revenue.sum()
    naive = _naive(model, measures, cuts, covered, workers, k, seed, notes, residual)
    removed = model.totals(covered)
    return KeyPlayersResult(
        k=len(cuts),
        requested=int(k),
        fewer=fewer,
        method=chosen_method,
        cuts=cuts,
        revenue=removed.revenue,
        workers=removed.workers,
        revenue_share=float(best[covered].sum() / total) if total else 0.0,
        naive=naive,
        structural=structural_cuts(model) if structural else None,
        notes=tuple(notes),
    )


def _why_fewer(k: int, found: int, pool: int, useful: int, with_residual: bool) -> str:
    """Why the best set has fewer cuts than the `k` asked for, in words."""
    carrying = "carry revenue" if with_residual else "carry revenue and are no residual bucket"
    if found < pool:
        return (
            f"asked for {k} cuts; after {found} nothing is left to remove, so the best set "
            f"has {found}"
        )
    if pool < useful:
        return (
            f"asked for {k} cuts; only {pool} candidates add revenue that can be cut (of the "
            f"{useful} that {carrying}, the others' placements lie within theirs), so the best "
            f"set has {found}"
        )
    return f"asked for {k} cuts; only {pool} candidates {carrying}, so the best set has {found}"


def _covered(matrix: sparse.csr_matrix, rows: Sequence[int]) -> np.ndarray:
    mask = np.zeros(matrix.shape[1], dtype=bool)
    for r in rows:
        mask[matrix.indices[matrix.indptr[r] : matrix.indptr[r + 1]]] = True
    return mask


def _undominated(matrix: sparse.csr_matrix, pool: np.ndarray, gain: np.ndarray) -> np.ndarray:
    """Drop candidates whose placements are a subset of another's (ties keep the first)."""
    sub = matrix[pool].astype(np.float64)
    sizes = np.asarray(sub.sum(axis=1)).ravel()
    overlap = (sub @ sub.T).toarray()
    keep = []
    for i in range(len(pool)):
        contains_i = np.flatnonzero(overlap[:, i] >= sizes[i])  # j whose set contains i's
        dominated = any(
            j != i and (sizes[j] > sizes[i] or (sizes[j] == sizes[i] and j < i)) for j in contains_i
        )
        if not dominated:
            keep.append(pool[i])
    return np.asarray(keep, dtype=np.int64)


def _exact(matrix: sparse.csr_matrix, pool: np.ndarray, best: np.ndarray, k: int) -> list[int]:
    dense = matrix[pool].toarray().astype(bool)
    top_value, top_combo = -1.0, None
    combos = combinations(range(len(pool)), k)
    while True:
        chunk = np.array(list(_take(combos, 20_000)), dtype=np.int64).reshape(-1, k)
        if len(chunk) == 0:
            break
        covered = np.zeros((len(chunk), dense.shape[1]), dtype=bool)
        for j in range(k):
            covered |= dense[chunk[:, j]]
        values = covered @ best
        i = int(np.argmax(values))
        if values[i] > top_value + 1e-9:
            top_value, top_combo = float(values[i]), chunk[i]
    if top_combo is None:
        return []
    return [int(pool[i]) for i in top_combo]


def _take(iterator: Iterator[tuple[int, ...]], n: int) -> Iterator[tuple[int, ...]]:
    for _, item in zip(range(n), iterator, strict=False):
        yield item


def _greedy(matrix: sparse.csr_matrix, pool: np.ndarray, best: np.ndarray, k: int) -> list[int]:
    remaining = best.copy()
    sub = matrix[pool].astype(np.float64)
    picked: list[int] = []
    for _ in range(k):
        gains = np.asarray(sub @ remaining).ravel()
        i = int(np.argmax(gains))
        if gains[i] <= 0:
            break
        row = int(pool[i])
        picked.append(row)
        remaining[matrix.indices[matrix.indptr[row] : matrix.indptr[row + 1]]] = 0.0
    return picked


def _naive(
    model: FlowModel,
    measures: Sequence[str],
    cuts: tuple[str, ...],
    covered: np.ndarray,
    workers: np.ndarray,
    k: int,
    seed: int | None,
    notes: list[str],
    residual: bool,
) -> pd.DataFrame:
    rows: list[dict[str, object]] = [
        {"measure": "key players (this analysis)", "picks": ";".join(cuts)}
    ]
    masks = [covered]
    counts = [len(cuts)]
    if measures:
        scores = _centralities(flow_network(model), list(measures), seed, notes)
        index = model.candidate_index()
        for measure in measures:
            ranked = scores[measure].drop(index=model.regime, errors="ignore")
            if not residual:
                ranked = ranked[[not model.residual(n) for n in ranked.index]]
            order = sorted(ranked.index, key=lambda n: (-ranked[n], str(n)))[:k]
            hit = [n for n in order if n in index]
            masks.append(_covered(model.incidence, [index[n] for n in hit]))
            counts.append(len(hit))
            rows.append({"measure": measure, "picks": ";".join(map(str, order))})
    totals = model.totals_of(np.vstack(masks).astype(float))
    best_value = totals[0].revenue.best
    for row, mask, count, total in zip(rows, masks, counts, totals, strict=True):
        row.update(
            cut_candidates=count,
            revenue_low=total.revenue.low,
            revenue_best=total.revenue.best,
            revenue_high=total.revenue.high,
            workers_best=float(workers[mask].sum()),
            shortfall_best=best_value - total.revenue.best,
        )
    return pd.DataFrame(rows).set_index("measure")


def flow_network(model: FlowModel) -> nx.MultiDiGraph:
    """The graph of the flows alone: ``sends_workers``, ``works_in`` and ``remits_to`` relations
    and the entities they join (the regime, hosts, sectors, intermediaries)."""
    keep = [
        (u, v, key) for key, (u, v, kind) in model.relations().items() if kind in FLOW_RELATIONS
    ]
    return model.graph.edge_subgraph(keep)


def _centralities(
    graph: nx.MultiDiGraph, measures: list[str], seed: int | None, notes: list[str]
) -> pd.DataFrame:
    """Node centralities for the naive picks; on large graphs betweenness is sampled (noted)."""
    from labournet.analysis.centrality import centrality

    large = graph.number_of_nodes() > LARGE_GRAPH
    sampled = large and "betweenness" in measures
    exact = [measure for measure in measures if not (sampled and measure == "betweenness")]
    frame = centrality(graph, measures=exact) if exact else pd.DataFrame(index=list(graph.nodes))
    if sampled:
        samples = min(BETWEENNESS_SAMPLES, graph.number_of_nodes())
        notes.append(
            f"betweenness for the naive picks estimated from {samples} sampled sources "
            f"(seed {seed}); its ranking of the top nodes may differ from exact"
        )
        approximate = centrality(graph, measures=["betweenness"], k=samples, seed=seed)
        frame["betweenness"] = approximate["betweenness"]
    return frame[measures]


def structural_cuts(data: Dataset | nx.MultiDiGraph | FlowModel) -> StructuralCuts:
    """Articulation points of the flow graph and a minimum host-to-regime node cut."""
    model = as_flow_model(data)
    flow = nx.Graph()
    remits = nx.DiGraph()
    for u, v, kind in model.relations().values():
        if kind in ("sends_workers", "works_in", "remits_to"):
            flow.add_edge(u, v)
        if kind == "remits_to":
            remits.add_edge(u, v)
    points = sorted(str(n) for n in nx.articulation_points(flow) if n != model.regime)
    cut: list[str] = []
    remitting = [h for h in model.hosts if h in remits and model.regime in remits]
    if remitting:
        source = ("__hosts__",)
        remits.add_edges_from((source, h) for h in remitting)
        cut = sorted(str(n) for n in nx.minimum_node_cut(remits, source, model.regime))
    index = model.candidate_index()
    mask = _covered(model.incidence, [index[n] for n in cut if n in index])
    return StructuralCuts(
        articulation_points=tuple(points),
        min_node_cut=tuple(cut),
        min_node_cut_revenue=model.totals(mask).revenue,
    )
