"""The dataset: entities, relations and figures, each with provenance, as plain values.

Records are frozen dataclasses; a `Dataset` holds them with its schema and knows nothing of
files, graphs or databases (`labournet.io` reads and writes those). On disk a dataset is a
folder of UTF-8 CSV files (see ``data/dprk-labour-2016/README.md``)::

    sources.csv      id,publisher,title,date,url,note
    assumptions.csv  id,statement,reasoning,sources
    entities.csv     id,kind,name,description,sources,assumptions,<entity properties>
    relations.csv    id,kind,source,target,claim,sources,assumptions,<relation properties>
    figures.csv      id,subject,measure,low,best,high,unit,year,date,claim,sources,assumptions,
                     stated_by,formula

and optionally its own ``schema.yaml``. List fields hold ids separated by ``;``.

Example:
    >>> import labournet
    >>> dataset = labournet.load_dataset()
    >>> dataset.entity("kp").name
    'North Korea'
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import itertools
import math
import operator
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, ClassVar, Self

from labournet._display import table_html
from labournet._number import format_number
from labournet._text import plural
from labournet.model.dates import DateLike, PartialDate, as_date, in_period, record_period
from labournet.model.formulas import parse_formula
from labournet.model.frames import DatasetFrames
from labournet.model.schema import Schema

__all__ = [
    "Source",
    "Assumption",
    "Entity",
    "Relation",
    "Figure",
    "Dataset",
    "figures_as_of",
    "in_snapshot",
    "Record",
    "RECORDS",
    "FILES",
    "LIST_SEPARATOR",
]

LIST_SEPARATOR = ";"


class Record:
    """What every record type shares: the file it lives in, its columns, and its one
    conversion to and from a row of that file (strings) and to plain values (for graphs,
    JSON and database rows). The columns are the dataclass's fields (``properties`` aside,
    which are the schema's extra columns), so a new field is one edit here.

    >>> Source("s1", "ST", "A title", "2016").to_row()["date"]
    '2016'
    >>> Figure.from_row({"id": "f", "subject": "cn", "measure": "workers", "low": "1",
    ...     "high": "2", "unit": "persons", "year": "2016", "claim": "c", "sources": "s1"}).high
    2.0
    """

    __slots__ = ()  # each record type keeps its fields in slots, without a dict per record

    FILE: ClassVar[str]

    @classmethod
    def part(cls) -> str:
        """The name of the records' file without ``.csv``, and of the Dataset field holding
        them (``sources``)."""
        return cls.FILE.removesuffix(".csv")

    @classmethod
    def columns(cls) -> tuple[str, ...]:
        """The file's base columns, in order."""
        found = _COLUMNS.get(cls)
        if found is None:
            found = _COLUMNS[cls] = tuple(name for name in _types(cls) if name != "properties")
        return found

    def values(self) -> dict[str, Any]:
        """The columns' values as Python values (tuples of ids, numbers, None)."""
        names = self.columns()
        getter = _GETTERS.get(type(self))
        if getter is None:
            getter = _GETTERS[type(self)] = operator.attrgetter(names[0], *names)
        return dict(zip(names, getter(self)[1:], strict=True))

    def to_row(self) -> dict[str, str]:
        """The record as a row of its file: lists joined by ``;``, numbers written exactly."""
        return self.rows_of((self,))[0]

    @classmethod
    def rows_of(cls, items: Sequence[Self]) -> list[dict[str, str]]:
        """`to_row` of each of `items`, made from `cells_of`.

        >>> rows = Source.rows_of([Source("s1", "ST", "A", "2016"), Source("s2", "ST", "B", "")])
        >>> [(row["id"], row["date"]) for row in rows]
        [('s1', '2016'), ('s2', '')]
        """
        cells = cls.cells_of(items)
        rows = [dict(zip(cells, row, strict=True)) for row in zip(*cells.values(), strict=True)]
        if "properties" in _types(cls):
            for row, item in zip(rows, items, strict=True):
                row.update(item.properties)  # type: ignore[attr-defined]
        return rows

    @classmethod
    def cells_of(cls, items: Sequence[Self]) -> dict[str, list[str]]:
        """The cells of the base columns of `items`' rows, a column at a time (the properties
        aside): a column of plain text is taken as it is, the others converted value by value."""
        return {name: _cells(list(map(operator.attrgetter(name), items))) for name in cls.columns()}

    @classmethod
    def from_row(cls, row: Mapping[str, str]) -> Self:
        """The record of a row that validation has accepted (`labournet.io.validation`); the
        columns the record does not have are its properties."""
        hints = _types(cls)
        values: dict[str, Any] = {
            name: _parse(row.get(name, ""), hints[name]) for name in cls.columns()
        }
        if "properties" in hints:
            values["properties"] = {
                key: value for key, value in row.items() if key not in hints and value
            }
        return cls(**values)

    @classmethod
    def from_columns(cls, columns: Mapping[str, Sequence[str]]) -> list[Self]:
        """The records of rows given as columns of equal length, equal to those `from_row`
        makes one by one. Each distinct text of a column is converted once and kept once (a
        million relations name their kinds and ends with a few thousand strings), and the
        records get their fields a column at a time through the fields' slots, without
        `__init__`, whose frozen assignments, one per field and record, would cost more than
        all the rest (record types have no ``__post_init__``).

        >>> [s.title for s in Source.from_columns({"id": ["a", "b"], "publisher": ["P", "P"],
        ...     "title": ["T1", "T2"], "date": ["2016", "2017"]})]
        ['T1', 'T2']
        """
        count = len(next(iter(columns.values()), ()))
        blank = [""] * count
        hints = _types(cls)
        fields = [
            _properties(cls, columns, count)
            if name == "properties"
            else _parse_all(columns.get(name, blank), hint)
            for name, hint in hints.items()
        ]
        records = list(map(object.__new__, itertools.repeat(cls, count)))
        for name, values in zip(hints, fields, strict=True):
            slot = getattr(cls, name)  # the field's slot, set past the frozen __setattr__
            collections.deque(map(slot.__set__, records, values), maxlen=0)
        return records


