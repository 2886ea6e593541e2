"""Between a Dataset and the parameter rows of the load statements, and back; shared by backends.

`plan_load` turns a Dataset into the statements of a load (schema first, then one UNWIND
statement per record kind, entity label and relationship type) with their rows. Every label,
relationship type and property name is checked against the schema and `IDENTIFIER` *before*
any statement exists, so an unsafe name never reaches a query string; every value travels in
the rows, as a parameter.

`build_dataset` does the reverse with the records the ``cypher/pull/`` queries return.

Rows are lists rather than maps (their layout is declared by the ``// row:`` line of each load
file, and a test holds code and files to it): lists make smaller parameters, which FalkorDB
parses much faster.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import operator
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from labournet._gc import paused
from labournet._number import format_number
from labournet.errors import Problem, QueryError, SchemaError
from labournet.model.dataset import LIST_SEPARATOR, RECORDS, Dataset, Figure, Record
from labournet.model.dates import END, POINT, START, PartialDate, record_period
from labournet.model.schema import Schema, load_schema, read_schema_text
from labournet.store.queries import CypherFile, check_identifier, fill_template, read_cypher

__all__ = [
    "CORE_LABELS",
    "ROWS",
    "ROW_EXTRAS",
    "PERIOD",
    "Step",
    "LoadPlan",
    "plan_load",
    "schema_statements",
    "indexes_relationships",
    "create_form",
    "build_dataset",
    "record_rows",
    "schema_to_yaml",
    "schema_from_yaml",
    "load_file",
    "with_columns",
    "RECORD_FILES",
]

CORE_LABELS = ("Entity", "Source", "Assumption", "Figure", "Dataset", "AnalysisRun")
"""Labels labournet itself gives nodes; an entity kind may not take one (except Source)."""

PERIOD = ("starts_on", "ends_on")
"""The properties a load gives every dated entity and relation: the ISO day (``YYYY-MM-DD``) it
starts on (the first day of its ``valid_from``, else of its ``date``) and the one it ends on (the
last day of its ``valid_until``), null where it has none. ISO days compare as text in both
databases, so Cypher applies the snapshot rule of `Dataset.as_of` (`labournet.model.dates`) with
``n.starts_on <= $date`` (see ``cypher/queries/network_as_of.cypher``). They are derived, not
part of the record: a pull does not read them."""

EXACT = ("low_exact", "best_exact", "high_exact")
"""The keys of a figure row's ``exact`` map (`_exact`)."""

RESERVED = frozenset(
    {"id", "kind", "name", "description", "sources", "assumptions", "claim", "subject",
     "load_order", *PERIOD}
)  # fmt: skip
"""Property names the load writes itself; a schema property may not reuse one."""

ROWS: Mapping[str, tuple[str, ...]] = {
    "admin/delete_relations.cypher": ("id", "source"),
    "load/figure_links.cypher": ("figure", "entity"),
    "scores/entities.cypher": ("id", "scores"),
    "scores/relations.cypher": ("id", "source", "scores"),
}
"""The layout of the rows the code builds by hand for these files (the files declare the same).
The rows of the record loads follow each file's own ``// row:`` line (`_row_maker`)."""

ROW_EXTRAS: Mapping[str, tuple[str, ...]] = {
    "sources": ("load_order",),
    "assumptions": ("load_order",),
    "entities": ("load_order", "properties", *PERIOD),
    "relations": ("load_order", "properties", *PERIOD),
    "figures": ("load_order", "exact"),
}
"""What a record load's row holds besides the record's columns."""


RECORD_FILES: Mapping[str, type[Record]] = {record.part(): record for record in RECORDS}
"""The record type each ``load/`` and ``pull/`` file of that name stores or reads."""

_COLUMNS = re.compile(r"\{\{columns ([a-z])\}\}")
_MERGE_CLAUSE = re.compile(r"^MERGE ", re.MULTILINE)
_RELATIONSHIP_PATTERN = re.compile(r"\)-\[")


