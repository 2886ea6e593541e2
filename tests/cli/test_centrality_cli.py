"""`labournet centrality` (typer CliRunner): tables, CSV, JSON, graph files and errors."""

from __future__ import annotations

import io
import json
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

import labournet
from labournet.analysis import MEASURES, centrality
from labournet.cli._common import LabournetGroup
from labournet.cli.centrality import centrality_command
from labournet.io.folder import load_dataset


def _app() -> typer.Typer:
    """labournet's app once the command is registered there; a local app until then."""
    from labournet.cli import app

    if "centrality" in {command.name for command in app.registered_commands}:
        return app
    local = typer.Typer(cls=LabournetGroup, pretty_exceptions_enable=False)
    local.command("centrality")(centrality_command)

    @local.callback()
    def _root() -> None:
        """A group, so that the command is called by name as in labournet."""

    return local


runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(_app(), ["centrality", *args], env={"COLUMNS": "200"})


@pytest.fixture(scope="module")
def bundled() -> pd.DataFrame:
    return centrality(labournet.to_networkx(load_dataset()))


def test_table_of_the_bundled_dataset(bundled: pd.DataFrame):
    result = invoke("-m", "betweenness", "-m", "pagerank", "--top", "5")
    assert result.exit_code == 0, result.output
    assert f"Centrality (top 5 of {len(bundled)} nodes by betweenness)" in result.output
    top = bundled["betweenness"].sort_values(ascending=False).index[0]
    assert top == "kp" and "North Korea" in result.output
    assert "betweenness: exact; directed; unweighted" in result.output
    assert "networkx.pagerank by" in result.output
    assert "katz" not in result.output


def test_csv_values_equal_the_library(bundled: pd.DataFrame):
    result = invoke("--format", "csv", "-m", "closeness", "-m", "degree")
    assert result.exit_code == 0, result.output
    table = pd.read_csv(io.StringIO(result.stdout), index_col="node")
    assert list(table.columns) == ["name", "closeness", "degree"]
    assert len(table) == len(bundled)  # CSV keeps every node unless --top says otherwise
    assert table["closeness"].is_monotonic_decreasing
    for node, row in table.iterrows():
        assert row["closeness"] == pytest.approx(bundled.at[node, "closeness"], abs=1e-12)
        assert row["degree"] == pytest.approx(bundled.at[node, "degree"], abs=1e-12)


def test_json_to_a_file_carries_the_projection(tmp_path: Path):
    out = tmp_path / "scores.json"
    result = invoke("-f", "json", "-o", str(out), "-m", "pagerank", "--top", "3", "--kind",
                    "remits_to", "--kind", "sends_workers")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"wrote 3 nodes to {out}" in result.output
    document = json.loads(out.read_text("utf-8"))
    assert document["measures"] == ["pagerank"]
    projection = document["projection"]["pagerank"]
    assert projection["relation_kinds"] == ["remits_to", "sends_workers"]
    assert projection["reading"] == "unweighted" and projection["reference"] == "networkx.pagerank"
    assert [row["node"] for row in document["nodes"]][0] == "kp"
    assert len(document["nodes"]) == 3 and "name" in document["nodes"][0]


def test_graphml_file_with_a_weight(tmp_path: Path):
    # a -> b (1), b -> c (1), a -> c (3): the shortest way from a to c passes b
    G = nx.DiGraph()
    G.add_weighted_edges_from([("a", "b", 1.0), ("b", "c", 1.0), ("a", "c", 3.0)], weight="w")
    path = tmp_path / "g.graphml"
    nx.write_graphml(G, path)
    result = invoke(str(path), "-m", "betweenness", "-m", "closeness", "-w", "w", "-f", "csv")
    assert result.exit_code == 0, result.output
    table = pd.read_csv(io.StringIO(result.stdout), index_col="node")
    assert "name" not in table.columns
    # betweenness of b: the one pair (a, c) passes it, normalised by (n-1)(n-2) = 2 -> 0.5
    assert table.loc["b", "betweenness"] == pytest.approx(0.5)
    # closeness of c (incoming): a at 2, b at 1 -> 2 / 3
    assert table.loc["c", "closeness"] == pytest.approx(2 / 3)
    assert table.loc["c", "closeness"] == pytest.approx(
        nx.closeness_centrality(G, distance="w")["c"]
    )


def test_csv_edge_list_undirected_and_sampled(tmp_path: Path):
    path = tmp_path / "edges.csv"
    path.write_text("source,target\nx,y\ny,z\nz,x\nz,w\n", "utf-8")
    result = invoke(str(path), "--undirected", "-m", "degree", "-m", "betweenness", "--k", "2",
                    "--seed", "1", "-f", "json")  # fmt: skip
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    projection = document["projection"]["betweenness"]
    assert projection["directed"] is False and projection["exact"] is False
    assert projection["k"] == 2 and projection["seed"] == 1
    degrees = {row["node"]: row["degree"] for row in document["nodes"]}
    assert degrees == {"z": 1.0, "x": pytest.approx(2 / 3), "y": pytest.approx(2 / 3),
                       "w": pytest.approx(1 / 3)}  # fmt: skip


def test_unknown_measure_is_a_clean_error():
    result = invoke("-m", "betweeness")
    assert result.exit_code == 2
    assert "unknown centrality measure 'betweeness'" in result.output
    assert "valid measures: " + ", ".join(MEASURES) in result.output
    assert "Traceback" not in result.output