def _parse_all(texts: Sequence[str], hint: str) -> Sequence[Any]:
    """`_parse` of each text, once per distinct text, the rows of one text sharing one value
    (for text, one of its strings)."""
    if hint == "str":
        if len(set(texts[:SAMPLE_TEXTS])) > SAMPLE_TEXTS * 3 // 4:
            return texts  # ids, claims: texts that hardly repeat are kept as read
        parsed = dict(zip(texts, texts, strict=True))  # one string (the last) per text
    else:
        parsed = {text: _parse(text, hint) for text in set(texts)}
    return list(map(parsed.__getitem__, texts))


SAMPLE_TEXTS = 2048
"""`_parse_all` shares the strings of a text column when its first `SAMPLE_TEXTS` texts
repeat (fewer than three in four distinct): sharing costs a hash of every text."""


def _properties(
    record: type, columns: Mapping[str, Sequence[str]], count: int
) -> list[dict[str, str]]:
    """Each row's filled columns that are not fields of `record`, in the columns' order; the
    rows without any share `NO_PROPERTIES`."""
    found: dict[int, dict[str, str]] = {}
    for name in columns:
        if name not in _types(record):
            texts = columns[name]
            for index in itertools.compress(range(count), texts):
                found.setdefault(index, {})[name] = texts[index]
    if not found:
        return [NO_PROPERTIES] * count
    return [found.get(index, NO_PROPERTIES) for index in range(count)]