@functools.cache
def load_file(*parts: str) -> CypherFile:
    """A file of the packaged Cypher library, parsed (``load_file("load", "sources.cypher")``).

    A record's load and pull files name its columns once, as ``{{columns n}}`` (``n`` the
    variable), filled here from the record type (`Record.columns`): a load sets them from the
    row (``n.kind = row[1], ...``; the file's ``// row:`` line says where, as ``{{columns}}``),
    a pull returns them (``n.kind AS kind, ...``). So a new field of a record is stored and read
    back with no edit to the Cypher.
    """
    from labournet.resources import cypher_path

    file = read_cypher(cypher_path(*parts))
    record = RECORD_FILES.get(Path(parts[-1]).stem) if parts[0] in ("load", "pull") else None
    return with_columns(file, record) if record and _COLUMNS.search(file.body) else file


def with_columns(file: CypherFile, record: type[Record]) -> CypherFile:
    """`file` with ``{{columns n}}`` filled with `record`'s columns that the file does not
    name itself (each checked as an identifier)."""
    if file.mode == "write":
        at = file.row.index("{{columns}}")
        named = set(file.row)
        columns = [c for c in record.columns() if c not in named]
        row = (*file.row[:at], *columns, *file.row[at + 1 :])

        def fill(match: re.Match[str]) -> str:
            node = match.group(1)
            return ", ".join(
                f"{node}.{check_identifier(c, 'column')} = row[{at + i}]"
                for i, c in enumerate(columns)
            )
    else:
        named = set(re.findall(r"\bAS (\w+)", file.body))
        columns = [c for c in record.columns() if c not in named]
        row = file.row

        def fill(match: re.Match[str]) -> str:
            node = match.group(1)
            return ", ".join(f"{node}.{check_identifier(c, 'column')} AS {c}" for c in columns)

    return dataclasses.replace(file, body=_COLUMNS.sub(fill, file.body), row=row)


@dataclass(frozen=True)
class Step:
    """One statement of a load and all its rows (the store cuts them into batches)."""

    stage: str
    file: CypherFile
    cypher: str
    rows: list[list[Any]]
    create: str = ""
    """The statement's CREATE form (`create_form`), for a first load into an empty graph."""


@dataclass(frozen=True)
class LoadPlan:
    """Everything a load will send, built and checked before anything is sent."""

    dataset: Dataset
    schema_statements: list[str]
    dataset_parameters: dict[str, Any]
    steps: list[Step]
    entity_labels: dict[str, str] = field(default_factory=dict)
    relation_shapes: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    unique_ids: bool = False
    """Whether no id is given twice in a record kind: only then may a load CREATE (a MERGE
    load merges the copies)."""
    map_keys: frozenset[str] = frozenset()
    """Every key of the maps in the rows (property names, checked; `EXACT`)."""

    @property
    def total_rows(self) -> int:
        return sum(len(step.rows) for step in self.steps)


def plan_load(dataset: Dataset, backend: str) -> LoadPlan:
    """Check every name in `dataset` and build the statements and rows of its load.

    Raises `QueryError` (before any query is built) for an entity or relation kind missing from
    the schema, a label, type or property name that is not a safe identifier, a relation whose
    ends are not entities of the dataset, or a figure that is not a finite number.
    """
    with paused():
        return _plan_load(dataset, backend)


