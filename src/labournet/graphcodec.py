"""The encoding of labournet's graphs in graph files: flattened (GraphML, GEXF) and node-link
JSON, each with its decoder beside it.

GraphML and GEXF hold only scalar attributes, so the graph model's tuples and figures are
flattened in a documented, reversible way. `unflatten_graph` and `decode_graph_json` undo it,
giving back the graph `Dataset.to_networkx` made, attribute for attribute; `read_graph` calls
them on every file that carries the encoding record. The files themselves are written by
`labournet.export.graphfile`.

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
    * The graph attribute ``labournet.encoding`` (JSON) records how each attribute was
      encoded; a file without it is read as it is.

JSON (``encode_graph_json``)
    networkx node-link data (``nx.node_link_graph(data, edges="edges")`` reads it) with
    JSON-native values: tuples are arrays, figures are objects, ``sources`` an object of
    objects; the same ``labournet.encoding`` entry tells `decode_graph_json` what to turn back
    into tuples and objects.

Example:
    >>> import labournet
    >>> G = labournet.load_dataset().to_networkx()
    >>> flat = flatten_graph(G)
    >>> flat.nodes["cn"]["sources"]
    '["s-st-2016-09-13"]'
    >>> unflatten_graph(flat).nodes["cn"] == G.nodes["cn"]
    True
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Hashable, Iterable, Mapping
from typing import Any

import networkx as nx

from labournet.dataset import Assumption, Figure, Source
from labournet.errors import ExportError
from labournet.graph import as_graph, fill_file_defaults

__all__ = [
    "ENCODING_KEY",
    "flatten_graph",
    "unflatten_graph",
    "encode_graph_json",
    "decode_graph_json",
]

ENCODING_KEY = "labournet.encoding"
"""Graph attribute that records how attributes were encoded."""

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


def _from_record(cls: type, data: Mapping[str, Any]) -> Any:
    """Rebuild a dataclass from `_record` output: arrays become tuples."""
    names = {field.name for field in dataclasses.fields(cls)}
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k in names}
    return cls(**values)


def _schema_record(schema: Any) -> dict[str, Any]:
    return {
        "entities": {k: _record(v) for k, v in schema.entities.items()},
        "relations": {k: _record(v) for k, v in schema.relations.items()},
        "measures": {k: _record(v) for k, v in schema.measures.items()},
        "path": str(getattr(schema, "path", "")),
    }


def _schema_from_record(data: Mapping[str, Any]) -> Any:
    from labournet.schema import EntityKind, Measure, RelationKind, Schema

    return Schema(
        entities={k: _from_record(EntityKind, v) for k, v in data["entities"].items()},
        relations={k: _from_record(RelationKind, v) for k, v in data["relations"].items()},
        measures={k: _from_record(Measure, v) for k, v in data["measures"].items()},
        path=data.get("path", ""),
    )


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


def flatten_graph(source: Any, *, estimates: bool = True) -> nx.MultiGraph:
    """A copy of the graph with only scalar attributes (see the module docstring)."""
    G = as_graph(source)
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
        if estimates:
            extra = _estimates(data.get("figures"))
            derived["node"].extend(k for k in extra if k not in derived["node"])
            attrs.update(extra)
        flat.add_node(node, **attrs)
    for u, v, k, data in G.edges(keys=True, data=True):
        attrs = {}
        for key, value in data.items():
            attrs.update(
                _flatten_value(key, edge_types.get(key, "scalar"), value, f"edge {k} {key}")
            )
        if estimates:
            extra = _estimates(data.get("figures"))
            derived["edge"].extend(k2 for k2 in extra if k2 not in derived["edge"])
            attrs.update(extra)
        flat.add_edge(u, v, key=k, **attrs)
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
        raise ExportError(f"unreadable {ENCODING_KEY} attribute: {error}") from error
    if manifest.get("version") != _VERSION:
        raise ExportError(f"unknown {ENCODING_KEY} version {manifest.get('version')!r}")
    return manifest


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
            if rest == "count":
                counts[head] = int(value)
                continue
            position, _, field = rest.partition(".")
            figures.setdefault(head, {}).setdefault(int(position), {})[field] = value
            continue
        kind = types.get(key, "scalar")
        try:
            out[key] = _unflatten_value(kind, value)
        except (TypeError, ValueError, KeyError) as error:
            raise ExportError(f"{where}: cannot read attribute {key}: {error}") from error
    for head, count in counts.items():
        items = figures.get(head, {})
        rebuilt = []
        for index in range(count):
            fields = {
                k: json.loads(v) if k in ("sources", "assumptions") else v
                for k, v in items.get(index, {}).items()
            }
            try:
                rebuilt.append(_figure_from_fields(fields))
            except TypeError as error:
                raise ExportError(f"{where}: figure {index} of {head}: {error}") from error
        out[head] = tuple(rebuilt)
    return out


def _figure_from_fields(fields: dict[str, Any]) -> Figure:
    names = {field.name: field for field in dataclasses.fields(Figure)}
    values: dict[str, Any] = {}
    for name, field in names.items():
        if name in fields:
            value = fields[name]
            values[name] = tuple(value) if isinstance(value, list) else value
        elif field.default is dataclasses.MISSING:
            values[name] = None  # a None field was left out of the file
    for name in ("low", "high", "best"):
        if values.get(name) is not None:
            values[name] = float(values[name])
    if values.get("year") is not None:
        values["year"] = int(values["year"])
    return Figure(**values)


def _unflatten_value(kind: str, value: Any) -> Any:
    if kind == "scalar":
        return value
    if kind == "tuple":
        return tuple(json.loads(value))
    if kind.startswith("records:"):
        cls = _RECORD_TYPES[kind.split(":", 1)[1]]
        return {k: _from_record(cls, v) for k, v in json.loads(value).items()}
    if kind == "schema":
        return _schema_from_record(json.loads(value))
    return _untag(json.loads(value))


def unflatten_graph(G: nx.Graph) -> nx.MultiGraph:
    """Undo `flatten_graph` using the graph's ``labournet.encoding``; else return it as is."""
    manifest = _manifest(G)
    if manifest is None:
        return as_graph(G)
    derived = manifest.get("derived", {})
    out = _empty_like(G)
    graph_attrs = {
        k: v
        for k, v in G.graph.items()
        # read_graphml adds node_default and edge_default dicts of its own
        if k != ENCODING_KEY and not (k in ("node_default", "edge_default") and isinstance(v, dict))
    }
    out.graph.update(_unflatten_attrs(graph_attrs, manifest["graph"], (), "graph"))
    for node, data in G.nodes(data=True):
        out.add_node(
            node,
            **_unflatten_attrs(data, manifest["node"], derived.get("node", ()), f"node {node}"),
        )
    edges = (
        G.edges(keys=True, data=True)
        if G.is_multigraph()
        else ((u, v, d.get("id", 0), d) for u, v, d in G.edges(data=True))
    )
    for u, v, k, data in edges:
        attrs = _unflatten_attrs(data, manifest["edge"], derived.get("edge", ()), f"edge {k}")
        out.add_edge(u, v, key=k, **attrs)
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


