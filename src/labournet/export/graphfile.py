"""Graph files for other tools: GraphML, GEXF (Gephi) and node-link JSON.

GraphML and GEXF hold only scalar attributes, so the graph model's tuples and figures are
flattened in a documented, reversible way. `read_graphfile` undoes it for GraphML and JSON,
giving back the graph `Dataset.to_networkx` made, attribute for attribute.

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
    * For Gephi, every node and edge also gets ``est.<measure>``: the estimate (best, else
      the middle of the range) of its latest figure of that measure, so Gephi can size or
      filter by workers or revenue; GEXF nodes get a ``label`` (the name) and a colour by kind.
      These are derived and dropped when read back.
    * The graph attribute ``labournet.encoding`` (JSON) records how each attribute was
      encoded; a file without it is read as it is.

JSON (``export_json``)
    networkx node-link data (``nx.node_link_graph(data, edges="edges")`` reads it) with
    JSON-native values: tuples are arrays, figures are objects, ``sources`` an object of
    objects; the same ``labournet.encoding`` entry tells `read_graphfile` what to turn back
    into tuples and objects.

GEXF files are for looking at (Gephi); they keep nodes, edges and their flattened attributes
but not the graph-level sources. Use GraphML or JSON for a file that reads back losslessly.

Example:
    >>> import labournet, tempfile, pathlib
    >>> G = labournet.load_dataset().to_networkx()
    >>> path = export_graphml(G, pathlib.Path(tempfile.mkdtemp()) / "net.graphml")
    >>> H = read_graphfile(path)
    >>> H.nodes["cn"] == G.nodes["cn"] and H.graph["sources"] == G.graph["sources"]
    True
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Hashable, Iterable, Mapping
from pathlib import Path
from typing import Any

import networkx as nx

from labournet.dataset import Assumption, Figure, Source
from labournet.errors import ExportError
from labournet.export.html import KIND_STYLES, as_graph

__all__ = [
    "ENCODING_KEY",
    "flatten_graph",
    "unflatten_graph",
    "encode_graph_json",
    "decode_graph_json",
    "export_graphml",
    "export_gexf",
    "export_json",
    "read_graphfile",
]

ENCODING_KEY = "labournet.encoding"
"""Graph attribute that records how attributes were encoded."""

_VERSION = 1
_SCALARS = (str, int, float, bool)
_RECORD_TYPES: Mapping[str, type] = {"Source": Source, "Assumption": Assumption}
_GEXF_RESERVED = {
    "node": {"id", "label", "pid", "start", "end", "viz"},
    "edge": {"id", "label", "type", "start", "end", "key"},
}


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


def flatten_graph(source: Any, *, estimates: bool = True) -> nx.MultiDiGraph:
    """A copy of the graph with only scalar attributes (see the module docstring)."""
    G = as_graph(source)
    node_types = _types(data for _, data in G.nodes(data=True))
    edge_types = _types(data for _, _, data in G.edges(data=True))
    graph_types = _types([G.graph])
    derived: dict[str, list[str]] = {"node": [], "edge": []}
    flat = nx.MultiDiGraph()
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


def unflatten_graph(G: nx.Graph) -> nx.MultiDiGraph:
    """Undo `flatten_graph` using the graph's ``labournet.encoding``; else return it as is."""
    manifest = _manifest(G)
    if manifest is None:
        return as_graph(G)
    derived = manifest.get("derived", {})
    out = nx.MultiDiGraph()
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
    plain = nx.MultiDiGraph()
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


def decode_graph_json(data: Mapping[str, Any]) -> nx.MultiDiGraph:
    """The graph `encode_graph_json` encoded."""
    try:
        G = nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")
    except (KeyError, TypeError, nx.NetworkXError) as error:
        raise ExportError(f"not node-link JSON: {error}") from error
    manifest = _manifest(G)
    if manifest is None:
        return as_graph(G)
    out = nx.MultiDiGraph()
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


# ---- files ----------------------------------------------------------------------------------


def _target(path: str | Path) -> Path:
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ExportError(f"cannot write {target}: {error}") from error
    return target


def export_graphml(source: Any, path: str | Path) -> Path:
    """Write a GraphML file that `read_graphfile` (or ``nx.read_graphml``) reads back."""
    target = _target(path)
    flat = flatten_graph(source)
    try:
        nx.write_graphml(flat, target, encoding="utf-8", prettyprint=True)
    except (OSError, nx.NetworkXError, ValueError) as error:
        raise ExportError(f"cannot write GraphML {target}: {error}") from error
    return target


