"""The data model as data: load and check the schema file.

The schema names the kinds of entities and relations a dataset may hold, which entity kinds a
relation may join, which extra properties each kind may fill, and which measures (with their
units) figures may use. Names that later reach a graph database (labels, relationship types,
property names) are checked here against strict identifier patterns, so nothing from a data file
can smuggle text into a Cypher query.

Example:
    >>> from labournet.model.schema import load_schema
    >>> schema = load_schema()
    >>> schema.relations["works_in"].source, schema.relations["works_in"].target
    (('country',), ('sector',))
    >>> schema.measures["revenue"].unit
    'USD per year'
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from labournet.errors import Problem, SchemaError
from labournet.model.dates import END, POINT, START

__all__ = [
    "Schema",
    "EntityKind",
    "RelationKind",
    "Measure",
    "load_schema",
    "read_schema_text",
    "default_schema_path",
]

KIND_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
LABEL_PATTERN = re.compile(r"^[A-Z][A-Za-z0-9]{0,63}$")
TYPE_PATTERN = re.compile(r"^[A-Z][A-Z0-9_]{0,63}$")
PROPERTY_PATTERN = KIND_PATTERN


@dataclass(frozen=True)
class EntityKind:
    name: str
    label: str
    description: str = ""
    properties: tuple[str, ...] = ()
    figures: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    """The properties that hold dates (`labournet.model.dates`); they are among `properties`."""


@dataclass(frozen=True)
class RelationKind:
    name: str
    type: str
    source: tuple[str, ...]
    target: tuple[str, ...]
    description: str = ""
    properties: tuple[str, ...] = ()
    figures: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    """The properties that hold dates (`labournet.model.dates`); they are among `properties`."""


@dataclass(frozen=True)
class Measure:
    name: str
    unit: str
    description: str = ""
    max: float | None = None


@dataclass(frozen=True)
class Schema:
    """Kinds of entities and relations, and the measures figures may use."""

    entities: Mapping[str, EntityKind]
    relations: Mapping[str, RelationKind]
    measures: Mapping[str, Measure]
    path: str = field(default="", compare=False)

    @property
    def entity_properties(self) -> tuple[str, ...]:
        """Every property any entity kind declares, in schema order."""
        return _union(kind.properties for kind in self.entities.values())

    @property
    def relation_properties(self) -> tuple[str, ...]:
        """Every property any relation kind declares, in schema order."""
        return _union(kind.properties for kind in self.relations.values())

    def label(self, entity_kind: str) -> str:
        """The graph-database label of an entity kind (checked when the schema was loaded)."""
        return self.entities[entity_kind].label

    def relationship_type(self, relation_kind: str) -> str:
        """The graph-database relationship type of a relation kind."""
        return self.relations[relation_kind].type


def default_schema_path() -> Path:
    """The schema shipped with labournet."""
    return Path(__file__).with_name("schema.yaml")


def load_schema(path: str | Path | None = None) -> Schema:
    """Read and check a schema file; every problem is reported at once as a `SchemaError`."""
    schema_path = Path(path) if path is not None else default_schema_path()
    name = str(schema_path)
    try:
        text = schema_path.read_text(encoding="utf-8")
    except OSError as error:
        raise SchemaError(
            [Problem(name, None, "file", f"cannot read: {error.strerror}")]
        ) from error
    except UnicodeDecodeError as error:
        raise SchemaError([Problem(name, None, "encoding", "not valid UTF-8")]) from error
    return read_schema_text(text, name)


def read_schema_text(text: str, name: str) -> Schema:
    """Check and build a schema from the text of a schema file (the one stored with a graph,
    say); `name` is where its problems are located, and becomes the schema's ``path``."""
    shape = _yaml_shape_problem(text)
    if shape is not None:
        line, reason = shape
        raise SchemaError([Problem(name, line, "yaml", reason)])
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise SchemaError([Problem(name, line, "yaml", str(error).splitlines()[0])]) from error
    return _SchemaReader(name, root, data).read()


RESERVED_PROPERTIES = frozenset(
    {
        "id", "key", "kind", "name", "description", "sources", "assumptions", "figures", "claim",
        "source", "target", "subject", "u_of_edge", "v_of_edge", "node_for_adding",
        "starts_on", "ends_on",
    }
)  # fmt: skip
"""Names a kind may not give an extra property: the files' own columns, the graph model's
attributes, the arguments networkx takes when a node or edge is added, and the days a graph
database stores a dated record's period under (`labournet.store.rows.PERIOD`)."""

