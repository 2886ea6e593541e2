"""The encoding of labournet's graphs in graph files: flattened (GraphML, GEXF) and node-link
JSON, each with its decoder beside it.

GraphML and GEXF hold only scalar attributes, so the graph model's tuples and figures are
flattened in a documented, reversible way. `unflatten_graph` and `decode_graph_json` undo it,
giving back the graph `labournet.to_networkx` made, attribute for attribute; `read_graph` calls
them on every file that carries the encoding record. The files themselves are written by
`labournet.io.graphfile`.

Flattening (``flatten_graph``; GraphML and GEXF)
    * str, int, float and bool values are written as they are.
    * A tuple of scalars (``sources``, ``assumptions``) becomes a JSON array as text:
      ``["s-st-2016-09-13", "s-voa-2016-06"]``.
    * ``figures`` (a tuple of `Figure`) becomes indexed columns, one per figure field:
      ``figures.count``, ``figures.0.measure``, ``figures.0.low``, ``figures.0.best``, ...;
      a figure's ``sources`` and ``assumptions`` are JSON arrays; a field that is ``None``
      (``best``, ``stated_by``) is left out.
    * Graph attributes ``sources`` and ``assumptions`` (dicts of `Source`/`Assumption` by
      id) and ``schema`` become JSON text.
    * Any other value (None, dicts, mixed types) becomes tagged JSON text, where a tuple is
      ``{"$tuple": [...]}`` and a dict with non-text keys is ``{"$dict": [[k, v], ...]}``.
    * networkx's per-file attribute defaults (``node_default`` and ``edge_default``, which its
      readers put in ``G.graph``) are filled into the nodes and edges lacking them, not written.
    * For Gephi, every node and edge also gets ``est.<measure>``: the estimate (best, else
      the middle of the range) of its latest figure of that measure, so Gephi can size or
      filter by workers or revenue. These are derived and dropped when read back.
    * ``node_attributes`` and ``edge_attributes`` add scalar values computed elsewhere (the
      scores and weights of `labournet.analysis.annotate`); they are derived too, and a name
      the network already uses is an `ExportError`.
    * The graph attribute ``labournet.encoding`` (JSON) records how each attribute was
      encoded; a file without it is read as it is.

JSON (``encode_graph_json``)
    networkx node-link data (``nx.node_link_graph(data, edges="edges")`` reads it) with
    JSON-native values: tuples are arrays, figures are objects, ``sources`` an object of
    objects; the same ``labournet.encoding`` entry tells `decode_graph_json` what to turn back
    into tuples and objects.

Example:
    >>> import labournet
    >>> G = labournet.to_networkx(labournet.load_dataset())
    >>> flat = flatten_graph(G)
    >>> flat.nodes["cn"]["sources"]
    '["s-st-2016-09-13"]'
    >>> unflatten_graph(flat).nodes["cn"] == G.nodes["cn"]
    True
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import math
import types as _pytypes
import typing
from collections.abc import Hashable, Iterable, Iterator, Mapping
from typing import Any

import networkx as nx

from labournet.errors import ExportError
from labournet.io.networkx import Network, add_edge, add_node, as_graph, fill_file_defaults
from labournet.model.dataset import Assumption, Figure, Source

__all__ = [
    "ENCODING_KEY",
    "flatten_graph",
    "unflatten_graph",
    "NodeAttributes",
    "EdgeAttributes",
    "encode_graph_json",
    "decode_graph_json",
]

ENCODING_KEY = "labournet.encoding"
"""Graph attribute that records how attributes were encoded."""


class UndecodableError(ExportError):
    """A graph file carries the labournet encoding but a value in it is not what the encoding
    says (the file was cut or edited). ``where`` names the element (``node kp``, ``edge r-1``,
    ``graph``), ``reason`` says what is wrong with it."""

    def __init__(self, where: str, reason: str) -> None:
        self.where = where
        self.reason = reason
        super().__init__(f"{where}: {reason}")


_VERSION = 1
_SCALARS = (str, int, float, bool)
_RECORD_TYPES: Mapping[str, type] = {"Source": Source, "Assumption": Assumption}


def _is_figure(value: Any) -> bool:
    return isinstance(value, Figure)


def _attr_type(values: list[Any]) -> str:
    """How a set of values of one attribute name is encoded (see the module docstring)."""
    if all(isinstance(v, _SCALARS) for v in values):
        return "scalar"
    if all(isinstance(v, tuple) and all(isinstance(i, _SCALARS) for i in v) for v in values):
        return "tuple"
    if all(isinstance(v, tuple) and all(_is_figure(i) for i in v) for v in values):
        return "figures"
    for name, cls in _RECORD_TYPES.items():
        if all(
            isinstance(v, Mapping)
            and all(isinstance(k, str) and isinstance(i, cls) for k, i in v.items())
            for v in values
        ):
            return f"records:{name}"
    if all(type(v).__name__ == "Schema" and dataclasses.is_dataclass(v) for v in values):
        return "schema"
    return "json"


def _types(items: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    seen: dict[str, list[Any]] = {}
    for data in items:
        for key, value in data.items():
            seen.setdefault(key, []).append(value)
    types = {}
    for key, values in seen.items():
        kind = _attr_type(values)
        if kind != "scalar":
            types[key] = kind
    return types


# ---- tagged JSON for arbitrary values ------------------------------------------------------


def _tag(value: Any, where: str) -> Any:
    if value is None or isinstance(value, _SCALARS):
        return value
    if isinstance(value, tuple):
        return {"$tuple": [_tag(v, where) for v in value]}
    if isinstance(value, list):
        return [_tag(v, where) for v in value]
    if isinstance(value, Mapping):
        if all(isinstance(k, str) and not k.startswith("$") for k in value):
            return {k: _tag(v, where) for k, v in value.items()}
        return {"$dict": [[_tag(k, where), _tag(v, where)] for k, v in value.items()]}
    if _is_figure(value):
        return {"$Figure": _record(value)}
    for name, cls in _RECORD_TYPES.items():
        if isinstance(value, cls):
            return {"$" + name: _record(value)}
    raise ExportError(f"{where}: cannot write a {type(value).__name__} value to a graph file")


def _untag(value: Any) -> Any:
    if isinstance(value, list):
        return [_untag(v) for v in value]
    if isinstance(value, dict):
        if len(value) == 1:
            ((key, inner),) = value.items()
            if key == "$tuple":
                return tuple(_untag(v) for v in inner)
            if key == "$dict":
                return {_hashable(_untag(k)): _untag(v) for k, v in inner}
            if key == "$Figure":
                return _from_record(Figure, inner)
            if key[1:] in _RECORD_TYPES and key.startswith("$"):
                return _from_record(_RECORD_TYPES[key[1:]], inner)
        return {k: _untag(v) for k, v in value.items()}
    return value


def _hashable(value: Any) -> Hashable:
    return tuple(value) if isinstance(value, list) else value


def _record(item: Any) -> dict[str, Any]:
    """A frozen dataclass as a JSON object; tuples become arrays."""
    out = {}
    for field in dataclasses.fields(item):
        value = getattr(item, field.name)
        out[field.name] = list(value) if isinstance(value, tuple) else value
    return out


def _from_record(cls: type, data: Any, where: str = "graph") -> Any:
    """Rebuild a dataclass from `_record` output: arrays become tuples. Every field is checked
    against its type, so that a cut or edited file cannot hand a wrong value to the analyses."""
    if not isinstance(data, Mapping):
        raise UndecodableError(where, f"a {cls.__name__} is {_json_text(data)}, not an object")
    hints = typing.get_type_hints(cls)
    values: dict[str, Any] = {}
    for field in dataclasses.fields(cls):
        if field.name not in data:
            required = dataclasses.MISSING is field.default is field.default_factory
            if required:
                raise UndecodableError(where, f"a {cls.__name__} has no {field.name}")
            continue
        value = data[field.name]
        value = tuple(value) if isinstance(value, list) else value
        if not _fits(value, hints[field.name]):
            raise UndecodableError(
                where, f"{cls.__name__} {field.name} is {_json_text(_plain(value))}"
            )
        if hints[field.name] is float:
            value = float(typing.cast(float, value))
        values[field.name] = value
    return cls(**values)


def _plain(value: Any) -> Any:
    """``value`` as something `json.dumps` takes, for messages."""
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if value is None or isinstance(value, _SCALARS):
        return value
    return repr(value)


def _fits(value: Any, hint: Any) -> bool:
    """Whether a decoded value has the type a dataclass field declares."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, _pytypes.UnionType):
        return any(_fits(value, arg) for arg in typing.get_args(hint))
    if hint is type(None):
        return value is None
    if hint is str:
        return isinstance(value, str)
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return (
            isinstance(value, (int, float))
            and not isinstance(value, bool)
            and math.isfinite(float(value))
        )
    if origin is tuple:
        (item, *_) = typing.get_args(hint)
        return isinstance(value, tuple) and all(_fits(v, item) for v in value)
    if origin in (Mapping, dict):
        key, item = typing.get_args(hint)
        return isinstance(value, Mapping) and all(
            _fits(k, key) and _fits(v, item) for k, v in value.items()
        )
    return True


