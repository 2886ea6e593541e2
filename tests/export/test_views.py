"""Which nodes a view draws, and what a scenario cut removes (hand-checked on the toy graph)."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

from labournet.errors import ExportError
from labournet.views.select import cut_scenario, find_regime, node_values, select_view


def test_node_values_fall_back_to_degree(toy: nx.MultiDiGraph) -> None:
    values = node_values(toy, None)
    assert values.fallback and values.column == "degree"
    assert values.values["kp"] == 4  # sends to cn and ru, receives from cn and ru
    assert values.ranked(2) == ["cn", "kp"]  # cn: 5 relations; kp: 4


def test_node_values_use_the_score_column(toy: nx.MultiDiGraph) -> None:
    scores = pd.DataFrame({"pressure_score": [0.9, 0.5, float("nan")]}, index=["cn", "ru", "us"])
    values = node_values(toy, scores)
    assert not values.fallback and values.column == "pressure_score"
    assert values.values["cn"] == 0.9 and values.values["us"] == 0.0 and values.values["kp"] == 0
    assert values.ranked(2) == ["cn", "ru"]


def test_node_values_fall_back_when_the_column_is_missing(toy: nx.MultiDiGraph) -> None:
    scores = pd.DataFrame({"betweenness": [1.0]}, index=["cn"])
    assert node_values(toy, scores, "pressure_score").fallback


def test_auto_view_is_the_network_when_small(toy: nx.MultiDiGraph) -> None:
    view = select_view(toy, node_values(toy))
    assert view.kind == "network" and view.nodes == frozenset(toy) and not view.note


def test_auto_view_is_the_top_view_when_large(toy: nx.MultiDiGraph) -> None:
    view = select_view(toy, node_values(toy), top_k=1, max_nodes=5)
    assert view.kind == "top" and view.top == ("cn",)
    assert view.nodes == {"cn", "kp", "garments", "us"}
    assert "more than the 5" in view.note


def test_top_view_keeps_the_highest_neighbours_when_too_many(toy: nx.MultiDiGraph) -> None:
    view = select_view(toy, node_values(toy), view="top", top_k=1, max_nodes=3)
    assert view.nodes == {"cn", "kp", "us"}  # kp (4) and us (2) outrank garments (1)
    assert "the 2 with the highest degree are drawn" in view.note


def test_focus_view_takes_depth_steps_either_way(toy: nx.MultiDiGraph) -> None:
    values = node_values(toy)
    assert select_view(toy, values, focus="logging").nodes == {"logging", "ru"}
    two = select_view(toy, values, focus="logging", depth=2).nodes
    assert two == {"logging", "ru", "kp", "m1"}
    assert select_view(toy, values, view="focus", focus="logging", depth=0).nodes == {"logging"}


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"view": "focus"}, "needs an entity id"),
        ({"focus": "nowhere"}, "unknown id 'nowhere'"),
        ({"top_k": 0}, "top_k must be at least 1"),
        ({"view": "sideways"}, "unknown view"),
    ],
)
def test_select_view_errors(toy: nx.MultiDiGraph, options: dict, message: str) -> None:
    with pytest.raises(ExportError, match=message):
        select_view(toy, node_values(toy), **options)


def test_cutting_a_host_disconnects_its_only_sector(toy: nx.MultiDiGraph) -> None:
    marks = cut_scenario(toy, ["cn"])
    assert marks.regime == "kp"
    assert marks.cut_nodes == {"cn"}
    assert {key for _, _, key in marks.cut_edges} == {
        "r-kp-cn", "r-cn-garments", "r-cn-kp", "r-us-cn"
    }  # fmt: skip
    assert marks.disconnected_nodes == {"garments"}
    assert marks.disconnected_edges == frozenset()  # its only relation is cut already


def test_cutting_relations_by_id(toy: nx.MultiDiGraph) -> None:
    marks = cut_scenario(toy, ["r-kp-ru", "r-ru-kp"])
    assert marks.cut_nodes == frozenset()
    assert {key for _, _, key in marks.cut_edges} == {"r-kp-ru", "r-ru-kp"}
    assert marks.disconnected_nodes == frozenset()  # ru still reaches kp via m1, us and cn
    marks = cut_scenario(toy, ["cn", "r-kp-ru", "r-ru-kp"])
    assert marks.disconnected_nodes == {"garments", "ru", "logging", "us", "m1"}
    assert {key for _, _, key in marks.disconnected_edges} == {
        "r-ru-logging", "r-us-m1", "r-m1-ru"
    }  # fmt: skip
    assert marks.requested == ("cn", "r-kp-ru", "r-ru-kp")


def test_cut_errors(toy: nx.MultiDiGraph) -> None:
    with pytest.raises(ExportError, match=r"unknown id 'zz' \(--cut\)"):
        cut_scenario(toy, ["cn", "zz"])
    with pytest.raises(ExportError, match="cannot cut the regime"):
        cut_scenario(toy, ["kp"])
    del toy.nodes["kp"]["role"]
    with pytest.raises(ExportError, match="no entity has role .regime."):
        cut_scenario(toy, ["cn"])
    assert cut_scenario(toy, ["cn"], regime="kp").disconnected_nodes == {"garments"}


def test_find_regime_prefers_the_graph_attribute(toy: nx.MultiDiGraph) -> None:
    assert find_regime(toy) == "kp"
    toy.graph["regime"] = "ru"
    assert find_regime(toy) == "ru"
    with pytest.raises(ExportError, match="unknown regime .zz."):
        find_regime(toy, "zz")
