"""Graph files: GraphML and JSON read back with nothing lost; GEXF is valid for Gephi."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

import labournet
from labournet.errors import ExportError, GraphFormatError
from labournet.io.graphcodec import flatten_graph, unflatten_graph
from labournet.io.graphfile import export_gexf, export_graphml, export_json, read_graph

WRITERS = {"graphml": export_graphml, "json": export_json}


def assert_same_graph(H: nx.MultiDiGraph, G: nx.MultiDiGraph) -> None:
    assert isinstance(H, nx.MultiDiGraph)
    assert dict(H.nodes(data=True)) == dict(G.nodes(data=True))
    assert sorted(H.edges(keys=True, data=True), key=str) == sorted(
        G.edges(keys=True, data=True), key=str
    )
    assert H.graph == G.graph


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_bundled_dataset_round_trips(fmt: str, tmp_path: Path) -> None:
    dataset = labournet.load_dataset()
    G = labournet.to_networkx(dataset)
    H = read_graph(WRITERS[fmt](dataset, tmp_path / f"net.{fmt}"))
    assert_same_graph(H, G)
    assert labournet.from_networkx(H) == dataset


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_hostile_text_round_trips(fmt: str, hostile: nx.MultiDiGraph, tmp_path: Path) -> None:
    H = read_graph(WRITERS[fmt](hostile, tmp_path / f"net.{fmt}"))
    assert_same_graph(H, hostile)


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_odd_values_round_trip(fmt: str, toy: nx.MultiDiGraph, tmp_path: Path) -> None:
    toy.nodes["cn"]["note"] = None
    toy.nodes["ru"]["note"] = ("a", ("b", 1))
    toy.nodes["kp"]["weights"] = {"x": 1.5, "$odd": [1, 2]}
    toy.nodes["us"]["flag"] = True
    toy.nodes["m1"]["count"] = 3
    toy.edges["kp", "cn", "r-kp-cn"]["figures"] = ()
    toy.graph["regime"] = "kp"
    toy.graph["numbers"] = {1: "one"}
    H = read_graph(WRITERS[fmt](toy, tmp_path / f"net.{fmt}"))
    assert_same_graph(H, toy)


def test_flattened_attributes_are_scalars_and_documented(toy: nx.MultiDiGraph) -> None:
    flat = flatten_graph(toy)
    scalar = (str, int, float, bool)
    for _, data in flat.nodes(data=True):
        assert all(isinstance(v, scalar) for v in data.values())
    edge = flat.edges["kp", "cn", "r-kp-cn"]
    assert edge["sources"] == '["s1"]'
    assert edge["figures.count"] == 1
    assert edge["figures.0.measure"] == "workers"
    assert (edge["figures.0.low"], edge["figures.0.best"], edge["figures.0.high"]) == (
        16000,
        33000,
        56000,
    )
    assert "figures.0.stated_by" not in edge  # None is left out
    assert edge["est.workers"] == 33000.0
    assert flat.edges["kp", "ru", "r-kp-ru"]["est.workers"] == 30000.0  # middle of the range
    encoding = json.loads(flat.graph["labournet.encoding"])
    assert encoding["edge"]["figures"] == "figures"
    assert encoding["graph"]["sources"] == "records:Source"
    assert "est.workers" in encoding["derived"]["edge"]
    assert_same_graph(unflatten_graph(flat), toy)


def test_plain_graphml_is_read_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "plain.graphml"
    G = nx.MultiDiGraph()
    G.add_edge("a", "b", key="e1", weight=2.0)
    nx.write_graphml(G, path)
    H = read_graph(path)  # another tool's file keeps its own graph type (one edge: a DiGraph)
    assert not H.is_multigraph() and H.edges["a", "b"]["weight"] == 2.0


def test_networkx_reads_the_json_alone(toy: nx.MultiDiGraph, tmp_path: Path) -> None:
    data = json.loads(export_json(toy, tmp_path / "net.json").read_text(encoding="utf-8"))
    G = nx.node_link_graph(data, edges="edges")
    assert G.nodes["cn"]["name"] == "China" and G.nodes["cn"]["sources"] == ["s1"]
    assert G.nodes["cn"]["figures"][0]["measure"] == "share_in_hosts"


def test_gexf_is_gexf_1_2_with_labels_colours_and_attributes(
    toy: nx.MultiDiGraph, tmp_path: Path
) -> None:
    path = export_gexf(toy, tmp_path / "net.gexf")
    root = ET.parse(path).getroot()
    ns = {"g": "http://www.gexf.net/1.2draft", "viz": "http://www.gexf.net/1.2draft/viz"}
    assert root.tag == "{http://www.gexf.net/1.2draft}gexf" and root.get("version") == "1.2"
    graph = root.find("g:graph", ns)
    assert graph.get("defaultedgetype") == "directed"
    allowed = {"integer", "long", "double", "float", "boolean", "string", "liststring", "anyURI"}
    for attributes in graph.findall("g:attributes", ns):
        for attribute in attributes.findall("g:attribute", ns):
            assert attribute.get("type") in allowed
    nodes = graph.findall("g:nodes/g:node", ns)
    assert len(nodes) == toy.number_of_nodes()
    for node in nodes:
        assert node.get("label") and node.find("viz:color", ns) is not None
    edges = graph.findall("g:edges/g:edge", ns)
    assert sorted(e.get("id") for e in edges) == sorted(k for _, _, k in toy.edges(keys=True))
    G = nx.read_gexf(path)
    assert G.nodes["cn"]["label"] == "China" and G.number_of_edges() == toy.number_of_edges()
    assert G.nodes["cn"]["figures.0.best"] == 0.55


def test_unwritable_values_and_files(toy: nx.MultiDiGraph, tmp_path: Path) -> None:
    toy.nodes["cn"]["thing"] = object()
    with pytest.raises(ExportError, match="node cn thing: cannot write a object"):
        export_graphml(toy, tmp_path / "x.graphml")


def _problem(caught: pytest.ExceptionInfo[GraphFormatError]) -> str:
    (problem,) = caught.value.problems
    return str(problem)


def test_a_broken_input_file_is_a_format_error_that_names_it(
    toy: nx.MultiDiGraph, tmp_path: Path
) -> None:
    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    with pytest.raises(GraphFormatError) as caught:
        read_graph(tmp_path / "x.pdf")
    assert _problem(caught).endswith(
        "x.pdf: path: unknown format (use .graphml, .gexf, .json, .csv or a dataset folder)"
    )
    bad = tmp_path / "bad.json"
    bad.write_text('{"graph":\n', encoding="utf-8")
    with pytest.raises(GraphFormatError) as caught:
        read_graph(bad)
    assert _problem(caught).startswith(f"{bad}:2: file: Expecting value")
    broken = tmp_path / "broken.graphml"
    broken.write_text("<graphml><graph>", encoding="utf-8")
    with pytest.raises(GraphFormatError) as caught:
        read_graph(broken)
    assert _problem(caught).startswith(f"{broken}:1: xml: ")
    with pytest.raises(GraphFormatError) as caught:
        read_graph(tmp_path / "missing.graphml")
    assert _problem(caught) == f"{tmp_path / 'missing.graphml'}: path: no such file or folder"
    cut = tmp_path / "cut.json"
    document = json.loads(export_json(toy, tmp_path / "whole.json").read_text(encoding="utf-8"))
    document["graph"]["labournet.encoding"] = "not an object"
    cut.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(GraphFormatError, match="cannot be read back") as caught:
        read_graph(cut)
    assert _problem(caught).startswith(f"{cut}: graph: ")


def test_gexf_spells_run_from_the_first_to_the_last_day(
    toy: nx.MultiDiGraph, tmp_path: Path
) -> None:
    toy.nodes["m1"].update(valid_from="2018", valid_until="2019-12")
    toy.edges["us", "cn", "r-us-cn"]["valid_until"] = "2017"
    toy.nodes["kp"]["date"] = "not a date"  # from elsewhere: stays static
    root = ET.parse(export_gexf(toy, tmp_path / "toy.gexf")).getroot()
    ns = {"g": "http://www.gexf.net/1.2draft"}
    nodes = {e.get("id"): e.attrib for e in root.iterfind(".//g:node", ns)}
    edges = {e.get("id"): e.attrib for e in root.iterfind(".//g:edge", ns)}
    assert (nodes["m1"]["start"], nodes["m1"]["end"]) == ("2018-01-01", "2019-12-31")
    assert (edges["r-us-cn"]["start"], edges["r-us-cn"]["end"]) == ("2016-01-01", "2017-12-31")
    assert "start" not in nodes["kp"] and "start" not in nodes["cn"]
    static = export_gexf(toy, tmp_path / "static.gexf", dynamic=False)
    assert ET.parse(static).getroot().find("g:graph", ns).get("mode") == "static"  # type: ignore[union-attr]


def test_extra_attributes_are_typed_derived_and_never_overwrite(
    toy: nx.MultiDiGraph, tmp_path: Path
) -> None:
    nodes = {"cn": {"pressure_rank": 1, "pressure_score": 2.5}}
    edges = {("kp", "cn", "r-kp-cn"): {"weight": 33000.0}}
    path = export_graphml(
        toy, tmp_path / "toy.graphml", node_attributes=nodes, edge_attributes=edges
    )
    H = nx.read_graphml(path, force_multigraph=True, edge_key_type=str)
    assert H.nodes["cn"]["pressure_rank"] == 1 and H.nodes["cn"]["pressure_score"] == 2.5
    assert H.edges["kp", "cn", "r-kp-cn"]["weight"] == 33000.0
    assert_same_graph(read_graph(path), toy)  # derived: dropped when read back
    with pytest.raises(ExportError, match="node cn already has an attribute 'name'"):
        export_graphml(toy, tmp_path / "x.graphml", node_attributes={"cn": {"name": "x"}})
    with pytest.raises(ExportError, match="not in the graph: nowhere"):
        export_gexf(toy, tmp_path / "x.gexf", node_attributes={"nowhere": {"a": 1}})
    with pytest.raises(ExportError, match="not a finite number"):
        export_gexf(toy, tmp_path / "x.gexf", node_attributes={"cn": {"a": float("nan")}})
