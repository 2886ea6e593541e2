"""The pressure-point report as Markdown: ranking, key players, method, assumptions, sources.

The Markdown explains how every number is made (the flow model, the expected revenue denied,
the ranges and the Monte Carlo), lists the assumptions each result rests on, and cites
the sources, so that an analyst can trace and explain every number.

Example:
    >>> import labournet
    >>> from labournet.report.build import build_report
    >>> from labournet.report.markdown import render_markdown
    >>> text = render_markdown(build_report(labournet.load_dataset(), draws=50))
    >>> text.splitlines()[0].startswith("# Pressure points")
    True
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from labournet._number import format_count, format_money
from labournet._text import plural
from labournet.analysis.flows import unfunded_host_warnings
from labournet.errors import ExportError

if TYPE_CHECKING:
    from labournet.report.build import Report

__all__ = ["md_text", "md_cell", "render_markdown", "write_markdown"]

METHOD = """\
### How the numbers are made

**Flow model (the projection).** The network is reduced to *placements*: a host country, a
sector slot in it and a remittance route to the regime. Workers in a host are the `workers`
figure of the regime's `sends_workers` relation to it; they split over sectors by the host's
`works_in` workers figures. A route is a chain of `remits_to` relations from the host to the
regime, possibly through intermediaries (organisations); its revenue is the `revenue` figure of
its first relation, split at each intermediary in proportion to that intermediary's onward
`remits_to` figures. A placement's revenue is its route's revenue times its sector share; its
workers are the host's workers times the sector share times the route's share of the host's
revenue.

**At stake.** Revenue through a host is the sum of its remittances; through a sector, each host's
revenue split by the host's workers in that sector; through an organisation or a relation, the
flows routed through it. Candidates with exactly the same placements share one row (see
*equivalent* in the CSV).

**Cuts.** Cutting a candidate removes every placement that depends on it, revenue and workers
together. A scenario (`labournet scenario`) can cut part of a candidate and lets the regime
re-route its substitution share of the loss to the hosts that remain; the key players and the
ranking are first-order: what a cut removes before the regime adapts.

