"""The data an HTML view draws, built column by column so that large views stay fast.

The page (``templates/view.js``) receives one JSON object:

``nodes``      columns over the drawn nodes: ``id``, ``label``, ``kind`` (index into
               ``kinds.node``), ``size``, and ``x``/``y`` when laid out in Python.
``edges``      columns over the drawn edges: ``from``/``to`` (node indexes), ``kind`` (index into
               ``kinds.edge``), ``width`` (0 = thinnest), ``rid`` (relation id).
``nodeInfo`` / ``edgeInfo``
               tooltip columns: ``name``/``claim``, ``description``, ``sources``, ``assumptions``.
``figures``    one row per figure: ``at`` (``[0, node index]`` or ``[1, edge index]``),
               ``text``, ``claim``, ``sources``, ``assumptions``.
``extra``      sparse per-item extras by index: ``marks`` (what the item is in this view, e.g.
               cut), ``style`` (vis-network overrides) and ``properties``.
``scores``     ``columns`` with ``values`` and ``ranks`` aligned with ``nodes``.
``sources`` / ``assumptions``  the records the drawn items cite, by id.
``dates``      when the drawn items are valid, for the date control (`view_dates`), or null
               when none is dated: ``nodes`` and ``edges`` with columns ``start`` and ``end``
               (ISO days, null for none), ``changes`` (the days the snapshot changes),
               ``measures`` (indexes of the measure nodes) and ``initial`` (the day the page
               opens at, null for all dates).

A list per attribute costs one comprehension over the items instead of one dictionary per
item; JSON-encoding flat lists is several times faster as well.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import networkx as nx

from labournet._number import format_quantity
from labournet.errors import ExportError
from labournet.io.networkx import EDGE_FIELDS, NODE_FIELDS
from labournet.model.dates import DateLike, PartialDate, as_date, change_days, record_period
from labournet.palette import KIND_STYLES
from labournet.views.select import CutMarks, NodeValues, View

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["PageData", "ViewDates", "figure_text", "build_page_data", "view_dates"]

_EXTRA_STYLES = (
    ("#7F7F7F", "hexagon"),
    ("#BCBD22", "dot"),
    ("#8C564B", "square"),
    ("#17BECF", "diamond"),
    ("#9467BD", "triangle"),
)
_EDGE_COLOURS: Mapping[str, str] = {
    "sends_workers": "#3D6FB0",
    "works_in": "#C98A00",
    "remits_to": "#2E8B3E",
    "pressures": "#C0392B",
    "takes_measure": "#D55E00",
    "targets": "#8E44AD",
}
_EXTRA_EDGE_COLOURS = ("#8A8A8A", "#A0785A", "#5F9EA0", "#B07AA1", "#6B8E23", "#999966")
CUT_COLOUR = "#B00020"
FADED = "rgba(160,160,160,0.35)"
_NODE_SIZE = (10.0, 42.0)
_EDGE_WIDTH = (1.0, 12.0)
_LABEL_MAX = 40
_NODE_FIELDS = frozenset(NODE_FIELDS)
_EDGE_FIELDS = frozenset(EDGE_FIELDS)
_MAX_SCORE_COLUMNS = 6


@dataclass
class PageData:
    """The drawn part of a graph: nodes and edges as lists, in a stable order."""

    nodes: list[tuple[Hashable, dict[str, Any]]]
    edges: list[tuple[Hashable, Hashable, Hashable, dict[str, Any]]]

    @classmethod
    def of(cls, G: nx.MultiDiGraph, shown: set[Hashable]) -> PageData:
        """The nodes in ``shown`` and the edges between them (faster than a subgraph view)."""
        if len(shown) == G.number_of_nodes():
            return cls(list(G.nodes(data=True)), list(G.edges(keys=True, data=True)))
        nodes = [(node, data) for node, data in G.nodes(data=True) if node in shown]
        edges = [
            (u, v, k, data)
            # an undirected edge once, from its end that comes first in node order
            for u, v, k, data in G.edges([node for node, _ in nodes], keys=True, data=True)
            if v in shown
        ]
        return cls(nodes, edges)


def _styles(kinds: Iterable[str], known: Mapping[str, Any], extra: Sequence[Any]) -> dict:
    out = {}
    spare = 0
    for kind in kinds:
        if kind in known:
            out[kind] = known[kind]
        else:
            out[kind] = extra[spare % len(extra)]
            spare += 1
    return out


def build_page_data(
    G: nx.MultiDiGraph,
    part: PageData,
    *,
    values: NodeValues,
    view: View,
    marks: CutMarks | None,
    regime: Hashable | None,
    scores: pd.DataFrame | None,
    measures: tuple[str, ...],
    positions: Mapping[Hashable, tuple[float, float]] | None,
) -> dict[str, Any]:
    """Everything the page needs except the vis-network options and the title."""
    node_ids = [node for node, _ in part.nodes]
    node_data = [data for _, data in part.nodes]
    edge_data = [data for _, _, _, data in part.edges]
    ids = _string_ids(node_ids)
    index = {node: i for i, node in enumerate(node_ids)}

    node_kind_names = [str(d.get("kind", "entity")) for d in node_data]
    edge_kind_names = [str(d.get("kind", "relation")) for d in edge_data]
    node_counts = Counter(node_kind_names)
    edge_counts = Counter(edge_kind_names)
    node_kinds = sorted(node_counts)
    edge_kinds = sorted(edge_counts)
    node_styles = _styles(node_kinds, KIND_STYLES, _EXTRA_STYLES)
    edge_styles = _styles(edge_kinds, _EDGE_COLOURS, _EXTRA_EDGE_COLOURS)
    node_kind_index = {kind: i for i, kind in enumerate(node_kinds)}
    edge_kind_index = {kind: i for i, kind in enumerate(edge_kinds)}

    names = [str(d.get("name", ids[n])) for n, d in zip(node_ids, node_data, strict=True)]
    value_of = values.values
    sizes_raw = [value_of.get(node, 0.0) for node in node_ids]
    top_value = max(sizes_raw, default=0.0)
    low, high = _NODE_SIZE
    if top_value > 0:
        scale = (high - low) / math.sqrt(top_value)
        sizes = [round(low + scale * math.sqrt(max(v, 0.0)), 1) for v in sizes_raw]
    else:
        sizes = [low] * len(node_ids)
    if regime is not None and regime in index and not values.fallback:
        # the regime is not a candidate and has no score; draw it mid-sized, not smallest
        sizes[index[regime]] = max(sizes[index[regime]], (low + high) / 2)

    widths, width_notes = _widths(edge_data, measures)
    used_sources: set[str] = set()
    used_assumptions: set[str] = set()
    node_sources = _id_lists(node_data, "sources", used_sources)
    node_assumptions = _id_lists(node_data, "assumptions", used_assumptions)
    edge_sources = _id_lists(edge_data, "sources", used_sources)
    edge_assumptions = _id_lists(edge_data, "assumptions", used_assumptions)
    figures = _figures(node_data, edge_data, used_sources, used_assumptions)

    extra_nodes, extra_edges = _extras(part, node_data, edge_data, values, view, marks, regime)

    data: dict[str, Any] = {
        "kinds": {"node": node_kinds, "edge": edge_kinds},
        "nodes": {
            "id": [ids[node] for node in node_ids],
            "label": [_short(name) for name in names],
            "kind": [node_kind_index[k] for k in node_kind_names],
            "size": sizes,
        },
        "edges": {
            "from": [index[u] for u, _, _, _ in part.edges],
            "to": [index[v] for _, v, _, _ in part.edges],
            "kind": [edge_kind_index[k] for k in edge_kind_names],
            "width": widths,
            "rid": [str(d.get("id", k)) for _, _, k, d in part.edges],
        },
        "nodeInfo": {
            "name": names,
            "description": [str(d.get("description") or "") for d in node_data],
            "sources": node_sources,
            "assumptions": node_assumptions,
        },
        "edgeInfo": {
            "claim": [str(d.get("claim") or "") for d in edge_data],
            "sources": edge_sources,
            "assumptions": edge_assumptions,
        },
        "figures": figures,
        "extra": {"nodes": extra_nodes, "edges": extra_edges},
        "scores": _score_columns(scores, G, node_ids, values),
        "sources": _records(
            G.graph.get("sources"), used_sources, ("publisher", "title", "date", "url", "note")
        ),
        "assumptions": _records(
            G.graph.get("assumptions"), used_assumptions, ("statement", "reasoning")
        ),
        "styles": {
            "node": {k: {"color": c, "shape": s} for k, (c, s) in node_styles.items()},
            "edge": edge_styles,
        },
        "legend": {
            "nodeKinds": [[k, node_counts[k]] for k in node_kinds],
            "edgeKinds": [[k, edge_counts[k]] for k in edge_kinds],
            "size": (
                "Node size: number of relations (degree); no scores were given."
                if values.fallback
                else f"Node size: {values.label} (smallest: no score; the regime: fixed)."
            ),
            "width": width_notes,
        },
        "top": _top_list(G, view, values, index, ids),
        "cut": _cut_summary(G, marks),
        "regime": index.get(regime) if regime is not None else None,
    }
    if positions is not None:
        data["nodes"]["x"] = [positions[node][0] for node in node_ids]
        data["nodes"]["y"] = [positions[node][1] for node in node_ids]
    return data


MEASURE_KIND = "measure"
"""The entity kind the date control lists as the measures in force."""
_PROBLEMS_LISTED = 3


@dataclass(frozen=True)
class ViewDates:
    """The ``dates`` block of a view's data, and the items whose dates could not be read."""

    data: dict[str, Any] | None
    """None when no drawn item is dated: the page then shows no date control."""
    problems: tuple[str, ...] = ()
    """``node ID: reason`` or ``relation ID: reason`` for each item counted as undated because
    a date of it is not a date (a graph from elsewhere; a dataset's dates are validated)."""

    @property
    def note(self) -> str:
        """A line for the page's note about the `problems`, or ``""``."""
        if not self.problems:
            return ""
        listed = "; ".join(self.problems[:_PROBLEMS_LISTED])
        more = len(self.problems) - _PROBLEMS_LISTED
        if more > 0:
            listed += f"; and {more:,} more"
        return f"The date control counts as undated what has a date it cannot read: {listed}."