def _schema_record(schema: Any) -> dict[str, Any]:
    return {
        "entities": {k: _record(v) for k, v in schema.entities.items()},
        "relations": {k: _record(v) for k, v in schema.relations.items()},
        "measures": {k: _record(v) for k, v in schema.measures.items()},
        "path": str(getattr(schema, "path", "")),
    }


def _schema_from_record(data: Any) -> Any:
    from labournet.model.schema import EntityKind, Measure, RelationKind, Schema

    parts: dict[str, dict[str, Any]] = {}
    for part, cls in (("entities", EntityKind), ("relations", RelationKind), ("measures", Measure)):
        records = data.get(part) if isinstance(data, Mapping) else None
        if not isinstance(records, Mapping):
            raise UndecodableError("graph", f"schema {part} is {_json_text(_plain(records))}")
        parts[part] = {
            str(k): _from_record(cls, v, f"graph schema {k}") for k, v in records.items()
        }
    path = data.get("path", "")
    return Schema(**parts, path=path if isinstance(path, str) else "")


# ---- flat (GraphML, GEXF) -------------------------------------------------------------------


def _json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _flatten_value(key: str, kind: str, value: Any, where: str) -> dict[str, Any]:
    if kind == "scalar":
        return {key: value}
    if kind == "tuple":
        return {key: _json_text(list(value))}
    if kind == "figures":
        out: dict[str, Any] = {f"{key}.count": len(value)}
        for index, figure in enumerate(value):
            for field, item in _record(figure).items():
                if item is None:
                    continue
                out[f"{key}.{index}.{field}"] = _json_text(item) if isinstance(item, list) else item
        return out
    if kind.startswith("records:"):
        return {key: _json_text({k: _record(v) for k, v in value.items()})}
    if kind == "schema":
        return {key: _json_text(_schema_record(value))}
    return {key: _json_text(_tag(value, where))}


