"""`labournet validate` and `labournet info`: check a dataset and summarise it."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from rich.table import Table

from labournet._number import format_number
from labournet.cli._common import (
    DatasetPath,
    RegimeOption,
    as_text,
    console,
    dataset_counts,
    load_dataset,
    print_table,
    warn_about_model,
)
from labournet.io.networkx import to_networkx
from labournet.model.dataset import Dataset, Entity, Figure, Relation
from labournet.report.tables import TextTable

__all__ = ["validate_command", "info_command"]


def validate_command(path: Path | None = DatasetPath, regime: str | None = RegimeOption) -> None:
    """Check a dataset folder and report every problem as FILE:LINE: FIELD: reason.

    Exits 0 when the dataset is valid and 2 when it is not. A dataset with flows needs one
    entity with role regime, unless --regime names it (as the analyses' --regime does).

    Example: labournet validate data/dprk-labour-2016
    """
    from labournet.analysis.flows import build_flow_model
    from labournet.errors import AnalysisError

    dataset = load_dataset(path, regime=regime)
    if regime is not None:
        from labournet.analysis.flowbuild import find_regime

        find_regime(to_networkx(dataset), regime)
    try:
        model = build_flow_model(dataset, regime=regime)
    except AnalysisError:
        pass  # no flows to analyse: nothing the analyses would hide
    else:
        warn_about_model(model)
    console.print(
        f"[green]ok[/] {dataset.path}: {dataset_counts(dataset)}",
        highlight=False,
        soft_wrap=True,
    )


def info_command(path: Path | None = DatasetPath) -> None:
    """Summarise a dataset: counts by kind, sources, assumptions and figures with their ranges.

    Example: labournet info data/dprk-labour-2016
    """
    dataset = load_dataset(path)
    console.print(f"[bold]{dataset.name}[/] ({dataset.path})", highlight=False)
    console.print(as_text(dataset.summary()), highlight=False)
    print_table(_counts("Entities", Counter(e.kind for e in dataset.entities)))
    print_table(_counts("Relations", Counter(r.kind for r in dataset.relations)))
    console.print(_sources(dataset))
    console.print(_assumptions(dataset))
    print_table(_figures(dataset))


def _counts(title: str, counts: Counter[str]) -> Table:
    table = TextTable(title=f"{title} by kind ({sum(counts.values())})", title_justify="left")
    table.add_column("kind")
    table.add_column("count", justify="right")
    for kind, count in sorted(counts.items()):
        table.add_row(kind, str(count))
    return table


def _sources(dataset: Dataset) -> Table:
    table = TextTable(title=f"Sources ({len(dataset.sources)})", title_justify="left")
    for column in ("id", "publisher", "title", "date"):
        table.add_column(column)
    for source in dataset.sources:
        table.add_row(source.id, source.publisher, source.title, source.date)
    return table


def _assumptions(dataset: Dataset) -> Table:
    table = TextTable(title=f"Assumptions ({len(dataset.assumptions)})", title_justify="left")
    table.add_column("id")
    table.add_column("statement")
    table.add_column("used by", justify="right")
    items: tuple[Entity | Relation | Figure, ...] = (
        *dataset.entities, *dataset.relations, *dataset.figures,
    )  # fmt: skip
    uses = Counter(a for item in items for a in item.assumptions)
    for assumption in dataset.assumptions:
        table.add_row(assumption.id, assumption.statement, str(uses[assumption.id]))
    return table


def _figures(dataset: Dataset) -> Table:
    table = TextTable(title=f"Figures ({len(dataset.figures)})", title_justify="left")
    for column in ("subject", "measure", "range", "unit", "when", "basis"):
        table.add_column(column, no_wrap=column in ("range", "when"))
    for figure in dataset.figures:
        table.add_row(
            figure.subject,
            figure.measure,
            _range(figure),
            figure.unit,
            str(figure.period),
            "assumed" if figure.assumed else "sourced",
        )
    return table


def _range(figure: Figure) -> str:
    low, high = format_number(figure.low), format_number(figure.high)
    text = low if low == high else f"{low}–{high}"
    if figure.best is not None and figure.low != figure.high:
        text += f" (best {format_number(figure.best)})"
    return text