def view_dates(part: PageData, as_of: DateLike | None = None) -> ViewDates:
    """Each drawn node's and edge's validity as ISO days, by the snapshot rule of
    `labournet.model.dates`: its start is the first day of ``valid_from`` (else ``date``), its
    end the last day of ``valid_until``. The page keeps an item as of a day when it has started
    by then and not ended before, and an edge only when both its ends are kept, as
    `labournet.Dataset.as_of` does.

    ``as_of`` is the date the page opens at (its last day); `ExportError` if it is not a date.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("m", kind="measure", date="2017-08-05", valid_until="2019-12")
    >>> G.add_node("cn", kind="country")
    >>> _ = G.add_edge("m", "cn", key="r", valid_from="2018")
    >>> dates = view_dates(PageData.of(G, set(G))).data
    >>> dates["nodes"], dates["edges"]
    ({'start': ['2017-08-05', None], 'end': ['2019-12-31', None]}, {'start': ['2018-01-01'], 'end': [None]})
    >>> dates["changes"], dates["measures"]
    (['2017-08-05', '2018-01-01', '2020-01-01'], [0])
    """  # noqa: E501
    initial = None
    if as_of is not None:
        try:
            initial = as_date(as_of).last_day.isoformat()
        except ValueError as error:
            raise ExportError(f"as_of: {error}") from None
    problems: list[str] = []
    periods: list[tuple[PartialDate | None, PartialDate | None]] = []

    def columns(items: Iterable[tuple[str, Mapping[str, Any]]]) -> dict[str, list[str | None]]:
        starts: list[str | None] = []
        ends: list[str | None] = []
        for where, attrs in items:
            try:
                start, end = record_period(attrs)
            except ValueError as error:
                problems.append(f"{where}: {error}")
                start = end = None
            if start is not None or end is not None:
                periods.append((start, end))
            starts.append(start.first_day.isoformat() if start else None)
            ends.append(end.last_day.isoformat() if end else None)
        return {"start": starts, "end": ends}

    nodes = columns((f"node {node}", attrs) for node, attrs in part.nodes)
    edges = columns((f"relation {attrs.get('id', k)}", attrs) for _, _, k, attrs in part.edges)
    if not periods:
        return ViewDates(None, tuple(problems))
    measures = sorted(
        (i for i, (_, attrs) in enumerate(part.nodes) if attrs.get("kind") == MEASURE_KIND),
        key=lambda i: (nodes["start"][i] or "", str(part.nodes[i][1].get("name", ""))),
    )
    data = {
        "nodes": nodes,
        "edges": edges,
        "changes": [day.isoformat() for day in change_days(periods)],
        "measures": measures,
        "initial": initial,
    }
    return ViewDates(data, tuple(problems))


