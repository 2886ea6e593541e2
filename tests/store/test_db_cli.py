"""`labournet db ...` end to end against the session's FalkorDB and Neo4j servers (CliRunner)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from labournet.io.folder import load_dataset
from labournet.model.dataset import Dataset
from labournet.store import Store
from labournet.store.process import free_port

runner = CliRunner()


def _app() -> typer.Typer:
    """labournet's app once `db` is registered there; the db sub-app alone until then."""
    from labournet.cli import app
    from labournet.cli.db import db_app

    if any(group.name == "db" for group in app.registered_groups):
        return app
    local = typer.Typer(pretty_exceptions_enable=False)
    local.add_typer(db_app, name="db")
    return local


def invoke(*args: str, env: dict[str, str] | None = None):
    return runner.invoke(_app(), ["db", *args], env={"COLUMNS": "200", **(env or {})})


@pytest.fixture
def uri(store: Store, store_uri: str) -> str:
    """The bundled dataset loaded by the CLI into an emptied graph, on each backend."""
    result = invoke("load", "--uri", store_uri)
    assert result.exit_code == 0, result.output
    return store_uri


def test_load_prints_a_summary_and_is_idempotent(
    store: Store, store_uri: str, bundled: Dataset
) -> None:
    from test_store import expected_counts

    nodes, relationships = expected_counts(bundled)
    first = invoke("load", "--uri", store_uri, "--batch-size", "10")
    assert first.exit_code == 0, first.output
    assert "nodes: Entity:Country" in first.output and "+14" in first.output
    created = f"created {sum(nodes.values())} nodes and {sum(relationships.values())} relationships"
    assert created in first.output
    again = invoke("load", "--uri", store_uri)
    assert again.exit_code == 0
    assert "created 0 nodes and 0 relationships" in again.output


def test_loading_over_another_dataset_is_refused_unless_replace(
    store: Store, store_uri: str, mini_folder: Path, bundled: Dataset
) -> None:
    mini = load_dataset(mini_folder)
    assert invoke("load", str(mini_folder), "--uri", store_uri).exit_code == 0
    before = store.counts()
    refused = invoke("load", "--uri", store_uri)
    assert refused.exit_code == 2, refused.output
    text = refused.output.replace("\n", "")
    assert "holds dataset 'mini'" in text and "'dprk-labour-2016'" in text
    assert "--replace" in text
    assert store.counts() == before  # nothing written
    assert store.dataset_name() == "mini" and store.pull() == mini
    replaced = invoke("load", "--uri", store_uri, "--replace")
    assert replaced.exit_code == 0, replaced.output
    text = replaced.output.replace("\n", "")
    assert f"removed dataset mini ({before.total_nodes} nodes" in text
    assert store.pull() == bundled and store.dataset_name() == bundled.name


@pytest.mark.falkordb
def test_the_uri_can_come_from_the_environment(falkordb_uri: str) -> None:
    result = invoke("load", env={"LABOURNET_URI": falkordb_uri})
    assert result.exit_code == 0, result.output
    assert falkordb_uri in result.output.replace("\n", "")


def test_pull_writes_a_dataset_folder_equal_to_the_loaded_one(
    uri: str, tmp_path: Path, bundled: Dataset
) -> None:
    result = invoke("pull", "--uri", uri, "-o", str(tmp_path / "pulled"))
    assert result.exit_code == 0, result.output
    assert load_dataset(tmp_path / "pulled") == bundled
    assert not (tmp_path / "pulled" / "schema.yaml").exists()  # the packaged schema


def test_a_pulled_dataset_diffs_clean_against_its_source(uri: str, tmp_path: Path) -> None:
    from labournet.model.dataset import FILES
    from labournet.resources import bundled_dataset_path

    result = invoke("pull", "--uri", uri, "-o", str(tmp_path / "pulled"))
    assert result.exit_code == 0, result.output
    for name in FILES:
        pulled = (tmp_path / "pulled" / name).read_bytes()
        assert pulled == (bundled_dataset_path() / name).read_bytes(), name


