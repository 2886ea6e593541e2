"""Time `labournet.analysis.centrality` against networkx and against the compiled library.

For each measure, on a seeded random directed graph (default 10,000 nodes, 50,000 edges):

* **labournet**: ``centrality(G, [measure])`` with ``engine="auto"``, conversion included;
* **direct**: the engine that labournet picked, called on a graph built beforehand (not timed):
  the floor labournet's conversion adds to. For the numpy/scipy measures it is labournet's own
  kernel on prebuilt arrays;
* **networkx**: the reference, in the same process. Exact betweenness, closeness and harmonic
  take minutes on 10,000 nodes, so by default networkx runs them from ``--nx-sample`` sampled
  source nodes and the time is scaled up to all ``n`` sources (labelled *extrapolated*: each
  source costs one BFS plus, for betweenness, one accumulation); ``--full`` runs them exactly.

Equality: every column is compared with networkx on a smaller graph in the same run
(``--verify-nodes``, default 1,000 nodes with the same edge density, engines forced as on the
large graph), and on the large graph too where networkx ran in full. The targets: at least 30x
faster than networkx for exact betweenness and closeness, values within 1e-9, and at most 1.5x
the direct library call.

Needs the fast extra (``pip install '.[fast]'``, or ``.[dev]``): it times the compiled engines
labournet picks (rustworkx, igraph, networkit) and calls them directly; without them it stops
at once and says so.

Usage::

    PYTHONPATH=src python benchmarks/bench_centrality.py                 # 10,000 / 50,000
    PYTHONPATH=src python benchmarks/bench_centrality.py --quick         # 2,000 / 10,000
    PYTHONPATH=src python benchmarks/bench_centrality.py --measures betweenness,closeness --full
"""

from __future__ import annotations

import argparse
import functools
import os
import platform
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from labournet.analysis import _engines  # noqa: E402
from labournet.analysis.centrality import MEASURES, centrality  # noqa: E402

PATH_MEASURES = ("betweenness", "closeness", "harmonic")
TOLERANCE = 1e-9


LIBRARY_COMPARISONS = (
    ("betweenness", "igraph"),
    ("closeness", "networkit"),
    ("closeness", "igraph"),
    ("harmonic", "igraph"),
)
"""Direct library calls timed next to labournet's pick (networkit's betweenness and harmonic
are several times slower here and would add minutes)."""


def random_graph(n: int, m: int, seed: int, weighted: bool) -> nx.DiGraph:
    G = nx.gnm_random_graph(n, m, seed=seed, directed=True)
    if weighted:
        rng = random.Random(seed)
        for _, _, data in G.edges(data=True):
            data["w"] = rng.uniform(0.5, 4.0)
    return G


