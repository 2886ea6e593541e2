"""Progress of long work, for whoever listens: the CLI draws bars in a terminal.

Library code marks its long stages with `stage` and advances them; nothing is reported unless
a caller installed a reporter with `reporting` (the CLI does when stderr is a terminal), so
library calls, tests and piped commands stay quiet.

Example:
    >>> seen = []
    >>> with reporting(lambda name, done, total: seen.append((name, done, total))):
    ...     with stage("counting", total=2) as task:
    ...         task.advance()
    ...         task.advance()
    >>> seen
    [('counting', 0, 2), ('counting', 1, 2), ('counting', 2, 2), ('counting', 2, 2)]
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["Reporter", "Task", "reporting", "stage"]

Reporter = Callable[[str, int, "int | None"], None]
"""Called as ``reporter(stage, done, total)``; ``total`` is None while unknown, and a stage has
finished when ``done == total``."""

_reporter: ContextVar[Reporter | None] = ContextVar("labournet_progress", default=None)


class Task:
    """One running stage: `advance` it as parts of the work finish."""

    def __init__(self, name: str, total: int | None, reporter: Reporter | None) -> None:
        self.name, self.total, self.done = name, total, 0
        self._reporter = reporter

    def advance(self, amount: int = 1) -> None:
        self.update(self.done + amount)

    def update(self, done: int, total: int | None = None) -> None:
        """Set how much is done (and the total, if it became known)."""
        self.done = done
        if total is not None:
            self.total = total
        if self._reporter is not None:
            self._reporter(self.name, self.done, self.total)


@contextmanager
def reporting(reporter: Reporter | None) -> Iterator[None]:
    """Send the progress of the stages run inside to `reporter` (None: to nobody)."""
    token = _reporter.set(reporter)
    try:
        yield
    finally:
        _reporter.reset(token)


@contextmanager
def stage(name: str, total: int | None = None) -> Iterator[Task]:
    """A stage of long work: reported as started, at each `Task.advance`, and as finished (its
    ``done`` then equals its ``total``)."""
    reporter = _reporter.get()
    task = Task(name, total, reporter)
    if reporter is not None:
        reporter(name, 0, total)
    try:
        yield task
    finally:
        if reporter is not None:
            reporter(name, task.done, task.done)
