"""Gephi-ready files: `labournet export gexf|graphml` carry pressure scores, centralities,
edge weights and figures as typed attributes, and GEXF the dynamics Gephi's timeline reads."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

import labournet
from labournet.cli.export import export_app
from labournet.model.dates import record_period

DATA = Path(__file__).parents[2] / "data"
DATED = DATA / "dprk-labour-2016-2024"
ARTICLE = DATA / "dprk-labour-2016"
GEXF_NS = {"g": "http://www.gexf.net/1.2draft"}
GRAPHML_NS = {"g": "http://graphml.graphdrawing.org/xmlns"}

NODE_NUMBERS = {
    "pressure_score": "double",
    "pressure_denied_low": "double",
    "pressure_denied_high": "double",
    "pressure_rank": "long",
    "pressure_revenue_low": "double",
    "pressure_revenue_best": "double",
    "pressure_revenue_high": "double",
    "pressure_workers_low": "double",
    "pressure_workers_best": "double",
    "pressure_workers_high": "double",
    "score_degree": "double",
    "score_betweenness": "double",
    "score_pagerank": "double",
}
EDGE_NUMBERS = {
    f"{m}_{p}": "double" for m in ("workers", "revenue") for p in ("low", "best", "high")
}


def export(fmt: str, *args: str | Path, out: Path) -> Path:
    result = CliRunner().invoke(export_app, [fmt, *map(str, args), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The exports the tests read, written once."""
    folder = tmp_path_factory.mktemp("gephi")
    return {
        "dated.gexf": export("gexf", DATED, out=folder / "dated.gexf"),
        "dated.graphml": export("graphml", DATED, out=folder / "dated.graphml"),
        "article.gexf": export("gexf", ARTICLE, out=folder / "article.gexf"),
        "revenue.gexf": export(
            "gexf", DATED, "--as-of", "2017", "--weight", "revenue", out=folder / "rev.gexf"
        ),
    }


def gexf_declarations(path: Path) -> dict[tuple[str, str], str]:
    """``(class, title) -> type`` of every GEXF attribute declaration."""
    root = ET.parse(path).getroot()
    return {
        (block.get("class", ""), a.get("title", "")): a.get("type", "")
        for block in root.iterfind(".//g:attributes", GEXF_NS)
        for a in block.iterfind("g:attribute", GEXF_NS)
    }


def gexf_elements(path: Path, tag: str) -> dict[str, dict[str, str]]:
    """The XML attributes of every ``node`` (or ``edge``) element, by id."""
    root = ET.parse(path).getroot()
    return {e.get("id", ""): dict(e.attrib) for e in root.iterfind(f".//g:{tag}", GEXF_NS)}


def graphml_keys(path: Path) -> dict[tuple[str, str], str]:
    """``(for, attr.name) -> attr.type`` of every GraphML key."""
    root = ET.parse(path).getroot()
    return {
        (k.get("for", ""), k.get("attr.name", "")): k.get("attr.type", "")
        for k in root.iterfind("g:key", GRAPHML_NS)
    }


# ---- GEXF ----------------------------------------------------------------------------------


def test_gexf_declares_typed_numbers_for_nodes_and_edges(files: dict[str, Path]) -> None:
    declared = gexf_declarations(files["dated.gexf"])
    for name, kind in NODE_NUMBERS.items():
        assert declared[("node", name)] == kind, name
    assert declared[("node", "pressure_level")] == "string"
    for name, kind in EDGE_NUMBERS.items():
        assert declared[("edge", name)] == kind, name
    assert declared[("edge", "pressure_rank")] == "long"  # relation candidates
    assert ("edge", "weight") not in declared  # GEXF's own edge weight, not an attvalue


def test_gexf_scores_are_the_analysis_as_of_the_latest_date(files: dict[str, Path]) -> None:
    G = nx.read_gexf(files["dated.gexf"])
    result = labournet.pressure_points(labournet.load_dataset(DATED))
    assert str(result.as_of) == "2023"
    for point in result.level("host"):
        node = G.nodes[point.id]
        assert node["pressure_score"] == pytest.approx(point.score)
        assert node["pressure_rank"] == point.rank and isinstance(node["pressure_rank"], int)
        assert node["pressure_level"] == "host"
        assert node["pressure_workers_best"] == pytest.approx(point.workers.best)
        assert node["pressure_revenue_low"] == pytest.approx(point.revenue.low)
        assert node["pressure_revenue_high"] == pytest.approx(point.revenue.high)
    assert G.nodes["mansudae"]["pressure_same_as"] == "sculpture"  # folded into sculpture's row


