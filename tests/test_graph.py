"""Dataset <-> networkx, and reading other networks with read_graph."""

from __future__ import annotations

import csv
import dataclasses
import json
from pathlib import Path

import networkx as nx
import pytest

import labournet
from labournet import GraphFormatError, load_dataset, read_graph


def test_bundled_dataset_round_trips_through_networkx_losslessly() -> None:
    dataset = load_dataset()
    graph = labournet.to_networkx(dataset)
    assert graph.number_of_nodes() == len(dataset.entities)
    assert graph.number_of_edges() == len(dataset.relations)
    back = labournet.from_networkx(graph)
    assert back == dataset
    assert sorted(back.figures, key=lambda f: f.id) == sorted(dataset.figures, key=lambda f: f.id)
    assert graph.nodes["other-hosts"]["assumptions"] == ("a-other-hosts",)


def test_the_graph_is_the_one_networkx_builds_from_the_same_nodes_and_edges() -> None:
    dataset = load_dataset()
    stray = dataclasses.replace(dataset.relations[0], id="stray", source="nowhere")
    twin = dataclasses.replace(dataset.relations[1], claim="the same id again")
    odd = dataclasses.replace(dataset, relations=(*dataset.relations, stray, twin))
    graph = labournet.to_networkx(odd)
    expected = nx.MultiDiGraph(**graph.graph)
    expected.add_nodes_from((node, dict(attrs)) for node, attrs in graph.nodes(data=True))
    expected.add_edges_from(  # in the relations' order, as the predecessors keep it
        (r.source, r.target, r.id, dict(graph.edges[r.source, r.target, r.id]))
        for r in odd.relations
    )
    assert nx.utils.graphs_equal(graph, expected)
    assert [tuple(graph.pred[v]) for v in graph] == [tuple(expected.pred[v]) for v in expected]
    assert graph.has_edge("nowhere", stray.target, "stray") and graph.nodes["nowhere"] == {}
    u, v = twin.source, twin.target
    assert graph.edges[u, v, twin.id]["claim"] == "the same id again"
    assert graph.number_of_edges() == len(dataset.relations) + 1
    assert graph.in_degree(v) == expected.in_degree(v)


def test_bundled_dataset_round_trips_through_its_folder_format(tmp_path: Path) -> None:
    dataset = load_dataset()
    assert load_dataset(labournet.write_dataset(dataset, tmp_path / "copy")) == dataset


def test_equality_notices_a_changed_figure() -> None:
    dataset = load_dataset()
    graph = labournet.to_networkx(dataset)
    u, v, key, figures = next(
        (u, v, k, d["figures"]) for u, v, k, d in graph.edges(keys=True, data=True) if d["figures"]
    )
    first = figures[0]
    changed = dataclasses.replace(first, high=first.high + 1)
    graph.edges[u, v, key]["figures"] = (changed, *figures[1:])
    assert labournet.from_networkx(graph) != dataset


def test_node_and_edge_attributes_are_typed(mini_folder: Path) -> None:
    graph = labournet.to_networkx(load_dataset(mini_folder))
    assert isinstance(graph, nx.MultiDiGraph)
    kp = graph.nodes["kp"]
    assert (kp["kind"], kp["name"], kp["role"], kp["sources"]) == (
        "country",
        "North Korea",
        "regime",
        ("s-st",),
    )
    assert {f.measure for f in kp["figures"]} == {"workers_abroad", "revenue"}
    edge = graph.edges["kp", "cn", "r-send"]
    assert (edge["kind"], edge["assumptions"]) == ("sends_workers", ("a-split",))
    (workers,) = edge["figures"]
    assert (workers.low, workers.best, workers.high, workers.estimate) == (
        30000,
        37500,
        60000,
        37500,
    )
    assert graph.graph["sources"]["s-st"].publisher == "The Straits Times"
    assert "s-st" not in graph  # sources are evidence, not nodes


def test_les_miserables_graphml_reads_back_with_same_nodes_edges_weights(tmp_path: Path) -> None:
    original = nx.les_miserables_graph()
    path = tmp_path / "lesmis.graphml"
    nx.write_graphml(original, path)
    graph = read_graph(path)
    assert set(graph.nodes) == set(original.nodes)
    assert graph.number_of_edges() == original.number_of_edges() == 254
    for u, v, data in original.edges(data=True):
        assert graph.edges[u, v]["weight"] == data["weight"]