def _estimates(figures: Any) -> dict[str, float]:
    """``est.<measure>``: the mean estimate of the latest figures of each measure."""
    latest: dict[str, tuple[int, list[float]]] = {}
    for figure in figures or ():
        if not _is_figure(figure):
            continue
        year = figure.year or 0
        year_seen, values = latest.get(figure.measure, (year, []))
        if year > year_seen:
            year_seen, values = year, []
        if year == year_seen:
            values.append(float(figure.estimate))
        latest[figure.measure] = (year_seen, values)
    return {f"est.{m}": sum(v) / len(v) for m, (_, v) in latest.items() if v}


def _empty_like(G: nx.Graph) -> nx.MultiGraph:
    """An empty multigraph with the direction of ``G``."""
    return nx.MultiDiGraph() if G.is_directed() else nx.MultiGraph()


Scalar = str | int | float | bool
"""A value a graph file holds as it is."""
NodeAttributes = Mapping[Hashable, Mapping[str, Scalar]]
"""Extra attributes by node."""
EdgeAttributes = Mapping[tuple[Hashable, Hashable, Hashable], Mapping[str, Scalar]]
"""Extra attributes by edge ``(u, v, key)`` (the key of a dataset's edge is the relation id)."""


def _extra(
    table: Mapping[Any, Mapping[str, Scalar]] | None,
    item: Any,
    data: Mapping[str, Any],
    where: str,
) -> dict[str, Scalar]:
    """The extra attributes of one node or edge, checked against its own."""
    extra = dict((table or {}).get(item, {}))
    for name, value in extra.items():
        if name in data:
            raise ExportError(f"{where} already has an attribute '{name}'")
        if not isinstance(value, _SCALARS):
            raise ExportError(f"{where} {name}: a {type(value).__name__} is not a scalar")
        if isinstance(value, float) and not math.isfinite(value):
            raise ExportError(f"{where} {name}: {value} is not a finite number")
    return extra


def _unknown(table: Mapping[Any, Any] | None, known: Iterable[Any], what: str) -> None:
    missing = set(table or {}) - set(known)
    if missing:
        shown = ", ".join(sorted(map(str, missing))[:5])
        raise ExportError(f"attributes given for {what} not in the graph: {shown}")


