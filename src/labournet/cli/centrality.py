"""`labournet centrality`: node centralities of a dataset or graph file, as a table, CSV or JSON."""

from __future__ import annotations

import io
import json
import math
import warnings
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from labournet._number import format_score
from labournet._text import plural
from labournet.analysis.centrality import (
    MEASURES,
    ConvergenceWarning,
    NotConvergedError,
    centrality,
    describe_projection,
    rank_nodes,
)
from labournet.cli._common import (
    OutputFormat,
    announce_input,
    check_writable_file,
    console,
    err_console,
)
from labournet.errors import AnalysisError, ExportError, GraphFormatError, Problem
from labournet.report.tables import TextTable

__all__ = ["centrality_command", "read_network", "cli_convergence"]


def cli_convergence(failure: ConvergenceWarning | NotConvergedError) -> str:
    """A measure that did not converge, with the remedy in `labournet centrality`'s options."""
    more = f"--max-iter {failure.max_iter * 10}"
    return failure.describe(more, "--katz-alpha")


TABLE_ROWS = 20
"""Rows of the terminal table when --top is not given (CSV and JSON keep every node)."""


MeasureOption = typer.Option(
    None,
    "--measure",
    "-m",
    help=(
        f"A measure to compute; repeat for several (default: all that apply). One of "
        f"{', '.join(MEASURES)}. Example: -m betweenness -m pagerank"
    ),
    show_default=False,
)

FormatOption = typer.Option(
    OutputFormat.table,
    "--format",
    "-f",
    help="Output as a terminal table, CSV or JSON. Example: --format csv -o scores.csv",
)

OutputOption = typer.Option(
    None,
    "--output",
    "-o",
    help="Write to this file instead of the terminal. Example: -o centrality.json",
    show_default=False,
)

KindOption = typer.Option(
    None,
    "--kind",
    help="Keep only relations of this kind; repeat for several. Example: --kind remits_to",
    show_default=False,
)


def read_network(path: str | Path | None) -> nx.Graph:
    """The network at ``path``: a dataset folder (None: the bundled one) or a graph file."""
    from labournet.io.graphfile import read_graph

    graph = read_graph(announce_input(path))
    if graph.number_of_nodes() == 0:
        raise GraphFormatError(
            [Problem(str(path), None, "network", "the network has no nodes")],
            f"{path}: nothing to rank (an empty network)",
        )
    return graph


