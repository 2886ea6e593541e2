"""Neo4j and FalkorDB behind one small interface (the example needs a running server)::

    from labournet.store import connect
    with connect("falkordb://localhost:6379/labournet") as store:
        store.load(dataset)                # schema, then batched idempotent MERGEs
        same = store.pull()                # == dataset
        store.query("hosts_by_workers", limit=5)
        store.write_scores(table)          # numeric columns -> score_* properties

The URI picks the backend (``falkordb://``, ``bolt://``, ``neo4j://``, ``neo4j+s://`` ...);
`FalkorDBServer` starts a local FalkorDB server. The Cypher lives in the ``cypher/`` folder.
"""

from labournet.store.base import (
    Counts,
    LoadSummary,
    QueryRunner,
    Result,
    ScoreSummary,
    Store,
    StoreConflict,
)
from labournet.store.connection import DEFAULT_URI, connect
from labournet.store.process import ServerStatus
from labournet.store.queries import (
    CypherFile,
    Parameter,
    find_query,
    library,
    read_cypher,
    resolve_query,
)
from labournet.store.server import FalkorDBServer

__all__ = [
    "connect",
    "Store",
    "StoreConflict",
    "QueryRunner",
    "Result",
    "Counts",
    "LoadSummary",
    "ScoreSummary",
    "DEFAULT_URI",
    "CypherFile",
    "Parameter",
    "read_cypher",
    "find_query",
    "resolve_query",
    "library",
    "FalkorDBServer",
    "ServerStatus",
]
