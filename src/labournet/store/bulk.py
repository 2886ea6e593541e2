"""A first load into a new FalkorDB graph as ``GRAPH.BULK`` commands: FalkorDB's binary bulk
format, which the server unpacks without parsing Cypher.

The load's CREATE statements stay the definition of what is stored. `bulk_form` reads one (the
restricted forms of ``cypher/load/*.cypher``: a node or a relationship pattern with its id,
``SET v.name = row[i]`` and ``SET v += row[i]``) into the labels or type, the ends and the
properties it sets from each row; a statement of any other form has no bulk form, and the load
sends it as Cypher. `bulk_commands` then encodes the rows of every step as the format asks:

* a command per batch of rows of one statement (the load's batch size), its one token: the
  name (labels joined by ``:``), the number of properties, their names, then per row the
  property values, each a type byte and its value (null 0, bool 1, double 2, NUL-terminated
  string 3, long 4, array 5 with its 8-byte length);
* a relationship's row starts with the 8-byte node ids of its ends. The server numbers nodes
  in the order it creates them, from the first id after the nodes already there;
  `bulk_commands` numbers them the same way, and the load checks the numbering afterwards
  (`BulkCommand.samples`). So only a new graph is loaded this way: an existing one may hold
  deleted node slots that the server gives out again.

A property that a row leaves null is not set, as a CREATE does not set it.
"""

from __future__ import annotations

import math
import re
import struct
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import count
from operator import itemgetter
from typing import Any

from labournet.errors import QueryError
from labournet.store.rows import LoadPlan, Step

__all__ = ["BulkCommand", "BulkForm", "bulk_commands", "bulk_form"]

_UNWIND = "UNWIND $rows AS row"
_NODE = re.compile(r"^CREATE \((\w+)((?::\w+)+) \{id: row\[(\d+)\]\}\)$")
_MATCH = re.compile(r"^MATCH \((\w+):(\w+) \{id: row\[(\d+)\]\}\)$")
_EDGE = re.compile(r"^CREATE \((\w+)\)-\[(\w*):(\w+)(?: \{id: row\[(\d+)\]\})?\]->\((\w+)\)$")
_SET = re.compile(r"^SET (.+)$")
_ASSIGN = re.compile(r"^(\w+)\.(\w+) = row\[(\d+)\]$")
_MERGE_MAP = re.compile(r"^(\w+) \+= row\[(\d+)\]$")


@dataclass(frozen=True)
class BulkForm:
    """What one CREATE statement makes of a row: a node with `labels`, or a relationship of
    type ``labels[0]`` between the nodes whose ids are in the rows at `ends` (label, index)."""

    labels: tuple[str, ...]
    ends: tuple[tuple[str, int], tuple[str, int]] | None
    assignments: tuple[tuple[str, int], ...]
    """(property, row index) in the order the statement sets them; ``id`` first if it has one."""
    maps: tuple[int, ...]
    """Row indexes of maps whose entries are set after the assignments (``SET v += row[i]``)."""

    @property
    def is_node(self) -> bool:
        return self.ends is None


@dataclass(frozen=True)
class BulkCommand:
    """One ``GRAPH.BULK`` command: one token of `rows` nodes or relationships."""

    token: bytes
    is_node: bool
    rows: int
    properties: int
    """Values the token sets (nulls are not set)."""
    stage: str
    samples: dict[int, Any]
    """Internal id -> record id of the token's first and last node, for a check that the
    server numbered the nodes as the load did."""