def test_edge_list_with_weights_and_extra_columns(tmp_path: Path) -> None:
    path = tmp_path / "edges.csv"
    path.write_text("source,target,weight,label\na,b,2.5,x\nb,c,1,y\n", encoding="utf-8")
    graph = read_graph(path)
    assert isinstance(graph, nx.DiGraph)
    assert graph.edges["a", "b"] == {"weight": 2.5, "label": "x"}
    assert graph.edges["b", "c"]["weight"] == 1.0
    undirected = read_graph(path, directed=False)
    assert undirected.has_edge("b", "a")


def test_edge_list_problems_name_file_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "edges.csv"
    path.write_text("source,target,weight\na,b,1\n,c,2\nb,c,heavy\na,b,3\n", encoding="utf-8")
    with pytest.raises(GraphFormatError) as caught:
        read_graph(path)
    rendered = [str(p) for p in caught.value.problems]
    assert f"{path}:3: source: required field is empty" in rendered
    assert f"{path}:4: weight: 'heavy' is not a number" in rendered
    assert any(
        r.startswith(f"{path}:5: target: repeated edge a -> b (first on line 2)") for r in rendered
    )
    multi = tmp_path / "multi.csv"
    multi.write_text("source,target\na,b\na,b\n", encoding="utf-8")
    assert read_graph(multi, multigraph=True).number_of_edges() == 2


def test_edge_list_without_target_column(tmp_path: Path) -> None:
    path = tmp_path / "edges.csv"
    path.write_text("from,to\na,b\n", encoding="utf-8")
    with pytest.raises(GraphFormatError) as caught:
        read_graph(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:1: source: required column is missing",
        f"{path}:1: target: required column is missing",
    ]


def test_broken_graphml_is_a_graph_format_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.graphml"
    path.write_text("<graphml><graph><node id='a'></graph>", encoding="utf-8")
    with pytest.raises(GraphFormatError) as caught:
        read_graph(path)
    assert caught.value.problems[0].file == str(path)


def test_read_graph_reads_a_dataset_folder(mini_folder: Path) -> None:
    graph = read_graph(mini_folder)
    assert graph.nodes["cn"]["name"] == "China"


def test_public_api_names() -> None:
    for name in ("load_dataset", "read_graph", "Dataset", "LabournetError"):
        assert name in labournet.__all__
    assert issubclass(labournet.DatasetError, labournet.LabournetError)
    assert issubclass(labournet.GraphFormatError, labournet.LabournetError)


def test_edge_list_columns_named_after_networkx_arguments(tmp_path: Path) -> None:
    path = tmp_path / "edges.csv"
    path.write_text("source,target,key,u_of_edge\na,b,k1,x\n", encoding="utf-8")
    graph = read_graph(path)  # TypeError before: the columns went in as keyword arguments
    assert graph.edges["a", "b"] == {"key": "k1", "u_of_edge": "x"}


def test_properties_named_after_networkx_arguments_stay_data(mini_folder: Path) -> None:
    import dataclasses

    dataset = load_dataset(mini_folder)
    entity = dataclasses.replace(dataset.entities[0], properties={"node_for_adding": "x"})
    odd = dataclasses.replace(dataset, entities=(entity, *dataset.entities[1:]))
    graph = labournet.to_networkx(odd)  # TypeError before
    assert graph.nodes[entity.id]["node_for_adding"] == "x"
    assert graph.nodes[entity.id]["kind"] == entity.kind


def test_an_infinite_weight_in_an_edge_list_is_a_located_problem(tmp_path: Path) -> None:
    path = tmp_path / "edges.csv"
    path.write_text("source,target,weight\na,b,1\nb,c,inf\n", encoding="utf-8")
    with pytest.raises(GraphFormatError) as caught:
        read_graph(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.field, problem.reason) == (
        3,
        "weight",
        "'inf' is not a finite number",
    )


def test_an_edge_list_with_a_repeated_or_blank_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "edges.csv"
    path.write_text("source,target,source,\na,b,c,d\n", encoding="utf-8")
    with pytest.raises(GraphFormatError) as caught:  # the last source silently won before
        read_graph(path)
    found = {(p.line, p.field, p.reason) for p in caught.value.problems}
    assert found == {
        (1, "source", "column appears twice"),
        (1, "column 4", "the column has no name"),
    }


