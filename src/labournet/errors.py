"""The project's exceptions: one root, a few meaningful subclasses.

Example:
    >>> from labournet.errors import LabournetError, DatasetError, Problem
    >>> err = DatasetError([Problem("relations.csv", 17, "kind", "unknown kind 'Vesel'")])
    >>> isinstance(err, LabournetError)
    True
    >>> print(err.problems[0])
    relations.csv:17: kind: unknown kind 'Vesel'
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "LabournetError",
    "SchemaError",
    "DatasetError",
    "GraphFormatError",
    "SanctionsListError",
    "AnalysisError",
    "StoreError",
    "QueryError",
    "IncompleteGraphError",
    "ServerSetupError",
    "ExportError",
    "Problem",
    "did_you_mean",
]


class LabournetError(Exception):
    """Root of every error labournet raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, located as precisely as possible.

    ``line`` is the 1-based physical line in the file (the header is line 1); ``None`` when the
    problem concerns the whole file.
    """

    file: str
    line: int | None
    field: str
    reason: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.field}: {self.reason}"


class ProblemsError(LabournetError):
    """An error that carries a list of located problems."""

    def __init__(self, problems: list[Problem], summary: str | None = None) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        self.summary = summary or f"{count} problem{'s' if count != 1 else ''} found"
        lines = [self.summary, *(str(problem) for problem in self.problems)]
        super().__init__("\n".join(lines))


class SchemaError(ProblemsError):
    """The schema file is malformed."""


class DatasetError(ProblemsError):
    """A dataset folder has missing, malformed or inconsistent data."""


class GraphFormatError(ProblemsError):
    """A GraphML, GEXF or edge-list file cannot be read."""


class SanctionsListError(ProblemsError):
    """A sanctions list file (the UN Security Council Consolidated List) cannot be read:
    malformed or refused XML, a record without its reference or name, a value that is not a
    date, an unknown regime."""


class AnalysisError(LabournetError):
    """An analysis was asked something it cannot answer (unknown measure, unknown cut, ...)."""


class StoreError(LabournetError):
    """A graph database could not be reached, or refused an operation."""


class IncompleteGraphError(StoreError):
    """A graph holds only part of a dataset: its last load did not finish, or records it wrote
    were deleted since; loading the dataset again completes it."""


class QueryError(StoreError):
    """What the user gave a store is not usable: a Cypher file, query name or parameter, a name
    or value in their data or schema, a score table, a batch size, or a graph that holds no
    dataset (or another one) for what they asked of it."""


class ServerSetupError(StoreError):
    """A local server cannot start for a reason the user can fix: a missing ``java`` or ``mvn``,
    a port already taken, jars that cannot be fetched, a password that is missing or too short."""


class ExportError(LabournetError):
    """An export could not be written."""


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint for an error message when ``word`` looks like a misspelling of a choice.

    >>> did_you_mean("betweeness", ["degree", "betweenness", "closeness"])
    " (did you mean 'betweenness'?)"
    >>> did_you_mean("size", ["degree", "betweenness"])
    ''
    """
    # stricter than difflib's 0.6, which offers 'igraph' for 'graph-tool'
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.75)
    return f" (did you mean '{close[0]}'?)" if close else ""
