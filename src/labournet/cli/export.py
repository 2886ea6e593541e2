"""`labournet export`: interactive HTML views and graph files (GraphML, GEXF, JSON).

Every command reads PATH: a dataset folder (default: the bundled dataset), or a GraphML,
GEXF, JSON or CSV edge-list file. ``-o -`` writes to standard output.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from labournet.cli._common import (
    CONTEXT_SETTINGS,
    LabournetGroup,
    announce_input,
    check_writable_file,
    console,
    err_console,
    load_dataset,
)
from labournet.errors import ExportError

__all__ = ["export_app", "load_network", "read_scores"]

export_app = typer.Typer(
    cls=LabournetGroup,
    name="export",
    help=(
        "Write a network as a shareable HTML view or a graph file for Gephi and other tools."
        "\n\nExample: labournet export html -o network.html"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings=CONTEXT_SETTINGS,
)

NetworkPathArg = Annotated[
    Path | None,
    typer.Argument(
        help="Dataset folder, or a .graphml/.gexf/.json/.csv network file "
        "(default: the bundled dataset data/dprk-labour-2016).",
        show_default=False,
    ),
]


class ViewChoice(StrEnum):
    auto = "auto"
    network = "network"
    top = "top"
    focus = "focus"


class LayoutChoice(StrEnum):
    auto = "auto"
    physics = "physics"
    precomputed = "precomputed"


def load_network(path: Path | None, regime: str | None = None) -> Any:
    """A Dataset for a dataset folder (or None), else the graph `labournet.read_graph` reads
    from the file (the reader `labournet centrality` uses too).

    ``regime`` names the regime for a dataset without an entity whose role is regime."""
    if path is None or path.is_dir():
        return load_dataset(path, regime=regime)
    announce_input(path)
    from labournet.io.graphfile import read_graph

    return read_graph(path)


def read_scores(path: Path) -> Any:
    """Scores from a CSV file: an ``id`` column (node ids) and numeric score columns."""
    import pandas as pd

    try:
        table = pd.read_csv(path, dtype={"id": str})
    except (OSError, ValueError) as error:
        raise ExportError(f"cannot read scores from {path}: {error}") from error
    if "id" not in table.columns:
        raise ExportError(f"{path}: the scores file needs an 'id' column of entity ids")
    return table.set_index("id")


def _scores(
    source: Any, path: Path | None, skip: bool, regime: str | None, as_of: str | None
) -> Any:
    """Scores from a CSV file, else the pressure-point analysis; None when there are none."""
    if path is not None:
        return read_scores(path)
    if skip:
        return None
    from labournet.analysis.pressure import pressure_points
    from labournet.errors import AnalysisError
    from labournet.views.html import scores_from_pressure

    try:
        return scores_from_pressure(pressure_points(source, regime=regime, as_of=as_of))
    except AnalysisError as error:
        err_console.print(f"note: no pressure scores ({error}); sizing nodes by degree")
        return None


def _write(out: Path, write: Any, suffix: str) -> Path | None:
    """Call ``write(path)``; for ``-`` write to a temporary file and copy it to stdout."""
    if str(out) != "-":
        return write(out)
    with tempfile.TemporaryDirectory() as folder:
        written = write(Path(folder) / f"out{suffix}")
        with written.open("rb") as file:
            shutil.copyfileobj(file, sys.stdout.buffer)
        sys.stdout.flush()
    return None


def _check_as_of(as_of: str | None) -> None:
    """A mistyped --as-of is an error before any data is read."""
    from labournet.model.dates import as_date

    if as_of is not None:
        try:
            as_date(as_of)
        except ValueError as error:
            raise ExportError(f"--as-of: {error}") from None


def _done(path: Path | None, what: str) -> None:
    if path is not None:
        console.print(f"[green]wrote[/] {what} {path}", highlight=False)


Output = Annotated[
    Path, typer.Option("--output", "-o", help="File to write ('-' for standard output).")
]


@export_app.command("html")
def html_command(
    path: NetworkPathArg = None,
    output: Output = Path("network.html"),
    view: Annotated[
        ViewChoice,
        typer.Option(
            help="network, top (top-k and neighbours), focus, or auto (focus if --focus, "
            "top above --max-nodes entities, else network)."
        ),
    ] = ViewChoice.auto,
    top: Annotated[int, typer.Option("--top", "-k", help="How many top pressure points.")] = 10,
    focus: Annotated[str | None, typer.Option(help="Show this entity's neighbourhood.")] = None,
    depth: Annotated[int, typer.Option(help="Steps around --focus to include.")] = 1,
    cut: Annotated[
        list[str] | None,
        typer.Option(
            help="Ids to cut in a scenario, joined by commas (as in `labournet scenario`), "
            "each optionally ID=FRACTION; repeating adds to the same cut."
        ),
    ] = None,
    regime: Annotated[
        str | None,
        typer.Option(help="The regime node for --cut (default: the node with role regime)."),
    ] = None,
    scores: Annotated[
        Path | None,
        typer.Option(
            help="CSV of scores: an id column and numeric columns (default: the pressure-point "
            "analysis, when the network has flows to score)."
        ),
    ] = None,
    no_scores: Annotated[
        bool, typer.Option("--no-scores", help="Size nodes by degree; skip the analysis.")
    ] = False,
    size_by: Annotated[
        str, typer.Option(help="Score column that sizes nodes (else degree).")
    ] = "pressure_score",
    width_by: Annotated[
        list[str] | None,
        typer.Option(help="Edge figure measure for widths (repeatable; default workers, revenue)."),
    ] = None,
    title: Annotated[str | None, typer.Option(help="Page title.")] = None,
    layout: Annotated[
        LayoutChoice, typer.Option(help="physics, precomputed, or auto (by size).")
    ] = LayoutChoice.auto,
    max_nodes: Annotated[
        int, typer.Option(help="Above this many entities: precomputed layout and the top view.")
    ] = 2000,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Date (YYYY, YYYY-MM or YYYY-MM-DD) the view opens at: its date control shows "
            "the network as of the date's last day, and the pressure scores use each item's "
            "latest figure up to it \\[default: all dates; the latest figure's date].",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Write an interactive HTML view that opens offline in any browser.

    Example: labournet export html --cut cn,ru=0.5 -o scenario.html
    """
    from labournet.views.html import DEFAULT_WIDTH_BY, build_html, export_html

    check_writable_file(output)
    _check_as_of(as_of)
    source = load_network(path, regime)
    options: dict[str, Any] = {
        "view": view.value,
        "top_k": top,
        "focus": focus,
        "depth": depth,
        "cut": tuple(
            part.strip() for text in cut or () for part in text.split(",") if part.strip()
        ),
        "regime": regime,
        "scores": _scores(source, scores, no_scores, regime, as_of),
        "size_by": size_by,
        "width_by": tuple(width_by) if width_by else DEFAULT_WIDTH_BY,
        "title": title,
        "layout": layout.value,
        "max_nodes": max_nodes,
        "as_of": as_of,
    }
    if str(output) == "-":
        sys.stdout.write(build_html(source, **options))
        sys.stdout.flush()
        return
    _done(export_html(source, output, **options), "HTML view")