def _plan_load(dataset: Dataset, backend: str) -> LoadPlan:
    schema = dataset.schema
    labels = _entity_labels(schema)
    types = _relationship_types(schema)
    entity_props = _checked_properties(schema.entity_properties, "entity property")
    relation_props = _checked_properties(schema.relation_properties, "relation property")
    # each row maps the properties its kind declares (null where empty, so a value emptied in
    # the data is removed) plus any other filled schema property
    entity_nulls = {k: dict.fromkeys(kind.properties) for k, kind in schema.entities.items()}
    relation_nulls = {k: dict.fromkeys(kind.properties) for k, kind in schema.relations.items()}

    entity_row = _row_maker("entities")
    entity_labels: dict[str, str] = {}
    entities_by_label: dict[str, list[list[Any]]] = {}
    for order, entity in enumerate(dataset.entities):
        label = _lookup(labels, entity.kind, "entity", entity.id)
        entity_labels[entity.id] = label
        props = _properties(entity.properties, entity_nulls[entity.kind], entity_props, entity.id)
        entities_by_label.setdefault(label, []).append(
            entity_row(
                entity,
                load_order=order,
                properties=props,
                **_period(props, "entity", entity.id),
            )
        )

    relation_row = _row_maker("relations")
    relation_shapes: dict[str, tuple[str, str, str]] = {}
    relations_by_type: dict[str, list[list[Any]]] = {}
    for order, relation in enumerate(dataset.relations):
        rel_type = _lookup(types, relation.kind, "relation", relation.id)
        for end in (relation.source, relation.target):
            if end not in entity_labels:
                raise QueryError(f"relation {relation.id!r}: {end!r} is not an entity")
        relation_shapes[relation.id] = (rel_type, relation.source, relation.target)
        props = _properties(
            relation.properties, relation_nulls[relation.kind], relation_props, relation.id
        )
        relations_by_type.setdefault(rel_type, []).append(
            relation_row(
                relation,
                load_order=order,
                properties=props,
                **_period(props, "relation", relation.id),
            )
        )

    figure_row = _row_maker("figures")
    figure_rows, link_rows = [], []
    for order, figure in enumerate(dataset.figures):
        if figure.subject not in entity_labels and figure.subject not in relation_shapes:
            raise QueryError(f"figure {figure.id!r}: subject {figure.subject!r} is not in the data")
        for name in ("low", "best", "high"):
            value = getattr(figure, name)
            if value is not None:
                _number(value, figure.id, name)
        figure_rows.append(figure_row(figure, load_order=order, exact=_exact(figure)))
        if figure.subject in entity_labels:
            link_rows.append([figure.id, figure.subject])

    source_row, assumption_row = _row_maker("sources"), _row_maker("assumptions")
    steps = [
        _step(
            "sources",
            ("load", "sources.cypher"),
            [source_row(s, load_order=order) for order, s in enumerate(dataset.sources)],
        ),
        _step(
            "assumptions",
            ("load", "assumptions.cypher"),
            [assumption_row(a, load_order=order) for order, a in enumerate(dataset.assumptions)],
        ),
    ]
    for label, rows in entities_by_label.items():
        steps.append(_step(f"entities {label}", ("load", "entities.cypher"), rows, label=label))
    for rel_type, rows in relations_by_type.items():
        steps.append(
            _step(f"relations {rel_type}", ("load", "relations.cypher"), rows, type=rel_type)
        )
    steps.append(_step("figures", ("load", "figures.cypher"), figure_rows))
    steps.append(_step("figure links", ("load", "figure_links.cypher"), link_rows))
    return LoadPlan(
        dataset=dataset,
        schema_statements=schema_statements(schema, backend),
        dataset_parameters={
            "name": dataset.name,
            "schema": schema_to_yaml(schema),
            "expected": [len(getattr(dataset, record.part())) for record in RECORDS],
        },
        steps=steps,
        entity_labels=entity_labels,
        relation_shapes=relation_shapes,
        map_keys=frozenset((*entity_props, *relation_props, *EXACT)),
        unique_ids=all(
            len({record.id for record in getattr(dataset, record_type.part())})
            == len(getattr(dataset, record_type.part()))
            for record_type in RECORDS
        ),
    )


