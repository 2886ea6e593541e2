"""Every statement the store sends comes from a cypher/ file, with exactly its declared parameters.

A recording wrapper around the real runner (the query-runner seam) sees each statement of a
load, a reload that has to repair, a pull, a score write-back and the bookkeeping queries, and
maps it back to its file.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any

import pandas as pd
import pytest

from labournet.model.dataset import Dataset
from labournet.resources import cypher_path
from labournet.store import Result, Store, connect
from labournet.store.queries import CypherFile, find_query, read_cypher
from labournet.store.rows import load_file

FILES = [
    load_file(folder, path.name)  # the record files with their columns filled, as the store sends
    for folder in ("load", "pull", "admin", "scores")
    for path in sorted(cypher_path(folder).glob("*.cypher"))
]


class Recording:
    def __init__(self, runner: Any) -> None:
        self.runner = runner
        self.backend = runner.backend
        self.target = runner.target
        self.calls: list[tuple[str, Mapping[str, Any]]] = []

    def run(self, cypher: str, parameters: Mapping[str, Any], *, write: bool) -> Result:
        self.calls.append((cypher, dict(parameters)))
        return self.runner.run(cypher, parameters, write=write)

    def __getattr__(self, name: str) -> Any:
        """The runner's other means (FalkorDB's load lock and bulk commands), unrecorded: they
        send no Cypher."""
        return getattr(self.runner, name)

    def run_schema(self, statement: str) -> bool:
        return self.runner.run_schema(statement)

    def wipe(self) -> None:
        self.runner.wipe()

    def close(self) -> None:
        self.runner.close()


def _pattern(file: CypherFile) -> re.Pattern[str]:
    text = re.escape(file.body)
    for name in file.placeholders:
        text = text.replace(re.escape("{{" + name + "}}"), r"[A-Za-z][A-Za-z0-9_]*")
    return re.compile(text + r"\Z")


BULK_ONLY = ("node_numbering.cypher", "nodes_by_internal_id.cypher")

GDS_FILES = [read_cypher(path) for path in sorted(cypher_path("gds").glob("*.cypher"))]


def _file_of(cypher: str, files: list[CypherFile] = FILES) -> CypherFile:
    found = [file for file in files if _pattern(file).match(cypher)]
    assert len(found) == 1, f"statement not from exactly one cypher/ file:\n{cypher}"
    return found[0]


def test_statements_come_from_files_with_their_declared_parameters(
    store: Store, bundled: Dataset
) -> None:
    recording = Recording(store.runner)
    recorded = Store(recording, batch_size=7)
    recorded.load(bundled)
    moved = tuple(
        dataclasses.replace(e, kind="sector", properties={}) if e.id == "mn" else e
        for e in bundled.entities
    )
    relinked = tuple(
        dataclasses.replace(r, target="ru") if r.id == "r-kp-exports-cn" else r
        for r in bundled.relations
    )
    recorded.load(dataclasses.replace(bundled, entities=moved, relations=relinked))
    recorded.load(bundled)  # and back: the changed data is not a valid dataset to pull
    recorded.pull()
    recorded.write_scores(
        pd.DataFrame({"x": [1.0, 2.0]}, index=["cn", "r-cn-works-garments"]), settings={"k": 1}
    )
    recorded.duplicates()
    top = find_query("top_pressure_points")
    recorded.query(top, score="score_x", assumed="none")  # checks the score was written
    used = _check([call for call in recording.calls if call[0] != top.body], FILES)
    unused = {file.path for file in FILES} - used
    # wipe.cypher runs inside the Neo4j runner's wipe() (FalkorDB deletes the graph at once);
    # the numbering checks of a bulk load run only where a first load goes by bulk (FalkorDB)
    expected = {str(cypher_path("admin", "wipe.cypher"))}
    if store.backend == "neo4j":
        expected |= {str(cypher_path("admin", f)) for f in BULK_ONLY}
    assert unused == expected


@pytest.mark.neo4j
def test_gds_statements_come_from_their_files_with_their_declared_parameters(
    neo4j_uri: str, bundled: Dataset
) -> None:
    from labournet.store.gds import write_gds_centrality

    with connect(neo4j_uri) as store:
        store.wipe()
        store.load(bundled)
        recording = Recording(store.runner)
        recorded = Store(recording)
        write_gds_centrality(recorded)
        write_gds_centrality(recorded, ["degree"])  # in and out written, added, removed
        calls = [call for call in recording.calls if "AnalysisRun" not in call[0]]
        used = _check(calls, GDS_FILES)
        store.wipe()
    assert used == {file.path for file in GDS_FILES}


def _check(calls: list[tuple[str, Mapping[str, Any]]], files: list[CypherFile]) -> set[str]:
    """Each call's file, its parameters exactly the declared ones and of the declared types."""
    used = set()
    for cypher, parameters in calls:
        file = _file_of(cypher, files)
        used.add(file.path)
        assert set(parameters) == {p.name for p in file.parameters}, file.path
        for name, value in parameters.items():
            file.parameter(name).coerce(value, file.path)  # the declared type
        if "rows" in parameters and file.row:
            assert all(len(row) == len(file.row) for row in parameters["rows"]), file.path
    return used
