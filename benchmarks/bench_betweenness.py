"""Time exact betweenness: labournet's ``engine="auto"`` against igraph, rustworkx and networkit.

On a seeded random directed graph per ``--sizes`` entry (default 10,000 nodes, 50,000 edges):

* **labournet**: ``centrality(G, ["betweenness"])``, conversion and engine choice included;
* **igraph**, **rustworkx**, **networkit**: each library's own call on a graph built beforehand
  (not timed), the floor whichever engine labournet picks adds to;
* **networkx**: the reference, from ``--nx-sample`` sampled sources, its time scaled up to all
  n sources (labelled *extrapolated*: each source costs one search and one accumulation).

The contenders run interleaved: each round runs every one of them once, in an order rotated
from round to round, so that the machine's changing load falls on all alike. Each round prints
the load average and free cores before it and the engine labournet chose, with its reason.
The summary gives median wall and CPU times, labournet / fastest direct call (per round, then
the median; target <= 1.2x) and the speedup over networkx by wall time (target >= 30x) and by
CPU time (which the load moves less). Every direct result, rescaled as
labournet rescales it, is compared with labournet's; the run fails beyond 1e-9.

Needs the fast extra (``pip install '.[fast]'``). Exact betweenness of 50,000 nodes takes
minutes per engine on 2 cores: run that size with one round.

Usage::

    PYTHONPATH=src python benchmarks/bench_betweenness.py                       # 10,000 / 50,000
    PYTHONPATH=src python benchmarks/bench_betweenness.py --quick               # 2,000 / 10,000
    PYTHONPATH=src python benchmarks/bench_betweenness.py --sizes 50000x250000 --rounds 1
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from labournet.analysis import _engines  # noqa: E402
from labournet.analysis.centrality import centrality  # noqa: E402

DIRECT = ("igraph", "rustworkx", "networkit")
TOLERANCE = 1e-9


def parse_sizes(text: str) -> list[tuple[int, int]]:
    """``"10000x50000,50000x250000"`` as (nodes, edges) pairs."""
    sizes = []
    for item in text.split(","):
        nodes, _, edges = item.strip().partition("x")
        if not (nodes.isdigit() and edges.isdigit()):
            raise argparse.ArgumentTypeError(f"size {item!r} is not NODESxEDGES, e.g. 10000x50000")
        sizes.append((int(nodes), int(edges)))
    return sizes


def direct_call(engine: str, p: _engines.Projection) -> Callable[[], np.ndarray]:
    """The library's own exact betweenness on a graph built now, as labournet's normalised
    values (the rescaling is numpy on n floats, negligible next to the search)."""
    if engine == "igraph":
        g = _engines.igraph_graph(p)
        return lambda: rescale(np.asarray(g.betweenness(directed=p.directed)), p)
    if engine == "rustworkx":
        import rustworkx

        R = _engines.rustworkx_graph(p)

        def run_rustworkx() -> np.ndarray:
            values = rustworkx.betweenness_centrality(R)
            return np.array([values[i] for i in range(p.n)])

        return run_rustworkx
    import networkit

    K = _engines.networkit_graph(p)

    def run_networkit() -> np.ndarray:
        algorithm = networkit.centrality.Betweenness(K, normalized=False)
        algorithm.run()
        return rescale(np.asarray(algorithm.scores()), p)

    return run_networkit


def rescale(accumulated: np.ndarray, p: _engines.Projection) -> np.ndarray:
    return _engines.rescale_betweenness(
        accumulated, p.n, normalized=True, directed=p.directed, endpoints=False, sampled=None
    )


def timed(function: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall seconds, CPU seconds (every thread of this process) and the result of one run."""
    cpu, wall = time.process_time(), time.perf_counter()
    result = function()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def networkx_seconds(G: nx.Graph, sample: int, seed: int) -> tuple[float, float]:
    """networkx's exact betweenness wall and CPU seconds, extrapolated from ``sample`` sources."""
    wall, cpu, _ = timed(lambda: nx.betweenness_centrality(G, k=sample, seed=seed))
    scale = G.number_of_nodes() / sample
    return wall * scale, cpu * scale


def cores_text(cores: _engines.Cores) -> str:
    return f"{cores.describe()}, {cores.free:.2g} of {cores.usable} cores free"


