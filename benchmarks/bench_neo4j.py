"""Time Neo4j: loading batched against row by row, and GDS centralities against labournet's.

Starts a Neo4j 5.26 server of its own (``labournet.store.neo4j_server.Neo4jServer``, with APOC
and GDS, from the jars Maven resolves once; heap 4g) on a free port in a temporary folder, and
stops it at the end, whatever happens. A small network is loaded and wiped first (untimed), so
that no timing pays for the new server's first query plans.

1. **Load.** Generates a network with ``benchmarks/generate.py`` (default 50,000 entities,
   250,000 relations) and loads it into the empty database batched (``Store.load`` at its
   default batch size, 5,000 rows per UNWIND statement, one transaction each): relations per
   second and rows per second (rows: everything the load sends, i.e. sources, assumptions,
   entities, relations, figures and figure links) for the whole load, and relations per second
   for the relation statements alone. The counts after every load must equal the dataset
   exactly (nodes per label combination, relationships per type). Then, after a wipe, a subset
   (the first ``--subset`` relations, default 3,000, with the entities they join and the
   figures on both) is loaded row by row (``batch_size=1``: the same MERGE statements, one row
   per statement and transaction), and, after another wipe, the same subset batched, so that
   the ratio is also measured on the same rows. Row by row on all 250,000 relations would take
   hours here, so only its rate is compared (its time for the whole network is printed as an
   extrapolation, labelled).
2. **Centralities.** Generates a second network (default 100,000 entities and 500,000
   relations, the same density), loads it, and for each measure times GDS in the database
   (``write_gds_centrality(store, [measure])``: projection, the write procedure, rescaling to
   networkx's convention, the AnalysisRun record) against ``labournet.centrality(G, [measure])``
   on ``labournet.to_networkx(dataset)`` of the same network. The data's way into Python
   (``store.pull()`` and ``to_networkx``) is timed once, apart; a first call on each side
   (out_degree) warms both up, untimed. The scores GDS wrote are read back and compared with
   the Python columns: the largest absolute difference per measure over every entity, and for
   PageRank and eigenvector also against labournet run to tol 1e-13, since networkx's default
   stop rule (L1 change below n * 1e-6) is looser than GDS's 1e-10 per score. Exact betweenness
   would take over half an hour per engine at 100,000 entities on 2 cores (extrapolated: both
   scale as about n^2.2 here; 10,000 entities take 12-16 s, 20,000 about 60 s), so by default
   it runs on a
   smaller generated network of ``--betweenness-entities`` (20,000, same density, labelled in
   the table); ``0`` skips it, the value of ``--centrality-entities`` runs it on the large one.

Nothing is asserted about time. The exit status is 1 if a load's counts differ from the
dataset or a score differs by more than ``--tolerance`` (default 1e-9; the tol-1e-13 reference
for PageRank and eigenvector).

Usage::

    PYTHONPATH=src python benchmarks/bench_neo4j.py
    PYTHONPATH=src python benchmarks/bench_neo4j.py --entities 5000 --relations 25000 \\
        --subset 500 --centrality-entities 10000 --betweenness-entities 2000
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import secrets
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import networkx as nx
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_load import subset  # noqa: E402
from generate import generate  # noqa: E402

import labournet  # noqa: E402
from labournet.analysis.centrality import centrality  # noqa: E402
from labournet.io.folder import load_dataset  # noqa: E402
from labournet.model.dataset import Dataset  # noqa: E402
from labournet.store import Store, connect  # noqa: E402
from labournet.store.base import Counts, LoadSummary  # noqa: E402
from labournet.store.gds import GDS_MEASURES, write_gds_centrality  # noqa: E402
from labournet.store.neo4j_server import Neo4jServer  # noqa: E402
from labournet.store.process import free_port  # noqa: E402

DEFAULT_MEASURES = GDS_MEASURES
ITERATIONS = {"pagerank": {"max_iter": 1000}, "eigenvector": {"max_iter": 1000}}
"""labournet's iterative measures may run as many iterations as ``write_gds_centrality`` allows
GDS (1,000; networkx's default of 100 is not enough for eigenvector at 100,000 entities here)."""
TIGHT = {
    "pagerank": {"tol": 1e-13, "max_iter": 100_000},
    "eigenvector": {"tol": 1e-13, "max_iter": 100_000},
}
"""Options for the exact reference of the iterative measures (networkx stops when the L1 change
is below n * tol: 1e-13 instead of the default 1e-6 is below GDS's 1e-10 per score)."""


def expected_counts(dataset: Dataset) -> Counts:
    """The counts a load of `dataset` into an empty database must give, from the dataset and
    its schema alone: nodes per label combination, relationships per type."""
    schema = dataset.schema
    nodes: dict[str, int] = {"Dataset": 1}
    for name, size in (
        ("Source", len(dataset.sources)),
        ("Assumption", len(dataset.assumptions)),
        ("Figure", len(dataset.figures)),
    ):
        if size:
            nodes[name] = size
    for entity in dataset.entities:
        key = f"Entity:{schema.entities[entity.kind].label}"
        nodes[key] = nodes.get(key, 0) + 1
    relationships: dict[str, int] = {}
    for relation in dataset.relations:
        key = schema.relations[relation.kind].type
        relationships[key] = relationships.get(key, 0) + 1
    entity_ids = {entity.id for entity in dataset.entities}
    links = sum(1 for figure in dataset.figures if figure.subject in entity_ids)
    if links:
        relationships["FIGURE_OF"] = links
    return Counts(dict(sorted(nodes.items())), dict(sorted(relationships.items())))


def timed_load(store: Store, dataset: Dataset, batch_size: int) -> tuple[float, float, LoadSummary]:
    """Seconds for the whole load, seconds for its relation statements only, and its summary."""
    marks: list[tuple[str, float]] = []

    def progress(stage: str, done: int, total: int) -> None:
        marks.append((stage, time.perf_counter()))

    start = time.perf_counter()
    summary = store.load(dataset, batch_size=batch_size, progress=progress)
    total = time.perf_counter() - start
    relation_time = sum(
        now - before
        for (_, before), (stage, now) in zip(marks, marks[1:], strict=False)
        if stage.startswith("relations")
    )
    return total, relation_time, summary


def check_counts(store: Store, dataset: Dataset, what: str) -> bool:
    """Print whether the database's counts equal the dataset's, exactly; the differences if not."""
    found, wanted = store.counts(), expected_counts(dataset)
    same = found == wanted
    print(
        f"counts after the {what}: {found.total_nodes:,} nodes, "
        f"{found.total_relationships:,} relationships; equal to the dataset (every label "
        f"combination and relationship type, exact): {same}"
    )
    if not same:
        for part in ("nodes", "relationships"):
            have, want = getattr(found, part), getattr(wanted, part)
            for key in sorted(set(have) | set(want)):
                if have.get(key) != want.get(key):
                    print(f"  {part} {key}: database {have.get(key)}, dataset {want.get(key)}")
    return same


def make_network(folder: Path, entities: int, relations: int, seed: int) -> Dataset:
    start = time.perf_counter()
    dataset = load_dataset(generate(folder, entities=entities, relations=relations, seed=seed))
    print(
        f"network {folder.name}: {len(dataset.entities):,} entities, "
        f"{len(dataset.relations):,} relations, {len(dataset.figures):,} figures (generated and "
        f"read in {time.perf_counter() - start:.1f} s)"
    )
    return dataset


def warm_up(store: Store, tmp: Path) -> None:
    """Load and wipe a small generated network (every kind of entity and relation), so that
    the timed loads do not pay for the new server's first plans and JIT compilation."""
    small = load_dataset(generate(tmp / "warm-up", entities=500, relations=2500, seed=1))
    start = time.perf_counter()
    store.load(small)
    store.wipe()
    print(
        f"warm-up: loaded and wiped a network of {len(small.entities)} entities and "
        f"{len(small.relations):,} relations in {time.perf_counter() - start:.1f} s (not timed "
        "below: the cold server plans every statement for the first time)"
    )


def bench_load(store: Store, dataset: Dataset, rows: int) -> bool:
    """Part 1: batched on the whole network, then row by row and batched on a subset."""
    n_rel = len(dataset.relations)
    total, rel_time, summary = timed_load(store, dataset, store.batch_size)
    batched_rate, batched_rows = n_rel / total, summary.rows / total
    print(
        f"batched (UNWIND, {store.batch_size} rows per statement), whole network: {total:.2f} s "
        f"= {batched_rate:,.0f} relations/s, {batched_rows:,.0f} rows/s ({summary.rows:,} rows "
        f"in {summary.batches:,} statements); relation statements alone {rel_time:.2f} s = "
        f"{n_rel / rel_time:,.0f} relations/s"
    )
    counts_ok = check_counts(store, dataset, "batched load")

    small = subset(dataset, rows)
    s_rel = len(small.relations)
    start = time.perf_counter()
    store.wipe()
    print(f"wipe: {time.perf_counter() - start:.2f} s")
    row_total, row_rel, row_summary = timed_load(store, small, 1)
    row_rate, row_rows = s_rel / row_total, row_summary.rows / row_total
    print(
        f"row by row (batch_size=1, one row per statement and transaction), subset of the first "
        f"{s_rel:,} relations, their {len(small.entities):,} entities and "
        f"{len(small.figures):,} figures ({row_summary.rows:,} rows): {row_total:.2f} s = "
        f"{row_rate:,.0f} relations/s, {row_rows:,.0f} rows/s; relation statements alone "
        f"{s_rel / row_rel:,.0f} relations/s"
    )
    counts_ok &= check_counts(store, small, "row-by-row load")
    store.wipe()
    sub_total, sub_rel, sub_summary = timed_load(store, small, store.batch_size)
    sub_rate, sub_rows = s_rel / sub_total, sub_summary.rows / sub_total
    print(
        f"batched, the same subset: {sub_total:.2f} s = {sub_rate:,.0f} relations/s, "
        f"{sub_rows:,.0f} rows/s; relation statements alone {s_rel / sub_rel:,.0f} relations/s"
    )
    counts_ok &= check_counts(store, small, "batched load of the subset")
    print(
        f"ratio batched / row by row: {batched_rate / row_rate:,.0f}x relations/s "
        f"({batched_rows / row_rows:,.0f}x rows/s) whole network batched against the subset row "
        f"by row; {sub_rate / row_rate:,.0f}x relations/s on the same subset; "
        f"{(n_rel / rel_time) / (s_rel / row_rel):,.0f}x for relation statements alone"
    )
    print(
        f"row by row would take about {n_rel / row_rate / 60:,.0f} min for all {n_rel:,} "
        f"relations [extrapolated from the subset's rate]"
    )
    return counts_ok


def read_scores(store: Store, measures: Sequence[str]) -> pd.DataFrame:
    """The ``score_<measure>`` properties of every entity, indexed by entity id."""
    columns = ", ".join(f"n.score_{m} AS {m}" for m in measures)
    result = store.runner.run(f"MATCH (n:Entity) RETURN n.id AS id, {columns}", {}, write=False)
    return pd.DataFrame(result.rows, columns=result.columns).set_index("id").astype(float)


@dataclasses.dataclass
class Row:
    measure: str
    nodes: int
    edges: int
    gds: float
    python: float
    engine: str
    diff: float
    tight: float | None
    largest: float


def max_diff(left: pd.Series, right: pd.Series) -> float:
    """The largest absolute difference; NaN if a value is missing on either side."""
    difference = (left - right.reindex(left.index)).abs()
    return float("nan") if difference.isna().any() else float(difference.max())


def compare(store: Store, dataset: Dataset, measures: Sequence[str]) -> tuple[list[Row], float]:
    """Each measure by GDS in the database and by labournet in Python; the differences.

    Returns the rows and the seconds of the Python side's data movement (pull, to_networkx).
    """
    start = time.perf_counter()
    pulled = store.pull()
    pull = time.perf_counter() - start
    print(f"  store.pull(): {pull:.2f} s, equal to the dataset: {pulled == dataset}")
    del pulled
    start = time.perf_counter()
    G = labournet.to_networkx(dataset)
    convert = time.perf_counter() - start
    nodes = G.number_of_nodes()
    edges = len({(u, v) for u, v in G.edges()})
    loops = len({(u, v) for u, v in nx.selfloop_edges(G)})
    print(
        f"  labournet.to_networkx(dataset): {convert:.2f} s ({nodes:,} nodes, "
        f"{G.number_of_edges():,} edges, {edges:,} after merging parallel ones, {loops} of them "
        "self-loops)"
    )
    # the first call of each side pays for loading code (GDS's classes and JIT in the JVM;
    # scipy's modules in Python): paid once here, outside the timings
    start = time.perf_counter()
    write_gds_centrality(store, ["out_degree"])
    cold_gds = time.perf_counter() - start
    start = time.perf_counter()
    centrality(G, ["out_degree"])
    cold_py = time.perf_counter() - start
    print(
        f"  warm-up (out_degree, not timed below): GDS {cold_gds:.2f} s, labournet {cold_py:.2f} s"
    )
    frames, stored, timings = [], [], []
    for measure in measures:
        start = time.perf_counter()
        write_gds_centrality(store, [measure])
        gds_s = time.perf_counter() - start
        # read at once: a later call for "degree" removes the in/out-degree properties it
        # computed on the way, whichever run wrote them
        stored.append(read_scores(store, [measure]))
        start = time.perf_counter()
        options = {measure: ITERATIONS[measure]} if measure in ITERATIONS else {}
        frame = centrality(G, [measure], **options)
        py_s = time.perf_counter() - start
        engine = frame.attrs["projection"][measure]["engine"]
        frames.append(frame)
        timings.append((gds_s, py_s, engine))
        print(f"  {measure}: GDS {gds_s:.2f} s, labournet ({engine}) {py_s:.2f} s", flush=True)
    python = pd.concat(frames, axis=1)
    gds = pd.concat(stored, axis=1)
    rows = []
    for measure, (gds_s, py_s, engine) in zip(measures, timings, strict=True):
        tight = None
        if measure in TIGHT:  # networkx's stop rule is looser than GDS's: compare exact too
            exact = centrality(G, [measure], **{measure: TIGHT[measure]})[measure]
            tight = max_diff(exact, gds[measure])
        rows.append(
            Row(
                measure,
                nodes,
                edges,
                gds_s,
                py_s,
                engine,
                max_diff(python[measure], gds[measure]),
                tight,
                float(python[measure].abs().max()),
            )
        )
    return rows, pull + convert


def print_table(rows: Sequence[Row], tolerance: float) -> bool:
    header = (
        f"{'measure':<12} {'nodes':>8} {'edges':>8}  {'GDS s':>8} {'labournet s':>11} "
        f"{'engine':<10} {'GDS/labournet':>13}  {'max|diff|':>9} {'tight':>9} {'max|value|':>10}"
        "  agrees"
    )
    print(header)
    print("-" * len(header))
    ok = True
    for row in rows:
        best = row.diff if row.tight is None else row.tight
        agrees = bool(best <= tolerance)  # NaN (a missing score) does not agree
        ok &= agrees
        tight = "-" if row.tight is None else f"{row.tight:.1e}"
        print(
            f"{row.measure:<12} {row.nodes:>8,} {row.edges:>8,}  {row.gds:>8.2f} "
            f"{row.python:>11.2f} {row.engine:<10} {row.gds / row.python:>12.1f}x  "
            f"{row.diff:>9.1e} {tight:>9} {row.largest:>10.2e}  {'yes' if agrees else 'NO'}"
        )
    gds_total = sum(row.gds for row in rows)
    py_total = sum(row.python for row in rows)
    print(
        f"{'sum':<12} {'':>8} {'':>8}  {gds_total:>8.2f} {py_total:>11.2f} {'':<10} "
        f"{gds_total / py_total:>12.1f}x"
    )
    return ok


def bench_centrality(
    store: Store, tmp: Path, args: argparse.Namespace, measures: list[str], c_relations: int
) -> bool:
    """Part 2: GDS against labournet per measure, betweenness on its own network if asked."""
    print("\n2. centralities: GDS in Neo4j against labournet.centrality in Python")
    b_entities = args.betweenness_entities
    large = list(measures)
    separate = False
    if "betweenness" in measures and b_entities != args.centrality_entities:
        large.remove("betweenness")
        separate = b_entities > 0
        if not separate:
            print("betweenness skipped (--betweenness-entities 0)")
    ok = True
    rows: list[Row] = []
    moving: list[float] = []
    networks = [(args.centrality_entities, c_relations, large)]
    if separate:
        networks.append((b_entities, 5 * b_entities, ["betweenness"]))
    for entities, relations, wanted in networks:
        if not wanted:
            continue
        dataset = make_network(tmp / f"net-{entities}", entities, relations, args.seed)
        store.wipe()
        total, _, _ = timed_load(store, dataset, store.batch_size)
        print(
            f"  loaded batched in {total:.2f} s = {len(dataset.relations) / total:,.0f} relations/s"
        )
        ok &= check_counts(store, dataset, "load")
        found, seconds = compare(store, dataset, wanted)
        rows += found
        moving.append(seconds)
        del dataset
    print()
    ok &= print_table(rows, args.tolerance)
    print(
        "GDS s: write_gds_centrality(store, [measure]): projection, write procedure, rescaling in "
        "the database, run record. labournet s: centrality(G, [measure]) on the MultiDiGraph, "
        "projection included, max_iter 1000 for PageRank and eigenvector as GDS, not counting "
        "the data's way into Python (store.pull() and "
        f"labournet.to_networkx(dataset): {', '.join(f'{s:.1f} s' for s in moving)}). "
        "max|diff|: over "
        "every entity, GDS's property against labournet's column; tight: against labournet "
        "with tol 1e-13 (networkx's default stop rule is looser than GDS's); agrees: the "
        f"tight column where there is one, within {args.tolerance:g}"
    )
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=50_000, help="load network (50000)")
    parser.add_argument("--relations", type=int, default=250_000, help="load network (250000)")
    parser.add_argument(
        "--subset", type=int, default=3000, help="relations loaded row by row (default 3000)"
    )
    parser.add_argument(
        "--centrality-entities", type=int, default=100_000, help="centrality network (100000)"
    )
    parser.add_argument(
        "--centrality-relations",
        type=int,
        default=None,
        help="centrality network's relations (default 5 per entity)",
    )
    parser.add_argument(
        "--betweenness-entities",
        type=int,
        default=20_000,
        help="network for exact betweenness (default 20000, 5 relations per entity; 0 skips it)",
    )
    parser.add_argument(
        "--measures",
        default=",".join(DEFAULT_MEASURES),
        help=f"comma-separated, of {', '.join(GDS_MEASURES)}",
    )
    parser.add_argument("--tolerance", type=float, default=1e-9, help="max|diff| allowed (1e-9)")
    parser.add_argument("--heap", default="4g", help="Neo4j heap (default 4g)")
    parser.add_argument("--page-cache", default="2g", help="Neo4j page cache (default 2g)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-load", action="store_true", help="only the centralities")
    parser.add_argument("--skip-centrality", action="store_true", help="only the load")
    args = parser.parse_args(argv)
    # the driver logs the server's notifications (a pull names properties that no node has
    # here, such as figures' stated_by) as warnings on stderr: not what is measured
    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)
    measures = [m.strip() for m in args.measures.split(",") if m.strip()]
    unknown = sorted(set(measures) - set(GDS_MEASURES))
    if unknown:
        parser.error(f"unknown measures {', '.join(unknown)}; GDS computes {GDS_MEASURES}")
    c_relations = args.centrality_relations or 5 * args.centrality_entities

    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at the start")
    ok = True
    with tempfile.TemporaryDirectory(prefix="labournet-bench-neo4j-") as tmp:
        password = secrets.token_urlsafe(18)
        server = Neo4jServer(
            Path(tmp) / "neo4j",
            port=free_port(),
            password=password,
            heap=args.heap,
            page_cache=args.page_cache,
        )
        start = time.perf_counter()
        status = server.start()
        print(
            f"Neo4j started on {status.uri} in {time.perf_counter() - start:.1f} s "
            f"(heap {args.heap}, page cache {args.page_cache})"
        )
        try:
            with connect(status.uri, username="neo4j", password=password) as store:
                warm_up(store, Path(tmp))
                if not args.skip_load:
                    print("\n1. load")
                    dataset = make_network(
                        Path(tmp) / "load", args.entities, args.relations, args.seed
                    )
                    ok &= bench_load(store, dataset, args.subset)
                    del dataset
                if not args.skip_centrality:
                    ok &= bench_centrality(store, Path(tmp), args, measures, c_relations)
        finally:
            server.stop()
    print(f"load average {os.getloadavg()[0]:.2f} at the end")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
