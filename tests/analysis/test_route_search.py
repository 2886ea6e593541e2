"""The remittance route search stays fast on a dense remits_to mesh, and says why it stops."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import labournet
from labournet.analysis.scenario import scenario
from labournet.errors import AnalysisError

ORGS = [f"o{i}" for i in range(1, 21)]


def _mesh(folder: Path, mini: Path, *, into_regime: bool) -> Path:
    """The mini fixture, with China also remitting into 20 organisations that all pass money to
    one another (380 relations); with `into_regime`, every organisation also remits to kp."""
    for name in ("sources.csv", "assumptions.csv", "figures.csv"):
        (folder / name).write_bytes((mini / name).read_bytes())
    entities = (mini / "entities.csv").read_text(encoding="utf-8")
    entities += "".join(f"{o},organisation,Org {o},A middleman,s-st,,,\n" for o in ORGS)
    (folder / "entities.csv").write_text(entities, encoding="utf-8")
    relations = (mini / "relations.csv").read_text(encoding="utf-8")
    rows = ["r-cn-o1,remits_to,cn,o1,China pays o1,s-st,,"]
    rows += [
        f"r-{a}-{b},remits_to,{a},{b},{a} pays {b},s-st,," for a in ORGS for b in ORGS if a != b
    ]
    if into_regime:
        rows += [f"r-{a}-kp,remits_to,{a},kp,{a} pays kp,s-st,," for a in ORGS]
    (folder / "relations.csv").write_text(relations + "\n".join(rows) + "\n", encoding="utf-8")
    return folder


def test_money_circulating_in_a_dead_end_costs_nothing(tmp_path: Path, mini_folder: Path):
    dataset = labournet.load_dataset(_mesh(tmp_path, mini_folder, into_regime=False))
    start = time.perf_counter()
    result = scenario(dataset, ["cn"])  # ran past 240 s before the search pruned dead ends
    assert time.perf_counter() - start < 30
    assert result.gross.revenue.best == pytest.approx(225e6)  # the direct route only


def test_a_dense_mesh_that_reaches_the_regime_stops_with_a_reason(
    tmp_path: Path, mini_folder: Path
):
    dataset = labournet.load_dataset(_mesh(tmp_path, mini_folder, into_regime=True))
    start = time.perf_counter()
    with pytest.raises(AnalysisError, match="too many remittance routes from 'cn'") as caught:
        scenario(dataset, ["cn"])
    assert time.perf_counter() - start < 60
    assert "dense mesh" in str(caught.value) and "(20 onward)" in str(caught.value)