@pytest.mark.parametrize("global_limit", [None, 10**8])
def test_a_huge_field_in_an_edge_list_is_a_located_problem(
    tmp_path: Path, global_limit: int | None
) -> None:
    path = tmp_path / "edges.csv"
    path.write_text("source,target\na,b\nc," + "x" * 200_000 + "\n", encoding="utf-8")
    old = csv.field_size_limit(global_limit) if global_limit else None  # as some libraries do
    try:
        with pytest.raises(GraphFormatError) as caught:  # _csv.Error before
            read_graph(path)
    finally:
        if old is not None:
            csv.field_size_limit(old)
    (problem,) = caught.value.problems
    assert problem.line == 3 and problem.reason.startswith("malformed CSV: field larger than")


def test_read_graph_decodes_files_labournet_wrote(tmp_path: Path) -> None:
    from labournet.io.graphfile import export_graphml, export_json

    dataset = load_dataset()
    for path in (
        export_graphml(dataset, tmp_path / "net.graphml"),
        export_json(dataset, tmp_path / "net.json"),
    ):
        assert labournet.from_networkx(read_graph(path)) == dataset, path.name


def test_read_graph_fills_the_defaults_a_file_declares(tmp_path: Path) -> None:
    path = tmp_path / "defaults.graphml"
    path.write_text(
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
        '<key id="c" for="node" attr.name="colour" attr.type="string"><default>grey</default></key>'
        '<graph edgedefault="undirected"><node id="a"><data key="c">red</data></node>'
        '<node id="b"/><edge source="a" target="b"/></graph></graphml>',
        encoding="utf-8",
    )
    graph = read_graph(path)
    assert dict(graph.nodes(data="colour")) == {"a": "red", "b": "grey"}
    assert "node_default" not in graph.graph and "edge_default" not in graph.graph
    plain = tmp_path / "plain.json"
    plain.write_text(json.dumps(nx.node_link_data(nx.path_graph(3), edges="links")))
    assert read_graph(plain).number_of_edges() == 2


def _labournet_json(tmp_path: Path, mini_folder: Path) -> tuple[Path, dict]:
    from labournet.io.graphfile import export_json

    path = export_json(load_dataset(mini_folder), tmp_path / "mini.json")
    return path, json.loads(path.read_text(encoding="utf-8"))


def _first_edge_with_figures(data: dict) -> dict:
    return next(edge for edge in data["edges"] if edge.get("figures"))


@pytest.mark.parametrize(
    ("edit", "where"),
    [
        # each one crashed `labournet export html` or `labournet centrality` with a traceback
        (lambda d: d["graph"]["schema"].update(measures="[1"), "graph"),  # AttributeError
        (lambda d: d["graph"]["schema"]["relations"].update(affiliated_with=None), "graph"),
        (lambda d: _first_edge_with_figures(d)["figures"][0].update(formula=True), "edge"),
        (lambda d: _first_edge_with_figures(d)["figures"][0].update(low=None), "edge"),
        (lambda d: _first_edge_with_figures(d)["figures"][0].update(id={"a": 1}), "edge"),
        (lambda d: _first_edge_with_figures(d)["figures"][0].pop("id"), "edge"),
        (lambda d: _first_edge_with_figures(d).update(figures=None), "edge"),
        (lambda d: _first_edge_with_figures(d).update(sources=[{"a": 1}]), "edge"),
        (lambda d: d["nodes"][0].update(name=None), "node"),
        (lambda d: d["graph"].update(sources=[1]), "graph"),
        (lambda d: d.update(nodes=[[1]]), "graph"),  # AttributeError in networkx
        (lambda d: d["graph"]["labournet.encoding"].pop("node"), "graph"),
    ],
    ids=[
        "schema-measures-text",
        "schema-relation-null",
        "figure-formula-bool",
        "figure-low-null",
        "figure-id-object",
        "figure-without-id",
        "figures-null",
        "sources-of-objects",
        "node-name-null",
        "graph-sources-list",
        "nodes-of-lists",
        "encoding-without-node-types",
    ],  # fmt: skip
)
def test_an_edited_labournet_json_is_a_located_graph_format_error(
    tmp_path: Path, mini_folder: Path, edit, where: str
) -> None:
    path, data = _labournet_json(tmp_path, mini_folder)
    edit(data)
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(GraphFormatError) as caught:
        read_graph(path)
    problem = caught.value.problems[0]
    assert problem.file == str(path)
    assert problem.field.startswith(where), problem


def test_graph_attributes_that_are_not_an_object_are_a_graph_format_error(
    tmp_path: Path,
) -> None:
    path = tmp_path / "g.json"
    path.write_text('{"graph": "x", "nodes": [], "edges": []}', encoding="utf-8")
    with pytest.raises(GraphFormatError) as caught:  # AttributeError: 'str' ... 'pop' before
        read_graph(path)
    assert caught.value.problems[0].file == str(path)