class WeightChoice(StrEnum):
    workers = "workers"
    revenue = "revenue"


AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Date (YYYY, YYYY-MM or YYYY-MM-DD) the scores, weights and figures are as of "
        "(default: the latest figure's date).",
        show_default=False,
    ),
]
WeightOption = Annotated[
    WeightChoice,
    typer.Option(
        help="Edge weight: the relation's workers or revenue figure as of --as-of; relations "
        "without it, or where it is 0, get no weight (Gephi reads 1, and drops weight 0)."
    ),
]
NoScoresOption = Annotated[
    bool,
    typer.Option("--no-scores", help="Leave out pressure scores and centralities (weights stay)."),
]


def _annotations(source: Any, as_of: str | None, weight: WeightChoice, no_scores: bool) -> Any:
    """The per-node and per-edge attributes of `labournet.analysis.annotate`, its notes on
    standard error."""
    from labournet.analysis.annotate import annotate

    found = annotate(source, as_of=as_of, weight=weight.value, scores=not no_scores)
    for note in found.notes:
        err_console.print(f"note: {note}", highlight=False)
    return found


@export_app.command("graphml")
def graphml_command(
    path: NetworkPathArg = None,
    output: Output = Path("network.graphml"),
    as_of: AsOfOption = None,
    weight: WeightOption = WeightChoice.workers,
    no_scores: NoScoresOption = False,
) -> None:
    """Write GraphML with every attribute (figures flattened; reads back losslessly), plus
    pressure scores, centralities, edge weights and figures as typed attributes.

    Example: labournet export graphml data/dprk-labour-2016 --weight revenue -o network.graphml
    """
    from labournet.io.graphfile import export_graphml

    check_writable_file(output)
    _check_as_of(as_of)
    source = load_network(path)
    found = _annotations(source, as_of, weight, no_scores)

    def write(target: Path) -> Path:
        return export_graphml(
            source, target, node_attributes=found.nodes, edge_attributes=found.edges
        )

    _done(_write(output, write, ".graphml"), "GraphML")