def test_pull_leaves_a_dataset_folder_alone_unless_forced(
    uri: str, tmp_path: Path, bundled: Dataset
) -> None:
    folder = tmp_path / "pulled"
    assert invoke("pull", "--uri", uri, "-o", str(folder)).exit_code == 0
    entities = folder / "entities.csv"
    edited = entities.read_text(encoding="utf-8").replace("North Korea", "DPRK (edited)")
    entities.write_text(edited, encoding="utf-8")
    refused = invoke("pull", "--uri", uri, "-o", str(folder))
    assert refused.exit_code == 2, refused.output
    text = refused.output.replace("\n", "")
    assert "already holds a dataset" in text and "--force" in text
    assert entities.read_text(encoding="utf-8") == edited  # the edit is kept
    (folder / "schema.yaml").write_text("version: 1\n", encoding="utf-8")  # a stale one
    forced = invoke("pull", "--uri", uri, "-o", str(folder), "--force")
    assert forced.exit_code == 0, forced.output
    assert load_dataset(folder) == bundled
    assert not (folder / "schema.yaml").exists()
    assert [path.name for path in tmp_path.iterdir()] == ["pulled"]  # no staging folder left


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            "MATCH (f:Figure {id: 'f-kp-workers-abroad'}) SET f.low = 'many'",
            ["figures.csv:2: low: 'many' is not a number"],
        ),
        (
            "CREATE (:Figure {id: 'f-foreign', subject: 'cn', measure: 'share_in_hosts'})",
            ["low: required field is empty", "sources: required field is empty"],
        ),
        ("MATCH (e:Entity {id: 'cn'}) SET e.kind = 'planet'", ["kind: unknown kind 'planet'"]),
        ("MATCH (d:Dataset) SET d.schema = 5", ["the schema stored in", "not the text"]),
        ("MATCH ()-[r:WORKS_IN]->() WITH r LIMIT 2 DELETE r", ["of the", "were deleted since"]),
    ],
    ids=["text for a number", "a foreign figure", "an unknown kind", "a numeric schema",
         "deleted relations"],
)  # fmt: skip
def test_pull_and_analyse_refuse_what_another_tool_broke(
    uri: str, store: Store, tmp_path: Path, change: str, expected: list[str]
) -> None:
    """What the graph holds is checked before it is written or analysed: exit 2, the problem
    located, no traceback, no folder."""
    store.run(change, write=True)
    out = tmp_path / "pulled"
    for args in (("pull", "--uri", uri, "-o", str(out)), ("analyse", "--uri", uri)):
        result = invoke(*args)
        assert result.exit_code == 2, result.output
        text = result.output.replace("\n", "")
        for part in expected:
            assert part in text, text
        assert "Traceback" not in result.output
    assert not out.exists()


def test_pull_refuses_a_load_that_did_not_finish(
    store: Store, store_uri: str, tmp_path: Path, bundled: Dataset
) -> None:
    class Stop(Exception):
        pass

    def stop_half_way(stage: str, done: int, total: int) -> None:
        if done >= total // 2:
            raise Stop()

    with pytest.raises(Stop):
        store.load(bundled, batch_size=20, progress=stop_half_way)
    out = tmp_path / "pulled"
    result = invoke("pull", "--uri", store_uri, "-o", str(out))
    assert result.exit_code == 2, result.output
    assert "did not finish" in result.output.replace("\n", "") and not out.exists()
    assert invoke("load", "--uri", store_uri).exit_code == 0  # loading again completes it
    assert invoke("pull", "--uri", store_uri, "-o", str(out)).exit_code == 0
    assert load_dataset(out) == bundled


