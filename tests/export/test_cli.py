"""`labournet export ...`: the sub-commands write their files and report errors cleanly."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from test_html import page_data
from typer.testing import CliRunner

import labournet
from labournet.cli.export import export_app
from labournet.io.graphfile import export_graphml, read_graph

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(export_app, list(args))
    return result.exit_code, result.output


def invoke_stdout(*args: str) -> tuple[int, str]:
    """Standard output alone (standard error names the dataset read)."""
    result = runner.invoke(export_app, list(args))
    return result.exit_code, result.stdout


def test_html_writes_a_view(tmp_path: Path) -> None:
    out = tmp_path / "view.html"
    code, output = invoke("html", "-o", str(out), "--cut", "cn", "--cut", "ru", "--title", "Cut")
    assert code == 0, output
    assert "wrote HTML view" in output
    page = out.read_text(encoding="utf-8")
    assert "<title>Cut</title>" in page
    data = page_data(page)
    assert data["cut"]["requested"] == ["cn", "ru"]
    # China and Russia carry 80% of the revenue; net of the 25% the regime re-routes, 60%
    assert data["cut"]["flows"]["share"] == "60%"
    assert data["cut"]["flows"]["revenue"].startswith("240 million")
    joined = tmp_path / "joined.html"
    assert invoke("html", "-o", str(joined), "--cut", "cn,ru=0.5")[0] == 0
    assert page_data(joined.read_text(encoding="utf-8"))["cut"]["requested"] == ["cn", "ru=0.5"]
    assert data["top"]["by"] == "pressure_score"  # scored by the analysis by default


def test_html_without_scores(tmp_path: Path) -> None:
    out = tmp_path / "view.html"
    assert invoke("html", "--no-scores", "-o", str(out))[0] == 0
    assert page_data(out.read_text(encoding="utf-8"))["top"]["by"] == "degree"


def test_html_focus_and_scores(tmp_path: Path) -> None:
    scores = tmp_path / "scores.csv"
    scores.write_text("id,pressure_score\ncn,0.9\nru,0.4\n", encoding="utf-8")
    out = tmp_path / "focus.html"
    code, output = invoke(
        "html", "--focus", "cn", "--depth", "1", "--scores", str(scores), "-o", str(out)
    )
    assert code == 0, output
    assert "China and everything within 1 step" in out.read_text(encoding="utf-8")


def test_html_to_stdout() -> None:
    code, output = invoke_stdout("html", "--view", "top", "-k", "3", "-o", "-")
    assert code == 0
    assert output.startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("fmt", ["graphml", "json"])
def test_graph_files_round_trip(fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"net.{fmt}"
    code, output = invoke(fmt, "-o", str(out))
    assert code == 0, output
    assert labournet.from_networkx(read_graph(out)) == labournet.load_dataset()


def test_gexf_and_reading_a_graph_file(tmp_path: Path) -> None:
    source = export_graphml(labournet.load_dataset(), tmp_path / "in.graphml")
    out = tmp_path / "net.gexf"
    code, output = invoke("gexf", str(source), "-o", str(out))
    assert code == 0, output
    assert nx.read_gexf(out).number_of_nodes() == 39


def test_json_to_stdout() -> None:
    code, output = invoke_stdout("json", "-o", "-")
    assert code == 0
    assert len(json.loads(output)["nodes"]) == 39


def test_errors_are_clean_messages(tmp_path: Path) -> None:
    code, output = invoke("html", "--focus", "atlantis", "-o", str(tmp_path / "x.html"))
    assert code == 2
    assert "unknown id 'atlantis' (--focus)" in output and "Traceback" not in output
    code, output = invoke("html", "--cut", "kp", "-o", str(tmp_path / "x.html"))
    assert code == 2 and "cannot cut the regime" in output


def test_every_command_has_help_with_an_example() -> None:
    for command in ("html", "graphml", "gexf", "json"):
        code, output = invoke(command, "--help")
        assert code == 0 and "Example: labournet export" in output


def _graph_files(folder: Path) -> dict[str, Path]:
    """Ordinary graph files, each in a format `labournet centrality` reads."""
    files = {
        "lesmis.graphml": folder / "lesmis.graphml",
        "lesmis.gexf": folder / "lesmis.gexf",
        "karate.graphml": folder / "karate.graphml",
        "karate.gexf": folder / "karate.gexf",
        "edges.csv": folder / "edges.csv",
    }
    nx.write_graphml(nx.les_miserables_graph(), files["lesmis.graphml"])
    nx.write_gexf(nx.les_miserables_graph(), files["lesmis.gexf"])
    nx.write_graphml(nx.karate_club_graph(), files["karate.graphml"])
    nx.write_gexf(nx.karate_club_graph(), files["karate.gexf"])
    files["edges.csv"].write_text("source,target,weight\na,b,2\nb,c,1\n", encoding="utf-8")
    return files


EDGES = {"lesmis": 254, "karate": 78, "edges": 2}


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json", "html"])
def test_every_export_reads_every_graph_file(fmt: str, tmp_path: Path) -> None:
    for name, path in _graph_files(tmp_path).items():
        out = tmp_path / f"out-{name}.{fmt}"
        code, output = invoke(fmt, str(path), "-o", str(out))
        assert code == 0, f"{name}: {output}"
        if fmt == "html":
            relations = EDGES[name.split(".")[0]]
            assert page_data(out.read_text(encoding="utf-8"))["subtitle"].endswith(
                f"{relations} of {relations} relations"
            )
            continue
        written = labournet.read_graph(out)
        assert written.number_of_edges() == EDGES[name.split(".")[0]], name


def test_export_of_ordinary_graph_files_through_the_command(labournet_cli, tmp_path: Path) -> None:
    files = _graph_files(tmp_path)
    for source, fmt in [
        ("lesmis.graphml", "gexf"),
        ("lesmis.graphml", "graphml"),
        ("karate.gexf", "graphml"),
    ]:
        done = labournet_cli("export", fmt, files[source], "-o", f"out.{fmt}")
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
        read = nx.read_gexf if fmt == "gexf" else nx.read_graphml
        written = read(tmp_path / f"out.{fmt}")
        assert not written.is_directed()
        assert written.number_of_edges() == EDGES[source.split(".")[0]]


def test_export_of_labournets_own_files_through_the_command(labournet_cli, tmp_path: Path) -> None:
    assert labournet_cli("export", "gexf", "-o", "network.gexf").returncode == 0
    done = labournet_cli("export", "graphml", "network.gexf", "-o", "again.graphml")
    assert done.returncode == 0, done.stderr
    assert nx.read_graphml(tmp_path / "again.graphml").number_of_edges() == 89
    assert labournet_cli("export", "graphml", "-o", "network.graphml").returncode == 0
    done = labournet_cli("export", "json", "network.graphml", "-o", "again.json")
    assert done.returncode == 0, done.stderr
    dataset = labournet.from_networkx(labournet.read_graph(tmp_path / "again.json"))
    assert dataset == labournet.load_dataset()


def test_cut_and_focus_take_names_and_suggest(tmp_path: Path) -> None:
    out = tmp_path / "x.html"
    code, output = invoke("html", "--cut", "russia", "--focus", "China", "-o", str(out))
    assert code == 0, output
    assert out.stat().st_size > 0
    code, output = invoke("html", "--focus", "chin", "-o", str(out))
    assert code == 2 and "did you mean 'China'" in output
    code, output = invoke("html", "--cut", "Rusia", "-o", str(out))
    assert code == 2 and "did you mean 'Russia'" in output
