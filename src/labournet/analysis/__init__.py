"""Analyses over networkx graphs: pure functions, no database, no HTML.

Example:
    >>> import networkx as nx
    >>> from labournet.analysis import centrality
    >>> centrality(nx.path_graph(3), ["degree"])["degree"].tolist()
    [0.5, 1.0, 0.5]
"""

from labournet.analysis.centrality import (
    DISTANCE_MEASURES,
    ENGINE_THRESHOLD,
    ENGINES,
    MEASURES,
    REFERENCES,
    STRENGTH_MEASURES,
    centrality,
    describe_projection,
    project_graph,
    rank_nodes,
)

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
]