class _NoProperties(dict[str, str]):
    """The empty mapping that read records without properties share (a dict apiece took 64
    bytes a record: 320 MB for 5 million relations); read-only, and one object again once
    unpickled."""

    def _refuse(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("a record's properties are read-only")

    __setitem__ = __delitem__ = __ior__ = _refuse  # type: ignore[assignment]
    update = setdefault = pop = popitem = clear = _refuse  # type: ignore[assignment]

    def __reduce__(self) -> str:
        return "NO_PROPERTIES"


NO_PROPERTIES: Mapping[str, str] = _NoProperties()


_TYPES: dict[type, dict[str, str]] = {}
_COLUMNS: dict[type, tuple[str, ...]] = {}
_GETTERS: dict[type, operator.attrgetter[Any]] = {}
"""Per record type, a getter of its columns' values (the first twice, so that it always
returns a tuple)."""


def _types(record: type) -> dict[str, str]:
    """Each field of a record type with its type as written (``tuple[str, ...]``), worked out
    once per type: reading a file converts every row."""
    found = _TYPES.get(record)
    if found is None:
        found = _TYPES[record] = {f.name: str(f.type) for f in dataclasses.fields(record)}
    return found


def _cells(values: list[Any]) -> list[str]:
    """`_cell` of each value; a column of plain strings as it is, a column of lists with each
    distinct list joined once."""
    types = set(map(type, values))
    if types <= {str}:
        return values
    if types <= {tuple}:
        joined = {value: LIST_SEPARATOR.join(value) for value in set(values)}
        return list(map(joined.__getitem__, values))
    return list(map(_cell, values))


def _cell(value: Any) -> str:
    if type(value) is str:  # most cells: no conversion
        return value
    if isinstance(value, tuple):
        return LIST_SEPARATOR.join(value)
    if value is None or isinstance(value, int | float):
        return format_number(value)
    return str(value)


def _parse(text: str, hint: str) -> Any:
    if hint.startswith("tuple"):
        return tuple(part.strip() for part in text.split(LIST_SEPARATOR) if part.strip())
    if hint == "float":
        return float(text) if text else math.nan  # a derived figure's range: its formula's
    if hint == "float | None":
        return float(text) if text else None
    if hint == "int":
        return int(float(text))
    if hint == "str | None":
        return text or None
    return text


@dataclass(frozen=True, slots=True)
class Source(Record):
    """A publication that evidences claims."""

    FILE: ClassVar[str] = "sources.csv"

    id: str
    publisher: str
    title: str
    date: str
    url: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class Assumption(Record):
    """Something the analysis needs that no source gives, with the reasoning behind it."""

    FILE: ClassVar[str] = "assumptions.csv"

    id: str
    statement: str
    reasoning: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Entity(Record):
    """A node: a country, sector, organisation, person, measure or event."""

    FILE: ClassVar[str] = "entities.csv"

    id: str
    kind: str
    name: str
    description: str = ""
    sources: tuple[str, ...] = ()
    assumptions: tuple[str, ...] = ()
    properties: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Relation(Record):
    """A directed, sourced link between two entities."""

    FILE: ClassVar[str] = "relations.csv"

    id: str
    kind: str
    source: str
    target: str
    claim: str
    sources: tuple[str, ...]
    assumptions: tuple[str, ...] = ()
    properties: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Figure(Record):
    """A number about an entity or a relation, as a range with a unit, a year and its evidence."""

    FILE: ClassVar[str] = "figures.csv"

    id: str
    subject: str
    measure: str
    low: float
    high: float
    best: float | None
    unit: str
    year: int
    claim: str
    sources: tuple[str, ...]
    assumptions: tuple[str, ...] = ()
    stated_by: str | None = None
    formula: str | None = None
    date: str | None = None
    """The day or month within `year` the figure describes, where the source gives it."""

    @property
    def estimate(self) -> float:
        """The best estimate if given, else the middle of the range."""
        return self.best if self.best is not None else (self.low + self.high) / 2

    @property
    def period(self) -> PartialDate:
        """What the figure describes: its ``date`` (a day or month within its year), else its
        year."""
        return as_date(self.date or self.year)

    @property
    def assumed(self) -> bool:
        """True when this figure rests on at least one assumption."""
        return bool(self.assumptions)

    @classmethod
    def columns(cls) -> tuple[str, ...]:
        """The fields, with the best estimate between low and high, as a range reads, and the
        date beside the year."""
        names = [name for name in super(Figure, cls).columns() if name not in ("best", "date")]
        names.insert(names.index("high"), "best")
        names.insert(names.index("year") + 1, "date")
        return tuple(names)

    @classmethod
    def cells_of(cls, items: Sequence[Self]) -> dict[str, list[str]]:
        """A derived figure's range comes from its formula, so its row leaves it empty."""
        cells = super(Figure, cls).cells_of(items)  # named: slots make a new class
        for index in itertools.compress(
            range(len(items)), map(operator.attrgetter("formula"), items)
        ):
            for name in ("low", "best", "high"):
                cells[name][index] = ""
        return cells


def figures_as_of(figures: Iterable[Figure], as_of: DateLike) -> tuple[Figure, ...]:
    """The snapshot rule for figures: for each subject and measure, the figure of the latest
    period (`Figure.period`) that has begun by the last day of `as_of` (the first listed if two
    begin and end on the same days); later figures are left out.

    Every analysis as of a date (``as_of=``, ``--as-of``) applies this rule.

    >>> old = Figure("a", "cn", "workers", 1, 2, None, "persons", 2016, "c", ())
    >>> new = Figure("b", "cn", "workers", 3, 4, None, "persons", 2019, "c", (), date="2019-12")
    >>> [f.id for f in figures_as_of([old, new], "2019-06")]
    ['a']
    >>> [f.id for f in figures_as_of([old, new], "2019-12-01")]
    ['b']
    """
    cutoff = as_date(as_of).last_day
    chosen: dict[tuple[str, str], Figure] = {}
    for figure in figures:
        period = figure.period
        if period.first_day > cutoff:
            continue
        key = (figure.subject, figure.measure)
        held = chosen.get(key)
        if held is None or period > held.period:
            chosen[key] = figure
    kept = {id(figure) for figure in chosen.values()}
    return tuple(figure for figure in figures if id(figure) in kept)


def in_snapshot(properties: Mapping[str, Any], as_of: DateLike) -> bool:
    """True when a record with these properties (or graph attributes) belongs to the snapshot
    as of `as_of`: it has started by then (``valid_from``, else ``date``) and not ended before
    (``valid_until``); undated records always do (`labournet.model.dates`).

    >>> in_snapshot({"date": "2017-08-05"}, 2016), in_snapshot({"date": "2017-08-05"}, 2017)
    (False, True)
    """
    return in_period(*record_period(properties), as_date(as_of))


def _with_inputs(chosen: tuple[Figure, ...], present: list[Figure]) -> tuple[Figure, ...]:
    """The chosen figures and every figure their formulas need (a derived figure of 2016 keeps
    its 2016 inputs in a later snapshot), in the dataset's order."""
    by_id = {figure.id: figure for figure in present}
    needed = {figure.id for figure in chosen}
    pending = [figure for figure in chosen if figure.formula]
    while pending:
        for ref in parse_formula(pending.pop().formula or "").references:
            if ref in by_id and ref not in needed:
                needed.add(ref)
                if by_id[ref].formula:
                    pending.append(by_id[ref])
    return tuple(figure for figure in present if figure.id in needed)


RECORDS: tuple[type[Record], ...] = (Source, Assumption, Entity, Relation, Figure)
"""The record types, in the order of a dataset's files."""

FILES: Mapping[str, tuple[str, ...]] = {record.FILE: record.columns() for record in RECORDS}
"""The base columns of each file; entity and relation files add the schema's property columns."""


_PARTS = {
    "entities": "entity",
    "relations": "relation",
    "figures": "figure",
    "sources": "source",
    "assumptions": "assumption",
}
"""The record types in the order a summary counts them: the network, then its evidence."""


@dataclass(frozen=True, eq=False, repr=False)
class Dataset:
    """A whole network with its evidence.

    Equality compares content: it ignores row order, the folder and the dataset's name. Its
    repr is a summary (`summary`), never the records; ``frames`` gives them as DataFrames.

    >>> import labournet
    >>> labournet.load_dataset()
    <Dataset 'dprk-labour-2016': 39 entities, 89 relations, 68 figures, ...>
    """

    name: str
    entities: tuple[Entity, ...]
    relations: tuple[Relation, ...]
    figures: tuple[Figure, ...]
    sources: tuple[Source, ...]
    assumptions: tuple[Assumption, ...]
    schema: Schema
    path: Path | None = None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Dataset):
            return NotImplemented
        return self._comparable() == other._comparable()

    __hash__ = None  # type: ignore[assignment]

    def _comparable(self) -> tuple[Any, ...]:
        def by_id(items: Iterable[Any]) -> dict[str, Any]:
            return {item.id: item for item in items}

        return (
            by_id(self.entities),
            by_id(self.relations),
            by_id(self.figures),
            by_id(self.sources),
            by_id(self.assumptions),
            self.schema,
        )

    def __repr__(self) -> str:
        return f"<Dataset {self.name!r}: {self.summary()}>"

    def summary(self) -> str:
        """The counts by record type and the years and dates the dataset covers, in a line.

        >>> import labournet
        >>> print(labournet.load_dataset("tests/fixtures/dated").summary())
        11 entities, 13 relations, 1 figure, 1 source, 0 assumptions; figures 2018; dated ...
        """
        counts = ", ".join(
            plural(len(getattr(self, part)), word, grouped=True) for part, word in _PARTS.items()
        )
        return "; ".join([counts, *self._coverage()])

    def _coverage(self) -> list[str]:
        covered = []
        if years := self.years:
            covered.append(f"figures {years[0]}" + (f"-{years[-1]}" if len(years) > 1 else ""))
        if dates := self.dates:
            covered.append(f"dated {dates[0]} to {dates[1]}")
        return covered

    def _repr_html_(self) -> str:
        import pandas as pd

        counts = pd.DataFrame({part: [len(getattr(self, part))] for part in _PARTS}, ["records"])
        title = "; ".join([f"Dataset {self.name}", *self._coverage()])
        return table_html(counts, title=title, notes=["dataset.frames has every record"])

    @property
    def frames(self) -> DatasetFrames:
        """The records as pandas DataFrames: ``frames.entities``, ``.relations``,
        ``.figures``, ``.sources``, ``.assumptions`` (`labournet.model.frames`)."""
        return DatasetFrames(self, {record.part(): record for record in RECORDS})

    def entity(self, entity_id: str) -> Entity:
        """The entity with this id; `KeyError` if there is none."""
        return self._index()[0][entity_id]

    def relation(self, relation_id: str) -> Relation:
        """The relation with this id; `KeyError` if there is none."""
        return self._index()[1][relation_id]

    @property
    def years(self) -> tuple[int, ...]:
        """The years the figures cover, in order."""
        return tuple(sorted({figure.year for figure in self.figures}))

    @property
    def dates(self) -> tuple[PartialDate, PartialDate] | None:
        """The date that begins first and the one that ends last among the dates of the
        entities, relations (``date``, ``valid_from``, ``valid_until``) and figures (``date``);
        None when nothing is dated."""
        found: list[PartialDate] = []
        records: tuple[Entity | Relation, ...] = (*self.entities, *self.relations)
        for record in records:
            try:
                found.extend(d for d in record_period(record.properties) if d is not None)
            except ValueError:  # not validated: a summary never fails on it
                continue
        for figure in self.figures:
            if figure.date:
                with contextlib.suppress(ValueError):
                    found.append(as_date(figure.date))
        if not found:
            return None
        return min(found, key=lambda d: d.first_day), max(found, key=lambda d: d.last_day)

    def as_of(self, as_of: DateLike) -> Dataset:
        """The snapshot as of a day, month or year (an int is a year): the entities and
        relations that have started by then and not ended (`in_snapshot`), the relations whose
        ends are both in it, and for each of their items the latest figure up to then
        (`figures_as_of`). Sources and assumptions stay whole.

        >>> import labournet
        >>> snapshot = labournet.load_dataset().as_of(2015)
        >>> sorted({figure.year for figure in snapshot.figures})
        [2015]
        """
        entities = tuple(e for e in self.entities if in_snapshot(e.properties, as_of))
        kept = {entity.id for entity in entities}
        relations = tuple(
            r
            for r in self.relations
            if r.source in kept and r.target in kept and in_snapshot(r.properties, as_of)
        )
        kept.update(relation.id for relation in relations)
        present = [f for f in self.figures if f.subject in kept]
        figures = _with_inputs(figures_as_of(present, as_of), present)
        return dataclasses.replace(self, entities=entities, relations=relations, figures=figures)

    def figures_for(self, subject: str, measure: str | None = None) -> tuple[Figure, ...]:
        """Figures about an entity or relation, optionally of one measure."""
        found = self.figures_by_subject().get(subject, ())
        if measure is None:
            return found
        return tuple(f for f in found if f.measure == measure)

    def figures_by_subject(self) -> Mapping[str, tuple[Figure, ...]]:
        """The figures of each entity or relation id that has any, in the file's order."""
        return self._index()[2]

    def _index(
        self,
    ) -> tuple[dict[str, Entity], dict[str, Relation], Mapping[str, tuple[Figure, ...]]]:
        cached = self.__dict__.get("_cached_index")
        if cached is None:
            figures: dict[str, list[Figure]] = {}
            for figure in self.figures:
                figures.setdefault(figure.subject, []).append(figure)
            cached = (
                {e.id: e for e in self.entities},
                {r.id: r for r in self.relations},
                MappingProxyType({subject: tuple(found) for subject, found in figures.items()}),
            )
            object.__setattr__(self, "_cached_index", cached)
        return cached
