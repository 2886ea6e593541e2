"""Two snapshots side by side: what changed between two dates, and how the earlier ranking fared.

`compare` runs the pressure analysis as of each date (`labournet.model.dates` gives the rule)
and reports:

* **changes**: per host, sector and intermediary, the workers and revenue at stake then and now
  (ranges), with the sources behind each side, and whether the later side rests on a figure that
  describes a period after the first date (``observed``) or only on earlier figures carried
  forward;
* **measures**: the measures that came into force after the first date and by the second, with
  who takes them and what they target;
* **backtest**: the first ranking's top hosts against the change in their workers. The change is
  a range (now low - then high .. now high - then low), so "fell" means even its high end is
  below zero. ``rank_correlation`` is Spearman's rho between the first ranking and the relative
  fall of the best estimates, over the hosts with later evidence only: positive when the hosts
  ranked higher fell more. It is a correlation between where pressure was
  expected to work and where the workforce fell, not proof that pressure caused the fall: the
  UN resolutions of 2017 bound every host at once, and figures carried forward change nothing.

Example:
    >>> import labournet
    >>> from labournet.analysis.compare import compare
    >>> result = compare(labournet.load_dataset("data/dprk-labour-2016-2024"), 2016, 2019)
    >>> qatar = result.change("qa", "workers")
    >>> qatar.then.best, qatar.now.best, qatar.observed
    (2500.0, 0.0, True)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from labournet._display import DISPLAY_ROWS, table_html
from labournet._text import plural
from labournet.analysis.flows import Range
from labournet.analysis.pressure import PressureResult, pressure_points
from labournet.errors import AnalysisError
from labournet.model.dataset import Dataset, in_snapshot
from labournet.model.dates import DateLike, PartialDate, as_date, record_period

__all__ = [
    "compare",
    "Comparison",
    "Change",
    "MeasureInForce",
    "BacktestRow",
    "workers_over_time",
    "COMPARED_LEVELS",
]

DISPLAY_COLUMNS = (
    "name", "level", "measure", "then_best", "now_best", "change_best", "observed",
)  # fmt: skip
"""The columns of `Comparison.to_frame` a notebook shows."""

COMPARED_LEVELS = ("host", "sector", "organisation")
"""The levels whose workers and revenue are compared (placements and routes are left out)."""


@dataclass(frozen=True)
class Change:
    """One candidate's workers or revenue at the two dates."""

    id: str
    name: str
    level: str
    measure: str
    then: Range | None
    now: Range | None
    then_sources: tuple[str, ...]
    now_sources: tuple[str, ...]
    observed: bool
    """True when a figure describing a period after the first date backs the later side."""

    @property
    def difference(self) -> Range | None:
        """now - then, as a range: (now low - then high, best - best, now high - then low)."""
        if self.then is None or self.now is None:
            return None
        return Range(
            self.now.low - self.then.high,
            self.now.best - self.then.best,
            self.now.high - self.then.low,
        )


@dataclass(frozen=True)
class MeasureInForce:
    """A measure that came into force between the two dates."""

    id: str
    name: str
    date: str
    takers: tuple[str, ...]
    targets: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class BacktestRow:
    """One of the first ranking's hosts and what happened to its workers."""

    id: str
    name: str
    rank_then: int
    denied_then: Range
    workers_then: Range
    workers_now: Range | None
    observed: bool
    verdict: str
    """``fell``, ``rose``, ``unclear`` (the range spans no change), ``no later evidence`` or
    ``gone`` (not a host in the later snapshot)."""


