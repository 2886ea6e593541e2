"""A comparison of two snapshots as files: Markdown, CSV, JSON and a chart of workers over time.

`write_comparison` writes ``compare.md``, ``compare.csv`` (one row per candidate and measure),
``compare.json`` (everything, with the measures and the backtest) and ``workers-over-time.png``
(each host's workers with its range at every date a figure begins, the measures that came into
force marked on the time axis).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from labournet._number import format_count, format_money
from labournet.analysis.compare import Change, Comparison
from labournet.analysis.flows import Range
from labournet.io.stamp import Stamp
from labournet.report.markdown import md_cell, md_text
from labournet.report.tables import write_csv, write_json

__all__ = ["comparison_markdown", "write_comparison", "range_text"]


def range_text(value: Range | None, measure: str) -> str:
    """``33,000 (24,000–43,000)``; money for revenue; ``–`` for none."""
    if value is None:
        return "–"
    show = format_money if measure == "revenue" else format_count
    return f"{show(value.best)} ({show(value.low)}–{show(value.high)})"


def comparison_markdown(result: Comparison, stamp: Stamp | None = None) -> str:
    """The comparison as a Markdown document."""
    title = f"# {md_text(result.name)}: {result.date_from} to {result.date_to}"
    made = [f"Made by: {md_text(stamp.line())}.", ""] if stamp else []
    out = [title, "", *made, "## Workers and revenue at stake, then and now", ""]
    out += ["| id | name | level | measure | then | now | change | later evidence | sources |"]
    out += ["|---|---|---|---|---|---|---|---|---|"]
    for c in result.changes:
        out.append(_change_row(c))
    out += ["", f"## Measures in force from after {result.date_from} to {result.date_to}", ""]
    out += ["| date | measure | taken by | targets | sources |", "|---|---|---|---|---|"]
    for m in result.measures:
        cells = [m.date, f"{md_text(m.name)} (`{m.id}`)", ", ".join(m.takers)]
        cells += [", ".join(m.targets), ", ".join(m.sources)]
        out.append("| " + " | ".join(md_cell(c) for c in cells) + " |")
    out += ["", f"## Backtest: the {result.date_from} ranking's top hosts", ""]
    out += [
        f"| rank then | host | denied then | workers then | workers {result.date_to} | verdict |"
    ]
    out += ["|---|---|---|---|---|---|"]
    for row in result.backtest:
        cells = [str(row.rank_then), f"{md_text(row.name)} (`{row.id}`)"]
        cells += [range_text(row.denied_then, "revenue"), range_text(row.workers_then, "workers")]
        cells += [range_text(row.workers_now, "workers"), row.verdict]
        out.append("| " + " | ".join(md_cell(c) for c in cells) + " |")
    rho = result.rank_correlation
    out += ["", (
        f"Rank correlation (Spearman, positive when the hosts ranked higher fell more): "
        f"{rho:+.2f} over {result.correlated_hosts} hosts with later evidence."
        if rho is not None
        else f"Too few hosts with later evidence ({result.correlated_hosts}) for a correlation."
    ), "", "Limits:", ""]  # fmt: skip
    out += [f"- {limit}" for limit in result.limits]
    return "\n".join(out) + "\n"


def _change_row(c: Change) -> str:
    difference = c.difference
    change = "–" if difference is None else range_text(difference, c.measure)
    sources = sorted(set(c.then_sources) | set(c.now_sources))
    cells = [f"`{c.id}`", md_text(c.name), c.level, c.measure, range_text(c.then, c.measure)]
    cells += [range_text(c.now, c.measure), change, "yes" if c.observed else "no (carried)"]
    cells += [", ".join(sources)]
    return "| " + " | ".join(md_cell(cell) for cell in cells) + " |"


def write_comparison(
    result: Comparison, over_time: pd.DataFrame, folder: str | Path, stamp: Stamp | None = None
) -> list[Path]:
    """Write the four files into `folder` (created if needed); returns their paths. The
    Markdown and the JSON state `stamp` (what made them)."""
    from labournet.report.charts import workers_over_time_chart  # matplotlib, when drawing

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    markdown = out / "compare.md"
    markdown.write_text(comparison_markdown(result, stamp), encoding="utf-8")
    table = result.to_frame().set_index("id")
    return [
        markdown,
        write_csv(table, out / "compare.csv"),
        write_json(
            {"stamp": stamp.to_dict() if stamp else None, **result.to_dict()}, out / "compare.json"
        ),  # fmt: skip
        workers_over_time_chart(over_time, result.measures, out / "workers-over-time.png"),
    ]
