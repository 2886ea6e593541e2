"""Node centralities with networkx's values, computed by a compiled engine on large graphs.

`centrality` returns one column per measure, each equal to the networkx function named in
`REFERENCES` applied to the graph's *projection* (below). Small graphs are computed by networkx
itself. From `ENGINE_THRESHOLD` nodes on, exact unweighted betweenness goes to whichever of
rustworkx (parallel), igraph (one thread) and networkit is expected to finish first: each
one's CPU cost on this size of graph over the cores it would get, free cores read from the
process's affinity and the other processes' load, watched for a quarter of a second when it
decides and the work is worth the wait (else the load average; igraph takes k-sampled sources,
networkit weighted graphs, rustworkx endpoints). Unweighted closeness and harmonic go to a
numpy bit-parallel breadth-first search (weighted: networkit or igraph), and eigenvector,
PageRank and Katz to numpy/scipy replays of networkx's own iterations. Degree is counted by
networkx on a simple graph, by numpy on a projection. Every engine path is tested against
networkx to 1e-9.

rustworkx, igraph and networkit are the optional extra ``pip install 'labournet[fast]'``.
Without it, naming one of them (``engine="rustworkx"``) is an `AnalysisError` that says how
to install it, and "auto" computes what they would have by networkx, with one warning on a
graph large enough to have used them. Whatever labournet hands to networkx goes through
networkx's own backend dispatch, so a backend configured there (``nx.config.backend_priority``,
``NETWORKX_BACKEND_PRIORITY``) serves those calls.

The projection: what each measure is computed on
-------------------------------------------------
Measures are computed on a simple graph (no parallel edges) made from ``G``:

1. ``relation_kinds``: keep only edges whose ``kind`` attribute is one of them (nodes stay).
2. ``directed``: ``None`` keeps the graph's own direction; ``False`` reads a directed graph as
   undirected, so ``u -> v`` and ``v -> u`` become one undirected link.
3. Parallel edges (of a multigraph, or the two directions merged by step 2) become one edge.
   How its weight is read depends on the measure:

   * **distance** measures (betweenness, closeness, harmonic) read ``weight`` as a length: the
     merged edge has the *smallest* weight (the shortest way between the two nodes, which is
     also what networkx's shortest paths use on a multigraph);
   * **strength** measures (eigenvector, PageRank, Katz) read ``weight`` as a tie strength: the
     merged edge has the *sum* of the weights;
   * **degree** measures count linked neighbours and do not read the weight;
   * without a weight every merged edge is one unweighted link.

   An edge without the weight attribute weighs 1, as in networkx.

`project_graph` returns that simple graph, so ``nx.betweenness_centrality(project_graph(G,
weight="w"), weight="w")`` reproduces the ``betweenness`` column. On a simple Graph or DiGraph
with no filter the projection is the graph itself. The returned frame's
``.attrs["projection"]`` records, per measure, the direction, the weight and how it was read,
the multi-edge rule, the relation kinds, exact or sampled (k, seed), the parameters, the
engine and why it was chosen (``engine_reason``: for "auto" betweenness, the expected times it
compared and the free cores); `describe_projection` turns that into text for a report. Naming
an engine (``engine="igraph"``) takes the choice out of the machine's load.

Conventions (networkx's, whatever the engine)
---------------------------------------------
* closeness: distances *to* the node on directed graphs (incoming paths), scaled by the
  Wasserman-Faust factor ``r / (n - 1)`` for the ``r`` nodes that reach it (``wf_improved``);
* betweenness: sums over ordered pairs scaled by ``1 / ((n - 1)(n - 2))`` when normalised,
  halved for undirected graphs when not; ``k`` sampled sources drawn as networkx draws them;
* harmonic: the sum of ``1 / d`` over the nodes that reach the node, not normalised;
* eigenvector: power iteration on ``A + I`` from the uniform vector, unit Euclidean length;
* PageRank: ``alpha`` 0.85, uniform teleport, dangling nodes spread uniformly, networkx's stop
  rule (L1 change below ``n * tol``), so the values are networkx's, not the exact fixed point;
* Katz: ``alpha`` 0.1, ``beta`` 1, unit Euclidean length.

Example:
    >>> import networkx as nx
    >>> G = nx.DiGraph([("a", "b"), ("b", "c")])
    >>> frame = centrality(G, ["in_degree", "betweenness"])
    >>> frame.to_dict(orient="index")["b"]
    {'in_degree': 0.5, 'betweenness': 0.5}
    >>> frame.attrs["projection"]["betweenness"]["engine"]
    'networkx'
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Collection, Iterable, Mapping
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

import labournet.analysis._engines as _engines
from labournet._text import plural
from labournet.errors import AnalysisError, did_you_mean

__all__ = [
    "centrality",
    "rank_nodes",
    "describe_projection",
    "project_graph",
    "MEASURES",
    "DISTANCE_MEASURES",
    "STRENGTH_MEASURES",
    "ENGINES",
    "ENGINE_THRESHOLD",
    "REFERENCES",
    "ConvergenceWarning",
    "NotConvergedError",
]

MEASURES = (
    "degree",
    "in_degree",
    "out_degree",
    "betweenness",
    "closeness",
    "harmonic",
    "eigenvector",
    "pagerank",
    "katz",
)
"""Every measure, in the column order of `centrality`."""

DEGREE_MEASURES = frozenset({"degree", "in_degree", "out_degree"})
DISTANCE_MEASURES = frozenset({"betweenness", "closeness", "harmonic"})
"""Measures that read the weight as a distance (a length along a path)."""
STRENGTH_MEASURES = frozenset({"eigenvector", "pagerank", "katz"})
"""Measures that read the weight as a strength (a heavier edge passes on more)."""

REFERENCES = {
    "degree": "networkx.degree_centrality",
    "in_degree": "networkx.in_degree_centrality",
    "out_degree": "networkx.out_degree_centrality",
    "betweenness": "networkx.betweenness_centrality",
    "closeness": "networkx.closeness_centrality",
    "harmonic": "networkx.harmonic_centrality",
    "eigenvector": "networkx.eigenvector_centrality",
    "pagerank": "networkx.pagerank",
    "katz": "networkx.katz_centrality",
}
"""The networkx function each measure equals, on the projection."""

ENGINES = ("auto", "networkx", "igraph", "networkit", "rustworkx", "scipy")
"""Values of ``engine=``. "scipy" is labournet's numpy/scipy code: networkx's own iterations
for degree, eigenvector, PageRank and Katz, and a bit-parallel breadth-first search for
unweighted closeness and harmonic."""

ENGINE_THRESHOLD = 100
"""With ``engine="auto"``, graphs with fewer nodes are computed by networkx itself."""

_FAST_EXTRA = "pip install 'labournet[fast]'"
"""How to install the compiled engines (igraph, networkit, rustworkx)."""

# engines tried in order with engine="auto" (each must also support the request, see _refusal)
_AUTO_ORDER = {
    "degree": ("scipy",),
    "in_degree": ("scipy",),
    "out_degree": ("scipy",),
    "betweenness": ("rustworkx", "igraph", "networkit"),
    "closeness": ("scipy", "networkit", "igraph", "rustworkx"),
    "harmonic": ("scipy", "igraph", "networkit"),
    "eigenvector": ("scipy",),
    "pagerank": ("scipy",),
    "katz": ("scipy",),
}

_MEASURE_OPTIONS: dict[str, dict[str, Any]] = {
    "closeness": {"wf_improved": True},
    "eigenvector": {"max_iter": 100, "tol": 1.0e-6},
    "pagerank": {"alpha": 0.85, "max_iter": 100, "tol": 1.0e-6},
    "katz": {"alpha": 0.1, "beta": 1.0, "max_iter": 1000, "tol": 1.0e-6, "normalized": True},
}
"""Per-measure options (``pagerank={"alpha": 0.9}``) and their networkx defaults."""


def centrality(
    G: nx.Graph,
    measures: str | Iterable[str] | None = None,
    weight: str | None = None,
    *,
    directed: bool | None = None,
    relation_kinds: Collection[str] | None = None,
    normalized: bool = True,
    endpoints: bool = False,
    k: int | None = None,
    seed: Any = None,
    engine: str = "auto",
    **options: Mapping[str, Any],
) -> pd.DataFrame:
    """Node centralities, one column per measure, equal to networkx's.

    Parameters
    ----------
    G : networkx Graph, DiGraph, MultiGraph or MultiDiGraph
    measures : str or iterable of str, optional
        Any of `MEASURES`. ``None`` computes all of them that apply: ``in_degree`` and
        ``out_degree`` only for a directed projection.
    weight : str, optional
        Edge attribute holding the weight. Betweenness, closeness and harmonic read it as a
        distance, eigenvector, PageRank and Katz as a strength; degree ignores it. ``None``
        (default) treats every edge as one unweighted link.
    directed : bool, optional
        ``False`` reads a directed graph as undirected. ``None`` keeps the graph's direction.
    relation_kinds : collection of str, optional
        Keep only edges whose ``kind`` attribute is one of these. ``None`` keeps every edge.
    normalized : bool
        Normalise betweenness as networkx does (default True).
    endpoints : bool
        Count path endpoints in betweenness (default False).
    k : int, optional
        Estimate betweenness from ``k`` sampled source nodes (approximate) instead of all.
    seed : int, random.Random or None
        Seed of the ``k`` sample; the same seed samples the same sources as networkx.
    engine : str
        One of `ENGINES`. "auto" (default) uses networkx below `ENGINE_THRESHOLD` nodes and
        the fastest installed engine that matches networkx above it (for exact betweenness,
        the one expected to finish first on the cores free now). A named engine computes
        every measure it supports; the others fall back to networkx (recorded in the
        projection metadata).
    **options : mapping
        Per-measure options with networkx's names and defaults:
        ``closeness={"wf_improved": True}``, ``eigenvector={"max_iter": 100, "tol": 1e-6}``,
        ``pagerank={"alpha": 0.85, "max_iter": 100, "tol": 1e-6}``,
        ``katz={"alpha": 0.1, "beta": 1.0, "max_iter": 1000, "tol": 1e-6,
        "normalized": True}``.

    Returns
    -------
    pandas.DataFrame
        Indexed by node id (``node``) in the graph's node order, one float column per measure,
        so ``frame.head(3)`` is the first three nodes of the file, not the top three: rank
        with `rank_nodes` (``rank_nodes(frame, k=3)`` is the top three by the first measure).
        ``.attrs["projection"]`` maps each measure to a description of what it was computed
        on (see `describe_projection`).

    Raises
    ------
    AnalysisError
        An unknown measure, option or engine; in/out degree of an undirected graph; a
        negative, missing or non-numeric distance; an iterative measure that was asked for
        by name and did not converge. When ``measures`` is None, a measure that does not
        converge becomes a column of NaN with a warning and a note in its metadata.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph([("a", "b", {"w": 1.0}), ("b", "c", {"w": 3.0})])
    >>> frame = centrality(G, ["closeness", "pagerank"], weight="w")
    >>> frame["closeness"].round(3).to_dict()  # a: 2 / (1 + 4), c: 2 / (3 + 4)
    {'a': 0.4, 'b': 0.5, 'c': 0.286}
    >>> frame["pagerank"].round(3).to_dict()  # read as strength: c's tie (3) beats a's (1)
    {'a': 0.153, 'b': 0.486, 'c': 0.36}
    >>> frame.attrs["projection"]["closeness"]["reading"]
    'distance'
    """
    wanted, explicit = _measures(G, measures, directed)
    settings = _options(options)
    engine = _engine_name(engine)
    kinds = _kinds(relation_kinds)
    _check_weight(G, weight)
    is_directed = G.is_directed() if directed is None else bool(directed)
    if is_directed and not G.is_directed():
        raise AnalysisError("directed=True needs a directed graph; this graph is undirected")
    n = G.number_of_nodes()
    if k is not None and not (isinstance(k, int) and 1 <= k <= n):
        raise AnalysisError(f"k must be a whole number from 1 to the {n} nodes, not {k!r}")
    sampled = k is not None and k < n
    needs_weight = weight is not None and any(m not in DEGREE_MEASURES for m in wanted)
    merge = G.is_multigraph() or (G.is_directed() and not is_directed)
    # a simple graph with no kind filter is its own unweighted projection: its degrees need no
    # edge arrays, networkx counts them directly
    plain_degree = not merge and kinds is None and engine in ("auto", "networkx")
    needs_arrays = any(not (plain_degree and m in DEGREE_MEASURES) for m in wanted)
    edges = (
        _engines.edge_arrays(G, weight if needs_weight else None, kinds) if needs_arrays else None
    )
    readers = [m for m in wanted if m in DISTANCE_MEASURES]
    if readers and edges is not None and edges.weight is not None and (edges.weight < 0).any():
        raise AnalysisError(
            f"weight '{weight}' is read as a distance by {', '.join(readers)} and must not be "
            "negative"
        )
    projections: dict[str, _engines.Projection] = {}

    def projection(reading: str) -> _engines.Projection | None:
        if edges is None:
            return None
        if reading not in projections:
            source = edges if reading != "unweighted" else _unweighted(edges)
            projections[reading] = _engines.project(
                source, directed=is_directed, multi=merge, reading=reading
            )
        return projections[reading]

    columns: dict[str, np.ndarray] = {}
    metadata: dict[str, dict[str, Any]] = {}
    shared: dict[Any, Any] = {}  # work that two measures share (closeness and harmonic)
    slower: list[str] = []  # measures a compiled engine would have computed, had it been installed
    for measure in wanted:
        reading = _reading(measure, weight)
        params = _parameters(measure, settings, normalized=normalized, endpoints=endpoints)
        p = None if plain_degree and measure in DEGREE_MEASURES else projection(reading)
        if p is None:
            chosen, why, note = "networkx", "networkx counts a simple graph's degrees", ""
            size = (n, G.number_of_edges())
        else:
            chosen, why, note, missing = _choose_engine(engine, measure, p, params, sampled=sampled)
            size = (p.n, p.m)
            if missing:
                slower.append(measure)
        info: dict[str, Any] = {
            "measure": measure,
            "reference": REFERENCES[measure],
            "engine": chosen,
            "engine_reason": why,
            "directed": is_directed,
            "weight": weight if reading in ("distance", "strength") else None,
            "reading": reading,
            "multi_edges": _multi_edge_rule(G, is_directed, reading, merge),
            "relation_kinds": kinds,
            "nodes": size[0],
            "edges": size[1],
            "exact": not (measure == "betweenness" and sampled),
            "k": k if measure == "betweenness" and sampled else None,
            "seed": _seed_label(seed) if measure == "betweenness" and sampled else None,
            "parameters": params,
            "note": note,
        }
        if p is None:
            columns[measure] = _plain_degree(G, measure)
            metadata[measure] = info
            continue
        try:
            columns[measure] = _compute(
                chosen, measure, p, params, weight=weight if reading != "unweighted" else None,
                G=G, k=k if sampled else None, seed=seed, shared=shared,
            )  # fmt: skip
        except _engines.NotConverged as error:
            if explicit:
                raise NotConvergedError(measure, error.max_iter, error.diverged) from None
            warning = ConvergenceWarning(measure, error.max_iter, error.diverged)
            message = str(warning)
            warnings.warn(warning, stacklevel=2)
            columns[measure] = np.full(p.n, np.nan)
            info["note"] = _append(info["note"], message)
        metadata[measure] = info
    if slower:
        warnings.warn(
            f"{', '.join(slower)} on {plural(n, 'node')} computed by networkx, which is "
            f"slower: the compiled engines are not installed ({_FAST_EXTRA})",
            stacklevel=2,
        )
    frame = pd.DataFrame(columns, index=pd.Index(list(G), name="node"), columns=wanted)
    frame = frame.astype(np.float64)
    frame.attrs["projection"] = metadata
    return frame


def rank_nodes(
    frame: pd.DataFrame, measure: str | None = None, k: int | None = None
) -> pd.DataFrame:
    """The rows of a `centrality` frame ranked by ``measure``, highest first.

    ``measure`` defaults to the frame's first column; ties keep the graph's node order and
    NaN (a measure that did not converge) comes last. ``k`` keeps the first ``k`` rows (None or
    0 keeps all). The projection metadata travels with the rows; `labournet centrality` ranks
    its tables, CSV and JSON this way.

    Examples
    --------
    >>> import networkx as nx
    >>> frame = centrality(nx.path_graph("abcde"), ["betweenness"])  # c is in the middle
    >>> rank_nodes(frame, k=3)["betweenness"].round(3).to_dict()  # b before d: graph order
    {'c': 0.667, 'b': 0.5, 'd': 0.5}
    """
    if measure is None:
        if not len(frame.columns):
            return frame
        measure = str(frame.columns[0])
    if measure not in frame.columns:
        raise AnalysisError(
            f"no centrality column '{measure}'{did_you_mean(measure, map(str, frame.columns))}; "
            f"columns: {', '.join(map(str, frame.columns))}"
        )
    if k is not None and (not isinstance(k, int) or k < 0):
        raise AnalysisError(f"k must be a whole number, 0 or more, not {k!r}")
    ranked = frame.sort_values(measure, ascending=False, kind="stable", na_position="last")
    return ranked.head(k) if k else ranked


def project_graph(
    G: nx.Graph,
    weight: str | None = None,
    *,
    reading: str = "distance",
    directed: bool | None = None,
    relation_kinds: Collection[str] | None = None,
) -> nx.Graph:
    """The simple graph that `centrality` computes on, as a networkx Graph or DiGraph.

    ``reading`` is "distance" (parallel edges keep their smallest weight) or "strength" (they
    add up). Nodes keep ``G``'s order; edges carry only ``weight`` (as a float), if given.

    Examples
    --------
    >>> import networkx as nx
    >>> M = nx.MultiDiGraph([("a", "b", {"w": 2.0}), ("a", "b", {"w": 3.0}), ("b", "c", {})])
    >>> sorted(project_graph(M, "w").edges(data="w"))
    [('a', 'b', 2.0), ('b', 'c', 1.0)]
    >>> sorted(project_graph(M, "w", reading="strength").edges(data="w"))
    [('a', 'b', 5.0), ('b', 'c', 1.0)]
    """
    if reading not in ("distance", "strength"):
        raise AnalysisError(f"reading must be 'distance' or 'strength', not {reading!r}")
    is_directed = G.is_directed() if directed is None else bool(directed)
    if is_directed and not G.is_directed():
        raise AnalysisError("directed=True needs a directed graph; this graph is undirected")
    kinds = _kinds(relation_kinds)
    _check_weight(G, weight)
    edges = _engines.edge_arrays(G, weight, kinds)
    merge = G.is_multigraph() or (G.is_directed() and not is_directed)
    p = _engines.project(edges, directed=is_directed, multi=merge, reading=reading)
    return _engines.to_networkx(p, weight, G)


def describe_projection(
    result: pd.DataFrame | Mapping[str, Mapping[str, Any]], measure: str | None = None
) -> str:
    """Say in words what each centrality column was computed on, one line per measure.

    ``result`` is a frame returned by `centrality` (or its ``.attrs["projection"]``).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph([("a", "b"), ("a", "b"), ("b", "c")])
    >>> print(describe_projection(centrality(G, ["betweenness", "pagerank"])))
    betweenness: exact; directed; unweighted (every edge is one link); parallel edges merged into one link; all relation kinds; 3 nodes, 2 edges; normalized; networkx.betweenness_centrality by networkx
    pagerank: directed; unweighted (every edge is one link); parallel edges merged into one link; all relation kinds; 3 nodes, 2 edges; alpha=0.85, max_iter=100, tol=1e-06; networkx.pagerank by networkx
    """  # noqa: E501
    metadata = result.attrs.get("projection", {}) if isinstance(result, pd.DataFrame) else result
    if measure is not None:
        if measure not in metadata:
            raise AnalysisError(f"no projection recorded for '{measure}'")
        metadata = {measure: metadata[measure]}
    return "\n".join(_describe_one(name, info) for name, info in metadata.items())


# ---------------------------------------------------------------------------------------------
# arguments


def _measures(
    G: nx.Graph, measures: str | Iterable[str] | None, directed: bool | None
) -> tuple[list[str], bool]:
    is_directed = G.is_directed() and directed is not False
    if measures is None:
        names = [m for m in MEASURES if is_directed or m not in ("in_degree", "out_degree")]
        return names, False
    requested = [measures] if isinstance(measures, str) else list(measures)
    unknown = [m for m in requested if m not in MEASURES]
    if unknown:
        named = ", ".join(f"{m!r}{did_you_mean(m, MEASURES)}" for m in unknown)
        raise AnalysisError(
            f"unknown centrality measure{'s' if len(unknown) > 1 else ''} {named}; "
            f"valid measures: {', '.join(MEASURES)}"
        )
    names = list(dict.fromkeys(requested))
    undirected = [m for m in names if m in ("in_degree", "out_degree") and not is_directed]
    if undirected:
        raise AnalysisError(
            f"{' and '.join(undirected)} need a directed graph; this projection is undirected "
            "(use 'degree')"
        )
    return names, True


def _check_weight(G: nx.Graph, weight: str | None) -> None:
    """Refuse a weight attribute that no edge has: it is a misspelling, not a weighting.

    (An edge that lacks a weight the others have weighs 1, as in networkx.)
    """
    if weight is None or G.number_of_edges() == 0:
        return
    edges = G.edges(data=True)
    if any(weight in data for *_, data in edges):
        return
    known = sorted({str(key) for *_, data in edges for key in data})
    raise AnalysisError(
        f"no edge has the weight attribute '{weight}'{did_you_mean(weight, known)}; "
        + (f"edge attributes: {', '.join(known)}" if known else "the edges have no attributes")
    )


def _kinds(relation_kinds: Collection[str] | None) -> list[str] | None:
    if relation_kinds is None:
        return None
    if isinstance(relation_kinds, str):  # one kind, not its letters
        return [relation_kinds]
    return sorted(set(relation_kinds))


def _options(options: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    settings = {name: dict(defaults) for name, defaults in _MEASURE_OPTIONS.items()}
    for name, values in options.items():
        if name not in _MEASURE_OPTIONS:
            raise AnalysisError(
                f"unknown option '{name}'; options are directed, relation_kinds, normalized, "
                f"endpoints, k, seed, engine and per-measure mappings for "
                f"{', '.join(_MEASURE_OPTIONS)}"
            )
        if not isinstance(values, Mapping):
            raise AnalysisError(f"option '{name}' takes a mapping, e.g. {name}={{...}}")
        for key, value in values.items():
            if key not in _MEASURE_OPTIONS[name]:
                raise AnalysisError(
                    f"unknown {name} option '{key}'; valid: {', '.join(_MEASURE_OPTIONS[name])}"
                )
            settings[name][key] = value
    return settings


def _engine_name(engine: str) -> str:
    if engine not in ENGINES:
        raise AnalysisError(
            f"unknown engine {engine!r}{did_you_mean(engine, ENGINES)}; "
            f"valid engines: {', '.join(ENGINES)}"
        )
    if engine in _engines.ENGINE_MODULES and not _installed(engine):
        raise AnalysisError(
            f"engine '{engine}' is not installed; the compiled engines come with {_FAST_EXTRA}"
        )
    return engine


def _installed(engine: str) -> bool:
    module = _engines.ENGINE_MODULES.get(engine)
    if module is None:
        return True
    try:
        importlib.import_module(module)
    except ImportError:
        return False
    return True


def _reading(measure: str, weight: str | None) -> str:
    if weight is None or measure in DEGREE_MEASURES:
        return "unweighted"
    return "distance" if measure in DISTANCE_MEASURES else "strength"


def _parameters(
    measure: str, settings: Mapping[str, Mapping[str, Any]], *, normalized: bool, endpoints: bool
) -> dict[str, Any]:
    if measure == "betweenness":
        return {"normalized": normalized, "endpoints": endpoints}
    return dict(settings.get(measure, {}))


def _unweighted(edges: _engines.EdgeArrays) -> _engines.EdgeArrays:
    if edges.weight is None:
        return edges
    return _engines.EdgeArrays(edges.nodes, edges.src, edges.dst, None)


# ---------------------------------------------------------------------------------------------
# engines


def _refusal(
    engine: str, measure: str, p: _engines.Projection, params: Mapping[str, Any], *, sampled: bool
) -> str | None:
    """Why ``engine`` cannot reproduce networkx for this request, or None when it can."""
    if engine == "networkx":
        return None
    if engine == "scipy":
        if measure in DEGREE_MEASURES or measure in STRENGTH_MEASURES:
            if measure == "katz" and not isinstance(params.get("beta"), int | float):
                return "a per-node Katz beta needs networkx"
            return None
        if measure in ("closeness", "harmonic") and p.weight is None:
            return None
        return f"scipy has no {'weighted ' if p.weight is not None else ''}{measure} here"
    if measure not in DISTANCE_MEASURES:
        return f"{engine} does not reproduce networkx's {measure}"
    if p.weight is not None and p.m and not (p.weight > 0).all():
        return "zero distances need networkx"
    if measure == "betweenness":
        if params["endpoints"] and (engine != "rustworkx" or sampled or p.weight is not None):
            return "betweenness with endpoints needs rustworkx (exact, unweighted) or networkx"
        if sampled and engine != "igraph":
            return f"{engine} cannot sample the sources networkx samples"
        if engine == "rustworkx" and p.weight is not None:
            return "rustworkx betweenness is unweighted only"
        return None
    if measure == "closeness":
        if engine == "networkit" and not params["wf_improved"]:
            return "networkit closeness without wf_improved fails on disconnected graphs"
        return None
    if measure == "harmonic" and engine == "rustworkx":
        return "rustworkx has no harmonic centrality"
    return None


def _choose_engine(
    engine: str,
    measure: str,
    p: _engines.Projection,
    params: Mapping[str, Any],
    *,
    sampled: bool,
) -> tuple[str, str, str, bool]:
    """The engine for one measure, why it was chosen, a note when it is not the one asked for,
    and whether "auto" fell back to networkx because the compiled engines that would serve are
    not installed."""
    if engine == "networkx":
        return "networkx", "asked for", "", False
    if p.n < 3:  # networkit crashes on the empty graph
        return "networkx", "fewer than 3 nodes", "", False
    if engine != "auto":
        reason = _refusal(engine, measure, p, params, sampled=sampled)
        if reason is None:
            note = ""
            if engine == "igraph" and measure == "betweenness" and p.weight is not None:
                note = (
                    "igraph counts weighted paths whose lengths differ by rounding only as "
                    "equally short; networkx does not"
                )
            return engine, "asked for", note, False
        return (
            "networkx",
            f"{engine} cannot serve: {reason}",
            f"{reason}; computed by networkx",
            False,
        )
    if p.n < ENGINE_THRESHOLD:
        return "networkx", f"auto: fewer than {ENGINE_THRESHOLD} nodes", "", False
    candidates, missing = _auto_candidates(measure, p, params, sampled=sampled)
    if len(candidates) > 1:
        chosen, why = _engines.choose_betweenness(candidates, p)
        return chosen, f"auto: {why}", "", False
    if candidates:
        order = ", ".join(_AUTO_ORDER[measure])
        why = f"auto: the first installed engine of {order} that reproduces networkx here"
        return candidates[0], why, "", False
    if missing:
        note = f"{', '.join(missing)} not installed ({_FAST_EXTRA}); computed by networkx"
        return "networkx", "auto: the engines that would serve are not installed", note, True
    return "networkx", "auto: no other engine reproduces networkx here", "", False


def _auto_candidates(
    measure: str, p: _engines.Projection, params: Mapping[str, Any], *, sampled: bool
) -> tuple[list[str], list[str]]:
    """The installed engines "auto" may use for ``measure``, and those that would serve but are
    not installed. Exact betweenness weighs all its candidates by their expected time; the
    other measures take the first that serves, in `_AUTO_ORDER`."""
    candidates: list[str] = []
    missing: list[str] = []
    for candidate in _AUTO_ORDER[measure]:
        if candidate == "igraph" and measure == "betweenness" and p.weight is not None:
            continue  # tie rule differs from networkx's exact float comparison
        if _refusal(candidate, measure, p, params, sampled=sampled) is not None:
            continue
        if not _installed(candidate):
            missing.append(candidate)
        elif measure != "betweenness":
            return [candidate], []
        else:
            candidates.append(candidate)
    return candidates, missing if not candidates else []


class _Convergence:
    """What did not converge, for a message in Python's terms or a command line's."""

    measure: str
    max_iter: int
    diverged: bool

    def describe(self, more: str, alpha: str) -> str:
        """The failure and its remedy, naming the setting as `more` (iterations) and `alpha`
        (katz's attenuation), e.g. ``--max-iter`` or ``pagerank={'max_iter': ...}``."""
        if self.diverged:
            return (
                f"{self.measure} did not converge: its values overflowed, so it diverges; lower "
                f"{alpha} below 1 / (the largest eigenvalue of the adjacency matrix)"
            )
        text = (
            f"{self.measure} did not converge in {self.max_iter} iterations; allow more with {more}"
        )
        if self.measure == "katz":
            text += f" or, if it diverges, lower {alpha} below 1 / (the largest eigenvalue)"
        return text


class ConvergenceWarning(_Convergence, RuntimeWarning):
    """An iterative measure computed by default did not converge; its column is NaN."""

    def __init__(self, measure: str, max_iter: int, diverged: bool = False) -> None:
        self.measure, self.max_iter, self.diverged = measure, max_iter, diverged
        super().__init__(self.describe(f"{measure}={{'max_iter': ...}}", "katz={'alpha': ...}"))


class NotConvergedError(_Convergence, AnalysisError):
    """An iterative measure asked for by name did not converge."""

    def __init__(self, measure: str, max_iter: int, diverged: bool = False) -> None:
        self.measure, self.max_iter, self.diverged = measure, max_iter, diverged
        super().__init__(self.describe(f"{measure}={{'max_iter': ...}}", "katz={'alpha': ...}"))


def _compute(
    engine: str,
    measure: str,
    p: _engines.Projection,
    params: Mapping[str, Any],
    *,
    weight: str | None,
    G: nx.Graph,
    k: int | None,
    seed: Any,
    shared: dict[Any, Any],
) -> np.ndarray:
    if p.n == 0:
        return np.zeros(0)
    if engine == "networkx":
        return _compute_networkx(measure, p, params, weight=weight, G=G, k=k, seed=seed)
    if measure in DEGREE_MEASURES:
        return _engines.degree(p, measure)
    if measure == "betweenness":
        sampled = None
        if k is not None:
            rng = nx.utils.create_py_random_state(seed)
            sampled = rng.sample(range(p.n), k)
        return _engines.betweenness(engine, p, sampled=sampled, **params)
    if engine == "scipy" and measure in ("closeness", "harmonic"):
        # one bit-parallel search gives both
        if ("path_sums", id(p)) not in shared:
            shared["path_sums", id(p)] = _engines.path_sums(p)
        reached, total, inverse = shared["path_sums", id(p)]
        if measure == "harmonic":
            return inverse.copy()
        return _engines.closeness_from_sums(reached, total, p.n, **params)
    if measure == "closeness":
        return _engines.closeness(engine, p, **params)
    if measure == "harmonic":
        return _engines.harmonic(engine, p)
    if measure == "pagerank":
        return _engines.pagerank(p, **params)
    if measure == "eigenvector":
        return _engines.eigenvector(p, **params)
    return _engines.katz(p, **params)


def _plain_degree(G: nx.Graph, measure: str) -> np.ndarray:
    """networkx's degree centralities of a simple graph, which is its own projection."""
    function = {
        "degree": nx.degree_centrality,
        "in_degree": nx.in_degree_centrality,
        "out_degree": nx.out_degree_centrality,
    }[measure]
    values = function(G)
    return np.fromiter(values.values(), dtype=np.float64, count=len(values))


def _compute_networkx(
    measure: str,
    p: _engines.Projection,
    params: Mapping[str, Any],
    *,
    weight: str | None,
    G: nx.Graph,
    k: int | None,
    seed: Any,
) -> np.ndarray:
    H = _engines.to_networkx(p, weight, G)
    try:
        if measure == "degree":
            values = nx.degree_centrality(H)
        elif measure == "in_degree":
            values = nx.in_degree_centrality(H)
        elif measure == "out_degree":
            values = nx.out_degree_centrality(H)
        elif measure == "betweenness":
            values = nx.betweenness_centrality(H, k=k, weight=weight, seed=seed, **params)
        elif measure == "closeness":
            values = nx.closeness_centrality(H, distance=weight, **params)
        elif measure == "harmonic":
            values = nx.harmonic_centrality(H, distance=weight)
        elif measure == "eigenvector":
            values = nx.eigenvector_centrality(H, weight=weight, **params)
        elif measure == "pagerank":
            values = nx.pagerank(H, weight=weight, **params)
        else:
            values = nx.katz_centrality(H, weight=weight, **params)
    except nx.PowerIterationFailedConvergence as error:
        raise _engines.NotConverged(params["max_iter"]) from error
    except (nx.NetworkXException, ValueError, ZeroDivisionError) as error:
        raise AnalysisError(f"{measure}: {error}") from error
    return np.fromiter((values[node] for node in p.nodes), dtype=np.float64, count=p.n)


# ---------------------------------------------------------------------------------------------
# describing


def _multi_edge_rule(G: nx.Graph, directed: bool, reading: str, merge: bool) -> str:
    if not merge:
        return "none (simple graph)"
    what = "parallel edges"
    if G.is_directed() and not directed:
        what = "parallel edges and both directions of a pair"
    if reading == "distance":
        return f"{what} merged into one edge with the smallest weight"
    if reading == "strength":
        return f"{what} merged into one edge with the summed weight"
    return f"{what} merged into one link"


def _describe_one(measure: str, info: Mapping[str, Any]) -> str:
    parts = []
    if measure == "betweenness":
        if info.get("exact", True):
            parts.append("exact")
        else:
            parts.append(f"approximate ({info['k']} sampled sources, seed {info['seed']})")
    parts.append("directed" if info["directed"] else "undirected")
    reading = info["reading"]
    if reading == "unweighted":
        if measure in DEGREE_MEASURES:
            parts.append("counts linked neighbours (no weight)")
        else:
            parts.append("unweighted (every edge is one link)")
    else:
        parts.append(f"weight '{info['weight']}' read as a {reading}")
    rule = info["multi_edges"]
    if rule.startswith("none"):
        parts.append("simple graph")
    elif reading == "unweighted":
        parts.append(rule)
    else:
        parts.append(rule.replace(" merged into one edge with the ", " merged: "))
    kinds = info.get("relation_kinds")
    parts.append("all relation kinds" if kinds is None else "relation kinds " + ", ".join(kinds))
    parts.append(f"{plural(info['nodes'], 'node')}, {plural(info['edges'], 'edge')}")
    params = info.get("parameters") or {}
    if measure == "betweenness":
        flags = ["normalized" if params.get("normalized") else "not normalized"]
        if params.get("endpoints"):
            flags.append("endpoints counted")
        parts.append(", ".join(flags))
    elif params:
        parts.append(", ".join(f"{key}={value}" for key, value in params.items()))
    parts.append(f"{info['reference']} by {info['engine']}")
    if info.get("note"):
        parts.append(f"note: {info['note']}")
    return f"{measure}: " + "; ".join(parts)


def _seed_label(seed: Any) -> Any:
    return seed if seed is None or isinstance(seed, int | str) else repr(seed)


def _append(note: str, extra: str) -> str:
    return f"{note}; {extra}" if note else extra
