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

from labournet.dataset import Dataset
from labournet.resources import cypher_path
from labournet.store import Result, Store
from labournet.store.queries import CypherFile, read_cypher

FILES = [
    read_cypher(path)
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


def _file_of(cypher: str) -> CypherFile:
    found = [file for file in FILES if _pattern(file).match(cypher)]
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
    recorded.pull()
    recorded.write_scores(
        pd.DataFrame({"x": [1.0, 2.0]}, index=["cn", "r-cn-works-garments"]), settings={"k": 1}
    )
    recorded.duplicates()
    used = set()
    for cypher, parameters in recording.calls:
        file = _file_of(cypher)
        used.add(file.path)
        assert set(parameters) == {p.name for p in file.parameters}, file.path
        for name, value in parameters.items():
            file.parameter(name).coerce(value, file.path)  # the declared type
        if "rows" in parameters and file.row:
            assert all(len(row) == len(file.row) for row in parameters["rows"]), file.path
    unused = {file.path for file in FILES} - used
    # wipe.cypher runs inside the Neo4j runner's wipe() (FalkorDB deletes the graph at once)
    assert unused == {str(cypher_path("admin", "wipe.cypher"))}
