"""Centralities computed inside Neo4j by the Graph Data Science library, written as properties.

`write_gds_centrality` projects the entity graph into GDS's catalog as the same simple directed
graph `labournet.centrality` computes on (every relation between entities, parallel relations
merged, unweighted), runs GDS's *write* procedures, brings each score to networkx's convention
in the database, and records the run as an AnalysisRun node, under the property names of
labournet's own write-back (``score_<measure>``). So the shipped ``top_pressure_points`` query
and an analyst's Cypher read either engine's scores.

Conventions, per measure (n entities):

=============  ==========================================  =================================
measure        GDS procedure (projection)                  brought to networkx's value by
=============  ==========================================  =================================
out_degree     gds.degree (ALONG)                          / (n - 1)
in_degree      gds.degree (AGAINST)                        / (n - 1)
degree         in + out                                    / (n - 1)
betweenness    gds.betweenness (ALONG), ordered pairs      / ((n - 1)(n - 2))
closeness      gds.closeness, useWassermanFaust (ALONG)    nothing: the same formula
harmonic       gds.closeness.harmonic (ALONG)              x (n - 1): GDS divides by it
pagerank       gds.pageRank, damping 0.85 (ALONG)          / the sum of the scores
eigenvector    gds.eigenvector (A + I: a self-loop added)  nothing: both have unit length
=============  ==========================================  =================================

Why these agree, and where they still differ:

* PageRank: GDS's teleport term is ``1 - damping`` (not divided by n) and it does not pass on
  the rank of nodes without outgoing relations. networkx spreads that rank uniformly, as it
  teleports, and then the two fixed points are proportional; rescaled to sum 1 they are equal.
  What remains is the stopping rule: networkx stops when the L1 change is below ``n * 1e-6``,
  GDS here at ``1e-10`` per score, so ``labournet.centrality`` is the less exact of the two.
* Eigenvector: networkx iterates ``x <- x + A'x`` (the shifted matrix ``A + I``). On a graph
  that is not strongly connected, such as the bundled one, plain power iteration on ``A``
  converges elsewhere or to zero (measured: GDS gave 0 for every entity of the bundled
  dataset). So GDS runs on a second projection with a self-loop on every entity (``A + I``)
  and then agrees with networkx's limit (a real self-loop is kept beside the added one, as
  networkx counts it twice too; without that, 4 self-loops in 5,000 nodes moved a score by
  6e-3).
* Katz: GDS has none; asking for it is an error, and every run lists it as not computed.
* A result that is no result: on a generated network of 100,000 entities GDS 2.13.9 reported
  the eigenvector iteration converged and wrote 0 for every entity (its iteration on A + I
  overflows a double after about 88 steps there). Every eigenvector is checked (unit length,
  some score non-zero); one that fails is removed and listed in the run's ``not_computed``
  with the reason, and `GdsRun.failed` says so too. labournet's own eigenvector is then the
  one to use.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from labournet.analysis.centrality import MEASURES
from labournet.errors import AnalysisError, QueryError, StoreError
from labournet.io.stamp import Stamp
from labournet.store.base import ScoreSummary, new_run_id
from labournet.store.queries import check_identifier, fill_template
from labournet.store.rows import load_file

if TYPE_CHECKING:
    from labournet.store.base import Store

__all__ = ["write_gds_centrality", "GdsRun", "GDS_MEASURES", "NOT_IN_GDS"]

NOT_IN_GDS = {"katz": "GDS has no Katz centrality"}
GDS_MEASURES = tuple(measure for measure in MEASURES if measure not in NOT_IN_GDS)
"""The measures GDS computes here, in labournet's column order."""
CONVENTIONS = {
    "degree": "GDS degree along plus against the relations, divided by n - 1",
    "in_degree": "GDS degree against the relations, divided by n - 1",
    "out_degree": "GDS degree along the relations, divided by n - 1",
    "betweenness": "GDS betweenness (ordered pairs), divided by (n - 1)(n - 2)",
    "closeness": "GDS closeness with useWassermanFaust, as networkx's wf_improved",
    "harmonic": "GDS harmonic closeness times n - 1 (GDS divides by n - 1, networkx does not)",
    "pagerank": "GDS PageRank divided by its sum: networkx's fixed point (networkx's own "
    "values stop at its looser tolerance, L1 change below n * 1e-6)",
    "eigenvector": "GDS eigenvector centrality on A + I (a self-loop on every entity), as "
    "networkx iterates; unit Euclidean length",
}


