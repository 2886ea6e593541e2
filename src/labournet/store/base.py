"""One small store interface over two graph databases: `Store`, and the seam below it.

The store speaks to its database through a `QueryRunner`: the seam where tests put a fake and
where each backend (`labournet.store.falkordb`, `labournet.store.neo4j`) turns driver objects
and errors into plain values and `StoreError`. `labournet.store.connection.connect` picks the
backend from a URI and opens a `Store`.

Credentials are never printed or logged: `Store.target` and every message name the server
without them.

Example (with a FalkorDB server running, e.g. ``labournet db start``)::

    >>> import labournet
    >>> from labournet.store import connect
    >>> with connect("falkordb://localhost:6379/labournet") as store:   # doctest: +SKIP
    ...     summary = store.load(labournet.load_dataset())
    ...     table = store.query("hosts_by_workers", limit=3)
"""

from __future__ import annotations

import math
import re
import time
import uuid
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager, nullcontext, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

from labournet._gc import paused
from labournet._text import plural
from labournet.errors import IncompleteGraphError, QueryError, StoreError
from labournet.io.stamp import Stamp, make_stamp
from labournet.store.bulk import BulkCommand, BulkForm, bulk_commands, bulk_form
from labournet.store.queries import (
    CypherFile,
    check_identifier,
    fill_template,
    resolve_query,
)
from labournet.store.rows import (
    RECORD_FILES,
    LoadPlan,
    Step,
    build_dataset,
    indexes_relationships,
    load_file,
    plan_load,
    schema_from_yaml,
)

if TYPE_CHECKING:
    import pandas as pd

    from labournet.model.dataset import Dataset

__all__ = [
    "Store",
    "StoreConflict",
    "QueryRunner",
    "Result",
    "Counts",
    "LoadSummary",
    "ScoreSummary",
    "Progress",
]

DEFAULT_BATCH_SIZE = 5000
PULLED = tuple(RECORD_FILES)
"""The record kinds a pull reads (``cypher/pull/<kind>.cypher``), in the order a load writes and
counts them (``load_expected``)."""

Progress = Callable[[str, int, int], None]
"""Called as ``progress(stage, rows_done, rows_total)`` after every batch of a load."""


class StoreConflict(StoreError):
    """A write lost a race for a unique id (Neo4j); an idempotent statement may run again."""


@dataclass(frozen=True)
class Result:
    """What a query returned, as plain Python values, and what it changed."""

    columns: list[str]
    rows: list[list[Any]]
    counters: Mapping[str, int] = field(default_factory=dict)

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


class QueryRunner(Protocol):
    """The seam between a `Store` and one database: run Cypher, return plain values.

    Implementations turn every driver error into `StoreError` (``raise ... from error``).
    """

    backend: str
    target: str

    def run(self, cypher: str, parameters: Mapping[str, Any], *, write: bool) -> Result:
        """Run one statement; ``write=False`` must run it read-only on the server."""
        ...

    def run_schema(self, statement: str) -> bool:
        """Run one DDL statement; False when what it creates already exists."""
        ...

    def wipe(self) -> None:
        """Delete everything labournet stored in this graph or database."""
        ...

    def close(self) -> None: ...


class BulkLoader(Protocol):
    """A runner that can load a new graph by bulk commands (FalkorDB)."""

    def bulk_ready(self) -> bool: ...

    def bulk(self, command: BulkCommand) -> None: ...


class LoadClaim(Protocol):
    """A load's claim on its graph: whether it may CREATE, and a check that it still holds."""

    @property
    def create(self) -> bool: ...

    def check(self) -> None: ...


class _MergeOnly:
    create = False

    def check(self) -> None:
        """A MERGE load needs no claim."""


_MERGE_ONLY = _MergeOnly()


@dataclass(frozen=True)
class Counts:
    """Nodes per combination of labels (``Entity:Country``) and relationships per type."""

    nodes: Mapping[str, int]
    relationships: Mapping[str, int]

    @property
    def total_nodes(self) -> int:
        return sum(self.nodes.values())

    @property
    def total_relationships(self) -> int:
        return sum(self.relationships.values())

    def label(self, label: str) -> int:
        """Nodes that carry `label` (alone or with others)."""
        return sum(n for combo, n in self.nodes.items() if label in combo.split(":"))