def _from_json_value(kind: str, value: Any) -> Any:
    if kind == "scalar":
        return value
    if kind == "tuple":
        return tuple(value)
    if kind == "figures":
        return tuple(_figure_from_fields(dict(item)) for item in value)
    if kind.startswith("records:"):
        cls = _RECORD_TYPES[kind.split(":", 1)[1]]
        return {k: _from_record(cls, v) for k, v in value.items()}
    if kind == "schema":
        return _schema_from_record(value)
    return _untag(value)


def encode_graph_json(source: Any) -> dict[str, Any]:
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
    except (KeyError, TypeError, nx.NetworkXError) as error:
        raise ExportError(f"not node-link JSON: {error}") from error
    manifest = _manifest(G)
    if manifest is None:
        return as_graph(G)
    out = _empty_like(G)
    types = manifest["graph"]
    out.graph.update(
        {
            k: _from_json_value(types.get(k, "scalar"), v)
            for k, v in G.graph.items()
            if k != ENCODING_KEY
        }
    )
    types = manifest["node"]
    for node, attrs in G.nodes(data=True):
        out.add_node(
            node, **{k: _from_json_value(types.get(k, "scalar"), v) for k, v in attrs.items()}
        )
    types = manifest["edge"]
    for u, v, k, attrs in G.edges(keys=True, data=True):
        out.add_edge(
            u,
            v,
            key=k,
            **{a: _from_json_value(types.get(a, "scalar"), x) for a, x in attrs.items()},
        )
    return out
