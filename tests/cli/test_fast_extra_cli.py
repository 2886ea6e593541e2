"""The command line without the fast extra (igraph, networkit, rustworkx): the main job runs,
a named engine is a one-line error that says how to install it, "auto" warns once and falls
back to networkx. The extra is hidden by packages of the same names whose import fails."""

from __future__ import annotations

import os
from pathlib import Path

import networkx as nx
import pytest

INSTALL = "pip install 'labournet[fast]'"


@pytest.fixture
def no_fast_extra(tmp_path: Path, entry) -> dict[str, str]:
    """The `entry` environment with every import of the compiled engines failing."""
    hidden = tmp_path / "hidden"
    for name in ("igraph", "networkit", "rustworkx"):
        (hidden / name).mkdir(parents=True)
        (hidden / name / "__init__.py").write_text(
            f"raise ImportError('{name} is hidden by the test')\n", encoding="utf-8"
        )
    env = dict(entry.env)
    env["PYTHONPATH"] = os.pathsep.join([str(hidden), env["PYTHONPATH"]])
    return env


def test_the_main_job_needs_no_compiled_engine(tmp_path: Path, entry, no_fast_extra):
    done = entry("report", "-o", str(tmp_path / "out"), "--draws", "50", env=no_fast_extra)
    assert done.returncode == 0, done.stderr
    assert INSTALL not in done.stderr and "Traceback" not in done.stderr
    assert (tmp_path / "out" / "network.html").stat().st_size > 0


def test_a_named_engine_is_one_clean_error(entry, no_fast_extra):
    engine = "rustworkx"  # igraph and networkit alike: tests/analysis/test_centrality.py
    done = entry("centrality", "-m", "betweenness", "--engine", engine, env=no_fast_extra)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[1:] == [
        f"error: engine '{engine}' is not installed; the compiled engines come with {INSTALL}"
    ]
    assert done.stdout == ""


def test_auto_on_a_large_graph_warns_once_and_uses_networkx(tmp_path: Path, entry, no_fast_extra):
    G = nx.gnm_random_graph(150, 600, seed=3, directed=True)
    nx.write_graphml(G, tmp_path / "g.graphml")
    args = ("centrality", str(tmp_path / "g.graphml"), "-m", "betweenness", "--format", "csv")
    done = entry(*args, env=no_fast_extra)
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == [
        "warning: betweenness on 150 nodes computed by networkx, which is slower: the compiled "
        f"engines are not installed ({INSTALL})"
    ]
    expected = nx.betweenness_centrality(G)
    rows = dict(line.split(",")[:2] for line in done.stdout.splitlines()[1:])
    assert abs(float(rows["0"]) - expected[0]) < 1e-12
    small = entry("centrality", "-m", "betweenness", env=no_fast_extra)  # 39 entities
    assert small.returncode == 0 and "warning:" not in small.stderr, small.stderr