@dataclass(frozen=True)
class LoadSummary:
    """What a load did."""

    target: str
    dataset: str
    rows: int
    batches: int
    seconds: float
    before: Counts
    after: Counts
    nodes_created: int
    relationships_created: int
    properties_set: int
    repaired: int
    replaced: bool
    removed: Counts | None = None
    """With ``replace=True``: what the graph held before it was emptied."""
    previous: str | None = None
    """With ``replace=True``: the name of the dataset the graph held before, if any."""
    created: bool = False
    """Whether the load CREATEd into an empty graph (FalkorDB's first load) rather than MERGEd."""

    @property
    def relations_per_second(self) -> float:
        total = self.after.total_relationships
        return total / self.seconds if self.seconds > 0 else math.inf


@dataclass(frozen=True)
class ScoreSummary:
    """What `Store.write_scores` wrote."""

    run_id: str
    properties: tuple[str, ...]
    entities: int
    relations: int
    unmatched: tuple[str, ...]


class Store:
    """A graph database holding one labournet dataset; see `connect`."""

    def __init__(self, runner: QueryRunner, *, batch_size: int = DEFAULT_BATCH_SIZE) -> None:
        self.runner = runner
        self.batch_size = batch_size

    @property
    def backend(self) -> str:
        """``falkordb`` or ``neo4j``."""
        return self.runner.backend

    @property
    def target(self) -> str:
        """The server and graph (or database), without credentials."""
        return self.runner.target

    def __repr__(self) -> str:
        return f"<Store {self.target}>"

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.runner.close()

    # -- writing -------------------------------------------------------------------------------

    def apply_schema(self, dataset: Dataset) -> int:
        """Create the constraints and indexes for the dataset's schema; returns how many are new."""
        plan = plan_load(dataset, self.backend)
        return self._apply_schema(plan)

    def load(
        self,
        dataset: Dataset,
        *,
        replace: bool = False,
        batch_size: int | None = None,
        progress: Progress | None = None,
    ) -> LoadSummary:
        """Load a dataset: schema first, then batched statements, one transaction each.

        Loading is idempotent: a second load of the same dataset changes no counts. Entities
        whose kind changed and relations whose kind or ends changed since an earlier load are
        deleted and loaded again, so a reload converges on the data; records that are no longer
        in the data stay unless ``replace=True``, which empties the graph first.
        A graph that holds another dataset (another name) is refused with `QueryError` before
        anything is written, unless ``replace=True``: loading over it would mix the two.
        Every name is checked before the first query (`QueryError` if one is unsafe).

        On FalkorDB a first load (into an empty graph, or one it replaces) CREATEs under the
        graph's load lock and indexes relationship ids after the data, which is faster; into a
        graph that does not exist yet (or that it replaces) it sends the data as ``GRAPH.BULK``
        commands instead (`labournet.store.bulk`), into the indexes made first, with the same
        result. Other loads MERGE,
        side by side (`labournet.store.falkordb.LoadLock`). A load that fails half-way is
        marked unfinished either way: a pull refuses it, the next load completes it.
        """
        # the plan's rows and the bulk tokens are millions of plain values without cycles:
        # the cycle collector, run while they pile up, would only rescan them and the dataset
        with paused():
            return self._load(dataset, replace=replace, batch_size=batch_size, progress=progress)

    def _load(
        self,
        dataset: Dataset,
        *,
        replace: bool,
        batch_size: int | None,
        progress: Progress | None,
    ) -> LoadSummary:
        size = self._batch_size(batch_size)
        plan = plan_load(dataset, self.backend)
        started = time.perf_counter()

        def fresh() -> bool:
            return plan.unique_ids and (replace or self.counts().total_nodes == 0)

        with self._claim_load(fresh) as claim:
            previous = self.dataset_name()
            removed = None
            if replace:
                removed = self.counts()
                self.runner.wipe()
            elif previous is not None and previous != dataset.name:
                raise QueryError(
                    f"{self.target} holds dataset {previous!r}; loading {dataset.name!r} over "
                    "it would mix the two: pass replace=True (--replace on the command line) to "
                    "empty the graph first, or load into another graph"
                )
            before = self.counts()
            repair = bool(before.label("Entity"))
            totals, batches = self._write(plan, size, claim, progress, repair=repair)
            after = self.counts()
        return LoadSummary(
            target=self.target,
            dataset=dataset.name,
            rows=plan.total_rows,
            batches=batches,
            seconds=time.perf_counter() - started,
            before=before,
            after=after,
            nodes_created=totals["nodes_created"],
            relationships_created=totals["relationships_created"],
            properties_set=totals["properties_set"],
            repaired=totals["repaired"],
            replaced=replace,
            removed=removed,
            previous=previous if replace else None,
            created=claim.create,
        )

    def _write(
        self,
        plan: LoadPlan,
        size: int,
        claim: LoadClaim,
        progress: Progress | None,
        *,
        repair: bool,
    ) -> tuple[dict[str, int], int]:
        """Send the plan: by CREATE when `claim` allows it, else by MERGE (after a repair of
        what the graph holds, with `repair`). Returns the summed counters (and ``repaired``)
        and the number of batches."""
        forms = self._bulk_forms(plan) if claim.create else None
        if forms is not None:
            return self._write_bulk(plan, forms, size, claim, progress)
        if claim.create:
            self._index_nodes(plan)
            repaired = 0
        else:
            self._apply_schema(plan)
            repaired = self._repair(plan, size) if repair else 0
        totals = self._start(plan)
        done, batches, total = 0, 0, plan.total_rows
        if progress:
            progress("start", 0, total)
        for step, batch, parameters in self._batches(plan, size):
            claim.check()
            if claim.create:
                result = self._run_step(step.file, step.create, parameters, idempotent=False)
            else:
                result = self._run_step(step.file, step.cypher, parameters)
            for key in totals:
                totals[key] += int(result.counters.get(key, 0))
            done += len(batch)
            batches += 1
            if progress:
                progress(step.stage, done, total)
        if claim.create:
            self._index_relationships(plan)
        else:
            self.runner.run(load_file("admin", "unlink_figures.cypher").body, {}, write=True)
        self._complete(claim)
        return totals | {"repaired": repaired}, batches

    def _start(self, plan: LoadPlan) -> dict[str, int]:
        """Record on the head node that a load of the dataset started (it reads as unfinished
        until `_complete`); the counters of what that wrote."""
        dataset_file = load_file("load", "dataset.cypher")
        head = self._run_step(
            dataset_file, dataset_file.body, plan.dataset_parameters | {"started": _now()}
        )
        keys = ("nodes_created", "relationships_created", "properties_set")
        return {key: int(head.counters.get(key, 0)) for key in keys}

    def _index_nodes(self, plan: LoadPlan) -> None:
        """A first load's schema but the relationship indexes, built before the data."""
        for statement in plan.schema_statements:
            if not indexes_relationships(statement):
                self.runner.run_schema(statement)

    def _index_relationships(self, plan: LoadPlan) -> None:
        """A first load's relationship id indexes, built over all the data it wrote."""
        for statement in plan.schema_statements:
            if indexes_relationships(statement):
                self.runner.run_schema(statement)
        self._wait_for_indexes()

    def _wait_for_indexes(self) -> None:
        """Return when the server has built every index (FalkorDB builds them in the
        background; a MERGE load after this one relies on the relationship id indexes)."""
        wait_for_indexes = getattr(self.runner, "wait_for_indexes", None)
        if wait_for_indexes is not None:
            wait_for_indexes()

    def _complete(self, claim: LoadClaim) -> None:
        """Mark the load complete, if it still holds its claim on the graph."""
        claim.check()
        complete = load_file("load", "complete.cypher")
        self._run_step(complete, complete.body, {"finished": _now()})

    def _bulk_forms(self, plan: LoadPlan) -> list[BulkForm] | None:
        """The bulk form of each step, if this first load may go by bulk commands: the runner
        has them (FalkorDB), the graph is new, and every statement has a bulk form."""
        ready = getattr(self.runner, "bulk_ready", None)
        if ready is None or not plan.steps:
            return None
        forms = [bulk_form(step.create) for step in plan.steps]
        if any(form is None for form in forms) or not ready():
            return None
        return cast("list[BulkForm]", forms)

    def _write_bulk(
        self,
        plan: LoadPlan,
        forms: list[BulkForm],
        size: int,
        claim: LoadClaim,
        progress: Progress | None,
    ) -> tuple[dict[str, int], int]:
        """A first load into a new graph: the head node by Cypher (so that the load reads as
        unfinished until it completes), every index, then the data as ``GRAPH.BULK`` commands
        of `size` rows each (`labournet.store.bulk`). The server adds each command's nodes and
        relationships to the indexes as it runs it, while the next command is encoded, so the
        relationship indexes cost the load less than built after it (as the statements' first
        load does, whose CREATEs they would slow). A value the server cannot store
        (`QueryError`) deletes the graph again, so nothing of the load stays."""
        totals = self._start(plan)
        numbering = self.runner.run(
            load_file("admin", "node_numbering.cypher").body, {}, write=False
        )
        if numbering.rows != [[1, 0]]:
            raise StoreError(
                f"{self.target}: another client wrote into the new graph while this load began "
                f"({numbering.rows[0][0]} nodes where the load had made one); load again"
            )
        self._apply_schema(plan)
        try:
            batches, samples = self._send_bulk(plan, forms, size, claim, progress, totals)
        except QueryError:  # a value the server cannot store: the new graph goes again
            with suppress(StoreError):
                self.runner.wipe()
            raise
        self._check_numbering(samples)
        self._wait_for_indexes()
        self._complete(claim)
        return totals | {"repaired": 0}, batches

    def _send_bulk(
        self,
        plan: LoadPlan,
        forms: list[BulkForm],
        size: int,
        claim: LoadClaim,
        progress: Progress | None,
        totals: dict[str, int],
    ) -> tuple[int, dict[int, Any]]:
        """Send the bulk commands, each encoded while the server runs the one before; add what
        they made to `totals`. Returns the number of commands and their numbering samples."""
        send = cast("BulkLoader", self.runner).bulk
        done, batches, total = 0, 0, plan.total_rows
        samples: dict[int, Any] = {}
        if progress:
            progress("start", 0, total)

        def finish(command: BulkCommand, sending: Future[None]) -> None:
            nonlocal done, batches
            sending.result()
            made = "nodes_created" if command.is_node else "relationships_created"
            totals[made] += command.rows
            totals["properties_set"] += command.properties
            samples.update(command.samples)
            done += command.rows
            batches += 1
            if progress:
                progress(command.stage, done, total)

        with ThreadPoolExecutor(max_workers=1) as pool:
            pending: tuple[BulkCommand, Future[None]] | None = None
            for command in bulk_commands(plan, forms, first_id=1, rows=size):
                claim.check()
                if pending is not None:
                    finish(*pending)
                pending = (command, pool.submit(send, command))
            if pending is not None:
                finish(*pending)
        return batches, samples

    def _check_numbering(self, samples: Mapping[int, Any]) -> None:
        """`StoreError` unless the nodes at the sampled internal ids are the records the bulk
        load numbered so (its relationships' ends rest on that numbering)."""
        found = self.runner.run(
            load_file("admin", "nodes_by_internal_id.cypher").body,
            {"ids": sorted(samples)},
            write=False,
        )
        got = {internal: record_id for internal, record_id in found.rows}
        wrong = [i for i, record_id in samples.items() if got.get(i) != record_id]
        if wrong:
            raise StoreError(
                f"{self.target}: the server numbered the loaded nodes otherwise than the bulk "
                f"load did (node {wrong[0]} holds {got.get(wrong[0])!r}, not "
                f"{samples[wrong[0]]!r}); the graph is marked unfinished: load again with "
                "replace=True (--replace)"
            )

    def wipe(self) -> None:
        """Delete everything labournet stored here (the graph, on FalkorDB)."""
        self.runner.wipe()

    def write_scores(
        self,
        frame: pd.DataFrame,
        *,
        prefix: str = "score_",
        settings: Mapping[str, Any] | None = None,
        run_id: str | None = None,
        batch_size: int | None = None,
        stamp: Stamp | None = None,
    ) -> ScoreSummary:
        """Write a score table back as properties, and record the run as an AnalysisRun node.

        `frame` is indexed by entity or relation id and has numeric (or boolean) columns;
        column ``pagerank`` becomes property ``score_pagerank`` (with the default `prefix`), so
        Cypher can sort by it. NaN removes the property. Ids found neither as entities nor as
        relations are returned in ``unmatched``. `settings` (scalars, or lists of scalars) are
        stored on the run node as ``setting_<name>``, and `stamp` (what made the scores:
        `labournet.io.stamp`) as ``stamp_<field>``. A table that is not like that (a column
        that is not numeric, an infinite value, an id or a name given twice) is refused with
        `QueryError` before anything is written.
        """
        size = self._batch_size(batch_size)
        names = self._score_names(frame, prefix)
        ids = [str(index) for index in frame.index]
        if len(set(ids)) != len(ids):
            raise QueryError("the score table has duplicate ids in its index")
        values = [
            {name: _score_value(value, name) for name, value in zip(names, row, strict=True)}
            for row in frame.itertuples(index=False, name=None)
        ]
        by_id = dict(zip(ids, values, strict=True))

        found_file = load_file("scores", "find_entities.cypher")
        entity_ids: list[str] = []
        for batch in _chunks(ids, size):
            found = self.runner.run(found_file.body, {"ids": batch}, write=False)
            entity_ids += [row[0] for row in found.rows]
        rest = [i for i in ids if i not in set(entity_ids)]
        relation_types: dict[str, str] = {}
        relation_sources: dict[str, set[str]] = {}
        if rest:
            relation_file = load_file("scores", "find_relations.cypher")
            for batch in _chunks(rest, size):
                result = self.runner.run(relation_file.body, {"ids": batch}, write=False)
                for rel_id, rel_type, source in result.rows:
                    relation_types[rel_id] = rel_type
                    relation_sources.setdefault(rel_id, set()).add(source)
        allowed_types = {kind.type for kind in self._stored_schema().relations.values()}

        write_file = load_file("scores", "entities.cypher")
        for batch in _chunks([[i, by_id[i]] for i in entity_ids], size):
            self._run_step(write_file, write_file.body, {"rows": batch})
        relation_file = load_file("scores", "relations.cypher")
        by_type: dict[str, list[list[Any]]] = {}
        for rel_id, rel_type in relation_types.items():
            for source in sorted(relation_sources[rel_id]):
                by_type.setdefault(rel_type, []).append([rel_id, source, by_id[rel_id]])
        for rel_type, rows in by_type.items():
            cypher = fill_template(
                relation_file, type=check_identifier(rel_type, "relationship type", allowed_types)
            )
            for batch in _chunks(rows, size):
                self._run_step(relation_file, cypher, {"rows": batch})

        unmatched = tuple(i for i in rest if i not in relation_types)
        summary = ScoreSummary(
            run_id or new_run_id(), tuple(names), len(entity_ids), len(relation_types), unmatched
        )
        self.record_run(summary, prefix=prefix, settings=settings, stamp=stamp)
        return summary

    def record_run(
        self,
        summary: ScoreSummary,
        *,
        prefix: str,
        settings: Mapping[str, Any] | None = None,
        stamp: Stamp | None = None,
    ) -> None:
        """Store the AnalysisRun node of a score write-back: when, which properties, settings,
        and the stamp of what made it (``stamp_version``, ``stamp_dataset_hash``,
        ``stamp_as_of``, ``stamp_seed``, ``stamp_command``, ...; by default this call's)."""
        properties: dict[str, Any] = {
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "prefix": prefix,
            "properties": list(summary.properties),
            "rows": summary.entities + summary.relations + len(summary.unmatched),
            "entities": summary.entities,
            "relations": summary.relations,
            "unmatched": len(summary.unmatched),
        }
        properties |= _flatten_settings(settings or {})
        made = stamp or make_stamp(None, call="Store.write_scores()")
        properties |= {f"stamp_{k}": v for k, v in made.to_dict().items() if v is not None}
        run_file = load_file("scores", "run.cypher")
        self.runner.run(run_file.body, {"id": summary.run_id, "properties": properties}, write=True)

    # -- reading -------------------------------------------------------------------------------

    def dataset_name(self) -> str | None:
        """The name of the dataset the graph holds, or None when it holds none."""
        head = self._head()
        return None if head is None else str(head["name"])

    def pull(self, *, regime: str | None = None) -> Dataset:
        """Read the graph back into a Dataset equal to the one loaded.

        What comes back is checked like a dataset folder, since other tools may have written to
        the graph: `DatasetError` lists every problem (``FILE:LINE: FIELD: reason``, as in the
        files `db pull` writes). A graph whose last load did not finish, or that holds fewer
        records than that load wrote, is refused (`IncompleteGraphError`); records beyond what
        it wrote (left by an earlier load, or written by another tool) are pulled with a warning.
        `regime` names the regime when the data does not mark exactly one (as ``--regime``).
        """
        head = self._head()
        if head is None:
            raise QueryError(f"{self.target} holds no labournet dataset; load one first")
        name = str(head["name"])
        self._check_load_finished(name, head)
        schema = schema_from_yaml(head["schema"], self.target)
        parameters = {
            "entities": {"properties": list(schema.entity_properties)},
            "relations": {"properties": list(schema.relation_properties)},
        }
        records = {}
        for part in PULLED:
            file = load_file("pull", f"{part}.cypher")
            records[part] = self.runner.run(
                file.body, parameters.get(part, {}), write=False
            ).records()
        self._check_counts(name, head, {part: len(found) for part, found in records.items()})
        label = f"the dataset {self.target} holds (lines as `db pull` would write them)"
        return build_dataset(name, schema, records, label=label, regime=regime)

    def _head(self) -> dict[str, Any] | None:
        """The Dataset node's record (name, schema, the last load), or None when there is none."""
        head = self.runner.run(load_file("pull", "dataset.cypher").body, {}, write=False)
        return head.records()[0] if head.rows else None

    def _check_load_finished(self, name: str, head: Mapping[str, Any]) -> None:
        complete = head.get("load_complete")
        if complete is True:
            return
        if complete is None:
            warnings.warn(
                f"{self.target} does not record whether the load of {name!r} finished (it was "
                "loaded by an older labournet, or written by another tool); load it again to "
                "be sure the pull is whole",
                stacklevel=3,
            )
            return
        started = head.get("load_started") or "an unknown time"
        raise IncompleteGraphError(
            f"the last load of {name!r} into {self.target} (started {started}) did not finish, "
            "so the graph may hold only part of the dataset; run `labournet db load` again to "
            "complete it (with --replace to start afresh), then pull"
        )

    def _check_counts(self, name: str, head: Mapping[str, Any], found: Mapping[str, int]) -> None:
        expected = head.get("load_expected")
        if not (
            isinstance(expected, list)
            and len(expected) == len(PULLED)
            and all(isinstance(n, int) and not isinstance(n, bool) for n in expected)
        ):
            return
        short, extra = [], []
        for part, wrote in zip(PULLED, expected, strict=True):
            held = found[part]
            noun = RECORD_FILES[part].__name__.lower()
            if held < wrote:
                short.append(f"{held:,} of the {plural(wrote, noun, grouped=True)}")
            elif held > wrote:
                extra.append(plural(held - wrote, noun, grouped=True))
        if short:
            raise IncompleteGraphError(
                f"{self.target} holds {', '.join(short)} its last load of {name!r} wrote: records "
                "were deleted since; run `labournet db load` again to restore them, then pull"
            )
        if extra:
            warnings.warn(
                f"{self.target} holds {', '.join(extra)} more than its last load of {name!r} "
                "wrote (left by an earlier load, or written by another tool); they are pulled "
                "too (load with --replace to keep only the dataset)",
                stacklevel=3,
            )

    def query(
        self,
        cypher_or_file: str | Path | CypherFile,
        /,
        *,
        write: bool = False,
        **parameters: Any,
    ) -> pd.DataFrame:
        """Run a shipped query (by name), a ``.cypher`` file or Cypher text; rows as a DataFrame.

        Parameters are checked against the file's header (unknown or missing ones, wrong types
        raise `QueryError` naming the file). Read-only unless ``write=True``: a query that
        writes is refused before it is sent, and the server runs it in read-only mode.
        """
        import pandas as pd

        result = self.run(cypher_or_file, parameters, write=write)
        return pd.DataFrame(result.rows, columns=result.columns)

    def run(
        self,
        cypher_or_file: str | Path | CypherFile,
        parameters: Mapping[str, Any] | None = None,
        *,
        write: bool = False,
        examples: bool = False,
    ) -> Result:
        """Like `query`, returning a `Result` (rows as lists) instead of a DataFrame."""
        file = resolve_query(cypher_or_file)
        given = dict(parameters or {})
        if "param" in file.header:
            bound = file.bind(given, examples=examples)
        else:
            missing = sorted(set(file.used_parameters) - set(given))
            if missing:
                raise QueryError(f"{file.path}: missing parameter {', '.join(missing)}")
            bound = given
        if file.placeholders:
            raise QueryError(f"{file.path}: is a template ({{{{...}}}}); it cannot run as is")
        if not write:
            if file.mode != "read":
                raise QueryError(
                    f"{file.path}: this is a {file.mode} query; allow writing to run it (--write "
                    "on the command line, write=True in Python)"
                )
            file.check_read_only()
        if file.scores:
            self._check_scores_written(file, bound)
        try:
            return self.runner.run(file.body, bound, write=write)
        except StoreError as error:
            raise _in_file(error, file) from error

    def _check_scores_written(self, file: CypherFile, bound: Mapping[str, Any]) -> None:
        """`QueryError` if a score property the query reads was never written by an analysis."""
        written = load_file("scores", "written.cypher")
        for name in file.scores:
            prop = bound.get(name)
            if prop is None:
                continue
            runs = self.runner.run(written.body, {"property": prop}, write=False)
            if not runs.rows:
                raise QueryError(
                    f"{file.path}: no analysis has written {prop} yet; run "
                    "`labournet db analyse --write` first (or Store.write_scores)"
                )

    def counts(self) -> Counts:
        """Nodes per label combination and relationships per type."""
        nodes = self.runner.run(load_file("admin", "count_nodes.cypher").body, {}, write=False)
        rels = self.runner.run(
            load_file("admin", "count_relationships.cypher").body, {}, write=False
        )
        node_counts: dict[str, int] = {}
        for labels, count in nodes.rows:
            key = ":".join(sorted(labels, key=lambda label: (label != "Entity", label)))
            node_counts[key] = node_counts.get(key, 0) + int(count)
        return Counts(
            dict(sorted(node_counts.items())),
            dict(sorted((str(t), int(c)) for t, c in rels.rows)),
        )

    def duplicates(self) -> list[dict[str, Any]]:
        """Ids held by more than one node or relationship (a correct load leaves none)."""
        found = []
        for name in ("duplicate_nodes", "duplicate_relations"):
            found += self.runner.run(
                load_file("admin", f"{name}.cypher").body, {}, write=False
            ).records()
        return found

    # -- internals -----------------------------------------------------------------------------

    def _apply_schema(self, plan: LoadPlan) -> int:
        return sum(1 for statement in plan.schema_statements if self.runner.run_schema(statement))

    def _batches(self, plan: LoadPlan, size: int) -> Iterator[tuple[Step, Sequence[Any], Any]]:
        """Each batch of the plan with its parameters; a runner that can `prepare` parameters
        (FalkorDB: encode them) does so for the next batch while the current one runs."""
        work = [(step, batch) for step in plan.steps for batch in _chunks(step.rows, size)]
        prepare = getattr(self.runner, "prepare", None)
        if prepare is None:
            for step, batch in work:
                yield step, batch, {"rows": batch}
            return
        with ThreadPoolExecutor(max_workers=1) as pool:
            pending: tuple[Step, Sequence[Any], Future[Any]] | None = None
            for step, batch in work:
                future = pool.submit(prepare, {"rows": batch}, plan.map_keys)
                if pending is not None:
                    yield pending[0], pending[1], pending[2].result()
                pending = (step, batch, future)
            if pending is not None:
                yield pending[0], pending[1], pending[2].result()

    def _run_step(
        self,
        file: CypherFile,
        cypher: str,
        parameters: Mapping[str, Any],
        *,
        idempotent: bool = True,
    ) -> Result:
        """Run one write; an idempotent one (a MERGE batch) that lost a race for an id is run
        again."""
        for attempt in range(4):
            try:
                return self.runner.run(cypher, parameters, write=True)
            except StoreConflict as error:
                if attempt == 3 or not idempotent:
                    raise _in_file(error, file) from error
                time.sleep(0.05 * 2**attempt)
            except StoreError as error:
                raise _in_file(error, file) from error
        raise AssertionError("unreachable")  # pragma: no cover

    def _claim_load(self, fresh: Callable[[], bool]) -> AbstractContextManager[LoadClaim]:
        """The runner's claim on the graph for a load (FalkorDB: `LoadLock`); a runner
        without one (Neo4j, whose constraints keep MERGE loads apart) always MERGEs."""
        claim = getattr(self.runner, "claim_load", None)
        if claim is None:
            return nullcontext(_MERGE_ONLY)
        return cast("AbstractContextManager[LoadClaim]", claim(fresh))

    def _repair(self, plan: LoadPlan, size: int) -> int:
        """Delete nodes and relationships that a MERGE could not update in place.

        An entity whose kind (so label) changed, a relation whose kind or ends changed, and any
        id held twice are deleted here and recreated by the load that follows.
        """
        existing = self.runner.run(
            load_file("admin", "existing_entities.cypher").body, {}, write=False
        )
        seen: dict[str, int] = {}
        stale: set[str] = set()
        for entity_id, _kind, labels in existing.rows:
            seen[entity_id] = seen.get(entity_id, 0) + 1
            label = plan.entity_labels.get(entity_id)
            if label is not None and label not in labels:
                stale.add(entity_id)
        stale |= {i for i, n in seen.items() if n > 1 and i in plan.entity_labels}
        delete_entities = load_file("admin", "delete_entities.cypher")
        for batch in _chunks(sorted(stale), size):
            self.runner.run(delete_entities.body, {"ids": batch}, write=True)

        existing = self.runner.run(
            load_file("admin", "existing_relations.cypher").body, {}, write=False
        )
        copies: dict[str, list[tuple[str, str, str]]] = {}
        for rel_id, rel_type, source, target in existing.rows:
            copies.setdefault(rel_id, []).append((rel_type, source, target))
        stale_rels: dict[str, set[tuple[str, str]]] = {}
        for rel_id, found in copies.items():
            shape = plan.relation_shapes.get(rel_id)
            if shape is not None and (len(found) > 1 or found[0] != shape):
                for rel_type, source, _target in found:
                    stale_rels.setdefault(rel_type, set()).add((rel_id, source))
        allowed = {shape[0] for shape in plan.relation_shapes.values()} | set(stale_rels)
        delete_relations = load_file("admin", "delete_relations.cypher")
        for rel_type, rel_ids in stale_rels.items():
            cypher = fill_template(
                delete_relations, type=check_identifier(rel_type, "relationship type", allowed)
            )
            rows = [[rel_id, source] for rel_id, source in sorted(rel_ids)]
            for batch in _chunks(rows, size):
                self.runner.run(cypher, {"rows": batch}, write=True)
        return len(stale) + len({i for pairs in stale_rels.values() for i, _ in pairs})

    def _stored_schema(self) -> Any:
        head = self._head()
        return schema_from_yaml(None if head is None else head["schema"], self.target)

    @staticmethod
    def _score_names(frame: pd.DataFrame, prefix: str) -> list[str]:
        import pandas as pd

        names = []
        for column in frame.columns:
            series = frame[column]
            if not (pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series)):
                raise QueryError(
                    f"score column {column!r} is not numeric; "
                    "pass only numeric columns (frame.select_dtypes('number'))"
                )
            names.append(check_identifier(f"{prefix}{column}", "score property"))
        if len(set(names)) != len(names):
            raise QueryError("the score table has duplicate column names")
        return names

    def _batch_size(self, batch_size: int | None) -> int:
        """Rows per statement: `batch_size`, else the store's; `QueryError` below 1."""
        size = self.batch_size if batch_size is None else batch_size
        if size < 1:
            raise QueryError(f"batch size must be at least 1, not {size}")
        return size


