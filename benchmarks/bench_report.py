"""Time the full pressure-point report on a large generated network and the Monte Carlo.

1. The full report pipeline (load + validate, to networkx, flow model, pressure table, 1,000
   Monte Carlo draws, key players with naive centrality picks and structural cuts, CSV / JSON /
   Markdown / PNG files) on the network of ``benchmarks/generate.py`` (default 50,000 entities,
   250,000 relations), with wall time per stage and the process's peak RSS.
2. 1,000 Monte Carlo draws on the bundled dataset (time, and peak Python allocation by
   tracemalloc), against a plain loop that evaluates one draw at a time (same numbers).
3. Scenario evaluation on the large network: masking precomputed placements against the
   plain-networkx way (remove the node from the graph and rebuild the flows), on a sample of cuts.

Approximations, labelled: on graphs above 5,000 nodes, betweenness for the naive picks uses
networkx's k-sampled estimator (64 sources); its error is measured here on a smaller generated
network against exact betweenness (overlap of the top 10).

Usage::

    PYTHONPATH=src python benchmarks/bench_report.py                   # 50,000 entities
    PYTHONPATH=src python benchmarks/bench_report.py --entities 5000 --relations 25000
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import networkx as nx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate  # noqa: E402

import labournet  # noqa: E402
from labournet.analysis.flows import build_flow_model  # noqa: E402
from labournet.analysis.keyplayers import BETWEENNESS_SAMPLES  # noqa: E402
from labournet.analysis.pressure import components  # noqa: E402
from labournet.analysis.uncertainty import draw_figures, monte_carlo  # noqa: E402
from labournet.report.build import build_report, write_report  # noqa: E402


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Clock:
    def __init__(self) -> None:
        self.stages: list[tuple[str, float]] = []

    def __call__(self, name: str, function, *args, **kwargs):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        result = function(*args, **kwargs)
        elapsed = time.perf_counter() - start
        self.stages.append((name, elapsed))
        print(
            f"  {name:<44} {elapsed:8.2f} s   (peak RSS so far {peak_rss_mb():,.0f} MB)", flush=True
        )
        return result


def bench_large(entities: int, relations: int, seed: int, draws: int, folder: Path) -> None:
    print(f"== Full report on a generated network ({entities:,} entities, {relations:,} relations)")
    clock = Clock()
    clock("generate (benchmarks/generate.py)", generate, folder / "net", entities=entities,
          relations=relations, seed=seed)  # fmt: skip
    dataset = clock("load_dataset (read + validate)", labournet.load_dataset, folder / "net")
    graph = clock("Dataset.to_networkx", dataset.to_networkx)
    model = clock("flow model (placements)", build_flow_model, graph)
    print(
        f"     {len(model.hosts):,} hosts, {model.n_placements:,} placements, "
        f"{len(model.candidates):,} candidates, {len(model.figures):,} figures"
    )
    report = clock(
        f"build_report (pressure, {draws:,} draws, key players)",
        build_report, model, k=3, draws=draws, seed=seed,
    )  # fmt: skip
    files = clock(
        "write_report (CSV, JSON, Markdown, PNG)", write_report, report, folder / "report"
    )
    analysis = sum(t for name, t in clock.stages if not name.startswith(("generate", "load")))
    total = sum(t for name, t in clock.stages if not name.startswith("generate"))
    print(f"  report pipeline after loading: {analysis:.1f} s; with loading: {total:.1f} s")
    print(f"  peak RSS of the process: {peak_rss_mb():,.0f} MB; {len(files)} files written")
    print(f"  key players ({report.key_players.method}): {', '.join(report.key_players.cuts)}")
    for note in report.key_players.notes:
        print(f"  note: {note}")

    print(
        "== Scenario: mask precomputed placements vs networkx rebuild (copy graph, remove node, "
        "rebuild the flow model)"
    )
    parts = components(model)
    rng = np.random.default_rng(seed)
    nodes = [r for r in parts.rows if model.candidates[r] in graph]
    sample = [
        model.candidates[r] for r in rng.choice(nodes, size=min(5, len(nodes)), replace=False)
    ]
    start = time.perf_counter()
    revenue = model.evaluate(model.estimates())[0][:, 0]
    fast = {c: float(revenue[~model.alive_after([c])].sum()) for c in sample}
    t_fast = (time.perf_counter() - start) / len(sample)
    before = model.totals().revenue.best
    start = time.perf_counter()
    slow = {}
    for c in sample:
        cut = graph.copy()
        cut.remove_node(c)
        slow[c] = before - build_flow_model(cut).totals().revenue.best
    t_slow = (time.perf_counter() - start) / len(sample)
    agree = all(abs(fast[c] - slow[c]) <= 1e-6 * max(1.0, before) for c in sample)
    print(
        f"  per cut: {t_fast * 1e3:.1f} ms vs {t_slow:.2f} s by networkx "
        f"rebuild (x{t_slow / t_fast:,.0f}); same revenue lost: {agree} ({len(sample)} node cuts)"
    )


def bench_bundled(draws: int, seed: int) -> None:
    print(f"== {draws:,} Monte Carlo draws on the bundled dataset")
    model = build_flow_model(labournet.load_dataset())
    monte_carlo(model, draws=10, seed=seed)  # warm up
    tracemalloc.start()
    start = time.perf_counter()
    result = monte_carlo(model, draws=draws, seed=seed, k=3)
    vectorised = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"  vectorised: {vectorised:.3f} s, peak Python allocation {peak / 2**20:.1f} MB")
    parts = components(model)
    values = draw_figures(model, draws, np.random.default_rng(seed))
    start = time.perf_counter()
    looped = []
    for i in range(draws):
        column = values[:, i : i + 1]
        looped.append(parts.denied(model.evaluate(column)[0], column)[:, 0])
    loop = time.perf_counter() - start
    batch = parts.denied(model.evaluate(values)[0], values)
    same = np.allclose(np.column_stack(looped), batch)
    print(
        f"  one draw at a time: {loop:.3f} s (x{loop / vectorised:.0f} slower); same scores: {same}"
    )
    top = result.table.head(3)
    for candidate, row in top.iterrows():
        print(
            f"  {candidate:<14} P(top 3) {row['p_top_k']:.0%}, rank 90% interval "
            f"{row['rank_p05']:.0f}-{row['rank_p95']:.0f}"
        )


def bench_betweenness_error(seed: int) -> None:
    print(f"== Error of k-sampled betweenness ({BETWEENNESS_SAMPLES} sources) on 5,000 entities")
    with tempfile.TemporaryDirectory() as tmp:
        graph = labournet.load_dataset(generate(tmp, entities=5000, relations=25000, seed=seed))
        simple = nx.DiGraph(labournet.to_networkx(graph))
    start = time.perf_counter()
    exact = nx.betweenness_centrality(simple)
    t_exact = time.perf_counter() - start
    start = time.perf_counter()
    sampled = nx.betweenness_centrality(simple, k=BETWEENNESS_SAMPLES, seed=seed)
    t_sampled = time.perf_counter() - start
    top = {n for n, _ in sorted(exact.items(), key=lambda x: -x[1])[:10]}
    top_s = {n for n, _ in sorted(sampled.items(), key=lambda x: -x[1])[:10]}
    top3 = {n for n, _ in sorted(exact.items(), key=lambda x: -x[1])[:3]}
    top3_s = {n for n, _ in sorted(sampled.items(), key=lambda x: -x[1])[:3]}
    print(
        f"  exact {t_exact:.1f} s, sampled {t_sampled:.1f} s (x{t_exact / t_sampled:.0f}); "
        f"top-10 overlap {len(top & top_s)}/10, top-3 overlap {len(top3 & top3_s)}/3"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=50_000)
    parser.add_argument("--relations", type=int, default=250_000)
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-error", action="store_true", help="skip the betweenness error run")
    args = parser.parse_args(argv)
    print(f"labournet {labournet.__version__}, numpy {np.__version__}, networkx {nx.__version__}")
    bench_bundled(args.draws, args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        bench_large(args.entities, args.relations, args.seed, args.draws, Path(tmp))
    if not args.skip_error:
        bench_betweenness_error(args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