def _id_lists(items: list[dict[str, Any]], field: str, used: set[str]) -> list[Any]:
    column = [d.get(field) or () for d in items]
    column = [c if type(c) is tuple else tuple(_strings(c)) for c in column]
    used.update(*column)
    return column


def _widths(edge_data: list[dict[str, Any]], measures: tuple[str, ...]) -> tuple[list, list]:
    found: dict[int, tuple[str, float, str]] = {}
    largest: dict[str, float] = {}
    for i, data in enumerate(edge_data):
        figures = data.get("figures")
        if not figures:
            continue
        for measure in measures:
            estimate = _edge_estimate(figures, measure)
            if estimate is not None:
                found[i] = (measure, estimate[0], estimate[1])
                largest[measure] = max(largest.get(measure, 0.0), estimate[0])
                break
    widths: list[float] = [0] * len(edge_data)
    units: dict[str, str] = {}
    low, high = _EDGE_WIDTH
    for i, (measure, value, unit) in found.items():
        units.setdefault(measure, unit)
        top = largest[measure]
        if top > 0 and value > 0:
            widths[i] = round(low + (high - low) * math.sqrt(value / top), 1)
    notes = [
        f"Edge width: {m} ({units.get(m, '')}), scaled to the largest {m} shown "
        f"({format_quantity(largest[m])})."
        for m in measures
        if m in largest
    ]
    if not notes:
        notes = ["Edge width: even (no edge figures of " + ", ".join(measures) + ")."]
    return widths, notes


