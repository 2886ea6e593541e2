"""The linear provenance equals the plain row-by-row union it replaces."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

import labournet
from labournet.analysis.flows import FlowModel, as_flow_model
from labournet.analysis.pressure import components
from labournet.analysis.provenance import assumptions_behind, provenance

ROOT = Path(__file__).resolve().parents[2]


def _generated(tmp_path: Path, entities: int, seed: int) -> labournet.Dataset:
    spec = importlib.util.spec_from_file_location("generate", ROOT / "benchmarks" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    folder = module.generate(tmp_path / "net", entities=entities, relations=entities * 5, seed=seed)
    return labournet.load_dataset(folder)


def _reference(model: FlowModel, row: int, limit: int | None) -> tuple[object, ...]:
    """A row's provenance the plain way: the union of the figure sets of every host, slot and
    route its placements are on."""
    placements = model.incidence[row].indices
    trace = model.traced
    figures: set[int] = set()
    assumptions: set[int] = set()
    for index, figs, assumed in (
        (model.placement_host, trace.host_figures, trace.host_assumptions),
        (model.placement_slot, trace.slot_figures, trace.slot_assumptions),
        (model.placement_route, trace.route_figures, trace.route_assumptions),
    ):
        for part in set(index[placements].tolist()):
            figures |= set(figs[part].indices.tolist())
            assumptions |= set(assumed[part].indices.tolist())
    ordered = sorted(figures)
    sources = {s for f in ordered for s in model.figures[f].sources}
    candidate = model.candidates[row]
    if candidate in model.graph:
        sources |= set(model.graph.nodes[candidate].get("sources", ()))
    return (
        tuple(model.figures[f].id for f in ordered[:limit]),
        len(ordered),
        tuple(sorted(sources)),
        tuple(model.assumption_ids[a] for a in sorted(assumptions)),
    )


def _check(model: FlowModel, limit: int | None) -> int:
    rows = components(model).rows
    found = provenance(model, rows, limit)
    for i, row in enumerate(rows):
        got = (found.figures[i], int(found.n_figures[i]), found.sources(i), found.assumptions[i])
        assert got == _reference(model, int(row), limit), model.candidates[row]
        # a row names at most one group per host, slot and route it is on, and its entity's
        placements = model.incidence[row].indices
        parts = sum(
            len(set(index[placements].tolist()))
            for index in (model.placement_host, model.placement_slot, model.placement_route)
        )
        assert len(found.source_groups[i]) <= parts + 1
        assert list(found.source_groups[i]) == sorted(found.source_groups[i], key=_number)
    sets = [frozenset(sources) for sources in found.groups.values()]
    assert len(set(sets)) == len(sets) and all(sets)  # each group once, none empty
    assert {g for refs in found.source_groups for g in refs} == set(found.groups)  # all named
    assert all(list(s) == sorted(s) for s in found.groups.values())
    return len(rows)


def _number(group: str) -> int:
    return int(group.removeprefix("g"))


@pytest.mark.parametrize("name", ["dprk-labour-2016", "dprk-labour-2016-2024"])
@pytest.mark.parametrize("limit", [None, 1, 25])
def test_bundled_data_equals_the_plain_union(name: str, limit: int | None) -> None:
    model = as_flow_model(labournet.load_dataset(ROOT / "data" / name))
    assert _check(model, limit) > 10
    # a figure several hosts share (the substitution) and own route figures are exercised
    owners = np.asarray(model.traced.host_figures.sum(axis=0)).ravel()
    assert (owners > 1).any()
    assert model.traced.route_figures.nnz > 0


@pytest.mark.parametrize("seed", [1, 2])
def test_generated_network_equals_the_plain_union(tmp_path: Path, seed: int) -> None:
    model = as_flow_model(_generated(tmp_path, 1_500, seed))
    assert _check(model, 4) > 100


def test_assumptions_behind_joins_the_rows() -> None:
    model = as_flow_model(labournet.load_dataset())
    index = model.candidate_index()
    rows = np.array([index["cn"], index["ru"]])
    found = provenance(model, rows)
    assert assumptions_behind(model, rows) == {*found.assumptions[0], *found.assumptions[1]}


def test_the_groups_of_a_few_rows_are_only_those_they_name() -> None:
    model = as_flow_model(labournet.load_dataset(ROOT / "data" / "dprk-labour-2016-2024"))
    rows = components(model).rows
    few = provenance(model, rows[:3])
    named = {g for refs in few.source_groups for g in refs}
    assert named == set(few.groups) and len(few.groups) < len(provenance(model, rows).groups)
    for i, row in enumerate(rows[:3]):
        assert few.sources(i) == _reference(model, int(row), None)[2]
