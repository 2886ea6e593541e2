"""Read a dataset folder and check it, reporting every problem with file, line, field and reason.

The CSV files are split with the standard `csv` module (so each row keeps its physical line
number, and short or long rows are seen as such) and then checked a column at a time: a check
works on whole columns (each distinct value once) to find the rows it must look at, and looks
at those row by row, so the problems and their order are those of checking every row. Nothing
is returned unless the whole dataset is valid.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import io
import itertools
import math
import operator
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from labournet._gc import paused
from labournet.errors import DatasetError, Problem
from labournet.io.csvlimit import field_limit
from labournet.model.dataset import (
    FILES,
    LIST_SEPARATOR,
    RECORDS,
    Dataset,
    Figure,
)
from labournet.model.dates import END, POINT, START, PartialDate, parse_date
from labournet.model.formulas import (
    Formula,
    FormulaError,
    derivation_order,
    derive_figures,
    parse_formula,
)
from labournet.model.schema import EntityKind, RelationKind, Schema, load_schema
from labournet.names import close_matches

if TYPE_CHECKING:
    from _csv import Reader

__all__ = ["read_dataset", "check_rows"]

REQUIRED: Mapping[str, tuple[str, ...]] = {
    "sources.csv": ("id", "publisher", "title", "date"),
    "assumptions.csv": ("id", "statement", "reasoning"),
    "entities.csv": ("id", "kind", "name"),
    "relations.csv": ("id", "kind", "source", "target", "claim", "sources"),
    "figures.csv": ("id", "subject", "measure", "low", "high", "unit", "year", "claim", "sources"),
}
"""Columns that must be present and filled in every row."""

OPTIONAL_FILES = ("assumptions.csv", "figures.csv")
DERIVED_COLUMNS = ("low", "high")
"""Required columns that a derived figure (one with a ``formula``) leaves empty."""
FLOW_KINDS = ("sends_workers", "remits_to")
"""Relations whose analysis needs to know the regime."""
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:\-]*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
"""The characters `_is_control` refuses, tab and line breaks aside."""
_PRINTABLE_ASCII = bytes(range(0x20, 0x7F)) + b"\t\n\r"


@dataclass
class _Table:
    """One CSV file as columns of strings (every allowed column, "" where absent) and the
    physical line each row starts on. The checks read whole columns; a row is a dict only
    where one is needed."""

    name: str
    columns: dict[str, list[str]]
    lines: list[int]
    controls: bool = True
    """False when no field can hold a control character (the file's text has none)."""

    @classmethod
    def empty(cls, name: str, allowed: tuple[str, ...]) -> _Table:
        return cls(name, {column: [] for column in allowed}, [])

    @classmethod
    def of_records(
        cls, name: str, allowed: tuple[str, ...], records: list[dict[str, str]], lines: list[int]
    ) -> _Table:
        columns = {column: [r[column] for r in records] for column in allowed}
        controls = any(_has_control("\t".join(values)) for values in columns.values())
        return cls(name, columns, lines, controls)

    @functools.cached_property
    def records(self) -> list[dict[str, str]]:
        """The rows as dicts, in the columns' order."""
        names = list(self.columns)
        return [
            dict(zip(names, values, strict=True))
            for values in zip(*self.columns.values(), strict=True)
        ]

    def record(self, index: int) -> dict[str, str]:
        """One row as a dict, without building them all."""
        return {name: values[index] for name, values in self.columns.items()}

    def rows(self) -> Iterable[tuple[int, dict[str, str]]]:
        return zip(self.lines, self.records, strict=True)

    def column(self, name: str) -> list[str]:
        return self.columns[name]

    def frame(self, *columns: str) -> pd.DataFrame:
        """Some columns as a pandas frame of strings, for vectorised checks."""
        return pd.DataFrame({name: self.column(name) for name in columns}, dtype=object)

    def filled(self, name: str) -> list[int]:
        """The indices of the rows whose `name` is not empty."""
        return list(itertools.compress(range(len(self.lines)), self.columns.get(name, ())))


class _Checker:
    """Collects located problems. `folder` is where the files are read from; `label`, when the
    rows come from elsewhere (a graph), names them instead, and problems give file names alone."""

    def __init__(self, folder: Path, schema: Schema, label: str | None = None) -> None:
        self.folder = folder
        self.schema = schema
        self.label = label
        self.problems: list[Problem] = []
        self.unreadable: set[str] = set()
        """Files whose rows could not be read; references into them are not checked."""
        self.lists: dict[str, tuple[str, ...]] = {}
        self.dates: dict[str, PartialDate | ValueError] = {}

    def problem(self, file: str, line: int | None, field: str, reason: str) -> None:
        self.problems.append(Problem(self.display(file), line, field, reason))

    def raise_problems(self) -> None:
        """`DatasetError` listing every problem found, if there is one."""
        if self.problems:
            count = len(self.problems)
            where = self.label or f"dataset {self.folder}"
            raise DatasetError(
                self.problems,
                f"{count} problem{'s' if count != 1 else ''} in {where}; nothing was "
                + ("written" if self.label else "loaded"),
            )

    def display(self, file: str) -> str:
        return file if self.label else str(self.folder / file)

    # -- reading -------------------------------------------------------------------------------

    def read_table(self, name: str, extra_columns: tuple[str, ...]) -> _Table:
        with field_limit():
            return self._read_table(name, extra_columns)

    def _read_table(self, name: str, extra_columns: tuple[str, ...]) -> _Table:
        allowed = FILES[name] + extra_columns
        empty = _Table.empty(name, allowed)
        path = self.folder / name
        if not path.exists():
            if name not in OPTIONAL_FILES:
                self.problem(name, None, "file", "required file is missing")
                self.unreadable.add(name)
            return empty
        try:
            raw = path.read_bytes()
        except OSError as error:
            reason = (
                "is a folder, not a CSV file"
                if path.is_dir()
                else f"cannot be read: {error.strerror or error}"
            )
            self.problem(name, None, "file", reason)
            self.unreadable.add(name)
            return empty
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            offset = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
            byte = raw[error.start]
            self.problem(
                name, line, "encoding", f"invalid UTF-8 byte 0x{byte:02x} at column {offset}"
            )
            self.unreadable.add(name)
            return empty
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        try:
            header = next(reader, None)
        except csv.Error as error:
            self.problem(name, 1, "header", f"malformed CSV: {error}")
            self.unreadable.add(name)
            return empty
        if not header:
            self.problem(name, 1, "header", "file is empty; expected a header row")
            self.unreadable.add(name)
            return empty
        header = [column.strip() for column in header]
        columns_ok = self.check_header(name, header, allowed)
        rows, lines = _whole_rows(reader, len(header))
        if lines is None:
            found = self.split_rows(name, text, header)
            if found is None:
                self.unreadable.add(name)
                return empty
            rows, lines = found
        if not columns_ok:
            self.unreadable.add(name)
            return empty
        position = {column: index for index, column in enumerate(header)}
        columns = {
            column: list(map(str.strip, map(operator.itemgetter(position[column]), rows)))
            if column in position
            else [""] * len(rows)
            for column in allowed
        }
        return _Table(name, columns, lines, _has_control(text))

    def split_rows(
        self, name: str, text: str, header: list[str]
    ) -> tuple[list[list[str]], list[int]] | None:
        """The rows of a file that `_whole_rows` could not take at once, one by one: each with
        the line it starts on, short, long and malformed rows reported; None when the file
        cannot be split into rows."""
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        next(reader)
        rows: list[list[str]] = []
        lines: list[int] = []
        line = 2
        try:
            for row in reader:
                start, line = line, reader.line_num + 1
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue
                if len(row) < len(header):
                    missing = header[len(row)]
                    self.problem(
                        name, start, missing,
                        f"truncated row: {len(row)} of {len(header)} fields",
                    )  # fmt: skip
                    continue
                if len(row) > len(header):
                    self.problem(
                        name, start, "row",
                        f"{len(row)} fields but the header has {len(header)}",
                    )  # fmt: skip
                    continue
                rows.append(row)
                lines.append(start)
        except csv.Error as error:
            opened = _open_quote(text, line)
            if opened is None:
                self.problem(name, line, "row", f"malformed CSV: {error}")
            else:
                self.problem(
                    name, line, "row",
                    f"unclosed quote: the field opened by the quote at column {opened} never "
                    "closes, so the rest of the file cannot be split into rows; its rows were "
                    "not checked",
                )  # fmt: skip
            return None
        return rows, lines

    def check_header(self, name: str, header: list[str], allowed: tuple[str, ...]) -> bool:
        """Report header problems; False when the rows cannot be read (unknown columns can be)."""
        ok = True
        for column in REQUIRED[name]:
            if column not in header:
                self.problem(name, 1, column, "required column is missing")
                ok = False
        seen: set[str] = set()
        for position, column in enumerate(header, start=1):
            if not column:  # a stray comma; its values are not read
                self.problem(name, 1, f"column {position}", "the column has no name")
                continue
            if column in seen:
                self.problem(name, 1, column, "column appears twice")
                ok = False
            seen.add(column)
            if column not in allowed:
                expected = ", ".join(allowed)
                self.problem(name, 1, column, f"unknown column (expected: {expected})")
        return ok

    # -- checking ------------------------------------------------------------------------------

    def check_required(self, table: _Table) -> None:
        derived = table.columns.get("formula")  # figures only: a derived figure has no range
        for column in REQUIRED[table.name]:
            values = table.column(column)
            if "" not in values:
                continue
            exempt = column in DERIVED_COLUMNS
            for index, (line, value) in enumerate(zip(table.lines, values, strict=True)):
                if not value and not (exempt and derived is not None and derived[index]):
                    self.problem(table.name, line, column, "required field is empty")

    def check_characters(self, table: _Table) -> None:
        """No control characters (NUL, escape, ...) in any field: they are never meant, they
        reach terminals, and XML (GraphML, GEXF) cannot hold them. Tabs and line breaks
        inside quoted text are fine."""
        if not table.controls:
            return
        for line, row in table.rows():
            for column, value in row.items():
                bad = next((c for c in value if c not in "\t\n\r" and _is_control(c)), None)
                if bad is not None:
                    self.problem(
                        table.name, line, column,
                        f"control character U+{ord(bad):04X} in the text; remove it",
                    )  # fmt: skip

    def check_formulas(self, table: _Table) -> None:
        """A derived figure's formula reads, refers to known figures no later than itself, and
        leaves its range empty; formulas do not refer to each other in a cycle."""
        years = {r["id"]: r["year"] for r in table.records if r["id"]}
        lines = {r["id"]: line for line, r in table.rows() if r["id"]}
        parsed: dict[str, Formula] = {}
        for line, row in table.rows():
            if not row["formula"]:
                continue
            for column in DERIVED_COLUMNS + ("best",):
                if row[column]:
                    self.problem(
                        table.name, line, column,
                        "a derived figure leaves low, best and high empty: its formula gives "
                        "them",
                    )  # fmt: skip
                    break
            try:
                formula = parse_formula(row["formula"])
            except FormulaError as error:
                self.problem(table.name, line, "formula", str(error))
                continue
            for ref in formula.references:
                if ref not in years:
                    self.problem(table.name, line, "formula", f"unknown figure '{ref}'")
                elif ref == row["id"]:
                    self.problem(table.name, line, "formula", "the formula refers to itself")
                elif years[ref].isdigit() and row["year"].isdigit() and years[ref] > row["year"]:
                    self.problem(
                        table.name, line, "formula",
                        f"'{ref}' is of {years[ref]}, later than this figure ({row['year']})",
                    )  # fmt: skip
            if row["id"]:
                parsed[row["id"]] = formula
        known = {k: f for k, f in parsed.items() if all(r in years for r in f.references)}
        try:
            derivation_order(known)
        except FormulaError as error:
            first = str(error).rsplit(": ", 1)[-1].split(" -> ")[0]
            self.problem(table.name, lines.get(first), "formula", str(error))

    def check_derived(self, table: _Table, figures: tuple[Figure, ...]) -> tuple[Figure, ...]:
        """Fill each derived figure's range from joint draws; a derived figure that leaves its
        measure's bounds (below zero, above the maximum) in some draws is a problem."""
        derived, samples = derive_figures(figures)
        lines = {r["id"]: line for line, r in table.rows()}
        for figure in derived:
            sample = samples.get(figure.id)
            if sample is None:
                continue
            measure = self.schema.measures.get(figure.measure)
            share = float(np.mean(sample < 0))
            if share > 0:
                self.problem(
                    table.name, lines[figure.id], "formula",
                    f"below zero in {share:.1%} of {len(sample):,} joint draws of its inputs "
                    f"(lowest {sample.min():,.4g}): the inputs' ranges disagree",
                )  # fmt: skip
            if measure is not None and measure.max is not None:
                share = float(np.mean(sample > measure.max))
                if share > 0:
                    self.problem(
                        table.name, lines[figure.id], "formula",
                        f"above the maximum {measure.max:g} for {measure.name} in {share:.1%} "
                        f"of {len(sample):,} joint draws of its inputs",
                    )  # fmt: skip
        return derived

    def check_ids(self, table: _Table, taken: dict[str, str]) -> None:
        """Ids must be well formed and unique in their file (and across nodes, edges, figures)."""
        ids = table.column("id")
        filled = [value for value in ids if value] if "" in ids else ids
        if (
            len(set(filled)) == len(filled)
            and taken.keys().isdisjoint(filled)
            and all(map(ID_PATTERN.match, filled))
        ):
            taken.update(dict.fromkeys(filled, table.name))
            return
        first_line: dict[str, int] = {}
        repeated = table.frame("id")["id"].duplicated().tolist()
        for line, value, again in zip(table.lines, ids, repeated, strict=True):
            if not value:
                continue
            if not ID_PATTERN.match(value):
                self.problem(
                    table.name, line, "id",
                    f"'{value}' is not a valid id (letters, digits, _ . : - only)",
                )  # fmt: skip
            if again:
                self.problem(
                    table.name, line, "id",
                    f"duplicate id '{value}' (first on line {first_line[value]})",
                )  # fmt: skip
                continue
            first_line[value] = line
            other = taken.get(value)
            if other is not None and other != table.name:
                self.problem(table.name, line, "id", f"id '{value}' is already used in {other}")
            else:
                taken[value] = table.name

    def check_references(
        self, table: _Table, column: str, known: Mapping[str, object], what: str, into: str
    ) -> None:
        if into in self.unreadable:
            return
        values = table.column(column)
        unknown: dict[str, list[str]] = {}
        for value in set(values):
            missing = [ref for ref in self.split(value) if ref not in known]
            if missing:
                unknown[value] = missing
        if not unknown:
            return
        for line, value in zip(table.lines, values, strict=True):
            for ref in unknown.get(value, ()):
                self.problem(table.name, line, column, f"unknown {what} '{ref}'")

    def split(self, value: str) -> tuple[str, ...]:
        """`split_list`, worked out once per distinct text."""
        found = self.lists.get(value)
        if found is None:
            found = self.lists[value] = split_list(value)
        return found

    def date(self, text: str) -> PartialDate | ValueError:
        """`parse_date`'s date, or its error, worked out once per distinct text."""
        found = self.dates.get(text)
        if found is None:
            try:
                found = parse_date(text)
            except ValueError as error:
                found = error
            self.dates[text] = found
        return found

    def check_dates(self, table: _Table, column: str) -> None:
        for line, value in zip(table.lines, table.column(column), strict=True):
            if value and isinstance(self.date(value), ValueError):
                self.problem(
                    table.name,
                    line,
                    column,
                    f"'{value}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD, ASCII digits, a "
                    "real month and day)",
                )

    def check_record_dates(
        self, table: _Table, kinds: Mapping[str, EntityKind | RelationKind]
    ) -> None:
        """The kind's date properties are dates, and a validity interval does not end before it
        starts. Rows alike in kind and dates are alike in problems, so each distinct
        combination is checked once."""
        names = list(dict.fromkeys(c for spec in kinds.values() for c in spec.dates))
        if not names:
            return
        keys = list(zip(table.column("kind"), *(table.column(c) for c in names), strict=True))
        found: dict[tuple[str, ...], list[tuple[str, str]]] = {}
        for key in set(keys):
            spec = kinds.get(key[0])
            if spec is not None:
                problems = self.date_problems(spec, dict(zip(names, key[1:], strict=True)))
                if problems:
                    found[key] = problems
        if not found:
            return
        for line, key in zip(table.lines, keys, strict=True):
            for column, reason in found.get(key, ()):
                self.problem(table.name, line, column, reason)

    def date_problems(
        self, spec: EntityKind | RelationKind, row: Mapping[str, str]
    ) -> list[tuple[str, str]]:
        """The field and reason of each problem with the dates of a row of this kind."""
        problems: list[tuple[str, str]] = []
        parsed: dict[str, PartialDate] = {}
        for column in spec.dates:
            value = row[column]
            if not value:
                continue
            date = self.date(value)
            if isinstance(date, ValueError):
                problems.append((column, f"{date} (a real month and day)"))
            else:
                parsed[column] = date
        start = parsed.get(START) or parsed.get(POINT)
        end = parsed.get(END)
        if start is not None and end is not None and end.last_day < start.first_day:
            begins = START if START in parsed else POINT
            problems.append(
                (END, f"{row[END]} is before {begins} {row[begins]}: a record cannot end before "
                 "it starts")
            )  # fmt: skip
        return problems

    def check_figure_dates(self, table: _Table) -> None:
        """A figure's ``date`` is a day or month within its ``year``."""
        dates, years = table.column("date"), table.column("year")
        for index in table.filled("date"):
            line, value, year = table.lines[index], dates[index], years[index]
            date = self.date(value)
            if isinstance(date, ValueError):
                self.problem(table.name, line, "date", f"{date} (a real month and day)")
                continue
            if year and year != str(date.year):
                self.problem(
                    table.name, line, "date",
                    f"{value} is not in the figure's year {year}: the date says when "
                    "within the year the figure holds",
                )  # fmt: skip

    def check_entities(self, table: _Table) -> None:
        kinds = self.schema.entities
        kind_of = table.column("kind")
        odd = {kind for kind in set(kind_of) if kind and (kind not in kinds or kind == "source")}
        suspects = self.misfits(table, kinds)
        if odd:
            suspects.update(i for i, kind in enumerate(kind_of) if kind in odd)
        for index in sorted(suspects):
            self.check_entity(table.name, table.lines[index], table.record(index))

    def check_entity(self, file: str, line: int, row: dict[str, str]) -> None:
        kinds = self.schema.entities
        kind = row["kind"]
        if not kind:
            return
        if kind not in kinds:
            self.problem(
                file, line, "kind", f"unknown kind '{kind}' (schema has: {', '.join(kinds)})"
            )
            return
        if kind == "source":
            self.problem(file, line, "kind", "sources belong in sources.csv")
        self.check_properties(file, line, row, kinds[kind].properties, kind)

    def misfits(self, table: _Table, kinds: Mapping[str, EntityKind | RelationKind]) -> set[int]:
        """The rows of a known kind that fill a property their kind does not have."""
        kind_of = table.column("kind")
        found: set[int] = set()
        for column in table.columns:
            if column in FILES[table.name]:
                continue
            lacking = {name for name, spec in kinds.items() if column not in spec.properties}
            found.update(i for i in table.filled(column) if kind_of[i] in lacking)
        return found

    def check_relations(self, table: _Table, entities: Mapping[str, str]) -> None:
        kinds = self.schema.relations
        kind_of = table.column("kind")
        suspects = self.misfits(table, kinds)
        odd = {kind for kind in set(kind_of) if kind and kind not in kinds}
        if odd:
            suspects.update(i for i, kind in enumerate(kind_of) if kind in odd)
        for end in ("source", "target"):
            ids = table.column(end)
            found = list(map(entities.get, ids))
            unfit = {p for p in set(zip(kind_of, found, strict=True)) if not self.fits(end, *p)}
            if unfit:
                pairs = zip(kind_of, found, strict=True)
                suspects.update(
                    i for i, (value, pair) in enumerate(zip(ids, pairs, strict=True))
                    if value and pair in unfit
                )  # fmt: skip
        for index in sorted(suspects):
            self.check_relation(table.name, table.lines[index], table.record(index), entities)

    def fits(self, end: str, kind: str, entity_kind: str | None) -> bool:
        """Whether a relation of `kind` may have, at `end`, an entity of `entity_kind` (None:
        no such entity)."""
        spec = self.schema.relations.get(kind)
        return entity_kind is not None and not (
            spec is not None
            and entity_kind in self.schema.entities
            and entity_kind not in getattr(spec, end)
        )

    def check_relation(
        self, file: str, line: int, row: dict[str, str], entities: Mapping[str, str]
    ) -> None:
        kinds = self.schema.relations
        kind = row["kind"]
        spec = kinds.get(kind)
        if kind and spec is None:
            self.problem(
                file, line, "kind",
                f"unknown kind '{kind}' (schema has: {', '.join(kinds)})",
            )  # fmt: skip
        for end in ("source", "target"):
            entity_id = row[end]
            if not entity_id:
                continue
            if entity_id not in entities:
                if "entities.csv" not in self.unreadable:
                    self.problem(file, line, end, f"unknown entity '{entity_id}'")
            elif (
                spec is not None
                and entities[entity_id] in self.schema.entities
                and entities[entity_id] not in getattr(spec, end)
            ):
                allowed = " or ".join(getattr(spec, end))
                self.problem(
                    file, line, end,
                    f"a '{kind}' relation needs a {end} of kind {allowed}, "
                    f"but '{entity_id}' is a {entities[entity_id]}",
                )  # fmt: skip
        if spec is not None:
            self.check_properties(file, line, row, spec.properties, kind)

    def check_regime(self, entities: _Table, relations: _Table) -> None:
        """Flows need a regime: exactly one entity with role ``regime`` (else ``--regime ID``)."""
        kind_of = relations.column("kind")
        if set(FLOW_KINDS).isdisjoint(kind_of) or "entities.csv" in self.unreadable:
            return
        need = (
            "the flows (sends_workers, remits_to) need exactly one entity with role 'regime', "
            "or the analysis given --regime ID"
        )
        ids, lines = entities.column("id"), entities.lines
        roles = entities.columns.get("role") or [""] * len(lines)
        found = [i for i, role in enumerate(roles) if role == "regime"]
        if len(found) > 1:
            listed = ", ".join(ids[i] for i in found)
            for i in found:
                self.problem(entities.name, lines[i], "role", f"several entities have role "
                             f"'regime' ({listed}); {need}")  # fmt: skip
            return
        if found:
            return
        close = {role for role in set(roles) if role and close_matches(role, ["regime"])}
        near = [i for i, role in enumerate(roles) if role in close]
        for i in near:
            self.problem(
                entities.name, lines[i], "role",
                f"role '{roles[i]}': did you mean 'regime'? No entity has role 'regime'; {need}",
            )  # fmt: skip
        if near:
            return
        senders = Counter(
            source
            for kind, source in zip(kind_of, relations.column("source"), strict=True)
            if kind == "sends_workers"
        )
        first = dict(zip(ids, lines, strict=True))
        likely = [s for s, _ in senders.most_common(1) if s in first]
        if likely:
            (sender,) = likely
            self.problem(
                entities.name, first[sender], "role",
                f"no entity has role 'regime' and '{sender}' sends workers: is it the regime? "
                f"{need[0].upper()}{need[1:]}",
            )  # fmt: skip
        else:
            self.problem(entities.name, None, "role", f"no entity has role 'regime'; {need}")

    def check_properties(
        self, file: str, line: int, row: dict[str, str], allowed: tuple[str, ...], kind: str
    ) -> None:
        base = FILES[file]
        for column, value in row.items():
            if column not in base and value and column not in allowed:
                self.problem(file, line, column, f"kind '{kind}' has no property '{column}'")

    def check_figures(
        self, table: _Table, subjects: Mapping[str, str], entities: Mapping[str, str]
    ) -> None:
        frame = table.frame("low", "best", "high", "year").replace("", None)
        series = {
            column: pd.to_numeric(frame[column], errors="coerce")
            for column in ("low", "best", "high", "year")
        }
        numbers = {column: series[column].tolist() for column in ("low", "best", "high")}
        years = series["year"].tolist()
        for index in self.figure_suspects(table, series, subjects, entities):
            line, row = table.lines[index], table.record(index)
            values: dict[str, float] = {}
            for column, parsed in numbers.items():
                text, value = row[column], parsed[index]
                if not text:
                    continue
                if pd.isna(value):
                    self.problem(table.name, line, column, f"'{text}' is not a number")
                elif not math.isfinite(value):
                    self.problem(table.name, line, column, f"'{text}' is not a finite number")
                elif value < 0:
                    self.problem(table.name, line, column, f"{text} is negative")
                else:
                    values[column] = float(value)
            low, best, high = values.get("low"), values.get("best"), values.get("high")
            if low is not None and high is not None and low > high:
                self.problem(
                    table.name, line, "low", f"low {row['low']} is above high {row['high']}"
                )
            if (
                best is not None
                and low is not None
                and high is not None
                and not low <= best <= high
            ):
                self.problem(
                    table.name, line, "best",
                    f"best {row['best']} lies outside {row['low']}..{row['high']}",
                )  # fmt: skip
            year = years[index]
            if row["year"] and (
                pd.isna(year) or not float(year).is_integer() or not 1000 <= year <= 9999
            ):
                self.problem(table.name, line, "year", f"'{row['year']}' is not a four-digit year")
            self.check_measure(table.name, line, row, values, subjects)
            stated_by = row["stated_by"]
            if stated_by and stated_by not in entities and "entities.csv" not in self.unreadable:
                self.problem(table.name, line, "stated_by", f"unknown entity '{row['stated_by']}'")

    def figure_suspects(
        self,
        table: _Table,
        parsed: Mapping[str, pd.Series],
        subjects: Mapping[str, str],
        entities: Mapping[str, str],
    ) -> list[int]:
        """The rows `check_figures` looks at one by one: every row it would find a problem in
        (and perhaps a few more), found a whole column at a time."""
        count = len(table.lines)
        suspect = np.zeros(count, dtype=bool)
        valid: dict[str, np.ndarray] = {}
        with np.errstate(invalid="ignore"):
            for column, series in parsed.items():
                number = series.to_numpy(dtype=float, na_value=np.nan)
                filled = np.fromiter(map(bool, table.column(column)), dtype=bool, count=count)
                if column == "year":
                    good = np.isfinite(number) & (number == np.floor(number))
                    good &= (number >= 1000) & (number <= 9999)
                else:
                    good = np.isfinite(number) & (number >= 0)
                    valid[column] = np.where(filled & good, number, np.nan)
                suspect |= filled & ~good
            low, best, high = valid["low"], valid["best"], valid["high"]
            suspect |= (low > high) | (best < low) | (best > high)
            measures = table.column("measure")
            limits = {name: self.limit(name) for name in set(measures)}
            limit = np.fromiter(map(limits.__getitem__, measures), dtype=float, count=count)
            suspect |= (low > limit) | (best > limit) | (high > limit)
        # without its values, check_measure sees a row's measure, unit, subject's kind and
        # whether it has a subject: one row stands for all the rows alike in those
        subject = table.column("subject")
        keys = list(
            zip(
                measures,
                table.column("unit"),
                map(subjects.get, subject),
                map(bool, subject),
                strict=True,
            )
        )
        first = dict(zip(keys, range(count), strict=True))
        unfit = {key for key, i in first.items() if not self.measure_fits(table, i, subjects)}
        readable = "entities.csv" not in self.unreadable
        unknown = {e for e in set(table.column("stated_by")) if e and e not in entities}
        found = set(np.flatnonzero(suspect).tolist())
        if unfit or (unknown and readable):
            rows = zip(keys, table.column("stated_by"), strict=True)
            found.update(
                i for i, (key, stated_by) in enumerate(rows)
                if key in unfit or (readable and stated_by in unknown)
            )  # fmt: skip
        return sorted(found)

    def limit(self, measure: str) -> float:
        """The maximum of a measure, infinite if it has none or is unknown."""
        spec = self.schema.measures.get(measure)
        return math.inf if spec is None or spec.max is None else spec.max

    def measure_fits(self, table: _Table, index: int, subjects: Mapping[str, str]) -> bool:
        """Whether `check_measure` finds nothing in a row, its values aside."""
        kept, self.problems = self.problems, []
        try:
            self.check_measure(table.name, 0, table.record(index), {}, subjects)
            return not self.problems
        finally:
            self.problems = kept

    def check_years(self, figures: _Table, relations: _Table) -> None:
        """Each item has one figure per measure and year, and a host's flow one set of years.

        A host's ``workers`` (on the regime's ``sends_workers`` to it) and ``revenue`` (on its
        ``remits_to`` relations) are combined by the flow model; a year that one of them has and
        the other lacks would mix the figures of two years in an analysis as of that year.
        """
        seen: dict[tuple[str, str, str], int] = {}
        by_subject: dict[tuple[str, str], dict[str, int]] = {}
        for line, row in figures.rows():
            if not (row["subject"] and row["measure"] and row["year"]):
                continue
            key = (row["subject"], row["measure"], row["year"])
            if key in seen:
                self.problem(
                    figures.name, line, "year",
                    f"{row['subject']} already has a {row['measure']} figure for {row['year']} "
                    f"(line {seen[key]}): one figure per item, measure and year",
                )  # fmt: skip
                continue
            seen[key] = line
            by_subject.setdefault((row["subject"], row["measure"]), {})[row["year"]] = line
        sends = _ids_by(relations, "sends_workers", "target")
        remits = _ids_by(relations, "remits_to", "source")
        for host in sorted(set(sends) & set(remits)):
            sides = {
                "workers": (sends[host], "sends_workers"),
                "revenue": (remits[host], "remits_to"),
            }
            years = {
                measure: {
                    year: (line, relation)
                    for relation in ids
                    for year, line in by_subject.get((relation, measure), {}).items()
                }
                for measure, (ids, _) in sides.items()
            }
            if not years["workers"] or not years["revenue"]:
                continue
            for measure, other in (("workers", "revenue"), ("revenue", "workers")):
                for year in sorted(set(years[measure]) - set(years[other])):
                    line, relation = years[measure][year]
                    self.problem(
                        figures.name, line, "year",
                        f"{relation} has a {measure} figure for {year} but {host}'s "
                        f"{sides[other][1]} relations have no {other} figure for {year}: an "
                        f"analysis as of {year} would mix years; add the {year} {other} figure",
                    )  # fmt: skip

    def check_measure(
        self,
        file: str,
        line: int,
        row: dict[str, str],
        values: dict[str, float],
        subjects: Mapping[str, str],
    ) -> None:
        measure = self.schema.measures.get(row["measure"])
        if row["measure"] and measure is None:
            known = ", ".join(self.schema.measures)
            self.problem(
                file, line, "measure", f"unknown measure '{row['measure']}' (schema has: {known})"
            )
        subject = row["subject"]
        subject_kind = subjects.get(subject)
        readable = not {"entities.csv", "relations.csv"} & self.unreadable
        if subject and subject_kind is None and readable:
            self.problem(file, line, "subject", f"unknown entity or relation '{subject}'")
        if measure is None:
            return
        if subject_kind is not None:
            spec = self.schema.entities.get(subject_kind) or self.schema.relations.get(subject_kind)
            if spec is not None and measure.name not in spec.figures:
                self.problem(
                    file, line, "measure",
                    f"a {subject_kind} cannot carry '{measure.name}' "
                    f"(allowed: {', '.join(spec.figures) or 'none'})",
                )  # fmt: skip
        if row["unit"] and row["unit"] != measure.unit:
            self.problem(
                file,
                line,
                "unit",
                f"'{row['unit']}' is not the unit of {measure.name} ('{measure.unit}')",
            )
        if measure.max is not None:
            for column, value in values.items():
                if value > measure.max:
                    self.problem(
                        file,
                        line,
                        column,
                        f"{value:g} is above the maximum {measure.max:g} for {measure.name}",
                    )


def _whole_rows(reader: Reader, width: int) -> tuple[list[list[str]], list[int] | None]:
    """The rest of a file's rows at once, with the lines they start on, when every row is one
    whole line of `width` fields (so there is nothing to report; with one column a blank line
    would look like a row); else no lines, and `_Checker.split_rows` takes the file row by
    row."""
    try:
        rows = list(reader)
    except csv.Error:
        return [], None
    if width > 1 and reader.line_num == len(rows) + 1 and set(map(len, rows)) <= {width}:
        return rows, list(range(2, len(rows) + 2))
    return [], None


def _open_quote(text: str, line: int) -> int | None:
    """The column of a quote that opens a field on physical line `line` and is still open where
    the line ends (where a malformed CSV row most often goes wrong); `None` if there is none."""
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return None
    row = lines[line - 1]
    opened: int | None = None
    at_field_start = True
    i = 0
    while i < len(row):
        char = row[i]
        if opened is None:
            if at_field_start and char == '"':
                opened = i + 1
            at_field_start = char == ","
        elif char == '"':
            if row[i + 1 : i + 2] == '"':
                i += 1  # an escaped quote inside the field
            else:
                opened, at_field_start = None, False
        i += 1
    return opened


def split_list(value: str) -> tuple[str, ...]:
    """`'a; b;'` -> `('a', 'b')`."""
    return tuple(part.strip() for part in value.split(LIST_SEPARATOR) if part.strip())


def read_dataset(folder: Path, regime: str | None = None) -> Dataset:
    """Read, check and build a Dataset; raise `DatasetError` listing every problem found.

    A dataset whose flows (``sends_workers``, ``remits_to``) need a regime must have exactly one
    entity whose role is ``regime``, unless `regime` names it (the analyses' ``--regime``).
    """
    if not folder.is_dir():
        raise DatasetError([Problem(str(folder), None, "path", "not a dataset folder")])
    schema_file = folder / "schema.yaml"
    schema = load_schema(schema_file if schema_file.exists() else None)
    checker = _Checker(folder, schema)
    with paused():
        tables = {name: checker.read_table(name, _extra_columns(name, schema)) for name in FILES}
        return _checked_dataset(checker, tables, regime, folder.resolve().name)


def check_rows(
    name: str,
    schema: Schema,
    rows: Mapping[str, Iterable[Mapping[str, str]]],
    *,
    label: str,
    regime: str | None = None,
) -> Dataset:
    """Check records that come as rows of the dataset files rather than as files (a graph's,
    say) with every check `read_dataset` makes, and build the Dataset.

    `rows` maps each file name (``entities.csv``, ...) to its rows: dicts of strings (a missing
    column is empty; unlike a CSV file's, values keep their spaces, so a dataset built in
    Python comes back exactly). Problems are located as ``FILE:LINE`` where LINE is the line
    the row would start on in the file `labournet.write_dataset` makes; the summary of the
    `DatasetError` names `label`.
    """
    checker = _Checker(Path(name), schema, label)
    tables = {}
    for file in FILES:
        allowed = FILES[file] + _extra_columns(file, schema)
        records = [
            {column: str(row.get(column) or "") for column in allowed} for row in rows.get(file, ())
        ]
        tables[file] = _Table.of_records(file, allowed, records, list(range(2, len(records) + 2)))
    return _checked_dataset(checker, tables, regime, name)


def _extra_columns(file: str, schema: Schema) -> tuple[str, ...]:
    """The property columns the schema adds to a file."""
    if file == "entities.csv":
        return schema.entity_properties
    if file == "relations.csv":
        return schema.relation_properties
    return ()


def _checked_dataset(
    checker: _Checker, tables: Mapping[str, _Table], regime: str | None, name: str
) -> Dataset:
    taken: dict[str, str] = {}
    for file, table in tables.items():
        checker.check_required(table)
        checker.check_ids(
            table, taken if file in ("entities.csv", "relations.csv", "figures.csv") else {}
        )
    checker.check_dates(tables["sources.csv"], "date")
    checker.check_record_dates(tables["entities.csv"], checker.schema.entities)
    checker.check_record_dates(tables["relations.csv"], checker.schema.relations)
    checker.check_figure_dates(tables["figures.csv"])

    sources = _first_by_id(tables["sources.csv"])
    assumptions = _first_by_id(tables["assumptions.csv"])
    entity_kinds = _kinds_by_id(tables["entities.csv"])
    relation_kinds = _kinds_by_id(tables["relations.csv"])
    for file in ("assumptions.csv", "entities.csv", "relations.csv", "figures.csv"):
        checker.check_references(tables[file], "sources", sources, "source", "sources.csv")
    for file in ("entities.csv", "relations.csv", "figures.csv"):
        checker.check_references(
            tables[file], "assumptions", assumptions, "assumption", "assumptions.csv"
        )
    checker.check_entities(tables["entities.csv"])
    checker.check_relations(tables["relations.csv"], entity_kinds)
    checker.check_figures(tables["figures.csv"], entity_kinds | relation_kinds, entity_kinds)
    checker.check_years(tables["figures.csv"], tables["relations.csv"])
    checker.check_formulas(tables["figures.csv"])
    for table in tables.values():
        checker.check_characters(table)
    if regime is None:
        checker.check_regime(tables["entities.csv"], tables["relations.csv"])
    checker.raise_problems()
    path = None if checker.label else checker.folder
    dataset = _build(name, path, checker.schema, tables)
    figures = checker.check_derived(tables["figures.csv"], dataset.figures)
    checker.raise_problems()
    return dataclasses.replace(dataset, figures=figures)


def _has_control(text: str) -> bool:
    """Whether `text` holds a character `_is_control` refuses, tab and line breaks aside."""
    if text.isascii():  # the usual case, and a fast one: ASCII's controls are C0 and DEL
        return bool(text.encode("ascii").translate(None, _PRINTABLE_ASCII))
    return _CONTROL.search(text) is not None


def _is_control(char: str) -> bool:
    """C0 and C1 control characters, DEL, and the non-characters XML refuses."""
    code = ord(char)
    return (
        code < 0x20 or 0x7F <= code <= 0x9F or code in (0xFFFE, 0xFFFF) or 0xD800 <= code <= 0xDFFF
    )


def _first_by_id(table: _Table) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    for _, row in table.rows():
        found.setdefault(row["id"], row)
    return found


def _ids_by(relations: _Table, kind: str, end: str) -> dict[str, list[str]]:
    """The ids of the relations of `kind`, by the entity at their `end`, in the file's order."""
    found: dict[str, list[str]] = {}
    of_kind = map(kind.__eq__, relations.column("kind"))
    pairs = zip(relations.column(end), relations.column("id"), strict=True)
    for entity, relation in itertools.compress(pairs, of_kind):
        found.setdefault(entity, []).append(relation)
    return found


def _kinds_by_id(table: _Table) -> dict[str, str]:
    found = dict(zip(table.column("id"), table.column("kind"), strict=True))
    found.pop("", None)
    return found


def _build(name: str, folder: Path | None, schema: Schema, tables: Mapping[str, _Table]) -> Dataset:
    parts: dict[str, Any] = {
        record.part(): tuple(record.from_columns(tables[record.FILE].columns)) for record in RECORDS
    }
    return Dataset(name, schema=schema, path=folder, **parts)
