"""The `labournet` command: a thin layer over the Python API.

Every command reads the bundled dataset when no PATH is given, prints with rich, and turns
labournet errors into a message and exit code 2 (bad input) or 1 (a server failed).
"""

from __future__ import annotations

import sys

import typer

from labournet.cli._common import CONTEXT_SETTINGS, LabournetGroup
from labournet.cli.centrality import centrality_command
from labournet.cli.compare import compare_command
from labournet.cli.dataset import info_command, validate_command
from labournet.cli.db import db_app
from labournet.cli.export import export_app
from labournet.cli.report import key_players_command, report_command, scenario_command
from labournet.cli.sanctions import import_app, match_command
from labournet.io.stamp import command_line

__all__ = ["app", "main"]

app = typer.Typer(
    cls=LabournetGroup,
    name="labournet",
    help=(
        "Graph-based sanctions network analyser: where pressure on a sanctioned regime works "
        "best.\n\nExample: labournet info"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings=CONTEXT_SETTINGS,
    rich_markup_mode="rich",
)


def _version(value: bool) -> None:
    if value:
        from labournet import __version__

        typer.echo(f"labournet {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Graph-based sanctions network analyser."""


app.command("validate")(validate_command)
app.command("info")(info_command)
app.command("report")(report_command)
app.command("scenario")(scenario_command)
app.command("key-players")(key_players_command)
app.command("centrality")(centrality_command)
app.command("compare")(compare_command)
app.command("match")(match_command)
app.add_typer(db_app, name="db")
app.add_typer(export_app, name="export")
app.add_typer(import_app, name="import")


def main(argv: list[str] | None = None) -> None:
    """Entry point of the console script; what it writes names this command line as its maker
    (`labournet.io.stamp`)."""
    args = sys.argv[1:] if argv is None else argv
    with command_line(args):
        app(args=args, prog_name="labournet")
