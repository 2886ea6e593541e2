"""What every command shares: the consoles, the dataset argument, error rendering."""

from __future__ import annotations

import unicodedata
import warnings
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.console import Console, ConsoleDimensions, RenderableType
from rich.markup import escape
from typer.core import TyperGroup, TyperOption

from labournet._text import plural
from labournet.analysis.flows import FlowModel, unfunded_host_warnings
from labournet.cli._bars import progress_bars
from labournet.errors import ExportError, LabournetError, ProblemsError
from labournet.model.dataset import Dataset
from labournet.progress import stage

__all__ = [
    "console",
    "err_console",
    "CONTEXT_SETTINGS",
    "DatasetPath",
    "OutputFormat",
    "RegimeOption",
    "LabournetGroup",
    "USER_ERROR",
    "show_error",
    "check_writable_folder",
    "check_writable_file",
    "load_dataset",
    "announce_input",
    "warn_about_model",
    "print_table",
    "as_text",
    "dataset_counts",
]


PIPE_WIDTH = 10_000
"""Columns of output that goes to a pipe or file with COLUMNS unset: wide enough that no table
is cut or wrapped by rich (a terminal's width means nothing there)."""


class _Console(Console):
    """A rich console that is wide when it writes to a pipe or file (COLUMNS unset), and leaves a
    closed pipe to `LabournetGroup` (rich itself exits 1)."""

    @property
    def size(self) -> ConsoleDimensions:
        size = Console.size.fget(self)  # type: ignore[attr-defined]
        if self._width is None and "COLUMNS" not in self._environ and not self.is_terminal:
            return ConsoleDimensions(PIPE_WIDTH, size.height)
        return size

    @size.setter
    def size(self, new_size: tuple[int, int]) -> None:
        Console.size.fset(self, new_size)  # type: ignore[attr-defined]

    def on_broken_pipe(self) -> None:
        self.quiet = True
        _silence_stdout()
        raise BrokenPipeError


console = _Console()
err_console = _Console(stderr=True)

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}
"""Settings of every command group: ``-h`` is ``--help``."""

USER_ERROR = 2
"""Exit code for bad input (data, arguments); 1 is for failures of the environment (a server)."""

DatasetPath = typer.Argument(
    None,
    help="Dataset folder (default: the bundled dataset data/dprk-labour-2016).",
    show_default=False,
)


class OutputFormat(StrEnum):
    """How a command prints rows: a table for people, or CSV or JSON for programs."""

    table = "table"
    csv = "csv"
    json = "json"


RegimeOption = typer.Option(
    None,
    "--regime",
    help="Id of the regime whose revenue is analysed \\[default: the one entity whose role is "
    "regime].",
    show_default=False,
)


def as_text(value: object) -> str:
    r"""`value` for a terminal: rich markup escaped and control characters shown as escapes,
    so nothing from data or arguments styles, clears or retitles the terminal.

    >>> print(as_text("China [/x]\x1b[2J"))
    China \[/x]\x1b[2J
    """
    text = "".join(
        char if char in "\n\t" or unicodedata.category(char)[0] != "C" else repr(char)[1:-1]
        for char in str(value)
    )
    return escape(text)


def dataset_counts(dataset: Any) -> str:
    """``3 entities, 1 relation, ...``: what a dataset holds, for a one-line summary."""
    return ", ".join(
        plural(len(items), word)
        for items, word in (
            (dataset.entities, "entity"),
            (dataset.relations, "relation"),
            (dataset.figures, "figure"),
            (dataset.sources, "source"),
            (dataset.assumptions, "assumption"),
        )
    )


def show_error(error: LabournetError) -> int:
    """Print a library error for a person, without a traceback, and return the exit code."""
    from labournet.errors import IncompleteGraphError, QueryError, ServerSetupError, StoreError

    if isinstance(error, ProblemsError):
        for problem in error.problems:
            err_console.print(as_text(problem), highlight=False, soft_wrap=True)
        err_console.print(
            f"[bold red]error:[/] {as_text(error.summary)}", highlight=False, soft_wrap=True
        )
        return USER_ERROR
    err_console.print(f"[bold red]error:[/] {as_text(error)}", highlight=False, soft_wrap=True)
    server_failure = isinstance(error, StoreError) and not isinstance(
        error, QueryError | ServerSetupError | IncompleteGraphError
    )
    return 1 if server_failure else USER_ERROR


def announce_input(path: str | Path | None) -> Path:
    """Say on standard error which dataset folder or graph file is read (the bundled dataset
    when `path` is None), as the command's first line, and return its path."""
    from labournet.resources import bundled_dataset_path

    source = Path(path) if path is not None else bundled_dataset_path()
    what = "dataset" if path is None or source.is_dir() else "network"
    where = str(source.resolve()) if source.exists() else str(source)
    tag = " (bundled; give a folder to read another)" if path is None else ""
    err_console.print(f"{what}: {as_text(where)}{tag}", highlight=False, soft_wrap=True)
    return source


