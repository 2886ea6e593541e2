"""Chunks of draws on several threads: the same results as one thread, chunk by chunk."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

import labournet
from labournet import _threads
from labournet._threads import THREADS_ENV, chunk_workers, in_order
from labournet.analysis import flows
from labournet.analysis.flows import build_flow_model
from labournet.analysis.pressure import pressure_points
from labournet.analysis.uncertainty import monte_carlo
from labournet.model import formulas


def test_in_order_keeps_the_order_and_holds_at_most_workers_items():
    taken, running, most = [], [0], [0]
    lock = threading.Lock()

    def items():
        for i in range(12):
            taken.append(i)
            yield i

    def task(i):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.01 * (i % 3))  # later items may finish first
        with lock:
            running[0] -= 1
        return i * 10

    results = []
    for out in in_order(task, items(), workers=3):
        results.append(out)
        assert len(taken) - len(results) <= 3  # never more than 3 items taken and not yielded
    assert results == [i * 10 for i in range(12)]
    assert 1 < most[0] <= 3


def test_in_order_raises_the_tasks_error():
    def task(i):
        if i == 2:
            raise ValueError("chunk 2")
        return i

    with pytest.raises(ValueError, match="chunk 2"):
        list(in_order(task, range(5), workers=2))


def test_one_worker_runs_in_the_calling_thread():
    names = list(in_order(lambda _: threading.current_thread().name, range(3), workers=1))
    assert names == [threading.current_thread().name] * 3


def test_chunk_workers_follow_the_cores_the_setting_and_the_chunks(monkeypatch):
    monkeypatch.setattr(_threads.os, "sched_getaffinity", lambda _: {0, 1}, raising=False)
    monkeypatch.delenv(THREADS_ENV, raising=False)
    assert chunk_workers(10) == 2
    assert chunk_workers(1) == 1
    monkeypatch.setenv(THREADS_ENV, "1")
    assert chunk_workers(10) == 1
    monkeypatch.setenv(THREADS_ENV, "4")
    assert chunk_workers(10) == 4
    monkeypatch.setenv(THREADS_ENV, "many")  # not a count: the cores
    assert chunk_workers(10) == 2


@pytest.fixture()
def bundled():
    return build_flow_model(labournet.load_dataset())


def test_the_pressure_table_is_the_same_on_one_thread_or_four_in_small_chunks(monkeypatch):
    def table(threads: str, chunk_values: float | None):
        monkeypatch.setenv(THREADS_ENV, threads)
        model = build_flow_model(labournet.load_dataset())  # no cached totals or draws
        if chunk_values is not None:  # and the percentiles of 3 rows at a time
            monkeypatch.setattr(flows, "CHUNK_VALUES", chunk_values * model.n_placements)
            monkeypatch.setattr(flows, "PERCENTILE_VALUES", 3 * flows.INTERVAL_DRAWS)
        frame = pressure_points(model).to_frame()
        monkeypatch.undo()
        return frame

    whole = table("1", None)  # every draw in one chunk
    assert whole.equals(table("1", 9))  # 9 draws a chunk
    assert whole.equals(table("4", 9))  # 2 a chunk on each of 4 threads


def test_triangular_draws_are_the_same_on_one_thread_or_four_in_small_blocks(monkeypatch):
    system = build_flow_model(labournet.load_dataset()).system
    draws = {}
    for threads, block in (("1", None), ("1", 7), ("4", 7)):
        monkeypatch.setenv(THREADS_ENV, threads)
        if block is not None:  # 7 draws of every figure a block
            monkeypatch.setattr(formulas, "TRIANGULAR_BLOCK", 7 * len(system.figures))
        draws[threads, block] = system.draw(500, np.random.default_rng(4))
        monkeypatch.undo()
    assert np.array_equal(draws["1", None], draws["1", 7])
    assert np.array_equal(draws["1", None], draws["4", 7])


def test_the_monte_carlo_is_the_same_on_one_thread_or_four(monkeypatch, bundled):
    tables = {}
    for threads in ("1", "4"):
        monkeypatch.setenv(THREADS_ENV, threads)
        for seed in (0, 3):  # the intervals' cached draws, and draws of its own
            found = monte_carlo(bundled, draws=300, seed=seed, chunk=7)
            tables[threads, seed] = found.table
    assert tables["1", 0].equals(tables["4", 0])
    assert tables["1", 3].equals(tables["4", 3])
    assert not tables["1", 0]["revenue_p50"].equals(tables["1", 3]["revenue_p50"])
