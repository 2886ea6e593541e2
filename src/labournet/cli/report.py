"""`labournet report`, `labournet scenario` and `labournet key-players`: pressure-point analysis."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import typer
from rich.table import Table

from labournet._number import format_count, format_money
from labournet._text import plural
from labournet.analysis.flows import Range, build_flow_model
from labournet.analysis.keyplayers import key_players
from labournet.analysis.scenario import REROUTE_RULE, ScenarioResult, scenarios
from labournet.cli._common import (
    DatasetPath,
    OutputFormat,
    RegimeOption,
    as_text,
    check_writable_folder,
    console,
    load_dataset,
    print_table,
    warn_about_model,
)
from labournet.errors import AnalysisError
from labournet.model.dates import PartialDate
from labournet.report.tables import TextTable, level_tables

__all__ = [
    "report_command",
    "scenario_command",
    "key_players_command",
    "AsOfOption",
]

OutOption = typer.Option(
    Path("labournet-report"), "--out", "-o", help="Folder to write the report files into."
)
AsOfOption = typer.Option(
    None,
    "--as-of",
    help="Date of the snapshot (YYYY, YYYY-MM or YYYY-MM-DD): the entities and relations in "
    "force then, and each item's latest figure up to it \\[default: the latest figure's date].",
    show_default=False,
)
CutOption = typer.Option(
    ...,
    "--cut",
    "-c",
    help="A cut set: ids of hosts, sectors, organisations or relations, joined by commas, each "
    "optionally ID=FRACTION (part cut); repeat to compare sets side by side.",
)
SCENARIO_FORMATS = tuple(choice.value for choice in OutputFormat)


def _range(r: Range, money: bool = True) -> str:
    fmt = format_money if money else format_count
    return f"{fmt(r.best)} ({fmt(r.low)}–{fmt(r.high)})"


def report_command(
    path: Path | None = DatasetPath,
    out: Path = OutOption,
    k: int = typer.Option(3, "--k", "-k", help="Size of the key-player set and of 'top k'."),
    draws: int = typer.Option(
        1000, "--draws", "-n", help="Monte Carlo draws (0 skips the Monte Carlo)."
    ),
    seed: int = typer.Option(0, "--seed", help="Seed of the Monte Carlo and sampled measures."),
    distribution: str = typer.Option(
        "triangular", "--distribution", help="How figures are drawn: triangular or uniform."
    ),
    top: int = typer.Option(15, "--top", help="Rows of the terminal table."),
    as_of: str | None = AsOfOption,
    regime: str | None = RegimeOption,
) -> None:
    """Rank pressure points and write CSV, JSON, Markdown, PNG charts and HTML views to a folder.

    Example: labournet report data/dprk-labour-2016 -o labournet-report --draws 1000
    """
    from labournet.report.build import DEFAULT_WRITERS, build_report, write_html_views, write_report

    check_writable_folder(out)
    dataset = load_dataset(path, regime=regime)
    report = build_report(
        dataset,
        regime=regime,
        k=k,
        draws=draws,
        seed=seed,
        distribution=distribution,
        as_of=as_of,
    )
    warn_about_model(report.model)
    # The files first: a reader that closes the terminal output early (| head) still gets them.
    files = write_report(report, out, writers=(*DEFAULT_WRITERS, write_html_views))
    title = f"Pressure points: {report.name}, as of {report.model.as_of}"
    for table in level_tables(report.table, top=top, title=title, width=console.width, k=k):
        print_table(table)
    players = report.key_players
    console.print(
        f"Key players ({players.method}, k={players.k}): "
        f"[bold]{as_text(report.model.labelled(players.cuts))}[/] "
        f"remove {_range(players.revenue)} a year, {players.revenue_share:.0%} of the total.",
        highlight=False,
    )
    for tension in report.tensions:
        console.print(
            f"[yellow]tension[/] ({tension.kind}): {as_text(tension.message)}", highlight=False
        )
    console.print(
        f"[green]wrote[/] {plural(len(files), 'file')} to {as_text(out)}:", highlight=False
    )
    for file in files:
        console.print(f"  {as_text(file)}", highlight=False)


def scenario_command(
    path: Path | None = DatasetPath,
    cut: list[str] = CutOption,
    top: int = typer.Option(10, "--top", help="Rows of the new ranking to show."),
    output_format: str = typer.Option(
        "table", "--format", "-f", help="table (terminal), csv or json (to standard output)."
    ),
    as_of: str | None = AsOfOption,
    regime: str | None = RegimeOption,
) -> None:
    """Cut candidates (all or part) and show what the regime loses, gross and net of re-routing.

    Each --cut is one cut set: ids joined by commas, each optionally with the fraction cut
    (ID=FRACTION). Several --cut options are compared side by side.

    Example: labournet scenario --cut cn,ru --cut ru=0.5 --cut mt,pl --format table
    """
    if output_format not in SCENARIO_FORMATS:
        raise AnalysisError(f"unknown format '{output_format}' (use {', '.join(SCENARIO_FORMATS)})")
    model = build_flow_model(load_dataset(path, regime=regime), regime=regime, as_of=as_of)
    warn_about_model(model)
    cut_sets = [[part for part in text.split(",") if part.strip()] for text in cut]
    results = scenarios(model, cut_sets)
    if output_format == OutputFormat.json:
        payload = {
            "as_of": str(model.as_of),
            "rule": REROUTE_RULE,
            "scenarios": [r.to_dict() for r in results],
        }
        typer.echo(json.dumps(payload, indent=2))
        return
    if output_format == OutputFormat.csv:
        writer = csv.DictWriter(
            sys.stdout, ["cuts", "measure", "stage", "low", "best", "high"], lineterminator="\n"
        )
        writer.writeheader()
        for result in results:
            writer.writerows(result.rows())
        return
    print_table(_scenario_table(results, model.as_of))
    console.print(
        f"gross: what the cuts remove; re-routed: the regime's substitution share of it "
        f"(best {results[0].substitution:.0%}), placed again in what remains; net = gross - "
        "re-routed. Ranges: 5th-95th percentiles of the joint draws.",
        highlight=False,
    )
    for result in results:
        rests = ", ".join(result.assumptions) or "sources only"
        moved = ", ".join(
            f"{model.display_name(h)} {format_money(v)}"
            for h, v in list(result.rerouted_to.items())[:5]
        )
        console.print(
            f"cut {result.label}: {result.placements_touched} of {result.placements} placements "
            f"cut (wholly: {result.placements_cut}); re-routed to: {moved or 'nothing remains'}. "
            f"Rests on: {rests}.",
            highlight=False,
            markup=False,
        )
    if len(results) == 1:
        (result,) = results
        if len(result.ranking):
            title = "New ranking of what remains (after re-routing)"
            frame = result.ranking.to_frame()
            for ranking in level_tables(frame, top=top, title=title, width=console.width):
                print_table(ranking)
        else:
            console.print("Nothing remains: every placement is cut.")


def _scenario_table(results: list[ScenarioResult], as_of: PartialDate) -> Table:
    table = TextTable(
        title=f"Scenarios as of {as_of} (revenue in USD a year)", title_justify="left"
    )
    table.add_column("", no_wrap=True)
    for result in results:
        table.add_column(f"cut {result.label}", justify="right", no_wrap=True)
    for measure, money in (("revenue", True), ("workers", False)):
        for stage, label in (
            ("before", "before"),
            ("gross", "gross loss"),
            ("rerouted", "re-routed"),
            ("net", "net loss"),
            ("remaining", "remaining"),
        ):
            table.add_row(
                f"{measure}: {label}",
                *(_range(getattr(getattr(r, stage), measure), money) for r in results),
            )
    table.add_row("net share of revenue", *(f"{r.revenue_lost_share:.1%}" for r in results))
    return table


def key_players_command(
    path: Path | None = DatasetPath,
    k: int = typer.Option(3, "--k", "-k", help="How many cuts to choose."),
    method: str = typer.Option("auto", "--method", help="auto, exact or greedy."),
    seed: int = typer.Option(0, "--seed", help="Seed of sampled betweenness on large graphs."),
    as_of: str | None = AsOfOption,
    regime: str | None = RegimeOption,
) -> None:
    """Find the k cuts that remove the most revenue, against naive picks by centrality.

    Example: labournet key-players data/dprk-labour-2016 --k 3
    """
    model = build_flow_model(load_dataset(path, regime=regime), regime=regime, as_of=as_of)
    warn_about_model(model)
    result = key_players(model, k, method=method, seed=seed)
    if result.fewer:
        console.print(f"As of {model.as_of}: {result.fewer}.", highlight=False, markup=False)
    console.print(
        f"As of {model.as_of}: best {plural(result.k, 'cut')} ({result.method}): "
        f"[bold]{as_text(model.labelled(result.cuts))}[/] remove "
        f"{_range(result.revenue)} a year ({result.revenue_share:.0%} of the best estimate) and "
        f"{_range(result.workers, False)} workers.",
        highlight=False,
    )
    table = TextTable(title="Naive picks by centrality, cut together", title_justify="left")
    for column in ("choice", "nodes cut", "on a route", "revenue removed", "short of best"):
        table.add_column(column, justify="right" if column in ("on a route",) else "left")
    for measure, row in result.naive.iterrows():
        table.add_row(
            str(measure),
            model.labelled(p for p in row["picks"].split(";") if p),
            str(row["cut_candidates"]),
            format_money(row["revenue_best"]),
            format_money(row["shortfall_best"]),
        )
    print_table(table)
    if result.structural is not None:
        s = result.structural
        console.print(
            "Articulation points of the flow graph: "
            f"{model.labelled(s.articulation_points) or 'none'}",
            highlight=False,
            markup=False,
        )
        console.print(
            f"Minimum node cut between the hosts and the regime ({len(s.min_node_cut)}): "
            f"{model.labelled(s.min_node_cut[:30])}"
            f"{f' and {len(s.min_node_cut) - 30} more' if len(s.min_node_cut) > 30 else ''}",
            highlight=False,
            markup=False,
        )
    for note in result.notes:
        if note != result.fewer:
            console.print(f"note: {note}", highlight=False, markup=False)
