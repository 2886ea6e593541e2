"""What every command shares: the consoles, the dataset argument, error rendering."""

from __future__ import annotations

import unicodedata
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperGroup, TyperOption

from labournet._text import plural
from labournet.errors import LabournetError, ProblemsError

__all__ = [
    "console",
    "err_console",
    "CONTEXT_SETTINGS",
    "DatasetPath",
    "LabournetGroup",
    "USER_ERROR",
    "show_error",
    "as_text",
    "dataset_counts",
]

console = Console()
err_console = Console(stderr=True)

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}
"""Settings of every command group: ``-h`` is ``--help``."""

USER_ERROR = 2
"""Exit code for bad input (data, arguments); 1 is for failures of the environment (a server)."""

DatasetPath = typer.Argument(
    None,
    help="Dataset folder (default: the bundled dataset data/dprk-labour-2016).",
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
    from labournet.errors import QueryError, ServerSetupError, StoreError

    if isinstance(error, ProblemsError):
        for problem in error.problems:
            err_console.print(as_text(problem), highlight=False, soft_wrap=True)
        err_console.print(
            f"[bold red]error:[/] {as_text(error.summary)}", highlight=False, soft_wrap=True
        )
        return USER_ERROR
    err_console.print(f"[bold red]error:[/] {as_text(error)}", highlight=False, soft_wrap=True)
    server_failure = isinstance(error, StoreError) and not isinstance(
        error, QueryError | ServerSetupError
    )
    return 1 if server_failure else USER_ERROR


def _flags_as_flags(params: list[Any]) -> list[Any]:
    """Give flag options an empty metavar, so help shows ``--undirected``, not
    ``--undirected <bool>`` (typer labels every option by its type, flags included)."""
    for param in params:
        if isinstance(param, TyperOption) and param.is_flag and param.metavar is None:
            param.metavar = ""
    return params


class LabournetGroup(TyperGroup):
    """A command group: turns library errors into clean messages and exit codes, and shows
    flags in help as flags, for itself and its commands."""

    def invoke(self, ctx: typer.Context) -> object:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except LabournetError as error:
            raise typer.Exit(show_error(error)) from None

    def get_params(self, ctx: typer.Context) -> list[Any]:  # type: ignore[override]
        return _flags_as_flags(super().get_params(ctx))

    def get_command(self, ctx: typer.Context, cmd_name: str) -> Any:  # type: ignore[override]
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            _flags_as_flags(command.get_params(ctx))
        return command
