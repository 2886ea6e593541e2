"""Hostile text in names, claims, kinds and sources shows literally and runs nothing."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from chromium import Page

from labournet.views.html import export_html

pytestmark = pytest.mark.browser

samples = sys.modules["labournet_export_samples"]  # loaded by conftest.py

PAYLOADS: tuple[str, ...] = samples.PAYLOADS


@pytest.fixture
def hostile_view(tmp_path: Path, open_view: Callable[..., Page]) -> tuple[Page, object]:
    G = samples.hostile_graph()
    scores = pd.DataFrame({"pressure_score": [0.9, 0.5]}, index=["cn", "ru"])
    path = export_html(G, tmp_path / "hostile.html", scores=scores, cut=["cn"])
    page = open_view(path)
    # show every tooltip, as a reader hovering over everything would
    page.evaluate(
        "labournet.nodes.getIds().forEach(id => labournet.focusNode(id));"
        "labournet.edges.getIds().forEach(id => document.body.appendChild("
        " labournet.edgeTooltip(id)));"
        "document.querySelectorAll('#ln-top button').forEach(b => b.click()); true"
    )
    page.settle(0.5)
    return page, G


def test_nothing_runs(hostile_view: tuple[Page, object]) -> None:
    page, G = hostile_view
    assert page.evaluate("typeof window.__pwned") == "undefined"
    expected_title = G.graph["name"] + ": the whole network with a scenario cut"
    assert page.evaluate("document.title") == expected_title
    assert page.evaluate("document.getElementById('ln-title').textContent") == expected_title
    assert page.exceptions == []
    assert [e for e in page.log if e.get("source") == "security"] == []  # nothing was blocked


def test_no_markup_from_the_data_reaches_the_dom(hostile_view: tuple[Page, object]) -> None:
    page, _ = hostile_view
    found = page.evaluate(
        "({img: document.querySelectorAll('img, iframe, object, embed, b').length,"
        " styles: document.querySelectorAll('style').length,"
        " scripts: document.querySelectorAll('script').length,"
        " handlers: [...document.querySelectorAll('*')].filter(e =>"
        "   [...e.attributes].some(a => a.name.startsWith('on'))).length,"
        " jsLinks: document.querySelectorAll('a[href^=\"javascript\" i]').length,"
        " links: [...document.querySelectorAll('a')].map(a => a.href)})"
    )
    assert found["img"] == 0 and found["handlers"] == 0 and found["jsLinks"] == 0
    assert found["styles"] == 2 and found["scripts"] == 3  # the page's own, in <head>/<body>
    assert set(found["links"]) <= {"https://example.org/a?b=%3Cc%3E&d=%27e%27"}


def test_text_shows_literally(hostile_view: tuple[Page, object]) -> None:
    page, G = hostile_view
    for node in G.nodes:
        name = G.nodes[node]["name"]
        label = page.evaluate(f"labournet.node({json.dumps(node)}).label")
        assert label == name or (len(name) > 40 and label.endswith("…")), node
        tip = page.evaluate(f"labournet.nodeTooltip({json.dumps(node)}).textContent")
        assert tip.startswith(name)
        assert G.nodes[node]["description"] in tip
    legend = page.evaluate("document.getElementById('ln-legend-nodes').textContent")
    assert "<b onclick=alert(1)>kind</b>" in legend
    claims = page.evaluate(
        "labournet.edges.getIds().map(id => labournet.edgeTooltip(id).textContent)"
    )
    for (_, _, data), text in zip(G.edges(data=True), claims, strict=True):
        assert data["claim"] in text
    cn = page.evaluate("labournet.nodeTooltip('cn').textContent")
    assert samples.PAYLOADS[0] + ": " + samples.PAYLOADS[1] in cn  # publisher: title
    assert samples.JS_URL in cn  # a javascript: URL is shown, not linked
    assert "line\u2028separator\u2029paragraph" in page.evaluate(
        "labournet.data.nodeInfo.description.join('|')"
    )


JS_NAMES = ("constructor", "toString", "valueOf", "hasOwnProperty", "length", "__proto__")


def test_ids_and_kinds_named_after_javascript_properties_draw(
    tmp_path: Path, open_view: Callable[..., Page]
) -> None:
    import networkx as nx

    G = nx.MultiDiGraph(name="js names")
    G.add_node("kp", kind="country", name="Regime", role="regime")
    for name in JS_NAMES:  # "Maximum call stack size exceeded" or "Invalid array length" before
        G.add_node(name, kind=name, name=f"entity {name}")
        G.add_edge("kp", name, key=f"r-{name}", id=f"r-{name}", kind="sends_workers")
    page = open_view(export_html(G, tmp_path / "js.html", cut=["length"]))
    assert page.exceptions == []
    assert page.evaluate("labournet.state.ready") is True
    assert sorted(page.evaluate("labournet.visibleNodeIds()")) == sorted(["kp", *JS_NAMES])
    for name in JS_NAMES:
        assert page.evaluate(f"labournet.node({json.dumps(name)}).label") == f"entity {name}"
        tip = page.evaluate(f"labournet.nodeTooltip({json.dumps(name)}).textContent")
        assert tip.startswith(f"entity {name}")
    page.evaluate("labournet.setKindVisible('node', 'constructor', false); true")
    assert "constructor" not in page.evaluate("labournet.visibleNodeIds()")
