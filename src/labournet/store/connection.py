"""Open a store at a URI: the scheme picks the backend, and credentials come from options,
the environment or a prompt (never from code, never printed).

Example (with a FalkorDB server running, e.g. ``labournet db start``)::

    >>> from labournet.store import connect
    >>> with connect("falkordb://localhost:6379/labournet") as store:   # doctest: +SKIP
    ...     table = store.query("hosts_by_workers", limit=3)
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import replace

from labournet.errors import QueryError
from labournet.store.base import DEFAULT_BATCH_SIZE, QueryRunner, Store
from labournet.store.falkordb import FalkorDBRunner
from labournet.store.neo4j import Neo4jRunner
from labournet.store.queries import check_identifier
from labournet.store.server import local_password, running_local_uri
from labournet.store.uri import parse_uri

__all__ = ["connect", "DEFAULT_URI", "FALKORDB_SCHEMES", "NEO4J_SCHEMES"]

DEFAULT_URI = "falkordb://localhost:6379/labournet"
"""Where `connect` goes when neither an argument nor ``LABOURNET_URI`` names a server and no
local server started by ``labournet db start`` runs."""

FALKORDB_SCHEMES = ("falkordb", "falkordb+s")
NEO4J_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


def connect(
    uri: str | None = None,
    *,
    username: str | None = None,
    password: str | None = None,
    database: str | None = None,
    prompt: Callable[[str], str] | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    timeout: float | None = None,
    query_timeout: float | None = None,
) -> Store:
    """Open a store at `uri`; the scheme picks the backend.

    * ``falkordb://[host[:port]][/graph]`` (``falkordb+s://`` for TLS): default
      ``localhost:6379``, graph ``labournet``; credentials from ``LABOURNET_FALKORDB_USERNAME``
      / ``LABOURNET_FALKORDB_PASSWORD`` (or ``FALKORDB_...``) when the server wants them.
    * ``bolt://``, ``neo4j://`` (``+s``, ``+ssc``) ``host[:port][/database]``: credentials
      from ``LABOURNET_NEO4J_USERNAME`` / ``LABOURNET_NEO4J_PASSWORD``, else ``NEO4J_USERNAME``
      / ``NEO4J_PASSWORD``, else `prompt` (called with a question, returns the password).
      The database: the URI's path, else ``LABOURNET_NEO4J_DATABASE``, else the server default.

    `uri` defaults to ``LABOURNET_URI``, then the local server ``labournet db start`` runs (on
    whatever port it was given; see `running_local_uri`), then `DEFAULT_URI`. Explicit
    `username`, `password` and `database` win over everything else. `timeout` bounds
    connecting, the Bolt handshake and FalkorDB's first answer included (seconds; default
    ``LABOURNET_CONNECT_TIMEOUT``, else 10); `query_timeout` bounds every query (default
    ``LABOURNET_QUERY_TIMEOUT``; FalkorDB: the wait for an answer, else 300 s; Neo4j: the
    transaction, else no limit). Nothing is connected at import time.
    """
    if timeout is None:
        timeout = _seconds("LABOURNET_CONNECT_TIMEOUT", None) or 10.0
    if query_timeout is None:
        query_timeout = _seconds("LABOURNET_QUERY_TIMEOUT", None)
    text = uri or os.environ.get("LABOURNET_URI") or running_local_uri() or DEFAULT_URI
    endpoint = parse_uri(text)
    scheme, port, path = endpoint.scheme, endpoint.port, endpoint.path
    host = endpoint.host or "localhost"
    user = username or endpoint.username
    secret = password or endpoint.password
    if scheme in FALKORDB_SCHEMES:
        graph = database or path or os.environ.get("LABOURNET_GRAPH") or "labournet"
        check_identifier(graph.replace("-", "_"), "graph name")
        runner: QueryRunner = FalkorDBRunner(
            host=host,
            port=port or 6379,
            graph=graph,
            username=user or _env("LABOURNET_FALKORDB_USERNAME", "FALKORDB_USERNAME"),
            password=secret
            or _env("LABOURNET_FALKORDB_PASSWORD", "FALKORDB_PASSWORD")
            or local_password(host, port or 6379),
            ssl=scheme.endswith("+s"),
            timeout=timeout,
            query_timeout=query_timeout,
            prompt=prompt,
        )
    elif scheme in NEO4J_SCHEMES:
        user = user or _env("LABOURNET_NEO4J_USERNAME", "NEO4J_USERNAME") or "neo4j"
        secret = secret or _env("LABOURNET_NEO4J_PASSWORD", "NEO4J_PASSWORD")
        where = replace(endpoint, host=host, port=port or 7687, path="").display
        if secret is None and prompt is not None:
            secret = prompt(f"Neo4j password for {user} at {where}")
        runner = Neo4jRunner(
            uri=where,
            auth=(user, secret) if secret is not None else None,
            database=database or path or _env("LABOURNET_NEO4J_DATABASE", "NEO4J_DATABASE"),
            timeout=timeout,
            query_timeout=query_timeout,
        )
    else:
        schemes = ", ".join(f"{s}://" for s in FALKORDB_SCHEMES + NEO4J_SCHEMES)
        hint = ""
        if scheme in ("http", "https"):
            hint = f" (the Neo4j Browser speaks HTTP; the driver speaks Bolt: bolt://{host}:7687)"
        raise QueryError(f"unsupported URI {endpoint.display!r}: use one of {schemes}{hint}")
    return Store(runner, batch_size=batch_size)


def _env(*names: str) -> str | None:
    for name in names:
        value = os.environ.get(name)
        if value:
            return value
    return None


def _seconds(name: str, default: float | None) -> float | None:
    """A number of seconds > 0 from environment variable `name`, else `default`."""
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value < math.inf:
        raise QueryError(f"{name} must be a number of seconds > 0, not {text!r}")
    return value