def schema_statements(schema: Schema, backend: str) -> list[str]:
    """The DDL of ``cypher/schema/<backend>.cypher``, templates expanded for the schema's names."""
    from labournet.store.queries import split_statements

    file = load_file("schema", f"{backend}.cypher")
    labels = [label for label in _entity_labels(schema).values() if label not in CORE_LABELS]
    types = list(_relationship_types(schema).values())
    statements = []
    for statement in split_statements(file.body):
        one = CypherFile(path=file.path, body=statement, name=file.name)
        if "label" in one.placeholders:
            statements += [fill_template(one, label=label) for label in dict.fromkeys(labels)]
        elif "type" in one.placeholders:
            statements += [fill_template(one, type=rel_type) for rel_type in dict.fromkeys(types)]
        else:
            statements.append(statement)
    return statements


def indexes_relationships(statement: str) -> bool:
    """Whether a schema statement indexes relationships: a first load builds those after the
    data, which it CREATEs faster without them (``cypher/schema/falkordb.cypher``)."""
    return _RELATIONSHIP_PATTERN.search(statement) is not None


def create_form(file: CypherFile, cypher: str) -> str:
    """`cypher` (a load statement of `file`) with its one MERGE clause made a CREATE.

    The same pattern and SETs, so the same rows; for a first load into an empty graph, where
    nothing is there to merge with. `QueryError` unless the statement has exactly one MERGE.
    """
    form, found = _MERGE_CLAUSE.subn("CREATE ", cypher)
    if found != 1:
        raise QueryError(f"{file.path}: a load statement needs one MERGE clause, not {found}")
    return form


def build_dataset(
    name: str,
    schema: Schema,
    records: Mapping[str, Sequence[Mapping[str, Any]]],
    *,
    label: str = "the pulled dataset",
    regime: str | None = None,
) -> Dataset:
    """A Dataset from the records of the ``cypher/pull/`` queries (keys: the file stems),
    checked like a dataset folder (`labournet.io.validation.check_rows`).

    A graph is not only what labournet loaded into it: other tools may have added nodes or
    changed values. So every record is turned back into the strings of a dataset row
    (`record_rows`)
    and validated as such: a figure without numbers, text where a number belongs, an unknown
    kind or a missing id is a `DatasetError` located as ``FILE:LINE: FIELD: reason`` (the line
    the row would have in the files `db pull` writes), never a crash or a silently invalid
    dataset. Records come back in their ``load_order``; records without one follow, by id.
    """
    from labournet.io.validation import check_rows

    return check_rows(str(name), schema, record_rows(schema, records), label=label, regime=regime)


def record_rows(
    schema: Schema, records: Mapping[str, Sequence[Mapping[str, Any]]]
) -> dict[str, list[dict[str, str]]]:
    """The records of the pull queries as the rows of the dataset files (dicts of strings).

    Entity and relation records hold ``properties``: the values of the schema's entity (or
    relation) properties, in schema order. A figure's number is its ``*_exact`` text where the
    load kept one; a derived figure's range is left empty, as in a written figures.csv (its
    formula gives it).
    """
    declared = {"entities": schema.entity_properties, "relations": schema.relation_properties}
    out = {}
    for record in RECORDS:
        part = record.part()
        found = _sorted(records.get(part, ()))
        rows = [
            {key: _text(r.get(key)) for key in record.columns()}
            | (_pick(r.get("properties"), declared[part]) if part in declared else {})
            for r in found
        ]
        if record is Figure:
            for row, r in zip(rows, found, strict=True):
                for key in ("low", "best", "high"):
                    row[key] = "" if row["formula"] else _text(r.get(f"{key}_exact") or r.get(key))
        out[record.FILE] = rows
    return out