def timed(function: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    """Best wall time of up to ``repeat`` runs; a run over 5 s is not repeated (the best of a
    few damps other processes' interference on a shared machine)."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        elapsed = time.perf_counter() - start
        best = min(best, elapsed)
        if elapsed > 5.0:
            break
    return best, result


def networkx_call(G: nx.Graph, measure: str, weight: str | None, **kw: Any) -> dict:
    if measure == "degree":
        return nx.degree_centrality(G)
    if measure == "in_degree":
        return nx.in_degree_centrality(G)
    if measure == "out_degree":
        return nx.out_degree_centrality(G)
    if measure == "betweenness":
        return nx.betweenness_centrality(G, weight=weight, **kw)
    if measure == "closeness":
        return nx.closeness_centrality(G, distance=weight)
    if measure == "harmonic":
        return nx.harmonic_centrality(G, distance=weight, **kw)
    if measure == "eigenvector":
        return nx.eigenvector_centrality(G, weight=weight)
    if measure == "pagerank":
        return nx.pagerank(G, weight=weight)
    return nx.katz_centrality(G, weight=weight)


def networkx_time(
    G: nx.Graph, measure: str, weight: str | None, sample: int, full: bool, seed: int
) -> tuple[float, str, dict | None]:
    """networkx's time for ``measure`` on G: measured, or extrapolated from sampled sources."""
    n = G.number_of_nodes()
    if measure not in PATH_MEASURES or full or sample >= n:
        seconds, values = timed(lambda: networkx_call(G, measure, weight))
        return seconds, "full", values
    sources = random.Random(seed).sample(list(G), sample)
    if measure == "betweenness":
        seconds, _ = timed(lambda: nx.betweenness_centrality(G, k=sample, seed=seed, weight=weight))
    elif measure == "closeness":
        # what nx.closeness_centrality does: reverse G once, then one search per node
        reverse_seconds, R = timed(lambda: G.reverse())

        def search(u: Any) -> dict:
            if weight is None:
                return nx.single_source_shortest_path_length(R, u)
            return nx.single_source_dijkstra_path_length(R, u, weight=weight)

        seconds, _ = timed(lambda: [_closeness(search(u), n) for u in sources])
        return reverse_seconds + seconds * n / sample, f"extrapolated from {sample} sources", None
    else:
        seconds, _ = timed(lambda: nx.harmonic_centrality(G, sources=sources, distance=weight))
    return seconds * n / sample, f"extrapolated from {sample} sources", None


def _closeness(distances: dict, n: int) -> float:
    """networkx's closeness of one node from its distances (the per-node work timed)."""
    total = sum(distances.values())
    if total > 0.0 and n > 1:
        reached = len(distances) - 1.0
        return (reached / total) * (reached / (n - 1))
    return 0.0


def warm_up() -> None:
    """Import and run every engine once so that no timing pays for a first call."""
    G = nx.gnm_random_graph(200, 800, seed=1, directed=True)
    for engine in ("igraph", "networkit", "rustworkx", "scipy"):
        centrality(G, engine=engine)


def direct_call(measure: str, engine: str, p: _engines.Projection) -> Callable[[], Any]:
    """The compiled library's own call on a graph built now (outside the timing)."""
    weights = None if p.weight is None else p.weight.tolist()
    if engine == "igraph":
        g = _engines.igraph_graph(p)
        if measure == "betweenness":
            return lambda: g.betweenness(directed=p.directed, weights=weights)
        if measure == "closeness":  # r / sum and 1 / sum: networkx's formula needs both
            return lambda: (
                g.closeness(mode="in", weights=weights, normalized=True),
                g.closeness(mode="in", weights=weights, normalized=False),
            )
        return lambda: g.harmonic_centrality(mode="in", weights=weights, normalized=False)
    if engine == "networkit":
        import networkit

        K = _engines.networkit_graph(p)
        KR = _engines.networkit_graph(p, reverse=True)

        def run(algorithm: Any) -> Any:
            algorithm.run()
            return algorithm.scores()

        if measure == "betweenness":
            return lambda: run(networkit.centrality.Betweenness(K, normalized=False))
        if measure == "closeness":
            variant = networkit.centrality.ClosenessVariant.GENERALIZED
            return lambda: run(networkit.centrality.Closeness(KR, True, variant))
        return lambda: run(networkit.centrality.HarmonicCloseness(KR, normalized=False))
    if engine == "rustworkx":
        import rustworkx

        R = _engines.rustworkx_graph(p)
        if measure == "betweenness":
            return lambda: rustworkx.betweenness_centrality(R)
        return lambda: rustworkx.closeness_centrality(R)
    if measure in ("closeness", "harmonic"):  # labournet's own bit-parallel search
        return lambda: _engines.path_sums(p)
    if measure in ("degree", "in_degree", "out_degree"):
        return lambda: _engines.degree(p, measure)
    if measure == "pagerank":
        return lambda: _engines.pagerank(p, alpha=0.85, max_iter=100, tol=1e-6)
    if measure == "eigenvector":
        return lambda: _engines.eigenvector(p, max_iter=100, tol=1e-6)
    return lambda: _engines.katz(p, alpha=0.1, beta=1.0, max_iter=1000, tol=1e-6, normalized=True)


def max_difference(values: np.ndarray, reference: dict, nodes: list) -> float:
    expected = np.array([reference[node] for node in nodes], dtype=float)
    return float(np.max(np.abs(values - expected))) if len(nodes) else 0.0


def projection_for(G: nx.Graph, measure: str, weight: str | None) -> _engines.Projection:
    reading = "unweighted"
    if weight is not None and measure not in ("degree", "in_degree", "out_degree"):
        reading = "distance" if measure in PATH_MEASURES else "strength"
    edges = _engines.edge_arrays(G, None if reading == "unweighted" else weight, None)
    return _engines.project(edges, directed=True, multi=False, reading=reading)


def missing_engines() -> list[str]:
    """The compiled engines of the fast extra that cannot be imported."""
    import importlib

    missing = []
    for module in _engines.ENGINE_MODULES.values():
        try:
            importlib.import_module(module)
        except ImportError:
            missing.append(module)
    return missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=10_000)
    parser.add_argument("--edges", type=int, default=50_000)
    parser.add_argument("--measures", default=",".join(MEASURES), help="comma-separated")
    parser.add_argument("--quick", action="store_true", help="2,000 nodes, 10,000 edges")
    parser.add_argument("--full", action="store_true", help="exact networkx on the large graph")
    parser.add_argument("--nx-sample", type=int, default=200, help="sources for extrapolation")
    parser.add_argument("--verify-nodes", type=int, default=1_000)
    parser.add_argument("--weighted", action="store_true", help="random weights 0.5-4 as 'w'")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.quick:
        args.nodes, args.edges = 2_000, 10_000
        args.verify_nodes = min(args.verify_nodes, 500)
    measures = [m.strip() for m in args.measures.split(",") if m.strip()]
    weight = "w" if args.weighted else None
    missing = missing_engines()
    if missing:
        print(
            f"error: {', '.join(missing)} not installed; this benchmark needs the fast extra: "
            "pip install '.[fast]'",
            file=sys.stderr,
        )
        return 2

    print(
        f"labournet centrality benchmark: python {platform.python_version()}, networkx "
        f"{nx.__version__}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} "
        f"at start (other processes share this machine: treat times as indicative)"
    )
    print(f"command: {' '.join([Path(sys.argv[0]).name, *(argv or sys.argv[1:])])}")
    G = random_graph(args.nodes, args.edges, args.seed, args.weighted)
    print(
        f"graph: seeded gnm random DiGraph, {G.number_of_nodes()} nodes, "
        f"{G.number_of_edges()} edges, {'weighted (w)' if weight else 'unweighted'}"
    )
    seconds, _ = timed(lambda: _engines.edge_arrays(G, weight, None), repeat=3)
    print(f"conversion networkx -> arrays: {seconds * 1000:.1f} ms\n")

    warm_up()
    # equality on a smaller graph, with the engines labournet uses on the large one
    small = random_graph(
        args.verify_nodes,
        args.verify_nodes * args.edges // args.nodes,
        args.seed + 1,
        args.weighted,
    )
    rows: list[tuple[Any, ...]] = []
    for measure in measures:
        ours_seconds, frame = timed(functools.partial(centrality, G, [measure], weight), repeat=3)
        engine = frame.attrs["projection"][measure]["engine"]
        p = projection_for(G, measure, weight)
        if engine == "networkx":  # labournet calls networkx itself: that is the direct call
            direct_seconds, _ = timed(functools.partial(networkx_call, G, measure, weight), 3)
        else:
            direct_seconds, _ = timed(direct_call(measure, engine, p), repeat=3)
        nx_seconds, nx_mode, nx_values = networkx_time(
            G, measure, weight, args.nx_sample, args.full, args.seed
        )
        diff_large = (
            max_difference(frame[measure].to_numpy(), nx_values, list(G))
            if nx_values is not None
            else None
        )
        check = centrality(small, [measure], weight, engine=engine)
        checked_by = check.attrs["projection"][measure]["engine"]
        diff_small = max_difference(
            check[measure].to_numpy(), networkx_call(small, measure, weight), list(small)
        )
        rows.append(
            (
                measure,
                engine,
                ours_seconds,
                direct_seconds,
                nx_seconds,
                nx_mode,
                diff_large,
                diff_small,
                checked_by,
            )
        )
        print(
            f"  {measure}: labournet {ours_seconds:.3f}s ({engine}), direct "
            f"{direct_seconds:.3f}s, networkx {nx_seconds:.3f}s ({nx_mode})",
            flush=True,
        )

    # the other compiled libraries, called directly on prebuilt graphs, for comparison
    libraries = []
    for measure, engine in LIBRARY_COMPARISONS:
        if measure in measures and not any(r[0] == measure and r[1] == engine for r in rows):
            p = projection_for(G, measure, weight)
            seconds, _ = timed(direct_call(measure, engine, p))
            libraries.append((measure, engine, seconds))

    all_seconds, _ = timed(lambda: centrality(G, measures, weight))
    rows.append(
        (
            "all, 1 call",
            "(above)",
            all_seconds,
            sum(row[3] for row in rows),
            sum(row[4] for row in rows),
            "sum of the rows above",
            None,
            None,
            "(above)",
        )
    )

    print()
    header = (
        f"{'measure':<12} {'engine':<10} {'labournet s':>12} {'direct s':>10} "
        f"{'overhead':>9} {'networkx s':>11} {'speedup':>9}  {'max|diff| large':>15} "
        f"{'max|diff| ' + str(args.verify_nodes):>15}  networkx timing"
    )
    print(header)
    print("-" * len(header))
    failures = []
    for measure, engine, ours, direct, nxs, mode, d_large, d_small, checked_by in rows:
        large = "-" if d_large is None else f"{d_large:.1e}"
        checked = "-" if d_small is None else f"{d_small:.1e}"
        print(
            f"{measure:<12} {engine:<10} {ours:>12.3f} {direct:>10.3f} {ours / direct:>8.2f}x "
            f"{nxs:>11.2f} {nxs / ours:>8.1f}x  {large:>15} {checked:>15}  {mode}"
            + ("" if checked_by == engine else f" (checked by {checked_by})")
        )
        if max(d_small or 0.0, d_large or 0.0) > TOLERANCE:
            failures.append(f"{measure}: differs from networkx by more than {TOLERANCE}")
    print(
        "\noverhead = labournet / direct call on a prebuilt graph (target <= 1.5x); speedup = "
        "networkx / labournet (target >= 30x for exact betweenness and closeness)."
    )
    if libraries:
        print("\nother compiled libraries called directly on a prebuilt graph (no conversion):")
        labournet_seconds = {row[0]: row[2] for row in rows}
        for measure, engine, seconds in libraries:
            print(
                f"  {measure:<12} {engine:<10} {seconds:>8.3f}s   "
                f"{seconds / labournet_seconds[measure]:.2f}x labournet's time"
            )
    print(f"load average {os.getloadavg()[0]:.2f} at the end")
    for failure in failures:
        print(f"FAIL {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
