"""Outputs of a network: interactive HTML views and graph files (GraphML, GEXF, JSON).

Example:
    >>> import labournet, tempfile, pathlib
    >>> from labournet.export import export_html, export_graphml, read_graphfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> dataset = labournet.load_dataset()
    >>> export_html(dataset, folder / "view.html", focus="cn").name
    'view.html'
    >>> G = read_graphfile(export_graphml(dataset, folder / "net.graphml"))
    >>> labournet.from_networkx(G) == dataset
    True
"""

from labournet.export.graphfile import (
    export_gexf,
    export_graphml,
    export_json,
    flatten_graph,
    read_graphfile,
    unflatten_graph,
)
from labournet.export.html import (
    DEFAULT_WIDTH_BY,
    KIND_STYLES,
    as_graph,
    build_html,
    export_html,
    export_views,
    figure_text,
    pressure_scores,
    scores_from_pressure,
    write_html_views,
)
from labournet.export.views import (
    LARGE_GRAPH_NODES,
    CutMarks,
    View,
    cut_scenario,
    node_values,
    select_view,
)

__all__ = [
    "LARGE_GRAPH_NODES",
    "DEFAULT_WIDTH_BY",
    "KIND_STYLES",
    "as_graph",
    "build_html",
    "export_html",
    "export_views",
    "write_html_views",
    "pressure_scores",
    "scores_from_pressure",
    "figure_text",
    "CutMarks",
    "View",
    "cut_scenario",
    "node_values",
    "select_view",
    "export_graphml",
    "export_gexf",
    "export_json",
    "read_graphfile",
    "flatten_graph",
    "unflatten_graph",
]
