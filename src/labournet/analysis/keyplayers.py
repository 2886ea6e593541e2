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
they remit directly). Where several minimum cuts exist, the one reported is the one nearest the
regime: of all minimum cuts, the one that leaves the fewest entities on the regime's side. It is
read off the residual graph of a maximum flow (what can still reach the regime), which is the
same for every maximum flow, so the cut does not depend on the flow algorithm; it is the cut
``networkx.minimum_node_cut`` returns.

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
from scipy.sparse import csgraph

from labournet._display import table_html
from labournet._number import format_quantity
from labournet.analysis.flowbuild import FLOW_RELATIONS
from labournet.analysis.flows import FlowModel, Range, Totals, as_flow_model
from labournet.analysis.pressure import Components, components
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
    parts: Components | None = None,
) -> KeyPlayersResult:
    """The `k` cuts that remove the most best-estimate revenue, with naive and structural cuts.

    ``method`` is ``"auto"`` (exact where at most `exact_limit` subsets, else greedy),
    ``"exact"`` or ``"greedy"``. ``measures`` are the centralities for the naive picks (empty for
    none), taken on the flow network (the regime, hosts, sectors and intermediaries joined by
    ``sends_workers``, ``works_in`` and ``remits_to``), not on the pressuring actors. ``seed``
    seeds sampled betweenness on large graphs. Residual buckets (`FlowModel.residual`: the
    unnamed hosts, unspecified work) are no lever and are left out of both the best set and the
    naive picks unless ``residual=True``. ``parts`` are the model's uncut `components`, when
    already computed (the pressure table computes them): they are reused, not computed again.

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
    parts = _uncut_components(model, parts)
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
    rows, masks = _naive_picks(model, measures, cuts, covered, k, seed, notes, residual)
    shape = _structure(model) if structural else None
    if shape is not None:
        masks.append(_cut_mask(model, shape[1]))
    # one pass over the interval draws for every set: each row's totals are its own
    totals = model.totals_of(np.vstack(masks).astype(float))
    removed = totals[0]
    naive = _naive_frame(rows, masks[: len(rows)], totals[: len(rows)], workers)
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
        structural=None if shape is None else StructuralCuts(*shape, totals[-1].revenue),
        notes=tuple(notes),
    )


def _uncut_components(model: FlowModel, parts: Components | None) -> Components:
    """`parts` when they are the uncut components of `model`, else `components(model)`."""
    if parts is None:
        return components(model)
    if parts.model is not model:
        raise AnalysisError("parts were computed on another flow model than the one analysed")
    if not (parts.weight == 1.0).all():
        raise AnalysisError("parts must be the uncut components (components(model), no cuts)")
    return parts


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


def _naive_picks(
    model: FlowModel,
    measures: Sequence[str],
    cuts: tuple[str, ...],
    covered: np.ndarray,
    k: int,
    seed: int | None,
    notes: list[str],
    residual: bool,
) -> tuple[list[dict[str, object]], list[np.ndarray]]:
    """The rows of the comparison (the best set, then each measure's top `k` nodes) and the
    placements each row's cuts remove."""
    rows: list[dict[str, object]] = [
        {
            "measure": "key players (this analysis)",
            "picks": ";".join(cuts),
            "cut_candidates": len(cuts),
        }
    ]
    masks = [covered]
    if not measures:
        return rows, masks
    scores = _centralities(_flow_graph(model), list(measures), seed, notes)
    nodes = list(scores.index)
    names = [str(n) for n in nodes]
    eligible = np.array(
        [n != model.regime and (residual or not model.residual(n)) for n in nodes], dtype=bool
    )
    index = model.candidate_index()
    for measure in measures:
        order = [nodes[i] for i in _top(scores[measure].to_numpy(), eligible, names, k)]
        hit = [n for n in order if n in index]
        masks.append(_covered(model.incidence, [index[n] for n in hit]))
        rows.append(
            {"measure": measure, "picks": ";".join(map(str, order)), "cut_candidates": len(hit)}
        )
    return rows, masks


def _top(values: np.ndarray, eligible: np.ndarray, names: Sequence[str], k: int) -> list[int]:
    """Positions of the `k` eligible highest values, ties by name (as ``sorted`` on
    ``(-value, name)`` over the eligible ones): only values up to the k-th are sorted."""
    pool = np.flatnonzero(eligible)
    negated = -values[pool]
    if len(pool) > k:
        pool = pool[negated <= np.partition(negated, k - 1)[k - 1]]
    return sorted(pool.tolist(), key=lambda i: (-values[i], names[i]))[:k]


def _naive_frame(
    rows: list[dict[str, object]],
    masks: Sequence[np.ndarray],
    totals: Sequence[Totals],
    workers: np.ndarray,
) -> pd.DataFrame:
    """The comparison table: what each row's cuts remove, and how far it falls short of the
    best set (the first row)."""
    best_value = totals[0].revenue.best
    for row, mask, total in zip(rows, masks, totals, strict=True):
        row.update(
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


def _flow_graph(model: FlowModel) -> nx.MultiDiGraph:
    """`flow_network` as a bare graph of its own (no attributes), nodes and edges in the same
    order: centralities read it into arrays far faster than a view of the whole network."""
    keep: list[tuple[str, str, str, dict[str, object]]] = [
        (u, v, key, {}) for key, (u, v, kind) in model.relations().items() if kind in FLOW_RELATIONS
    ]
    ends = {n for u, v, _, _ in keep for n in (u, v)}
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(n for n in model.graph if n in ends)
    graph.add_edges_from(keep)
    return graph


def _centralities(
    graph: nx.MultiDiGraph, measures: list[str], seed: int | None, notes: list[str]
) -> pd.DataFrame:
    """Node centralities for the naive picks, in one call (one reading of the graph into
    arrays); on large graphs betweenness is sampled (noted), the other measures are exact."""
    from labournet.analysis.centrality import centrality

    samples = None
    if graph.number_of_nodes() > LARGE_GRAPH and "betweenness" in measures:
        samples = min(BETWEENNESS_SAMPLES, graph.number_of_nodes())
        notes.append(
            f"betweenness for the naive picks estimated from {samples} sampled sources "
            f"(seed {seed}); its ranking of the top nodes may differ from exact"
        )
    frame = centrality(graph, measures=measures, k=samples, seed=seed)
    return frame[measures]


def structural_cuts(data: Dataset | nx.MultiDiGraph | FlowModel) -> StructuralCuts:
    """Articulation points of the flow graph and a minimum host-to-regime node cut."""
    model = as_flow_model(data)
    points, cut = _structure(model)
    return StructuralCuts(points, cut, model.totals(_cut_mask(model, cut)).revenue)


def _structure(model: FlowModel) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The articulation points (other than the regime) and the minimum node cut, each sorted."""
    nodes: dict[str, int] = {}
    flow: list[tuple[int, int]] = []
    remits: list[tuple[int, int]] = []
    for u, v, kind in model.relations().values():
        if kind in FLOW_RELATIONS:
            pair = (nodes.setdefault(u, len(nodes)), nodes.setdefault(v, len(nodes)))
            flow.append(pair)
            if kind == "remits_to":
                remits.append(pair)
    names = list(nodes)
    points = [names[i] for i in np.flatnonzero(_articulation_points(len(names), flow))]
    cut: list[str] = []
    in_remits = {i for pair in remits for i in pair}
    regime = nodes.get(model.regime)
    if regime is not None and regime in in_remits:
        hosts = [nodes[h] for h in model.hosts if nodes.get(h) in in_remits]
        if hosts:
            cut = [names[i] for i in _min_node_cut(len(names), remits, hosts, regime)]
    return (
        tuple(sorted(str(n) for n in points if n != model.regime)),
        tuple(sorted(str(n) for n in cut)),
    )


def _cut_mask(model: FlowModel, cut: Sequence[str]) -> np.ndarray:
    """The placements that cutting the entities `cut` removes."""
    index = model.candidate_index()
    return _covered(model.incidence, [index[n] for n in cut if n in index])


def _articulation_points(n: int, edges: Sequence[tuple[int, int]]) -> np.ndarray:
    """Which of nodes ``0..n-1`` are articulation points of the undirected graph of `edges`.

    Hopcroft and Tarjan's depth-first search, iterative (no recursion limit), linear in size: a
    node other than a search root cuts the graph when some child's subtree reaches no node
    discovered before it (``low[child] >= order[node]``), a root when it has two children.
    """
    indptr, indices = _undirected_csr(n, edges)
    order = [-1] * n
    low = [0] * n
    parent = [-1] * n
    next_edge = indptr[:-1]
    cuts = np.zeros(n, dtype=bool)
    clock = 0
    for root in range(n):
        if order[root] >= 0:
            continue
        order[root] = low[root] = clock
        clock += 1
        children = 0
        stack = [root]
        while stack:
            node = stack[-1]
            position = next_edge[node]
            if position < indptr[node + 1]:
                next_edge[node] = position + 1
                other = indices[position]
                if order[other] < 0:
                    order[other] = low[other] = clock
                    clock += 1
                    parent[other] = node
                    stack.append(other)
                elif other != parent[node]:
                    low[node] = min(low[node], order[other])
                continue
            stack.pop()
            up = parent[node]
            if up < 0:
                continue
            low[up] = min(low[up], low[node])
            if up == root:
                children += 1
            elif low[node] >= order[up]:
                cuts[up] = True
        cuts[root] = children > 1
    return cuts


def _undirected_csr(n: int, edges: Sequence[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """Neighbour lists of the simple undirected graph of `edges` (no loops, no parallels)."""
    pairs = np.array(edges, dtype=np.int64).reshape(-1, 2)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    both = np.concatenate([pairs, pairs[:, ::-1]])
    matrix = sparse.csr_matrix(
        (np.ones(len(both), dtype=np.int8), (both[:, 0], both[:, 1])), shape=(n, n)
    )
    matrix.sum_duplicates()
    return matrix.indptr.tolist(), matrix.indices.tolist()


def _min_node_cut(
    n: int, edges: Sequence[tuple[int, int]], sources: Sequence[int], target: int
) -> list[int]:
    """A minimum set of nodes whose removal cuts every directed path from `sources` to `target`
    (sources may be cut, the target not), the one nearest the target (module docstring).

    Each node ``i`` is split into ``2i -> 2i + 1`` (capacity 1: cutting it); an edge ``u -> v``
    becomes ``2u + 1 -> 2v``, and a super-source ``n`` feeds every source, as networkx's
    auxiliary graph does. After a maximum flow (scipy's Dinic), the split nodes that can still
    reach the target in the residual graph form the target's side; the nodes at either end of
    an arc into that side from outside it, other than the target and the super-source, are the
    cut.
    """
    pairs = np.array(edges, dtype=np.int64).reshape(-1, 2)
    split = np.arange(n + 1)
    tail = np.concatenate([2 * split, 2 * pairs[:, 0] + 1, np.full(len(sources), 2 * n + 1)])
    head = np.concatenate([2 * split + 1, 2 * pairs[:, 1], 2 * np.asarray(sources, dtype=np.int64)])
    size = 2 * n + 2
    capacity = sparse.csr_matrix(
        (np.ones(len(tail), dtype=np.int32), (tail, head)), shape=(size, size)
    )
    capacity.sum_duplicates()
    capacity.data[:] = 1
    flow = csgraph.maximum_flow(capacity, 2 * n + 1, 2 * target, method="dinic").flow
    residual = sparse.csr_matrix(capacity - flow)
    residual.data = (residual.data > 0).astype(np.int8)
    residual.eliminate_zeros()
    side = np.zeros(size, dtype=bool)
    side[csgraph.breadth_first_order(residual.T.tocsr(), 2 * target, return_predecessors=False)] = (
        True
    )
    arcs = capacity.tocoo()
    crossing = ~side[arcs.row] & side[arcs.col]
    owners = np.unique(np.concatenate([arcs.row[crossing], arcs.col[crossing]]) // 2)
    return [int(i) for i in owners if i not in (n, target)]