def test_gexf_leaves_scores_out_where_a_node_is_no_candidate(files: dict[str, Path]) -> None:
    G = nx.read_gexf(files["dated.gexf"])
    us = G.nodes["us"]
    assert not [name for name in us if name.startswith("pressure_")]
    assert isinstance(us["score_pagerank"], float) and us["score_pagerank"] > 0
    assert isinstance(us["score_betweenness"], float)


def test_gexf_weights_are_workers_as_of_the_date(files: dict[str, Path]) -> None:
    edges = {d["id"]: d for *_, d in nx.read_gexf(files["dated.gexf"]).edges(data=True)}
    russia = edges["r-kp-sends-ru"]  # the 2020 figure: 0 to 511, best 511
    assert russia["weight"] == russia["workers_best"] == 511.0
    assert (russia["workers_low"], russia["workers_high"]) == (0.0, 511.0)
    malta = edges["r-kp-sends-mt"]  # none since 2017: a zero figure, so no weight
    assert malta["workers_best"] == 0.0 and "weight" not in malta
    assert "weight" not in edges["r-us-pressures-cn"]  # no figure at all
    assert "workers_best" not in edges["r-us-pressures-cn"]
    assert all(d.get("weight", 1.0) > 0 for d in edges.values())


def test_gexf_weights_by_revenue_as_of_an_earlier_date(files: dict[str, Path]) -> None:
    edges = {d["id"]: d for *_, d in nx.read_gexf(files["revenue.gexf"]).edges(data=True)}
    russia = edges["r-ru-remits-kp"]  # the 2017 revenue figure
    assert russia["weight"] == russia["revenue_best"] == 120092000.0
    assert edges["r-kp-sends-ru"]["workers_best"] == 30023.0  # 2017 workers, no weight
    assert "weight" not in edges["r-kp-sends-ru"]
    assert "r-kp-sends-kw" in edges and "workers_best" not in edges["r-kp-sends-kw"]  # 2019
    result = labournet.pressure_points(labournet.load_dataset(DATED), as_of="2017")
    scored = nx.read_gexf(files["revenue.gexf"]).nodes["ru"]["pressure_score"]
    assert scored == pytest.approx(result["ru"].score)


def test_gexf_has_the_dynamics_gephi_needs(files: dict[str, Path]) -> None:
    root = ET.parse(files["dated.gexf"]).getroot()
    graph = root.find("g:graph", GEXF_NS)
    assert graph is not None
    assert (graph.get("mode"), graph.get("timeformat")) == ("dynamic", "date")
    nodes = gexf_elements(files["dated.gexf"], "node")
    edges = gexf_elements(files["dated.gexf"], "edge")
    assert nodes["test-2016-09"]["start"] == "2016-09-01"  # a month: its first day
    assert nodes["dandong-queue"]["start"] == "2016-09-12"
    assert edges["r-sn-remits-kp"]["end"] == "2020-04-20" and "start" not in edges["r-sn-remits-kp"]
    assert edges["r-na-remits-mansudae"]["start"] == "2017-08-05"
    assert "start" not in nodes["cn"] and "end" not in nodes["cn"]  # undated


@pytest.mark.parametrize("name, folder", [("dated.gexf", DATED), ("article.gexf", ARTICLE)])
def test_gexf_dates_exactly_the_dated_items(
    files: dict[str, Path], name: str, folder: Path
) -> None:
    G = labournet.to_networkx(labournet.load_dataset(folder))
    elements = {**gexf_elements(files[name], "node"), **gexf_elements(files[name], "edge")}
    items = [(n, d) for n, d in G.nodes(data=True)] + [
        (k, d) for *_, k, d in G.edges(keys=True, data=True)
    ]
    for item, data in items:
        start, end = record_period(data)
        written = elements[str(item)]
        assert written.get("start") == (start.first_day.isoformat() if start else None), item
        assert written.get("end") == (end.last_day.isoformat() if end else None), item


