"""Shared fixtures: the small valid dataset, the session's real Neo4j server, and the rule for
tests of the compiled engines.

The session starts one Neo4j 5.26 server from the jars Maven resolves
(`labournet.store.neo4j_server`) the first time a test asks for it, unless
``LABOURNET_NEO4J_URI`` (with ``NEO4J_USERNAME`` / ``NEO4J_PASSWORD``) names one to use instead.
Without java or mvn the Neo4j tests skip on a developer's machine and fail in CI (``CI=true``),
where they must run.

Tests of the compiled engines (``pip install '.[fast]'``: igraph, networkit, rustworkx) are
those marked ``fast`` and those parametrised with one of them as ``engine``; without the extra
they skip on a developer's machine and fail in CI, where ``.[dev]`` installs it.
"""

from __future__ import annotations

import importlib.util
import os
import secrets
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from labournet.model.dataset import Dataset
from labournet.store.neo4j_server import Neo4jServer
from labournet.store.process import free_port

FIXTURES = Path(__file__).parent / "fixtures"
NEO4J_URI = os.environ.get("LABOURNET_NEO4J_URI")
IN_CI = os.environ.get("CI") == "true"
FAST_ENGINES = ("igraph", "networkit", "rustworkx")


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip (fail in CI) a test of the compiled engines when the fast extra is missing."""
    needed: set[str] = set()
    if item.get_closest_marker("fast") is not None:
        needed.update(FAST_ENGINES)
    params = getattr(item, "callspec", None)
    if params is not None and params.params.get("engine") in FAST_ENGINES:
        needed.add(params.params["engine"])
    missing = sorted(name for name in needed if importlib.util.find_spec(name) is None)
    if missing:
        reason = f"{', '.join(missing)} not installed (pip install '.[fast]')"
        if IN_CI:
            pytest.fail(f"the compiled engines must be tested in CI: {reason}")
        pytest.skip(reason)


@pytest.fixture
def mini_folder(tmp_path: Path) -> Path:
    """A writable copy of tests/fixtures/mini, a valid six-entity dataset."""
    target = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", target)
    return target


CLI = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def labournet_cli(tmp_path: Path) -> CLI:
    """Run the installed ``labournet`` console script, as a user would, in ``tmp_path``.

    ``labournet_cli("export", "gexf", "in.graphml")`` returns the finished process (text
    output); it inherits the environment, so ``PYTHONPATH`` picks the tree under test.
    """
    script = Path(sys.executable).with_name("labournet")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "labournet"]

    def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
        return subprocess.run(
            [*command, *map(str, args)],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    return run


@dataclass
class Neo4jTarget:
    """The Neo4j the tests use: its Bolt URI, and the server when the session started it."""

    uri: str
    server: Neo4jServer | None
    password: str


def _neo4j_missing() -> str | None:
    try:
        import neo4j  # noqa: F401
    except ImportError:
        return "the neo4j driver is not installed"
    for tool in ("java", "mvn"):
        if shutil.which(tool) is None:
            return f"{tool} is not on PATH (the test session starts Neo4j from Maven's jars)"
    return None


@pytest.fixture(scope="session")
def neo4j_target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Neo4jTarget]:
    """A Neo4j server of our own for the whole session (or the one LABOURNET_NEO4J_URI names)."""
    if NEO4J_URI:
        yield Neo4jTarget(NEO4J_URI, None, os.environ.get("NEO4J_PASSWORD", ""))
        return
    missing = _neo4j_missing()
    if missing:
        if IN_CI:
            pytest.fail(f"Neo4j tests must run in CI: {missing}")
        pytest.skip(missing)
    password = secrets.token_urlsafe(18)
    server = Neo4jServer(
        tmp_path_factory.mktemp("neo4j"),
        port=free_port(),
        password=password,
        browser_port=free_port(),
        heap="2g",
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NEO4J_USERNAME", "neo4j")
        patch.setenv("NEO4J_PASSWORD", password)
        patch.delenv("LABOURNET_NEO4J_USERNAME", raising=False)
        patch.delenv("LABOURNET_NEO4J_PASSWORD", raising=False)
        server.start()
        try:
            yield Neo4jTarget(server.status().uri, server, password)
        finally:
            server.stop()


@pytest.fixture
def neo4j_uri(neo4j_target: Neo4jTarget) -> str:
    """The Bolt URI of the session's Neo4j server."""
    return neo4j_target.uri


def pulled_records(dataset: Dataset) -> dict[str, list[dict[str, Any]]]:
    """The records the pull queries return for a graph that holds `dataset`, as loaded."""
    from labournet.store.base import PULLED
    from labournet.store.rows import plan_load

    plan = plan_load(dataset, "falkordb")
    records: dict[str, list[dict[str, Any]]] = {part: [] for part in PULLED}
    declared = {
        "entities": dataset.schema.entity_properties,
        "relations": dataset.schema.relation_properties,
    }
    for step in plan.steps:
        part = step.file.name.removeprefix("load_")
        if part not in records:
            continue
        for row in step.rows:
            record = dict(zip(step.file.row, row, strict=True))
            if part in declared:
                record["properties"] = [record["properties"].get(k) for k in declared[part]]
            if part == "figures":
                record |= record.pop("exact")
            records[part].append(record)
    return records


@pytest.fixture(scope="session")
def graph_records() -> Callable[[Dataset], dict[str, list[dict[str, Any]]]]:
    """`pulled_records`: what the pull queries would return for a dataset (no server)."""
    return pulled_records