def flatten_graph(
    source: Network,
    *,
    estimates: bool = True,
    node_attributes: NodeAttributes | None = None,
    edge_attributes: EdgeAttributes | None = None,
) -> nx.MultiGraph:
    """A copy of the graph with only scalar attributes (see the module docstring)."""
    G = as_graph(source)
    _unknown(node_attributes, G.nodes, "nodes")
    _unknown(edge_attributes, G.edges(keys=True), "edges")
    if "node_default" in G.graph or "edge_default" in G.graph:
        G = fill_file_defaults(G.copy())
    node_types = _types(data for _, data in G.nodes(data=True))
    edge_types = _types(data for _, _, data in G.edges(data=True))
    graph_types = _types([G.graph])
    derived: dict[str, list[str]] = {"node": [], "edge": []}
    flat = _empty_like(G)
    for key, value in G.graph.items():
        flat.graph.update(
            _flatten_value(key, graph_types.get(key, "scalar"), value, f"graph {key}")
        )
    for node, data in G.nodes(data=True):
        attrs: dict[str, Any] = {}
        for key, value in data.items():
            attrs.update(
                _flatten_value(key, node_types.get(key, "scalar"), value, f"node {node} {key}")
            )
        extra: dict[str, Scalar] = {**_estimates(data.get("figures"))} if estimates else {}
        extra |= _extra(node_attributes, node, data, f"node {node}")
        derived["node"].extend(k for k in extra if k not in derived["node"])
        attrs.update(extra)
        add_node(flat, node, attrs)
    for u, v, k, data in G.edges(keys=True, data=True):
        attrs = {}
        for key, value in data.items():
            attrs.update(
                _flatten_value(key, edge_types.get(key, "scalar"), value, f"edge {k} {key}")
            )
        extra = {**_estimates(data.get("figures"))} if estimates else {}
        extra |= _extra(edge_attributes, (u, v, k), data, f"edge {k}")
        derived["edge"].extend(k2 for k2 in extra if k2 not in derived["edge"])
        attrs.update(extra)
        add_edge(flat, u, v, attrs, key=k)
    flat.graph[ENCODING_KEY] = _json_text(
        {
            "version": _VERSION,
            "graph": graph_types,
            "node": node_types,
            "edge": edge_types,
            "derived": derived,
        }
    )
    return flat


def _manifest(G: nx.Graph) -> dict[str, Any] | None:
    raw = G.graph.get(ENCODING_KEY)
    if raw is None:
        return None
    try:
        manifest = json.loads(raw) if isinstance(raw, str) else dict(raw)
    except (TypeError, ValueError) as error:
        raise UndecodableError("graph", f"unreadable {ENCODING_KEY} attribute: {error}") from error
    if not isinstance(manifest, dict):
        raise UndecodableError("graph", f"{ENCODING_KEY} is not an object")
    if manifest.get("version") != _VERSION:
        raise UndecodableError(
            "graph", f"unknown {ENCODING_KEY} version {_json_text(_plain(manifest.get('version')))}"
        )
    for scope in ("graph", "node", "edge"):
        types = manifest.get(scope)
        if not isinstance(types, dict) or not all(isinstance(t, str) for t in types.values()):
            raise UndecodableError("graph", f"{ENCODING_KEY} has no {scope} types")
    derived = manifest.setdefault("derived", {})
    if not isinstance(derived, dict) or not all(
        isinstance(names, list) for names in derived.values()
    ):
        raise UndecodableError("graph", f"{ENCODING_KEY} derived is not an object of lists")
    return manifest