@dataclass(frozen=True)
class Comparison:
    """What `compare` finds; ``to_frame`` gives the changes as one table."""

    name: str
    date_from: PartialDate
    date_to: PartialDate
    changes: tuple[Change, ...]
    measures: tuple[MeasureInForce, ...]
    backtest: tuple[BacktestRow, ...]
    rank_correlation: float | None
    correlated_hosts: int
    limits: tuple[str, ...]

    def change(self, candidate: str, measure: str) -> Change:
        """The change of one candidate's ``workers`` or ``revenue``; `KeyError` if none."""
        for change in self.changes:
            if change.id == candidate and change.measure == measure:
                return change
        raise KeyError(f"no {measure} change for '{candidate}'")

    def to_frame(self) -> pd.DataFrame:
        """One row per candidate and measure, with then/now/difference as low, best, high."""
        rows = []
        for c in self.changes:
            row: dict[str, Any] = {"id": c.id, "name": c.name, "level": c.level}
            row["measure"] = c.measure
            for side, value in (("then", c.then), ("now", c.now), ("change", c.difference)):
                for part in ("low", "best", "high"):
                    row[f"{side}_{part}"] = getattr(value, part) if value else np.nan
            row |= {"observed": c.observed, "then_sources": c.then_sources}
            row["now_sources"] = c.now_sources
            rows.append(row)
        return pd.DataFrame(rows)

    def _repr_html_(self) -> str:
        """The first `DISPLAY_ROWS` changes (best estimates), escaped, with the backtest's
        correlation and its limits."""
        frame = self.to_frame()
        title = (
            f"{self.name}: from {self.date_from} to {self.date_to}, "
            f"{plural(len(self.measures), 'measure')} came into force"
        )
        if frame.empty:
            return table_html(frame, title=title, notes=self.limits)
        shown = frame.set_index("id").head(DISPLAY_ROWS)[list(DISPLAY_COLUMNS)]
        notes = []
        if self.rank_correlation is not None:
            notes.append(
                f"rank correlation of the first ranking with the fall in workers: "
                f"{self.rank_correlation:.2f} over {plural(self.correlated_hosts, 'host')}"
            )
        notes.extend(self.limits)
        return table_html(shown, title=title, total=len(frame), more="changes", notes=notes)

    def to_dict(self) -> dict[str, Any]:
        """Plain values for JSON."""
        return {
            "name": self.name,
            "from": str(self.date_from),
            "to": str(self.date_to),
            "changes": self.to_frame().replace({np.nan: None}).to_dict("records"),
            "measures": [vars(m) for m in self.measures],
            "backtest": [
                {
                    **{k: v for k, v in vars(row).items() if not isinstance(v, Range | None)},
                    "denied_then": row.denied_then.values(),
                    "workers_then": row.workers_then.values(),
                    "workers_now": row.workers_now.values() if row.workers_now else None,
                }
                for row in self.backtest
            ],
            "rank_correlation": self.rank_correlation,
            "correlated_hosts": self.correlated_hosts,
            "limits": list(self.limits),
        }


def compare(
    dataset: Dataset,
    date_from: DateLike,
    date_to: DateLike,
    *,
    top: int = 5,
    regime: str | None = None,
) -> Comparison:
    """Compare the snapshots of `dataset` as of `date_from` and `date_to` (module docstring)."""
    then_date, now_date = _dates(date_from, date_to)
    then = _analysed(dataset, regime, then_date, "--from")
    now = _analysed(dataset, regime, now_date, "--to")
    observed = _observed(now, _later_figures(dataset, then_date, now_date))
    changes = tuple(_changes(then, now, observed))
    backtest = tuple(_backtest(then, now, observed, top))
    rho, n = _rank_correlation(backtest)
    return Comparison(
        name=dataset.name,
        date_from=then_date,
        date_to=now_date,
        changes=changes,
        measures=tuple(_measures_between(dataset, then_date, now_date)),
        backtest=backtest,
        rank_correlation=rho,
        correlated_hosts=n,
        limits=_limits(backtest),
    )


def workers_over_time(
    dataset: Dataset, dates: Iterable[DateLike], *, regime: str | None = None
) -> pd.DataFrame:
    """Each host's workers (low, best, high) as of each date: one row per date and host."""
    rows = []
    for date in dates:
        result = pressure_points(dataset, regime=regime, as_of=date)
        for point in result:
            if point.level == "host":
                row = {"date": str(result.as_of), "id": point.id, "name": point.name}
                rows.append(
                    row | dict(zip(("low", "best", "high"), point.workers.values(), strict=True))
                )
    return pd.DataFrame(rows, columns=["date", "id", "name", "low", "best", "high"])


def _analysed(
    dataset: Dataset, regime: str | None, date: PartialDate, which: str
) -> PressureResult:
    try:
        return pressure_points(dataset, regime=regime, as_of=date, trace_limit=None)
    except AnalysisError as error:
        reason = str(error).replace("a later --as-of", f"a later {which}")
        raise AnalysisError(f"compare {which} {date}: {reason}") from None


def _dates(date_from: DateLike, date_to: DateLike) -> tuple[PartialDate, PartialDate]:
    try:
        then, now = as_date(date_from), as_date(date_to)
    except ValueError as error:
        raise AnalysisError(f"compare: {error}") from None
    if now.last_day <= then.last_day:
        raise AnalysisError(f"compare: --to {now} must be later than --from {then}")
    return then, now


def _later_figures(dataset: Dataset, then: PartialDate, now: PartialDate) -> set[str]:
    """The figures that describe a period beginning after `then` and by `now`."""
    return {f.id for f in dataset.figures if then.last_day < f.period.first_day <= now.last_day}


