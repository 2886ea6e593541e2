"""What every command shares: the consoles, the dataset argument, error rendering."""

from __future__ import annotations

import unicodedata

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperGroup

from labournet.errors import LabournetError, ProblemsError

__all__ = [
    "console",
    "err_console",
    "DatasetPath",
    "LabournetGroup",
    "USER_ERROR",
    "show_error",
    "as_text",
]

console = Console()
err_console = Console(stderr=True)

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


class LabournetGroup(TyperGroup):
    """The top-level command group: turns library errors into clean messages and exit codes."""

    def invoke(self, ctx: typer.Context) -> object:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except LabournetError as error:
            raise typer.Exit(show_error(error)) from None
