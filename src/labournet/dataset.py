"""The dataset: typed, validated entities, relations and figures, each with provenance.

A dataset is a folder of UTF-8 CSV files (see ``data/dprk-labour-2016/README.md``)::

    sources.csv      id,publisher,title,date,url,note
    assumptions.csv  id,statement,reasoning,sources
    entities.csv     id,kind,name,description,sources,assumptions,<entity properties>
    relations.csv    id,kind,source,target,claim,sources,assumptions,<relation properties>
    figures.csv      id,subject,measure,low,best,high,unit,year,claim,sources,assumptions,stated_by,
                     formula

and optionally its own ``schema.yaml``. List fields hold ids separated by ``;``.

Example:
    >>> import labournet
    >>> dataset = labournet.load_dataset()
    >>> dataset.entity("kp").name
    'North Korea'
"""

from __future__ import annotations

import csv
import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from labournet._number import format_number
from labournet.errors import ExportError
from labournet.schema import Schema, default_schema_path

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "Source",
    "Assumption",
    "Entity",
    "Relation",
    "Figure",
    "Dataset",
    "figures_as_of",
    "load_dataset",
    "FILES",
    "LIST_SEPARATOR",
]

LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class Source:
    """A publication that evidences claims."""

    id: str
    publisher: str
    title: str
    date: str
    url: str = ""
    note: str = ""


@dataclass(frozen=True)
class Assumption:
    """Something the analysis needs that no source gives, with the reasoning behind it."""

    id: str
    statement: str
    reasoning: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Entity:
    """A node: a country, sector, organisation, person, measure or event."""

    id: str
    kind: str
    name: str
    description: str = ""
    sources: tuple[str, ...] = ()
    assumptions: tuple[str, ...] = ()
    properties: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Relation:
    """A directed, sourced link between two entities."""

    id: str
    kind: str
    source: str
    target: str
    claim: str
    sources: tuple[str, ...]
    assumptions: tuple[str, ...] = ()
    properties: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Figure:
    """A number about an entity or a relation, as a range with a unit, a year and its evidence."""

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

    @property
    def estimate(self) -> float:
        """The best estimate if given, else the middle of the range."""
        return self.best if self.best is not None else (self.low + self.high) / 2

    @property
    def assumed(self) -> bool:
        """True when this figure rests on at least one assumption."""
        return bool(self.assumptions)


def figures_as_of(figures: Iterable[Figure], year: int) -> tuple[Figure, ...]:
    """The snapshot rule: for each subject and measure, the figure of the latest year up to
    `year` (the first listed if an item has two for that year); later figures are left out.

    Every analysis as of a year (``as_of=``, ``--as-of``) applies this rule.
    """
    chosen: dict[tuple[str, str], Figure] = {}
    for figure in figures:
        if figure.year > year:
            continue
        key = (figure.subject, figure.measure)
        held = chosen.get(key)
        if held is None or figure.year > held.year:
            chosen[key] = figure
    kept = {id(figure) for figure in chosen.values()}
    return tuple(figure for figure in figures if id(figure) in kept)


FILES: Mapping[str, tuple[str, ...]] = {
    "sources.csv": ("id", "publisher", "title", "date", "url", "note"),
    "assumptions.csv": ("id", "statement", "reasoning", "sources"),
    "entities.csv": ("id", "kind", "name", "description", "sources", "assumptions"),
    "relations.csv": ("id", "kind", "source", "target", "claim", "sources", "assumptions"),
    "figures.csv": (
        "id", "subject", "measure", "low", "best", "high", "unit", "year",
        "claim", "sources", "assumptions", "stated_by", "formula",
    ),
}  # fmt: skip
"""The base columns of each file; entity and relation files add the schema's property columns."""