def centrality_command(
    path: str | None = typer.Argument(
        None,
        help=(
            "Dataset folder, GraphML, GEXF or node-link JSON file, or CSV edge list "
            "(source,target[,weight,...]); "
            "default: the bundled dataset. Example: labournet centrality data/dprk-labour-2016"
        ),
        show_default=False,
    ),
    measure: list[str] | None = MeasureOption,
    weight: str | None = typer.Option(
        None,
        "--weight",
        "-w",
        help=(
            "Edge attribute to use as weight (an edge list's weight column, say): a distance "
            "for betweenness, closeness and harmonic, a strength for eigenvector, pagerank and "
            "katz. An attribute no edge has is an error. Example: edges.csv --weight weight"
        ),
        show_default=False,
    ),
    format: OutputFormat = FormatOption,
    top: int | None = typer.Option(
        None,
        "--top",
        "-n",
        help=(
            f"Keep the N nodes ranked highest by the first measure (default: {TABLE_ROWS} in a "
            "table, all in CSV and JSON; 0 keeps all). Example: --top 10"
        ),
        show_default=False,
    ),
    output: Path | None = OutputOption,
    kind: list[str] | None = KindOption,
    undirected: bool = typer.Option(
        False, "--undirected", help="Read the network as undirected. Example: --undirected"
    ),
    k: int | None = typer.Option(
        None,
        "--k",
        help="Estimate betweenness from K sampled sources (approximate). Example: --k 500",
        show_default=False,
    ),
    seed: int | None = typer.Option(
        None, "--seed", help="Seed of the --k sample. Example: --k 500 --seed 1", show_default=False
    ),
    engine: str = typer.Option(
        "auto",
        "--engine",
        help="auto, networkx, igraph, networkit, rustworkx or scipy (igraph, networkit and "
        "rustworkx: pip install 'labournet[fast]'). Example: --engine networkx",
    ),
    max_iter: int | None = typer.Option(
        None,
        "--max-iter",
        min=1,
        help="Iterations allowed to eigenvector, pagerank and katz \\[default: 100, 100, 1000]. "
        "Example: --max-iter 1000",
        show_default=False,
    ),
    katz_alpha: float | None = typer.Option(
        None,
        "--katz-alpha",
        help="Katz attenuation; below 1 / the largest eigenvalue it converges \\[default: 0.1]. "
        "Example: --katz-alpha 0.01",
        show_default=False,
    ),
) -> None:
    """Rank nodes by centrality and say what each measure was computed on.

    Values equal networkx's; parallel edges merge (shortest distance, summed strength).

    Example: labournet centrality data/dprk-labour-2016 -m betweenness -m pagerank --top 10
    """
    if output is not None:
        check_writable_file(output)
    G = read_network(path)
    iterative: dict[str, dict[str, Any]] = {"eigenvector": {}, "pagerank": {}, "katz": {}}
    if max_iter is not None:
        for options in iterative.values():
            options["max_iter"] = max_iter
    if katz_alpha is not None:
        iterative["katz"]["alpha"] = katz_alpha
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        try:
            frame = centrality(
                G,
                measure or None,
                weight,
                directed=False if undirected else None,
                relation_kinds=kind or None,
                k=k,
                seed=seed,
                engine=engine,
                **{name: options for name, options in iterative.items() if options},  # type: ignore[arg-type]
            )
        except NotConvergedError as error:
            raise AnalysisError(cli_convergence(error)) from None
    for record in caught:
        if isinstance(record.message, ConvergenceWarning):
            text = f"{cli_convergence(record.message)}; its column is left empty"
            info = frame.attrs.get("projection", {}).get(record.message.measure)
            if info and info.get("note"):  # the footer speaks of options, not Python arguments
                info["note"] = info["note"].replace(
                    str(record.message), cli_convergence(record.message)
                )
        else:
            text = str(record.message)
        err_console.print(f"warning: {text}", markup=False, highlight=False, soft_wrap=True)
    limit = (TABLE_ROWS if format is OutputFormat.table else 0) if top is None else top
    ranked = rank_nodes(frame, k=max(limit, 0))
    names = _names(G, ranked.index)
    if format is OutputFormat.table:
        table = _table(ranked, names, len(frame))
        if output is None:
            # never cut numbers off: a table wider than the terminal wraps instead
            needed = _width(table)
            out = console if needed <= console.width else Console(width=needed)
            out.print(table)
            console.print(describe_projection(ranked), style="dim", highlight=False)
            return
        text = _plain(table) + describe_projection(ranked) + "\n"
    elif format is OutputFormat.csv:
        rows = ranked.copy()
        if names is not None:
            rows.insert(0, "name", [names[node] for node in rows.index])
        text = rows.to_csv()
    else:
        text = _json(ranked, names) + "\n"
    if output is None:
        typer.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        raise ExportError(f"cannot write {output}: {error}") from error
    err_console.print(f"wrote {plural(len(ranked), 'node')} to {output}", highlight=False)


def _names(G: nx.Graph, nodes: pd.Index) -> dict[Any, str] | None:
    """Node display names where the graph has them (datasets do), else None."""
    names = {node: G.nodes[node].get("name") for node in nodes}
    if not any(isinstance(n, str) and n and n != str(node) for node, n in names.items()):
        return None
    return {node: str(n) if n else "" for node, n in names.items()}


def _table(ranked: pd.DataFrame, names: dict[Any, str] | None, total: int) -> Table:
    table = TextTable(
        title=f"Centrality (top {len(ranked)} of {plural(total, 'node')} by {ranked.columns[0]})"
        if len(ranked.columns)
        else "Centrality",
        title_justify="left",
    )
    table.add_column("node", no_wrap=True)
    if names is not None:
        table.add_column("name", max_width=28, overflow="ellipsis", no_wrap=True)
    for column in ranked.columns:
        table.add_column(column, justify="right", no_wrap=True, min_width=len(column))
    for node, row in ranked.iterrows():
        cells = [str(node)]
        if names is not None:
            cells.append(names[node])
        cells.extend(format_score(value) for value in row)
        table.add_row(*cells)
    return table


def _width(table: Table) -> int:
    """Columns the table needs to show every cell without cutting it."""
    wide = Console(width=10_000, file=io.StringIO())
    return wide.measure(table).maximum


def _plain(table: Table) -> str:
    """The table as plain text, for a file."""
    sink = Console(width=_width(table), record=True, file=io.StringIO())
    sink.print(table)
    return sink.export_text(styles=False)


def _json(ranked: pd.DataFrame, names: dict[Any, str] | None) -> str:
    rows = []
    for node, row in ranked.iterrows():
        record: dict[str, Any] = {"node": node}
        if names is not None:
            record["name"] = names[node]
        for column, value in row.items():
            record[str(column)] = float(value) if math.isfinite(value) else None
        rows.append(record)
    document = {
        "measures": list(ranked.columns),
        "projection": ranked.attrs.get("projection", {}),
        "nodes": rows,
    }
    return json.dumps(document, indent=2, ensure_ascii=False, default=str)