def test_an_edited_labournet_graphml_is_a_located_graph_format_error(
    tmp_path: Path, mini_folder: Path
) -> None:
    from labournet.io.graphfile import export_graphml

    path = export_graphml(load_dataset(mini_folder), tmp_path / "mini.graphml")
    text = path.read_text(encoding="utf-8")
    # drop one figure's sources: TypeError deep in the pressure analysis before
    key = next(line for line in text.splitlines() if 'attr.name="figures.0.sources"' in line)
    key_id = key.split('id="')[1].split('"')[0]
    lines = [line for line in text.splitlines() if f'key="{key_id}"' not in line]
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(GraphFormatError) as caught:
        read_graph(path)
    problem = caught.value.problems[0]
    assert problem.file == str(path)
    assert "figures.0" in problem.field and "sources" in problem.reason


def test_a_labournet_graphml_cut_in_half_names_the_file_and_line(
    tmp_path: Path, mini_folder: Path
) -> None:
    from labournet.io.graphfile import export_graphml

    path = export_graphml(load_dataset(mini_folder), tmp_path / "mini.graphml")
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(GraphFormatError) as caught:
        read_graph(path)
    problem = caught.value.problems[0]
    assert problem.file == str(path) and problem.line is not None


def test_a_json_that_lost_its_encoding_record_is_refused_by_the_analysis(
    tmp_path: Path, mini_folder: Path
) -> None:
    path, data = _labournet_json(tmp_path, mini_folder)
    del data["graph"]["labournet.encoding"]  # read as plain node-link: figures stay dicts
    path.write_text(json.dumps(data), encoding="utf-8")
    graph = read_graph(path)
    with pytest.raises(labournet.AnalysisError, match="not labournet figures"):
        labournet.pressure_points(graph)  # AttributeError: 'dict' object has no attribute 'year'


def test_a_bad_formula_in_a_labournet_json_is_an_analysis_error(
    tmp_path: Path, mini_folder: Path
) -> None:
    path, data = _labournet_json(tmp_path, mini_folder)
    figures = [f for item in data["nodes"] + data["edges"] for f in item.get("figures", [])]
    for figure in figures:
        figure["formula"] = ";"  # FormulaError escaped the analysis before
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(labournet.AnalysisError, match="formula"):
        labournet.pressure_points(read_graph(path))


@pytest.mark.parametrize("where", ["file", "parent", "dev-full"])
def test_writing_a_dataset_where_no_folder_can_be_is_an_export_error(
    tmp_path: Path, mini_folder: Path, where: str
) -> None:
    dataset = load_dataset(mini_folder)
    (tmp_path / "taken").write_text("not a folder", encoding="utf-8")
    out = {
        "file": tmp_path / "taken",  # FileExistsError before
        "parent": tmp_path / "taken" / "out",  # NotADirectoryError before
        "dev-full": Path("/dev/full"),
    }[where]
    with pytest.raises(labournet.ExportError, match="cannot write") as caught:
        labournet.write_dataset(dataset, out)
    assert str(out) in str(caught.value) or str(out.parent) in str(caught.value)


def test_writing_a_pulled_dataset_over_a_file_is_an_export_error(
    tmp_path: Path, mini_folder: Path
) -> None:
    from labournet.cli.db import _write_pulled

    here = tmp_path / "here"
    here.mkdir()
    (here / "taken").write_text("not a folder", encoding="utf-8")
    with pytest.raises(labournet.ExportError, match="a file is where a folder should be"):
        _write_pulled(load_dataset(mini_folder), here / "taken")
    with pytest.raises(labournet.ExportError, match="cannot write"):
        _write_pulled(load_dataset(mini_folder), here / "taken" / "out")
    assert [p.name for p in here.iterdir()] == ["taken"]  # no staging folder left behind


def test_exports_keep_attributes_named_after_networkx_arguments(tmp_path: Path) -> None:
    from labournet.io.graphfile import export_gexf, export_graphml

    G = nx.MultiDiGraph()
    G.add_node("a")
    G.nodes["a"]["node_for_adding"] = "x"
    G.add_edge("a", "b", key="e1")
    G.edges["a", "b", "e1"]["u_of_edge"] = "y"
    for export in (export_graphml, export_gexf):  # TypeError before
        assert export(G, tmp_path / f"g.{export.__name__}").exists()