def _figures(
    node_data: list[dict[str, Any]],
    edge_data: list[dict[str, Any]],
    used_sources: set[str],
    used_assumptions: set[str],
) -> dict[str, list[Any]]:
    columns: dict[str, list[Any]] = {
        "at": [], "text": [], "claim": [], "sources": [], "assumptions": []
    }  # fmt: skip
    for side, items in ((0, node_data), (1, edge_data)):
        for i, data in enumerate(items):
            for figure in data.get("figures") or ():
                sources = tuple(_strings(getattr(figure, "sources", ())))
                assumptions = tuple(_strings(getattr(figure, "assumptions", ())))
                used_sources.update(sources)
                used_assumptions.update(assumptions)
                columns["at"].append((side, i))
                columns["text"].append(figure_text(figure))
                columns["claim"].append(str(getattr(figure, "claim", "") or ""))
                columns["sources"].append(sources)
                columns["assumptions"].append(assumptions)
    return columns


def _extras(
    part: PageData,
    node_data: list[dict[str, Any]],
    edge_data: list[dict[str, Any]],
    values: NodeValues,
    view: View,
    marks: CutMarks | None,
    regime: Hashable | None,
) -> tuple[dict[int, dict[str, Any]], dict[int, dict[str, Any]]]:
    """Sparse extras: what an item is in this view (marks, style) and its other properties."""
    nodes: dict[int, dict[str, Any]] = {}
    edges: dict[int, dict[str, Any]] = {}

    def mark(table: dict[int, dict[str, Any]], i: int, text: str, **style: Any) -> None:
        entry = table.setdefault(i, {})
        entry.setdefault("marks", []).append(text)
        entry.setdefault("style", {}).update(style)

    for table, items, known in ((nodes, node_data, _NODE_FIELDS), (edges, edge_data, _EDGE_FIELDS)):
        for i in [i for i, data in enumerate(items) if not data.keys() <= known]:
            props = _properties(items[i], known)
            if props:
                table.setdefault(i, {})["properties"] = props

    position = {node: i for i, (node, _) in enumerate(part.nodes)}
    if regime is not None and regime in position:
        mark(nodes, position[regime], "the regime", borderWidth=4, color={"border": "#000000"})
    for rank, node in enumerate(view.top, start=1):
        if node in position:
            mark(nodes, position[node], f"top {rank} by {values.label}", borderWidth=3)
    if view.focus is not None and view.focus in position:
        mark(nodes, position[view.focus], "focus of this view", borderWidth=4)
    if marks is None:
        return nodes, edges
    for node in marks.cut_nodes:
        if node in position:
            mark(
                nodes,
                position[node],
                "cut in this scenario",
                borderWidth=4,
                color={"border": CUT_COLOUR, "highlight": {"border": CUT_COLOUR}},
                shapeProperties={"borderDashes": [6, 4]},
                cut=True,
            )
    for node in marks.disconnected_nodes:
        if node in position:
            mark(
                nodes,
                position[node],
                "loses every flow to the regime in this scenario"
                if marks.basis == "flows"
                else "loses its link to the regime in this scenario",
                color={"background": FADED},
                font={"color": "#777777"},
                disconnected=True,
            )
    for i, (u, v, k, _) in enumerate(part.edges):
        if (u, v, k) in marks.cut_edges:
            mark(
                edges,
                i,
                "cut in this scenario",
                color={"color": CUT_COLOUR, "highlight": CUT_COLOUR, "hover": CUT_COLOUR},
                dashes=[8, 6],
                cut=True,
            )
        elif (u, v, k) in marks.disconnected_edges:
            mark(
                edges,
                i,
                "carries only flows this scenario cuts"
                if marks.basis == "flows"
                else "lost with the entities cut off from the regime",
                color={"color": FADED, "highlight": "#000000", "hover": "#000000"},
                dashes=[2, 6],
                disconnected=True,
            )
    return nodes, edges