@dataclass(frozen=True)
class GdsRun:
    """What a GDS run wrote: its AnalysisRun summary, the projection's size, per-measure notes."""

    summary: ScoreSummary
    nodes: int
    relationships: int
    measures: tuple[str, ...]
    conventions: dict[str, str] = field(default_factory=dict)
    iterations: dict[str, int] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    """Measures GDS ran but could not compute (written nothing), with the reason."""


def write_gds_centrality(
    store: Store,
    measures: str | Iterable[str] | None = None,
    *,
    prefix: str = "score_",
    concurrency: int = 4,
    tolerance: float = 1e-10,
    iterations: int = 1000,
    stamp: Stamp | None = None,
) -> GdsRun:
    """Compute centralities with GDS inside the database and write them as ``<prefix><measure>``.

    `measures` defaults to every one of `GDS_MEASURES`. The open edition of GDS runs at most
    4 threads. Raises `QueryError` for a store that is not Neo4j, `StoreError` for a Neo4j
    without GDS, `AnalysisError` for a measure GDS does not have.
    """
    wanted = _measures(measures)
    if store.backend != "neo4j":
        raise QueryError(
            f"--engine gds needs Neo4j with the Graph Data Science library; {store.target} is "
            f"{store.backend}"
        )
    available = _run(store, "available.cypher", {}, write=False)
    if not available.rows or not available.rows[0][0]:
        raise StoreError(
            f"{store.target} has no Graph Data Science procedures: install the GDS plugin "
            "(docker-compose.yml does), or run labournet db start --backend neo4j"
        )
    graph = f"labournet_{uuid.uuid4().hex[:12]}"
    projected = _run(store, "project.cypher", {"graph": graph}, write=False)
    _, nodes, relationships = projected.rows[0]
    converged: dict[str, int] = {}
    failed: dict[str, str] = {}
    try:
        properties = _write(
            store,
            graph,
            wanted,
            int(nodes),
            prefix,
            concurrency,
            tolerance,
            iterations,
            converged,
            failed,
        )
    finally:
        _run(store, "drop.cypher", {"graph": graph}, write=False)
    summary = ScoreSummary(new_run_id(), tuple(properties), int(nodes), 0, ())
    settings: dict[str, Any] = {
        "analysis": "centrality",
        "engine": "gds",
        "measures": [measure for measure in wanted if measure not in failed],
        "not_computed": [f"{name}: {why}" for name, why in {**NOT_IN_GDS, **failed}.items()],
        "projection": "entities; every relation, parallel ones merged; unweighted; directed",
        "conventions": {name: CONVENTIONS[name] for name in wanted},
        "iterations": dict(converged),
        "concurrency": concurrency,
    }
    store.record_run(summary, prefix=prefix, settings=settings, stamp=stamp)
    return GdsRun(
        summary,
        int(nodes),
        int(relationships),
        tuple(measure for measure in wanted if measure not in failed),
        {name: CONVENTIONS[name] for name in wanted},
        converged,
        failed,
    )


def _measures(measures: str | Iterable[str] | None) -> tuple[str, ...]:
    if measures is None:
        return GDS_MEASURES
    asked = [measures] if isinstance(measures, str) else list(measures)
    for name in asked:
        if name in NOT_IN_GDS:
            raise AnalysisError(f"measure {name!r} cannot run in GDS: {NOT_IN_GDS[name]}")
        if name not in GDS_MEASURES:
            raise AnalysisError(f"unknown measure {name!r}; GDS computes {', '.join(GDS_MEASURES)}")
    return tuple(name for name in GDS_MEASURES if name in asked)


