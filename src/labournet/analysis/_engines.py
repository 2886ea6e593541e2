"""Compiled engines behind `labournet.analysis.centrality`: edge arrays, projections, kernels.

Private. Every kernel here returns a float64 array in node order whose values equal the networkx
function named in `labournet.analysis.centrality.REFERENCES` on the same projected graph, to
within floating-point rounding. How each one meets networkx's conventions is written next to it,
because the libraries' own conventions differ (igraph's raw closeness measures paths *from* a
node and ignores unreachable ones; its eigenvector is scaled to a maximum of 1; PageRank by
PRPACK is the exact fixed point, not networkx's stopped power iteration).

igraph, networkit and rustworkx are imported inside the functions that use them. The "scipy"
engine is this module's own numpy code.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Collection, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np

from labournet._text import plural
from labournet._threads import usable_cores, usable_cpu_ids
from labournet.errors import AnalysisError

__all__: list[str] = []  # private module

ENGINE_MODULES = {"igraph": "igraph", "networkit": "networkit", "rustworkx": "rustworkx"}
"""Engines that need a third-party library, and the module to import for each."""


@dataclass(frozen=True)
class EdgeArrays:
    """The edges of a graph as index arrays, after the relation-kind filter.

    ``src[i] -> dst[i]`` is one edge of the input (one per parallel edge of a multigraph), with
    ``weight[i]`` its weight attribute as a float (1.0 where missing, as networkx reads it), or
    ``None`` when no weight attribute was asked for.
    """

    nodes: list[Hashable]
    src: np.ndarray
    dst: np.ndarray
    weight: np.ndarray | None

    @property
    def n(self) -> int:
        return len(self.nodes)


@dataclass(frozen=True)
class Projection:
    """A simple graph (no parallel edges) as arrays: one row per edge, ``weight`` may be None.

    Undirected projections hold each edge once, in either orientation.
    """

    nodes: list[Hashable]
    directed: bool
    src: np.ndarray
    dst: np.ndarray
    weight: np.ndarray | None

    @property
    def n(self) -> int:
        return len(self.nodes)

    @property
    def m(self) -> int:
        return len(self.src)


def edge_arrays(
    G: nx.Graph, weight: str | None, relation_kinds: Collection[str] | None
) -> EdgeArrays:
    """Read the edges of ``G`` once into index arrays (the only pass over Python objects)."""
    nodes = list(G)
    index = {node: i for i, node in enumerate(nodes)}
    get = index.__getitem__
    if relation_kinds is None and weight is None:
        count = G.number_of_edges()
        flat = np.fromiter(
            map(get, itertools.chain.from_iterable(G.edges())), dtype=np.int64, count=2 * count
        )
        return EdgeArrays(nodes, flat[0::2], flat[1::2], None)
    if relation_kinds is None:
        triples = list(G.edges(data=weight, default=1))
    else:
        kinds = set(relation_kinds)
        triples = [
            (u, v, data.get(weight, 1) if weight is not None else 1)
            for u, v, data in G.edges(data=True)
            if data.get("kind") in kinds
        ]
    count = len(triples)
    src = np.fromiter((get(t[0]) for t in triples), dtype=np.int64, count=count)
    dst = np.fromiter((get(t[1]) for t in triples), dtype=np.int64, count=count)
    if weight is None:
        return EdgeArrays(nodes, src, dst, None)
    try:
        values = np.fromiter((t[2] for t in triples), dtype=np.float64, count=count)
        valid = bool(np.isfinite(values).all())
    except (TypeError, ValueError):
        valid = False
    if not valid:
        u, v, value = next((t for t in triples if not _is_finite_number(t[2])), ("?", "?", "?"))
        raise AnalysisError(
            f"edge ({u!r}, {v!r}): weight attribute '{weight}' must be a finite number, "
            f"not {value!r}"
        )
    return EdgeArrays(nodes, src, dst, values)


def _is_finite_number(value: Any) -> bool:
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def project(edges: EdgeArrays, *, directed: bool, multi: bool, reading: str) -> Projection:
    """Collapse parallel edges into one: ``reading`` "distance" keeps the minimum weight,
    "strength" the sum (in input order). ``multi`` says whether collapsing may be needed (a
    multigraph, or the undirected view of a directed graph); when it is False the edges are
    taken as they are.
    """
    src, dst, weight = edges.src, edges.dst, edges.weight
    if not multi or len(src) == 0:
        return Projection(edges.nodes, directed, src, dst, weight)
    if directed:
        a, b = src, dst
    else:
        a, b = np.minimum(src, dst), np.maximum(src, dst)
    key = a * edges.n + b
    order = np.argsort(key, kind="stable")
    key_sorted = key[order]
    starts = np.flatnonzero(np.concatenate(([True], key_sorted[1:] != key_sorted[:-1])))
    first = order[starts]
    if weight is None:
        merged = None
    elif reading == "distance":
        merged = np.minimum.reduceat(weight[order], starts)
    else:
        merged = np.add.reduceat(weight[order], starts)
    # keep the projection's edges in the order of their first appearance in the input
    keep = np.argsort(first, kind="stable")
    first = first[keep]
    return Projection(
        edges.nodes,
        directed,
        src[first],
        dst[first],
        None if merged is None else merged[keep],
    )


def to_networkx(p: Projection, weight: str | None, G: nx.Graph) -> nx.Graph:
    """The projection as a networkx graph (the reference the kernels are checked against)."""
    H: nx.Graph = nx.DiGraph() if p.directed else nx.Graph()
    H.add_nodes_from(p.nodes)
    nodes = p.nodes
    if p.weight is None or weight is None:
        H.add_edges_from(
            (nodes[u], nodes[v]) for u, v in zip(p.src.tolist(), p.dst.tolist(), strict=True)
        )
    else:
        H.add_weighted_edges_from(
            (
                (nodes[u], nodes[v], w)
                for u, v, w in zip(p.src.tolist(), p.dst.tolist(), p.weight.tolist(), strict=True)
            ),
            weight=weight,
        )
    H.graph.update(G.graph)
    return H


# ---------------------------------------------------------------------------------------------
# library graphs


def igraph_graph(p: Projection) -> Any:
    import igraph

    # igraph reads a list of pairs three times faster than a numpy array of them
    edges = list(zip(p.src.tolist(), p.dst.tolist(), strict=True))
    return igraph.Graph(n=p.n, edges=edges, directed=p.directed)


def networkit_graph(p: Projection, *, reverse: bool = False) -> Any:
    """A networkit graph; ``reverse`` flips directed edges (distances *to* a node)."""
    import networkit

    src, dst = (p.dst, p.src) if reverse and p.directed else (p.src, p.dst)
    weighted = p.weight is not None
    values = p.weight if weighted else np.ones(p.m)
    return networkit.GraphFromCoo(
        (values, (src.astype(np.uint64), dst.astype(np.uint64))),
        n=p.n,
        directed=p.directed,
        weighted=weighted,
    )


def rustworkx_graph(p: Projection) -> Any:
    import rustworkx

    graph = rustworkx.PyDiGraph() if p.directed else rustworkx.PyGraph()
    graph.add_nodes_from(range(p.n))
    if p.weight is None:
        graph.add_edges_from_no_data(list(zip(p.src.tolist(), p.dst.tolist(), strict=True)))
    else:
        graph.add_edges_from(
            list(zip(p.src.tolist(), p.dst.tolist(), p.weight.tolist(), strict=True))
        )
    return graph


def adjacency(p: Projection) -> Any:
    """Sparse adjacency ``A[i, j]`` = strength of i -> j, as `networkx.to_scipy_sparse_array`:
    an undirected edge fills both (i, j) and (j, i), a self-loop its diagonal cell once."""
    import scipy.sparse

    values = np.ones(p.m) if p.weight is None else p.weight
    if p.directed:
        rows, cols, data = p.src, p.dst, values
    else:
        off = p.src != p.dst
        rows = np.concatenate((p.src, p.dst[off]))
        cols = np.concatenate((p.dst, p.src[off]))
        data = np.concatenate((values, values[off]))
    return scipy.sparse.csr_array((data, (rows, cols)), shape=(p.n, p.n), dtype=np.float64)


# ---------------------------------------------------------------------------------------------
# degree


def degree(p: Projection, which: str) -> np.ndarray:
    """`nx.degree_centrality` and its in/out variants: links over ``n - 1``."""
    n = p.n
    if n <= 1:
        return np.ones(n)
    outgoing = np.bincount(p.src, minlength=n).astype(np.float64)
    incoming = np.bincount(p.dst, minlength=n).astype(np.float64)
    counts = {"degree": outgoing + incoming, "in_degree": incoming, "out_degree": outgoing}
    return counts[which] * (1.0 / (n - 1))


# ---------------------------------------------------------------------------------------------
# betweenness


def rescale_betweenness(
    accumulated: np.ndarray,
    n: int,
    *,
    normalized: bool,
    directed: bool,
    endpoints: bool,
    sampled: Sequence[int] | None,
) -> np.ndarray:
    """Scale Brandes' sums over ordered (source, target) pairs exactly as networkx does.

    networkx accumulates over every ordered pair, for undirected graphs too; normalised values
    divide by the number of ordered pairs that could pass through a node, ``(n-1)(n-2)``
    without endpoints; unnormalised undirected values halve the sums. With ``k`` sampled
    sources the sums are scaled up to all sources, a sampled node by ``k - 1`` of them.
    """
    k = None if sampled is None else len(sampled)
    N = n if endpoints else n - 1
    if N < 2:
        return accumulated
    K = N if k is None else k
    correction = 1 if directed else 2
    if k is None or endpoints:
        scale = 1 / (K * (N - 1)) if normalized else N / (K * correction)
        return accumulated * scale
    if normalized:
        scale_source = 1 / ((K - 1) * (N - 1)) if K > 1 else math.nan
        scale_other = 1 / (K * (N - 1))
    else:
        scale_source = N / ((K - 1) * correction) if K > 1 else math.nan
        scale_other = N / (K * correction)
    scales = np.full(n, scale_other)
    scales[np.asarray(sampled, dtype=np.int64)] = scale_source
    return accumulated * scales


def betweenness(
    engine: str,
    p: Projection,
    *,
    normalized: bool,
    endpoints: bool,
    sampled: Sequence[int] | None,
) -> np.ndarray:
    """`nx.betweenness_centrality` (weights as distances) by igraph, networkit or rustworkx."""
    if engine == "rustworkx":
        # rustworkx ports networkx's function, rescaling included (exact, unweighted only)
        import rustworkx

        result = rustworkx.betweenness_centrality(
            rustworkx_graph(p), normalized=normalized, endpoints=endpoints
        )
        return np.array([result[i] for i in range(p.n)], dtype=np.float64)
    if engine == "igraph":
        # igraph counts each unordered pair once on undirected graphs: double it to get
        # networkx's sums over ordered pairs
        weights = None if p.weight is None else p.weight.tolist()
        graph = igraph_graph(p)
        if sampled is None:
            raw = graph.betweenness(directed=p.directed, weights=weights)
        else:
            raw = graph.betweenness(directed=p.directed, weights=weights, sources=list(sampled))
        accumulated = np.asarray(raw, dtype=np.float64) * (1.0 if p.directed else 2.0)
    elif engine == "networkit":
        # networkit's unnormalised scores already sum over ordered pairs
        import networkit

        algorithm = networkit.centrality.Betweenness(networkit_graph(p), normalized=False)
        algorithm.run()
        accumulated = np.asarray(algorithm.scores(), dtype=np.float64)
    else:  # pragma: no cover - guarded by the caller
        raise AnalysisError(f"engine '{engine}' cannot compute betweenness")
    return rescale_betweenness(
        accumulated,
        p.n,
        normalized=normalized,
        directed=p.directed,
        endpoints=endpoints,
        sampled=sampled,
    )


# ---------------------------------------------------------------------------------------------
# choosing the betweenness engine by its expected time

BETWEENNESS_CPU_NS = {
    ("igraph", True): 20.0,
    ("igraph", False): 31.0,
    ("rustworkx", True): 35.0,
    ("rustworkx", False): 57.0,
    ("networkit", True): 85.0,
    ("networkit", False): 105.0,
}
"""CPU nanoseconds (all threads) per unit of ``n * (n + m)`` (Brandes: one search over the
nodes and edges from each source) of exact unweighted betweenness, by (engine, directed).
Measured on seeded gnm graphs of 10,000 nodes and 50,000 edges on a 2-core x86-64 machine
(rustworkx 0.18, igraph 1.0, networkit 11.3); on 1,000 to 2,000 nodes the ratios to igraph
were 10 to 25 % lower, the order the same. Only the ratios matter: with the cores each engine
would get, they decide which one finishes first."""


@dataclass(frozen=True)
class Cores:
    """The cores this process may run on and the load the other work puts on them.

    `basis` says how the load was measured, for the engine's reason: empty for the 1-minute
    load average, else the sampled window (`machine_cores`).
    """

    usable: int
    load: float
    basis: str = ""

    @property
    def free(self) -> float:
        """Cores the other work leaves idle, or under a full load the share a newcomer gets."""
        return max(self.usable - self.load, self.usable / (1.0 + self.load))

    def describe(self) -> str:
        """``load 0.12 over 0.25 s`` or ``load 1.29``: the load and how it was measured."""
        return f"load {self.load:.2f}{' ' + self.basis if self.basis else ''}"


SAMPLE_SECONDS = 0.25
"""How long `machine_cores` watches the cores before a choice worth that wait."""

SATURATED = 0.95
"""Busy share of the usable cores above which the window cannot tell how many processes wait
for them: the load average tells that instead."""


def machine_cores(window: float = 0.0) -> Cores:
    """The cores of ``os.sched_getaffinity(0)`` and the load the other processes put on them.

    With a `window` (seconds), the load is the CPU time the usable cores spent busy over that
    window, from ``/proc/stat``, less this process's own (it sleeps meanwhile): the other
    processes' work as it is now. The 1-minute load average (the fallback, and the figure
    without a window) also counts this process's own recent work, which makes a process that
    was busy just before see busy cores that are idle. When the others fill the cores, the
    window cannot tell how many of them wait, and the load average counts them. Where neither
    is known (Windows) the cores count as idle.

    >>> machine_cores().usable >= 1
    True
    """
    import os

    usable = usable_cores()
    try:
        average = os.getloadavg()[0]
    except (AttributeError, OSError):
        average = 0.0
    if window <= 0:
        return Cores(usable, average)
    busy = others_busy_cores(window)
    if busy is None:
        return Cores(usable, average)
    if busy >= SATURATED * usable:
        return Cores(usable, max(busy, average), f"over {window:.2g} s, cores full")
    return Cores(usable, busy, f"over {window:.2g} s")


def others_busy_cores(window: float, stat: str = "/proc/stat") -> float | None:
    """Cores' worth of CPU the usable cores spent on other processes over `window` seconds,
    or None where ``/proc/stat`` cannot tell (not Linux, or a core's line missing)."""
    import os
    import time

    cpus = usable_cpu_ids()
    before, mine_before, started = _busy_jiffies(stat, cpus), _own_cpu_seconds(), time.monotonic()
    if before is None:
        return None
    time.sleep(window)
    after, mine_after, ended = _busy_jiffies(stat, cpus), _own_cpu_seconds(), time.monotonic()
    if after is None or ended <= started:
        return None
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    busy = (after - before) / ticks - (mine_after - mine_before)
    return max(0.0, busy / (ended - started))


def _busy_jiffies(stat: str, cpus: set[int] | None) -> int | None:
    """Clock ticks the cores `cpus` (every core if None) spent busy since boot: all but
    idle and iowait, from the per-core lines ``cpuN user nice system idle iowait ...``."""
    try:
        with open(stat, encoding="ascii") as lines:
            rows = [line.split() for line in lines if line.startswith("cpu")]
    except (OSError, UnicodeDecodeError):
        return None
    total, seen = 0, set()
    for fields in rows:
        name = fields[0]
        if name == "cpu" or not name[3:].isdigit():
            continue
        cpu = int(name[3:])
        if cpus is not None and cpu not in cpus:
            continue
        try:
            ticks = [int(field) for field in fields[1:9]]
        except ValueError:
            return None
        if len(ticks) < 5:
            return None
        total += sum(ticks) - ticks[3] - ticks[4]
        seen.add(cpu)
    if not seen or (cpus is not None and not cpus <= seen):
        return None
    return total


def _own_cpu_seconds() -> float:
    import os

    times = os.times()
    return times.user + times.system


def engine_threads(engine: str, cores: Cores) -> int:
    """How many threads ``engine`` runs betweenness in: rustworkx's rayon pool (one per usable
    core unless ``RAYON_NUM_THREADS``), networkit's OpenMP threads, igraph's one."""
    import os

    if engine == "rustworkx":
        configured = os.environ.get("RAYON_NUM_THREADS", "")
        return int(configured) if configured.isdigit() and int(configured) > 0 else cores.usable
    if engine == "networkit":
        import networkit

        return int(networkit.getMaxNumberOfThreads())
    return 1


@dataclass(frozen=True)
class Estimate:
    """What one engine is expected to spend on a betweenness: CPU seconds over its threads."""

    engine: str
    cpu_seconds: float
    threads: int

    def wall_seconds(self, cores: Cores) -> float:
        return self.cpu_seconds / min(self.threads, cores.free)


def estimate_betweenness(engine: str, p: Projection, cores: Cores) -> Estimate:
    """The expected cost of exact unweighted betweenness of ``p`` by ``engine``."""
    work = p.n * (p.n + p.m)
    cpu = BETWEENNESS_CPU_NS[engine, p.directed] * 1e-9 * work
    return Estimate(engine, cpu, engine_threads(engine, cores))


def fastest(estimates: Sequence[Estimate], cores: Cores) -> tuple[str, str]:
    """The engine with the least expected wall time (the first of equals) and why, in words."""
    ranked = sorted(estimates, key=lambda e: e.wall_seconds(cores))
    listed = ", ".join(
        f"{e.engine} {e.wall_seconds(cores):.2f} s ({e.cpu_seconds:.2f} CPU-s, "
        f"{plural(e.threads, 'thread')} on {_cores(min(e.threads, cores.free))})"
        for e in ranked
    )
    reason = (
        f"least expected time with {cores.free:.2g} of {cores.usable} cores free "
        f"({cores.describe()}): {listed}"
    )
    return ranked[0].engine, reason


WORTH_SAMPLING = 2.5
"""CPU seconds of the cheapest engine from which a choice that depends on the load waits
`SAMPLE_SECONDS` to measure it (at most a tenth of the work); smaller ones read the load
average."""


def choose_betweenness(candidates: Sequence[str], p: Projection) -> tuple[str, str]:
    """The engine among `candidates` expected to finish first on ``p``, and why, in words.

    When the load decides (a parallel engine wins on idle cores and loses on busy ones) and the
    work is worth it, the load is measured over `SAMPLE_SECONDS` (`machine_cores`)."""
    usable = usable_cores()
    idle, full = Cores(usable, 0.0), Cores(usable, 1e6)
    estimates = [estimate_betweenness(c, p, idle) for c in candidates]
    load_decides = fastest(estimates, idle)[0] != fastest(estimates, full)[0]
    cheapest = min(e.cpu_seconds for e in estimates)
    window = SAMPLE_SECONDS if load_decides and cheapest >= WORTH_SAMPLING else 0.0
    return fastest(estimates, machine_cores(window))


def _cores(count: float) -> str:
    return f"{count:.2g} {'core' if count == 1 else 'cores'}"


# ---------------------------------------------------------------------------------------------
# closeness and harmonic: distances *to* each node (networkx reverses directed graphs)


def closeness(engine: str, p: Projection, *, wf_improved: bool) -> np.ndarray:
    """`nx.closeness_centrality`: ``(r / sum of distances from the r nodes that reach u)``,
    times ``r / (n - 1)`` with the Wasserman-Faust correction (``wf_improved``); 0 where no
    node reaches u."""
    n = p.n
    if engine == "scipy":
        reached, total, _ = path_sums(p)
        return closeness_from_sums(reached, total, n, wf_improved=wf_improved)
    if engine == "networkit":
        # the "generalized" variant is exactly the Wasserman-Faust formula
        import networkit

        algorithm = networkit.centrality.Closeness(
            networkit_graph(p, reverse=True),
            True,
            networkit.centrality.ClosenessVariant.GENERALIZED,
        )
        algorithm.run()
        return np.nan_to_num(np.asarray(algorithm.scores(), dtype=np.float64))
    if engine == "igraph":
        # mode "in": paths to the node. normalized=True gives r / sum, what networkx returns
        # without the correction; r itself is the ratio to the unnormalised 1 / sum.
        graph = igraph_graph(p)
        weights = None if p.weight is None else p.weight.tolist()
        scaled = np.nan_to_num(
            np.asarray(graph.closeness(mode="in", weights=weights, normalized=True), np.float64)
        )
        if not wf_improved or n <= 1:
            return scaled
        inverse = np.nan_to_num(
            np.asarray(graph.closeness(mode="in", weights=weights, normalized=False), np.float64)
        )
        reach = np.zeros(n)
        positive = inverse > 0
        reach[positive] = np.rint(scaled[positive] / inverse[positive])
        return scaled * (reach / (n - 1))
    if engine == "rustworkx":
        import rustworkx

        graph = rustworkx_graph(p)
        if p.weight is None:
            result = rustworkx.closeness_centrality(graph, wf_improved=wf_improved)
        else:
            # Newman's variant reads weights as strengths and inverts them; give it 1/distance
            result = rustworkx.newman_weighted_closeness_centrality(
                graph, weight_fn=lambda distance: 1.0 / distance, wf_improved=wf_improved
            )
        return np.nan_to_num(np.array([result[i] for i in range(n)], dtype=np.float64))
    raise AnalysisError(f"engine '{engine}' cannot compute closeness")  # pragma: no cover


def closeness_from_sums(
    reached: np.ndarray, total: np.ndarray, n: int, *, wf_improved: bool
) -> np.ndarray:
    """networkx's closeness from reach counts and distance sums (same operations, same order)."""
    values = np.zeros(n)
    ok = total > 0
    values[ok] = reached[ok] / total[ok]
    if wf_improved and n > 1:
        values[ok] *= reached[ok] / (n - 1)
    return values


def path_sums(p: Projection, *, batch_words: int = 8) -> tuple[np.ndarray, ...]:
    """For every node u of an unweighted projection: how many other nodes reach u, the sum
    of their distances to u and the sum of the inverse distances.

    Bit-parallel breadth-first search (Then et al., "The More the Merrier", VLDB 2015):
    ``64 * batch_words`` searches advance together, one bit per search in a row of machine
    words per node, so one pass over the edges serves them all. Searches run backwards from
    u (distances *to* u, networkx's convention) in numpy operations that release the GIL, in
    one thread per core. Distances are whole numbers, so the sums are exact.
    """
    import os
    from concurrent.futures import ThreadPoolExecutor

    n = p.n
    reached, total, inverse = np.zeros(n), np.zeros(n), np.zeros(n)
    if n == 0 or p.m == 0:
        return reached, total, inverse
    A = adjacency(p)  # row x lists the y with x -> y: x is one step further from u than y
    indices = A.indices
    rows = np.flatnonzero(np.diff(A.indptr) > 0)
    starts = A.indptr[:-1][rows]
    # keep each batch's bit rows within about 16 MB and its gathered edge rows within 64 MB
    words = max(1, min(batch_words, (16 << 20) // (8 * n), (64 << 20) // (8 * len(indices))))
    size = 64 * words

    def search(first: int) -> None:
        sources = np.arange(first, min(n, first + size))
        j = np.arange(len(sources))
        seen = np.zeros((n, words), dtype=np.uint64)
        seen[sources, j // 64] = np.left_shift(np.uint64(1), (j % 64).astype(np.uint64))
        frontier = seen
        counted = np.zeros(size)
        distances = np.zeros(size)
        inverses = np.zeros(size)
        level = 0
        while True:
            level += 1
            step = np.zeros((n, words), dtype=np.uint64)
            step[rows] = np.bitwise_or.reduceat(frontier[indices], starts, axis=0)
            step &= ~seen
            touched = np.flatnonzero(step.any(axis=1))
            if len(touched) == 0:
                break
            seen = seen | step
            bits = np.unpackbits(
                step[touched].astype("<u8", copy=False).view(np.uint8), axis=1, bitorder="little"
            )
            counts = bits.sum(axis=0, dtype=np.int64).astype(np.float64)
            counted += counts
            distances += level * counts
            inverses += counts / level
            frontier = step
        count = len(sources)
        reached[sources] = counted[:count]
        total[sources] = distances[:count]
        inverse[sources] = inverses[:count]

    batches = range(0, n, size)
    workers = max(1, min(os.cpu_count() or 1, len(batches)))
    if workers == 1:
        for first in batches:
            search(first)
    else:
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(search, batches))
    return reached, total, inverse


def harmonic(engine: str, p: Projection) -> np.ndarray:
    """`nx.harmonic_centrality`: the sum of ``1 / d(v, u)`` over the nodes v that reach u."""
    if engine == "scipy":
        return path_sums(p)[2]
    if engine == "igraph":
        graph = igraph_graph(p)
        weights = None if p.weight is None else p.weight.tolist()
        values = graph.harmonic_centrality(mode="in", weights=weights, normalized=False)
        return np.asarray(values, dtype=np.float64)
    if engine == "networkit":
        import networkit

        algorithm = networkit.centrality.HarmonicCloseness(
            networkit_graph(p, reverse=True), normalized=False
        )
        algorithm.run()
        return np.asarray(algorithm.scores(), dtype=np.float64)
    raise AnalysisError(f"engine '{engine}' cannot compute harmonic")  # pragma: no cover


# ---------------------------------------------------------------------------------------------
# spectral measures: networkx's own iterations, on a sparse matrix built without networkx


class NotConverged(Exception):
    """A power iteration (these engines' or networkx's) did not meet its tolerance within
    ``max_iter`` steps (``diverged``: its values grew past what floats hold); `centrality` turns
    it into a `ConvergenceWarning` or a `NotConvergedError`."""

    def __init__(self, max_iter: int, diverged: bool = False) -> None:
        super().__init__(max_iter)
        self.max_iter = max_iter
        self.diverged = diverged


def pagerank(p: Projection, *, alpha: float, max_iter: int, tol: float) -> np.ndarray:
    """`nx.pagerank` (its scipy power iteration): uniform teleport, dangling nodes (no outgoing
    strength) spread uniformly, stop when the L1 change is below ``n * tol``."""
    n = p.n
    if n == 0:
        return np.zeros(0)
    A = adjacency(p)
    S = np.asarray(A.sum(axis=1)).ravel()
    inverse = np.zeros(n)
    inverse[S != 0] = 1.0 / S[S != 0]
    transition_t = (A.multiply(inverse[:, np.newaxis])).T.tocsr()
    x = np.repeat(1.0 / n, n)
    teleport = np.repeat(1.0 / n, n)
    dangling = np.flatnonzero(S == 0)
    for _ in range(max_iter):
        last = x
        x = alpha * (transition_t @ x + x[dangling].sum() * teleport) + (1 - alpha) * teleport
        if np.abs(x - last).sum() < n * tol:
            return x
    raise NotConverged(max_iter)


def eigenvector(p: Projection, *, max_iter: int, tol: float) -> np.ndarray:
    """`nx.eigenvector_centrality`: iterate ``x <- (A + I)^T x`` normalised to unit Euclidean
    length from the uniform vector, until the L1 change is below ``n * tol``."""
    n = p.n
    if n == 0:
        return np.zeros(0)
    AT = adjacency(p).T.tocsr()
    x = np.repeat(1.0 / n, n)
    for _ in range(max_iter):
        last = x
        x = last + AT @ last
        norm = float(np.linalg.norm(x)) or 1.0
        x = x / norm
        if np.abs(x - last).sum() < n * tol:
            return x
    raise NotConverged(max_iter)


def katz(
    p: Projection, *, alpha: float, beta: float, max_iter: int, tol: float, normalized: bool
) -> np.ndarray:
    """`nx.katz_centrality`: iterate ``x <- alpha A^T x + beta`` from 0 until the L1 change is
    below ``n * tol``, then scale to unit Euclidean length when ``normalized``."""
    n = p.n
    if n == 0:
        return np.zeros(0)
    AT = adjacency(p).T.tocsr()
    x = np.zeros(n)
    with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported, not warned
        for _ in range(max_iter):
            last = x
            x = alpha * (AT @ last) + beta
            if not np.isfinite(x).all():
                raise NotConverged(max_iter, diverged=True)
            if np.abs(x - last).sum() < n * tol:
                if normalized:
                    norm = float(np.linalg.norm(x))
                    return x / norm if norm else x
                return x
    raise NotConverged(max_iter)
