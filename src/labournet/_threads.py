"""Chunks of draws evaluated side by side, one thread per usable core.

The evaluation of a chunk of joint draws is a few dozen numpy operations and scipy sparse
products on arrays of placements x draws; both release the GIL while they run, so threads
share the cores without copying anything. Each chunk writes its own columns of the results
(or returns what its caller adds up in order), so the results do not depend on how many
threads ran, nor in which order the chunks finished.

>>> list(in_order(lambda x: x * x, range(5), workers=2))
[0, 1, 4, 9, 16]
"""

from __future__ import annotations

import contextlib
import os
import queue
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Generic, TypeVar

__all__ = [
    "usable_cpu_ids",
    "usable_cores",
    "chunk_workers",
    "shared_chunk",
    "in_order",
    "for_each",
    "Buffers",
    "THREADS_ENV",
]

THREADS_ENV = "LABOURNET_THREADS"
"""Environment variable that caps the threads (``1``: every chunk in the calling thread)."""

MAX_WORKERS = 8

Item = TypeVar("Item")
Out = TypeVar("Out")


def usable_cpu_ids() -> set[int] | None:
    """The ids of the cores this process may run on (``os.sched_getaffinity``), or None where
    the system does not say (macOS and Windows)."""
    try:
        return set(os.sched_getaffinity(0))
    except AttributeError:
        return None


def usable_cores() -> int:
    """How many cores this process may run on: `usable_cpu_ids`, else ``os.cpu_count``."""
    ids = usable_cpu_ids()
    return len(ids) if ids is not None else os.cpu_count() or 1


def chunk_workers(n_chunks: int) -> int:
    """Threads for `n_chunks` chunks: one per core this process may run on
    (``os.sched_getaffinity``), at most `MAX_WORKERS`, `THREADS_ENV` if set, never more
    than the chunks.

    Unlike a parallel centrality engine (`labournet.analysis._engines`), the chunks cost the
    same CPU however many threads share them, so a busy machine costs nothing but the wait:
    the load does not cut the count.
    """
    cores = usable_cores()
    wanted = os.environ.get(THREADS_ENV, "").strip()
    if wanted.isdigit() and int(wanted) >= 1:
        cores = int(wanted)
    return max(1, min(cores, MAX_WORKERS, n_chunks))


def in_order(task: Callable[[Item], Out], items: Iterable[Item], *, workers: int) -> Iterator[Out]:
    """``map(task, items)`` on `workers` threads: results in the items' order, each item taken
    from `items` (in this thread) only when a thread is free for it, so that at most `workers`
    chunks are in memory at once. One worker runs every task here, in this thread."""
    if workers <= 1:
        yield from map(task, items)
        return
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="labournet-chunk") as pool:
        pending: deque[Future[Out]] = deque()
        for item in items:
            if len(pending) >= workers:
                yield pending.popleft().result()
            pending.append(pool.submit(task, item))
        while pending:
            yield pending.popleft().result()


def shared_chunk(total: int, whole: int) -> tuple[int, int]:
    """Columns per chunk and threads for `total` columns that one thread would take `whole`
    at a time: the threads' chunks share that one chunk's memory.

    >>> chunk, threads = shared_chunk(1000, 300)
    >>> chunk * threads <= 300, chunk == 300 // threads
    (True, True)
    """
    threads = chunk_workers(-(-total // whole))
    return max(1, whole // threads), threads


def for_each(
    task: Callable[[Item], object], items: Iterable[Item], *, workers: int | None = None
) -> None:
    """Run `task` on every item, on `workers` threads (default `chunk_workers` of the items);
    the items are taken as threads free up (`in_order`), so a generator may make them."""
    if workers is None:
        items = list(items)
        workers = chunk_workers(len(items))
    deque(in_order(task, items, workers=workers), maxlen=0)


class Buffers(Generic[Out]):
    """One buffer per thread, made once and lent to a task while it runs.

    >>> buffers = Buffers(list, 2)
    >>> with buffers.lent() as first, buffers.lent() as second:
    ...     first is not second
    True
    """

    def __init__(self, make: Callable[[], Out], count: int) -> None:
        self._free: queue.SimpleQueue[Out] = queue.SimpleQueue()
        for _ in range(count):
            self._free.put(make())

    @contextlib.contextmanager
    def lent(self) -> Iterator[Out]:
        buffer = self._free.get()
        try:
            yield buffer
        finally:
            self._free.put(buffer)