def test_misspelt_weight_measure_and_engine_through_the_command(labournet_cli, tmp_path: Path):
    nx.write_graphml(nx.les_miserables_graph(), tmp_path / "lesmis.graphml")
    done = labournet_cli("centrality", "lesmis.graphml", "-m", "betweenness", "-w", "wieght")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1] == (
        "error: no edge has the weight attribute 'wieght' (did you mean 'weight'?); "
        "edge attributes: weight"
    )
    assert done.stdout == ""
    done = labournet_cli("centrality", "-m", "betweeness")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "unknown centrality measure 'betweeness' (did you mean 'betweenness'?)" in done.stderr
    done = labournet_cli("centrality", "-m", "degree", "--engine", "netwrokx")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "unknown engine 'netwrokx' (did you mean 'networkx'?)" in done.stderr
    weighted = labournet_cli("centrality", "lesmis.graphml", "-m", "betweenness", "-w", "weight")
    assert weighted.returncode == 0, weighted.stderr


def test_missing_file_is_a_clean_error(tmp_path: Path):
    result = invoke(str(tmp_path / "nowhere.graphml"))
    assert result.exit_code == 2
    assert "no such file" in result.output


def test_every_parameter_has_help_with_an_example():
    command = typer.main.get_command(_app())
    sub = command.commands["centrality"]
    assert "Example: labournet centrality" in (sub.help or "")
    for param in sub.params:
        if param.name == "help":
            continue
        text = getattr(param, "help", None) or ""
        assert "Example" in text, f"--{param.name} has no example in its help"


def test_files_labournet_wrote_read_as_the_dataset(bundled: pd.DataFrame, tmp_path: Path):
    from labournet.io.graphfile import export_graphml, export_json

    dataset = load_dataset()
    for path in (
        export_json(dataset, tmp_path / "net.json"),
        export_graphml(dataset, tmp_path / "net.graphml"),
    ):
        result = invoke(str(path), "-m", "betweenness", "-f", "csv")
        assert result.exit_code == 0, result.output
        frame = pd.read_csv(io.StringIO(result.stdout), index_col=0)
        expected = bundled["betweenness"].sort_values(ascending=False, kind="stable")
        assert list(frame.index) == list(expected.index), path.name
        assert frame["name"]["kp"] == "North Korea"


def _acyclic_edge_list(tmp_path: Path) -> Path:
    """A chain a -> b -> c: eigenvector centrality cannot settle on an acyclic graph."""
    path = tmp_path / "chain.csv"
    path.write_text("source,target\na,b\nb,c\n", encoding="utf-8")
    return path


def test_non_convergence_is_one_line_naming_the_cli_option(tmp_path: Path):
    result = invoke(str(_acyclic_edge_list(tmp_path)))
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "eigenvector did not" in line]
    assert lines == [
        "warning: eigenvector did not converge in 100 iterations; allow more with "
        "--max-iter 1000; its column is left empty"
    ]
    assert "RuntimeWarning" not in result.output and "={'max_iter'" not in result.output


def test_max_iter_and_katz_alpha_reach_the_measures(tmp_path: Path):
    chain = str(_acyclic_edge_list(tmp_path))
    asked = invoke(chain, "-m", "eigenvector", "--max-iter", "3")
    assert asked.exit_code == 2
    assert "eigenvector did not converge in 3 iterations; allow more with --max-iter 30" in (
        asked.output
    )
    path = tmp_path / "k5.csv"
    nx.write_edgelist(nx.complete_graph(5), path, delimiter=",", data=False)
    path.write_text("source,target\n" + path.read_text("utf-8"), "utf-8")
    diverges = invoke(str(path), "--undirected", "-m", "katz", "--katz-alpha", "0.5")
    assert diverges.exit_code == 2 and "lower --katz-alpha below" in diverges.output
    fine = invoke(str(path), "--undirected", "-m", "katz", "--katz-alpha", "0.1")
    assert fine.exit_code == 0, fine.output


def test_other_library_warnings_are_one_plain_line(monkeypatch: pytest.MonkeyPatch):
    import warnings

    import labournet.cli.centrality as command

    real = command.read_network

    def noisy(path):
        warnings.warn("something odd in the data", UserWarning, stacklevel=1)
        return real(path)

    monkeypatch.setattr(command, "read_network", noisy)
    from labournet.cli import app

    result = runner.invoke(app, ["centrality", "--top", "1"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "warning: something odd in the data" in result.output
    assert "UserWarning" not in result.output


def test_an_empty_network_is_a_clear_error_through_the_command(labournet_cli, tmp_path: Path):
    (tmp_path / "empty.csv").write_text("source,target\n", encoding="utf-8")
    nx.write_graphml(nx.Graph(), tmp_path / "empty.graphml")
    done = labournet_cli("centrality", "empty.csv")  # "top 0 of 0 nodes" and exit 0 before
    assert done.returncode == 2
    assert "empty.csv:2: row: no edges: the file has a header and no rows" in done.stderr
    assert "error: 1 problem in edge list" in done.stderr
    done = labournet_cli("centrality", "empty.graphml")
    assert done.returncode == 2 and "nothing to rank (an empty network)" in done.stderr