def load_dataset(path: str | Path | None, *, regime: str | None = None) -> Dataset:
    """`labournet.load_dataset`, after `announce_input` has said which folder it reads."""
    from labournet.io.folder import load_dataset as load

    folder = announce_input(path)
    with stage("reading and checking the dataset"):
        return load(folder, regime=regime)


def print_table(table: RenderableType, out: Console | None = None) -> None:
    """Print a table whole: where the terminal is narrower than the table needs, print it at
    the width it needs (the terminal then wraps lines) rather than cut or fold its numbers."""
    import io

    out = out or console
    needed = Console(width=PIPE_WIDTH, file=io.StringIO()).measure(table).maximum
    if needed <= out.width:
        out.print(table)
        return
    wide = _Console(
        width=needed,
        file=out.file,
        color_system=out.color_system,  # type: ignore[arg-type]
        force_terminal=out.is_terminal,
        no_color=out.no_color,
    )
    wide.print(table)


def warn_about_model(model: FlowModel) -> None:
    """One warning line on standard error per gap the analysis would otherwise hide: a host
    with a route to the regime but no revenue figure (it counts as US$0 and ranks last)."""
    for _, text in unfunded_host_warnings(model):
        err_console.print(f"[yellow]warning:[/] {as_text(text)}", highlight=False, soft_wrap=True)


def check_writable_folder(folder: Path) -> None:
    """`ExportError` now, before any computation, if files cannot be written into `folder`
    (it is a file, or it or the folder it would be made in is not writable)."""
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"cannot write to {folder}: it is a file, not a folder (-o FOLDER)")
    _check_creatable(folder if folder.is_dir() else folder.parent, folder)


def check_writable_file(file: Path) -> None:
    """`ExportError` now, before any computation, if `file` cannot be written (``-`` is
    standard output and always can)."""
    if str(file) == "-":
        return
    if file.is_dir():
        raise ExportError(f"cannot write {file}: it is a folder, not a file (-o FILE)")
    if file.exists():
        try:
            with file.open("ab"):
                pass
        except OSError as error:
            raise ExportError(f"cannot write {file}: {error.strerror or error}") from error
        return
    _check_creatable(file.parent, file)


def _check_creatable(folder: Path, target: Path) -> None:
    """Probe the nearest existing folder on the way to `target` by creating a file in it."""
    import tempfile

    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise ExportError(f"cannot write {target}: {existing} is a file, not a folder")
    try:
        with tempfile.TemporaryFile(dir=existing):
            pass
    except OSError as error:
        reason = error.strerror or str(error)
        raise ExportError(f"cannot write {target}: {existing}: {reason}") from error


def _flags_as_flags(params: list[Any]) -> list[Any]:
    """Give flag options an empty metavar, so help shows ``--undirected``, not
    ``--undirected <bool>`` (typer labels every option by its type, flags included)."""
    for param in params:
        if isinstance(param, TyperOption) and param.is_flag and param.metavar is None:
            param.metavar = ""
    return params


class LabournetGroup(TyperGroup):
    """A command group: turns library errors into clean messages and exit codes, warnings into
    one line each, a closed pipe into a quiet exit, and shows flags in help as flags, for itself
    and its commands."""

    def get_params(self, ctx: typer.Context) -> list[Any]:  # type: ignore[override]
        return _flags_as_flags(super().get_params(ctx))

    def get_command(self, ctx: typer.Context, cmd_name: str) -> Any:  # type: ignore[override]
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            _flags_as_flags(command.get_params(ctx))
        return command

    def invoke(self, ctx: typer.Context) -> object:  # type: ignore[override]
        import sys
        import warnings

        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("default")
                try:
                    with progress_bars(err_console):
                        result = super().invoke(ctx)
                finally:
                    _show_warnings(caught)
            sys.stdout.flush()  # a closed pipe shows here, while it can still be handled
            return result
        except LabournetError as error:
            raise typer.Exit(show_error(error)) from None
        except BrokenPipeError:
            # The reader stopped early (`labournet report | head`): not a failure of ours.
            _silence_stdout()
            raise typer.Exit(0) from None


def _show_warnings(caught: list[warnings.WarningMessage]) -> None:
    """Each distinct warning a library raised, as one line, not Python's two with a source
    line (commands turn the ones they can remedy into advice about their options first)."""
    from labournet.analysis.centrality import ConvergenceWarning

    seen: set[str] = set()
    for record in caught:
        text = " ".join(str(record.message).split())
        failure = record.message
        if isinstance(failure, ConvergenceWarning):  # its hint names Python arguments
            text = (
                f"{failure.measure} did not converge in {failure.max_iter} iterations, so its "
                "values are empty here (labournet centrality -m "
                f"{failure.measure} --max-iter N computes it with more)"
            )
        if text not in seen:
            seen.add(text)
            err_console.print(f"warning: {text}", markup=False, highlight=False, soft_wrap=True)


def _silence_stdout() -> None:
    """Point standard output at the null device, so the flush at exit finds no closed pipe."""
    import os
    import sys

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file descriptor (e.g. a test runner's buffer)
        pass