def _observed(now: PressureResult, later: set[str]) -> set[str]:
    """The candidates whose later side rests on at least one later figure."""
    return {point.id for point in now if later.intersection(point.figures)}


def _changes(then: PressureResult, now: PressureResult, observed: set[str]) -> Iterable[Change]:
    earlier = {p.id: p for p in then if p.level in COMPARED_LEVELS}
    later = {p.id: p for p in now if p.level in COMPARED_LEVELS}
    for candidate in [*earlier, *(c for c in later if c not in earlier)]:
        a, b = earlier.get(candidate), later.get(candidate)
        point = b if b is not None else earlier[candidate]
        backed = bool(b) and candidate in observed
        for measure in ("workers", "revenue"):
            yield Change(
                id=candidate,
                name=point.name,
                level=point.level,
                measure=measure,
                then=getattr(a, measure) if a else None,
                now=getattr(b, measure) if b else None,
                then_sources=then.sources_of(candidate) if a else (),
                now_sources=now.sources_of(candidate) if b else (),
                observed=backed,
            )


def _backtest(
    then: PressureResult, now: PressureResult, observed: set[str], top: int
) -> Iterable[BacktestRow]:
    hosts_then = [p for p in then if p.level == "host" and not p.residual][:top]
    hosts_now = {p.id: p for p in now if p.level == "host"}
    for point in hosts_then:
        later = hosts_now.get(point.id)
        seen = later is not None and point.id in observed
        if later is None:
            verdict = "gone"
        elif not seen:
            verdict = "no later evidence"
        else:
            change = Range(
                later.workers.low - point.workers.high,
                later.workers.best - point.workers.best,
                later.workers.high - point.workers.low,
            )
            verdict = "fell" if change.high < 0 else "rose" if change.low > 0 else "unclear"
        yield BacktestRow(
            id=point.id,
            name=point.name,
            rank_then=point.rank,
            denied_then=point.denied,
            workers_then=point.workers,
            workers_now=later.workers if later else None,
            observed=seen,
            verdict=verdict,
        )


def _rank_correlation(rows: tuple[BacktestRow, ...]) -> tuple[float | None, int]:
    """Spearman's rho between the first rank and the relative fall in workers (best
    estimates), over the hosts with later evidence; None below three hosts."""
    usable = [r for r in rows if r.observed and r.workers_now and r.workers_then.best > 0]
    if len(usable) < 3:
        return None, len(usable)
    ranks = pd.Series([r.rank_then for r in usable], dtype=float)
    fall = pd.Series(
        [1 - r.workers_now.best / r.workers_then.best for r in usable if r.workers_now]
    )
    rho = ranks.rank().corr(fall.rank())
    return (None if np.isnan(rho) else float(-rho)), len(usable)


def _limits(rows: tuple[BacktestRow, ...]) -> tuple[str, ...]:
    carried = [r.id for r in rows if r.verdict == "no later evidence"]
    limits = [
        "A correlation between the expected and the observed fall, not proof of effect: the UN "
        "resolutions of 2017 bound every host at once, and other causes (prices, borders, "
        "COVID-19) moved the figures too.",
        "The later figures are ranges from different counts (valid permits, estimates, "
        "reported repatriations); a fall is stated only where the whole range fell.",
    ]
    if carried:
        limits.append(
            f"No later figure for {', '.join(carried)}: their earlier figures were carried "
            "forward and are left out of the correlation."
        )
    return tuple(limits)


def _measures_between(
    dataset: Dataset, then: PartialDate, now: PartialDate
) -> Iterable[MeasureInForce]:
    takers: dict[str, list[str]] = {}
    targets: dict[str, list[str]] = {}
    for r in dataset.relations:
        if r.kind == "takes_measure":
            takers.setdefault(r.target, []).append(r.source)
        elif r.kind == "targets":
            targets.setdefault(r.source, []).append(r.target)
    found = []
    for entity in dataset.entities:
        if entity.kind != "measure":
            continue
        start, _ = record_period(entity.properties)
        if start is None or not then.last_day < start.first_day <= now.last_day:
            continue
        if not in_snapshot(entity.properties, now):
            continue
        found.append((start, entity))
    for start, entity in sorted(found, key=lambda pair: pair[0]):
        yield MeasureInForce(
            id=entity.id,
            name=entity.name,
            date=str(start),
            takers=tuple(takers.get(entity.id, ())),
            targets=tuple(targets.get(entity.id, ())),
            sources=entity.sources,
        )