@export_app.command("gexf")
def gexf_command(
    path: NetworkPathArg = None,
    output: Output = Path("network.gexf"),
    as_of: AsOfOption = None,
    weight: WeightOption = WeightChoice.workers,
    no_scores: NoScoresOption = False,
) -> None:
    """Write GEXF 1.2 for Gephi: labels, colours by kind, flattened figures and estimates,
    pressure scores, centralities, edge weights and, when dated, start and end for the timeline.

    Example: labournet export gexf data/dprk-labour-2016-2024 --as-of 2019 -o network.gexf
    """
    from labournet.io.graphfile import export_gexf

    check_writable_file(output)
    _check_as_of(as_of)
    source = load_network(path)
    found = _annotations(source, as_of, weight, no_scores)

    def write(target: Path) -> Path:
        return export_gexf(source, target, node_attributes=found.nodes, edge_attributes=found.edges)

    _done(_write(output, write, ".gexf"), "GEXF")


@export_app.command("json")
def json_command(path: NetworkPathArg = None, output: Output = Path("network.json")) -> None:
    """Write networkx node-link JSON with every attribute (reads back losslessly).

    Example: labournet export json -o - | jq '.nodes | length'
    """
    from labournet.io.graphfile import export_json

    check_writable_file(output)
    source = load_network(path)
    _done(_write(output, lambda p: export_json(source, p), ".json"), "JSON")


@export_app.command("ftm")
def ftm_command(path: NetworkPathArg = None, output: Output = Path("network.ftm.json")) -> None:
    """Write FollowTheMoney entities as JSON lines, as OpenSanctions and Aleph exchange them.

    Countries become PublicBody, organisations Organization (or Company, PublicBody), persons
    Person, measures and events Event, each targets relation a Sanction, the other relations
    Payment, Employment, Directorship or UnknownLink; sources are Article and every fact cites
    them (proof, publisher, sourceUrl). Figures and labournet's ids ride in a labournet: note,
    so labournet import ftm reads the file back equal. Needs the ftm extra.

    Example: labournet export ftm data/dprk-labour-2016-2024 -o network.ftm.json
    """
    from labournet.io.ftm import export_ftm, ftm_model

    check_writable_file(output)
    ftm_model()
    if path is not None and not path.is_dir():
        raise ExportError(f"{path}: export ftm needs a dataset folder (its sources and figures)")
    dataset = load_dataset(path)
    _done(export_ftm(dataset, output), "FollowTheMoney JSON lines")