def _score_columns(
    scores: pd.DataFrame | None,
    G: nx.MultiDiGraph,
    node_ids: list[Hashable],
    values: NodeValues,
) -> dict[str, Any]:
    """Each numeric score column's value and rank (1 = highest) for every drawn node."""
    columns: list[dict[str, Any]] = []
    if scores is None:
        if values.fallback:
            degree = values.values
            columns.append(
                {"name": "degree", "values": [degree.get(n) for n in node_ids], "ranks": None}
            )
        return {"columns": columns}
    numeric = [
        column for column in scores.columns if getattr(scores[column].dtype, "kind", "") in "fiu"
    ][:_MAX_SCORE_COLUMNS]
    in_graph = scores.index.isin(list(G.nodes))
    levels = scores.attrs.get("levels") or {}
    for column in numeric:
        series = scores[column][in_graph].dropna()
        series = series[~series.index.duplicated()]
        ranks = series.rank(ascending=False, method="min")
        shown_values = series.reindex(node_ids)
        shown_ranks = ranks.reindex(node_ids)
        entry: dict[str, Any] = {
            "name": str(column),
            "values": [None if math.isnan(v) else float(v) for v in shown_values.tolist()],
            "ranks": [None if math.isnan(r) else int(r) for r in shown_ranks.tolist()],
            "count": len(series),
        }
        if levels.get("column") == column:  # the analysis's own ranks, within levels
            entry["ranks"] = [levels["rank"].get(n) for n in node_ids]
            entry["counts"] = [levels["size"].get(n) for n in node_ids]
            entry["levels"] = [levels["level"].get(n) for n in node_ids]
        columns.append(entry)
    return {"columns": columns}


def _records(
    known: Mapping[str, Any] | None, used: set[str], fields: tuple[str, ...]
) -> dict[str, dict[str, str]]:
    known = known or {}
    out = {}
    for key in sorted(str(u) for u in used):
        record = known.get(key)
        if record is not None:
            out[key] = {f: str(getattr(record, f, "") or "") for f in fields}
    return out


def _top_list(
    G: nx.MultiDiGraph,
    view: View,
    values: NodeValues,
    index: Mapping[Hashable, int],
    ids: Mapping[Hashable, str],
) -> dict[str, Any]:
    ranked = list(view.top) if view.top else values.ranked(10, among=index)
    return {
        "by": values.column,
        "isTop": bool(view.top),
        "items": [
            [
                index[n],
                str(G.nodes[n].get("name", ids[n])),
                format_quantity(values.values.get(n, 0.0)),
            ]
            for n in ranked
            if n in index
        ],
    }


