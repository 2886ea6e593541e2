"""labournet.analysis._engines: choosing the exact-betweenness engine by its expected time.

The choice is a pure function of the engines' CPU costs, their threads and the free cores, so
these tests give it synthetic ones; `test_centrality.py` checks the values whichever it picks.
"""

from __future__ import annotations

import os

import networkx as nx
import pytest

from labournet.analysis import _engines
from labournet.analysis._engines import Cores, Estimate, fastest

# the measured shape of the problem at 10,000 nodes and 50,000 edges: igraph's one thread
# spends less CPU than rustworkx's two
IGRAPH = Estimate("igraph", cpu_seconds=11.7, threads=1)
RUSTWORKX = Estimate("rustworkx", cpu_seconds=20.0, threads=2)
NETWORKIT = Estimate("networkit", cpu_seconds=50.0, threads=2)


@pytest.mark.parametrize(
    ("usable", "load", "free"),
    [(2, 0.0, 2.0), (2, 0.5, 1.5), (2, 1.0, 1.0), (2, 3.0, 0.5), (1, 0.0, 1.0), (4, 5.0, 4 / 6)],
)
def test_free_cores_are_the_idle_ones_or_a_newcomers_share(usable, load, free):
    assert Cores(usable, load).free == pytest.approx(free)


def test_two_idle_cores_favour_the_parallel_engine():
    engine, _ = fastest([RUSTWORKX, IGRAPH, NETWORKIT], Cores(2, 0.0))
    assert engine == "rustworkx"  # 20 CPU-s over 2 cores = 10 s, igraph 11.7 s


@pytest.mark.parametrize("load", [0.5, 1.0, 2.0, 6.0])
def test_busy_cores_favour_the_engine_that_spends_less_cpu(load: float):
    engine, _ = fastest([RUSTWORKX, IGRAPH, NETWORKIT], Cores(2, load))
    assert engine == "igraph"


def test_a_cheaper_parallel_engine_wins_even_on_one_free_core():
    cheap = Estimate("rustworkx", cpu_seconds=10.0, threads=2)
    assert fastest([IGRAPH, cheap], Cores(2, 1.0))[0] == "rustworkx"


def test_equal_expected_times_keep_the_first_engine():
    twin = Estimate("networkit", cpu_seconds=11.7, threads=1)
    assert fastest([IGRAPH, twin], Cores(2, 3.0))[0] == "igraph"
    assert fastest([twin, IGRAPH], Cores(2, 3.0))[0] == "networkit"


def test_the_reason_gives_the_cores_and_every_engines_expected_time():
    _, reason = fastest([RUSTWORKX, IGRAPH, NETWORKIT], Cores(2, 1.0))
    assert reason == (
        "least expected time with 1 of 2 cores free (load 1.00): "
        "igraph 11.70 s (11.70 CPU-s, 1 thread on 1 core), "
        "rustworkx 20.00 s (20.00 CPU-s, 2 threads on 1 core), "
        "networkit 50.00 s (50.00 CPU-s, 2 threads on 1 core)"
    )


def projection(n: int, m: int, directed: bool) -> _engines.Projection:
    G = nx.gnm_random_graph(n, m, seed=1, directed=directed)
    edges = _engines.edge_arrays(G, None, None)
    return _engines.project(edges, directed=directed, multi=False, reading="unweighted")


@pytest.mark.parametrize("directed", [True, False], ids=["directed", "undirected"])
def test_the_estimate_is_the_measured_cost_times_brandes_work(
    monkeypatch: pytest.MonkeyPatch, directed: bool
):
    monkeypatch.delenv("RAYON_NUM_THREADS", raising=False)
    p = projection(200, 1000, directed)
    cores = Cores(3, 0.0)
    for engine, threads in (("igraph", 1), ("rustworkx", 3)):
        estimate = _engines.estimate_betweenness(engine, p, cores)
        ns = _engines.BETWEENNESS_CPU_NS[engine, directed]
        assert estimate.cpu_seconds == pytest.approx(ns * 1e-9 * 200 * (200 + 1000))
        assert estimate.threads == threads


def test_rayon_threads_follow_its_environment_variable(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("RAYON_NUM_THREADS", "1")
    assert _engines.engine_threads("rustworkx", Cores(2, 0.0)) == 1
    monkeypatch.setenv("RAYON_NUM_THREADS", "0")  # rayon's "default"
    assert _engines.engine_threads("rustworkx", Cores(2, 0.0)) == 2


@pytest.mark.fast
def test_networkit_runs_its_openmp_threads():
    import networkit

    threads = _engines.engine_threads("networkit", Cores(2, 0.0))
    assert threads == networkit.getMaxNumberOfThreads() >= 1


def test_machine_cores_are_this_process_affinity_and_the_load_average():
    cores = _engines.machine_cores()
    if hasattr(os, "sched_getaffinity"):
        assert cores.usable == len(os.sched_getaffinity(0))
    assert cores.usable >= 1 and cores.load >= 0.0 and cores.free > 0.0
