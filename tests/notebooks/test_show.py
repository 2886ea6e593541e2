"""`labournet.show`: the offline view in an iframe a notebook draws, escaped as an attribute."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

import labournet
from labournet.views.html import build_html, scores_from_pressure
from labournet.views.notebook import InlineView

SRCDOC = re.compile(r'^<iframe srcdoc="([^"]*)" sandbox="allow-scripts" [^<>]*></iframe>$')


def _srcdoc(view: InlineView) -> str:
    match = SRCDOC.match(view._repr_html_())
    assert match, view._repr_html_()[:200]
    return html.unescape(match.group(1))


def test_a_dataset_shows_as_its_offline_page(mini: labournet.Dataset) -> None:
    view = labournet.show(mini, view="top", top_k=2)
    assert _srcdoc(view) == view.page == build_html(mini, view="top", top_k=2)
    assert view.page.startswith("<!DOCTYPE html>")
    assert "<script src=" not in view.page


def test_the_iframe_is_one_element_with_nothing_of_the_page_as_markup(
    hostile: labournet.Dataset,
) -> None:
    cell = labournet.show(hostile)._repr_html_()
    assert cell.count("<") == 2 and cell.count(">") == 2  # <iframe ...> and </iframe>
    assert "<script" not in cell
    assert "&lt;script&gt;" in cell  # the page's own scripts, as text of the attribute
    page = _srcdoc(labournet.show(hostile))
    assert "<script>alert(" not in page  # the hostile name is escaped inside the page too


def test_a_graph_shows(mini: labournet.Dataset) -> None:
    G = labournet.to_networkx(mini)
    assert _srcdoc(labournet.show(G)) == build_html(G)


def test_a_pressure_result_shows_its_network_sized_by_its_scores(
    mini: labournet.Dataset,
) -> None:
    result = labournet.pressure_points(mini)
    expected = build_html(result.network, scores=scores_from_pressure(result))
    assert labournet.show(result).page == expected
    assert labournet.show(mini, scores=result).page == build_html(
        mini, scores=scores_from_pressure(result)
    )
    assert "pressure_score" in expected


def test_options_pass_to_the_page(mini: labournet.Dataset) -> None:
    view = labournet.show(mini, view="focus", focus="cn", height=300)
    assert "height: 300px" in view._repr_html_()
    assert view.page == build_html(mini, view="focus", focus="cn")


def test_a_bad_height_is_an_export_error(mini: labournet.Dataset) -> None:
    with pytest.raises(labournet.ExportError, match="height"):
        labournet.show(mini, height=0)


def test_save_writes_the_page(mini: labournet.Dataset, tmp_path: Path) -> None:
    view = labournet.show(mini)
    out = view.save(tmp_path / "views" / "mini.html")
    assert out.read_text(encoding="utf-8") == view.page
    assert "characters" in repr(view) and len(repr(view)) < 100