def _in_file(error: StoreError, file: CypherFile) -> StoreError:
    """`error` led by the name of the Cypher file that met it, and of the same class: a
    `QueryError` is still the user's to fix (exit 2), a `StoreConflict` still a lost race."""
    return type(error)(f"{file.path}: {error}")


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _score_value(value: Any, name: str) -> Any:
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    number = float(value)
    if math.isnan(number):
        return None
    if math.isinf(number):
        raise QueryError(f"score {name}: infinite values cannot be stored")
    return number


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def new_run_id() -> str:
    """A fresh AnalysisRun id: the UTC time and a random suffix."""
    return f"run-{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"


def _flatten_settings(settings: Mapping[str, Any], prefix: str = "setting_") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in settings.items():
        name = re.sub(r"[^A-Za-z0-9_]", "_", f"{prefix}{key}")
        if isinstance(value, Mapping):
            flat |= _flatten_settings(value, f"{name}_")
            continue
        check_identifier(name, "setting name")
        if isinstance(value, list | tuple):
            items = [v if isinstance(v, str | int | float | bool) else str(v) for v in value]
            if len({type(v) for v in items}) > 1:  # Neo4j stores only lists of one type
                items = [str(v) for v in items]
            flat[name] = items if items else None
        elif value is None or isinstance(value, str | int | float | bool):
            flat[name] = value
        else:
            flat[name] = str(value)
    return flat