def bulk_form(cypher: str) -> BulkForm | None:
    """The bulk form of a load's CREATE statement, or None if it has another form.

    Example:
        >>> form = bulk_form("UNWIND $rows AS row\\nCREATE (s:Source {id: row[0]})\\n"
        ...                  "SET s.load_order = row[1], s.title = row[2]")
        >>> form.labels, form.assignments
        (('Source',), (('id', 0), ('load_order', 1), ('title', 2)))
    """
    lines = [line.strip() for line in cypher.strip().splitlines()]
    if not lines or lines[0] != _UNWIND:
        return None
    matched: dict[str, tuple[str, int]] = {}
    variable, labels, ends = "", (), None
    assignments: list[tuple[str, int]] = []
    maps: list[int] = []
    for line in lines[1:]:
        if (match := _MATCH.match(line)) and not variable:
            matched[match.group(1)] = (match.group(2), int(match.group(3)))
        elif (match := _NODE.match(line)) and not variable and not matched:
            variable, labels = match.group(1), tuple(match.group(2).split(":")[1:])
            assignments.append(("id", int(match.group(3))))
        elif (match := _EDGE.match(line)) and not variable:
            source, target = match.group(1), match.group(5)
            if source not in matched or target not in matched:
                return None
            variable, labels = match.group(2), (match.group(3),)
            ends = (matched[source], matched[target])
            if match.group(4) is not None:
                assignments.append(("id", int(match.group(4))))
        elif (match := _SET.match(line)) and variable:
            for item in match.group(1).split(", "):
                if (one := _ASSIGN.match(item)) and one.group(1) == variable and not maps:
                    assignments.append((one.group(2), int(one.group(3))))
                elif (merged := _MERGE_MAP.match(item)) and merged.group(1) == variable:
                    maps.append(int(merged.group(2)))
                else:
                    return None
        else:
            return None
    if not labels:
        return None
    return BulkForm(labels, ends, tuple(assignments), tuple(maps))


def bulk_commands(
    plan: LoadPlan, forms: Sequence[BulkForm], *, first_id: int, rows: int
) -> Iterator[BulkCommand]:
    """The plan's steps (`forms`: the bulk form of each) as bulk commands of at most `rows`
    rows, nodes first, numbered from `first_id`. `QueryError` for a value FalkorDB cannot
    store (text with a NUL, a number that is not finite, a map) or an end no node has.

    `Store.load` runs it with the cycle collector paused for the whole load
    (`labournet._gc.paused`): the tokens are plain values, which a collection would
    only rescan, and each time it came back on between commands it set off a full one."""
    ids: dict[str, dict[Any, int]] = {}  # label -> record id -> internal id
    next_id = first_id
    order = [(s, f) for s, f in zip(plan.steps, forms, strict=True) if f.is_node]
    order += [(s, f) for s, f in zip(plan.steps, forms, strict=True) if not f.is_node]
    for step, form in order:
        for start in range(0, len(step.rows), rows):
            batch = step.rows[start : start + rows]
            samples: dict[int, Any] = {}
            ends = None
            if form.is_node:
                id_at = dict(form.assignments)["id"]
                numbered = dict(zip(map(itemgetter(id_at), batch), count(next_id)))
                for label in form.labels:
                    ids.setdefault(label, {}).update(numbered)
                last = next_id + len(batch) - 1
                samples = {next_id: batch[0][id_at], last: batch[-1][id_at]}
                next_id += len(batch)
            else:
                ends = _end_ids(batch, form, ids, step)
            token, properties = _token(batch, form, ends, step)
            yield BulkCommand(token, form.is_node, len(batch), properties, step.stage, samples)


def _end_ids(
    rows: Sequence[Sequence[Any]], form: BulkForm, ids: dict[str, dict[Any, int]], step: Step
) -> list[bytes]:
    if form.ends is None:
        raise ValueError(f"{step.stage}: a node statement has no ends")
    pack = struct.Struct("<QQ").pack
    ends = []
    for label, at in form.ends:
        numbered = ids.get(label, {})
        try:
            ends.append([numbered[value] for value in map(itemgetter(at), rows)])
        except KeyError as error:
            raise QueryError(
                f"{step.file.path}: no {label} node has id {error.args[0]!r}"
            ) from None
    return list(map(pack, *ends))


def _token(
    rows: Sequence[Sequence[Any]], form: BulkForm, ends: list[bytes] | None, step: Step
) -> tuple[bytes, int]:
    """One token (header and rows) and the number of properties it sets."""
    names, columns = _columns(rows, form)
    where = f"{step.file.path} ({step.stage})"
    encoded = [
        _encode_column(column, name, where) for name, column in zip(names, columns, strict=True)
    ]
    header = b"".join(
        [
            ":".join(form.labels).encode() + b"\x00",
            struct.pack("<I", len(names)),
            *(name.encode() + b"\x00" for name in names),
        ]
    )
    parts = encoded if ends is None else [ends, *encoded]  # a node always has its id
    body = b"".join(map(b"".join, zip(*parts, strict=True)))
    properties = sum(len(column) - column.count(None) for column in columns)
    return header + body, properties