DATE_PROPERTIES = (POINT, START, END)
"""Properties that are dates wherever a kind lists them: they place a record in time
(`labournet.model.dates`, the snapshot rule)."""

MAX_SCHEMA_BYTES = 1_000_000
MAX_SCHEMA_DEPTH = 20
"""A schema nests four levels (section, kind, field, list); deeper input is refused unread."""


def _yaml_shape_problem(text: str) -> tuple[int | None, str] | None:
    """(line, reason) when the text is too large, nests too deep or uses aliases; else None.

    Checked on the token stream, before anything is built: YAML aliases can make a few
    kilobytes expand into gigabytes, and deep nesting overflows the parser's recursion. A schema
    needs neither.
    """
    if len(text.encode("utf-8")) > MAX_SCHEMA_BYTES:
        return None, f"larger than {MAX_SCHEMA_BYTES:,} bytes"
    depth = 0
    opening = (
        yaml.BlockMappingStartToken,
        yaml.BlockSequenceStartToken,
        yaml.FlowMappingStartToken,
        yaml.FlowSequenceStartToken,
    )
    closing = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)
    try:
        for token in yaml.scan(text):
            line = token.start_mark.line + 1
            if isinstance(token, yaml.AliasToken | yaml.AnchorToken):
                return line, "YAML anchors and aliases (&name, *name) are not allowed in a schema"
            if isinstance(token, opening):
                depth += 1
                if depth > MAX_SCHEMA_DEPTH:
                    return line, f"nested more than {MAX_SCHEMA_DEPTH} levels deep"
            elif isinstance(token, closing):
                depth -= 1
    except yaml.YAMLError:
        return None  # the parser reports it, with its line
    return None