def schema_to_yaml(schema: Schema) -> str:
    """The schema as the text of a ``schema.yaml`` that `load_schema` reads back equal."""

    def listed(values: Iterable[str]) -> list[str]:
        return list(values)

    data: dict[str, Any] = {
        "version": 1,
        "entities": {
            name: {
                "label": kind.label,
                "description": kind.description,
                "properties": listed(kind.properties),
                "figures": listed(kind.figures),
            }
            for name, kind in schema.entities.items()
        },
        "relations": {
            name: {
                "type": kind.type,
                "description": kind.description,
                "source": listed(kind.source),
                "target": listed(kind.target),
                "properties": listed(kind.properties),
                "figures": listed(kind.figures),
            }
            for name, kind in schema.relations.items()
        },
        "measures": {
            name: {"unit": m.unit, "description": m.description}
            | ({"max": m.max} if m.max is not None else {})
            for name, m in schema.measures.items()
        },
    }
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def schema_from_yaml(text: Any, where: str = "the graph") -> Schema:
    """The schema stored with a graph; the packaged one when none is stored or they are equal.

    A stored schema that is not text, or not a valid schema, is a `SchemaError` located in
    ``the schema stored in WHERE``.
    """
    default = load_schema()
    if text is None or text == "":
        return default
    name = f"the schema stored in {where}"
    if not isinstance(text, str):
        kind = type(text).__name__
        reason = f"not the text of a schema.yaml but a {kind} ({_text(text)[:40]!r})"
        raise SchemaError([Problem(name, None, "schema", reason)])
    schema = read_schema_text(text, name)
    return default if schema == default else schema


def _entity_labels(schema: Schema) -> dict[str, str]:
    labels = {}
    for kind_name, kind in schema.entities.items():
        label = check_identifier(kind.label, f"label of entity kind {kind_name!r}")
        if label in CORE_LABELS and label != "Source":
            raise QueryError(f"entity kind {kind_name!r}: label {label!r} is reserved")
        labels[kind_name] = label
    return labels


def _relationship_types(schema: Schema) -> dict[str, str]:
    types = {}
    for kind_name, kind in schema.relations.items():
        rel_type = check_identifier(kind.type, f"relationship type of {kind_name!r}")
        if rel_type == "FIGURE_OF":
            raise QueryError(f"relation kind {kind_name!r}: type FIGURE_OF is reserved")
        types[kind_name] = rel_type
    return types


def _checked_properties(names: Iterable[str], what: str) -> tuple[str, ...]:
    checked = []
    for name in names:
        check_identifier(name, what)
        if name in RESERVED:
            raise QueryError(f"{what} {name!r} clashes with a property labournet writes itself")
        checked.append(name)
    return tuple(checked)


def _lookup(table: Mapping[str, str], kind: str, what: str, item: str) -> str:
    """The label or type of `kind`; `QueryError` naming the record (`what` `item`) if the
    schema has no such kind."""
    found = table.get(kind)
    if found is None:
        raise QueryError(f"{what} {item!r}: unknown kind {kind!r} (not in the schema)")
    return found


def _properties(
    values: Mapping[str, str], nulls: dict[str, None], declared: tuple[str, ...], item: str
) -> dict[str, str | None]:
    props: dict[str, str | None] = dict(nulls)
    for key, value in values.items():
        if key not in declared:
            check_identifier(key, f"property of {item!r}")
            raise QueryError(f"{item!r}: property {key!r} is not in the schema")
        props[key] = value if value != "" else None
    return props


def _period(properties: Mapping[str, str | None], what: str, item: str) -> Mapping[str, Any]:
    """The `PERIOD` days of a record (`what` `item`) with these properties; `QueryError` naming
    it for a date that is not one (a dataset built in Python, not read from a checked folder)."""
    try:
        return _period_days(properties.get(START), properties.get(POINT), properties.get(END))
    except ValueError as error:
        raise QueryError(f"{what} {item!r}: {error}") from None