def _columns(rows: Sequence[Sequence[Any]], form: BulkForm) -> tuple[list[str], list[list[Any]]]:
    """Each property the form sets and its value per row: the last assignment of a name wins,
    and a map's entry wins over the assignments before it where the row's map has the key (a
    null entry there leaves the property unset, as ``SET v += {k: null}`` removes it)."""
    maps = [[row[at] or _EMPTY for row in rows] for at in form.maps]
    keys: dict[str, Any] = {}  # the keys in the order they first appear (values unused)
    for entries in maps:
        for entry in entries:
            keys.update(entry)
    assigned = dict(form.assignments)  # the last index assigned to each name
    names = list(dict.fromkeys([*assigned, *keys]))
    columns = []
    for name in names:
        column = list(map(itemgetter(assigned[name]), rows)) if name in assigned else None
        for entries in maps if name in keys else ():
            if column is None:
                column = [entry.get(name) for entry in entries]
            else:
                column = [
                    entry.get(name, value) for entry, value in zip(entries, column, strict=True)
                ]
        columns.append(column)
    return names, columns


_EMPTY: dict[str, Any] = {}
_NULL = b"\x00"
_TRUE = b"\x01\x01"
_FALSE = b"\x01\x00"
_DOUBLE = struct.Struct("<d").pack
_LONG = struct.Struct("<q").pack


def _encode_column(column: list[Any], name: str, where: str) -> list[bytes]:
    """Each value of a column encoded; a column of one type (text, whole numbers, finite
    decimals; nulls beside them) is encoded without a test per value."""
    kinds = set(map(type, column)) - {type(None)}
    if kinds == {str}:
        out = [_NULL if value is None else b"\x03" + value.encode() + b"\x00" for value in column]
        if b"".join(out).count(b"\x00") != len(out):  # one NUL per value, else text holds one
            raise QueryError(f"{where}: {name}: text with a NUL character cannot be stored")
        return out
    if kinds == {int}:
        return [_NULL if value is None else b"\x04" + _LONG(value) for value in column]
    if kinds == {float} and all(math.isfinite(value) for value in column if value is not None):
        return [_NULL if value is None else b"\x02" + _DOUBLE(value) for value in column]
    return [
        _NULL
        if value is None
        else _text_list(value, name, where)  # the sources and assumptions
        if value.__class__ is list and value
        else _encode_value(value, name, where)
        for value in column
    ]


def _text_list(value: list[Any], name: str, where: str) -> bytes:
    """A non-empty list, fast when its items are all text (the sources and assumptions)."""
    try:
        text = "\x00\x03".join(value)
    except TypeError:  # not all text
        return _encode_value(value, name, where)
    if text.count("\x00") != len(value) - 1:
        raise QueryError(f"{where}: {name}: text with a NUL character cannot be stored")
    return b"\x05" + _LONG(len(value)) + b"\x03" + text.encode() + b"\x00"


def _encode_value(value: Any, name: str, where: str) -> bytes:
    if hasattr(value, "item") and not isinstance(value, list | tuple):  # numpy scalars
        value = value.item()
    if value is None:
        return _NULL
    if isinstance(value, bool):
        return _TRUE if value else _FALSE
    if isinstance(value, int):
        if not -(2**63) <= value < 2**63:
            raise QueryError(f"{where}: {name}: {value} does not fit a 64-bit integer")
        return b"\x04" + _LONG(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise QueryError(f"{where}: {name}: parameters must be finite numbers, not {value}")
        return b"\x02" + _DOUBLE(value)
    if isinstance(value, str):
        return _encode_column([value], name, where)[0]
    if isinstance(value, list | tuple):
        items = b"".join(_encode_value(item, name, where) for item in value)
        return b"\x05" + _LONG(len(value)) + items
    raise QueryError(f"{where}: {name}: cannot store a {type(value).__name__} in FalkorDB")