class _SchemaReader:
    """Builds a Schema from parsed YAML, collecting problems with their line numbers."""

    def __init__(self, name: str, root: yaml.Node | None, data: Any) -> None:
        self.name = name
        self.root = root
        self.data = data
        self.problems: list[Problem] = []

    def problem(self, path: tuple[str, ...], reason: str) -> None:
        self.problems.append(Problem(self.name, _line_of(self.root, path), ".".join(path), reason))

    def read(self) -> Schema:
        if not isinstance(self.data, dict):
            self.problem((), "the schema must be a mapping with entities, relations and measures")
            raise SchemaError(self.problems)
        measures = self.read_measures(self.section("measures"))
        entity_section = self.section("entities")
        entities = self.read_entities(entity_section, measures)
        relations = self.read_relations(self.section("relations"), set(entity_section), measures)
        if self.problems:
            raise SchemaError(self.problems, f"{len(self.problems)} problems in schema {self.name}")
        return Schema(entities, relations, measures, path=self.name)

    def section(self, key: str) -> dict[str, Any]:
        value = self.data.get(key)
        if not isinstance(value, dict) or not value:
            self.problem((key,), "missing or empty section")
            return {}
        return value

    def read_measures(self, section: dict[str, Any]) -> dict[str, Measure]:
        measures = {}
        for name, spec in section.items():
            path = ("measures", str(name))
            if not self.check_name(path, name, KIND_PATTERN) or not self.check_mapping(path, spec):
                continue
            unit = spec.get("unit")
            if not isinstance(unit, str) or not unit.strip():
                self.problem((*path, "unit"), "every measure needs a unit")
                continue
            upper = spec.get("max")
            if upper is not None and (
                isinstance(upper, bool)
                or not isinstance(upper, int | float)
                or not math.isfinite(upper)
            ):
                self.problem((*path, "max"), f"must be a finite number, got {upper!r}")
                upper = None
            measures[name] = Measure(name, unit, str(spec.get("description", "")), upper)
        return measures

    def read_entities(
        self, section: dict[str, Any], measures: Mapping[str, Measure]
    ) -> dict[str, EntityKind]:
        kinds = {}
        for name, spec in section.items():
            path = ("entities", str(name))
            if not self.check_name(path, name, KIND_PATTERN) or not self.check_mapping(path, spec):
                continue
            label = spec.get("label")
            if not isinstance(label, str) or not LABEL_PATTERN.match(label):
                self.problem((*path, "label"), f"label must match {LABEL_PATTERN.pattern}")
                continue
            properties, dates = self.property_names(path, spec)
            kinds[name] = EntityKind(
                name,
                label,
                str(spec.get("description", "")),
                properties,
                self.measure_names(path, spec, measures),
                dates,
            )
        return kinds

    def read_relations(
        self,
        section: dict[str, Any],
        entity_kinds: set[str],
        measures: Mapping[str, Measure],
    ) -> dict[str, RelationKind]:
        kinds = {}
        for name, spec in section.items():
            path = ("relations", str(name))
            if not self.check_name(path, name, KIND_PATTERN) or not self.check_mapping(path, spec):
                continue
            rel_type = spec.get("type")
            if not isinstance(rel_type, str) or not TYPE_PATTERN.match(rel_type):
                self.problem((*path, "type"), f"type must match {TYPE_PATTERN.pattern}")
                continue
            ends = {}
            for end in ("source", "target"):
                ends[end] = self.names(path, spec, end, KIND_PATTERN)
                if not ends[end]:
                    self.problem((*path, end), "list at least one entity kind")
                for kind in ends[end]:
                    if kind not in entity_kinds:
                        self.problem((*path, end), f"unknown entity kind '{kind}'")
            properties, dates = self.property_names(path, spec)
            kinds[name] = RelationKind(
                name,
                rel_type,
                ends["source"],
                ends["target"],
                str(spec.get("description", "")),
                properties,
                self.measure_names(path, spec, measures),
                dates,
            )
        return kinds

    def check_name(self, path: tuple[str, ...], name: object, pattern: re.Pattern[str]) -> bool:
        if isinstance(name, str) and pattern.match(name):
            return True
        self.problem(path, f"name must match {pattern.pattern}")
        return False

    def check_mapping(self, path: tuple[str, ...], spec: object) -> bool:
        if isinstance(spec, dict):
            return True
        self.problem(path, "must be a mapping")
        return False

    def names(
        self, path: tuple[str, ...], spec: dict[str, Any], key: str, pattern: re.Pattern[str]
    ) -> tuple[str, ...]:
        value = spec.get(key, [])
        if not isinstance(value, list):
            self.problem((*path, key), "must be a list")
            return ()
        good = []
        for item in value:
            if isinstance(item, str) and pattern.match(item):
                good.append(item)
            else:
                self.problem((*path, key), f"'{item}' must match {pattern.pattern}")
        return tuple(good)

    def property_names(
        self, path: tuple[str, ...], spec: dict[str, Any]
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The kind's extra properties and, among them, those that hold dates: its ``dates``
        (properties too, without being listed twice) and any of ``date``, ``valid_from`` and
        ``valid_until`` it lists as properties. A name the model or the files use themselves
        is refused."""
        dates = self.names(path, spec, "dates", PROPERTY_PATTERN)
        names = _union([self.names(path, spec, "properties", PROPERTY_PATTERN), dates])
        dates = _union([dates, [name for name in names if name in DATE_PROPERTIES]])
        for name in names:
            if name in RESERVED_PROPERTIES:
                self.problem(
                    (*path, "properties"),
                    f"'{name}' is a name labournet uses itself (reserved: "
                    f"{', '.join(sorted(RESERVED_PROPERTIES))}); choose another",
                )
        kept = tuple(name for name in names if name not in RESERVED_PROPERTIES)
        return kept, tuple(name for name in dates if name in kept)

    def measure_names(
        self, path: tuple[str, ...], spec: dict[str, Any], measures: Mapping[str, Measure]
    ) -> tuple[str, ...]:
        names = self.names(path, spec, "figures", KIND_PATTERN)
        for measure in names:
            if measure not in measures:
                self.problem((*path, "figures"), f"unknown measure '{measure}'")
        return tuple(measure for measure in names if measure in measures)


def _line_of(root: yaml.Node | None, path: tuple[str, ...]) -> int | None:
    """The 1-based line of the deepest key of `path` found in the composed YAML tree."""
    node, line = root, None
    for key in path:
        if not isinstance(node, yaml.MappingNode):
            break
        for key_node, value_node in node.value:
            if key_node.value == key:
                line, node = key_node.start_mark.line + 1, value_node
                break
        else:
            break
    return line


def _union(groups: Any) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for group in groups:
        seen.update(dict.fromkeys(group))
    return tuple(seen)