def _cut_summary(G: nx.MultiDiGraph, marks: CutMarks | None) -> dict[str, Any] | None:
    if marks is None:
        return None

    def name(node: Hashable) -> str:
        return str(G.nodes[node].get("name", node))

    return {
        "requested": list(marks.requested),
        "regime": name(marks.regime),
        "cutNodes": sorted(name(n) for n in marks.cut_nodes),
        "cutEdges": len(marks.cut_edges),
        "disconnected": sorted(name(n) for n in marks.disconnected_nodes),
        "disconnectedEdges": len(marks.disconnected_edges),
        "basis": marks.basis,
    }


def figure_text(figure: Any) -> str:
    """One line for a figure: measure, best estimate, range, unit and year.

    >>> from labournet import Figure
    >>> figure_text(Figure("f", "r", "workers", 16000.0, 56000.0, 33000.0, "persons", 2016, "", ()))
    'workers: 33,000 (16,000–56,000) persons, 2016'
    >>> figure_text(Figure("f", "cn", "share_in_hosts", 0.32, 0.56, None, "fraction", 2016, "", ()))
    'share_in_hosts: 32%–56%, 2016'
    """
    measure = str(getattr(figure, "measure", "figure"))
    unit = str(getattr(figure, "unit", "") or "")
    low = getattr(figure, "low", None)
    high = getattr(figure, "high", None)
    best = getattr(figure, "best", None)
    year = getattr(figure, "year", None)
    fraction = unit == "fraction"

    def number(value: Any) -> str:
        if value is None:
            return "?"
        return _percent(value) if fraction else format_quantity(value)

    if low is not None and high is not None and low == high:
        amount = number(low)
    elif best is not None:
        amount = f"{number(best)} ({number(low)}–{number(high)})"
    else:
        amount = f"{number(low)}–{number(high)}"
    text = f"{measure}: {amount}"
    if unit and not fraction:
        text += f" {unit}"
    if year is not None:
        text += f", {year}"
    return text


def _edge_estimate(figures: Any, measure: str) -> tuple[float, str] | None:
    """The mean estimate of the latest year's figures of ``measure``, with its unit."""
    found = [f for f in figures if getattr(f, "measure", None) == measure]
    if not found:
        return None
    latest = max(getattr(f, "year", 0) or 0 for f in found)
    recent = [f for f in found if (getattr(f, "year", 0) or 0) == latest]
    numbers = [e for e in (_estimate(f) for f in recent) if e is not None]
    if not numbers:
        return None
    return sum(numbers) / len(numbers), str(getattr(recent[0], "unit", "") or "")


def _estimate(figure: Any) -> float | None:
    best = getattr(figure, "best", None)
    if best is not None:
        return float(best)
    low, high = getattr(figure, "low", None), getattr(figure, "high", None)
    if low is None or high is None:
        return None
    return (float(low) + float(high)) / 2


def _percent(value: Any) -> str:
    return f"{float(value) * 100:.3g}%"


def _short(name: str) -> str:
    if len(name) <= _LABEL_MAX and "\n" not in name:
        return name
    name = " ".join(name.split())
    return name if len(name) <= _LABEL_MAX else name[: _LABEL_MAX - 1].rstrip() + "…"


def _strings(items: Any) -> list[str]:
    if items is None:
        return []
    if isinstance(items, str):
        return [items] if items else []
    try:
        return [str(item) for item in items]
    except TypeError:
        return [str(items)]


def _properties(data: Mapping[str, Any], known: frozenset[str]) -> list[list[str]]:
    out = []
    for key, value in data.items():
        if key in known or value is None or value == "":
            continue
        if isinstance(value, str | int | float | bool):
            out.append([str(key), str(value)])
    return out


def _string_ids(nodes: Iterable[Hashable]) -> dict[Hashable, str]:
    ids = {node: str(node) for node in nodes}
    if len(set(ids.values())) != len(ids):
        seen: dict[str, Hashable] = {}
        for node, text in ids.items():
            if text in seen:
                raise ExportError(
                    f"nodes {seen[text]!r} and {node!r} have the same text id '{text}'"
                )
            seen[text] = node
    return ids
