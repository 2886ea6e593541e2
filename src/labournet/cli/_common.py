"""What every command shares: the consoles, the dataset argument, error rendering."""

from __future__ import annotations

import typer
from rich.console import Console
from typer.core import TyperGroup

from labournet.errors import LabournetError, ProblemsError

__all__ = [
    "console",
    "err_console",
    "DatasetPath",
    "RegimeOption",
    "LabournetGroup",
    "USER_ERROR",
    "show_error",
]


class _Console(Console):
    """A rich console that leaves a closed pipe to `LabournetGroup` (rich itself exits 1)."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        _silence_stdout()
        raise BrokenPipeError


console = _Console()
err_console = _Console(stderr=True)

USER_ERROR = 2
"""Exit code for bad input (data, arguments); 1 is for failures of the environment (a server)."""

DatasetPath = typer.Argument(
    None,
    help="Dataset folder (default: the bundled dataset data/dprk-labour-2016).",
    show_default=False,
)

RegimeOption = typer.Option(
    None,
    "--regime",
    help="Id of the regime whose revenue is analysed [default: the one entity whose role is "
    "regime].",
    show_default=False,
)


def show_error(error: LabournetError) -> int:
    """Print a library error for a person, without a traceback, and return the exit code."""
    from labournet.errors import QueryError, ServerSetupError, StoreError

    if isinstance(error, ProblemsError):
        for problem in error.problems:
            err_console.print(str(problem), markup=False, highlight=False, soft_wrap=True)
        err_console.print(f"[bold red]error:[/] {error.summary}", highlight=False, soft_wrap=True)
        return USER_ERROR
    err_console.print(f"[bold red]error:[/] {error}", highlight=False, soft_wrap=True)
    server_failure = isinstance(error, StoreError) and not isinstance(
        error, QueryError | ServerSetupError
    )
    return 1 if server_failure else USER_ERROR


class LabournetGroup(TyperGroup):
    """The top-level command group: turns library errors into clean messages and exit codes."""

    def invoke(self, ctx: typer.Context) -> object:  # type: ignore[override]
        import sys

        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # a closed pipe shows here, while it can still be handled
            return result
        except LabournetError as error:
            raise typer.Exit(show_error(error)) from None
        except BrokenPipeError:
            # The reader stopped early (`labournet report | head`): not a failure of ours.
            _silence_stdout()
            raise typer.Exit(0) from None


def _silence_stdout() -> None:
    """Point standard output at the null device, so the flush at exit finds no closed pipe."""
    import os
    import sys

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file descriptor (e.g. a test runner's buffer)
        pass