@functools.lru_cache(maxsize=4096)
def _period_days(start: str | None, point: str | None, end: str | None) -> Mapping[str, Any]:
    """`record_period`'s days for these dates, worked out once: records share few dates. The
    mapping is shared between the records with these dates: read it, never change it."""
    first, last = record_period({START: start, POINT: point, END: end})
    return MappingProxyType(
        dict(zip(PERIOD, (_day(first, first=True), _day(last, first=False)), strict=True))
    )


def _day(date: PartialDate | None, *, first: bool) -> str | None:
    if date is None:
        return None
    return (date.first_day if first else date.last_day).isoformat()


def _number(value: float, figure_id: str, field_name: str) -> float:
    number = float(value)
    if not math.isfinite(number):
        raise QueryError(f"figure {figure_id!r}: {field_name} must be a finite number")
    return number


def _exact(figure: Figure) -> dict[str, str | None]:
    """The numbers that 15 significant digits (FalkorDB's answers) would not give back."""
    exact: dict[str, str | None] = dict.fromkeys(EXACT)
    for name, value in (("low", figure.low), ("best", figure.best), ("high", figure.high)):
        if value is not None and len(repr(float(value)).lstrip("-").replace(".", "")) > 15:
            number = float(value)
            if float(f"{number:.15g}") != number:
                exact[f"{name}_exact"] = repr(number)
    return exact


def _row_maker(kind: str) -> Callable[..., list[Any]]:
    """The row builder of ``cypher/load/<kind>.cypher``: the file's ``// row:`` line names the
    values, in order; each is one of the record's columns (`Record.values`: lists go as lists,
    empty ones as null) or one of the extras the call gives (``load_order``, ...)."""
    layout = load_file("load", f"{kind}.cypher").row
    extras = [name for name in layout if name in ROW_EXTRAS[kind]]
    names = [name for name in layout if name not in ROW_EXTRAS[kind]]
    at = layout.index(extras[0])
    if layout[at : at + len(extras)] != tuple(extras):
        raise ValueError(f"cypher/load/{kind}.cypher: the row's extras must stand together")
    columns = operator.attrgetter(*names)
    lists = {f.name for f in dataclasses.fields(RECORD_FILES[kind]) if "tuple" in str(f.type)}
    lists_at = [i for i, name in enumerate(names) if name in lists]
    pick = operator.itemgetter(*extras)

    def make(record: Record, **given: Any) -> list[Any]:
        # the columns by one getter, the lists made lists, the extras put in their place:
        # a load makes a row for every record
        row = list(columns(record))
        for i in lists_at:
            row[i] = _list(row[i])
        row[at:at] = pick(given) if len(extras) > 1 else (given[extras[0]],)
        return row

    return make


def _step(stage: str, parts: tuple[str, str], rows: list[list[Any]], **names: str) -> Step:
    file = load_file(*parts)
    cypher = fill_template(file, **names) if names or file.placeholders else file.body
    return Step(stage, file, cypher, rows, create_form(file, cypher))


def _list(values: Sequence[str]) -> list[str] | None:
    """Lists go to the database as lists; empty ones as null (no property)."""
    return list(values) if values else None


def _text(value: Any) -> str:
    """A stored value as the text of a CSV field: numbers as `format_number` writes them,
    lists joined as list fields are, anything else as its text."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return format_number(value)
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(_text(item) for item in value)
    return str(value)


def _pick(values: Any, declared: tuple[str, ...]) -> dict[str, str]:
    """The properties, from the values of `declared` in order (pull queries)."""
    if not isinstance(values, list | tuple):
        return {}
    return {key: _text(value) for key, value in zip(declared, values, strict=False)}


def _sorted(records: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """In load order, then by id (for records without one, left from an earlier load or
    written by another tool)."""

    def key(record: Mapping[str, Any]) -> tuple[bool, int, str]:
        order = record.get("load_order")
        if isinstance(order, int) and not isinstance(order, bool):
            return (False, order, _text(record.get("id")))
        return (True, 0, _text(record.get("id")))

    return sorted(records, key=key)
