"""The pressure-point report: analysis once, then every file (CSV, JSON, Markdown, PNG).

`build_report` runs the analyses (pressure points, key players, Monte Carlo) on one flow model;
`write_report` writes the files with a list of *writers*, functions ``(report, folder) ->
list[Path]``. To add a view (the HTML network view, say) pass or append another writer::

    from labournet.report.build import DEFAULT_WRITERS, write_report
    write_report(report, "out", writers=(*DEFAULT_WRITERS, my_html_writer))

Example:
    >>> import labournet, tempfile
    >>> from labournet.report.build import build_report, write_report
    >>> report = build_report(labournet.load_dataset(), draws=100)
    >>> sorted(p.name for p in write_report(report, tempfile.mkdtemp()))[:3]
    ['pressure-points-sources.csv', 'pressure-points.csv', 'pressure-points.json']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import networkx as nx
import pandas as pd

from labournet._gc import frozen, paused
from labournet.analysis.flows import FlowModel, as_flow_model
from labournet.analysis.keyplayers import KeyPlayersResult, key_players
from labournet.analysis.pressure import PressureResult, components, rank_components
from labournet.analysis.tensions import Tension, find_tensions
from labournet.analysis.uncertainty import UncertaintyResult, monte_carlo
from labournet.errors import ExportError
from labournet.io.stamp import Stamp, make_stamp
from labournet.model.dataset import Dataset
from labournet.model.dates import DateLike
from labournet.progress import stage
from labournet.report.markdown import write_markdown
from labournet.report.tables import write_csv, write_json
from labournet.views.html import export_views, scores_from_pressure

__all__ = [
    "Report",
    "build_report",
    "write_report",
    "write_tables",
    "write_charts",
    "write_html_views",
    "DEFAULT_WRITERS",
    "Writer",
    "MC_COLUMNS",
]

MC_COLUMNS = ("p_top_k", "rank_p05", "rank_p50", "rank_p95", "revenue_p05", "revenue_p50",
              "revenue_p95", "workers_p05", "workers_p95")  # fmt: skip


@dataclass(frozen=True, eq=False)
class Report:
    """Everything a report shows: the typed ``pressure`` result, and ``table``, the same as a
    DataFrame with the Monte Carlo columns added (for the tabular files and charts)."""

    name: str
    model: FlowModel = field(repr=False)
    pressure: PressureResult = field(repr=False)
    table: pd.DataFrame = field(repr=False)
    key_players: KeyPlayersResult = field(repr=False)
    uncertainty: UncertaintyResult | None = field(repr=False)
    k: int
    sources: Mapping[str, object] = field(repr=False, default_factory=dict)
    assumptions: Mapping[str, object] = field(repr=False, default_factory=dict)
    analysed_on: str = field(default_factory=lambda: date.today().isoformat())
    """The day the analysis ran (the snapshot's date is ``model.as_of``)."""
    tensions: tuple[Tension, ...] = ()
    """Derived numbers that contradict sourced ones (`labournet.analysis.tensions`)."""
    doubts: str = ""
    """The dataset README's "Doubts" section, if it has one (Markdown)."""
    stamp: Stamp | None = None
    """What made the report (`labournet.io.stamp`); every file of it states it."""

    @property
    def graph(self) -> nx.MultiDiGraph:
        return self.model.graph

    def to_dict(self) -> dict[str, object]:
        """The JSON document written as ``pressure-points.json``."""
        summary = self.pressure.summary()
        return {
            "dataset": self.name,
            "stamp": self.stamp.to_dict() if self.stamp else None,
            "regime": self.model.regime,
            "as_of": str(self.model.as_of),
            "analysed_on": self.analysed_on,
            "formula": summary["formula"],
            "projection": summary["projection"],
            "totals": summary["totals"],
            "units": {"revenue": "USD per year", "workers": "persons"},
            "notes": summary["notes"],
            "tensions": [vars(tension) for tension in self.tensions],
            "candidates": self.table,
            "key_players": self.key_players.to_dict(),
            "uncertainty": self.uncertainty.to_dict() if self.uncertainty else None,
            "source_groups": dict(self.pressure.source_groups),
            "assumptions": self.assumptions,
            "sources": self.sources,
        }


Writer = Callable[[Report, Path], list[Path]]


def build_report(
    data: Dataset | nx.MultiDiGraph | FlowModel,
    *,
    k: int = 3,
    draws: int = 1000,
    seed: int | None = 0,
    distribution: str = "triangular",
    measures: Sequence[str] = ("degree", "betweenness", "pagerank"),
    trace_limit: int | None = 25,
    regime: str | None = None,
    as_of: DateLike | None = None,
) -> Report:
    """Run every pressure-point analysis once, as of a year. ``draws=0`` skips the Monte Carlo."""
    with stage("building the flow model"), paused():
        model = as_flow_model(data, regime=regime, as_of=as_of)
    with frozen():  # the dataset, graph and model live through the analyses (labournet._gc)
        return _analyse(data, model, k, draws, seed, distribution, measures, trace_limit)


def _analyse(
    data: Dataset | nx.MultiDiGraph | FlowModel,
    model: FlowModel,
    k: int,
    draws: int,
    seed: int | None,
    distribution: str,
    measures: Sequence[str],
    trace_limit: int | None,
) -> Report:
    """The analyses of `build_report` on its flow model."""
    with stage("ranking the pressure points"):
        parts = components(model)  # shared by the table, the Monte Carlo and the key players
        pressure = rank_components(parts, trace_limit=trace_limit)
        table = pressure.to_frame()
    uncertainty = None
    if draws:
        uncertainty = monte_carlo(
            model,
            draws=draws,
            seed=seed,
            k=k,
            distribution=distribution,
            result=pressure,
        )
        for column in MC_COLUMNS:
            table[column] = uncertainty.table[column]
    with stage("finding the key players"):
        players = key_players(model, k, measures=measures, seed=seed, parts=parts)
    graph = model.graph
    name = str(graph.graph.get("name", "")) or "dataset"
    return Report(
        name=name,
        model=model,
        pressure=pressure,
        table=table,
        key_players=players,
        uncertainty=uncertainty,
        k=k,
        sources=dict(graph.graph.get("sources", {})),
        assumptions=dict(graph.graph.get("assumptions", {})),
        tensions=find_tensions(model),
        doubts=dataset_doubts(data.path) if isinstance(data, Dataset) and data.path else "",
        stamp=make_stamp(
            data if isinstance(data, Dataset) else graph,
            as_of=model.as_of,
            seed=seed,
            call=f"build_report(k={k}, draws={draws}, seed={seed}, distribution="
            f"{distribution!r}, as_of={str(model.as_of)!r})",
        ),
    )


def dataset_doubts(folder: Path) -> str:
    """The "## Doubts" section of a dataset folder's README.md (without its heading), or ""."""
    readme = Path(folder) / "README.md"
    try:
        text = readme.read_text(encoding="utf-8")
    except OSError:
        return ""
    found = re.search(r"^## Doubts[^\n]*\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    return found.group(1).strip() if found else ""


def write_tables(report: Report, folder: Path) -> list[Path]:
    """``pressure-points.csv``, ``pressure-points-sources.csv`` (the sources of each group
    that the table's ``source_groups`` name) and ``pressure-points.json``."""
    return [
        write_csv(report.table, folder / "pressure-points.csv"),
        write_csv(source_groups_frame(report.pressure), folder / "pressure-points-sources.csv"),
        write_json(report.to_dict(), folder / "pressure-points.json"),
    ]


def source_groups_frame(result: PressureResult) -> pd.DataFrame:
    """One row per source group, indexed by ``group``: its ``sources`` (a tuple of ids).

    >>> import labournet
    >>> frame = source_groups_frame(labournet.pressure_points(labournet.load_dataset()))
    >>> frame.index.name, list(frame.columns)
    ('group', ['sources'])
    """
    groups = result.source_groups
    return pd.DataFrame(
        {"sources": list(groups.values())}, index=pd.Index(list(groups), name="group")
    )


def write_charts(report: Report, folder: Path) -> list[Path]:
    """``revenue-at-stake.png`` and, with a Monte Carlo, ``rank-stability.png``."""
    from labournet.report.charts import rank_chart, revenue_chart  # matplotlib: only here

    name = report.pressure.regime_name
    files = [revenue_chart(report.table, folder / "revenue-at-stake.png", regime_name=name)]
    if report.uncertainty is not None:
        draws = report.uncertainty.draws
        path = folder / "rank-stability.png"
        files.append(rank_chart(report.table, path, k=report.k, draws=draws))
    return files


def _write_markdown(report: Report, folder: Path) -> list[Path]:
    return [write_markdown(report, folder / "report.md")]


def write_html_views(report: Report, folder: Path) -> list[Path]:
    """A writer for `labournet.report.build.write_report`: the report's HTML views.

    Uses the report's graph (``report.model.graph``, the snapshot as of the report's date) and
    its pressure table for sizes and tooltips; writes ``network.html`` and
    ``pressure-points.html`` (see `export_views`), their date control set at the report's date.
    """
    scores = scores_from_pressure(report.pressure)
    notes = [f"Tension: {tension.message}." for tension in report.tensions]
    views = export_views(
        report.model.graph,
        folder,
        scores=scores,
        notes=notes,
        as_of=report.model.as_of,
        stamp=report.stamp,
    )
    return list(views.values())


DEFAULT_WRITERS: tuple[Writer, ...] = (write_tables, write_charts, _write_markdown)
"""The writers `write_report` uses. Hook: add the HTML view as one more writer."""


def write_report(
    report: Report, folder: str | Path, *, writers: Sequence[Writer] = DEFAULT_WRITERS
) -> list[Path]:
    """Write the report's files into `folder` (created if needed); returns their paths."""
    out = Path(folder)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ExportError(f"cannot create {out}: {error}") from error
    files: list[Path] = []
    with stage("writing the report", total=len(writers)) as task:
        for writer in writers:
            files.extend(writer(report, out))
            task.advance()
    return files