@dataclass(frozen=True, eq=False)
class Dataset:
    """A whole network with its evidence.

    Equality compares content: it ignores row order, the folder and the dataset's name.
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

    def as_of(self, year: int) -> Dataset:
        """The snapshot as of `year`: each item's latest figure up to `year` (`figures_as_of`).

        >>> import labournet
        >>> snapshot = labournet.load_dataset().as_of(2015)
        >>> sorted({figure.year for figure in snapshot.figures})
        [2015]
        """
        return dataclasses.replace(self, figures=figures_as_of(self.figures, year))

    def figures_for(self, subject: str, measure: str | None = None) -> tuple[Figure, ...]:
        """Figures about an entity or relation, optionally of one measure."""
        found = self._index()[2].get(subject, ())
        return tuple(f for f in found if measure is None or f.measure == measure)

    def _index(self) -> tuple[dict[str, Entity], dict[str, Relation], dict[str, list[Figure]]]:
        cached = self.__dict__.get("_cached_index")
        if cached is None:
            figures: dict[str, list[Figure]] = {}
            for figure in self.figures:
                figures.setdefault(figure.subject, []).append(figure)
            cached = (
                {e.id: e for e in self.entities},
                {r.id: r for r in self.relations},
                figures,
            )
            object.__setattr__(self, "_cached_index", cached)
        return cached

    def to_networkx(self) -> nx.MultiDiGraph:
        """The dataset as a `networkx.MultiDiGraph`; see `labournet.graph`."""
        from labournet.graph import dataset_to_networkx

        return dataset_to_networkx(self)

    @classmethod
    def from_networkx(cls, graph: nx.MultiDiGraph) -> Dataset:
        """Rebuild a dataset from a graph made by `to_networkx` (lossless)."""
        from labournet.graph import networkx_to_dataset

        return networkx_to_dataset(graph)

    def write(self, folder: str | Path) -> Path:
        """Write the dataset as a folder of CSV files that `load_dataset` reads back equal.

        A folder that cannot be made or written (a file in its place or as its parent, a full
        disk) is an `ExportError` naming the path.
        """
        out = Path(folder)
        try:
            return self._write(out)
        except OSError as error:
            raise ExportError(_cannot_write(out, error)) from error

    def _write(self, out: Path) -> Path:
        out.mkdir(parents=True, exist_ok=True)
        entity_props = _used_properties(self.entities, self.schema.entity_properties)
        relation_props = _used_properties(self.relations, self.schema.relation_properties)
        _write_csv(out / "sources.csv", FILES["sources.csv"], (_row(s) for s in self.sources))
        _write_csv(
            out / "assumptions.csv", FILES["assumptions.csv"], (_row(a) for a in self.assumptions)
        )
        _write_csv(
            out / "entities.csv",
            FILES["entities.csv"] + entity_props,
            (_row(e) | dict(e.properties) for e in self.entities),
        )
        _write_csv(
            out / "relations.csv",
            FILES["relations.csv"] + relation_props,
            (_row(r) | dict(r.properties) for r in self.relations),
        )
        figure_rows = (_figure_row(f) for f in self.figures)
        _write_csv(out / "figures.csv", FILES["figures.csv"], figure_rows)
        own_schema = Path(self.schema.path) if self.schema.path else None
        if own_schema and own_schema != default_schema_path() and own_schema.exists():
            (out / "schema.yaml").write_text(own_schema.read_text("utf-8"), "utf-8")
        return out


def load_dataset(path: str | Path | None = None, *, regime: str | None = None) -> Dataset:
    """Read and validate a dataset folder; `None` reads the bundled North Korea dataset.

    Every problem in every file is reported at once in a `DatasetError`, each located as
    ``FILE:LINE: FIELD: reason``. A dataset with flows of workers or revenue needs exactly one
    entity with role ``regime`` unless `regime` names the regime's id (checked by the analysis).
    """
    from labournet.resources import bundled_dataset_path
    from labournet.validation import read_dataset

    return read_dataset(Path(path) if path is not None else bundled_dataset_path(), regime)


def _row(item: Any) -> dict[str, str]:
    row = {}
    for name, value in vars(item).items():
        if name == "properties" or name.startswith("_"):
            continue
        if isinstance(value, tuple):
            row[name] = LIST_SEPARATOR.join(value)
        elif isinstance(value, int | float) or value is None:
            row[name] = format_number(value)
        else:
            row[name] = str(value)
    return row


def _figure_row(figure: Figure) -> dict[str, str]:
    """A figure's row; a derived figure's range comes from its formula, so it is left empty."""
    row = _row(figure)
    if figure.formula:
        row.update(low="", best="", high="")
    return row


def _used_properties(
    items: Iterable[Entity | Relation], declared: tuple[str, ...]
) -> tuple[str, ...]:
    used = {name for item in items for name in item.properties}
    return tuple(name for name in declared if name in used)


def _cannot_write(folder: Path, error: OSError) -> str:
    """``cannot write FOLDER: reason``, naming the file the system refused when it says which."""
    where = Path(error.filename) if error.filename else folder
    reason = error.strerror or str(error)
    if isinstance(error, FileExistsError | NotADirectoryError) and not where.is_dir():
        reason = f"{reason} (a file is where a folder should be)"
    return f"cannot write {where}: {reason}"


def _write_csv(path: Path, columns: tuple[str, ...], rows: Iterable[Mapping[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({column: row.get(column, "") for column in columns})
