"""labournet: where pressure on a sanctioned regime works best.

Load a network of a regime's overseas labour exports (with sources and uncertainty), analyse it
with networkx, explore it in Neo4j or FalkorDB, and share interactive HTML views.

Example:
    >>> import labournet
    >>> dataset = labournet.load_dataset()          # the bundled North Korea dataset
    >>> G = labournet.to_networkx(dataset)
    >>> labournet.from_networkx(G) == dataset
    True
"""

from labournet._version import __version__
from labournet.analysis.centrality import centrality, rank_nodes
from labournet.analysis.keyplayers import KeyPlayersResult, key_players
from labournet.analysis.matching import Match, match_designations
from labournet.analysis.pressure import PressurePoint, PressureResult, pressure_points
from labournet.analysis.scenario import ScenarioResult, scenario
from labournet.analysis.uncertainty import UncertaintyResult, monte_carlo
from labournet.errors import (
    AnalysisError,
    DatasetError,
    ExportError,
    GraphFormatError,
    LabournetError,
    Problem,
    QueryError,
    SanctionsListError,
    SchemaError,
    StoreError,
)
from labournet.io.folder import load_dataset, write_dataset
from labournet.io.graphfile import read_graph
from labournet.io.networkx import from_networkx, to_networkx
from labournet.io.unlist import Designation, UnList, read_un_list
from labournet.io.unlist_dataset import designations_to_dataset, import_un_list
from labournet.model.dataset import Assumption, Dataset, Entity, Figure, Relation, Source
from labournet.model.schema import Schema, load_schema
from labournet.report.build import Report, build_report, write_report
from labournet.store import Store, connect
from labournet.views.html import export_html, export_views
from labournet.views.notebook import show

__all__ = [
    "__version__",
    "load_dataset",
    "write_dataset",
    "to_networkx",
    "from_networkx",
    "read_graph",
    "load_schema",
    "read_un_list",
    "import_un_list",
    "designations_to_dataset",
    "centrality",
    "rank_nodes",
    "pressure_points",
    "PressureResult",
    "PressurePoint",
    "monte_carlo",
    "UncertaintyResult",
    "build_report",
    "write_report",
    "Report",
    "scenario",
    "ScenarioResult",
    "key_players",
    "KeyPlayersResult",
    "match_designations",
    "Match",
    "export_html",
    "export_views",
    "show",
    "connect",
    "Store",
    "Dataset",
    "Entity",
    "Relation",
    "Figure",
    "Source",
    "Assumption",
    "Schema",
    "UnList",
    "Designation",
    "LabournetError",
    "SchemaError",
    "DatasetError",
    "GraphFormatError",
    "SanctionsListError",
    "AnalysisError",
    "StoreError",
    "QueryError",
    "ExportError",
    "Problem",
]
