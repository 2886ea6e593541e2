"""Graph files: GraphML, GEXF (Gephi) and node-link JSON written and read here, CSV edge lists
read (`labournet.io.edgelist`); `read_graph` is the one reader every command uses.

The graph model's tuples and figures are encoded as `labournet.io.graphcodec` describes
(flattened for GraphML and GEXF, JSON-native for node-link JSON), with a
``labournet.encoding`` record that `read_graph` uses to give back the graph
`labournet.to_networkx` made, attribute for attribute.

GEXF files are for looking at (Gephi): nodes get a ``label`` (the name) and a colour by kind,
and every node and edge its ``est.<measure>`` estimates; they keep nodes, edges and their
flattened attributes but not the graph-level sources. Use GraphML or JSON for a file that reads
back losslessly. When anything is dated, a GEXF file is dynamic (``mode="dynamic"``,
``timeformat="date"``) and each dated node and edge has ``start`` and ``end``, the first and
last day of its period by the snapshot rule (`labournet.model.dates.record_period`), so
Gephi's timeline shows the network as `labournet.Dataset.as_of` would; undated items (and
items whose dates are not dates, in a file from elsewhere) carry neither.

Both writers take ``node_attributes`` and ``edge_attributes``: numbers computed elsewhere
(pressure scores, centralities, weights: `labournet.analysis.annotate`) written as typed
attributes beside the network's own, and dropped again when `read_graph` reads the GraphML.

Example:
    >>> import labournet, tempfile, pathlib
    >>> G = labournet.to_networkx(labournet.load_dataset())
    >>> path = export_graphml(G, pathlib.Path(tempfile.mkdtemp()) / "net.graphml")
    >>> H = read_graph(path)
    >>> H.nodes["cn"] == G.nodes["cn"] and H.graph["sources"] == G.graph["sources"]
    True
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import networkx as nx

from labournet.errors import ExportError, GraphFormatError, LabournetError, Problem
from labournet.io.edgelist import EDGE_LIST_SUFFIXES, read_edge_list
from labournet.io.folder import load_dataset
from labournet.io.graphcodec import (
    ENCODING_KEY,
    EdgeAttributes,
    NodeAttributes,
    UndecodableError,
    decode_graph_json,
    encode_graph_json,
    flatten_graph,
    unflatten_graph,
)
from labournet.io.networkx import (
    Network,
    add_edge,
    add_node,
    as_graph,
    fill_file_defaults,
    to_networkx,
)
from labournet.io.stamp import Stamp, make_stamp
from labournet.model.dates import record_period
from labournet.palette import KIND_STYLES

__all__ = ["read_graph", "export_graphml", "export_gexf", "export_json"]

_GEXF_RESERVED = {
    "node": {"id", "label", "pid", "start", "end", "viz"},
    "edge": {"id", "label", "type", "start", "end", "key"},
}


# ---- files ----------------------------------------------------------------------------------


def _target(path: str | Path) -> Path:
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ExportError(f"cannot write {target}: {error}") from error
    return target


def export_graphml(
    source: Network,
    path: str | Path,
    *,
    node_attributes: NodeAttributes | None = None,
    edge_attributes: EdgeAttributes | None = None,
    stamp: Stamp | None = None,
) -> Path:
    """Write a GraphML file that `read_graph` (or ``nx.read_graphml``) reads back, with the
    extra attributes as typed keys (``double``, ``long``, ``string``) and, as the graph's
    ``labournet_stamp`` (JSON text), what made it (`labournet.io.stamp`)."""
    target = _target(path)
    flat = flatten_graph(source, node_attributes=node_attributes, edge_attributes=edge_attributes)
    made = stamp or make_stamp(source, call="export_graphml()")
    flat.graph["labournet_stamp"] = json.dumps(made.to_dict(), ensure_ascii=False)
    try:
        nx.write_graphml(flat, target, encoding="utf-8", prettyprint=True)
    except (OSError, nx.NetworkXError, ValueError) as error:
        raise ExportError(f"cannot write GraphML {target}: {error}") from error
    return target


def export_gexf(
    source: Network,
    path: str | Path,
    *,
    node_attributes: NodeAttributes | None = None,
    edge_attributes: EdgeAttributes | None = None,
    dynamic: bool = True,
    stamp: Stamp | None = None,
) -> Path:
    """Write a GEXF 1.2 file for Gephi: labels, colours by kind, flattened attributes, the
    extra attributes (an edge's ``weight`` becomes the GEXF edge weight) and, with
    ``dynamic``, the ``start`` and ``end`` days of dated items; its ``<meta>`` says what made
    it (`labournet.io.stamp`) in ``<description>`` and names labournet as ``<creator>``."""
    target = _target(path)
    G = as_graph(source)
    flat = flatten_graph(G, node_attributes=node_attributes, edge_attributes=edge_attributes)
    gexf = nx.MultiDiGraph() if G.is_directed() else nx.MultiGraph()
    colours = _kind_colours(G)
    for node, data in flat.nodes(data=True):
        attrs = {_gexf_name("node", k): v for k, v in data.items()}
        attrs["label"] = str(data.get("name", node))
        colour = colours.get(str(data.get("kind", "entity")), "#999999")
        attrs["viz"] = {"color": _rgba(colour), "size": 6.0 + 2.0 * G.degree(node) ** 0.5}
        if dynamic:
            attrs.update(_spell(G.nodes[node]))
        add_node(gexf, node, attrs)
    for u, v, k, data in flat.edges(keys=True, data=True):
        attrs = {_gexf_name("edge", a): x for a, x in data.items() if a != "id"}
        attrs["id"] = str(data.get("id", k))  # the GEXF edge id
        attrs["label"] = str(data.get("kind", ""))
        if dynamic:
            attrs.update(_spell(G.edges[u, v, k]))
        add_edge(gexf, u, v, attrs, key=k)
    _one_type_per_attribute([data for _, data in gexf.nodes(data=True)])
    _one_type_per_attribute([data for _, _, data in gexf.edges(data=True)])
    gexf.graph.update(
        {k: v for k, v in flat.graph.items() if isinstance(v, str | int | float | bool)}
    )
    try:
        lines = nx.generate_gexf(gexf, encoding="utf-8", prettyprint=True, version="1.2draft")
        text = _stamped_gexf("\n".join(lines), stamp or make_stamp(source, call="export_gexf()"))
        target.write_text(text + "\n", encoding="utf-8")
    except (OSError, nx.NetworkXError, ValueError, TypeError) as error:
        raise ExportError(f"cannot write GEXF {target}: {error}") from error
    return target


def _stamped_gexf(text: str, stamp: Stamp) -> str:
    """The GEXF text with labournet as its creator and the stamp as its description."""
    creator = re.search(r"<creator>[^<]*</creator>", text)
    if creator is None:
        return text
    made = (
        f"<creator>labournet {xml_escape(stamp.version)}</creator>"
        f"<description>{xml_escape(stamp.line())}</description>"
    )
    return text[: creator.start()] + made + text[creator.end() :]


_EXTRA_COLOURS = ("#7F7F7F", "#BCBD22", "#8C564B", "#17BECF", "#9467BD")
"""Colours for kinds the palette does not know, in order; then grey."""


def _kind_colours(G: nx.Graph) -> dict[str, str]:
    """A colour per node kind: the palette's, else the next extra colour."""
    extra = list(_EXTRA_COLOURS)
    colours = {}
    for kind in sorted({str(k) for _, k in G.nodes(data="kind", default="entity")}):
        if kind in KIND_STYLES:
            colours[kind] = KIND_STYLES[kind][0]
        else:
            colours[kind] = extra.pop(0) if extra else "#999999"
    return colours


def _rgba(colour: str) -> dict[str, float]:
    """``#RRGGBB`` as GEXF's viz colour."""
    channels = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return dict(zip("rgb", channels, strict=True)) | {"a": 1.0}


def _spell(data: Mapping[str, Any]) -> dict[str, str]:
    """GEXF ``start`` and ``end`` (ISO days) of a dated item: the first day of its start and
    the last day of its end; nothing for an undated item or one whose dates are not dates."""
    try:
        start, end = record_period(data)
    except (ValueError, TypeError):
        return {}
    spell = {}
    if start is not None:
        spell["start"] = start.first_day.isoformat()
    if end is not None:
        spell["end"] = end.last_day.isoformat()
    return spell


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


def export_json(
    source: Network, path: str | Path, *, indent: int | None = 1, stamp: Stamp | None = None
) -> Path:
    """Write node-link JSON that `read_graph` (or ``nx.node_link_graph``) reads back; its
    top-level ``labournet_stamp`` says what made it (`labournet.io.stamp`)."""
    target = _target(path)
    data = encode_graph_json(source)
    data["labournet_stamp"] = (stamp or make_stamp(source, call="export_json()")).to_dict()
    try:
        text = json.dumps(data, ensure_ascii=False, indent=indent, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise ExportError(f"cannot write JSON {target}: {error}") from error
    try:
        target.write_text(text + "\n", encoding="utf-8")
    except OSError as error:
        raise ExportError(f"cannot write {target}: {error}") from error
    return target


def read_graph(path: str | Path, *, directed: bool = True, multigraph: bool = False) -> nx.Graph:
    """Read a network from GraphML, GEXF, node-link JSON, a CSV edge list or a dataset folder.

    The one reader of network files: every command that takes a network calls it.

    * ``.graphml`` / ``.gexf`` / ``.json``: read by networkx, keeping the file's own graph type.
      A file labournet wrote (it carries a ``labournet.encoding`` record) is decoded back into
      the graph `labournet.to_networkx` made (see `labournet.io.graphcodec`). Attribute defaults the
      file declares are filled into the nodes and edges without a value (`fill_file_defaults`).
    * ``.csv`` (or ``.tsv``, ``.txt``): an edge list with a header ``source,target[,weight,...]``;
      extra columns become edge attributes (numbers where every value parses as one).
      ``directed`` and ``multigraph`` choose the graph type; without ``multigraph`` a repeated
      edge is an error.
    * a folder: a labournet dataset, as `labournet.to_networkx`.
    """
    file = Path(path)
    if file.is_dir():
        return to_networkx(load_dataset(file))
    if not file.exists():
        raise GraphFormatError([Problem(str(file), None, "path", "no such file or folder")])
    suffix = file.suffix.lower()
    if suffix in EDGE_LIST_SUFFIXES:
        return read_edge_list(file, directed=directed, multigraph=multigraph)
    if suffix not in (".graphml", ".xml", ".gexf", ".json"):
        raise GraphFormatError(
            [
                Problem(
                    str(file),
                    None,
                    "path",
                    "unknown format (use .graphml, .gexf, .json, .csv or a dataset folder)",
                )
            ]
        )
    try:
        graph = _read_graph_file(file, suffix)
    except UndecodableError as error:
        raise GraphFormatError(
            [Problem(str(file), None, error.where, error.reason)],
            f"{file} was written by labournet but cannot be read back (cut or edited?)",
        ) from error
    # networkx's readers meet a malformed file with whichever error its code hits first
    except (
        OSError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        nx.NetworkXError,
        ExportError,
    ) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        line = getattr(error, "lineno", None) if isinstance(error, json.JSONDecodeError) else None
        raise GraphFormatError([Problem(str(file), line, "file", reason)]) from error
    except LabournetError:
        raise
    except Exception as error:  # XML parse errors come in several classes
        if type(error).__name__ == "ParseError":
            line = getattr(error, "position", (None,))[0]
            raise GraphFormatError([Problem(str(file), line, "xml", str(error))]) from error
        raise
    graph.graph.pop("labournet_stamp", None)  # what made the file, not part of the network
    return graph


def _read_graph_file(file: Path, suffix: str) -> nx.Graph:
    if suffix == ".json":
        data = json.loads(file.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError("not node-link JSON (the file holds no object)")
        if not isinstance(data.get("graph", {}), dict):
            raise ValueError("not node-link JSON (its graph attributes are not an object)")
        if ENCODING_KEY in data.get("graph", {}):
            return decode_graph_json(data)
        edges = "links" if "links" in data and "edges" not in data else "edges"
        return fill_file_defaults(nx.node_link_graph(data, edges=edges))
    if suffix == ".gexf":
        return fill_file_defaults(nx.read_gexf(file))
    graph = nx.read_graphml(file)
    if ENCODING_KEY in graph.graph:
        # written by labournet: keep its edge keys (the relation ids) and decode
        return unflatten_graph(nx.read_graphml(file, force_multigraph=True, edge_key_type=str))
    return fill_file_defaults(graph)