**Ranges.** *best* is the model at every figure's estimate (best, else the middle of its range).
*low* and *high* are the 5th and 95th percentiles over 1,000 joint draws of the figures (seed 0):
inputs drawn within their ranges, and every derived figure (a share of a total, a split over
sectors, a residual, revenue as workers times a yield) computed in each draw from the drawn
inputs (the `formula` column of figures.csv). The parts of a whole therefore add up in every draw
and a total keeps the range of the sourced figure it is built from. The Monte Carlo ranks use
the same joint draws, with its own seed and count.
"""


_MARKUP = re.compile(r"([\\`*_\[\]<>!~&#])")
_SAFE_URL = re.compile(r"https?://[^\s<>`\\]+", re.IGNORECASE)


def md_text(value: object) -> str:
    """Data as Markdown text that renders as itself: no HTML, no links, no emphasis, no line
    breaks (pipes are left to `_cell`)."""
    return _MARKUP.sub(r"\\\1", " ".join(str(value).splitlines()))


def _code(value: object) -> str:
    """Data as a code span that no backtick in it can close early (CommonMark: the fence is
    longer than any run of backticks inside)."""
    text = " ".join(str(value).splitlines())
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _link(url: str) -> str:
    """An autolink for a plain http(s) address; anything else is shown as text."""
    return f"<{url}>" if _SAFE_URL.fullmatch(url) else md_text(url)


def _markdown(value: str) -> str:
    """Markdown the data author wrote (a README section): its lists and emphasis stay, but raw
    HTML, links and images are shown as text."""
    return re.sub(r"([<>&\[\]!])", r"\\\1", value)


def md_cell(value: object) -> str:
    """A table cell: pipes escaped (GFM unescapes them inside code spans too), one line."""
    return " ".join(str(value).splitlines()).replace("|", "\\|")


def _range_money(row: pd.Series, prefix: str = "revenue") -> str:
    return f"{format_money(row[f'{prefix}_low'])}–{format_money(row[f'{prefix}_high'])}"


def _table(header: list[str], rows: Sequence[Sequence[object]], align: str = "") -> list[str]:
    marks = [("---:" if a == "r" else "---") for a in (align or "l" * len(header))]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(marks) + " |"]
    lines += ["| " + " | ".join(md_cell(c) for c in row) + " |" for row in rows]
    return lines


def render_markdown(report: Report, *, top: int = 20) -> str:
    """The report as a Markdown document."""
    table = report.table
    pressure = report.pressure
    model = report.model
    regime = model.regime
    regime_name = pressure.regime_name
    revenue = pressure.totals.revenue.values()
    workers = pressure.totals.workers.values()
    mc = report.uncertainty
    has_mc = "p_top_k" in table.columns
    k = report.k
    out: list[str] = [f"# Pressure points: {md_text(report.name)}, as of {model.as_of}", ""]
    unfunded = unfunded_host_warnings(model)
    if unfunded:
        out += ["> **Warning: hosts without a revenue figure.**", ">"]
        out += [f"> - {md_text(text)}." for _, text in unfunded]
        out += [""]
    out += [
        f"Where pressure on **{md_text(regime_name)}** ({_code(regime)}) works best: each "
        "candidate host, sector, intermediary or relation with the revenue (USD per year) and "
        "workers that depend on it, who can reach it, and how sure we are.",
        "",
        f"- As of **{model.as_of}**: each figure is the latest one up to {model.as_of} for its "
        f"item and measure (later ones are left out); analysed on {report.analysed_on}.",
        *([f"- Made by: {md_text(report.stamp.line())}."] if report.stamp else []),
        f"- Revenue reaching the regime through the network: **{format_money(revenue[1])}** "
        f"a year (90 % interval {format_money(revenue[0])}–{format_money(revenue[2])}).",
        f"- Workers placed: **{format_count(workers[1])}** "
        f"(90 % interval {format_count(workers[0])}–{format_count(workers[2])}).",
        f"- {plural(len(model.hosts), 'host')}, {plural(model.n_placements, 'placement')}, "
        f"{plural(len(table), 'candidate')} "
        f"(after merging equivalent ones).",
    ]
    stated = [f for f in model.graph.nodes[regime].get("figures", ()) if f.measure == "revenue"]
    for figure in stated:
        out.append(
            f"- Stated total for comparison: figure {_code(figure.id)}, "
            f"{format_money(figure.low)}–{format_money(figure.high)} ({figure.year})."
        )
    out += _tensions(report)
    out += ["", "Files: `pressure-points.csv` (its `source_groups` name the groups of sources "
            "in `pressure-points-sources.csv`), `pressure-points.json`, `revenue-at-stake.png`"
            + (", `rank-stability.png`" if has_mc else "") + ".", ""]  # fmt: skip
    out += ["![Revenue at stake](revenue-at-stake.png)", ""]

    out += [
        "## Ranking, level by level",
        "",
        "Candidates are ranked within their level: hosts against hosts, sectors against "
        "sectors, host-sector placements against placements, never a sector against the hosts "
        "whose placements it spans. † marks a residual bucket (what the sources leave "
        "unnamed): it is shown for completeness and is not a lever; key players leave it out.",
        "",
    ]
    for level, rows_of_level in table.groupby("level", sort=False):
        out += _level_section(str(level), rows_of_level, top, has_mc, k)
    out += [
        "*Actors* can reach the candidate (they pressure one of its hosts, or take a measure "
        "that touches it); *measures* already touch it. *Rests on* lists the assumptions behind "
        "the row's figures and its reach; each row's figures and sources are in the CSV "
        "(`figures`, `sources`).",
        "",
    ]

    out += ["## The score: expected revenue denied", "", "```", pressure.formula,
            "```", ""]  # fmt: skip
    out += [
        "The score is in US$ a year: what the regime is expected to lose in the year after "
        "pressure is applied to the candidate. *reached share* is the part of the revenue at "
        "stake that some actor can reach (it presses the host, or takes a measure that touches "
        "the placement); nobody presses the rest, so it counts as kept. *compliance* is the "
        "host's chance of acting when pressed, *substitution* the share of a loss the regime "
        "recovers elsewhere; both are figures of the dataset (usually assumptions, listed "
        "below with their reasoning) and the Monte Carlo draws them with every other figure. "
        "Workers affected, actors and dependent hosts are their own columns in the CSV, not "
        "folded into the score.",
        "",
    ]
    out += _breakdown(table, top)

    players = report.key_players
    out += [f"## Key players: the best {plural(players.k, 'cut')}", ""]
    if players.fewer:
        out += [md_text(f"{players.fewer[0].upper()}{players.fewer[1:]}."), ""]
    method_text = (
        "exact search over every set (after dropping candidates whose placements are a "
        "subset of another's)"
        if players.method == "exact"
        else "greedy search (each step adds the largest marginal revenue; at least 63 % of the "
        "optimum for this kind of problem)"
    )
    out += [
        f"Best set: **{', '.join(_code(c) for c in players.cuts)}**, found by {method_text}. "
        f"Cutting it removes {format_money(players.revenue.best)} a year "
        f"({players.revenue_share:.0%} of the best estimate; 90 % interval "
        f"{format_money(players.revenue.low)}–{format_money(players.revenue.high)}) and "
        f"{format_count(players.workers.best)} workers.",
        "",
        "Naive choice: the top nodes by each centrality (other than the regime), cut together:",
        "",
    ]
    naive_rows = [
        [md_text(measure), ", ".join(_code(p) for p in str(row["picks"]).split(";") if p),
         md_text(row["cut_candidates"]),
         format_money(row["revenue_best"]), format_money(row["shortfall_best"])]
        for measure, row in players.naive.iterrows()
    ]  # fmt: skip
    out += _table(
        ["choice", "nodes cut", "on a route", "revenue removed", "short of the best set"],
        naive_rows,
        "llrrr",
    )
    out += [
        "",
        "Central nodes are not where the money is: centrality counts links (to actors, "
        "measures, outlets), not revenue.",
        "",
    ]
    for note in players.notes:
        out.append(f"- Note: {md_text(note)}")
    structural = players.structural
    if structural is not None:
        out += [
            "### Structural cuts",
            "",
            "- Articulation points of the flow graph (removing one splits it): "
            + (", ".join(_code(p) for p in structural.articulation_points) or "none")
            + ".",
            f"- Minimum node cut between the hosts and the regime ({len(structural.min_node_cut)} "
            "entities; every remittance route passes one of them): "
            + (", ".join(_code(p) for p in structural.min_node_cut[:30]) or "none")
            + ("…" if len(structural.min_node_cut) > 30 else "")
            + f"; it carries {format_money(structural.min_node_cut_revenue.best)} a year.",
            "",
        ]

    if has_mc:
        out += [
            "## Uncertainty",
            "",
            f"{mc.draws if mc else ''} seeded joint draws (seed {mc.seed if mc else ''}): every "
            f"input figure from a {mc.distribution if mc else ''} distribution "
            + (
                "(low, best, high)"
                if mc and mc.distribution == "triangular"
                else "between low and high"
            )
            + ", every derived figure computed from the drawn inputs"
            + f". *P(top {k})* is the share of draws in which the candidate ranks in the top "
            f"{k} of its level; the rank interval spans the 5th to 95th percentile of its rank. "
            "Inputs are drawn independently of one another: a dependence the dataset does not "
            "write as a formula is not modelled.",
            "",
            "![Rank stability](rank-stability.png)",
            "",
        ]

    if report.doubts:
        out += ["## Doubts the dataset records", "", _markdown(report.doubts), ""]
    out += [METHOD, "## Assumptions", ""]
    uses = Counter(a for point in pressure for a in point.assumptions)
    flagged = int(table["assumed"].sum())
    out.append(
        f"{flagged} of {plural(len(table), 'candidate')} "
        f"{'rests' if flagged == 1 else 'rest'} on at least one assumption. Each assumption "
        "is something the sources do not say, with its reasoning:"
    )
    out.append("")
    for assumption_id, assumption in sorted(report.assumptions.items()):
        statement = getattr(assumption, "statement", "")
        reasoning = getattr(assumption, "reasoning", "")
        out.append(
            f"- {_code(assumption_id)} ({plural(uses.get(assumption_id, 0), 'candidate')}): "
            f"{md_text(statement)} *Why:* {md_text(reasoning)}"
        )
    notes = list(pressure.notes)
    if notes:
        out += ["", "Model notes (where the data lacked a figure the model needs):", ""]
        out += [f"- {md_text(note)}" for note in notes[:50]]
        if len(notes) > 50:
            out.append(f"- … and {len(notes) - 50} more (see `notes` in the JSON)")
    out += ["", "## Sources", ""]
    for source_id, source in sorted(report.sources.items()):
        publisher = getattr(source, "publisher", "")
        title = getattr(source, "title", "")
        date = getattr(source, "date", "")
        url = getattr(source, "url", "")
        link = f" {_link(url)}" if url else ""
        title = md_text(title)
        out.append(f"- {_code(source_id)}: {md_text(publisher)}, *{title}*, {md_text(date)}.{link}")
    out.append("")
    return "\n".join(out)


def write_markdown(report: Report, path: str | Path) -> Path:
    """Write `render_markdown(report)` to `path`."""
    file = Path(path)
    try:
        file.write_text(render_markdown(report), "utf-8")
    except OSError as error:
        raise ExportError(f"cannot write {file}: {error}") from error
    return file


def _level_section(level: str, table: pd.DataFrame, top: int, has_mc: bool, k: int) -> list[str]:
    """The ranking table of one level."""
    from labournet.report.tables import LEVEL_TITLES

    out = [f"### {LEVEL_TITLES.get(level, level)} (top {min(top, len(table))} of {len(table)})", ""]
    header = ["#", "candidate", "type", "denied a year", "90 % interval", "at stake", "workers",
              "actors", "measures"]  # fmt: skip
    align = "rllrrrrll"
    if has_mc:
        header += [f"P(top {k})", "rank 5–95 %"]
        align += "rr"
    header.append("rests on")
    align += "l"
    rows = []
    for candidate, row in table.head(top).iterrows():
        mark = " †" if row.get("residual", False) else ""
        cells: list[object] = [
            row["rank"],
            f"{_code(candidate)} {md_text(row['name'])}{mark}",
            md_text(row["type"]),
            format_money(row["denied_best"]),
            f"{format_money(row['denied_low'])}–{format_money(row['denied_high'])}",
            format_money(row["revenue_best"]),
            format_count(row["workers_best"]),
            md_text(", ".join(row["actors"])) or "–",
            md_text(", ".join(row["measures"])) or "–",
        ]
        if has_mc:
            interval = (
                "–" if pd.isna(row["rank_p05"]) else f"{row['rank_p05']:.0f}–{row['rank_p95']:.0f}"
            )
            cells += [f"{row['p_top_k']:.0%}", interval]
        cells.append(md_text(", ".join(row["assumptions"])) if row["assumed"] else "sources only")
        rows.append(cells)
    return out + _table(header, rows, align) + [""]


def _tensions(report: Report) -> list[str]:
    """Where a derived number contradicts a sourced one, both numbers and their evidence."""
    if not report.tensions:
        return []
    out = ["", "### Tensions between the model and its sources", ""]
    for tension in report.tensions:
        out.append(
            f"- **{md_text(tension.kind)}** ({_code(tension.subject)}): "
            f"{md_text(tension.message)}. "
            f"Derived from {plural(len(tension.derived_from), 'figure')}; stated in "
            + ", ".join(_code(item) for item in tension.sourced_from)
            + " (sources: "
            + ", ".join(_code(source) for source in tension.sources)
            + ")."
        )
    return out


def _breakdown(table: pd.DataFrame, top: int) -> list[str]:
    """How each shown candidate's expected loss is made: at stake x reached x compliance x
    (1 - substitution)."""
    header = ["candidate", "level", "at stake", "reached", "compliance", "1 − substitution",
              "denied a year"]  # fmt: skip
    rows = []
    for _, rows_of_level in table.groupby("level", sort=False):
        for candidate, row in rows_of_level.head(top).iterrows():
            compliance = "–" if pd.isna(row["compliance"]) else f"{row['compliance']:.0%}"
            rows.append([
                _code(candidate), md_text(row["level"]), format_money(row["revenue_best"]),
                f"{row['reached_share']:.0%}", compliance, f"{1 - row['substitution']:.0%}",
                format_money(row["denied_best"]),
            ])  # fmt: skip
    return ["### Breakdown per candidate", "", *_table(header, rows, "llrrrrr"), ""]
