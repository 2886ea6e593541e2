"""Benchmark the HTML views on a large generated network, against a naive pyvis build.

Builds each view of a seeded 10,000-entity network (``benchmarks/generate.py``), prints build
time, file size and, in headless Chromium, the time to first render and how long the tab
takes to answer afterwards; then builds the same network the naive way (pyvis ``add_node`` /
``add_edge`` for every item, then ``generate_html``) and prints the ratio.

Usage::

    PYTHONPATH=src:. python benchmarks/bench_html.py                # 10,000 entities
    PYTHONPATH=src:. python benchmarks/bench_html.py --entities 2000 --relations 4000 --repeat 1

Needs Chromium for the render figures (``--no-browser`` skips them).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.generate import generate  # noqa: E402

__all__ = ["main"]


def _timed(function: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Median wall time of ``repeat`` calls, and the last result."""
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def naive_pyvis(G: nx.MultiDiGraph, path: Path) -> Path:
    """What a first attempt looks like: pyvis node by node, edge by edge, its own page."""
    from pyvis.network import Network

    net = Network(directed=True, height="800px", width="100%", cdn_resources="in_line")
    for node, data in G.nodes(data=True):
        net.add_node(node, label=str(data.get("name", node)), title=str(data.get("name", node)))
    for u, v, data in G.edges(data=True):
        net.add_edge(u, v, title=str(data.get("claim", "")))
    path.write_text(net.generate_html(), encoding="utf-8")
    return path


def render(browser: Any, path: Path) -> dict[str, float]:
    """First render (ms after navigation start) and the tab's answer times after it."""
    page = browser.new_page(width=1400, height=900)
    try:
        start = time.perf_counter()
        page.navigate(path.resolve().as_uri(), timeout=300)
        page.wait_for("window.labournet && window.labournet.state.ready", timeout=300)
        wall = (time.perf_counter() - start) * 1000
        first = page.evaluate("labournet.state.firstDrawMs")
        pings = []
        for _ in range(10):  # a responsive tab answers at once; a busy one only later
            t = time.perf_counter()
            page.evaluate("1")
            pings.append((time.perf_counter() - t) * 1000)
            page.settle(0.1)
        return {"first_draw_ms": first, "ready_wall_ms": wall, "ping_max_ms": max(pings)}
    finally:
        browser.send("Target.closeTarget", {"targetId": page.target})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=10_000)
    parser.add_argument("--relations", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="builds per view (median)")
    parser.add_argument("--no-browser", action="store_true", help="skip render timings")
    parser.add_argument("--no-naive", action="store_true", help="skip the naive pyvis build")
    parser.add_argument("--out", type=Path, default=None, help="keep the pages here")
    args = parser.parse_args(argv)

    import labournet
    from labournet.analysis.pressure import pressure_points
    from labournet.errors import AnalysisError
    from labournet.views.html import build_html, scores_from_pressure

    out = args.out or Path(tempfile.mkdtemp(prefix="labournet-bench-html-"))
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    folder = generate(out / "dataset", entities=args.entities, relations=args.relations,
                      seed=args.seed)  # fmt: skip
    G = labournet.to_networkx(labournet.load_dataset(folder))
    loaded = time.perf_counter() - start
    print(f"network: {G.number_of_nodes():,} entities, {G.number_of_edges():,} relations "
          f"(generated and loaded in {loaded:.1f} s; not timed below)")  # fmt: skip
    try:
        seconds, scores = _timed(lambda: scores_from_pressure(pressure_points(G)), 1)
        print(f"pressure scores: {len(scores):,} candidates in {seconds:.2f} s (not timed below)")
    except AnalysisError as error:
        scores = None
        print(f"pressure scores: none ({error}); sizing by degree")

    # warm the imports (pyvis, igraph) so the first view does not pay for them
    build_html(G, view="focus", focus="kp", depth=0, scores=scores, layout="precomputed")
    host = next(n for n, d in G.nodes(data=True) if d.get("role") == "host")
    views: dict[str, dict[str, Any]] = {
        "network (all, precomputed layout)": {"view": "network"},
        "auto (top 10 + neighbours, default)": {"view": "auto"},
        f"focus {host} depth 2": {"view": "focus", "focus": host, "depth": 2},
        f"cut {host} (whole network, with flow scenario)": {"view": "network", "cut": [host]},
    }
    rows: list[dict[str, Any]] = []
    for name, options in views.items():

        def build(o: dict[str, Any] = options) -> str:
            return build_html(G, scores=scores, **o)

        seconds, page = _timed(build, args.repeat)
        path = out / f"{name.split(' ')[0]}.html"
        path.write_text(page, encoding="utf-8")
        rows.append(
            {"view": name, "build_s": seconds, "mb": len(page.encode()) / 1e6, "path": path}
        )

    if not args.no_browser:
        sys.path.insert(0, str(ROOT / "tests" / "browser"))  # the tests' Chromium driver
        from chromium import Chromium, find_chromium

        if find_chromium() is None:
            print("no Chromium: render timings skipped")
        else:
            with Chromium(timeout=300) as browser:
                for row in rows:
                    row.update(render(browser, row["path"]))

    print()
    print(f"{'view':48} {'build s':>8} {'MB':>6} {'first draw ms':>14} {'max ping ms':>12}")
    for row in rows:
        first = f"{row['first_draw_ms']:.0f}" if "first_draw_ms" in row else "-"
        ping = f"{row['ping_max_ms']:.0f}" if "ping_max_ms" in row else "-"
        print(f"{row['view']:48} {row['build_s']:8.3f} {row['mb']:6.1f} {first:>14} {ping:>12}")

    if not args.no_naive:
        seconds, path = _timed(lambda: naive_pyvis(G, out / "naive.html"), 1)
        size = path.stat().st_size / 1e6
        ours = rows[0]["build_s"]
        print()
        print(f"naive pyvis (add_node/add_edge, generate_html): {seconds:.2f} s, {size:.1f} MB")
        print(f"ratio naive / labournet, whole network view: {seconds / ours:.1f}x faster "
              f"({ours:.3f} s vs {seconds:.2f} s)")  # fmt: skip
        dropped = G.number_of_edges() - _edges_in_naive(path)
        if dropped:
            print(f"(the naive page also lost {dropped:,} parallel relations: pyvis merges them)")
    print(f"\npages in {out}")
    return 0


def _edges_in_naive(path: Path) -> int:
    import json
    import re

    text = path.read_text(encoding="utf-8")
    match = re.search(r"edges = new vis\.DataSet\((\[.*?\])\);", text, re.S)
    return len(json.loads(match.group(1))) if match else 0


if __name__ == "__main__":
    sys.exit(main())