def test_query_formats(uri: str) -> None:
    listing = invoke("query", "--list")
    assert listing.exit_code == 0 and "hosts_by_workers" in listing.output
    table = invoke("query", "hosts_by_workers", "--uri", uri, "-p", "limit=2")
    assert table.exit_code == 0 and "China" in table.output and "2 rows" in table.output
    csv = invoke("query", "neighbourhood", "--uri", uri, "--param", "id=mt", "--format", "csv")
    lines = csv.output.strip().splitlines()
    assert lines[0].startswith("relation_kind,direction,neighbour")
    assert len(lines) == 1 + 8
    as_json = invoke("query", "evidence", "--uri", uri, "-p", "id=f-kp-revenue", "-f", "json")
    rows = json.loads(as_json.output)
    assert {row["source"] for row in rows} == {"s-st-2016-09-13", "s-dcnkhr-estimate"}


def test_query_errors_name_the_file(uri: str, tmp_path: Path) -> None:
    unknown = invoke("query", "neighbourhood", "--uri", uri, "-p", "idd=mt")
    assert unknown.exit_code == 2  # the user's mistake, not the server's
    assert "neighbourhood.cypher: unknown parameter idd" in unknown.output
    missing = invoke("query", "no_such_query", "--uri", uri)
    assert missing.exit_code == 2
    assert "no query file or shipped query named 'no_such_query'" in missing.output
    typo = tmp_path / "typo.cypher"
    typo.write_text("MATCH (n) RETURN n LIMT 3\n", encoding="utf-8")
    bad = invoke("query", str(typo), "--uri", uri)
    assert bad.exit_code != 0 and f"{typo}:" in bad.output.replace("\n", "")
    malformed = invoke("query", "neighbourhood", "--uri", uri, "-p", "id")
    assert "--param takes NAME=VALUE" in malformed.output


@pytest.mark.parametrize(
    "text", ["MATCH (n) RETURN n LIMT 3", "MATCH (n RETURN n", "MATCH (n) RETURN m"]
)
def test_a_syntax_error_in_the_users_query_exits_2_on_one_line(
    uri: str, tmp_path: Path, text: str
) -> None:
    typo = tmp_path / "typo.cypher"
    typo.write_text(text + "\n", encoding="utf-8")
    for query in (str(typo), text):
        result = invoke("query", query, "--uri", uri)
        assert result.exit_code == 2, result.output
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), result.output
        assert "not valid Cypher" in lines[0]
        assert "Traceback" not in result.output


def test_a_wrong_uri_scheme_exits_2_and_names_the_schemes() -> None:
    result = invoke("load", "--uri", "http://localhost:7474")
    assert result.exit_code == 2, result.output
    text = result.output.replace("\n", "")
    for scheme in ("bolt://", "neo4j://", "falkordb://"):
        assert scheme in text
    assert "unsupported URI 'http://localhost:7474'" in text
    assert "bolt://localhost:7687" in text  # the Browser's port is not the driver's


def test_query_without_a_name_exits_2_with_a_usage_hint() -> None:
    result = invoke("query")
    assert result.exit_code == 2, result.output
    assert "labournet db query NAME" in result.output and "--list" in result.output


def test_write_queries_need_write(uri: str, tmp_path: Path) -> None:
    query = tmp_path / "mark.cypher"
    query.write_text("MATCH (n:Entity {id: 'cn'}) SET n.marked = true\n", encoding="utf-8")
    refused = invoke("query", str(query), "--uri", uri)
    assert refused.exit_code == 2 and "this query writes (SET)" in refused.output
    allowed = invoke("query", str(query), "--uri", uri, "--write")
    assert allowed.exit_code == 0, allowed.output


def test_analyse_writes_scores_that_cypher_can_sort(uri: str) -> None:
    dry = invoke("analyse", "--uri", uri, "--top", "3")
    assert dry.exit_code == 0, dry.output
    assert "Scores not written" in dry.output
    early = invoke("query", "top_pressure_points", "--uri", uri, "-f", "json")
    assert early.exit_code == 2, early.output  # not an empty answer: nothing was written yet
    text = early.output.replace("\n", "")
    assert "no analysis has written pressure_score yet" in text
    assert "labournet db analyse --write" in text
    result = invoke("analyse", "--uri", uri, "--write")
    assert result.exit_code == 0, result.output
    assert "pressure_" in result.output
    top = json.loads(
        invoke("query", "top_pressure_points", "--uri", uri, "-f", "json", "-p", "limit=3").output
    )
    assert len(top) == 3 and top[0]["score"] >= top[1]["score"] >= top[2]["score"]
    central = json.loads(
        invoke(
            "query", "top_pressure_points", "--uri", uri, "-f", "json",
            "-p", "score=score_pagerank", "-p", "assumed=none",
        ).output
    )  # fmt: skip
    assert central, "centralities are written as score_* properties"


