"""labournet.analysis._engines: choosing the exact-betweenness engine by its expected time.

The choice is a pure function of the engines' CPU costs, their threads and the free cores, so
these tests give it synthetic ones; `test_centrality.py` checks the values whichever it picks.
"""

from __future__ import annotations

import os

import networkx as nx
import numpy as np
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
    assert cores.basis == ""  # the load average


STAT = """cpu  300 0 60 900 40 0 0 0 0 0
cpu0 100 0 20 300 10 0 0 0 0 0
cpu1 200 0 40 600 30 0 0 2 0 0
intr 12345
"""


def test_busy_ticks_are_all_but_idle_and_iowait_on_the_usable_cores(tmp_path):
    stat = tmp_path / "stat"
    stat.write_text(STAT)
    assert _engines._busy_jiffies(str(stat), {0, 1}) == 120 + 242
    assert _engines._busy_jiffies(str(stat), {1}) == 242  # steal counts: the core was not ours
    assert _engines._busy_jiffies(str(stat), None) == 362
    assert _engines._busy_jiffies(str(stat), {0, 2}) is None  # a usable core it cannot see
    assert _engines._busy_jiffies(str(tmp_path / "missing"), None) is None


def test_the_others_busy_cores_leave_out_this_process(monkeypatch: pytest.MonkeyPatch, tmp_path):
    """Over the window the cores ticked 1.5 s busy per second, 0.5 s of it this process's own."""
    readings = iter([1000, 1000 + 150 * 4])  # 4 s of wall time below, 100 ticks a second
    clock = iter([10.0, 14.0])
    own = iter([2.0, 4.0])
    monkeypatch.setattr(_engines, "_busy_jiffies", lambda stat, cpus: next(readings))
    monkeypatch.setattr(_engines, "_own_cpu_seconds", lambda: next(own))
    monkeypatch.setattr("time.monotonic", lambda: next(clock))
    monkeypatch.setattr("time.sleep", lambda seconds: None)
    monkeypatch.setattr(os, "sysconf", lambda name: 100)
    assert _engines.others_busy_cores(4.0) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("busy", "average", "load", "basis"),
    [
        (0.3, 1.4, 0.3, "over 0.25 s"),  # the window, not the average that counts us
        (1.95, 4.0, 4.0, "over 0.25 s, cores full"),  # full: the average counts who waits
        (None, 1.4, 1.4, ""),  # no /proc/stat: the average
    ],
)
def test_a_sampled_load_is_the_others_work_now(
    monkeypatch: pytest.MonkeyPatch, busy, average, load, basis
):
    monkeypatch.setattr(_engines, "usable_cores", lambda: 2)
    monkeypatch.setattr(_engines, "others_busy_cores", lambda window: busy)
    monkeypatch.setattr(os, "getloadavg", lambda: (average, average, average))
    cores = _engines.machine_cores(0.25)
    assert (cores.load, cores.basis) == (pytest.approx(load), basis)


@pytest.mark.skipif(not os.path.exists("/proc/stat"), reason="/proc/stat is Linux's")
def test_the_window_sees_another_process_spin_and_not_this_one():
    """A child process spinning on a core counts as a busy core; a thread of this process
    spinning at the same time does not."""
    import subprocess
    import sys
    import threading
    import time

    child = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    stop = threading.Event()

    def spin() -> None:
        while not stop.is_set():
            sum(range(1000))

    try:
        time.sleep(0.3)  # the child is running
        alone = _engines.others_busy_cores(0.5)
        spinner = threading.Thread(target=spin)
        spinner.start()
        time.sleep(0.1)
        before, started = os.times(), time.monotonic()
        beside_us = _engines.others_busy_cores(0.5)
        after, ended = os.times(), time.monotonic()
    finally:
        stop.set()
        child.kill()
        child.wait()
    ours = (after.user + after.system - before.user - before.system) / (ended - started)
    assert alone is not None and beside_us is not None
    assert alone >= 0.7  # the child's core, whatever else runs
    # busy cores never exceed the usable ones: the others' share and ours add up to at most
    # that only if ours was left out of the others'
    assert ours >= 0.3
    assert beside_us + ours <= len(os.sched_getaffinity(0)) + 0.1


def test_the_load_is_measured_only_when_it_decides_and_the_work_is_worth_the_wait(
    monkeypatch: pytest.MonkeyPatch,
):
    windows: list[float] = []

    def cores(window: float = 0.0) -> Cores:
        windows.append(window)
        return Cores(2, 0.0)

    monkeypatch.setattr(_engines, "machine_cores", cores)
    monkeypatch.setattr(_engines, "usable_cores", lambda: 2)
    monkeypatch.delenv("RAYON_NUM_THREADS", raising=False)
    small = projection(200, 1000, True)
    _engines.choose_betweenness(["igraph", "rustworkx"], small)
    edges = np.zeros(50_000, dtype=np.int64)  # only the sizes count
    big = _engines.Projection(list(range(10_000)), True, edges, edges, None)
    engine, reason = _engines.choose_betweenness(["igraph", "rustworkx"], big)
    assert (engine, windows) == ("rustworkx", [0.0, _engines.SAMPLE_SECONDS])
    windows.clear()
    _engines.choose_betweenness(["igraph", "networkit"], big)  # igraph on idle or busy cores
    assert windows == [0.0]