def export_gexf(source: Any, path: str | Path) -> Path:
    """Write a GEXF 1.2 file for Gephi: labels, colours by kind, flattened attributes."""
    target = _target(path)
    G = as_graph(source)
    flat = flatten_graph(G)
    gexf = nx.MultiDiGraph()
    extra_colours = ["#7F7F7F", "#BCBD22", "#8C564B", "#17BECF", "#9467BD"]
    kinds = sorted({str(k) for _, k in G.nodes(data="kind", default="entity")})
    colours = {}
    for kind in kinds:
        colours[kind] = (
            KIND_STYLES[kind][0]
            if kind in KIND_STYLES
            else extra_colours.pop(0)
            if extra_colours
            else "#999999"
        )
    for node, data in flat.nodes(data=True):
        attrs = {_gexf_name("node", k): v for k, v in data.items()}
        attrs["label"] = str(data.get("name", node))
        colour = colours.get(str(data.get("kind", "entity")), "#999999")
        attrs["viz"] = {
            "color": {
                "r": int(colour[1:3], 16),
                "g": int(colour[3:5], 16),
                "b": int(colour[5:7], 16),
                "a": 1.0,
            },
            "size": 6.0 + 2.0 * G.degree(node) ** 0.5,
        }
        gexf.add_node(node, **attrs)
    for u, v, k, data in flat.edges(keys=True, data=True):
        attrs = {_gexf_name("edge", a): x for a, x in data.items() if a != "id"}
        attrs["id"] = str(data.get("id", k))  # the GEXF edge id
        attrs["label"] = str(data.get("kind", ""))
        gexf.add_edge(u, v, key=k, **attrs)
    _one_type_per_attribute([data for _, data in gexf.nodes(data=True)])
    _one_type_per_attribute([data for _, _, data in gexf.edges(data=True)])
    gexf.graph.update(
        {k: v for k, v in flat.graph.items() if isinstance(v, str | int | float | bool)}
    )
    try:
        nx.write_gexf(gexf, target, encoding="utf-8", prettyprint=True, version="1.2draft")
    except (OSError, nx.NetworkXError, ValueError, TypeError) as error:
        raise ExportError(f"cannot write GEXF {target}: {error}") from error
    return target


def _one_type_per_attribute(items: list[dict[str, Any]]) -> None:
    """GEXF declares one type per attribute: mixed ints and floats become floats, and any
    other mix becomes text."""
    kinds: dict[str, set[type]] = {}
    for data in items:
        for key, value in data.items():
            if key != "viz":
                kinds.setdefault(key, set()).add(type(value))
    for key, found in kinds.items():
        if len(found) < 2:
            continue
        cast: type = float if found <= {int, float} else str
        for data in items:
            if key in data:
                data[key] = cast(data[key])


def _gexf_name(scope: str, name: str) -> str:
    return f"data.{name}" if name in _GEXF_RESERVED[scope] else name


def export_json(source: Any, path: str | Path, *, indent: int | None = 1) -> Path:
    """Write node-link JSON that `read_graphfile` (or ``nx.node_link_graph``) reads back."""
    target = _target(path)
    data = encode_graph_json(source)
    try:
        text = json.dumps(data, ensure_ascii=False, indent=indent, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise ExportError(f"cannot write JSON {target}: {error}") from error
    try:
        target.write_text(text + "\n", encoding="utf-8")
    except OSError as error:
        raise ExportError(f"cannot write {target}: {error}") from error
    return target


def read_graphfile(path: str | Path) -> nx.MultiDiGraph:
    """Read a GraphML or JSON file written here back into the graph it came from."""
    file = Path(path)
    suffix = file.suffix.lower()
    try:
        if suffix in (".graphml", ".xml"):
            G = nx.read_graphml(file, force_multigraph=True, edge_key_type=str)
            return unflatten_graph(G)
        if suffix == ".json":
            return decode_graph_json(json.loads(file.read_text(encoding="utf-8")))
    except (OSError, ValueError, nx.NetworkXError) as error:
        raise ExportError(f"cannot read {file}: {error}") from error
    raise ExportError(f"cannot read {file}: use a .graphml or .json file written by labournet")
