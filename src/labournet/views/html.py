"""Interactive HTML views of a network that open offline in any browser.

pyvis sets up the vis-network options; the nodes and edges are built here as plain lists (pyvis's
``add_edge`` compares each new edge with every earlier one, which takes seconds on large
graphs, and it drops parallel edges). The page is labournet's own template:

* every script and style is inline (vis-network as pyvis inlines it, the page's own code),
  so the file needs no network; a Content-Security-Policy allows nothing else to load or run;
* all data travels as one JSON block that is never executed, with ``<``, ``>``, ``&``,
  U+2028 and U+2029 escaped, and the page builds its legend and tooltips with ``textContent``:
  names and claims show as text, whatever they hold;
* above `PHYSICS_MAX_NODES` (300) drawn nodes a view is laid out in Python (igraph's grid
  Fruchterman-Reingold, from ``labournet[fast]``; networkx's layouts without it) and drawn
  with physics off; above `LARGE_GRAPH_NODES` (2,000) nodes the ``auto`` view shows the
  top-k pressure points and their neighbours, with a note, rather than the whole network
  (which takes vis-network seconds to draw).

Example:
    >>> import labournet
    >>> from labournet.views.html import build_html
    >>> page = build_html(labournet.load_dataset(), view="focus", focus="qa")
    >>> page.startswith("<!DOCTYPE html>") and "<script src=" not in page  # all inline
    True
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import re
from collections.abc import Hashable, Iterable, Mapping, Sequence
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import networkx as nx

from labournet._number import format_quantity
from labournet._text import plural
from labournet.errors import ExportError
from labournet.io.networkx import Network, as_graph
from labournet.io.stamp import Stamp, make_stamp
from labournet.model.dates import DateLike
from labournet.views._page import PageData, build_page_data, view_dates
from labournet.views.select import (
    LARGE_GRAPH_NODES,
    PHYSICS_MAX_NODES,
    CutMarks,
    NodeValues,
    View,
    ViewKind,
    cut_scenario,
    find_regime,
    flow_cut_marks,
    node_values,
    select_view,
)

if TYPE_CHECKING:
    import pandas as pd

    from labournet.analysis.pressure import PressureResult

__all__ = [
    "build_html",
    "export_html",
    "export_views",
    "scores_from_pressure",
    "DEFAULT_WIDTH_BY",
    "SCORE_COLUMNS",
]

DEFAULT_WIDTH_BY: tuple[str, ...] = ("workers", "revenue")
"""Edge width measures: each edge takes the first of these it has a figure for, scaled
against the largest value of that same measure in the view."""

_LAYOUT_ITERATIONS = 30
_SCRIPT_END = re.compile(r"</(script)|<!--", re.IGNORECASE)

Layout = Literal["auto", "physics", "precomputed"]


def safe_json(value: Any) -> str:
    """JSON that is safe inside an HTML ``<script>`` element.

    ``<``, ``>`` and ``&`` become ``\\u003c`` etc., so no ``</script>`` or ``<!--`` can end or
    bend the element; U+2028 and U+2029 are escaped for old JavaScript parsers.

    >>> safe_json({"name": "</script><b>"})
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    try:
        text = json.dumps(value, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as error:
        raise ExportError(f"cannot write the view's data as JSON: {error}") from error
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def build_html(
    source: Network,
    *,
    title: str | None = None,
    view: ViewKind = "auto",
    scores: pd.DataFrame | None = None,
    size_by: str = "pressure_score",
    width_by: str | Sequence[str] = DEFAULT_WIDTH_BY,
    top_k: int = 10,
    focus: str | None = None,
    depth: int = 1,
    cut: Iterable[str] = (),
    regime: str | None = None,
    max_nodes: int = LARGE_GRAPH_NODES,
    layout: Layout = "auto",
    seed: int = 0,
    vis_options: Mapping[str, Any] | None = None,
    notes: Sequence[str] = (),
    as_of: DateLike | None = None,
    stamp: Stamp | None = None,
) -> str:
    """The HTML page of one view of ``source`` (a Dataset or a networkx graph).

    Parameters
    ----------
    view:
        ``network`` (everything), ``top`` (the ``top_k`` nodes by ``size_by`` and their
        neighbours), ``focus`` (``focus`` and everything within ``depth`` steps) or ``auto``
        (focus if given, top above ``max_nodes`` nodes, else network).
    scores:
        Optional DataFrame indexed by node id with numeric columns (``pressure_score``,
        ``betweenness``, ...). Nodes are sized by ``size_by``, or by degree if it is absent;
        tooltips list each node's scores and ranks.
    width_by:
        Measure (or measures, first found wins) whose edge figures set edge widths.
    cut:
        A scenario's cuts (ids, or ID=FRACTION for part of one): evaluated by the flow
        analysis (`labournet.analysis.scenario`), which marks the cuts and every candidate
        whose flows to the regime they all remove, and gives the money lost, gross and net of
        re-routing. On a network without flows to analyse, what loses its connection to the
        ``regime`` node is marked instead, and the page says so.
    layout:
        ``physics`` (laid out in the browser), ``precomputed`` (in Python, physics off) or
        ``auto`` (precomputed above `PHYSICS_MAX_NODES` drawn nodes).
    vis_options:
        vis-network options merged over the defaults (e.g. ``{"physics": {"solver": ...}}``).
    notes:
        Lines shown in the page's note (escaped), e.g. the tensions a report found.
    as_of:
        The date (a day, month or year) the page's date control opens at: the snapshot as of
        its last day, by the rule of `labournet.Dataset.as_of`. By default the page shows all
        dates. The control appears when anything drawn is dated (`view_dates`).
    stamp:
        What made the page (`labournet.io.stamp`): shown at its foot and in a ``labournet-stamp``
        meta element; by default the stamp of ``source`` and this call.
    """
    G = as_graph(source)
    if G.number_of_nodes() == 0:
        raise ExportError("the network is empty: nothing to draw")
    measures = (width_by,) if isinstance(width_by, str) else tuple(width_by)
    values = node_values(G, scores, size_by)
    chosen = select_view(
        G, values, view=view, top_k=top_k, focus=focus, depth=depth, max_nodes=max_nodes
    )
    cut_ids = tuple(cut)
    marks, flows = _cut(G, cut_ids, regime) if cut_ids else (None, None)
    try:
        regime_node: Hashable | None = marks.regime if marks else find_regime(G, regime)
    except ExportError:
        if regime is not None:
            raise
        regime_node = None
    shown = set(chosen.nodes)
    if marks is not None:
        shown |= marks.cut_nodes
    if layout not in ("auto", "physics", "precomputed"):
        raise ExportError(f"unknown layout '{layout}' (use auto, physics or precomputed)")
    part = PageData.of(G, shown)
    precompute = layout == "precomputed" or (
        layout == "auto" and len(part.nodes) > min(max_nodes, PHYSICS_MAX_NODES)
    )
    data = build_page_data(
        G,
        part,
        values=values,
        view=chosen,
        marks=marks,
        regime=regime_node,
        scores=scores,
        measures=measures,
        positions=_layout(part, seed) if precompute else None,
    )
    dates = view_dates(part, as_of)
    data["dates"] = dates.data
    name = str(G.graph.get("name") or "network")
    data.update(
        title=title if title is not None else f"{name}: {_view_phrase(G, chosen, values, marks)}",
        subtitle=(
            f"{len(part.nodes):,} of {plural(G.number_of_nodes(), 'entity', grouped=True)}, "
            f"{len(part.edges):,} of {plural(G.number_of_edges(), 'relation', grouped=True)}"
        ),
        note=" ".join(filter(None, (chosen.note, *notes, dates.note))),
        view=chosen.kind,
        layout="precomputed" if precompute else "physics",
        options=_vis_options(large=precompute, directed=G.is_directed()),
    )
    if flows is not None and data["cut"] is not None:
        data["cut"]["flows"] = flows
    if vis_options:
        _merge(data["options"], vis_options)
    data["stamp"] = (stamp or make_stamp(source, as_of=as_of, call="export_html()")).to_dict()
    return _render(data)


SCORE_COLUMNS: Mapping[str, str] = {
    "score": "pressure_score",
    "revenue_best": "revenue_best",
    "workers_best": "workers_best",
    "dependent_hosts": "dependent_hosts",
    "n_actors": "n_actors",
}
"""Columns of `labournet.analysis.pressure.pressure_points` a view shows, under their names."""


def scores_from_pressure(result: PressureResult) -> pd.DataFrame:
    """Node scores for a view from a pressure analysis (``score`` becomes ``pressure_score``);
    relation candidates are dropped by the view, as they are not nodes.

    The analysis's own ranks within levels travel in ``attrs["levels"]`` (level and rank of
    each candidate, each level's size, and the order of `PressureResult.leaders`), so the view
    says "rank 4 of 11 hosts" as the report does, and its top view lists the leaders of each
    level, not residual buckets, in the same order.
    """
    table = result.to_frame()
    scores = table[list(SCORE_COLUMNS)].rename(columns=SCORE_COLUMNS).astype(float)
    sizes = table["level"].map(table["level"].value_counts())
    scores.attrs["levels"] = {
        "column": "pressure_score",
        "level": table["level"].to_dict(),
        "rank": table["rank"].astype(int).to_dict(),
        "size": sizes.astype(int).to_dict(),
        "order": [p.id for p in result.leaders(len(result))],
    }
    return scores


def _cut(
    G: nx.MultiDiGraph, cut: tuple[str, ...], regime: str | None
) -> tuple[CutMarks, dict[str, Any]]:
    """What a cut removes, from the flow analysis (`labournet.analysis.scenario`) when the
    network has flows to analyse, else from the graph's links; and the numbers to show."""
    from labournet.analysis.flows import Range
    from labournet.analysis.scenario import scenario
    from labournet.errors import AnalysisError

    try:
        result = scenario(G, cut, regime=regime)
    except AnalysisError as error:
        return cut_scenario(G, cut, regime=regime), {"error": str(error)}

    def text(r: Range) -> str:
        return f"{format_quantity(r.best)} ({format_quantity(r.low)}–{format_quantity(r.high)})"

    marks = flow_cut_marks(
        G,
        [c.item for c in result.cuts],
        result.lost_entirely,
        regime=find_regime(G, regime),
        requested=[str(c) for c in result.cuts],
    )
    return marks, {
        "revenue": text(result.gross.revenue) + " USD per year",
        "net": text(result.net.revenue) + " USD per year",
        "share": f"{result.revenue_lost_share * 100:.0f}%",
        "workers": text(result.gross.workers),
        "substitution": f"{result.substitution * 100:.0f}%",
        "assumed": bool(result.assumptions),
    }


def _view_phrase(G: nx.MultiDiGraph, view: View, values: NodeValues, marks: Any) -> str:
    if view.kind == "top":
        return f"top {len(view.top)} by {values.label} and their neighbours"
    if view.kind == "focus":
        name = G.nodes[view.focus].get("name", view.focus)
        steps = "step" if view.depth == 1 else "steps"
        return f"{name} and everything within {view.depth} {steps}"
    return "the whole network" + (" with a scenario cut" if marks is not None else "")


def export_html(source: Network, path: str | Path, **options: Any) -> Path:
    """Write `build_html` of ``source`` to ``path`` and return the path.

    >>> import labournet, tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "view.html"
    >>> export_html(labournet.load_dataset(), out, view="top", top_k=3) == out
    True
    """
    page = build_html(source, **options)
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
    except OSError as error:
        raise ExportError(f"cannot write {target}: {error}") from error
    return target


def export_views(
    source: Network,
    folder: str | Path,
    *,
    scores: pd.DataFrame | None = None,
    top_k: int = 10,
    **options: Any,
) -> dict[str, Path]:
    """Write the views a report links to: ``network.html`` and ``pressure-points.html``.

    The network view falls back to the top-k view (with a note) above `LARGE_GRAPH_NODES`.
    Returns the written files by view name. ``labournet report`` calls this.
    """
    G = as_graph(source)
    out = Path(folder)
    return {
        "network": export_html(
            G, out / "network.html", view="auto", scores=scores, top_k=top_k, **options
        ),
        "top": export_html(
            G, out / "pressure-points.html", view="top", scores=scores, top_k=top_k, **options
        ),
    }


def _layout(sub: PageData, seed: int) -> dict[Hashable, tuple[float, float]]:
    """Positions for a large view: igraph's grid Fruchterman-Reingold, in vis-network units.

    Without igraph (``pip install 'labournet[fast]'``) networkx's spring layout places the
    nodes, with a warning: the same algorithm, tens of times slower (here about 20 s for 2,000
    nodes, 5 minutes for 10,000; networkx's spectral layout is fast but collapses a network
    with several components onto a few points).
    """
    import numpy as np

    nodes = [node for node, _ in sub.nodes]
    count = len(nodes)
    if count == 1:
        return {nodes[0]: (0.0, 0.0)}
    index = {node: i for i, node in enumerate(nodes)}
    edges = [(index[u], index[v]) for u, v, _, _ in sub.edges if u != v]
    try:
        import igraph
    except ImportError:
        coords = _networkx_layout(count, edges, seed)
    else:
        graph = igraph.Graph(n=count, edges=edges, directed=False)
        # the grid variant is only fast when nodes start spread over about sqrt(n) units
        spread = math.sqrt(count) / 2
        start = np.random.default_rng(seed).uniform(-spread, spread, size=(count, 2)).tolist()
        coords = np.asarray(
            graph.layout_fruchterman_reingold(
                seed=start, niter=_LAYOUT_ITERATIONS, grid=count > 1000
            ).coords
        )
    coords -= coords.mean(axis=0)
    extent = float(np.abs(coords).max()) or 1.0
    # about 60 px of room per node on each side of the square the view fills
    coords = np.round(coords * (30.0 * math.sqrt(count) / extent), 1)
    return {node: (float(coords[i, 0]), float(coords[i, 1])) for i, node in enumerate(nodes)}


def _networkx_layout(count: int, edges: list[tuple[int, int]], seed: int) -> Any:
    import warnings

    import numpy as np

    warnings.warn(
        f"{plural(count, 'node')} laid out by networkx's spring layout, which is slower "
        "(minutes for thousands of nodes): igraph is not installed (pip install "
        "'labournet[fast]')",
        stacklevel=4,
    )
    H = nx.Graph()
    H.add_nodes_from(range(count))
    H.add_edges_from(edges)
    positions = nx.spring_layout(H, iterations=_LAYOUT_ITERATIONS, seed=seed)
    return np.array([positions[i] for i in range(count)], dtype=np.float64)


def _vis_options(*, large: bool, directed: bool) -> dict[str, Any]:
    """vis-network options, started from pyvis's defaults and its physics presets."""
    from pyvis.network import Network

    net = Network(directed=directed, height="100%", width="100%", cdn_resources="in_line")
    net.force_atlas_2based(
        gravity=-140,
        central_gravity=0.015,
        spring_length=140,
        spring_strength=0.06,
        damping=0.5,
        overlap=1,
    )
    net.toggle_hide_edges_on_drag(large)
    net.toggle_physics(not large)
    net.set_edge_smooth("continuous")
    options: dict[str, Any] = json.loads(net.options.to_json())
    options["physics"]["stabilization"] = {
        "enabled": not large,
        "iterations": 600,
        "updateInterval": 25,
        "fit": True,
    }
    options["physics"]["minVelocity"] = 1.5
    options["edges"] = {
        "arrows": {"to": {"enabled": directed, "scaleFactor": 0.6}},
        "color": {"inherit": False},
        "smooth": False if large else {"enabled": True, "type": "continuous", "roundness": 0.35},
        "selectionWidth": 2,
    }
    options["nodes"] = {
        "font": {
            "size": 17,
            "face": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
            "color": "#1a1a1a",
            "strokeWidth": 4,
            "strokeColor": "#ffffff",
        },
        "scaling": {"label": {"enabled": False}},
        "widthConstraint": {"maximum": 150},
    }
    if large:
        # labels appear only when zoomed in far enough to read them
        options["nodes"]["scaling"] = {"label": {"enabled": True, "drawThreshold": 9}}
    options["interaction"] = {
        "hover": True,
        "tooltipDelay": 100,
        "hideEdgesOnDrag": large,
        "hideEdgesOnZoom": large,
        "navigationButtons": False,
        "keyboard": {"enabled": True, "bindToWindow": False},
        "multiselect": False,
    }
    options["layout"] = {"randomSeed": 7, "improvedLayout": not large}
    options.pop("configure", None)
    return options


def _merge(base: dict[str, Any], extra: Mapping[str, Any]) -> None:
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = value


_ASSETS_CACHE: dict[str, str] = {}


def _asset(name: str) -> str:
    """A file of labournet's page template, or vis-network's script or stylesheet."""
    if name not in _ASSETS_CACHE:
        if name.startswith("vis-network"):
            _ASSETS_CACHE.update(_vis_assets())
        else:
            folder = files("labournet.views").joinpath("templates")
            _ASSETS_CACHE[name] = folder.joinpath(name).read_text(encoding="utf-8")
    return _ASSETS_CACHE[name]


_VIS_BANNER = re.compile(r"\s*/\*\*\s*\*\s*vis-network\b")


def _vis_assets() -> dict[str, str]:
    """vis-network's JavaScript and CSS as pyvis puts them in-line in its own page.

    ``Network(cdn_resources="in_line")`` renders pyvis's template with the vis-network release
    it ships as inline ``<script>`` and ``<style>`` elements (and a CDN link to Bootstrap,
    which labournet leaves out); they are taken from there, the route pyvis supports, not
    from its package folder. pyvis 0.3 ships vis-network 9.1.2.
    """
    from html.parser import HTMLParser

    try:
        import pyvis
        from pyvis.network import Network
    except ModuleNotFoundError as error:
        raise ExportError("pyvis is not installed; it ships the vis-network library") from error

    class InlineBlocks(HTMLParser):
        """The text of every <script> and <style> element without a src attribute."""

        def __init__(self) -> None:
            super().__init__(convert_charrefs=False)
            self.blocks: list[tuple[str, str]] = []
            self._open: tuple[str, list[str]] | None = None

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag in ("script", "style") and "src" not in dict(attrs):
                self._open = (tag, [])

        def handle_data(self, data: str) -> None:
            if self._open is not None:
                self._open[1].append(data)

        def handle_endtag(self, tag: str) -> None:
            if self._open is not None and tag == self._open[0]:
                self.blocks.append((tag, "".join(self._open[1])))
                self._open = None

    parser = InlineBlocks()
    parser.feed(Network(cdn_resources="in_line").generate_html())
    parser.close()
    script = [text for tag, text in parser.blocks if tag == "script" and _VIS_BANNER.match(text)]
    style = [text for tag, text in parser.blocks if tag == "style" and ".vis-network" in text]
    if len(script) != 1 or len(style) != 1:
        raise ExportError(
            f"pyvis {getattr(pyvis, '__version__', '?')} does not inline vis-network as "
            "pyvis 0.3 does; labournet's views are tested with pyvis>=0.3.2,<0.4"
        )
    return {"vis-network.min.js": script[0], "vis-network.css": style[0]}


def _inline(code: str, what: str) -> str:
    """Code to place inside a <script>/<style> element, refused if it could close it early."""
    match = _SCRIPT_END.search(code) or re.search(r"</style", code, re.IGNORECASE)
    if match:
        raise ExportError(f"{what} contains '{match.group(0)}' and cannot be inlined safely")
    return code


def _hash(code: str) -> str:
    digest = hashlib.sha256(code.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _render(data: dict[str, Any]) -> str:
    # the hashes in the policy cover each script element's exact text
    vis_js = "\n" + _inline(_asset("vis-network.min.js"), "vis-network.min.js") + "\n"
    app_js = "\n" + _inline(_asset("view.js"), "view.js") + "\n"
    vis_css = _inline(_asset("vis-network.css"), "vis-network.css")
    app_css = _inline(_asset("view.css"), "view.css")
    policy = (
        "default-src 'none'; "
        f"script-src {_hash(vis_js)} {_hash(app_js)}; "
        "style-src 'unsafe-inline'; img-src data:; font-src data:; "
        "base-uri 'none'; form-action 'none'"
    )
    escape = html.escape
    note = data["note"]
    stamp = data["stamp"]
    when = "; choose a date to see the network then" if data.get("dates") else ""
    parts = [
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
        f'<meta http-equiv="Content-Security-Policy" content="{escape(policy)}">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        '<meta name="generator" content="labournet">\n',
        f'<meta name="labournet-stamp" content="{escape(json.dumps(stamp))}">\n',
        f"<title>{escape(data['title'])}</title>\n",
        f"<style>\n{vis_css}\n</style>\n<style>\n{app_css}\n</style>\n</head>\n<body>\n",
        '<header id="ln-header">\n',
        f'<h1 id="ln-title">{escape(data["title"])}</h1>\n',
        f'<p id="ln-subtitle">{escape(data["subtitle"])}'
        '<span id="ln-help"> · hover or click an entity or relation for its figures and '
        f"sources; untick a kind to hide it{when}</span></p>\n",
        f'<p id="ln-note" role="note">{escape(note)}</p>\n' if note else "",
        "</header>\n",
        '<main id="ln-main">\n<aside id="ln-side" aria-label="Legend and filters"></aside>\n',
        '<div id="ln-network" aria-label="Network view"></div>\n',
        '<div id="ln-tooltip" role="tooltip" hidden></div>\n</main>\n',
        '<script type="application/json" id="ln-data">',
        safe_json(data),
        "</script>\n",
        f"<script>{vis_js}</script>\n",
        f"<script>{app_js}</script>\n",
        f'<footer id="ln-stamp">{escape(Stamp(**stamp).line())}</footer>\n',
        "</body>\n</html>\n",
    ]
    return "".join(parts)
