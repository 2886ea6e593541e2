"""Progress bars on stderr for the stages of `labournet.progress`, in a terminal only.

A piped or redirected stderr gets nothing, and neither does stdout: the bars never take over
``sys.stdout`` (a report piped into a file stays the report). The bars show while a stage runs
and go when the last running stage ends.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from labournet.progress import reporting

__all__ = ["progress_bars"]


class _Bars:
    def __init__(self, console: Console) -> None:
        self.console = console
        self.progress: Progress | None = None
        self.tasks: dict[str, TaskID] = {}
        self.running: set[str] = set()

    def __call__(self, name: str, done: int, total: int | None) -> None:
        if self.progress is None:
            self.progress = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=self.console,
                transient=True,
                redirect_stdout=False,
                redirect_stderr=False,
            )
            self.progress.start()
        task = self.tasks.get(name)
        if task is None:
            task = self.tasks[name] = self.progress.add_task(name, total=total)
        self.progress.update(task, completed=done, total=total)
        finished = total is not None and done >= total
        (self.running.discard if finished else self.running.add)(name)
        if not self.running:
            self.close()

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()
        self.progress, self.tasks = None, {}


@contextmanager
def progress_bars(console: Console) -> Iterator[None]:
    """Show the progress of the stages run inside as bars on `console`, if it is a terminal."""
    if not console.is_terminal:
        yield
        return
    bars = _Bars(console)
    try:
        with reporting(bars):
            yield
    finally:
        bars.close()