@contextlib.contextmanager
def _decoding(where: str) -> Iterator[None]:
    """Any failure to decode a value in here is a located `UndecodableError`."""
    try:
        yield
    except UndecodableError:
        raise
    except (TypeError, ValueError, KeyError, AttributeError, IndexError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise UndecodableError(where, f"cannot decode: {reason}") from error


_TEXTS = tuple[str, ...]
_NODE_TYPES: Mapping[str, Any] = {
    "kind": str, "name": str, "description": str, "sources": _TEXTS, "assumptions": _TEXTS,
}  # fmt: skip
_EDGE_TYPES: Mapping[str, Any] = {
    "id": str, "kind": str, "claim": str, "sources": _TEXTS, "assumptions": _TEXTS,
}  # fmt: skip


def _check_dataset_graph(G: nx.Graph) -> None:
    """A decoded graph that `labournet.to_networkx` made (it has a schema) must have its
    attributes of the types the analyses rely on: a cut or edited file must not reach them."""
    from labournet.model.schema import Schema

    schema = G.graph.get("schema")
    if schema is None:
        return
    if not isinstance(schema, Schema):
        raise UndecodableError("graph", "schema is not a labournet schema")
    if not isinstance(G.graph.get("name", ""), str):
        raise UndecodableError("graph", "name is not text")
    for name, cls in (("sources", Source), ("assumptions", Assumption)):
        records = G.graph.get(name, {})
        if not isinstance(records, Mapping) or not all(
            isinstance(v, cls) for v in records.values()
        ):
            raise UndecodableError("graph", f"{name} is not an object of {cls.__name__} records")
    scopes = (
        ((f"node {n}", d) for n, d in G.nodes(data=True)),
        ((f"edge {k}", d) for *_, k, d in G.edges(keys=True, data=True)),
    )
    for scope, expected in zip(scopes, (_NODE_TYPES, _EDGE_TYPES), strict=True):
        for where, data in scope:
            if "kind" not in data:
                raise UndecodableError(where, "has no kind")
            for key, value in data.items():
                if key == "figures":
                    ok = isinstance(value, tuple) and all(_is_figure(f) for f in value)
                else:
                    ok = _fits(value, expected.get(key, str))
                if not ok:
                    raise UndecodableError(where, f"{key} is {_json_text(_plain(value))}")


def _unflatten_attrs(
    data: Mapping[str, Any], types: Mapping[str, str], derived: Iterable[str], where: str
) -> dict[str, Any]:
    skip = set(derived)
    out: dict[str, Any] = {}
    figures: dict[str, dict[int, dict[str, Any]]] = {}
    counts: dict[str, int] = {}
    for key, value in data.items():
        if key in skip:
            continue
        head, dot, rest = key.partition(".")
        if dot and types.get(head) == "figures":
            with _decoding(f"{where} {key}"):
                if rest == "count":
                    counts[head] = int(value)
                    continue
                position, _, field = rest.partition(".")
                figures.setdefault(head, {}).setdefault(int(position), {})[field] = value
            continue
        kind = types.get(key, "scalar")
        with _decoding(f"{where} {key}"):
            out[key] = _unflatten_value(kind, value, f"{where} {key}")
    for head, count in counts.items():
        items = figures.get(head, {})
        rebuilt = []
        for index in range(count):
            with _decoding(f"{where} {head}.{index}"):
                fields = {
                    k: json.loads(v) if k in ("sources", "assumptions") else v
                    for k, v in items.get(index, {}).items()
                }
                rebuilt.append(_figure_from_fields(fields, f"{where} {head}.{index}"))
        out[head] = tuple(rebuilt)
    return out


def _figure_from_fields(fields: Any, where: str) -> Figure:
    if not isinstance(fields, Mapping):
        raise UndecodableError(where, f"a Figure is {_json_text(_plain(fields))}, not an object")
    values = dict(fields)
    # GraphML and GEXF may give numbers as text
    for name in ("low", "high", "best"):
        if isinstance(values.get(name), str):
            values[name] = float(values[name])
    if isinstance(values.get("year"), str | float):
        values["year"] = int(values["year"])
    if "best" not in values:
        values["best"] = None  # a None field was left out of the file
    return typing.cast(Figure, _from_record(Figure, values, where))


def _unflatten_value(kind: str, value: Any, where: str) -> Any:
    if kind == "scalar":
        return value
    if kind == "tuple":
        items = json.loads(value)
        if not isinstance(items, list):
            raise UndecodableError(where, f"{value!r} is not a JSON array")
        return tuple(items)
    if kind.startswith("records:"):
        cls = _RECORD_TYPES[kind.split(":", 1)[1]]
        return {k: _from_record(cls, v, where) for k, v in json.loads(value).items()}
    if kind == "schema":
        return _schema_from_record(json.loads(value))
    return _untag(json.loads(value))


def unflatten_graph(G: nx.Graph) -> nx.MultiGraph:
    """Undo `flatten_graph` using the graph's ``labournet.encoding``; else return it as is."""
    manifest = _manifest(G)
    if manifest is None:
        return as_graph(G)
    derived = manifest["derived"]
    out = _empty_like(G)
    graph_attrs = {
        k: v
        for k, v in G.graph.items()
        # read_graphml adds node_default and edge_default dicts of its own
        if k != ENCODING_KEY and not (k in ("node_default", "edge_default") and isinstance(v, dict))
    }
    out.graph.update(_unflatten_attrs(graph_attrs, manifest["graph"], (), "graph"))
    for node, data in G.nodes(data=True):
        attrs = _unflatten_attrs(data, manifest["node"], derived.get("node", ()), f"node {node}")
        add_node(out, node, attrs)
    edges = (
        G.edges(keys=True, data=True)
        if G.is_multigraph()
        else ((u, v, d.get("id", 0), d) for u, v, d in G.edges(data=True))
    )
    for u, v, k, data in edges:
        attrs = _unflatten_attrs(data, manifest["edge"], derived.get("edge", ()), f"edge {k}")
        add_edge(out, u, v, attrs, key=k)
    _check_dataset_graph(out)
    return out


# ---- JSON (node-link) -----------------------------------------------------------------------


def _json_value(kind: str, value: Any, where: str) -> Any:
    if kind == "scalar":
        return value
    if kind == "tuple":
        return list(value)
    if kind == "figures":
        return [_record(figure) for figure in value]
    if kind.startswith("records:"):
        return {k: _record(v) for k, v in value.items()}
    if kind == "schema":
        return _schema_record(value)
    return _tag(value, where)


def _from_json_value(kind: str, value: Any, where: str) -> Any:
    with _decoding(where):
        if kind == "scalar":
            return value
        if kind in ("tuple", "figures") and not isinstance(value, list):
            raise UndecodableError(where, f"{_json_text(value)} is not an array")
        if kind == "tuple":
            return tuple(value)
        if kind == "figures":
            return tuple(_figure_from_fields(item, where) for item in value)
        if kind.startswith("records:"):
            cls = _RECORD_TYPES[kind.split(":", 1)[1]]
            return {k: _from_record(cls, v, where) for k, v in value.items()}
        if kind == "schema":
            return _schema_from_record(value)
        return _untag(value)


def encode_graph_json(source: Network) -> dict[str, Any]:
    """Node-link data of the graph with JSON-native values and the encoding record."""
    G = as_graph(source)
    node_types = _types(data for _, data in G.nodes(data=True))
    edge_types = _types(data for _, _, data in G.edges(data=True))
    graph_types = _types([G.graph])
    plain = _empty_like(G)
    plain.graph.update(
        {k: _json_value(graph_types.get(k, "scalar"), v, f"graph {k}") for k, v in G.graph.items()}
    )
    plain.graph[ENCODING_KEY] = {
        "version": _VERSION,
        "graph": graph_types,
        "node": node_types,
        "edge": edge_types,
    }
    for node, data in G.nodes(data=True):
        if "id" in data:
            raise ExportError(f"node {node}: an attribute named 'id' clashes with node-link ids")
        plain.add_node(
            node,
            **{
                k: _json_value(node_types.get(k, "scalar"), v, f"node {node}")
                for k, v in data.items()
            },
        )
    for u, v, k, data in G.edges(keys=True, data=True):
        plain.add_edge(
            u,
            v,
            key=k,
            **{
                a: _json_value(edge_types.get(a, "scalar"), x, f"edge {k}") for a, x in data.items()
            },
        )
    return nx.node_link_data(plain, edges="edges")


def decode_graph_json(data: Mapping[str, Any]) -> nx.MultiGraph:
    """The graph `encode_graph_json` encoded."""
    try:
        G = nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")
    except (KeyError, TypeError, ValueError, AttributeError, nx.NetworkXError) as error:
        reason = str(error) or type(error).__name__
        raise UndecodableError("graph", f"not node-link JSON: {reason}") from error
    manifest = _manifest(G)
    if manifest is None:
        return as_graph(G)
    out = _empty_like(G)
    types = manifest["graph"]
    out.graph.update(
        {
            k: _from_json_value(types.get(k, "scalar"), v, f"graph {k}")
            for k, v in G.graph.items()
            if k != ENCODING_KEY
        }
    )
    types = manifest["node"]
    for node, attrs in G.nodes(data=True):
        out.add_node(
            node,
            **{
                k: _from_json_value(types.get(k, "scalar"), v, f"node {node} {k}")
                for k, v in attrs.items()
            },
        )
    types = manifest["edge"]
    for u, v, k, attrs in G.edges(keys=True, data=True):
        out.add_edge(
            u,
            v,
            key=k,
            **{
                a: _from_json_value(types.get(a, "scalar"), x, f"edge {k} {a}")
                for a, x in attrs.items()
            },
        )
    _check_dataset_graph(out)
    return out
