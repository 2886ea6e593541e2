"""The bundled network's view in headless Chromium: it draws, filters, explains, stays offline."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from chromium import Page
from PIL import Image

import labournet
from labournet.analysis.pressure import pressure_points
from labournet.views._page import figure_text
from labournet.views.html import export_html, scores_from_pressure

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def dataset() -> labournet.Dataset:
    return labournet.load_dataset()


@pytest.fixture
def view(dataset: labournet.Dataset, tmp_path: Path, open_view: Callable[..., Page]) -> Page:
    path = export_html(
        dataset, tmp_path / "view.html", scores=scores_from_pressure(pressure_points(dataset))
    )
    return open_view(path)


def drawn(page: Page) -> tuple[int, int]:
    """Nodes and edges the network is drawing now."""
    return tuple(
        page.evaluate(
            "[labournet.network.body.nodeIndices.length, labournet.network.body.edgeIndices.length]"
        )
    )


def test_the_view_holds_every_node_and_edge(view: Page, dataset: labournet.Dataset) -> None:
    assert view.evaluate("[labournet.nodes.length, labournet.edges.length]") == [39, 89]
    assert drawn(view) == (len(dataset.entities), len(dataset.relations))
    assert view.evaluate("labournet.node('kp').label") == "North Korea"
    assert view.evaluate("labournet.network.physics.physicsEnabled") is False  # settled
    assert view.evaluate("labournet.state.errors") == []
    assert view.exceptions == []


def test_the_screenshot_is_not_blank(view: Page) -> None:
    image = Image.open(io.BytesIO(view.screenshot())).convert("RGB")
    box = view.evaluate(
        "(() => { const r = document.getElementById('ln-network').getBoundingClientRect();"
        " return [r.left, r.top, r.right, r.bottom]; })()"
    )
    pixels = np.asarray(image.crop(tuple(int(v) for v in box))).reshape(-1, 3)
    inked = float((pixels != 255).any(axis=1).mean())
    colours = len(np.unique(pixels, axis=0))
    assert inked > 0.03, f"only {inked:.1%} of the network area is drawn"
    assert colours > 50


def test_the_page_requests_nothing_from_the_network(view: Page) -> None:
    view.settle(0.5)
    assert view.requests, "the page's own load should be seen"
    for url in view.requests:
        assert url.startswith(("file:", "data:")), url
    blocked = [entry for entry in view.log if entry.get("source") in ("network", "security")]
    assert blocked == []


def test_kind_checkboxes_filter_the_network(view: Page) -> None:
    def click_kind(kind: str) -> None:
        box = view.evaluate(
            "(() => { for (const label of document.querySelectorAll('#ln-legend-nodes label')) {"
            f"  if (label.querySelector('.ln-kind-name').textContent === {json.dumps(kind)}) {{"
            "    const r = label.querySelector('input').getBoundingClientRect();"
            "    return [r.left + r.width / 2, r.top + r.height / 2]; } } })()"
        )
        view.click(*box)

    click_kind("country")
    view.wait_for("labournet.network.body.nodeIndices.length === 25")
    assert view.evaluate("labournet.visibleNodeIds().includes('cn')") is False
    click_kind("country")
    view.wait_for("labournet.network.body.nodeIndices.length === 39")


def test_hovering_a_node_shows_its_figures_scores_and_sources(view: Page) -> None:
    x, y = view.evaluate(
        "(() => { const p = labournet.domPoint('cn');"
        " const r = document.getElementById('ln-network').getBoundingClientRect();"
        " return [r.left + p.x, r.top + p.y]; })()"
    )
    view.mouse_move(x, y)
    text = view.wait_for(
        "!document.getElementById('ln-tooltip').hidden &&"
        " document.getElementById('ln-tooltip').textContent"
    )
    assert text.startswith("China")
    share = next(f for f in labournet.load_dataset().figures if f.id == "f-cn-share")
    assert figure_text(share).startswith("share_in_hosts: 44% (") and figure_text(share) in text
    assert "rests on an assumption" in text
    assert "pressure_score" in text and "rank 2 of 11 hosts" in text  # as in the report
    assert "The Straits Times: New campaign to curb North's labour exports (2016-09-13)" in text


def test_an_edge_tooltip_shows_the_claim(view: Page) -> None:
    text = view.evaluate(
        "(() => { const i = labournet.data.edges.rid.indexOf('r-cn-remits-kp');"
        " return labournet.edgeTooltip(i).textContent; })()"
    )
    assert text.startswith("China → North Korea")
    revenue = next(f for f in labournet.load_dataset().figures if f.id == "f-cn-remits-revenue")
    low, high = (f"{v / 1e6:.3g} million" for v in (revenue.low, revenue.high))
    assert f"revenue: 132 million ({low}–{high}) USD per year, 2016" in text


def test_the_cut_view_marks_and_counts(
    dataset: labournet.Dataset, tmp_path: Path, open_view: Callable[..., Page]
) -> None:
    path = export_html(dataset, tmp_path / "cut.html", cut=["cn", "ru"])
    page = open_view(path)
    assert page.evaluate("labournet.node('cn').cut") is True
    assert page.evaluate("labournet.node('cn').color.background") == "#0072B2"
    side = page.evaluate("document.getElementById('ln-cut').textContent")
    assert "cut: cn, ru" in side and "Revenue cut: 240 million" in side
    # net of the regime's re-routing (substitution best 25%): 180 million, 60% of the total
    assert "lost net of the 25% the regime re-routes: 180 million" in side and "60%" in side


def test_a_large_view_draws_with_physics_off(
    tmp_path: Path, open_view: Callable[..., Page]
) -> None:
    G = nx.MultiDiGraph(nx.gnm_random_graph(3000, 6000, seed=2, directed=True))
    G = nx.relabel_nodes(G, {n: f"n{n}" for n in G})
    nx.set_node_attributes(G, "organisation", "kind")
    path = export_html(G, tmp_path / "large.html", view="network")
    page = open_view(path)
    assert page.evaluate("labournet.data.layout") == "precomputed"
    assert page.evaluate("labournet.network.physics.physicsEnabled") is False
    assert drawn(page) == (3000, 6000)
    assert page.evaluate("1 + 1") == 2  # the tab still answers
