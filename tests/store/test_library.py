"""Every shipped query runs on the bundled dataset and returns what the data says.

Expected rows are computed here from the Dataset in plain Python (an independent reading of
the same data), with a few facts checked by hand against data/dprk-labour-2016.
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd
import pytest

from labournet.errors import QueryError
from labournet.model.dataset import Dataset, Figure
from labournet.store import Store, library

QUERIES = sorted(library())


@pytest.fixture
def loaded(store: Store, bundled: Dataset) -> Store:
    store.load(bundled)
    return store


def best(figure: Figure | None) -> float | None:
    return None if figure is None else figure.estimate


def only(dataset: Dataset, subject: str, measure: str) -> Figure | None:
    found = dataset.figures_for(subject, measure)
    assert len(found) <= 1
    return found[0] if found else None


@pytest.mark.parametrize("name", QUERIES)
def test_every_shipped_query_runs_with_its_defaults(loaded: Store, name: str) -> None:
    query = library()[name]
    if query.scores:  # refused until an analysis has written the scores
        with pytest.raises(QueryError, match="no analysis has written"):
            loaded.run(query, {}, examples=True)
        loaded.write_scores(pd.DataFrame({"score": [0.5]}, index=["cn"]), prefix="pressure_")
    result = loaded.run(query, {}, examples=True)
    assert result.columns, name
    assert result.rows, name


def test_hosts_by_workers(loaded: Store, bundled: Dataset) -> None:
    table = loaded.query("hosts_by_workers").set_index("host")
    hosts = [r for r in bundled.relations if r.kind == "sends_workers" and r.source == "kp"]
    assert set(table.index) == {r.target for r in hosts}
    for send in hosts:
        workers = only(bundled, send.id, "workers")
        remits = [r for r in bundled.relations if r.kind == "remits_to" and r.source == send.target]
        revenue = sum(best(only(bundled, r.id, "revenue")) or 0 for r in remits)
        row = table.loc[send.target]
        assert row["workers_best"] == pytest.approx(best(workers))
        assert row["workers_low"] == pytest.approx(workers.low)
        assert row["revenue_best"] == pytest.approx(revenue)
        assumed = set(send.assumptions) | set(workers.assumptions)
        for remit in remits:
            assumed |= set(remit.assumptions) | set(only(bundled, remit.id, "revenue").assumptions)
        assert set(row["assumptions"]) == assumed
        assert row["assumed"] == bool(assumed)
    assert table.index[:2].tolist() == ["cn", "ru"]  # by hand: 33,000 and 27,000 workers
    assert table.loc["cn", "revenue_best"] == 132_000_000
    assert loaded.query("hosts_by_workers", limit=3).shape[0] == 3


def test_sectors_per_host(loaded: Store, bundled: Dataset) -> None:
    table = loaded.query("sectors_per_host")
    placements = [r for r in bundled.relations if r.kind == "works_in"]
    assert sorted(table["relation"]) == sorted(r.id for r in placements)
    china = loaded.query("sectors_per_host", host="cn").set_index("sector")
    assert china["workers_best"].to_dict() == {"garments": 19800.0, "construction": 13200.0}
    assert china.loc["garments", "wage_best"] == 300.0
    assert china.loc["garments", "earnings_kept_best"] == 100.0


def test_revenue_routes(loaded: Store, bundled: Dataset) -> None:
    table = loaded.query("revenue_routes")
    remits = {r.source: r for r in bundled.relations if r.kind == "remits_to" and r.target == "kp"}
    assert sorted(table["host"]) == sorted(remits)
    for _, row in table.iterrows():
        relation = remits[row["host"]]
        assert row["route"] == [row["host"], "kp"] and row["hops"] == 1
        assert row["relations"] == [relation.id]
        assert row["revenue_best"] == pytest.approx(best(only(bundled, relation.id, "revenue")))
    assert table["revenue_best"].is_monotonic_decreasing


def test_revenue_routes_through_intermediaries(store: Store, network: Dataset) -> None:
    """Multi-hop routes: host -> employer -> regime, on a network built for it."""
    import dataclasses

    from labournet.model.dataset import Relation

    extra = (
        Relation("x1", "remits_to", "c1", "o1", "via an employer", ("s0",)),
        Relation("x2", "remits_to", "o1", "c0", "employer pays the regime", ("s0",), ("a0",)),
        Relation("x0", "sends_workers", "c0", "c1", "workers sent", ("s0",)),
    )
    figures = (
        Figure("fx1", "x1", "revenue", 10.0, 30.0, 20.0, "USD per year", 2016, "c", ("s0",)),
        Figure("fx2", "x2", "revenue", 5.0, 15.0, None, "USD per year", 2016, "c", ("s0",)),
    )
    small = dataclasses.replace(
        network,
        entities=tuple(e for e in network.entities if e.id in ("c0", "c1", "o1")),
        relations=extra,
        figures=figures,
    )
    store.load(small)
    table = loaded_routes = store.query("revenue_routes", regime="c0")
    assert loaded_routes["route"].tolist() == [["c1", "o1", "c0"]]
    assert loaded_routes["relations"].tolist() == [["x1", "x2"]]
    row = table.iloc[0]
    assert (row["hops"], row["revenue_low"], row["revenue_best"], row["revenue_high"]) == (
        2, 5.0, 10.0, 15.0,
    )  # fmt: skip
    assert bool(row["assumed"]) is True


def test_actor_reach(loaded: Store, bundled: Dataset) -> None:
    table = loaded.query("actor_reach")
    hosts = {r.target for r in bundled.relations if r.kind == "sends_workers"}
    expected = {
        (r.source, r.target, "pressures", None)
        for r in bundled.relations
        if r.kind == "pressures" and r.target in hosts
    }
    takes = defaultdict(set)
    for r in bundled.relations:
        if r.kind == "takes_measure":
            takes[r.target].add(r.source)
    for r in bundled.relations:
        if r.kind == "targets" and r.target in hosts:
            expected |= {(actor, r.target, "measure", r.source) for actor in takes[r.source]}
    rows = {
        (a, h, v, m if isinstance(m, str) else None)
        for a, h, v, m in table[["actor", "host", "via", "measure"]].itertuples(index=False)
    }
    assert rows == expected
    assert ("mt", "mt", "measure", "mt-permit-nonrenewal") in rows  # by hand
    assert set(loaded.query("actor_reach", actor="pl")["host"]) == {"pl"}


def test_measures_and_targets(loaded: Store, bundled: Dataset) -> None:
    table = loaded.query("measures_and_targets")
    measures = {e.id for e in bundled.entities if e.kind == "measure"}
    assert set(table["measure"]) == measures
    aims = {(r.source, r.target) for r in bundled.relations if r.kind == "targets"}
    got = {
        (m, t)
        for m, t in table[["measure", "target"]].itertuples(index=False)
        if isinstance(t, str)
    }
    assert got == aims
    visas = table[table["figure"] == "visas"].iloc[0]
    assert (visas["measure"], visas["target"], visas["best"]) == ("pl-visa-halt", "pl", 156.0)
    campaign = table[table["measure"] == "us-kr-campaign"].iloc[0]
    assert sorted(campaign["taken_by"]) == ["kr", "us"] and pd.isna(campaign["target"])


def test_evidence(loaded: Store, bundled: Dataset) -> None:
    table = loaded.query("evidence", id="r-cn-remits-kp")
    relation = bundled.relation("r-cn-remits-kp")
    figure = only(bundled, relation.id, "revenue")
    expected = {("relation", relation.id, s) for s in relation.sources} | {
        ("figure", figure.id, s) for s in figure.sources
    }
    assert set(table[["item", "item_id", "source"]].itertuples(index=False, name=None)) == expected
    publishers = dict(zip(table["source"], table["publisher"], strict=True))
    assert publishers["s-st-2016-09-13"] == "The Straits Times"
    entity = loaded.query("evidence", id="other-hosts")
    assert set(entity["item"]) == {"entity", "figure"}
    assert sorted(entity[entity["item"] == "entity"]["assumptions"].iloc[0]) == ["a-other-hosts"]


def test_assumptions(loaded: Store, bundled: Dataset) -> None:
    table = loaded.query("assumptions").set_index("assumption")
    assert set(table.index) == {a.id for a in bundled.assumptions}
    for assumption in bundled.assumptions:
        row = table.loc[assumption.id]
        figures = {f.id for f in bundled.figures if assumption.id in f.assumptions}
        relations = {r.id for r in bundled.relations if assumption.id in r.assumptions}
        entities = {e.id for e in bundled.entities if assumption.id in e.assumptions}
        assert (set(row["figures"]), set(row["relations"]), set(row["entities"])) == (
            figures, relations, entities,
        )  # fmt: skip
        assert row["dependents"] == len(figures) + len(relations) + len(entities)
    assert table["dependents"].is_monotonic_decreasing
    assert table.index[0] == "a-campaign-reach"  # by hand: the 22 pressures relations


def test_top_pressure_points_reads_stored_scores(loaded: Store) -> None:
    frame = pd.DataFrame(
        {"score": [0.9, 0.7, 0.8], "assumed": [True, False, True]},
        index=["cn", "ru", "r-cn-works-garments"],
    )
    loaded.write_scores(frame, prefix="pressure_")
    table = loaded.query("top_pressure_points")
    assert table["id"].tolist() == ["cn", "r-cn-works-garments", "ru"]
    assert table["element"].tolist() == ["entity", "relation", "entity"]
    assert table["name"].tolist()[1] == "China -> Garments"
    assert loaded.query("top_pressure_points", limit=1)["id"].tolist() == ["cn"]
    with pytest.raises(QueryError, match="no analysis has written score_missing yet"):
        loaded.query("top_pressure_points", score="score_missing")


def test_neighbourhood(loaded: Store, bundled: Dataset) -> None:
    table = loaded.query("neighbourhood", id="cn")
    touching = [r for r in bundled.relations if "cn" in (r.source, r.target)]
    assert sorted(table["relation"]) == sorted(r.id for r in touching)
    for _, row in table.iterrows():
        relation = bundled.relation(row["relation"])
        out = relation.source == "cn"
        assert row["direction"] == ("out" if out else "in")
        assert row["neighbour"] == (relation.target if out else relation.source)