def run_size(nodes: int, edges: int, args: argparse.Namespace) -> list[str]:
    """Time one graph size; returns the failures."""
    G = nx.gnm_random_graph(nodes, edges, seed=args.seed, directed=True)
    p = _engines.project(
        _engines.edge_arrays(G, None, None), directed=True, multi=False, reading="unweighted"
    )
    print(f"\n== {nodes} nodes, {edges} edges (seeded gnm DiGraph, unweighted)", flush=True)
    engines = [e for e in DIRECT if e in args.engines]
    calls: dict[str, Callable[[], Any]] = {e: direct_call(e, p) for e in engines}

    def labournet() -> np.ndarray:
        frame = centrality(G, ["betweenness"])
        chosen.append(frame.attrs["projection"]["betweenness"])
        return frame["betweenness"].to_numpy()

    chosen: list[dict[str, Any]] = []
    calls["labournet"] = labournet
    names = ["labournet", *engines]
    walls: dict[str, list[float]] = {name: [] for name in names}
    cpus: dict[str, list[float]] = {name: [] for name in names}
    ratios = []
    failures = []
    for round_ in range(args.rounds):
        order = names[round_ % len(names) :] + names[: round_ % len(names)]
        now = _engines.machine_cores(_engines.SAMPLE_SECONDS)
        print(f"round {round_ + 1} ({cores_text(now)} before it)")
        results = {}
        for name in order:
            wall, cpu, results[name] = timed(calls[name])
            walls[name].append(wall)
            cpus[name].append(cpu)
            print(f"  {name:<10} {wall:>8.2f} s {cpu:>8.2f} CPU-s", flush=True)
        info = chosen[-1]
        fastest = min(engines, key=lambda e: walls[e][-1])
        ratios.append(walls["labournet"][-1] / walls[fastest][-1])
        print(f"  labournet chose {info['engine']}: {info['engine_reason']}", flush=True)
        for engine in engines:
            diff = float(np.max(np.abs(results[engine] - results["labournet"])))
            if diff > TOLERANCE:
                failures.append(f"{nodes} nodes: {engine} differs from labournet by {diff:.1e}")
    nx_wall, nx_cpu = networkx_seconds(G, min(args.nx_sample, nodes), args.seed)
    summarise(names, walls, cpus, ratios, chosen, (nx_wall, nx_cpu), args.nx_sample)
    return failures


def summarise(
    names: list[str],
    walls: dict[str, list[float]],
    cpus: dict[str, list[float]],
    ratios: list[float],
    chosen: list[dict[str, Any]],
    networkx: tuple[float, float],
    sample: int,
) -> None:
    print(f"\n{'':<10} {'median wall s':>14} {'median CPU s':>13}  {'threads':>7}")
    cores = _engines.machine_cores()
    for name in names:
        threads = "-" if name == "labournet" else str(_engines.engine_threads(name, cores))
        print(
            f"{name:<10} {statistics.median(walls[name]):>14.2f} "
            f"{statistics.median(cpus[name]):>13.2f}  {threads:>7}"
        )
    picks = [info["engine"] for info in chosen]
    print(
        "auto chose: "
        + ", ".join(f"{e} in {picks.count(e)} of {len(picks)} rounds" for e in dict.fromkeys(picks))
    )
    listed = " ".join(f"{r:.2f}x" for r in ratios)
    print(
        f"labournet / fastest direct call, per round: {listed}; median "
        f"{statistics.median(ratios):.2f}x (target <= 1.2x)"
    )
    wall, cpu = networkx
    ours, ours_cpu = statistics.median(walls["labournet"]), statistics.median(cpus["labournet"])
    print(
        f"networkx: {wall:.1f} s, {cpu:.1f} CPU-s, extrapolated from {sample} sampled sources; "
        f"labournet {wall / ours:.1f}x faster (target >= 30x), {cpu / ours_cpu:.1f}x less CPU",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=parse_sizes, default=[(10_000, 50_000)],
                        help="NODESxEDGES, comma-separated (default 10000x50000)")  # fmt: skip
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (default 3)")
    parser.add_argument("--engines", default=",".join(DIRECT), help="direct calls to time")
    parser.add_argument("--nx-sample", type=int, default=100, help="networkx sources (100)")
    parser.add_argument("--quick", action="store_true", help="2,000 nodes, 10,000 edges")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes = [(2_000, 10_000)]
    args.engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    unknown = sorted(set(args.engines) - set(DIRECT))
    if unknown or not args.engines:
        parser.error(f"--engines takes some of {', '.join(DIRECT)}, not {', '.join(unknown)}")
    try:
        for module in _engines.ENGINE_MODULES.values():
            __import__(module)
    except ImportError as error:
        print(f"error: {error}; this benchmark needs pip install '.[fast]'", file=sys.stderr)
        return 2
    cores = _engines.machine_cores(_engines.SAMPLE_SECONDS)
    print(
        f"labournet betweenness benchmark: python {platform.python_version()}, networkx "
        f"{nx.__version__}, {os.cpu_count()} cores, {cores_text(cores)} at the start "
        "(other processes share this machine: compare ratios, not seconds)"
    )
    print(f"command: {' '.join([Path(sys.argv[0]).name, *(argv or sys.argv[1:])])}")
    warm = nx.gnm_random_graph(300, 1500, seed=1, directed=True)
    for engine in DIRECT:
        centrality(warm, ["betweenness"], engine=engine)
    failures = []
    for nodes, edges in args.sizes:
        failures += run_size(nodes, edges, args)
    print(f"\n{cores_text(_engines.machine_cores(_engines.SAMPLE_SECONDS))} at the end")
    for failure in failures:
        print(f"FAIL {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
