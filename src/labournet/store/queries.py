"""Cypher as text: ``.cypher`` files with a header, their parameters, templates and safety checks.

Every file in ``cypher/`` starts with a header of ``//`` comment lines::

    // name: hosts_by_workers
    // title: Hosts by workers and revenue
    // purpose: Host countries ranked by the workers the regime places there ...
    // param: regime (string, default "kp"): id of the regime's country node
    // param: id (string, required, example "cn"): the entity to look at
    // param: date (date, required, example "2016"): the day to look at
    // mode: read
    // servers: neo4j, falkordb
    // scores: score
    // note: free text, e.g. what one server cannot do

Parameter defaults and examples are JSON literals. ``scores`` names the parameters whose values
are score properties written back by an analysis (``labournet db analyse --write``): the store
refuses to run the query until an analysis run has written them. A file is a template when its
body names ``{{label}}`` or ``{{type}}``: those are filled with graph-database names only after
`check_identifier` has accepted them, so nothing from a data file reaches a query as text.

A ``date`` parameter takes a day, a month or a year (``2019-06-30``, ``2019-06``, ``2019``; in
Python also an int year, a `datetime.date` or a `PartialDate`) and is sent as the ISO text of its
last day (``2019-12-31``), the cutoff of the snapshot rule (`labournet.model.dates`), so a query
compares it with the ``starts_on`` and ``ends_on`` days a load stores
(`labournet.store.rows.PERIOD`).

Example:
    >>> q = parse_cypher("// name: n\\n// param: limit (integer, default 5): rows\\n"
    ...                  "MATCH (n) RETURN n LIMIT $limit", "n.cypher")
    >>> q.bind({"limit": "3"})
    {'limit': 3}
    >>> q.used_parameters
    ('limit',)
    >>> parse_cypher("// param: date (date, required): day\\nRETURN $date", "d.cypher").bind(
    ...     {"date": "2019-02"})
    {'date': '2019-02-28'}
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from labournet.errors import QueryError

__all__ = [
    "CypherFile",
    "Parameter",
    "parse_cypher",
    "read_cypher",
    "library",
    "find_query",
    "resolve_query",
    "check_identifier",
    "fill_template",
    "write_keywords",
    "split_statements",
    "IDENTIFIER",
]

IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")
"""What a label, relationship type or property name must look like to reach a query string."""

TYPES = {
    "string": str,
    "integer": int,
    "float": float,
    "boolean": bool,
    "list": list,
    "map": dict,
    "date": str,
}
"""The parameter types a header may declare, with the Python type of the value sent (a
``date`` goes as ISO text, see the module docstring)."""
WRITE_KEYWORDS = ("CREATE", "MERGE", "SET", "DELETE", "REMOVE", "DROP", "DETACH", "LOAD", "FOREACH")

_HEADER = re.compile(r"^//\s*([a-z]+)\s*:\s*(.*)$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\((?P<spec>[^)]*)\)\s*(?::\s*(?P<doc>.*))?$"
)
_PLACEHOLDER = re.compile(r"\{\{\s*([a-z]+)\s*\}\}")
# Strings, backticked names and comments, which may contain anything, are skipped by the scanner.
_TOKENS = re.compile(
    r"""
      (?P<skip> '(?:[^'\\]|\\.)*' | "(?:[^"\\]|\\.)*" | `[^`]*` | //[^\n]* | /\*.*?\*/ )
    | (?P<param> \$(?:[A-Za-z_][A-Za-z0-9_]*|`[^`]+`))
    | (?P<word> (?<![.\w$])[A-Za-z_][A-Za-z0-9_]*)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class Parameter:
    """A declared parameter of a Cypher file."""

    name: str
    type: str
    required: bool
    default: Any = None
    example: Any = None
    doc: str = ""

    def coerce(self, value: Any, where: str) -> Any:
        """`value` as this parameter's type; strings (from a command line) are parsed."""
        if self.type == "date":
            return self._day(value, where)
        if value is None:
            return None
        wanted = TYPES[self.type]
        if isinstance(value, str) and self.type != "string":
            value = _parse_text(value, self.type, self.name, where)
            if value is None:
                return None
        if self.type == "float" and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if self.type == "list" and isinstance(value, tuple):
            value = list(value)
        if not isinstance(value, wanted) or (wanted is int and isinstance(value, bool)):
            raise QueryError(f"{where}: parameter {self.name}: expected {self.type}, got {value!r}")
        if (
            isinstance(value, int)
            and not isinstance(value, bool)
            and not INT64[0] <= value <= INT64[1]
        ):
            # the servers store 64-bit integers; FalkorDB would clamp a larger one silently
            raise QueryError(
                f"{where}: parameter {self.name}: {value} does not fit in a 64-bit integer "
                f"({INT64[0]} to {INT64[1]})"
            )
        return value

    def _day(self, value: Any, where: str) -> str | None:
        """The ISO last day of the day, month or year `value` names; null only when optional."""
        from labournet.model.dates import as_date

        if isinstance(value, str):
            value = value.strip()
        if value is None or value == "null":
            if self.required:
                raise QueryError(
                    f"{where}: parameter {self.name}: a date is required (YYYY, YYYY-MM or "
                    "YYYY-MM-DD)"
                )
            return None
        try:
            return as_date(value).last_day.isoformat()
        except ValueError as error:
            raise QueryError(f"{where}: parameter {self.name}: {error}") from None


INT64 = (-(2**63), 2**63 - 1)
"""The integers a graph database can store."""


@dataclass(frozen=True)
class CypherFile:
    """A Cypher statement (or several, for schema files) with its parsed header."""

    path: str
    body: str
    name: str
    title: str = ""
    purpose: str = ""
    parameters: tuple[Parameter, ...] = ()
    mode: str = "read"
    servers: tuple[str, ...] = ("neo4j", "falkordb")
    notes: tuple[str, ...] = ()
    row: tuple[str, ...] = ()
    scores: tuple[str, ...] = ()
    header: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def placeholders(self) -> tuple[str, ...]:
        """The template names (``label``, ``type``) the body uses, in order of appearance."""
        return tuple(dict.fromkeys(_PLACEHOLDER.findall(self.body)))

    @property
    def used_parameters(self) -> tuple[str, ...]:
        """The ``$names`` the body uses, in order of first use."""
        return used_parameters(self.body)

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)

    def bind(self, given: Mapping[str, Any], *, examples: bool = False) -> dict[str, Any]:
        """Check `given` against the declared parameters; fill defaults; coerce types.

        Unknown names, missing required ones and values of the wrong type raise `QueryError`
        naming this file. With ``examples=True`` a missing required parameter takes its example.
        """
        declared = {p.name: p for p in self.parameters}
        unknown = sorted(set(given) - set(declared))
        if unknown:
            known = ", ".join(declared) or "none"
            raise QueryError(
                f"{self.path}: unknown parameter {', '.join(unknown)} (this query takes: {known})"
            )
        bound: dict[str, Any] = {}
        for name, param in declared.items():
            if name in given:
                bound[name] = param.coerce(given[name], self.path)
            elif param.required and examples and param.example is not None:
                bound[name] = param.coerce(param.example, self.path)
            elif param.required:
                raise QueryError(
                    f"{self.path}: missing parameter {name} ({param.type}"
                    + (f", e.g. {json.dumps(param.example)}" if param.example is not None else "")
                    + ")"
                )
            else:
                bound[name] = param.coerce(param.default, self.path)
        undeclared = sorted(set(self.used_parameters) - set(declared))
        if undeclared:
            raise QueryError(
                f"{self.path}: the query uses ${', $'.join(undeclared)} but its header does not "
                "declare them"
            )
        return bound

    def check_read_only(self) -> None:
        """`QueryError` if the body writes (CREATE, MERGE, SET, DELETE, REMOVE, DROP ...)."""
        found = write_keywords(self.body)
        if found:
            raise QueryError(
                f"{self.path}: this query writes ({', '.join(found)}); "
                "allow writing to run it (--write on the command line, write=True in Python)"
            )


def parse_cypher(text: str, path: str = "<query>") -> CypherFile:
    """Parse a Cypher text with an optional ``//`` header; `QueryError` for a bad header."""
    header: dict[str, list[str]] = {}
    lines = text.splitlines()
    body_start = 0
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        match = _HEADER.match(stripped)
        if not stripped.startswith("//"):
            body_start = index
            break
        if match:
            header.setdefault(match.group(1), []).append(match.group(2).strip())
        elif header:
            # a continuation line of the previous key
            key = list(header)[-1]
            header[key][-1] += " " + stripped.lstrip("/").strip()
        body_start = index + 1
    body = "\n".join(lines[body_start:]).strip()
    params = tuple(_parse_parameter(spec, path) for spec in header.get("param", []))
    mode = (header.get("mode") or ["read"])[0]
    if mode not in ("read", "write", "schema"):
        raise QueryError(f"{path}: header mode must be read, write or schema, got {mode!r}")
    servers = tuple(
        s.strip() for s in ",".join(header.get("servers", ["neo4j, falkordb"])).split(",") if s
    )
    row = tuple(
        c.strip() for c in ",".join(header.get("row", [])).strip("[] ").split(",") if c.strip()
    )
    scores = tuple(s.strip() for s in ",".join(header.get("scores", [])).split(",") if s.strip())
    declared = {p.name for p in params}
    for score in scores:
        if score not in declared:
            raise QueryError(f"{path}: header scores names {score!r}, which is not a param")
    name = (header.get("name") or [Path(path).stem])[0]
    return CypherFile(
        path=path,
        body=body,
        name=name,
        title=(header.get("title") or [""])[0],
        purpose=" ".join(header.get("purpose", [])),
        parameters=params,
        mode=mode,
        servers=servers,
        notes=tuple(header.get("note", [])),
        row=row,
        scores=scores,
        header={key: tuple(values) for key, values in header.items()},
    )


def read_cypher(path: str | Path) -> CypherFile:
    """Read and parse a ``.cypher`` file."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as error:
        raise QueryError(f"{file}: cannot read: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise QueryError(f"{file}: not valid UTF-8") from error
    return parse_cypher(text, str(file))


def library(folder: str | Path | None = None) -> dict[str, CypherFile]:
    """The shipped analyst queries (``cypher/queries/*.cypher``) by name."""
    if folder is None:
        from labournet.resources import cypher_path

        folder = cypher_path("queries")
    found = {}
    for file in sorted(Path(folder).glob("*.cypher")):
        query = read_cypher(file)
        found[query.name] = query
    return found


def find_query(name_or_path: str | Path) -> CypherFile:
    """A ``.cypher`` file by path, or a shipped query by name (``hosts_by_workers``)."""
    candidate = Path(name_or_path)
    if candidate.suffix == ".cypher" or candidate.exists():
        if not candidate.is_file():
            raise QueryError(f"{candidate}: no such Cypher file")
        return read_cypher(candidate)
    queries = library()
    if str(name_or_path) in queries:
        return queries[str(name_or_path)]
    names = ", ".join(queries) or "none"
    raise QueryError(f"no query file or shipped query named {name_or_path!r} (shipped: {names})")


def resolve_query(value: str | Path | CypherFile) -> CypherFile:
    """A parsed query from a `CypherFile`, a path, a shipped query's name, or Cypher text.

    Text with white space or a parenthesis is Cypher; anything else is looked up by `find_query`.
    """
    if isinstance(value, CypherFile):
        return value
    if isinstance(value, Path):
        return find_query(value)
    text = str(value)
    if not text.strip():
        raise QueryError("empty query")
    if re.search(r"\s", text.strip()) or "(" in text:
        return parse_cypher(text, "<query>")
    return find_query(text)


def check_identifier(name: object, what: str, allowed: Iterable[str] | None = None) -> str:
    """Return `name` if it may be written into a query as a label, type or property name.

    It must match `IDENTIFIER` and, when `allowed` is given, be one of those names; anything
    else raises `QueryError` before a query is built.
    """
    if not isinstance(name, str) or not IDENTIFIER.match(name):
        raise QueryError(f"unsafe {what} {name!r}: names must match {IDENTIFIER.pattern}")
    if allowed is not None and name not in set(allowed):
        raise QueryError(f"unknown {what} {name!r}: not in the schema")
    return name


def fill_template(file: CypherFile, **names: str) -> str:
    """The file's body with ``{{label}}``/``{{type}}`` replaced by checked identifiers."""
    wanted = set(file.placeholders)
    if wanted != set(names):
        raise QueryError(f"{file.path}: template needs {sorted(wanted)}, was given {sorted(names)}")
    checked = {key: check_identifier(value, key) for key, value in names.items()}
    return _PLACEHOLDER.sub(lambda m: checked[m.group(1)], file.body)


def used_parameters(body: str) -> tuple[str, ...]:
    """The ``$names`` a Cypher text uses (outside strings and comments)."""
    found: dict[str, None] = {}
    for match in _TOKENS.finditer(body):
        if match.group("param"):
            found[match.group("param")[1:].strip("`")] = None
    return tuple(found)


def write_keywords(body: str) -> tuple[str, ...]:
    """The writing clauses a Cypher text contains (outside strings, comments and names)."""
    found: dict[str, None] = {}
    for match in _TOKENS.finditer(body):
        word = match.group("word")
        if word and word.upper() in WRITE_KEYWORDS:
            found[word.upper()] = None
    return tuple(found)


def split_statements(body: str) -> list[str]:
    """Split a multi-statement file on ``;`` (outside strings and comments)."""
    statements, start = [], 0
    for match in re.finditer(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|//[^\n]*|;", body):
        if match.group() == ";":
            statements.append(body[start : match.start()])
            start = match.end()
    statements.append(body[start:])
    cleaned = []
    for statement in statements:
        code = "\n".join(
            line for line in statement.splitlines() if not line.strip().startswith("//")
        ).strip()
        if code:
            cleaned.append(code)
    return cleaned


def _parse_parameter(spec: str, path: str) -> Parameter:
    match = _PARAM.match(spec)
    if not match:
        raise QueryError(f"{path}: bad param line {spec!r}; write NAME (TYPE, default VALUE): text")
    parts = [part.strip() for part in _split_spec(match.group("spec"))]
    type_name = parts[0] if parts else ""
    if type_name not in TYPES:
        raise QueryError(
            f"{path}: param {match.group('name')}: type must be one of {', '.join(TYPES)}"
        )
    required, default, example = False, None, None
    for part in parts[1:]:
        key, _, value = part.partition(" ")
        if key == "required":
            required = True
        elif key in ("default", "example"):
            try:
                parsed = json.loads(value)
            except json.JSONDecodeError as error:
                raise QueryError(
                    f"{path}: param {match.group('name')}: {key} must be a JSON literal"
                ) from error
            if key == "default":
                default = parsed
            else:
                example = parsed
        else:
            raise QueryError(f"{path}: param {match.group('name')}: unknown option {key!r}")
    return Parameter(match.group("name"), type_name, required, default, example, match["doc"] or "")


def _split_spec(spec: str) -> list[str]:
    """Split ``string, default "a, b"`` on commas outside quotes."""
    parts, current, quoted = [], "", False
    for char in spec:
        if char == '"':
            quoted = not quoted
        if char == "," and not quoted:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return parts


def _parse_text(value: str, type_name: str, name: str, where: str) -> Any:
    text = value.strip()
    try:
        if text == "null":
            return None
        if type_name == "integer":
            return int(text)
        if type_name == "float":
            return float(text)
        if type_name == "boolean":
            lowered = text.lower()
            if lowered in ("true", "yes", "1"):
                return True
            if lowered in ("false", "no", "0"):
                return False
            raise ValueError(text)
        if type_name in ("list", "map") and text[:1] in "[{":
            parsed = json.loads(text)
            if not isinstance(parsed, TYPES[type_name]):
                raise ValueError(text)
            return parsed
        if type_name == "list":
            return [part.strip() for part in text.split(",") if part.strip()]
        raise ValueError(text)
    except (ValueError, json.JSONDecodeError) as error:
        article = "an" if type_name[0] in "aeiou" else "a"
        raise QueryError(
            f"{where}: parameter {name}: {value!r} is not {article} {type_name}"
        ) from error