def test_gexf_of_the_article_keeps_labels_and_colours(files: dict[str, Path]) -> None:
    G = nx.read_gexf(files["article.gexf"])
    assert G.nodes["cn"]["label"] == "China"
    assert G.nodes["cn"]["viz"]["color"] != G.nodes["construction"]["viz"]["color"]
    assert G.nodes["cn"]["pressure_rank"] == 2 and G.nodes["other-hosts"]["pressure_residual"]
    assert G.graph["mode"] == "dynamic"  # its campaigns and tests are dated


# ---- GraphML -------------------------------------------------------------------------------


def test_graphml_declares_typed_keys(files: dict[str, Path]) -> None:
    keys = graphml_keys(files["dated.graphml"])
    for name, kind in NODE_NUMBERS.items():
        assert keys[("node", name)] == kind, name
    for name, kind in {**EDGE_NUMBERS, "weight": "double"}.items():
        assert keys[("edge", name)] == kind, name


def test_graphml_carries_the_numbers_and_reads_back_without_them(files: dict[str, Path]) -> None:
    H = nx.read_graphml(files["dated.graphml"], force_multigraph=True, edge_key_type=str)
    assert H.nodes["cn"]["pressure_rank"] == 1 and "pressure_score" not in H.nodes["us"]
    assert H.edges["kp", "cn", "r-kp-sends-cn"]["weight"] == 65000.0
    dataset = labournet.load_dataset(DATED)
    assert labournet.from_networkx(labournet.read_graph(files["dated.graphml"])) == dataset


# ---- other inputs and options --------------------------------------------------------------


@pytest.fixture(scope="module")
def lesmis(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("plain") / "lesmis.graphml"
    nx.write_graphml(nx.les_miserables_graph(), path)
    return path


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_a_plain_graph_gets_centralities_only(fmt: str, lesmis: Path, tmp_path: Path) -> None:
    out = export(fmt, lesmis, out=tmp_path / f"out.{fmt}")
    G = nx.read_gexf(out) if fmt == "gexf" else nx.read_graphml(out)
    valjean = G.nodes["Valjean"]
    expected = nx.betweenness_centrality(nx.les_miserables_graph())["Valjean"]
    assert valjean["score_betweenness"] == pytest.approx(expected)
    assert "score_in_degree" not in valjean  # undirected
    assert not [name for _, d in G.nodes(data=True) for name in d if "pressure" in name]
    assert G.edges["Valjean", "Javert"]["weight"] == 17  # the file's own weight stays
    if fmt == "gexf":
        graph = ET.parse(out).getroot().find("g:graph", GEXF_NS)
        assert graph is not None and graph.get("mode") == "static"
        assert graph.get("timeformat") is None
    else:
        assert graphml_keys(out)[("node", "score_pagerank")] == "double"


def test_no_scores_keeps_weights(tmp_path: Path) -> None:
    out = export("gexf", ARTICLE, "--no-scores", out=tmp_path / "bare.gexf")
    G = nx.read_gexf(out)
    assert not [
        name
        for _, d in G.nodes(data=True)
        for name in d
        if name.startswith(("pressure_", "score_"))
    ]
    edges = {d["id"]: d for *_, d in G.edges(data=True)}
    assert edges["r-kp-sends-cn"]["weight"] == 33000.0


def test_a_mistyped_as_of_or_weight_is_refused(tmp_path: Path) -> None:
    for args in (["--as-of", "2016-13"], ["--weight", "money"]):
        result = CliRunner().invoke(export_app, ["gexf", *args, "-o", str(tmp_path / "x.gexf")])
        assert result.exit_code == 2, result.output
    assert not (tmp_path / "x.gexf").exists()


def test_re_exporting_a_gephi_file_keeps_its_numbers(tmp_path: Path) -> None:
    first = export("gexf", ARTICLE, out=tmp_path / "first.gexf")
    again = export("graphml", first, out=tmp_path / "again.graphml")
    before, after = nx.read_gexf(first), nx.read_graphml(again)
    assert after.nodes["cn"]["score_pagerank"] == pytest.approx(
        before.nodes["cn"]["score_pagerank"]
    )
    assert after.nodes["cn"]["pressure_score"] == before.nodes["cn"]["pressure_score"]
