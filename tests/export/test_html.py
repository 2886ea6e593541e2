"""The HTML view as a file: self-contained, escaped, and carrying the right data."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from export_samples import JS_URL, PAYLOADS

import labournet
from labournet.analysis.pressure import pressure_points
from labournet.errors import ExportError
from labournet.views._page import figure_text
from labournet.views.html import (
    build_html,
    export_html,
    export_views,
    safe_json,
    scores_from_pressure,
)

DATA = re.compile(r'<script type="application/json" id="ln-data">(.*?)</script>', re.S)


def page_data(page: str) -> dict:
    """The JSON block of a page, as the page's own script reads it."""
    match = DATA.search(page)
    assert match, "no data block"
    return json.loads(match.group(1))


def test_safe_json_cannot_close_the_script_element() -> None:
    text = safe_json({"a": "</script><!-- \u2028\u2029 & <b>"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == {"a": "</script><!-- \u2028\u2029 & <b>"}


def test_page_is_self_contained(toy: nx.MultiDiGraph) -> None:
    page = build_html(toy)
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", page, re.I)
    assert not re.search(r"//[\w.-]*cdn|cdn\.", page, re.I)
    for host in ("unpkg.com", "jsdelivr", "cdnjs", "googleapis", "cloudflare"):
        assert host not in page
    # the data block, vis-network and the page's own code, each starting a line
    assert len(re.findall(r"^<script", page, re.M)) == 3


def test_vis_network_is_what_pyvis_inlines_in_its_own_page(toy: nx.MultiDiGraph) -> None:
    from pyvis.network import Network

    inlined = Network(cdn_resources="in_line").generate_html()
    page = build_html(toy)
    vis_js = re.findall(r"<script>\n(.*?)\n</script>", page, re.S)[0]
    vis_css = re.findall(r"<style>\n(.*?)\n</style>", page, re.S)[0]
    assert f"<script>{vis_js}</script>" in inlined
    assert f"<style>{vis_css}</style>" in inlined
    assert re.search(r"\* vis-network\n.*\* @version 9\.1\.2\n", vis_js[:400], re.S)
    assert vis_css.startswith(".vis-overlay{")


def test_a_pyvis_that_inlines_no_vis_network_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, toy: nx.MultiDiGraph
) -> None:
    from pyvis.network import Network

    from labournet.views import html as module

    monkeypatch.setattr(module, "_ASSETS_CACHE", {})
    monkeypatch.setattr(Network, "generate_html", lambda self, *a, **k: "<html></html>")
    with pytest.raises(ExportError, match=r"tested with pyvis>=0\.3\.2,<0\.4"):
        build_html(toy)


def test_content_security_policy_allows_exactly_the_inline_scripts(toy: nx.MultiDiGraph) -> None:
    page = build_html(toy)
    found = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    policy = html.unescape(found.group(1))
    assert "default-src 'none'" in policy and "unsafe-inline" not in policy.split("style-src")[0]
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(scripts) == 2
    for code in scripts:
        digest = base64.b64encode(hashlib.sha256(code.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy


def test_data_holds_every_node_and_edge(toy: nx.MultiDiGraph) -> None:
    data = page_data(build_html(toy))
    assert sorted(data["nodes"]["id"]) == sorted(toy.nodes)
    assert len(data["edges"]["from"]) == toy.number_of_edges()
    assert sorted(data["edges"]["rid"]) == sorted(k for _, _, k in toy.edges(keys=True))
    assert data["kinds"]["node"] == ["country", "measure", "sector"]
    assert dict(map(tuple, data["legend"]["nodeKinds"])) == {
        "country": 4,
        "measure": 1,
        "sector": 2,
    }
    assert data["view"] == "network" and data["layout"] == "physics"
    assert data["options"]["physics"]["enabled"] is True
    assert data["regime"] == data["nodes"]["id"].index("kp")


def test_edge_widths_follow_workers_and_revenue(toy: nx.MultiDiGraph) -> None:
    data = page_data(build_html(toy))
    width = dict(zip(data["edges"]["rid"], data["edges"]["width"], strict=True))
    assert width["r-kp-cn"] == 12.0  # the most workers
    assert width["r-cn-kp"] == 12.0  # the most revenue, scaled on its own
    assert 1.0 < width["r-kp-ru"] < 12.0  # best missing: the middle of 12,000-48,000
    assert width["r-us-cn"] == 0  # no figure: thinnest
    assert any("workers (persons)" in note for note in data["legend"]["width"])


def test_tooltip_data_carries_figures_sources_and_scores(toy: nx.MultiDiGraph) -> None:
    scores = pd.DataFrame(
        {"pressure_score": [0.9, 0.5], "betweenness": [0.1, 0.3]}, index=["cn", "ru"]
    )
    data = page_data(build_html(toy, scores=scores))
    cn = data["nodes"]["id"].index("cn")
    rows = [i for i, (side, at) in enumerate(data["figures"]["at"]) if side == 0 and at == cn]
    assert [data["figures"]["text"][i] for i in rows] == ["share_in_hosts: 55% (40%–70%), 2016"]
    assert data["figures"]["assumptions"][rows[0]] == ["a1"]
    assert data["assumptions"]["a1"]["statement"] == "China takes 55%"
    assert data["sources"]["s2"]["url"] == "https://example.org/voa"
    columns = {c["name"]: c for c in data["scores"]["columns"]}
    assert columns["pressure_score"]["values"][cn] == 0.9
    assert columns["pressure_score"]["ranks"][cn] == 1
    assert columns["betweenness"]["ranks"][cn] == 2
    assert data["nodes"]["size"][cn] == 42.0  # the highest score: the largest node
    assert data["legend"]["size"].startswith("Node size: pressure score")


def test_focus_and_top_views(toy: nx.MultiDiGraph) -> None:
    data = page_data(build_html(toy, focus="logging", depth=2))
    assert sorted(data["nodes"]["id"]) == ["kp", "logging", "m1", "ru"]
    assert data["view"] == "focus" and "within 2 steps" in data["title"]
    data = page_data(build_html(toy, view="top", top_k=1))
    assert [item[1] for item in data["top"]["items"]] == ["China"]
    assert "top 1 by degree" in data["title"]


def test_cut_view_marks_the_cut_and_what_it_disconnects(toy: nx.MultiDiGraph) -> None:
    data = page_data(build_html(toy, cut=["cn"]))
    ids = data["nodes"]["id"]
    extra = data["extra"]["nodes"]
    assert extra[str(ids.index("cn"))]["style"]["cut"] is True
    assert extra[str(ids.index("garments"))]["style"]["disconnected"] is True
    cut_edges = {
        data["edges"]["rid"][int(i)]
        for i, e in data["extra"]["edges"].items()
        if e["style"].get("cut")
    }
    assert cut_edges == {"r-kp-cn", "r-cn-garments", "r-cn-kp", "r-us-cn"}
    assert data["cut"]["disconnected"] == ["Garments"]
    assert data["cut"]["requested"] == ["cn"]


def test_large_graphs_get_a_precomputed_layout_and_the_top_view() -> None:
    G = nx.gnm_random_graph(300, 600, seed=1, directed=True)
    G = nx.MultiDiGraph(nx.relabel_nodes(G, {n: f"n{n}" for n in G}))
    nx.set_node_attributes(G, "country", "kind")
    data = page_data(build_html(G, max_nodes=100, top_k=3))
    assert data["view"] == "top" and "more than the 100" in data["note"]
    assert len(data["nodes"]["id"]) <= 100
    data = page_data(build_html(G, view="network", max_nodes=100))
    assert data["layout"] == "precomputed" and data["options"]["physics"]["enabled"] is False
    positions = set(zip(data["nodes"]["x"], data["nodes"]["y"], strict=True))
    assert len(data["nodes"]["x"]) == 300 and len(positions) > 250


def test_without_igraph_networkx_lays_out_large_views_with_a_warning(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "igraph", None)  # as without the fast extra
    G = nx.gnm_random_graph(320, 640, seed=1, directed=True)
    G = nx.MultiDiGraph(nx.relabel_nodes(G, {n: f"n{n}" for n in G}))
    nx.set_node_attributes(G, "country", "kind")
    with pytest.warns(UserWarning) as caught:
        data = page_data(build_html(G, view="network"))
    assert [str(record.message) for record in caught] == [
        "320 nodes laid out by networkx's spring layout, which is slower (minutes for thousands "
        "of nodes): igraph is not installed (pip install 'labournet[fast]')"
    ]
    assert data["layout"] == "precomputed" and data["options"]["physics"]["enabled"] is False
    positions = set(zip(data["nodes"]["x"], data["nodes"]["y"], strict=True))
    assert len(positions) > 250


def test_hostile_text_never_appears_raw(hostile: nx.MultiDiGraph) -> None:
    page = build_html(hostile, cut=["cn"])
    body = page.split("<body>", 1)[1]
    for payload in PAYLOADS:
        if "<" in payload or "\u2028" in payload:
            assert payload not in body
    assert JS_URL in json.dumps(page_data(page))  # kept as data, shown as text
    assert "<title>&lt;script&gt;document.title=&#x27;pwned&#x27;&lt;/script&gt;: " in page
    data = page_data(page)
    assert data["nodeInfo"]["name"][data["nodes"]["id"].index("cn")] in PAYLOADS


def test_export_html_writes_the_file(tmp_path: Path) -> None:
    out = export_html(labournet.load_dataset(), tmp_path / "deep" / "view.html", focus="qa")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_export_views_for_the_report(tmp_path: Path) -> None:
    dataset = labournet.load_dataset()
    written = export_views(dataset, tmp_path, scores=scores_from_pressure(pressure_points(dataset)))
    assert sorted(p.name for p in written.values()) == ["network.html", "pressure-points.html"]
    top = page_data(written["top"].read_text(encoding="utf-8"))
    assert top["top"]["by"] == "pressure_score"
    names = [item[1] for item in top["top"]["items"]]
    # the leaders of each level by US$ denied a year, as in the report, residual buckets left out
    assert names[:4] == ["China", "Construction", "Russia", "Garments"]


@pytest.mark.parametrize(
    ("source", "message"),
    [(nx.MultiDiGraph(), "empty"), ("not a graph", "cannot export a str")],
)
def test_bad_sources(source: object, message: str) -> None:
    with pytest.raises(ExportError, match=message):
        build_html(source)


def test_figure_text() -> None:
    figure = labournet.Figure("f", "kp", "revenue", 3e8, 3e8, 3e8, "USD per year", 2016, "", ())
    assert figure_text(figure) == "revenue: 300 million USD per year, 2016"
    figure = labournet.Figure("f", "kp", "workers", 5e4, 1e5, None, "persons", 2016, "", ())
    assert figure_text(figure) == "workers: 50,000–100,000 persons, 2016"


def test_the_view_ranks_as_the_report_does_within_levels() -> None:
    import labournet

    dataset = labournet.load_dataset()
    result = labournet.pressure_points(dataset)
    table = result.to_frame()
    data = page_data(build_html(dataset, scores=scores_from_pressure(result)))
    column = next(c for c in data["scores"]["columns"] if c["name"] == "pressure_score")
    ids = data["nodes"]["id"]
    shown = {
        node: (rank, count, level)
        for node, rank, count, level in zip(
            ids, column["ranks"], column["counts"], column["levels"], strict=True
        )
        if rank is not None
    }
    sizes = table["level"].value_counts()
    expected = {
        node: (int(table.loc[node, "rank"]), int(sizes[table.loc[node, "level"]]),
               table.loc[node, "level"])
        for node in ids if node in table.index
    }  # fmt: skip
    assert shown == expected
    assert shown["qa"] == (4, 11, "host")


def test_a_cut_is_evaluated_by_the_flow_analysis() -> None:
    from labournet.analysis.scenario import scenario

    dataset = labournet.load_dataset()
    data = page_data(build_html(dataset, cut=["cn", "mt"]))
    cut = data["cut"]
    assert cut["basis"] == "flows"
    # garments work only in China and Malta: every garment flow is cut, although the graph
    # still links garments to the regime through Malta's measure
    assert "Garments" in cut["disconnected"]
    result = scenario(dataset, ["cn", "mt"])
    assert "garments" in result.lost_entirely
    assert cut["flows"]["revenue"].startswith("132 million")  # China's 132M + Malta's 80k
    partial = page_data(build_html(dataset, cut=["ru=0.5"]))["cut"]
    assert partial["requested"] == ["ru=0.5"] and partial["disconnected"] == []


def test_a_network_without_flows_is_cut_by_its_links() -> None:
    graph = nx.MultiDiGraph()
    graph.add_node("kp", role="regime")
    graph.add_edge("kp", "cn", key="r1", id="r1")
    graph.add_edge("cn", "garments", key="r2", id="r2")
    cut = page_data(build_html(graph, cut=["cn"]))["cut"]
    assert cut["basis"] == "links" and cut["disconnected"] == ["garments"]
    assert "error" in cut["flows"]


def test_an_undirected_graph_draws_each_edge_once_without_arrows() -> None:
    lesmis = nx.les_miserables_graph()
    data = page_data(build_html(lesmis))
    assert data["subtitle"] == "77 of 77 entities, 254 of 254 relations"
    assert len(data["edges"]["from"]) == 254
    assert data["options"]["edges"]["arrows"]["to"]["enabled"] is False
    degree = data["scores"]["columns"][0]
    assert degree["name"] == "degree"
    valjean = data["nodes"]["id"].index("Valjean")
    assert degree["values"][valjean] == lesmis.degree("Valjean") == 36
    focus = page_data(build_html(lesmis, view="focus", focus="Napoleon"))
    assert len(focus["edges"]["from"]) == 1  # Napoleon - Myriel, once
    directed = page_data(build_html(nx.DiGraph([("a", "b")])))
    assert directed["options"]["edges"]["arrows"]["to"]["enabled"] is True


def test_an_undirected_network_is_cut_by_its_links() -> None:
    graph = nx.Graph()
    graph.add_node("kp", role="regime")
    graph.add_edges_from([("garments", "cn"), ("cn", "kp"), ("kp", "ru")])
    data = page_data(build_html(graph, cut=["cn"]))
    assert data["cut"]["disconnected"] == ["garments"]
    assert data["cut"]["cutEdges"] == 2 and data["cut"]["disconnectedEdges"] == 0
    marked = [edge for edge in data["extra"]["edges"].values() if edge["style"].get("cut")]
    assert len(marked) == 2 == len(data["edges"]["from"]) - 1