@pytest.mark.neo4j
def test_analyse_with_gds_writes_in_the_database(uri: str, backend: str) -> None:
    if backend != "neo4j":
        result = invoke("analyse", "--uri", uri, "--engine", "gds", "--write")
        assert result.exit_code == 2 and "needs Neo4j" in result.output
        return
    refused = invoke("analyse", "--uri", uri, "--engine", "gds")
    assert refused.exit_code == 2 and "add --write" in refused.output
    result = invoke("analyse", "--uri", uri, "--engine", "gds", "--write")
    assert result.exit_code == 0, result.output
    assert "score_degree" in result.output
    top = json.loads(
        invoke(
            "query", "top_pressure_points", "--uri", uri, "-f", "json",
            "-p", "score=score_betweenness", "-p", "assumed=none", "-p", "limit=1",
        ).output
    )  # fmt: skip
    assert [row["id"] for row in top] == ["kp"]  # every flow passes through the regime


@pytest.mark.falkordb
def test_server_commands(tmp_path: Path) -> None:
    home = str(tmp_path / "srv")
    port = str(free_port())
    try:
        idle = invoke("status", "--home", home)
        assert "not running" in idle.output and idle.exit_code == 3
        started = invoke("start", "--home", home, "--port", port)
        assert started.exit_code == 0 and "started" in started.output
        assert f"falkordb://127.0.0.1:{port}/labournet" in started.output
        assert "already running" in invoke("start", "--home", home, "--port", port).output
        assert "running, pid" in invoke("status", "--home", home).output
    finally:
        stopped = invoke("stop", "--home", home)
    assert "stopped" in stopped.output
    assert "not running" in invoke("stop", "--home", home).output


@pytest.mark.falkordb
def test_the_local_servers_address_is_the_default_uri(tmp_path: Path) -> None:
    env = {"LABOURNET_HOME": str(tmp_path / "home"), "LABOURNET_URI": None}
    port, other = free_port(), free_port()
    uri = f"falkordb://127.0.0.1:{port}/labournet"
    try:
        started = invoke("start", "--port", str(port), env=env)
        assert started.exit_code == 0, started.output
        loaded = invoke("load", env=env)
        assert loaded.exit_code == 0, loaded.output
        assert f"into {uri}" in loaded.output.replace("\n", "")
        assert invoke("query", "hosts_by_workers", env=env).exit_code == 0
        conflict = invoke("start", "--port", str(other), env=env)
        assert conflict.exit_code == 2, conflict.output
        text = conflict.output.replace("\n", "")
        assert f"a FalkorDB already runs on port {port}" in text
        assert "stop it first" in text and "drop --port" in text
        for same in ([], ["--port", str(port)]):
            again = invoke("start", *same, env=env)
            assert again.exit_code == 0 and "already running" in again.output
            assert uri in again.output
    finally:
        invoke("stop", env=env)


@pytest.mark.falkordb
def test_an_unreachable_server_is_a_clean_error() -> None:
    result = invoke("load", "--uri", f"falkordb://127.0.0.1:{free_port()}/x")
    assert result.exit_code == 1
    assert "cannot reach FalkorDB" in result.output and "labournet db start" in result.output
    assert "Traceback" not in result.output


def test_every_command_documents_an_example() -> None:
    from labournet.cli.db import db_app

    for command in db_app.registered_commands:
        assert "Example: labournet db" in (command.callback.__doc__ or ""), command.name