def _write(
    store: Store,
    graph: str,
    measures: tuple[str, ...],
    n: int,
    prefix: str,
    concurrency: int,
    tolerance: float,
    iterations: int,
    converged: dict[str, int],
    failed: dict[str, str],
) -> list[str]:
    def name(measure: str) -> str:
        return check_identifier(f"{prefix}{measure}", "score property")

    common = {"graph": graph, "concurrency": concurrency}
    iterative = {**common, "tolerance": tolerance, "iterations": iterations}
    per_node = 1 / (n - 1) if n > 1 else 0.0
    degrees = {"out_degree": "ALONG", "in_degree": "AGAINST"}
    needs_degrees = "degree" in measures
    # in- and out-degree asked for only to add up the degree go to scratch properties, so
    # that another run's score_in_degree and score_out_degree stay as they are
    raw = {
        measure: name(measure) if measure in measures else f"labournet_scratch_{measure}"
        for measure in degrees
    }
    for measure, orientation in degrees.items():
        if measure in measures or needs_degrees:
            _run(
                store,
                "degree.cypher",
                {**common, "orientation": orientation, "property": raw[measure]},
            )
    if needs_degrees:
        file = load_file("gds", "add.cypher")
        cypher = fill_template(
            file, property=name("degree"), left=raw["in_degree"], right=raw["out_degree"]
        )
        store.runner.run(cypher, {"factor": per_node}, write=True)
    for measure in degrees:
        if measure in measures:
            _scale(store, name(measure), per_node)
        elif needs_degrees:
            file = load_file("gds", "remove.cypher")
            store.runner.run(fill_template(file, property=raw[measure]), {}, write=True)
    if "betweenness" in measures:
        _run(store, "betweenness.cypher", {**common, "property": name("betweenness")})
        pairs = (n - 1) * (n - 2)
        _scale(store, name("betweenness"), 1 / pairs if pairs > 0 else 0.0)
    if "closeness" in measures:
        _run(store, "closeness.cypher", {**common, "property": name("closeness")})
    if "harmonic" in measures:
        _run(store, "harmonic.cypher", {**common, "property": name("harmonic")})
        _scale(store, name("harmonic"), float(n - 1))
    if "eigenvector" in measures:
        shifted = f"{graph}_shifted"
        _run(store, "project_shifted.cypher", {"graph": shifted}, write=False)
        try:
            result = _run(
                store,
                "eigenvector.cypher",
                {**iterative, "graph": shifted, "property": name("eigenvector")},
            )
        finally:
            _run(store, "drop.cypher", {"graph": shifted}, write=False)
        converged["eigenvector"] = _iterations(result, "eigenvector")
        file = load_file("gds", "norm.cypher")
        norm, nonzero = store.runner.run(
            fill_template(file, property=name("eigenvector")), {}, write=False
        ).rows[0]
        if not (nonzero and abs(float(norm) - 1.0) < 1e-6):
            # measured at 100,000 entities: GDS reports convergence and writes 0 everywhere
            # (its iteration on A + I overflows); the scores are no eigenvector, so none stay
            removal = load_file("gds", "remove.cypher")
            store.runner.run(fill_template(removal, property=name("eigenvector")), {}, write=True)
            failed["eigenvector"] = (
                f"GDS reported convergence after {converged.pop('eigenvector')} iterations but "
                f"wrote no eigenvector (length {float(norm):.3g}, {nonzero} non-zero scores); "
                "none were kept"
            )
    if "pagerank" in measures:
        result = _run(store, "pagerank.cypher", {**iterative, "property": name("pagerank")})
        converged["pagerank"] = _iterations(result, "pagerank")
        file = load_file("gds", "sum.cypher")
        total = store.runner.run(fill_template(file, property=name("pagerank")), {}, write=False)
        _scale(store, name("pagerank"), 1 / total.rows[0][0] if total.rows[0][0] else 0.0)
    return [name(measure) for measure in measures if measure not in failed]


def _iterations(result: Any, measure: str) -> int:
    row = dict(zip(result.columns, result.rows[0], strict=True))
    if not row["didConverge"]:
        raise StoreError(
            f"GDS {measure} did not converge in {row['ranIterations']} iterations; "
            "nothing is recorded for this run"
        )
    return int(row["ranIterations"])


def _scale(store: Store, property: str, factor: float) -> None:
    """Multiply the property by `factor` in the database."""
    file = load_file("gds", "scale.cypher")
    cypher = fill_template(file, property=property)
    store.runner.run(cypher, {"factor": factor}, write=True)


def _run(store: Store, file_name: str, parameters: dict[str, Any], *, write: bool = True) -> Any:
    file = load_file("gds", file_name)
    return store.runner.run(file.body, file.bind(parameters), write=write)
