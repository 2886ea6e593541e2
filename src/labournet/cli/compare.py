"""`labournet compare`: two snapshots of a dataset side by side, with a backtest."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.table import Table

from labournet._text import plural
from labournet.analysis.compare import Comparison, compare, workers_over_time
from labournet.cli._common import (
    DatasetPath,
    OutputFormat,
    RegimeOption,
    as_text,
    check_writable_folder,
    console,
    err_console,
    load_dataset,
    print_table,
)
from labournet.io.stamp import make_stamp
from labournet.report.compare import range_text, write_comparison
from labournet.report.tables import json_ready

__all__ = ["compare_command"]

FromOption = typer.Option(..., "--from", help="The earlier date (YYYY, YYYY-MM or a day).")
ToOption = typer.Option(..., "--to", help="The later date (YYYY, YYYY-MM or a day).")
TopOption = typer.Option(5, "--top", help="Hosts of the earlier ranking to backtest.")
OutOption = typer.Option(
    None, "--out", "-o", help="Also write compare.md, .csv, .json and a chart to this folder."
)
FormatOption = typer.Option(
    OutputFormat.table, "--format", "-f", help="How to print: table, csv or json."
)


def compare_command(
    path: Path | None = DatasetPath,
    date_from: str = FromOption,
    date_to: str = ToOption,
    top: int = TopOption,
    out: Path | None = OutOption,
    output_format: OutputFormat = FormatOption,
    regime: str | None = RegimeOption,
) -> None:
    """Compare the network as of two dates: workers and revenue per host, sector and
    intermediary then and now, the measures that came into force, and how the earlier
    ranking's top hosts fared.

    Example: labournet compare data/dprk-labour-2016-2024 --from 2016 --to 2019
    """
    if out is not None:
        check_writable_folder(out)
    dataset = load_dataset(path, regime=regime)
    result = compare(dataset, date_from, date_to, top=top, regime=regime)
    if out is not None:
        dates = sorted({str(f.period) for f in dataset.figures if f.measure == "workers"})
        dates = [d for d in dates if d[:4] >= str(result.date_from.year)]
        call = f"compare(date_from={date_from!r}, date_to={date_to!r}, top={top})"
        stamp = make_stamp(dataset, call=call)  # both dates are in the command
        over_time = workers_over_time(dataset, dates, regime=regime)
        files = write_comparison(result, over_time, out, stamp)
        err_console.print(
            f"[green]wrote[/] {plural(len(files), 'file')} to {as_text(out)}", highlight=False
        )
    if output_format is OutputFormat.csv:
        result.to_frame().to_csv(sys.stdout, index=False, float_format="%.10g")
    elif output_format is OutputFormat.json:
        print(json.dumps(json_ready(result.to_dict()), indent=2, ensure_ascii=False))
    else:
        _print(result)


def _print(result: Comparison) -> None:
    title = f"{result.name}: {result.date_from} to {result.date_to} (ranges: best (low–high))"
    table = Table(title=title, title_justify="left")
    for column in ("id", "level", "measure", "then", "now", "later evidence", "sources"):
        table.add_column(column)
    for c in result.changes:
        sources = ", ".join(sorted(set(c.then_sources) | set(c.now_sources)))
        table.add_row(
            as_text(c.id), c.level, c.measure, range_text(c.then, c.measure),
            range_text(c.now, c.measure), "yes" if c.observed else "no (carried)",
            as_text(sources),
        )  # fmt: skip
    print_table(table)
    measures = Table(title="Measures that came into force", title_justify="left")
    for column in ("date", "measure", "taken by", "targets"):
        measures.add_column(column)
    for m in result.measures:
        targets = ", ".join(m.targets)
        measures.add_row(m.date, as_text(m.name), as_text(", ".join(m.takers)), as_text(targets))
    print_table(measures)
    backtest = Table(title=f"Backtest: the {result.date_from} ranking's top hosts",
                     title_justify="left")  # fmt: skip
    for column in ("rank", "host", "workers then", "workers now", "verdict"):
        backtest.add_column(column)
    for row in result.backtest:
        backtest.add_row(
            str(row.rank_then), as_text(row.name), range_text(row.workers_then, "workers"),
            range_text(row.workers_now, "workers"), row.verdict,
        )  # fmt: skip
    print_table(backtest)
    rho = result.rank_correlation
    console.print(
        f"Rank correlation (Spearman, + when higher-ranked hosts fell more): {rho:+.2f} over "
        f"{result.correlated_hosts} hosts"
        if rho is not None
        else f"Too few hosts with later evidence ({result.correlated_hosts}) for a correlation",
        highlight=False,
    )
    for limit in result.limits:
        console.print(f"- {as_text(limit)}", highlight=False)
